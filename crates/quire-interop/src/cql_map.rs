//! CQL (quire-cql AST) → Quire search query, with SRU diagnostics for what
//! cannot be mapped.
//!
//! | CQL index | Quire field |
//! |---|---|
//! | `cql.serverChoice`, `cql.anywhere`, `cql.keywords`, `cql.allIndexes` | `Any` |
//! | `cql.allRecords` | every record |
//! | `dc.title`, `bath.keyTitle`, `bath.uniformTitle` | `Title` |
//! | `dc.creator`, `dc.contributor`, `bath.name`, `bath.personalName`, `bath.corporateName`, `bath.conferenceName` | `Author` |
//! | `dc.subject`, `bath.topicalSubject`, `bath.geographicName` | `Subject` |
//! | `dc.publisher` | `Publisher` |
//! | `dc.date` | `Year` (`=`, `==`, `<`, `<=`, `>`, `>=`, `within "a b"`) |
//! | `dc.language` | `Language` |
//! | `dc.type`, `dc.format` | `Format` |
//! | `dc.identifier`, `bath.standardIdentifier` | ISBN, ISSN, LCCN or 001 |
//! | `bath.isbn` / `bath.issn` / `bath.lccn` | `Isbn` / `Issn` / `Lccn` |
//! | `rec.id` | `ControlNumber` (MARC 001) |
//! | `bath.possessingInstitution` | `Branch` |
//!
//! Relations: `=` words (identifiers: exact), `==` exact, `adj` phrase,
//! `all` every word, `any` some word; a trailing `*` truncates (prefix).
//! Other masking → 28, unknown relation → 19, ordering on a non-date index
//! → 22, `prox` → 39, boolean modifiers → 46, unknown relation modifiers →
//! 20, empty terms → 27, unknown context sets → 15, unknown indexes → 16.

use quire_cql::{BooleanOp, Comparitor, Diagnostic, Node, SearchClause, Symbol, TermPiece};
use quire_search::{Field, MatchMode, Query, SortOrder};

/// A mapped CQL query.
#[derive(Debug, Clone, PartialEq)]
pub struct Mapped {
    /// The search.
    pub query: Query,
    /// The order from `sortBy` (relevance when absent).
    pub sort: SortOrder,
}

const CQL: &str = "info:srw/cql-context-set/1/cql-v1.2";
const DC: &str = "info:srw/cql-context-set/1/dc-v1.1";
const BATH: &str = "http://zing.z3950.org/cql/bath/2.0/";
const REC: &str = "info:srw/cql-context-set/2/rec-1.1";

/// What one CQL index searches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Field(Field),
    Identifier,
    AllRecords,
}

/// The indexes Quire answers, `(prefix.name, title)`: listed in explain.
pub const INDEXES: &[(&str, &str)] = &[
    ("cql.serverChoice", "keyword anywhere"),
    ("cql.anywhere", "keyword anywhere"),
    ("cql.allRecords", "every record"),
    ("dc.title", "title"),
    ("dc.creator", "author"),
    ("dc.contributor", "author"),
    ("dc.subject", "subject"),
    ("dc.publisher", "publisher"),
    ("dc.date", "year of publication"),
    ("dc.language", "language code"),
    ("dc.type", "format"),
    ("dc.identifier", "ISBN, ISSN, LCCN or control number"),
    ("bath.isbn", "ISBN"),
    ("bath.issn", "ISSN"),
    ("bath.lccn", "LCCN"),
    ("bath.name", "name"),
    ("bath.keyTitle", "title"),
    ("bath.topicalSubject", "subject"),
    ("bath.possessingInstitution", "branch code"),
    ("rec.id", "control number (001)"),
];

fn target(set: &str, name: &str) -> Option<Target> {
    let n = name.to_ascii_lowercase();
    Some(match (set, n.as_str()) {
        (CQL, "serverchoice" | "anywhere" | "keywords" | "allindexes" | "anyindexes") => {
            Target::Field(Field::Any)
        }
        (CQL, "allrecords") => Target::AllRecords,
        (DC, "title") => Target::Field(Field::Title),
        (DC, "creator" | "contributor") => Target::Field(Field::Author),
        (DC, "subject") => Target::Field(Field::Subject),
        (DC, "publisher") => Target::Field(Field::Publisher),
        (DC, "date") => Target::Field(Field::Year),
        (DC, "language") => Target::Field(Field::Language),
        (DC, "type" | "format") => Target::Field(Field::Format),
        (DC, "identifier") => Target::Identifier,
        (BATH, "isbn") => Target::Field(Field::Isbn),
        (BATH, "issn") => Target::Field(Field::Issn),
        (BATH, "lccn") => Target::Field(Field::Lccn),
        (BATH, "standardidentifier") => Target::Identifier,
        (BATH, "keytitle" | "uniformtitle") => Target::Field(Field::Title),
        (BATH, "name" | "personalname" | "corporatename" | "conferencename") => {
            Target::Field(Field::Author)
        }
        (BATH, "topicalsubject" | "geographicname") => Target::Field(Field::Subject),
        (BATH, "possessinginstitution") => Target::Field(Field::Branch),
        (REC, "id") => Target::Field(Field::ControlNumber),
        _ => return None,
    })
}

/// Resolves a clause's index to a target, or the diagnostic (15 for an
/// unknown prefix, 16 for an unknown index).
fn resolve(clause: &SearchClause, set: Option<&str>) -> Result<Target, Diagnostic> {
    if clause.is_server_choice() {
        return Ok(Target::Field(Field::Any));
    }
    let Some(prefix) = clause.index_prefix() else {
        // Unprefixed index: no default context set is declared.
        return Err(Diagnostic::unsupported_index(clause.index.clone()));
    };
    let Some(set) = set else {
        return Err(Diagnostic::unsupported_context_set(prefix.to_string()));
    };
    target(set, clause.index_name())
        .ok_or_else(|| Diagnostic::unsupported_index(clause.index.clone()))
}

/// Maps a parsed CQL query onto a search query.
pub fn map_cql(q: &quire_cql::Query) -> Result<Mapped, Diagnostic> {
    let scope: Vec<&quire_cql::PrefixAssignment> = q.prefixes.iter().collect();
    let query = map_node(&q.root, &scope)?;
    let sort = match q.sort_keys.as_slice() {
        [] => SortOrder::Relevance,
        [k] => {
            let name = k.index.to_ascii_lowercase();
            match name.as_str() {
                "dc.title" => SortOrder::Title,
                "dc.creator" => SortOrder::Author,
                "dc.date" if k.is_descending() => SortOrder::DateNewest,
                "dc.date" => SortOrder::DateOldest,
                _ => return Err(Diagnostic::sort_not_supported()),
            }
        }
        _ => return Err(Diagnostic::new(84, Some("one sort key".to_string()))),
    };
    Ok(Mapped { query, sort })
}

fn resolve_prefix<'a>(
    scope: &[&'a quire_cql::PrefixAssignment],
    prefix: Option<&str>,
) -> Option<&'a str> {
    for a in scope.iter().rev() {
        match (&a.prefix, prefix) {
            (Some(p), Some(q)) if p.eq_ignore_ascii_case(q) => return Some(&a.uri),
            (None, None) => return Some(&a.uri),
            _ => {}
        }
    }
    prefix.and_then(quire_cql::standard_context_set)
}

fn map_node<'a>(
    node: &'a Node,
    scope: &[&'a quire_cql::PrefixAssignment],
) -> Result<Query, Diagnostic> {
    match node {
        Node::Clause(c) => {
            let set = resolve_prefix(scope, c.index_prefix());
            map_clause(c, set)
        }
        Node::Prefixed { prefixes, query } => {
            let mut inner = scope.to_vec();
            inner.extend(prefixes.iter());
            map_node(query, &inner)
        }
        Node::Boolean {
            op,
            modifiers,
            left,
            right,
        } => {
            if *op == BooleanOp::Prox {
                return Err(Diagnostic::proximity_not_supported());
            }
            if let Some(m) = modifiers.first() {
                return Err(Diagnostic::unsupported_boolean_modifier(m.name.clone()));
            }
            let l = map_node(left, scope)?;
            let r = map_node(right, scope)?;
            Ok(match op {
                BooleanOp::And => Query::And(vec![l, r]),
                BooleanOp::Or => Query::Or(vec![l, r]),
                _ => Query::Not(Box::new(l), Box::new(r)),
            })
        }
    }
}

/// Relation modifiers that change nothing for Quire (its matching already
/// ignores case and accents, and stems beside exact forms).
const HARMLESS_MODIFIERS: &[&str] = &[
    "stem",
    "relevant",
    "ignorecase",
    "ignoreaccents",
    "word",
    "string",
    "masked",
    "number",
    "isodate",
];

fn map_clause(c: &SearchClause, set: Option<&str>) -> Result<Query, Diagnostic> {
    let target = resolve(c, set)?;
    for m in &c.relation.modifiers {
        if !HARMLESS_MODIFIERS.contains(&m.base_name().as_str()) {
            return Err(Diagnostic::unsupported_relation_modifier(m.name.clone()));
        }
    }
    let comp = &c.relation.comparitor;
    if let Comparitor::Named(n) = comp {
        return Err(Diagnostic::unsupported_relation(n.clone()));
    }
    if matches!(
        comp,
        Comparitor::Encloses | Comparitor::Symbol(Symbol::NotEq)
    ) {
        return Err(Diagnostic::unsupported_relation(comp.as_str().to_string()));
    }
    if target == Target::AllRecords {
        return Ok(Query::All);
    }
    // Masking: only a trailing `*` (right truncation) is supported.
    let pieces = c.term.pieces();
    let (text, truncated) = match pieces.as_slice() {
        [] => (String::new(), false),
        [TermPiece::Text(t)] => (t.clone(), false),
        [TermPiece::Text(t), TermPiece::AnyRun] => (t.clone(), true),
        _ => return Err(Diagnostic::masking_not_supported()),
    };
    if !text.chars().any(char::is_alphanumeric) {
        return Err(Diagnostic::empty_term());
    }
    let field = match target {
        Target::Field(f) => f,
        Target::Identifier => {
            if !matches!(comp, Comparitor::Symbol(Symbol::Eq | Symbol::ExactEq)) {
                return Err(Diagnostic::unsupported_relation_for_index(
                    &c.index,
                    comp.as_str(),
                ));
            }
            return Ok(Query::Or(
                [Field::Isbn, Field::Issn, Field::Lccn, Field::ControlNumber]
                    .into_iter()
                    .map(|f| Query::term(f, text.clone(), MatchMode::Exact))
                    .collect(),
            ));
        }
        Target::AllRecords => return Ok(Query::All),
    };
    if field == Field::Year {
        return year_query(c, comp, &text, truncated);
    }
    let mode = match comp {
        Comparitor::Symbol(Symbol::Eq) => match (truncated, field) {
            (true, _) => MatchMode::Prefix,
            (
                false,
                Field::Isbn | Field::Issn | Field::Lccn | Field::ControlNumber | Field::Branch,
            ) => MatchMode::Exact,
            (false, _) => MatchMode::Words,
        },
        Comparitor::Symbol(Symbol::ExactEq) if truncated => MatchMode::StartsWith,
        Comparitor::Symbol(Symbol::ExactEq) => MatchMode::Exact,
        Comparitor::Adj if truncated => MatchMode::Prefix,
        Comparitor::Adj => MatchMode::Phrase,
        Comparitor::All if truncated => MatchMode::Prefix,
        Comparitor::All => MatchMode::Words,
        Comparitor::Any => {
            let words: Vec<Query> = text
                .split_whitespace()
                .map(|w| Query::term(field, w, MatchMode::Words))
                .collect();
            if truncated {
                return Err(Diagnostic::masking_not_supported());
            }
            return Ok(Query::Or(words));
        }
        other => {
            return Err(Diagnostic::unsupported_relation_for_index(
                &c.index,
                other.as_str(),
            ));
        }
    };
    Ok(Query::term(field, text, mode))
}

fn parse_year(index: &str, s: &str) -> Result<i32, Diagnostic> {
    s.trim()
        .parse::<i32>()
        .map_err(|_| Diagnostic::new(36, Some(format!("{index}: {s:?} is not a year"))))
}

fn year_query(
    c: &SearchClause,
    comp: &Comparitor,
    text: &str,
    truncated: bool,
) -> Result<Query, Diagnostic> {
    if truncated {
        return Err(Diagnostic::masking_not_supported());
    }
    let idx = c.index.as_str();
    let range = |from, to| Query::YearRange { from, to };
    Ok(match comp {
        Comparitor::Within => {
            let mut it = text.split_whitespace();
            match (it.next(), it.next(), it.next()) {
                (Some(a), Some(b), None) => {
                    range(Some(parse_year(idx, a)?), Some(parse_year(idx, b)?))
                }
                _ => {
                    return Err(Diagnostic::new(
                        36,
                        Some(format!("{idx} within needs \"from to\"")),
                    ));
                }
            }
        }
        Comparitor::Symbol(s) => {
            let y = parse_year(idx, text)?;
            match s {
                Symbol::Eq | Symbol::ExactEq => range(Some(y), Some(y)),
                Symbol::Lt => range(None, Some(y.saturating_sub(1))),
                Symbol::Le => range(None, Some(y)),
                Symbol::Gt => range(Some(y.saturating_add(1)), None),
                Symbol::Ge => range(Some(y), None),
                Symbol::NotEq => {
                    return Err(Diagnostic::unsupported_relation("<>".to_string()));
                }
            }
        }
        other => {
            return Err(Diagnostic::unsupported_relation_for_index(
                idx,
                other.as_str(),
            ));
        }
    })
}

/// Parses and maps CQL text; parse errors become diagnostic 10 (or the
/// parser's more specific one) with the position and reason.
pub fn map_cql_text(text: &str) -> Result<Mapped, Diagnostic> {
    let q = quire_cql::parse_cql(text).map_err(|e| e.diagnostic())?;
    map_cql(&q)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn m(s: &str) -> Result<Query, u32> {
        map_cql_text(s).map(|m| m.query).map_err(|d| d.number)
    }

    #[test]
    fn indexes_and_relations() {
        assert_eq!(
            m("dc.title = hobbit"),
            Ok(Query::term(Field::Title, "hobbit", MatchMode::Words))
        );
        assert_eq!(
            m("hobbit"),
            Ok(Query::term(Field::Any, "hobbit", MatchMode::Words))
        );
        assert_eq!(
            m("dc.title adj \"the hobbit\""),
            Ok(Query::term(Field::Title, "the hobbit", MatchMode::Phrase))
        );
        assert_eq!(
            m("dc.title == \"the hob*\""),
            Ok(Query::term(Field::Title, "the hob", MatchMode::StartsWith))
        );
        assert_eq!(
            m("dc.creator = tolk*"),
            Ok(Query::term(Field::Author, "tolk", MatchMode::Prefix))
        );
        assert_eq!(
            m("bath.isbn = 0140230416"),
            Ok(Query::term(Field::Isbn, "0140230416", MatchMode::Exact))
        );
        assert_eq!(
            m("dc.date within \"1900 1950\""),
            Ok(Query::YearRange {
                from: Some(1900),
                to: Some(1950)
            })
        );
        assert_eq!(
            m("dc.date > 1900"),
            Ok(Query::YearRange {
                from: Some(1901),
                to: None
            })
        );
        assert_eq!(
            m("dc.subject any \"cats dogs\""),
            Ok(Query::Or(vec![
                Query::term(Field::Subject, "cats", MatchMode::Words),
                Query::term(Field::Subject, "dogs", MatchMode::Words),
            ]))
        );
        assert_eq!(m("cql.allRecords = 1"), Ok(Query::All));
        assert_eq!(
            m("> x = \"info:srw/cql-context-set/1/dc-v1.1\" x.title = dune"),
            Ok(Query::term(Field::Title, "dune", MatchMode::Words))
        );
    }

    #[test]
    fn booleans() {
        assert_eq!(
            m("a and b or c not d"),
            Ok(Query::Not(
                Box::new(Query::Or(vec![
                    Query::And(vec![
                        Query::term(Field::Any, "a", MatchMode::Words),
                        Query::term(Field::Any, "b", MatchMode::Words),
                    ]),
                    Query::term(Field::Any, "c", MatchMode::Words),
                ])),
                Box::new(Query::term(Field::Any, "d", MatchMode::Words)),
            ))
        );
    }

    #[test]
    fn diagnostics() {
        assert_eq!(m("dc.nonsense = x"), Err(16));
        assert_eq!(m("foo.title = x"), Err(15));
        assert_eq!(m("title = x"), Err(16));
        assert_eq!(m("dc.title exact x"), Err(19));
        assert_eq!(m("dc.title <> x"), Err(19));
        assert_eq!(m("dc.title < x"), Err(22));
        assert_eq!(m("dc.title = \"\""), Err(27));
        assert_eq!(m("dc.title = *bit"), Err(28));
        assert_eq!(m("a prox b"), Err(39));
        assert_eq!(m("dc.title =/fuzzy x"), Err(20));
        assert_eq!(m("dc.date = soon"), Err(36));
        assert_eq!(m("(dc.title = "), Err(10));
        assert_eq!(m("a sortBy dc.publisher"), Err(80));
    }

    #[test]
    fn sort_keys() {
        let s = |q: &str| map_cql_text(q).map(|m| m.sort).ok();
        assert_eq!(s("a sortBy dc.title"), Some(SortOrder::Title));
        assert_eq!(
            s("a sortBy dc.date/sort.descending"),
            Some(SortOrder::DateNewest)
        );
        assert_eq!(s("a"), Some(SortOrder::Relevance));
    }

    proptest! {
        #[test]
        fn never_panics(s in ".{0,80}") {
            let _ = map_cql_text(&s);
        }

        #[test]
        fn mapped_title_keeps_word(w in "[a-z]{1,12}") {
            let q = map_cql_text(&format!("dc.title = {w}")).map(|m| m.query);
            prop_assert_eq!(q, Ok(Query::term(Field::Title, w, MatchMode::Words)));
        }
    }
}
