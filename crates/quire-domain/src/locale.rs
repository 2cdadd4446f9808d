//! The interface languages Quire speaks.

use std::fmt;
use std::str::FromStr;

/// A supported interface language.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    #[default]
    En,
    /// Filipino (Tagalog).
    Fil,
    /// Vietnamese.
    Vi,
}

impl Locale {
    pub const ALL: [Locale; 3] = [Locale::En, Locale::Fil, Locale::Vi];

    /// BCP 47 tag.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Fil => "fil",
            Locale::Vi => "vi",
        }
    }

    /// The language's own name for itself (for the language switcher).
    pub fn endonym(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::Fil => "Filipino",
            Locale::Vi => "Tiếng Việt",
        }
    }

    /// Matches a language tag leniently: `vi-VN`, `tl`, `fil-PH`, `EN_us`.
    pub fn from_tag(tag: &str) -> Option<Locale> {
        let primary = tag
            .trim()
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Locale::En),
            // Tagalog's ISO 639-1 code is `tl`; Filipino is `fil`.
            "fil" | "tl" | "tgl" => Some(Locale::Fil),
            "vi" | "vie" => Some(Locale::Vi),
            _ => None,
        }
    }

    /// Picks the best supported language from an HTTP `Accept-Language`
    /// header, honouring q-values; `None` when nothing matches.
    pub fn negotiate(accept_language: &str) -> Option<Locale> {
        let mut best: Option<(f32, usize, Locale)> = None;
        for (pos, part) in accept_language.split(',').enumerate() {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or("").trim();
            let mut q = 1.0f32;
            for p in pieces {
                if let Some(v) = p.trim().strip_prefix("q=") {
                    q = v.trim().parse().unwrap_or(0.0);
                }
            }
            if q <= 0.0 {
                continue;
            }
            if let Some(l) = Locale::from_tag(tag) {
                let better = match best {
                    None => true,
                    Some((bq, bpos, _)) => q > bq || (q == bq && pos < bpos),
                };
                if better {
                    best = Some((q, pos, l));
                }
            }
        }
        best.map(|(_, _, l)| l)
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

impl FromStr for Locale {
    type Err = crate::FieldError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Locale::from_tag(s).ok_or_else(|| crate::FieldError::new("locale", "unsupported-language"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn negotiates_by_quality() {
        assert_eq!(
            Locale::negotiate("vi-VN,vi;q=0.9,en;q=0.8"),
            Some(Locale::Vi)
        );
        assert_eq!(
            Locale::negotiate("de, tl;q=0.5, en;q=0.4"),
            Some(Locale::Fil)
        );
        assert_eq!(Locale::negotiate("en;q=0.2, fil;q=0.9"), Some(Locale::Fil));
        assert_eq!(Locale::negotiate("de-DE, fr"), None);
        assert_eq!(Locale::negotiate("vi;q=0, en"), Some(Locale::En));
        assert_eq!(Locale::negotiate(""), None);
    }

    proptest! {
        #[test]
        fn negotiate_never_panics(s in ".*") {
            let _ = Locale::negotiate(&s);
        }
    }
}
