//! Text analysis: the "forgiving search" part of the index.
//!
//! * [`QuireTokenizer`] splits text into words (runs of letters, digits and the
//!   combining marks attached to them) and turns runs of CJK characters (Han,
//!   Hiragana, Katakana, Hangul) into overlapping bigrams, so Chinese, Japanese
//!   and Korean are searchable without a dictionary.
//! * [`FoldingFilter`] lowercases and folds every token: compatibility
//!   decomposition (NFKD), removal of the diacritics of alphabetic scripts
//!   (Latin incl. Vietnamese stacked marks, Greek, Cyrillic, Hebrew niqqud,
//!   Arabic harakat and tatweel) and the letters that do not decompose
//!   (`đ`→`d`, `ø`→`o`, `ł`→`l`, `æ`→`ae`, `œ`→`oe`, `ß`→`ss`, `þ`→`th` …).
//!   Marks of Indic and other abugida scripts are kept (they are vowels there).
//! * The stemmed analyzer adds tantivy's English stemmer after folding.
//!
//! The same functions are used for indexing and for queries, which is the
//! invariant that makes `tieng viet`, `Tiếng Việt` and `TIẾNG VIỆT` equal.

use std::mem;

use tantivy::tokenizer::{
    Language, RemoveLongFilter, Stemmer, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
    TokenizerManager,
};
use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// Name of the folded, unstemmed analyzer registered on the index.
pub const TEXT_ANALYZER: &str = "quire_text";
/// Name of the folded, English-stemmed analyzer registered on the index.
pub const STEM_ANALYZER: &str = "quire_stem";

/// Longest token (in bytes) that is indexed; longer ones are garbage.
const MAX_TOKEN_BYTES: usize = 120;

/// True for characters that are segmented as CJK bigrams.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF      // Hangul Jamo
        | 0x3040..=0x309F    // Hiragana
        | 0x30A0..=0x30FF    // Katakana
        | 0x3130..=0x318F    // Hangul compatibility Jamo
        | 0x31F0..=0x31FF    // Katakana phonetic extensions
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xAC00..=0xD7AF    // Hangul syllables
        | 0xF900..=0xFAFF    // CJK compatibility ideographs
        | 0xFF66..=0xFF9F    // Halfwidth Katakana
        | 0x20000..=0x2FFFF  // CJK extensions B-F, compatibility supplement
    )
}

/// CJK characters that folding leaves untouched (NFKD would split Hangul
/// syllables into jamo and kana into base + voicing mark).
fn keep_as_is(c: char) -> bool {
    is_cjk(c) && !matches!(c as u32, 0xFF66..=0xFF9F)
}

/// Letters that have no canonical decomposition but that a reader treats as
/// a variant of an ASCII letter.
fn special_letter(c: char) -> Option<&'static str> {
    Some(match c {
        'đ' | 'Đ' | 'ð' | 'Ð' | 'ɖ' | 'Ɖ' => "d",
        'ø' | 'Ø' => "o",
        'ł' | 'Ł' => "l",
        'æ' | 'Æ' => "ae",
        'œ' | 'Œ' => "oe",
        'ß' | 'ẞ' => "ss",
        'þ' | 'Þ' => "th",
        'ı' => "i",
        'ħ' | 'Ħ' => "h",
        'ŧ' | 'Ŧ' => "t",
        'ŋ' | 'Ŋ' => "n",
        'ƒ' => "f",
        'ƀ' | 'Ƀ' => "b",
        'ǥ' | 'Ǥ' => "g",
        'ƶ' | 'Ƶ' => "z",
        'ɨ' => "i",
        'ʉ' => "u",
        'ς' => "σ",
        _ => return None,
    })
}

/// Streaming folder: remembers the last base character so that it can decide
/// whether a following combining mark is a diacritic (stripped) or a vowel
/// sign of an abugida (kept).
#[derive(Default)]
struct Folder {
    /// Whether marks following the current base character are stripped.
    strip_marks: bool,
}

impl Folder {
    fn new() -> Self {
        Folder { strip_marks: true }
    }

    /// Appends the folded form of `c` to `out`.
    fn push(&mut self, c: char, out: &mut String) {
        if c.is_ascii() {
            self.strip_marks = true;
            out.push(c.to_ascii_lowercase());
            return;
        }
        if keep_as_is(c) {
            self.strip_marks = false;
            out.push(c);
            return;
        }
        decompose_compatible(c, |d| {
            if is_combining_mark(d) {
                if !self.strip_marks {
                    out.push(d);
                }
                return;
            }
            // Base characters of alphabetic scripts below U+0800 (Latin,
            // Greek, Cyrillic, Armenian, Hebrew, Arabic, Syriac, Thaana)
            // carry diacritics; others (Indic, Thai, …) carry vowel signs.
            // Decided on the lower-case form that is written out, so that
            // folding the output again decides the same (`Ƛ` U+A7DC lowers
            // to `ƛ` U+019B).
            let written = d.to_lowercase().next().unwrap_or(d);
            self.strip_marks =
                (written as u32) < 0x0800 || matches!(written as u32, 0x1E00..=0x1FFF);
            if d == '\u{0640}' {
                // Arabic tatweel: a stretching glyph, not a letter.
                return;
            }
            match special_letter(d) {
                Some(s) => out.push_str(s),
                // Lower-casing can produce a special letter (Ƀ → ƀ): map it
                // too, so folding is idempotent.
                None => {
                    for l in d.to_lowercase() {
                        match special_letter(l) {
                            Some(s) => out.push_str(s),
                            None => out.push(l),
                        }
                    }
                }
            }
        });
    }
}

/// Folds a whole string: lowercase, diacritics removed, special letters
/// mapped. Punctuation and spaces are kept as they are.
///
/// ```
/// assert_eq!(quire_search::analysis::fold("TIẾNG VIỆT, Đà Nẵng"), "tieng viet, da nang");
/// ```
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut folder = Folder::new();
    for c in text.chars() {
        folder.push(c, &mut out);
    }
    out
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

/// Normalises a whole field value into a comparison key: folded, every run
/// of non-alphanumeric characters replaced by one space, trimmed.
///
/// Used for exact-title matching, "starts with" searches, browse keys and
/// sort keys, so `"Dune : Messiah!"` and `"dune messiah"` are the same key.
pub fn normalize_key(text: &str) -> String {
    let folded = fold(text);
    let mut out = String::with_capacity(folded.len());
    let mut pending_space = false;
    for c in folded.chars() {
        // A mark that does not follow a letter (e.g. after an emoji) has
        // nothing to attach to: drop it.
        if is_combining_mark(c) && (pending_space || out.is_empty()) {
            continue;
        }
        if is_word_char(c) {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push(c);
        } else {
            pending_space = true;
        }
    }
    out
}

/// Tokenizer for all text fields: words and CJK bigrams.
#[derive(Clone, Default)]
pub struct QuireTokenizer;

/// Token stream over a precomputed token list.
pub struct VecTokenStream {
    tokens: std::vec::IntoIter<Token>,
    current: Token,
}

impl TokenStream for VecTokenStream {
    fn advance(&mut self) -> bool {
        match self.tokens.next() {
            Some(t) => {
                self.current = t;
                true
            }
            None => false,
        }
    }

    fn token(&self) -> &Token {
        &self.current
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.current
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum RunKind {
    Word,
    Cjk,
}

/// Splits `text` into tokens (offsets into `text`, consecutive positions).
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    // Units of the current run: (start, end) byte offsets of one base
    // character together with the combining marks that follow it.
    let mut units: Vec<(usize, usize)> = Vec::new();
    let mut kind: Option<RunKind> = None;
    let mut position = 0usize;

    let mut flush =
        |kind: Option<RunKind>, units: &mut Vec<(usize, usize)>, tokens: &mut Vec<Token>| {
            let (Some(k), Some(first), Some(last)) = (kind, units.first(), units.last()) else {
                units.clear();
                return;
            };
            let mut emit = |from: usize, to: usize, tokens: &mut Vec<Token>| {
                tokens.push(Token {
                    offset_from: from,
                    offset_to: to,
                    position,
                    text: text.get(from..to).unwrap_or_default().to_string(),
                    position_length: 1,
                });
                position += 1;
            };
            match k {
                RunKind::Word => emit(first.0, last.1, tokens),
                RunKind::Cjk => {
                    if units.len() == 1 {
                        emit(first.0, first.1, tokens);
                    } else {
                        for pair in units.windows(2) {
                            emit(pair[0].0, pair[1].1, tokens);
                        }
                    }
                }
            }
            units.clear();
        };

    for (i, c) in text.char_indices() {
        let end = i + c.len_utf8();
        if is_combining_mark(c) {
            if let Some(last) = units.last_mut() {
                last.1 = end;
            }
            continue;
        }
        let this = if is_cjk(c) {
            Some(RunKind::Cjk)
        } else if c.is_alphanumeric() {
            Some(RunKind::Word)
        } else {
            None
        };
        if this != kind {
            flush(kind, &mut units, &mut tokens);
            kind = this;
        }
        if this.is_some() {
            units.push((i, end));
        }
    }
    flush(kind, &mut units, &mut tokens);
    tokens
}

impl Tokenizer for QuireTokenizer {
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        VecTokenStream {
            tokens: tokenize(text).into_iter(),
            current: Token::default(),
        }
    }
}

/// Token filter that folds every token (see [`fold`]) and drops the
/// characters that are not letters, digits or kept marks after folding
/// (compatibility decompositions like `½` → `1⁄2`). Tokens that become
/// empty are skipped.
#[derive(Clone, Default)]
pub struct FoldingFilter;

impl TokenFilter for FoldingFilter {
    type Tokenizer<T: Tokenizer> = FoldingFilterWrapper<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> FoldingFilterWrapper<T> {
        FoldingFilterWrapper { inner: tokenizer }
    }
}

/// [`FoldingFilter`] applied to a tokenizer.
#[derive(Clone)]
pub struct FoldingFilterWrapper<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for FoldingFilterWrapper<T> {
    type TokenStream<'a> = FoldingTokenStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        FoldingTokenStream {
            tail: self.inner.token_stream(text),
            buffer: String::new(),
        }
    }
}

/// Stream produced by [`FoldingFilterWrapper`].
pub struct FoldingTokenStream<S> {
    tail: S,
    buffer: String,
}

/// Folds one token's text into `out`.
fn fold_token(text: &str, out: &mut String) {
    out.clear();
    let mut folder = Folder::new();
    let mut tmp = String::new();
    for c in text.chars() {
        tmp.clear();
        folder.push(c, &mut tmp);
        out.extend(tmp.chars().filter(|&d| is_word_char(d)));
    }
}

impl<S: TokenStream> TokenStream for FoldingTokenStream<S> {
    fn advance(&mut self) -> bool {
        while self.tail.advance() {
            let token = self.tail.token_mut();
            if token.text.bytes().all(|b| b.is_ascii_alphanumeric()) {
                token.text.make_ascii_lowercase();
            } else {
                fold_token(&token.text, &mut self.buffer);
                mem::swap(&mut token.text, &mut self.buffer);
            }
            if !token.text.is_empty() {
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// The folded, unstemmed analyzer.
pub fn text_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(QuireTokenizer)
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(FoldingFilter)
        .build()
}

/// The folded analyzer followed by the English stemmer.
pub fn stem_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(QuireTokenizer)
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(FoldingFilter)
        .filter(Stemmer::new(Language::English))
        .build()
}

/// Registers [`TEXT_ANALYZER`] and [`STEM_ANALYZER`] on a tokenizer manager.
pub fn register(manager: &TokenizerManager) {
    manager.register(TEXT_ANALYZER, text_analyzer());
    manager.register(STEM_ANALYZER, stem_analyzer());
}

/// Tokens of `text` with their positions, as indexed in the unstemmed
/// (`stemmed == false`) or stemmed text fields.
pub fn analyze_with_positions(text: &str, stemmed: bool) -> Vec<(usize, String)> {
    let mut analyzer = if stemmed {
        stem_analyzer()
    } else {
        text_analyzer()
    };
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        let t = stream.token();
        out.push((t.position, t.text.clone()));
    }
    out
}

/// Tokens of `text` as indexed in the unstemmed text fields.
pub fn analyze(text: &str) -> Vec<String> {
    analyze_with_positions(text, false)
        .into_iter()
        .map(|(_, t)| t)
        .collect()
}

/// Tokens of `text` as indexed in the stemmed text fields.
pub fn analyze_stemmed(text: &str) -> Vec<String> {
    analyze_with_positions(text, true)
        .into_iter()
        .map(|(_, t)| t)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn folding_is_idempotent_after_case_change_across_scripts() {
        // Found by proptest: a capital beyond U+0800 whose lower case is
        // below it, followed by a variation selector.
        let once = fold("\u{A7DC}\u{E0100}");
        assert_eq!(fold(&once), once);
    }

    #[test]
    fn vietnamese_folds_to_ascii() {
        assert_eq!(analyze("Tiếng Việt"), ["tieng", "viet"]);
        assert_eq!(analyze("TIẾNG VIỆT"), ["tieng", "viet"]);
        assert_eq!(analyze("tieng viet"), ["tieng", "viet"]);
        assert_eq!(analyze("Đường Thư Trữ"), ["duong", "thu", "tru"]);
        assert_eq!(
            analyze("Nguyễn Du: Truyện Kiều"),
            ["nguyen", "du", "truyen", "kieu"]
        );
        // Decomposed input (combining marks typed separately) folds the same.
        let decomposed = "Vie\u{0302}\u{0323}t Nam";
        assert_eq!(analyze(decomposed), ["viet", "nam"]);
        assert_eq!(analyze("ữ ơ ư ă"), ["u", "o", "u", "a"]);
    }

    #[test]
    fn tagalog_spanish_french_german_polish_nordic() {
        assert_eq!(
            analyze("Noli Me Tángere ni Rizal"),
            ["noli", "me", "tangere", "ni", "rizal"]
        );
        assert_eq!(analyze("Niño Año"), ["nino", "ano"]);
        assert_eq!(
            analyze("Œuvres complètes, ça"),
            ["oeuvres", "completes", "ca"]
        );
        assert_eq!(analyze("Straße Größe Übel"), ["strasse", "grosse", "ubel"]);
        assert_eq!(analyze("Łódź Źródło Gdańsk"), ["lodz", "zrodlo", "gdansk"]);
        assert_eq!(
            analyze("Søren Kierkegaard Æsop Þórr"),
            ["soren", "kierkegaard", "aesop", "thorr"]
        );
        assert_eq!(analyze("İstanbul"), ["istanbul"]);
    }

    #[test]
    fn ligatures_and_fullwidth_compatibility_forms() {
        assert_eq!(analyze("ﬁnance"), ["finance"]);
        assert_eq!(analyze("ＡＢＣ１２３"), ["abc123"]);
    }

    #[test]
    fn cjk_bigrams() {
        assert_eq!(analyze("東京大学"), ["東京", "京大", "大学"]);
        assert_eq!(analyze("本"), ["本"]);
        // Mixed scripts split at the boundary.
        assert_eq!(
            analyze("Windows版の使い方"),
            ["windows", "版の", "の使", "使い", "い方"]
        );
        assert_eq!(analyze("한국어 문법"), ["한국", "국어", "문법"]);
        let tokens = tokenize("東京大学");
        let positions: Vec<usize> = tokens.iter().map(|t| t.position).collect();
        assert_eq!(positions, [0, 1, 2]);
    }

    #[test]
    fn arabic_harakat_and_tatweel_are_stripped() {
        // "kitāb" with fatha/kasra/sukun and a tatweel
        assert_eq!(analyze("كِتَاب"), analyze("كتاب"));
        assert_eq!(analyze("كـتـاب"), analyze("كتاب"));
        assert_eq!(analyze("كتاب").len(), 1);
    }

    #[test]
    fn hebrew_cyrillic_greek() {
        assert_eq!(analyze("שָׁלוֹם"), analyze("שלום"));
        // Like ICU folding, й (и + breve) folds to и.
        assert_eq!(analyze("Война и мир"), ["воина", "и", "мир"]);
        assert_eq!(analyze("ЁЛКА"), analyze("елка"));
        assert_eq!(analyze("ΟΔΥΣΣΕΙΑ Ὀδύσσεια"), ["οδυσσεια", "οδυσσεια"]);
        assert_eq!(analyze("Йошкар"), ["иошкар"]);
    }

    #[test]
    fn indic_vowel_signs_are_kept() {
        let t = analyze("किताब");
        assert_eq!(t.len(), 1);
        assert!(t[0].chars().count() > 3, "vowel signs dropped: {t:?}");
    }

    #[test]
    fn stemming() {
        assert_eq!(analyze_stemmed("Libraries running"), ["librari", "run"]);
        assert_eq!(analyze_stemmed("library"), analyze_stemmed("libraries"));
    }

    #[test]
    fn keys() {
        assert_eq!(normalize_key("  Dune : Messiah!  "), "dune messiah");
        assert_eq!(normalize_key("Tiếng Việt -- cơ bản"), "tieng viet co ban");
        assert_eq!(normalize_key("..."), "");
    }

    proptest! {
        #[test]
        fn analysis_never_panics_and_tokens_are_clean(s in any::<String>()) {
            for t in analyze(&s) {
                prop_assert!(!t.is_empty());
                prop_assert!(t.chars().all(is_word_char));
                prop_assert_eq!(fold(&t), t.clone());
            }
            let _ = analyze_stemmed(&s);
        }

        #[test]
        fn folding_is_idempotent(s in "\\PC{0,40}") {
            let once = fold(&s);
            prop_assert_eq!(fold(&once), once.clone());
            let key = normalize_key(&s);
            prop_assert_eq!(normalize_key(&key), key);
        }

        #[test]
        fn tokens_have_valid_offsets(s in any::<String>()) {
            for t in tokenize(&s) {
                prop_assert!(t.offset_from < t.offset_to);
                prop_assert!(s.get(t.offset_from..t.offset_to).is_some());
            }
        }

        #[test]
        fn case_does_not_matter_for_latin(s in "[a-zA-Z\u{00C0}-\u{017F} ]{0,30}") {
            prop_assert_eq!(analyze(&s.to_uppercase()), analyze(&s.to_lowercase()));
        }
    }
}

#[cfg(test)]
mod exhaustive {
    /// Folding is idempotent for every single character (proptest samples;
    /// this checks them all).
    #[test]
    fn folding_every_char_is_idempotent() {
        let mut bad = Vec::new();
        for c in (0u32..=0x10FFFF).filter_map(char::from_u32) {
            let s = c.to_string();
            let once = super::fold(&s);
            if super::fold(&once) != once {
                bad.push(c);
            }
        }
        assert!(
            bad.is_empty(),
            "fold is not idempotent for {} chars, e.g. {:?}",
            bad.len(),
            &bad[..bad.len().min(20)]
        );
    }
}
