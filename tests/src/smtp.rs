//! A real SMTP server (aiosmtpd, `tests/smtp/sink.py`) per test, on its own port, storing what it
//! receives as JSON. `tests/smtp/setup.sh` (run by `.ci/run`) installs it; without it the mail
//! tests skip, unless `MH_REQUIRE_SMTP=1` (CI), which makes them fail.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

pub struct SmtpSink {
    pub port: u16,
    dir: tempfile::TempDir,
    proces: Option<(Child, ChildStdin)>,
}

fn python() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("MH_TEST_SMTP_PYTHON") {
        return Some(PathBuf::from(p));
    }
    let venv = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("smtp/.venv/bin/python");
    if venv.exists() {
        return Some(venv);
    }
    if std::env::var("MH_REQUIRE_SMTP").as_deref() == Ok("1") {
        panic!("MH_REQUIRE_SMTP=1 maar aiosmtpd ontbreekt: draai tests/smtp/setup.sh");
    }
    eprintln!("SMTP-test overgeslagen: draai tests/smtp/setup.sh");
    None
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("vrije poort")
        .local_addr()
        .expect("adres")
        .port()
}

impl SmtpSink {
    /// A sink that is not running yet (for "the mail server is down" tests); `None`: skip.
    pub fn prepared() -> Option<SmtpSink> {
        python()?;
        Some(SmtpSink {
            port: free_port(),
            dir: tempfile::tempdir().expect("tempdir"),
            proces: None,
        })
    }

    /// A running sink; `None`: skip the test (aiosmtpd not installed).
    pub fn start() -> Option<SmtpSink> {
        let mut sink = Self::prepared()?;
        sink.up();
        Some(sink)
    }

    pub fn up(&mut self) {
        let python = python().expect("python");
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("smtp/sink.py");
        let mut child = Command::new(python)
            .arg(script)
            .arg("--port")
            .arg(self.port.to_string())
            .arg("--dir")
            .arg(self.dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("smtp-sink starten");
        let stdin = child.stdin.take().expect("stdin");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("smtp-sink meldt zich");
        assert_eq!(line.trim(), "klaar", "smtp-sink startte niet");
        self.proces = Some((child, stdin));
    }

    pub fn down(&mut self) {
        if let Some((mut child, stdin)) = self.proces.take() {
            drop(stdin);
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Steers the sink (see `sink.py`): e.g. `{"tijdelijk": 2}` or `{"permanent_voor": "weiger"}`.
    pub fn control(&self, value: Value) {
        std::fs::write(self.dir.path().join("control.json"), value.to_string()).expect("control");
    }

    /// Everything received so far, in order.
    pub fn messages(&self) -> Vec<Value> {
        let mut names: Vec<PathBuf> = std::fs::read_dir(self.dir.path())
            .expect("map")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension().is_some_and(|e| e == "json")
                    && p.file_name()
                        .is_some_and(|n| n.to_string_lossy().as_bytes()[0].is_ascii_digit())
            })
            .collect();
        names.sort();
        names
            .iter()
            .map(|p| {
                serde_json::from_str(&std::fs::read_to_string(p).expect("lees")).expect("json")
            })
            .collect()
    }

    /// Waits until at least `n` messages arrived (panics after `timeout`).
    pub async fn wait_for(&self, n: usize, timeout: Duration) -> Vec<Value> {
        let start = Instant::now();
        loop {
            let got = self.messages();
            if got.len() >= n {
                return got;
            }
            assert!(
                start.elapsed() < timeout,
                "na {timeout:?} pas {} van {n} berichten ontvangen",
                got.len()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.down();
    }
}

/// Settings for a server that mails to `port` on this machine, with quick retries.
pub fn mail_to(settings: &mut mijn_herstel::config::Settings, port: u16) {
    let n = &mut settings.notify;
    n.mailer = "smtp".into();
    n.smtp.host = "127.0.0.1".into();
    n.smtp.port = port;
    n.smtp.tls = "geen".into();
    n.smtp.timeout_secs = 5;
    n.poll_ms = 100;
    n.backoff_basis_ms = 100;
    n.backoff_max_ms = 800;
}
