//! `mijn-herstel content check` on the shipped content, and on broken copies of it: each breakage
//! is reported with the file, the line where it is, the path, and a precise message.

use std::path::Path;
use std::process::{Command, Output};

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../wizard-content");

fn check(dir: Option<&Path>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mijn-herstel"));
    cmd.args(["content", "check"]);
    if let Some(dir) = dir {
        cmd.arg(dir);
    }
    cmd.output().unwrap()
}

#[test]
fn the_shipped_content_passes() {
    for dir in [None, Some(Path::new(ROOT))] {
        let out = check(dir);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("2026.1"));
    }
}

/// A copy of the shipped content with `from` replaced by `to` in `file`; returns the line where
/// the replacement starts (1-based).
fn broken(dir: &Path, file: &str, from: &str, to: &str) -> usize {
    let version = dir.join("2026.1");
    std::fs::create_dir_all(&version).unwrap();
    let mut line = 0;
    for name in ["vragenlijst.yaml", "schadekader.yaml"] {
        let mut text = std::fs::read_to_string(Path::new(ROOT).join("2026.1").join(name)).unwrap();
        if name == file {
            let at = text
                .find(from)
                .unwrap_or_else(|| panic!("fixture: '{from}' not in {name}"));
            line = text[..at].matches('\n').count() + 1;
            text = text.replacen(from, to, 1);
        }
        std::fs::write(version.join(name), text).unwrap();
    }
    line
}

#[test]
fn every_broken_fixture_is_reported_precisely() {
    let cases: [(&str, &str, &str, &str, &str); 9] = [
        (
            "unknown question in an expression",
            "vragenlijst.yaml",
            r#"toon-als: {"==": [{"var": "wonen.noodgedwongen-verhuisd"}, true]}"#,
            r#"toon-als: {"==": [{"var": "wonen.bestaat-niet"}, true]}"#,
            "onbekende vraag 'wonen.bestaat-niet'",
        ),
        (
            "type mismatch",
            "vragenlijst.yaml",
            r#"toon-als: {"==": [{"var": "schulden.beslag"}, true]}"#,
            r#"toon-als: {"==": [{"var": "schulden.beslag"}, "ja"]}"#,
            "vergelijkt ja/nee met tekst",
        ),
        (
            "an option that does not exist (unreachable)",
            "vragenlijst.yaml",
            r#"["huurwoning", "koopwoning"]"#,
            r#"["huurwoning", "villa"]"#,
            "optie 'villa' bestaat niet",
        ),
        (
            "a condition that is always false (unreachable)",
            "vragenlijst.yaml",
            r#"toon-als: {"==": [{"var": "opleiding.geraakt"}, true]}"#,
            r#"toon-als: {"==": [1, 2]}"#,
            "altijd onwaar",
        ),
        (
            "a reference to a later question (cycle)",
            "vragenlijst.yaml",
            r#"toon-als: {"==": [{"var": "wonen.geraakt"}, true]}"#,
            r#"toon-als: {"==": [{"var": "wonen.dakloos"}, true]}"#,
            "niet eerder in de vragenlijst",
        ),
        (
            "a missing translation",
            "vragenlijst.yaml",
            r#"titel: {nl: "Wonen", en: "Housing"}"#,
            r#"titel: {nl: "Wonen"}"#,
            "stappen[3].titel.en: vertaling 'en' ontbreekt",
        ),
        (
            "a post without an amount rule",
            "schadekader.yaml",
            "    bedrag:\n      vast: 75000\n",
            "",
            "geen bedragregel",
        ),
        (
            "a duplicate id",
            "schadekader.yaml",
            "  - id: verlies-onderneming",
            "  - id: baanverlies",
            "dubbele post-id 'baanverlies'",
        ),
        (
            "invalid YAML",
            "schadekader.yaml",
            "versie: \"2026.1\"",
            "versie: [\"2026.1\"",
            "schadekader.yaml",
        ),
    ];
    for (name, file, from, to, message) in cases {
        let dir = tempfile::tempdir().unwrap();
        let line = broken(dir.path(), file, from, to);
        let out = check(Some(dir.path()));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{name}: accepted");
        let report = stderr
            .lines()
            .find(|l| l.contains(message))
            .unwrap_or_else(|| panic!("{name}: '{message}' not in:\n{stderr}"));
        assert!(
            report.starts_with(&format!("2026.1/{file}:")),
            "{name}: {report}"
        );
        if !to.is_empty() && name != "invalid YAML" {
            assert!(
                report.contains(&format!("{file}:{line}:")),
                "{name}: expected line {line} in {report}"
            );
        }
    }
}

#[test]
fn the_server_refuses_to_start_on_invalid_content() {
    let dir = tempfile::tempdir().unwrap();
    broken(
        dir.path(),
        "vragenlijst.yaml",
        r#"titel: {nl: "Wonen", en: "Housing"}"#,
        r#"titel: {nl: "Wonen"}"#,
    );
    let data = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_mijn-herstel"))
        .current_dir(data.path())
        .env("MH_CONTENT__DIR", dir.path())
        .env("MH_HTTP__PORT", "0")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("vertaling 'en' ontbreekt"), "{stderr}");
}
