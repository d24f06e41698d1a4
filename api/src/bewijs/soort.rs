//! What a file is, by its content (never by its name or the client's Content-Type): the four
//! kinds a phone uploads. Pure.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Het soort bestand, vastgesteld aan de inhoud.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
#[schema(example = "pdf")]
pub enum Bestandssoort {
    Jpeg,
    Png,
    Heic,
    Pdf,
}

impl Bestandssoort {
    pub fn code(self) -> &'static str {
        match self {
            Bestandssoort::Jpeg => "jpeg",
            Bestandssoort::Png => "png",
            Bestandssoort::Heic => "heic",
            Bestandssoort::Pdf => "pdf",
        }
    }

    pub fn parse(code: &str) -> Option<Bestandssoort> {
        [
            Bestandssoort::Jpeg,
            Bestandssoort::Png,
            Bestandssoort::Heic,
            Bestandssoort::Pdf,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }

    pub fn mediatype(self) -> &'static str {
        match self {
            Bestandssoort::Jpeg => "image/jpeg",
            Bestandssoort::Png => "image/png",
            Bestandssoort::Heic => "image/heic",
            Bestandssoort::Pdf => "application/pdf",
        }
    }

    pub fn extensie(self) -> &'static str {
        match self {
            Bestandssoort::Jpeg => "jpg",
            Bestandssoort::Png => "png",
            Bestandssoort::Heic => "heic",
            Bestandssoort::Pdf => "pdf",
        }
    }
}

/// The kind of `inhoud` by its magic bytes, or `None` for anything else (an executable renamed
/// to .pdf included).
pub fn herken(inhoud: &[u8]) -> Option<Bestandssoort> {
    const HEIF_MERKEN: [&[u8; 4]; 8] = [
        b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1",
    ];
    if inhoud.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some(Bestandssoort::Jpeg);
    }
    if inhoud.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some(Bestandssoort::Png);
    }
    if inhoud.starts_with(b"%PDF-") {
        return Some(Bestandssoort::Pdf);
    }
    // ISO-BMFF: a box size, then `ftyp` and the major brand.
    if inhoud.len() >= 12
        && &inhoud[4..8] == b"ftyp"
        && HEIF_MERKEN.iter().any(|m| &inhoud[8..12] == *m)
    {
        return Some(Bestandssoort::Heic);
    }
    None
}

/// A file name that is safe in a Content-Disposition header and on any disk: no path, no
/// control or quoting characters, at most 100 characters, the extension of the real kind.
pub fn veilige_naam(opgegeven: Option<&str>, soort: Bestandssoort) -> String {
    let basis = opgegeven
        .unwrap_or("")
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("");
    let stam = basis.rsplit_once('.').map_or(basis, |(s, _)| s);
    let schoon: String = stam
        .chars()
        .filter(|c| {
            !c.is_control()
                && !matches!(
                    c,
                    '"' | '\\' | '/' | ';' | '%' | '*' | '<' | '>' | '|' | ':' | '?'
                )
        })
        .take(100)
        .collect();
    let schoon = schoon.trim().trim_start_matches('.');
    let stam = if schoon.is_empty() {
        "bewijsstuk"
    } else {
        schoon
    };
    format!("{stam}.{}", soort.extensie())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_recognised_by_content() {
        assert_eq!(
            herken(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]),
            Some(Bestandssoort::Jpeg)
        );
        assert_eq!(herken(b"\x89PNG\r\n\x1a\n...."), Some(Bestandssoort::Png));
        assert_eq!(herken(b"%PDF-1.7\n"), Some(Bestandssoort::Pdf));
        assert_eq!(
            herken(b"\0\0\0\x18ftypheic\0\0\0\0"),
            Some(Bestandssoort::Heic)
        );
        assert_eq!(herken(b"MZ\x90\0\x03\0\0\0"), None, "a Windows executable");
        assert_eq!(herken(b"\x7fELF\x02\x01"), None);
        assert_eq!(herken(b"\0\0\0\x18ftypisom"), None, "an MP4 video");
        assert_eq!(herken(b""), None);
    }

    #[test]
    fn names_are_made_safe() {
        assert_eq!(
            veilige_naam(Some("brief.pdf"), Bestandssoort::Pdf),
            "brief.pdf"
        );
        assert_eq!(
            veilige_naam(Some("../../etc/passwd"), Bestandssoort::Pdf),
            "passwd.pdf"
        );
        assert_eq!(
            veilige_naam(Some("C:\\foto's\\\"a\";b.exe"), Bestandssoort::Jpeg),
            "ab.jpg"
        );
        assert_eq!(veilige_naam(None, Bestandssoort::Png), "bewijsstuk.png");
        assert_eq!(
            veilige_naam(Some(".hidden"), Bestandssoort::Png),
            "bewijsstuk.png"
        );
        assert_eq!(
            veilige_naam(Some("IMG_0001.HEIC"), Bestandssoort::Heic),
            "IMG_0001.heic"
        );
    }
}
