//! Object identifiers and the Z39.50 OIDs Quire uses.

use std::fmt;
use std::str::FromStr;

/// An OBJECT IDENTIFIER as its arcs.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Oid(pub Vec<u64>);

impl Oid {
    /// Build from arcs.
    pub fn new(arcs: &[u64]) -> Oid {
        Oid(arcs.to_vec())
    }

    /// The arcs.
    pub fn arcs(&self) -> &[u64] {
        &self.0
    }

    /// Decode BER content octets. `None` when malformed (empty, unfinished
    /// arc, arc over 64 bits, non-minimal 0x80 padding).
    pub fn from_ber(content: &[u8]) -> Option<Oid> {
        if content.is_empty() {
            return None;
        }
        let mut arcs = Vec::new();
        let mut v: u64 = 0;
        let mut in_arc = false;
        for &b in content {
            if !in_arc && b == 0x80 {
                return None;
            }
            if v > (u64::MAX >> 7) {
                return None;
            }
            v = (v << 7) | u64::from(b & 0x7F);
            in_arc = b & 0x80 != 0;
            if !in_arc {
                if arcs.is_empty() {
                    let (a, b) = match v {
                        0..=39 => (0, v),
                        40..=79 => (1, v - 40),
                        _ => (2, v - 80),
                    };
                    arcs.push(a);
                    arcs.push(b);
                } else {
                    arcs.push(v);
                }
                v = 0;
            }
        }
        if in_arc {
            return None;
        }
        Some(Oid(arcs))
    }

    /// BER content octets. OIDs with fewer than two arcs, or whose first
    /// two arcs cannot be combined, encode their arcs as-is (best effort).
    pub fn to_ber(&self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut push = |mut v: u64| {
            let mut tmp = vec![(v & 0x7F) as u8];
            v >>= 7;
            while v > 0 {
                tmp.push(0x80 | (v & 0x7F) as u8);
                v >>= 7;
            }
            out.extend(tmp.iter().rev());
        };
        match self.0.as_slice() {
            [a, b, rest @ ..] if *a <= 2 && (*a == 2 || *b < 40) => {
                push(a * 40 + b);
                for r in rest {
                    push(*r);
                }
            }
            arcs => {
                for r in arcs {
                    push(*r);
                }
            }
        }
        out
    }

    /// True when `self` starts with `prefix`.
    pub fn starts_with(&self, prefix: &Oid) -> bool {
        self.0.starts_with(&prefix.0)
    }
}

impl fmt::Display for Oid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, a) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            write!(f, "{a}")?;
        }
        Ok(())
    }
}

/// Error parsing dotted OID text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OidParseError;

impl fmt::Display for OidParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a dotted object identifier")
    }
}

impl std::error::Error for OidParseError {}

impl FromStr for Oid {
    type Err = OidParseError;

    fn from_str(s: &str) -> Result<Oid, OidParseError> {
        let arcs: Result<Vec<u64>, _> = s.split('.').map(str::parse::<u64>).collect();
        match arcs {
            Ok(a) if a.len() >= 2 && a[0] <= 2 && (a[0] == 2 || a[1] < 40) => Ok(Oid(a)),
            _ => Err(OidParseError),
        }
    }
}

/// Well-known Z39.50 OIDs (prefix 1.2.840.10003).
pub mod known {
    use super::Oid;

    fn z(rest: &[u64]) -> Oid {
        let mut v = vec![1, 2, 840, 10003];
        v.extend_from_slice(rest);
        Oid(v)
    }

    /// Bib-1 attribute set 1.2.840.10003.3.1.
    pub fn bib1_attributes() -> Oid {
        z(&[3, 1])
    }
    /// Bib-1 diagnostic set 1.2.840.10003.4.1.
    pub fn bib1_diagnostics() -> Oid {
        z(&[4, 1])
    }
    /// USMARC / MARC 21 record syntax 1.2.840.10003.5.10.
    pub fn usmarc() -> Oid {
        z(&[5, 10])
    }
    /// UNIMARC 1.2.840.10003.5.1.
    pub fn unimarc() -> Oid {
        z(&[5, 1])
    }
    /// SUTRS 1.2.840.10003.5.101.
    pub fn sutrs() -> Oid {
        z(&[5, 101])
    }
    /// OPAC 1.2.840.10003.5.102.
    pub fn opac() -> Oid {
        z(&[5, 102])
    }
    /// GRS-1 1.2.840.10003.5.105.
    pub fn grs1() -> Oid {
        z(&[5, 105])
    }
    /// XML (text/xml) 1.2.840.10003.5.109.10 — used for MARCXML.
    pub fn xml() -> Oid {
        z(&[5, 109, 10])
    }
    /// application/xml 1.2.840.10003.5.109.11.
    pub fn application_xml() -> Oid {
        z(&[5, 109, 11])
    }
    /// CQL query (type-104) 1.2.840.10003.16.2.
    pub fn cql_query() -> Oid {
        z(&[16, 2])
    }
    /// Character-set and language negotiation 1.2.840.10003.15.3.
    pub fn charset_negotiation() -> Oid {
        z(&[15, 3])
    }

    /// OID of a YAZ-style attribute set short name (`bib-1`, `exp-1`,
    /// `gils`, ...), case-insensitive; dotted OIDs are parsed too.
    pub fn attribute_set(name: &str) -> Option<Oid> {
        let n = match name.to_ascii_lowercase().as_str() {
            "bib-1" | "bib1" => 1,
            "exp-1" => 2,
            "ext-1" => 3,
            "ccl-1" => 4,
            "gils" => 5,
            "stas" => 6,
            "collections-1" => 7,
            "cimi-1" => 8,
            "geo-1" => 9,
            "zbig" => 10,
            "util" => 11,
            "xd-1" => 12,
            "zthes" => 13,
            "fin-1" => 14,
            "dan-1" => 15,
            "holdings" => 16,
            "marc" => 17,
            "bib-2" => 18,
            "zeerex" => 19,
            _ => return name.parse().ok(),
        };
        Some(z(&[3, n]))
    }

    /// YAZ short name of an attribute-set OID, if it is one of those above.
    pub fn attribute_set_name(oid: &Oid) -> Option<&'static str> {
        let prefix = z(&[3]);
        if !oid.starts_with(&prefix) || oid.0.len() != 6 {
            return None;
        }
        Some(match oid.0[5] {
            1 => "bib-1",
            2 => "exp-1",
            3 => "ext-1",
            4 => "ccl-1",
            5 => "gils",
            6 => "stas",
            7 => "collections-1",
            8 => "cimi-1",
            9 => "geo-1",
            10 => "zbig",
            11 => "util",
            12 => "xd-1",
            13 => "zthes",
            14 => "fin-1",
            15 => "dan-1",
            16 => "holdings",
            17 => "marc",
            18 => "bib-2",
            19 => "zeerex",
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usmarc_encoding_from_protocols_md() {
        // protocols.md §3.2: USMARC = 06 07 2A 86 48 CE 13 05 0A
        assert_eq!(
            known::usmarc().to_ber(),
            vec![0x2A, 0x86, 0x48, 0xCE, 0x13, 0x05, 0x0A]
        );
        assert_eq!(
            Oid::from_ber(&[0x2A, 0x86, 0x48, 0xCE, 0x13, 0x05, 0x0A]),
            Some(known::usmarc())
        );
        assert_eq!(known::usmarc().to_string(), "1.2.840.10003.5.10");
        assert_eq!("1.2.840.10003.5.10".parse::<Oid>(), Ok(known::usmarc()));
    }

    #[test]
    fn malformed() {
        assert_eq!(Oid::from_ber(&[]), None);
        assert_eq!(Oid::from_ber(&[0x2A, 0x86]), None);
        assert_eq!(Oid::from_ber(&[0x2A, 0x80, 0x01]), None);
        assert_eq!(Oid::from_ber(&[0xFF; 12]), None);
        assert!("1".parse::<Oid>().is_err());
        assert!("1.x".parse::<Oid>().is_err());
        assert!("3.1".parse::<Oid>().is_err());
        assert_eq!(
            Oid::from_ber(&[0x88, 0x37, 0x03]),
            Some(Oid::new(&[2, 999, 3]))
        );
        assert_eq!(Oid::new(&[2, 999, 3]).to_ber(), vec![0x88, 0x37, 0x03]);
    }

    #[test]
    fn attribute_set_names() {
        assert_eq!(
            known::attribute_set("BIB-1"),
            Some(known::bib1_attributes())
        );
        assert_eq!(
            known::attribute_set_name(&known::bib1_attributes()),
            Some("bib-1")
        );
        assert_eq!(
            known::attribute_set("1.2.840.10003.3.5"),
            known::attribute_set("gils")
        );
        assert_eq!(known::attribute_set("nonsense"), None);
    }
}
