//! Text normalisation of records on import: Unicode NFC, after putting
//! Vietnamese vowel marks before tone marks.
//!
//! LoC records are often decomposed (NFD) and some Vietnamese records put
//! the tone mark before the circumflex or breve (`e` + acute + circumflex).
//! Both marks have canonical combining class 230, so NFC keeps their order
//! and cannot compose them: the result is `é` + a loose circumflex instead
//! of `ế`. Vietnamese writes the vowel mark first (`ê`, then the tone), so
//! within each run of combining marks a circumflex (U+0302) or breve
//! (U+0306) is moved in front of the tone marks grave, acute, tilde and
//! hook above (U+0300, U+0301, U+0303, U+0309); then NFC composes. The dot
//! below (class 220) and the horn (216) are ordered by NFC itself.
//!
//! Search folds diacritics anyway; this is for display, sorting and
//! matching of stored text. Nothing here panics on any input.

use unicode_normalization::UnicodeNormalization;

use crate::record::{Field, Record};

fn is_vowel_mark(c: char) -> bool {
    matches!(c, '\u{0302}' | '\u{0306}')
}

fn is_tone_mark(c: char) -> bool {
    matches!(c, '\u{0300}' | '\u{0301}' | '\u{0303}' | '\u{0309}')
}

fn is_combining(c: char) -> bool {
    unicode_normalization::char::canonical_combining_class(c) != 0
}

/// `s` in NFC, Vietnamese vowel marks before tone marks. `None` when `s`
/// is already in that form (the common case: no allocation).
pub fn normalize(s: &str) -> Option<String> {
    let needs_reorder = {
        let mut prev_tone = false;
        let mut found = false;
        for c in s.nfd() {
            if is_vowel_mark(c) && prev_tone {
                found = true;
                break;
            }
            prev_tone = if is_tone_mark(c) {
                true
            } else {
                prev_tone && is_combining(c)
            };
        }
        found
    };
    if !needs_reorder {
        return match unicode_normalization::is_nfc_quick(s.chars()) {
            unicode_normalization::IsNormalized::Yes => None,
            _ => {
                let n: String = s.nfc().collect();
                (n != s).then_some(n)
            }
        };
    }
    let mut out: Vec<char> = Vec::with_capacity(s.len());
    let mut run: Vec<char> = Vec::new();
    let flush = |run: &mut Vec<char>, out: &mut Vec<char>| {
        // Stable: vowel marks first, the rest in their order.
        out.extend(run.iter().copied().filter(|c| is_vowel_mark(*c)));
        out.extend(run.iter().copied().filter(|c| !is_vowel_mark(*c)));
        run.clear();
    };
    for c in s.nfd() {
        if is_combining(c) {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    let n: String = out.into_iter().collect::<String>().nfc().collect();
    (n != s).then_some(n)
}

/// Normalises every control value and subfield value of `rec` (see the
/// module docs). Returns whether anything changed.
pub fn normalize_record(rec: &mut Record) -> bool {
    let mut changed = false;
    for f in &mut rec.fields {
        match f {
            Field::Control { value, .. } => {
                if let Some(n) = normalize(value) {
                    *value = n;
                    changed = true;
                }
            }
            Field::Data { subfields, .. } => {
                for s in subfields {
                    if let Some(n) = normalize(&s.value) {
                        s.value = n;
                        changed = true;
                    }
                }
            }
        }
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_tone_before_circumflex_becomes_one_letter() {
        // "Tiếng Việt" written e + acute + circumflex, e + dot below + circumflex.
        let odd = "Tie\u{301}\u{302}ng Vie\u{323}\u{302}t";
        assert_eq!(normalize(odd).as_deref(), Some("Tiếng Việt"));
        // Breve + hook above: ẳ.
        assert_eq!(normalize("a\u{309}\u{306}").as_deref(), Some("ẳ"));
        // Horn + acute in either order: ớ (NFC orders the horn itself).
        assert_eq!(normalize("o\u{301}\u{31b}").as_deref(), Some("ớ"));
    }

    #[test]
    fn decomposed_text_is_composed_and_nfc_text_left_alone() {
        assert_eq!(normalize("Jose\u{301}").as_deref(), Some("José"));
        assert_eq!(normalize("Tiếng Việt"), None);
        assert_eq!(normalize("plain ascii"), None);
        assert_eq!(normalize("東京 Москва"), None);
    }

    #[test]
    fn records_are_normalised_field_by_field() {
        let mut r = Record::new();
        r.push(Field::data(
            crate::Tag(*b"245"),
            '1',
            '0',
            vec![crate::Subfield::new(
                'a',
                "Tie\u{301}\u{302}ng Vie\u{323}\u{302}t",
            )],
        ));
        assert!(normalize_record(&mut r));
        assert_eq!(r.first_subfield("245", 'a'), Some("Tiếng Việt"));
        assert!(!normalize_record(&mut r));
    }

    proptest::proptest! {
        #[test]
        fn normalize_is_idempotent_and_nfc(s in "\\PC{0,40}", marks in proptest::collection::vec(
            proptest::sample::select(vec!['\u{300}', '\u{301}', '\u{302}', '\u{303}', '\u{306}', '\u{309}', '\u{31b}', '\u{323}', 'a', 'e', 'o']), 0..12)) {
            let input: String = s.chars().chain(marks).collect();
            let once = normalize(&input).unwrap_or_else(|| input.clone());
            proptest::prop_assert!(unicode_normalization::is_nfc(&once));
            proptest::prop_assert_eq!(normalize(&once), None);
        }
    }
}
