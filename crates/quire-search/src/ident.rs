//! Query-side normalisation of standard identifiers (ISBN, ISSN, LCCN).
//!
//! The index stores what the lead's MARC layer gives it after passing it
//! through the same functions, so both sides agree: ISBN/ISSN without
//! hyphens or spaces and with an uppercase `X`, LCCN normalised as in
//! protocols.md §7.3.

/// Strips spaces and hyphens (ASCII and Unicode dashes) and uppercases `x`.
pub fn compact_identifier(text: &str) -> String {
    text.chars()
        .filter(|c| {
            !c.is_whitespace() && !matches!(c, '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '.')
        })
        .map(|c| if c == 'x' { 'X' } else { c })
        .collect()
}

fn digit(b: u8) -> Option<u32> {
    b.is_ascii_digit().then(|| u32::from(b - b'0'))
}

/// True if `s` (compact form) is an ISBN-10 with a correct check character.
pub fn is_valid_isbn10(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 {
        return false;
    }
    let mut sum = 0u32;
    for (i, &c) in b.iter().enumerate() {
        let v = match (digit(c), i, c) {
            (Some(d), _, _) => d,
            (None, 9, b'X') => 10,
            _ => return false,
        };
        sum += v * (10 - i as u32);
    }
    sum.is_multiple_of(11)
}

/// True if `s` (compact form) is a 978/979 ISBN-13 with a correct check digit.
pub fn is_valid_isbn13(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 13 || !(s.starts_with("978") || s.starts_with("979")) {
        return false;
    }
    let mut sum = 0u32;
    for (i, &c) in b.iter().enumerate() {
        let Some(d) = digit(c) else { return false };
        sum += if i % 2 == 0 { d } else { 3 * d };
    }
    sum.is_multiple_of(10)
}

/// ISBN-10 → ISBN-13 (`978` prefix, recomputed check digit). `None` unless
/// the input is ten characters of which the first nine are digits (the
/// check character of the input is not verified).
pub fn isbn10_to_13(isbn10: &str) -> Option<String> {
    let b = isbn10.as_bytes();
    if b.len() != 10 || !b[..9].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut out = String::with_capacity(13);
    out.push_str("978");
    out.push_str(isbn10.get(..9)?);
    let mut sum = 0u32;
    for (i, &c) in out.as_bytes().iter().enumerate() {
        let d = digit(c)?;
        sum += if i % 2 == 0 { d } else { 3 * d };
    }
    let check = (10 - sum % 10) % 10;
    out.push(char::from_digit(check, 10)?);
    Some(out)
}

/// ISBN-13 (`978` only) → ISBN-10 with recomputed mod-11 check.
pub fn isbn13_to_10(isbn13: &str) -> Option<String> {
    let b = isbn13.as_bytes();
    if b.len() != 13 || !isbn13.starts_with("978") || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let body = isbn13.get(3..12)?;
    let mut sum = 0u32;
    for (i, &c) in body.as_bytes().iter().enumerate() {
        sum += digit(c)? * (10 - i as u32);
    }
    let check = (11 - sum % 11) % 11;
    let mut out = body.to_string();
    out.push(if check == 10 {
        'X'
    } else {
        char::from_digit(check, 10)?
    });
    Some(out)
}

/// All forms under which an ISBN typed by a user should be looked up: the
/// compact form, plus its 13 (or 10) counterpart when it is a valid ISBN.
pub fn isbn_query_forms(text: &str) -> Vec<String> {
    let compact = compact_identifier(text);
    let mut forms = vec![compact.clone()];
    if is_valid_isbn10(&compact) {
        forms.extend(isbn10_to_13(&compact));
    } else if is_valid_isbn13(&compact) {
        forms.extend(isbn13_to_10(&compact));
    }
    forms
}

/// True if `text` looks like an ISBN (valid ISBN-10 or ISBN-13 once compacted).
pub fn looks_like_isbn(text: &str) -> bool {
    let c = compact_identifier(text);
    is_valid_isbn10(&c) || is_valid_isbn13(&c)
}

/// Normalised ISSN: 8 characters, no hyphen, uppercase `X`.
pub fn normalize_issn(text: &str) -> String {
    compact_identifier(text)
}

/// True if `text` is `NNNN-NNNC` / `NNNNNNNC` with a correct check character.
pub fn looks_like_issn(text: &str) -> bool {
    let c = compact_identifier(text);
    let b = c.as_bytes();
    if b.len() != 8 {
        return false;
    }
    let mut sum = 0u32;
    for (i, &ch) in b.iter().enumerate() {
        let v = match (digit(ch), i, ch) {
            (Some(d), _, _) => d,
            (None, 7, b'X') => 10,
            _ => return false,
        };
        sum += v * (8 - i as u32);
    }
    sum.is_multiple_of(11)
}

/// LCCN normalisation (protocols.md §7.3): blanks removed, everything from
/// `/` on removed, a hyphenated serial left-padded to six digits; letters
/// lowercased. Returns the normalised text even when it is not a valid LCCN.
pub fn normalize_lccn(text: &str) -> String {
    let trimmed = text.trim();
    // Permalinks: `https://lccn.loc.gov/<lccn>`.
    let trimmed = match trimmed.split_once("lccn.loc.gov/") {
        Some((_, rest)) => rest,
        None => trimmed,
    };
    let no_blanks: String = trimmed.chars().filter(|c| !c.is_whitespace()).collect();
    let before_slash = no_blanks.split('/').next().unwrap_or_default();
    let joined = match before_slash.split_once('-') {
        Some((head, serial))
            if !serial.is_empty()
                && serial.len() <= 6
                && serial.bytes().all(|b| b.is_ascii_digit()) =>
        {
            format!("{head}{serial:0>6}")
        }
        Some((head, serial)) => format!("{head}{}", serial.replace('-', "")),
        None => before_slash.to_string(),
    };
    joined.to_lowercase()
}

/// True if `text` normalises to a structurally valid LCCN (8-12 characters,
/// last eight digits, prefix rules of §7.3).
pub fn looks_like_lccn(text: &str) -> bool {
    let n = normalize_lccn(text);
    let b = n.as_bytes();
    if !(8..=12).contains(&b.len()) || !b[b.len() - 8..].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let alpha = |c: u8| c.is_ascii_lowercase();
    let dig = |c: u8| c.is_ascii_digit();
    match b.len() {
        8 => true,
        9 => alpha(b[0]),
        10 => (dig(b[0]) && dig(b[1])) || (alpha(b[0]) && alpha(b[1])),
        11 => alpha(b[0]) && ((dig(b[1]) && dig(b[2])) || (alpha(b[1]) && alpha(b[2]))),
        12 => alpha(b[0]) && alpha(b[1]) && b[2..].iter().all(|&c| dig(c)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn isbn_examples_from_protocols_doc() {
        assert_eq!(isbn10_to_13("0306406152").as_deref(), Some("9780306406157"));
        assert_eq!(isbn10_to_13("080442957X").as_deref(), Some("9780804429573"));
        assert_eq!(isbn13_to_10("9780306406157").as_deref(), Some("0306406152"));
        assert_eq!(isbn13_to_10("9780804429573").as_deref(), Some("080442957X"));
        assert_eq!(isbn13_to_10("9791234567896"), None);
        assert!(is_valid_isbn10("080442957X"));
        assert!(!is_valid_isbn10("0804429571"));
        assert!(is_valid_isbn13("9780306406157"));
        assert_eq!(
            isbn_query_forms("0-8044-2957-x"),
            ["080442957X", "9780804429573"]
        );
        assert_eq!(
            isbn_query_forms("978-0-306-40615-7"),
            ["9780306406157", "0306406152"]
        );
        assert!(!looks_like_isbn(""));
        assert!(looks_like_isbn("0-306-40615-2"));
    }

    fn column(header: &[String], name: &str) -> usize {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name}"))
    }

    #[test]
    fn isbn_issn_against_shared_fixture() {
        let Some((header, rows)) = quire_testdata::read_tsv("identifiers/isbn_issn.tsv") else {
            return;
        };
        let (kind, input, valid, normalized) = (
            column(&header, "kind"),
            column(&header, "input"),
            column(&header, "valid"),
            column(&header, "normalized"),
        );
        let mut checked = 0;
        for row in &rows {
            let text = String::from_utf8_lossy(&row[input]);
            let ok = row[valid].as_slice() == b"1";
            let compact = compact_identifier(&text);
            match row[kind].as_slice() {
                b"isbn10" => assert_eq!(is_valid_isbn10(&compact), ok, "{text}"),
                b"isbn13" => assert_eq!(is_valid_isbn13(&compact), ok, "{text}"),
                b"issn" => assert_eq!(looks_like_issn(&text), ok, "{text}"),
                _ => continue,
            }
            if ok && !row[normalized].is_empty() {
                assert_eq!(compact.as_bytes(), row[normalized].as_slice(), "{text}");
            }
            checked += 1;
        }
        assert!(checked > 250, "only {checked} rows checked");
    }

    #[test]
    fn lccn_against_shared_fixture() {
        let Some((header, rows)) = quire_testdata::read_tsv("identifiers/lccn.tsv") else {
            return;
        };
        let (input, normalized, valid) = (
            column(&header, "input"),
            column(&header, "normalized"),
            column(&header, "valid"),
        );
        let mut checked = 0;
        for row in &rows {
            let text = String::from_utf8_lossy(&row[input]);
            if !row[normalized].is_empty() {
                assert_eq!(
                    normalize_lccn(&text).as_bytes(),
                    row[normalized].as_slice(),
                    "{text:?}"
                );
                checked += 1;
            }
            if !row[valid].is_empty() {
                assert_eq!(
                    looks_like_lccn(&text),
                    row[valid].as_slice() == b"1",
                    "{text:?}"
                );
                checked += 1;
            }
        }
        assert!(checked > 40, "only {checked} rows checked");
    }

    #[test]
    fn issn_examples() {
        assert!(looks_like_issn("0378-5955"));
        assert!(looks_like_issn("0317-8471"));
        assert!(looks_like_issn("2049-3630"));
        assert!(!looks_like_issn("0378-5956"));
        assert_eq!(normalize_issn("0378-595x"), "0378595X");
    }

    #[test]
    fn lccn_examples_from_protocols_doc() {
        assert_eq!(normalize_lccn("n78-89035"), "n78089035");
        assert_eq!(normalize_lccn(" 85-2 "), "85000002");
        assert_eq!(normalize_lccn("2001-12//r"), "2001000012");
        assert_eq!(normalize_lccn("sn 83-1234"), "sn83001234");
        assert!(looks_like_lccn("sn83031896"));
        assert!(looks_like_lccn("n78-89035"));
        assert!(!looks_like_lccn("hello"));
    }

    proptest! {
        #[test]
        fn isbn_10_13_round_trip(body in "[0-9]{9}") {
            let ten_without = body.clone();
            let thirteen = isbn10_to_13(&format!("{ten_without}0")).unwrap();
            prop_assert!(is_valid_isbn13(&thirteen));
            let ten = isbn13_to_10(&thirteen).unwrap();
            prop_assert!(is_valid_isbn10(&ten));
            prop_assert_eq!(isbn10_to_13(&ten).unwrap(), thirteen);
        }

        #[test]
        fn identifier_functions_never_panic(s in any::<String>()) {
            let _ = isbn_query_forms(&s);
            let _ = looks_like_issn(&s);
            let _ = looks_like_lccn(&s);
            let _ = isbn13_to_10(&s);
            let _ = isbn10_to_13(&s);
        }

        #[test]
        fn lccn_normalisation_is_idempotent(s in "[a-z0-9 /-]{0,16}") {
            let n = normalize_lccn(&s);
            prop_assert_eq!(normalize_lccn(&n), n);
        }
    }
}
