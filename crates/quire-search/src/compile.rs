//! Compilation of the [`Query`] AST into tantivy queries, with the field
//! weights and exact-title boosts that make relevance acceptable to a
//! librarian.

use std::ops::Bound;

use tantivy::Term;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, EmptyQuery, Occur,
    PhrasePrefixQuery, PhraseQuery, Query as TQuery, RangeQuery, TermQuery,
};
use tantivy::schema::{Field as TField, IndexRecordOption};

use crate::analysis::analyze_with_positions;
use crate::error::{Error, Result};
use crate::ident::{
    compact_identifier, isbn_query_forms, looks_like_isbn, looks_like_issn, looks_like_lccn,
    normalize_lccn,
};
use crate::query::{Field, MatchMode, Query};
use crate::schema::{Fields, code, key};

/// Deepest nesting of `And`/`Or`/`Not` accepted.
pub const MAX_QUERY_DEPTH: usize = 64;

/// Score of a record whose whole title equals the query.
const EXACT_TITLE_SCORE: f32 = 40.0;
/// Score of a record whose title starts with the query.
const TITLE_STARTS_SCORE: f32 = 12.0;
/// Score of a record whose title contains the query words as a phrase.
const TITLE_PHRASE_SCORE: f32 = 6.0;
/// Score of a record whose author heading starts with the query.
const AUTHOR_STARTS_SCORE: f32 = 4.0;
/// Tie breaker of the per-word disjunction over fields.
const TIE_BREAKER: f32 = 0.1;

/// One text field of a group: (field, boost, stemmed analyzer?).
type Weighted = (TField, f32, bool);

struct Group {
    fields: Vec<Weighted>,
    key: Option<TField>,
}

fn boxed(q: impl TQuery) -> Box<dyn TQuery> {
    Box::new(q)
}

fn empty() -> Box<dyn TQuery> {
    boxed(EmptyQuery)
}

fn str_term(field: TField, text: &str) -> Box<dyn TQuery> {
    boxed(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::Basic,
    ))
}

fn any_of(queries: Vec<Box<dyn TQuery>>) -> Box<dyn TQuery> {
    match queries.len() {
        0 => empty(),
        1 => queries.into_iter().next().unwrap_or_else(empty),
        _ => boxed(BooleanQuery::new(
            queries.into_iter().map(|q| (Occur::Should, q)).collect(),
        )),
    }
}

/// Terms starting with `prefix` in a raw (untokenized) field.
pub(crate) fn raw_prefix(field: TField, prefix: &str) -> Box<dyn TQuery> {
    if prefix.is_empty() {
        return empty();
    }
    let upper = format!("{prefix}\u{10FFFF}");
    boxed(RangeQuery::new(
        Bound::Included(Term::from_field_text(field, prefix)),
        Bound::Excluded(Term::from_field_text(field, &upper)),
    ))
}

fn year_term(field: TField, text: &str) -> Box<dyn TQuery> {
    match text.trim().parse::<i64>() {
        Ok(y) => boxed(TermQuery::new(
            Term::from_field_i64(field, y),
            IndexRecordOption::Basic,
        )),
        Err(_) => empty(),
    }
}

/// Query matching `tokens` (with positions) in `field`: a term for one
/// token, a phrase for several.
fn tokens_query(field: TField, tokens: &[(usize, String)]) -> Option<Box<dyn TQuery>> {
    match tokens {
        [] => None,
        [(_, t)] => Some(boxed(TermQuery::new(
            Term::from_field_text(field, t),
            IndexRecordOption::WithFreqs,
        ))),
        _ => {
            let base = tokens[0].0;
            let terms = tokens
                .iter()
                .map(|(p, t)| (p.saturating_sub(base), Term::from_field_text(field, t)))
                .collect();
            Some(boxed(PhraseQuery::new_with_offset(terms)))
        }
    }
}

pub(crate) struct Compiler<'a> {
    pub f: &'a Fields,
}

impl Compiler<'_> {
    fn group(&self, field: Field) -> Group {
        let f = self.f;
        match field {
            Field::Any => Group {
                fields: vec![
                    (f.title, 3.0, false),
                    (f.title_stem, 1.5, true),
                    (f.subtitle, 1.5, false),
                    (f.other_title, 1.2, false),
                    (f.author, 2.5, false),
                    (f.subject, 1.5, false),
                    (f.subject_stem, 1.0, true),
                    (f.series, 1.0, false),
                    (f.publisher, 0.5, false),
                    (f.place, 0.3, false),
                    (f.notes, 0.5, false),
                    (f.notes_stem, 0.3, true),
                    (f.callnumber, 0.5, false),
                ],
                key: None,
            },
            Field::Title => Group {
                fields: vec![
                    (f.title, 3.0, false),
                    (f.title_stem, 1.5, true),
                    (f.subtitle, 1.5, false),
                    (f.other_title, 1.2, false),
                ],
                key: Some(f.title_key),
            },
            Field::Author => Group {
                fields: vec![(f.author, 1.0, false)],
                key: Some(f.author_key),
            },
            Field::Subject => Group {
                fields: vec![(f.subject, 1.0, false), (f.subject_stem, 0.6, true)],
                key: Some(f.subject_key),
            },
            Field::Series => Group {
                fields: vec![(f.series, 1.0, false)],
                key: Some(f.series_key),
            },
            Field::Publisher => Group {
                fields: vec![(f.publisher, 1.0, false)],
                key: None,
            },
            Field::CallNumber => Group {
                fields: vec![(f.callnumber, 1.0, false)],
                key: Some(f.callnumber_key),
            },
            // Identifier and code fields are handled separately.
            _ => Group {
                fields: Vec::new(),
                key: None,
            },
        }
    }

    /// Compiles `q`. Suppression and filters are added by the caller.
    pub fn compile(&self, q: &Query) -> Result<Box<dyn TQuery>> {
        self.compile_at(q, 0)
    }

    fn compile_at(&self, q: &Query, depth: usize) -> Result<Box<dyn TQuery>> {
        if depth > MAX_QUERY_DEPTH {
            return Err(Error::QueryTooDeep {
                max: MAX_QUERY_DEPTH,
            });
        }
        Ok(match q {
            Query::All => boxed(AllQuery),
            Query::Term { field, text, mode } => self.term(*field, text, *mode),
            Query::YearRange { from, to } => {
                let bound = |y: &Option<i32>| match y {
                    Some(y) => Bound::Included(Term::from_field_i64(self.f.year, i64::from(*y))),
                    None => Bound::Unbounded,
                };
                if from.is_none() && to.is_none() {
                    boxed(tantivy::query::ExistsQuery::new("year".to_string(), false))
                } else {
                    boxed(RangeQuery::new(bound(from), bound(to)))
                }
            }
            Query::And(qs) => {
                if qs.is_empty() {
                    boxed(AllQuery)
                } else {
                    let mut clauses = Vec::with_capacity(qs.len());
                    for sub in qs {
                        clauses.push((Occur::Must, self.compile_at(sub, depth + 1)?));
                    }
                    boxed(BooleanQuery::new(clauses))
                }
            }
            Query::Or(qs) => {
                let mut clauses = Vec::with_capacity(qs.len());
                for sub in qs {
                    clauses.push(self.compile_at(sub, depth + 1)?);
                }
                any_of(clauses)
            }
            Query::Not(a, b) => boxed(BooleanQuery::new(vec![
                (Occur::Must, self.compile_at(a, depth + 1)?),
                (Occur::MustNot, self.compile_at(b, depth + 1)?),
            ])),
        })
    }

    fn term(&self, field: Field, text: &str, mode: MatchMode) -> Box<dyn TQuery> {
        let f = self.f;
        let prefix_mode = matches!(mode, MatchMode::Prefix | MatchMode::StartsWith);
        match field {
            Field::Isbn => {
                if prefix_mode {
                    raw_prefix(f.isbn, &compact_identifier(text))
                } else {
                    any_of(
                        isbn_query_forms(text)
                            .iter()
                            .map(|i| str_term(f.isbn, i))
                            .collect(),
                    )
                }
            }
            Field::Issn => self.raw(f.issn, &compact_identifier(text), prefix_mode),
            Field::Lccn => self.raw(f.lccn, &normalize_lccn(text), prefix_mode),
            Field::ControlNumber => self.raw(f.control, text.trim(), prefix_mode),
            Field::Year => year_term(f.year, text),
            Field::Language => self.raw(f.language, &code(text), prefix_mode),
            Field::Format => self.raw(f.format, &code(text), prefix_mode),
            Field::Branch => self.raw(f.branch, &code(text), prefix_mode),
            Field::Any
            | Field::Title
            | Field::Author
            | Field::Subject
            | Field::Series
            | Field::Publisher
            | Field::CallNumber => self.text(field, text, mode),
        }
    }

    fn raw(&self, field: TField, value: &str, prefix: bool) -> Box<dyn TQuery> {
        if value.is_empty() {
            empty()
        } else if prefix {
            raw_prefix(field, value)
        } else {
            str_term(field, value)
        }
    }

    /// Disjunction over the fields of a group of the phrase (or term) that
    /// `text` analyses to in each of them.
    fn phrase_over(&self, fields: &[Weighted], text: &str) -> Option<Box<dyn TQuery>> {
        let plain = analyze_with_positions(text, false);
        let stems = if fields.iter().any(|w| w.2) {
            analyze_with_positions(text, true)
        } else {
            Vec::new()
        };
        let mut disjuncts = Vec::new();
        for &(field, boost, stemmed) in fields {
            let tokens = if stemmed { &stems } else { &plain };
            if let Some(q) = tokens_query(field, tokens) {
                disjuncts.push(boxed(BoostQuery::new(q, boost)));
            }
        }
        match disjuncts.len() {
            0 => None,
            1 => disjuncts.pop(),
            _ => Some(boxed(DisjunctionMaxQuery::with_tie_breaker(
                disjuncts,
                TIE_BREAKER,
            ))),
        }
    }

    /// Identifier and year lookups for one whitespace-separated chunk of a
    /// keyword search.
    fn identifier_disjuncts(&self, chunk: &str) -> Vec<Box<dyn TQuery>> {
        let f = self.f;
        let mut out = Vec::new();
        if looks_like_isbn(chunk) {
            for form in isbn_query_forms(chunk) {
                out.push(str_term(f.isbn, &form));
            }
        }
        if looks_like_issn(chunk) {
            out.push(str_term(f.issn, &compact_identifier(chunk)));
        }
        if looks_like_lccn(chunk) {
            out.push(str_term(f.lccn, &normalize_lccn(chunk)));
        }
        let trimmed = chunk.trim();
        if trimmed.chars().any(char::is_alphanumeric) && trimmed.len() <= 64 {
            out.push(str_term(f.control, trimmed));
            let k = key(trimmed);
            if !k.is_empty() {
                out.push(str_term(f.other_id, &k));
            }
        }
        if trimmed.len() == 4
            && trimmed.bytes().all(|b| b.is_ascii_digit())
            && let Ok(y) = trimmed.parse::<i64>()
        {
            out.push(boxed(TermQuery::new(
                Term::from_field_i64(f.year, y),
                IndexRecordOption::Basic,
            )));
        }
        out.into_iter()
            .map(|q| boxed(ConstScoreQuery::new(q, 5.0)))
            .collect()
    }

    fn text(&self, field: Field, text: &str, mode: MatchMode) -> Box<dyn TQuery> {
        let group = self.group(field);
        let main: Box<dyn TQuery> = match mode {
            MatchMode::Words => {
                let mut clauses = Vec::new();
                for chunk in text.split_whitespace() {
                    let mut disjuncts = Vec::new();
                    if let Some(q) = self.phrase_over(&group.fields, chunk) {
                        disjuncts.push(q);
                    }
                    if field == Field::Any && chunk.chars().any(char::is_alphanumeric) {
                        disjuncts.extend(self.identifier_disjuncts(chunk));
                    }
                    match disjuncts.len() {
                        0 => {} // punctuation only: ignore
                        1 => clauses.extend(disjuncts.pop().map(|q| (Occur::Must, q))),
                        _ => clauses.push((Occur::Must, any_of(disjuncts))),
                    }
                }
                if clauses.is_empty() {
                    return empty();
                }
                boxed(BooleanQuery::new(clauses))
            }
            MatchMode::Phrase => match self.phrase_over(&group.fields, text) {
                Some(q) => q,
                None => return empty(),
            },
            MatchMode::Exact => match group.key {
                Some(k) => {
                    let value = key(text);
                    if value.is_empty() {
                        return empty();
                    }
                    str_term(k, &value)
                }
                None => match self.phrase_over(&group.fields, text) {
                    Some(q) => q,
                    None => return empty(),
                },
            },
            MatchMode::StartsWith if group.key.is_some() => match group.key {
                Some(k) => raw_prefix(k, &key(text)),
                None => empty(),
            },
            MatchMode::Prefix | MatchMode::StartsWith => {
                let tokens = analyze_with_positions(text, false);
                if tokens.is_empty() {
                    return empty();
                }
                let mut disjuncts = Vec::new();
                for &(f, boost, stemmed) in &group.fields {
                    if stemmed {
                        continue;
                    }
                    let base = tokens[0].0;
                    let terms = tokens
                        .iter()
                        .map(|(p, t)| (p.saturating_sub(base), Term::from_field_text(f, t)))
                        .collect();
                    let mut q = PhrasePrefixQuery::new_with_offset(terms);
                    q.set_max_expansions(200);
                    disjuncts.push(boxed(BoostQuery::new(boxed(q), boost)));
                }
                match disjuncts.len() {
                    0 => return empty(),
                    _ => boxed(DisjunctionMaxQuery::with_tie_breaker(
                        disjuncts,
                        TIE_BREAKER,
                    )),
                }
            }
        };
        if matches!(field, Field::Any | Field::Title)
            && matches!(mode, MatchMode::Words | MatchMode::Phrase)
        {
            self.with_title_boosts(main, text)
        } else {
            main
        }
    }

    /// Adds the optional "exact title", "title starts with", "title
    /// phrase" and "author starts with" clauses that rank known-item
    /// matches first.
    fn with_title_boosts(&self, main: Box<dyn TQuery>, text: &str) -> Box<dyn TQuery> {
        let f = self.f;
        let k = key(text);
        if k.is_empty() {
            return main;
        }
        let mut clauses = vec![(Occur::Must, main)];
        clauses.push((
            Occur::Should,
            boxed(ConstScoreQuery::new(
                str_term(f.title_key, &k),
                EXACT_TITLE_SCORE,
            )),
        ));
        clauses.push((
            Occur::Should,
            boxed(ConstScoreQuery::new(
                raw_prefix(f.title_key, &format!("{k} ")),
                TITLE_STARTS_SCORE,
            )),
        ));
        let tokens = analyze_with_positions(text, false);
        if tokens.len() > 1
            && let Some(q) = tokens_query(f.title, &tokens)
        {
            clauses.push((
                Occur::Should,
                boxed(ConstScoreQuery::new(q, TITLE_PHRASE_SCORE)),
            ));
        }
        clauses.push((
            Occur::Should,
            boxed(ConstScoreQuery::new(
                any_of(vec![
                    str_term(f.author_key, &k),
                    raw_prefix(f.author_key, &format!("{k} ")),
                ]),
                AUTHOR_STARTS_SCORE,
            )),
        ));
        boxed(BooleanQuery::new(clauses))
    }
}
