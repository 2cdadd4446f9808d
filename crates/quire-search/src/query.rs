//! The structured query AST that the OPAC, SRU/CQL and Z39.50 adapters
//! build, and the parser for the OPAC search box.

use serde::{Deserialize, Serialize};

use crate::ident::{looks_like_isbn, looks_like_issn};

/// A searchable index ("access point").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Field {
    /// Keyword anywhere: titles, names, subjects, series, publisher, notes,
    /// call numbers; identifiers and years when the text looks like one.
    Any,
    /// Title, subtitle and other titles.
    Title,
    /// Personal, corporate and meeting names.
    Author,
    /// Subject headings.
    Subject,
    /// Series titles.
    Series,
    /// Publisher names.
    Publisher,
    /// ISBN, matched in 10 or 13 form, hyphens ignored.
    Isbn,
    /// ISSN, hyphen ignored.
    Issn,
    /// LCCN, normalised.
    Lccn,
    /// Call number (words; `StartsWith` on the whole call number).
    CallNumber,
    /// MARC 001.
    ControlNumber,
    /// Year of publication (the text must be a number).
    Year,
    /// MARC language code.
    Language,
    /// Format facet value.
    Format,
    /// Branch code holding an item.
    Branch,
}

impl Field {
    /// Parses the English field names of the search box syntax
    /// (`title:`, `author:` …), case-insensitively.
    pub fn from_name(name: &str) -> Option<Field> {
        Some(match name.to_ascii_lowercase().as_str() {
            "any" | "keyword" | "kw" => Field::Any,
            "title" | "ti" => Field::Title,
            "author" | "au" | "name" | "creator" => Field::Author,
            "subject" | "su" => Field::Subject,
            "series" | "se" => Field::Series,
            "publisher" | "pb" => Field::Publisher,
            "isbn" => Field::Isbn,
            "issn" => Field::Issn,
            "lccn" => Field::Lccn,
            "callnumber" | "call" | "cn" => Field::CallNumber,
            "control" | "controlnumber" | "id" => Field::ControlNumber,
            "year" | "date" | "yr" => Field::Year,
            "language" | "lang" | "la" => Field::Language,
            "format" | "type" => Field::Format,
            "branch" | "library" => Field::Branch,
            _ => return None,
        })
    }
}

/// How the text of a [`Query::Term`] is matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum MatchMode {
    /// Every word must occur in the field, in any order (stemmed forms too).
    #[default]
    Words,
    /// The words must occur adjacent and in order.
    Phrase,
    /// The whole field value equals the text (after folding and punctuation
    /// normalisation). Fields without a whole-value key fall back to `Phrase`.
    Exact,
    /// Word truncation: the words in order, the last one a prefix
    /// (`"comput"` matches *computer*, *computing*).
    Prefix,
    /// The whole field value starts with the text (Z39.50 "first in field"
    /// plus right truncation; title/author/subject/series/call number).
    /// Falls back to `Prefix` on fields without a whole-value key.
    StartsWith,
}

/// A query over the index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Query {
    /// Text matched in one field.
    Term {
        /// The index searched.
        field: Field,
        /// The user's text (not yet analysed).
        text: String,
        /// How it is matched.
        mode: MatchMode,
    },
    /// Publication year in an inclusive range (`None` = unbounded); for
    /// Z39.50 relations `<`, `<=`, `>`, `>=` and CQL `within`.
    YearRange {
        /// Lowest year, inclusive.
        from: Option<i32>,
        /// Highest year, inclusive.
        to: Option<i32>,
    },
    /// All sub-queries match. An empty `And` matches everything.
    And(Vec<Query>),
    /// At least one sub-query matches. An empty `Or` matches nothing.
    Or(Vec<Query>),
    /// The first query matches and the second does not (AND-NOT).
    Not(Box<Query>, Box<Query>),
    /// Every record.
    All,
}

impl Query {
    /// Shorthand for a [`Query::Term`].
    pub fn term(field: Field, text: impl Into<String>, mode: MatchMode) -> Query {
        Query::Term {
            field,
            text: text.into(),
            mode,
        }
    }

    /// Parses the text of the OPAC search box.
    ///
    /// * Words are ANDed; `"quoted text"` is a phrase.
    /// * `field:term` / `field:"a phrase"` / `field: term` for the English
    ///   field names of [`Field::from_name`]; an unknown `name:` is treated
    ///   as ordinary words (so titles like `Dune: Messiah` work).
    /// * `-word` or `-"phrase"` excludes.
    /// * A word that looks like an ISBN or ISSN is also searched as that
    ///   identifier (the keyword search handles this for [`Field::Any`]).
    /// * Blank input gives [`Query::All`].
    ///
    /// Never fails and never panics: any text gives some query.
    pub fn parse_simple(input: &str) -> Query {
        let mut include = Vec::new();
        let mut exclude = Vec::new();
        let tokens = lex(input);
        let mut i = 0;
        while i < tokens.len() {
            let tok = &tokens[i];
            i += 1;
            let (field, text, quoted) = match &tok.field {
                Some(name) => match Field::from_name(name) {
                    Some(field) => {
                        if tok.text.is_empty() && !tok.quoted {
                            // `title: dune` – the term is the next token.
                            match tokens.get(i) {
                                Some(next) if next.field.is_none() && !next.negated => {
                                    i += 1;
                                    (field, next.text.clone(), next.quoted)
                                }
                                _ => continue,
                            }
                        } else {
                            (field, tok.text.clone(), tok.quoted)
                        }
                    }
                    None => (
                        Field::Any,
                        format!("{name} {}", tok.text).trim().to_string(),
                        tok.quoted,
                    ),
                },
                None => (Field::Any, tok.text.clone(), tok.quoted),
            };
            // Pure punctuation (`:`, `/`, `=`, `؟` of transcribed titles)
            // carries nothing searchable; dropping it keeps the AND
            // satisfiable.
            if !text.chars().any(char::is_alphanumeric) {
                continue;
            }
            let mode = match (quoted, field) {
                (true, _) => MatchMode::Phrase,
                (false, Field::Isbn | Field::Issn | Field::Lccn | Field::ControlNumber) => {
                    MatchMode::Exact
                }
                _ => MatchMode::Words,
            };
            let q = if field == Field::Any && !quoted && looks_like_isbn(&text) {
                Query::Or(vec![
                    Query::term(Field::Any, text.clone(), MatchMode::Words),
                    Query::term(Field::Isbn, text, MatchMode::Exact),
                ])
            } else if field == Field::Any && !quoted && looks_like_issn(&text) {
                Query::Or(vec![
                    Query::term(Field::Any, text.clone(), MatchMode::Words),
                    Query::term(Field::Issn, text, MatchMode::Exact),
                ])
            } else {
                Query::term(field, text, mode)
            };
            if tok.negated {
                exclude.push(q);
            } else {
                include.push(q);
            }
        }
        let positive = match include.len() {
            0 => Query::All,
            1 => include.pop().unwrap_or(Query::All),
            _ => Query::And(include),
        };
        match exclude.len() {
            0 => positive,
            1 => Query::Not(
                Box::new(positive),
                Box::new(exclude.pop().unwrap_or(Query::All)),
            ),
            _ => Query::Not(Box::new(positive), Box::new(Query::Or(exclude))),
        }
    }
}

#[derive(Debug)]
struct Lexeme {
    field: Option<String>,
    text: String,
    quoted: bool,
    negated: bool,
}

/// Splits search-box text into lexemes: words, quoted phrases, `name:`
/// prefixes and `-` negations. Unbalanced quotes run to the end.
fn lex(input: &str) -> Vec<Lexeme> {
    let chars: Vec<char> = input.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let mut negated = false;
        if chars[i] == '-'
            && chars
                .get(i + 1)
                .is_some_and(|c| !c.is_whitespace() && *c != '-')
        {
            negated = true;
            i += 1;
        }
        // Optional `name:` prefix (ASCII letters only).
        let mut field = None;
        let start = i;
        let mut j = i;
        while j < chars.len() && chars[j].is_ascii_alphabetic() {
            j += 1;
        }
        if j > start && chars.get(j) == Some(&':') {
            field = Some(chars[start..j].iter().collect::<String>());
            i = j + 1;
        }
        let (text, quoted) = if chars.get(i) == Some(&'"') {
            let mut k = i + 1;
            let mut s = String::new();
            while k < chars.len() && chars[k] != '"' {
                s.push(chars[k]);
                k += 1;
            }
            i = k + 1;
            (s, true)
        } else {
            let mut s = String::new();
            while i < chars.len() && !chars[i].is_whitespace() {
                s.push(chars[i]);
                i += 1;
            }
            (s, false)
        };
        out.push(Lexeme {
            field,
            text,
            quoted,
            negated,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn t(field: Field, text: &str, mode: MatchMode) -> Query {
        Query::term(field, text, mode)
    }

    #[test]
    fn words_are_anded_and_phrases_kept() {
        assert_eq!(
            Query::parse_simple(r#"dune "frank herbert""#),
            Query::And(vec![
                t(Field::Any, "dune", MatchMode::Words),
                t(Field::Any, "frank herbert", MatchMode::Phrase),
            ])
        );
        assert_eq!(Query::parse_simple("   "), Query::All);
        assert_eq!(
            Query::parse_simple("rizal"),
            t(Field::Any, "rizal", MatchMode::Words)
        );
    }

    #[test]
    fn field_syntax() {
        assert_eq!(
            Query::parse_simple(
                r#"title:dune author: herbert subject:"science fiction" isbn:0-306-40615-2"#
            ),
            Query::And(vec![
                t(Field::Title, "dune", MatchMode::Words),
                t(Field::Author, "herbert", MatchMode::Words),
                t(Field::Subject, "science fiction", MatchMode::Phrase),
                t(Field::Isbn, "0-306-40615-2", MatchMode::Exact),
            ])
        );
        assert_eq!(
            Query::parse_simple("callnumber:QA76 series:penguin publisher:Anvil"),
            Query::And(vec![
                t(Field::CallNumber, "QA76", MatchMode::Words),
                t(Field::Series, "penguin", MatchMode::Words),
                t(Field::Publisher, "Anvil", MatchMode::Words),
            ])
        );
    }

    #[test]
    fn unknown_prefix_is_plain_text() {
        assert_eq!(
            Query::parse_simple("Dune: Messiah"),
            Query::And(vec![
                t(Field::Any, "Dune", MatchMode::Words),
                t(Field::Any, "Messiah", MatchMode::Words),
            ])
        );
    }

    #[test]
    fn identifiers_are_detected() {
        assert_eq!(
            Query::parse_simple("978-0-306-40615-7"),
            Query::Or(vec![
                t(Field::Any, "978-0-306-40615-7", MatchMode::Words),
                t(Field::Isbn, "978-0-306-40615-7", MatchMode::Exact),
            ])
        );
        assert_eq!(
            Query::parse_simple("0378-5955"),
            Query::Or(vec![
                t(Field::Any, "0378-5955", MatchMode::Words),
                t(Field::Issn, "0378-5955", MatchMode::Exact),
            ])
        );
    }

    #[test]
    fn negation() {
        assert_eq!(
            Query::parse_simple("dune -messiah"),
            Query::Not(
                Box::new(t(Field::Any, "dune", MatchMode::Words)),
                Box::new(t(Field::Any, "messiah", MatchMode::Words)),
            )
        );
        // A lone hyphen is not a negation, and punctuation is dropped.
        assert_eq!(Query::parse_simple("-"), Query::All);
        assert_eq!(
            Query::parse_simple("Dune : messiah / ="),
            Query::And(vec![
                t(Field::Any, "Dune", MatchMode::Words),
                t(Field::Any, "messiah", MatchMode::Words),
            ])
        );
    }

    #[test]
    fn unbalanced_quote_runs_to_end() {
        assert_eq!(
            Query::parse_simple(r#""noli me"#),
            t(Field::Any, "noli me", MatchMode::Phrase)
        );
    }

    proptest! {
        #[test]
        fn parse_simple_never_panics(s in any::<String>()) {
            let _ = Query::parse_simple(&s);
        }

        #[test]
        fn parse_simple_never_panics_on_syntax_soup(s in r#"[a-z:"\- ]{0,40}"#) {
            let _ = Query::parse_simple(&s);
        }

        #[test]
        fn plain_words_become_and_of_words(words in proptest::collection::vec("[a-z]{1,8}", 2..6)) {
            let text = words.join(" ");
            let q = Query::parse_simple(&text);
            // Words that happen to be field names followed by ':' cannot
            // occur here (no colon), so every word is a keyword term.
            let expected = Query::And(words.iter().map(|w| t(Field::Any, w, MatchMode::Words)).collect());
            prop_assert_eq!(q, expected);
        }
    }
}
