//! The burgerservicenummer as a type: the only way to get one is [`Bsn::parse`], which checks the
//! 11-proef, and it never shows itself — Debug and Display print a mask, serde cannot serialise it.
//! Code that truly needs the digits (encryption, the blind index) calls [`Bsn::expose`].

use std::fmt;

#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Bsn([u8; 9]);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BsnError {
    #[error("een BSN heeft 9 cijfers")]
    Length,
    #[error("een BSN bestaat alleen uit cijfers")]
    NotDigits,
    #[error("dit nummer voldoet niet aan de 11-proef")]
    ElevenTest,
}

impl Bsn {
    /// Accepts 9 digits; 8 digits get the leading zero they lost in spreadsheets and some
    /// registries. Spaces and dots (as people type them) are ignored.
    pub fn parse(input: &str) -> Result<Bsn, BsnError> {
        let digits: String = input.chars().filter(|c| !matches!(c, ' ' | '.')).collect();
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(BsnError::NotDigits);
        }
        let digits = match digits.len() {
            9 => digits,
            8 => format!("0{digits}"),
            _ => return Err(BsnError::Length),
        };
        let mut bytes = [0u8; 9];
        for (slot, b) in bytes.iter_mut().zip(digits.bytes()) {
            *slot = b - b'0';
        }
        if !passes_eleven_test(&bytes) {
            return Err(BsnError::ElevenTest);
        }
        Ok(Bsn(bytes))
    }

    /// The nine digits, for encryption and the blind index only.
    pub fn expose(&self) -> String {
        self.0.iter().map(|d| char::from(b'0' + d)).collect()
    }

    /// For a parent looking at their own data: only the last three digits.
    pub fn masked(&self) -> String {
        format!("******{}{}{}", self.0[6], self.0[7], self.0[8])
    }
}

/// 9·d1 + 8·d2 + … + 2·d8 − 1·d9 must be a multiple of 11 (and not all zeros).
pub fn passes_eleven_test(digits: &[u8; 9]) -> bool {
    let sum: i32 = digits
        .iter()
        .enumerate()
        .map(|(i, d)| {
            if i == 8 {
                -i32::from(*d)
            } else {
                (9 - i as i32) * i32::from(*d)
            }
        })
        .sum();
    sum % 11 == 0 && digits.iter().any(|d| *d != 0)
}

impl fmt::Debug for Bsn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Bsn(*********)")
    }
}

impl fmt::Display for Bsn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("*********")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_valid_numbers() {
        // RvIG test BSNs (range 99999xxxx) that pass the 11-proef.
        for ok in [
            "999993653",
            "999990019",
            "111222333",
            "9999 9365 3",
            "999.993.653",
        ] {
            assert!(Bsn::parse(ok).is_ok(), "{ok}");
        }
        assert_eq!(Bsn::parse("12345611").unwrap().expose(), "012345611");
    }

    #[test]
    fn rejects_invalid_numbers() {
        assert_eq!(Bsn::parse("123456789"), Err(BsnError::ElevenTest));
        assert_eq!(Bsn::parse("000000000"), Err(BsnError::ElevenTest));
        assert_eq!(Bsn::parse("12345"), Err(BsnError::Length));
        assert_eq!(Bsn::parse("1234567890"), Err(BsnError::Length));
        assert_eq!(Bsn::parse("99999365a"), Err(BsnError::NotDigits));
        assert_eq!(Bsn::parse(""), Err(BsnError::Length));
    }

    #[test]
    fn never_shows_itself() {
        let bsn = Bsn::parse("999993653").unwrap();
        assert_eq!(format!("{bsn}"), "*********");
        assert_eq!(format!("{bsn:?}"), "Bsn(*********)");
        assert_eq!(bsn.masked(), "******653");
        assert!(!format!("{:?}", Some(&bsn)).contains("999"));
    }
}
