//! Every content version the server knows: the shipped one, or the folders of `content.dir`.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use super::check::{Bevinding, SCHADEKADER, VRAGENLIJST};
use super::{Inhoud, SHIPPED};

/// Every content version the server knows, newest last.
#[derive(Debug)]
pub struct Catalogus {
    versies: BTreeMap<String, Arc<Inhoud>>,
}

impl Catalogus {
    /// The shipped content.
    pub fn shipped() -> Result<Catalogus, Vec<Bevinding>> {
        let mut versies = BTreeMap::new();
        for (versie, v, k) in SHIPPED {
            let inhoud = Inhoud::parse(v, k).map_err(|f| with_dir(f, versie))?;
            versies.insert(versie.to_string(), Arc::new(inhoud));
        }
        Ok(Catalogus { versies })
    }

    /// Every `<dir>/<versie>/` with both files.
    pub fn from_dir(dir: &Path) -> Result<Catalogus, Vec<Bevinding>> {
        let io = |pad: &Path, e: std::io::Error| {
            vec![Bevinding {
                bestand: pad.display().to_string(),
                regel: 1,
                pad: String::new(),
                melding: format!("niet te lezen: {e}"),
            }]
        };
        let mut versies = BTreeMap::new();
        let mut found = Vec::new();
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .map_err(|e| io(dir, e))?
            .filter_map(Result::ok)
            .filter(|e| e.path().join(VRAGENLIJST).exists())
            .collect();
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let name = entry.file_name().to_string_lossy().into_owned();
            let read = |f: &str| {
                std::fs::read_to_string(entry.path().join(f))
                    .map_err(|e| io(&entry.path().join(f), e))
            };
            let (v, k) = (read(VRAGENLIJST)?, read(SCHADEKADER)?);
            match Inhoud::parse(&v, &k) {
                Ok(inhoud) => {
                    if inhoud.versie() != name {
                        found.push(Bevinding {
                            bestand: format!("{name}/{VRAGENLIJST}"),
                            regel: 1,
                            pad: "versie".into(),
                            melding: format!(
                                "versie '{}' staat in map '{name}'; de map heet naar de versie",
                                inhoud.versie()
                            ),
                        });
                    }
                    versies.insert(name, Arc::new(inhoud));
                }
                Err(f) => found.extend(with_dir(f, &name)),
            }
        }
        if versies.is_empty() && found.is_empty() {
            found.push(Bevinding {
                bestand: dir.display().to_string(),
                regel: 1,
                pad: String::new(),
                melding: "geen enkele versie (map met vragenlijst.yaml en schadekader.yaml)".into(),
            });
        }
        if found.is_empty() {
            Ok(Catalogus { versies })
        } else {
            Err(found)
        }
    }

    pub fn get(&self, versie: &str) -> Option<&Arc<Inhoud>> {
        self.versies.get(versie)
    }

    /// The newest version: new claims start on it.
    pub fn actueel(&self) -> &Arc<Inhoud> {
        self.versies
            .values()
            .next_back()
            .expect("minstens één versie")
    }

    pub fn versies(&self) -> impl Iterator<Item = &str> {
        self.versies.keys().map(String::as_str)
    }
}

fn with_dir(found: Vec<Bevinding>, dir: &str) -> Vec<Bevinding> {
    found
        .into_iter()
        .map(|b| Bevinding {
            bestand: format!("{dir}/{}", b.bestand),
            ..b
        })
        .collect()
}

#[cfg(test)]
mod shipped {
    use super::*;

    #[test]
    fn the_shipped_content_passes_the_check() {
        let catalogus = Catalogus::shipped().unwrap_or_else(|found| {
            panic!(
                "{}",
                found
                    .iter()
                    .map(|b| b.to_string())
                    .collect::<Vec<_>>()
                    .join("\n")
            )
        });
        let inhoud = catalogus.actueel();
        assert!(
            !inhoud.kader.vastgesteld,
            "illustrative amounts are never presented as official"
        );
        assert!(inhoud.kader.posten.len() >= 15);
    }
}
