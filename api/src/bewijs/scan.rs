//! The virus-scan hook: every upload passes a scanner before it is stored. `geen` (development)
//! accepts and says so in the log; `clamd` streams the file to ClamAV's daemon (INSTREAM).

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::config::BewijsSettings;

/// What the scanner found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Uitslag {
    Schoon,
    /// Accepted without a scan (development).
    NietGescand,
    /// A virus, by its name.
    Besmet(String),
}

impl Uitslag {
    pub fn code(&self) -> &'static str {
        match self {
            Uitslag::Schoon => "schoon",
            Uitslag::NietGescand => "niet-gescand",
            Uitslag::Besmet(_) => "besmet",
        }
    }
}

#[async_trait::async_trait]
pub trait Virusscanner: Send + Sync {
    async fn scan(&self, inhoud: &[u8]) -> anyhow::Result<Uitslag>;
}

pub fn scanner_from(settings: &BewijsSettings) -> Box<dyn Virusscanner> {
    match settings.scanner.as_str() {
        "clamd" => Box::new(Clamd {
            adres: settings.clamd.clone(),
            timeout: Duration::from_secs(settings.scan_timeout_secs),
        }),
        _ => Box::new(Geen),
    }
}

/// Development: no scanner installed.
pub struct Geen;

#[async_trait::async_trait]
impl Virusscanner for Geen {
    async fn scan(&self, _inhoud: &[u8]) -> anyhow::Result<Uitslag> {
        tracing::warn!(
            "bewijsstuk niet op virussen gescand: bewijs.scanner = \"geen\" (alleen voor ontwikkeling)"
        );
        Ok(Uitslag::NietGescand)
    }
}

/// ClamAV's clamd over TCP: `zINSTREAM`, chunks with a 4-byte big-endian length, a zero-length
/// chunk, then one reply line (`stream: OK` or `stream: <name> FOUND`).
pub struct Clamd {
    pub adres: String,
    pub timeout: Duration,
}

#[async_trait::async_trait]
impl Virusscanner for Clamd {
    async fn scan(&self, inhoud: &[u8]) -> anyhow::Result<Uitslag> {
        let gesprek = async {
            let mut stream = TcpStream::connect(&self.adres).await?;
            stream.write_all(b"zINSTREAM\0").await?;
            for brok in inhoud.chunks(64 * 1024) {
                let lengte = u32::try_from(brok.len())?;
                stream.write_all(&lengte.to_be_bytes()).await?;
                stream.write_all(brok).await?;
            }
            stream.write_all(&0u32.to_be_bytes()).await?;
            let mut antwoord = Vec::new();
            stream.read_to_end(&mut antwoord).await?;
            anyhow::Ok(antwoord)
        };
        let antwoord = tokio::time::timeout(self.timeout, gesprek)
            .await
            .map_err(|_| anyhow::anyhow!("clamd antwoordt niet binnen {:?}", self.timeout))??;
        let tekst = String::from_utf8_lossy(&antwoord);
        let tekst = tekst.trim_end_matches(['\0', '\n']).trim();
        let uitslag = tekst.strip_prefix("stream:").map(str::trim);
        match uitslag {
            Some("OK") => Ok(Uitslag::Schoon),
            Some(u) if u.ends_with("FOUND") => Ok(Uitslag::Besmet(
                u.trim_end_matches("FOUND").trim().to_string(),
            )),
            _ => anyhow::bail!("onverwacht antwoord van clamd: {tekst}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::net::TcpListener;

    /// A clamd stand-in that speaks the INSTREAM protocol byte for byte (ClamAV itself needs a
    /// signature download this machine cannot do): it reassembles the chunks and reports the
    /// EICAR test string as found.
    async fn clamd_stub() -> String {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let adres = listener.local_addr().unwrap().to_string();
        tokio::spawn(async move {
            loop {
                let (mut s, _) = listener.accept().await.unwrap();
                let mut commando = [0u8; 10];
                s.read_exact(&mut commando).await.unwrap();
                assert_eq!(&commando, b"zINSTREAM\0");
                let mut data = Vec::new();
                loop {
                    let mut len = [0u8; 4];
                    s.read_exact(&mut len).await.unwrap();
                    let len = u32::from_be_bytes(len) as usize;
                    if len == 0 {
                        break;
                    }
                    let mut brok = vec![0u8; len];
                    s.read_exact(&mut brok).await.unwrap();
                    data.extend_from_slice(&brok);
                }
                let eicar = data.windows(5).any(|w| w == b"EICAR");
                let reply: &[u8] = if eicar {
                    b"stream: Eicar-Test-Signature FOUND\0"
                } else {
                    b"stream: OK\0"
                };
                s.write_all(reply).await.unwrap();
            }
        });
        adres
    }

    #[tokio::test]
    async fn clamd_reports_clean_and_infected_files() {
        let clamd = Clamd {
            adres: clamd_stub().await,
            timeout: Duration::from_secs(5),
        };
        let groot = vec![7u8; 200 * 1024];
        assert_eq!(clamd.scan(&groot).await.unwrap(), Uitslag::Schoon);
        let besmet =
            b"%PDF-1.4 X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";
        assert_eq!(
            clamd.scan(besmet).await.unwrap(),
            Uitslag::Besmet("Eicar-Test-Signature".into())
        );
        let weg = Clamd {
            adres: "127.0.0.1:1".into(),
            timeout: Duration::from_secs(2),
        };
        assert!(
            weg.scan(b"x").await.is_err(),
            "clamd down is an error, never clean"
        );
    }
}
