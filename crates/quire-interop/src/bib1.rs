//! Z39.50 type-1 (RPN) queries with Bib-1 attributes → Quire search
//! query, with Bib-1 diagnostics for what cannot be mapped. Pure: the
//! Z39.50 server (`z3950`) and the fuzz targets use it.
//!
//! | Use (1=) | Quire field |
//! |---|---|
//! | 1, 2, 3, 1003, 1004, 1005 | `Author` |
//! | 4, 6, 33 | `Title` |
//! | 5 | `Series` |
//! | 7 | `Isbn` (any form: 10/13 digits, hyphens) |
//! | 8 | `Issn` |
//! | 9 | `Lccn` |
//! | 12, 1032 | `ControlNumber` (MARC 001, exact) |
//! | 13, 16, 20 | `CallNumber` |
//! | 21, 27 | `Subject` |
//! | 30, 31 | `Year` (relations `<`, `<=`, `=`, `>=`, `>`) |
//! | 54 | `Language` |
//! | 1007 | ISBN, ISSN, LCCN or 001 |
//! | 1016, 1035 | `Any` |
//! | 1018 | `Publisher` |
//! | 1031 | `Format` |
//!
//! Other use values → 114; relation ≠ / phonetic / AlwaysMatches → 117;
//! ordering relations on non-date indexes → 117; position 1/2 (first in
//! field/subfield) → starts-with; structure 1 phrase, 2/6/105/106 words,
//! 3/107/108/109 key (exact), 4/5/100 year, 101/102 name (phrase), others →
//! 118; truncation 1 right, 100 none, 101/104 a trailing `#`/`?` mask, 2/3
//! and inner masks → 120; completeness 2/3 → whole field (exact); attribute
//! types other than 1–6 → 113; attribute sets other than Bib-1 → 121;
//! proximity → 110; empty terms → 125; non-string terms → 229.

use quire_search::{BrowseField, Field, MatchMode, Query};
use quire_z3950::{
    AttributeValue, AttributesPlusTerm, Operand, Operator, RpnQuery, RpnStructure, StringOrNumeric,
    Term, oid::known,
};

/// A Bib-1 diagnostic (condition and addinfo).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bib1Diag {
    /// Bib-1 condition number.
    pub code: i64,
    /// Additional information (the offending value).
    pub addinfo: String,
}

impl Bib1Diag {
    /// A diagnostic.
    pub fn new(code: i64, addinfo: impl Into<String>) -> Self {
        Bib1Diag {
            code,
            addinfo: addinfo.into(),
        }
    }
}

/// What a leaf searches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Field(Field),
    Date,
    StandardId,
}

/// The Bib-1 use attributes Quire answers, `(value, name)`.
pub const USE_ATTRIBUTES: &[(i64, &str)] = &[
    (1, "personal name"),
    (2, "corporate name"),
    (3, "conference name"),
    (4, "title"),
    (5, "title series"),
    (6, "title uniform"),
    (7, "ISBN"),
    (8, "ISSN"),
    (9, "LC card number"),
    (12, "local number (001)"),
    (13, "Dewey classification"),
    (16, "LC call number"),
    (20, "local classification"),
    (21, "subject heading"),
    (27, "LC subject heading"),
    (30, "date"),
    (31, "date of publication"),
    (33, "title key"),
    (54, "code - language"),
    (1003, "author"),
    (1004, "author - personal name"),
    (1005, "author - corporate"),
    (1007, "identifier - standard"),
    (1016, "any"),
    (1018, "publisher"),
    (1031, "material type"),
    (1032, "doc id"),
    (1035, "anywhere"),
];

fn use_target(value: i64) -> Option<Target> {
    Some(match value {
        1 | 2 | 3 | 1003 | 1004 | 1005 => Target::Field(Field::Author),
        4 | 6 | 33 => Target::Field(Field::Title),
        5 => Target::Field(Field::Series),
        7 => Target::Field(Field::Isbn),
        8 => Target::Field(Field::Issn),
        9 => Target::Field(Field::Lccn),
        12 | 1032 => Target::Field(Field::ControlNumber),
        13 | 16 | 20 => Target::Field(Field::CallNumber),
        21 | 27 => Target::Field(Field::Subject),
        30 | 31 => Target::Date,
        54 => Target::Field(Field::Language),
        1007 => Target::StandardId,
        1016 | 1035 => Target::Field(Field::Any),
        1018 => Target::Field(Field::Publisher),
        1031 => Target::Field(Field::Format),
        _ => return None,
    })
}

/// The attributes of one leaf, checked.
#[derive(Debug, Clone, Copy, Default)]
struct Attrs {
    use_: Option<i64>,
    relation: Option<i64>,
    position: Option<i64>,
    structure: Option<i64>,
    truncation: Option<i64>,
    completeness: Option<i64>,
}

fn attrs(apt: &AttributesPlusTerm) -> Result<Attrs, Bib1Diag> {
    let mut a = Attrs::default();
    for el in &apt.attributes {
        if let Some(set) = &el.attribute_set
            && *set != known::bib1_attributes()
        {
            return Err(Bib1Diag::new(121, set.to_string()));
        }
        let value = match &el.value {
            AttributeValue::Numeric(n) => *n,
            AttributeValue::Complex { list, .. } => {
                // A string use attribute (`@attr 1=title`): the OPAC's
                // English field names; anything else is an unknown use.
                let text = list
                    .iter()
                    .map(|v| match v {
                        StringOrNumeric::String(s) => s.clone(),
                        StringOrNumeric::Numeric(n) => n.to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join(" ");
                if el.attribute_type == 1 {
                    match named_use(&text) {
                        Some(v) => v,
                        None => return Err(Bib1Diag::new(114, text)),
                    }
                } else {
                    return Err(Bib1Diag::new(113, format!("{}={text}", el.attribute_type)));
                }
            }
        };
        let slot = match el.attribute_type {
            1 => &mut a.use_,
            2 => &mut a.relation,
            3 => &mut a.position,
            4 => &mut a.structure,
            5 => &mut a.truncation,
            6 => &mut a.completeness,
            t => return Err(Bib1Diag::new(113, t.to_string())),
        };
        *slot = Some(value);
    }
    Ok(a)
}

/// String use attributes (`@attr 1=title`) mapped to Bib-1 numbers.
fn named_use(name: &str) -> Option<i64> {
    Some(match Field::from_name(name.trim())? {
        Field::Any => 1016,
        Field::Title => 4,
        Field::Author => 1003,
        Field::Subject => 21,
        Field::Series => 5,
        Field::Publisher => 1018,
        Field::Isbn => 7,
        Field::Issn => 8,
        Field::Lccn => 9,
        Field::CallNumber => 16,
        Field::ControlNumber => 12,
        Field::Year => 31,
        Field::Language => 54,
        Field::Format => 1031,
        Field::Branch => return None,
    })
}

/// The text of a term: `general` bytes as UTF-8 (Latin-1 when they are not
/// valid UTF-8), character strings as they are, numbers in decimal.
pub fn term_text(term: &Term) -> Result<String, Bib1Diag> {
    match term {
        Term::General(b) => Ok(match std::str::from_utf8(b) {
            Ok(s) => s.to_string(),
            Err(_) => b.iter().map(|&c| char::from(c)).collect(),
        }),
        Term::CharacterString(s) => Ok(s.clone()),
        Term::Numeric(n) => Ok(n.to_string()),
        Term::DateTime(_)
        | Term::Oid(_)
        | Term::External(_)
        | Term::IntegerAndUnit(_)
        | Term::Null => Err(Bib1Diag::new(229, "")),
    }
}

/// Maps one leaf (attributes + term).
pub fn map_leaf(apt: &AttributesPlusTerm) -> Result<Query, Bib1Diag> {
    let a = attrs(apt)?;
    let use_ = a.use_.unwrap_or(1016);
    let target = use_target(use_).ok_or_else(|| Bib1Diag::new(114, use_.to_string()))?;
    let mut text = term_text(&apt.term)?;

    // Truncation first: it may remove a mask character from the text.
    let mut right = false;
    match a.truncation {
        None | Some(100) => {}
        Some(1) => right = true,
        Some(101 | 104) => {
            let masks: &[char] = if a.truncation == Some(101) {
                &['#']
            } else {
                &['#', '?']
            };
            let trimmed = text.trim_end();
            if let Some(stem) = trimmed.strip_suffix(masks) {
                right = true;
                text = stem.to_string();
            }
            if text.contains(masks) {
                return Err(Bib1Diag::new(120, a.truncation.unwrap_or(0).to_string()));
            }
        }
        Some(t) => return Err(Bib1Diag::new(120, t.to_string())),
    }
    if !text.chars().any(char::is_alphanumeric) {
        return Err(Bib1Diag::new(125, text));
    }

    let relation = a.relation.unwrap_or(3);
    let ordering = matches!(relation, 1 | 2 | 4 | 5);
    match relation {
        1..=5 | 101 | 102 => {}
        r => return Err(Bib1Diag::new(117, r.to_string())),
    }

    let mut mode = match a.structure {
        None | Some(2 | 6 | 105 | 106) => MatchMode::Words,
        Some(1 | 101 | 102) => MatchMode::Phrase,
        Some(3 | 107 | 108 | 109) => MatchMode::Exact,
        Some(4 | 5 | 100) if target == Target::Date => MatchMode::Words,
        Some(s) => return Err(Bib1Diag::new(118, s.to_string())),
    };
    match a.completeness {
        None | Some(1) => {}
        Some(2 | 3) => mode = MatchMode::Exact,
        Some(c) => return Err(Bib1Diag::new(122, c.to_string())),
    }
    let first_in_field = match a.position {
        None | Some(3) => false,
        Some(1 | 2) => true,
        Some(p) => return Err(Bib1Diag::new(119, p.to_string())),
    };
    if first_in_field && mode != MatchMode::Exact {
        mode = MatchMode::StartsWith;
    }
    if right {
        mode = match mode {
            MatchMode::Exact | MatchMode::StartsWith => MatchMode::StartsWith,
            _ => MatchMode::Prefix,
        };
    }

    let text = text.trim().to_string();
    match target {
        Target::Date => {
            let year: i32 = text
                .trim()
                .get(..4)
                .and_then(|y| y.parse().ok())
                .filter(|_| text.len() == 4 || !text[4..].chars().any(|c| c.is_ascii_digit()))
                .ok_or_else(|| Bib1Diag::new(125, text.clone()))?;
            let (from, to) = match relation {
                1 => (None, Some(year - 1)),
                2 => (None, Some(year)),
                4 => (Some(year), None),
                5 => (Some(year + 1), None),
                _ => (Some(year), Some(year)),
            };
            Ok(Query::YearRange { from, to })
        }
        _ if ordering => Err(Bib1Diag::new(117, relation.to_string())),
        Target::StandardId => Ok(Query::Or(vec![
            Query::term(Field::Isbn, text.clone(), MatchMode::Exact),
            Query::term(Field::Issn, text.clone(), MatchMode::Exact),
            Query::term(Field::Lccn, text.clone(), MatchMode::Exact),
            Query::term(Field::ControlNumber, text, MatchMode::Exact),
        ])),
        Target::Field(
            f @ (Field::Isbn | Field::Issn | Field::Lccn | Field::ControlNumber | Field::Language),
        ) => Ok(Query::term(f, text, MatchMode::Exact)),
        Target::Field(f) => Ok(Query::term(f, text, mode)),
    }
}

/// Deepest RPN tree accepted (deeper → 108 malformed query).
pub const MAX_DEPTH: usize = 64;

/// Maps a type-1 query. `result_set` resolves `@set NAME` operands to the
/// query that built that result set (`None` → diagnostic 30).
pub fn map_rpn(
    q: &RpnQuery,
    result_set: &dyn Fn(&str) -> Option<Query>,
) -> Result<Query, Bib1Diag> {
    if q.attribute_set != known::bib1_attributes() {
        return Err(Bib1Diag::new(121, q.attribute_set.to_string()));
    }
    map_structure(&q.rpn, result_set, 0)
}

fn map_structure(
    s: &RpnStructure,
    result_set: &dyn Fn(&str) -> Option<Query>,
    depth: usize,
) -> Result<Query, Bib1Diag> {
    if depth > MAX_DEPTH {
        return Err(Bib1Diag::new(108, "query too deep"));
    }
    match s {
        RpnStructure::Op(Operand::AttrTerm(apt)) => map_leaf(apt),
        RpnStructure::Op(Operand::ResultSet(name)) => {
            result_set(name).ok_or_else(|| Bib1Diag::new(30, name.clone()))
        }
        RpnStructure::Op(_) => Err(Bib1Diag::new(3, "resultAttr")),
        RpnStructure::RpnRpnOp { rpn1, rpn2, op } => {
            let l = map_structure(rpn1, result_set, depth + 1)?;
            let r = map_structure(rpn2, result_set, depth + 1)?;
            Ok(match op {
                Operator::And => Query::And(vec![l, r]),
                Operator::Or => Query::Or(vec![l, r]),
                Operator::AndNot => Query::Not(Box::new(l), Box::new(r)),
                Operator::Prox(_) => return Err(Bib1Diag::new(110, "prox")),
            })
        }
    }
}

/// The browse list and start term of a Scan request.
pub fn scan_target(apt: &AttributesPlusTerm) -> Result<(BrowseField, String), Bib1Diag> {
    let a = attrs(apt)?;
    let use_ = a.use_.unwrap_or(4);
    let field = match use_ {
        4 | 6 | 33 => BrowseField::Title,
        1 | 2 | 3 | 1003 | 1004 | 1005 => BrowseField::Author,
        21 | 27 => BrowseField::Subject,
        13 | 16 | 20 => BrowseField::CallNumber,
        u if use_target(u).is_some() => {
            return Err(Bib1Diag::new(114, format!("{u} (not scannable)")));
        }
        u => return Err(Bib1Diag::new(114, u.to_string())),
    };
    match a.relation {
        None | Some(3 | 4) => {}
        Some(r) => return Err(Bib1Diag::new(117, r.to_string())),
    }
    let text = term_text(&apt.term)?;
    Ok((field, text))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn pqf(s: &str) -> Result<Query, Bib1Diag> {
        let p = quire_cql::pqf::parse_pqf(s).unwrap();
        let q = RpnQuery::from_pqf(&p).unwrap();
        map_rpn(&q, &|name| {
            (name == "prev").then(|| Query::term(Field::Title, "x", MatchMode::Words))
        })
    }

    #[test]
    fn use_attributes() {
        assert_eq!(
            pqf("@attr 1=4 hobbit").unwrap(),
            Query::term(Field::Title, "hobbit", MatchMode::Words)
        );
        assert_eq!(
            pqf("@attr 1=7 0-306-40615-2").unwrap(),
            Query::term(Field::Isbn, "0-306-40615-2", MatchMode::Exact)
        );
        assert_eq!(
            pqf("@attr 1=12 \"  2001012345 \"").unwrap(),
            Query::term(Field::ControlNumber, "2001012345", MatchMode::Exact)
        );
        assert_eq!(
            pqf("tolkien").unwrap(),
            Query::term(Field::Any, "tolkien", MatchMode::Words)
        );
        assert_eq!(
            pqf("@attr 1=title hobbit").unwrap(),
            Query::term(Field::Title, "hobbit", MatchMode::Words)
        );
        assert!(matches!(pqf("@attr 1=1007 9780306406157").unwrap(), Query::Or(v) if v.len() == 4));
    }

    #[test]
    fn diagnostics() {
        assert_eq!(
            pqf("@attr 1=9999 x").unwrap_err(),
            Bib1Diag::new(114, "9999")
        );
        assert_eq!(pqf("@attr 1=nonsense x").unwrap_err().code, 114);
        assert_eq!(pqf("@attr 7=1 x").unwrap_err(), Bib1Diag::new(113, "7"));
        assert_eq!(pqf("@attr 1=4 @attr 2=6 x").unwrap_err().code, 117);
        assert_eq!(pqf("@attr 1=4 @attr 2=1 x").unwrap_err().code, 117);
        assert_eq!(pqf("@attr 1=4 @attr 3=9 x").unwrap_err().code, 119);
        assert_eq!(pqf("@attr 1=4 @attr 4=104 x").unwrap_err().code, 118);
        assert_eq!(pqf("@attr 1=4 @attr 5=2 x").unwrap_err().code, 120);
        assert_eq!(pqf("@attr 1=4 @attr 6=9 x").unwrap_err().code, 122);
        assert_eq!(pqf("@attr 1=31 soon").unwrap_err().code, 125);
        assert_eq!(pqf("@attr 1=4 \"  \"").unwrap_err().code, 125);
        assert_eq!(pqf("@attrset exp-1 @attr 1=1 x").unwrap_err().code, 121);
        assert_eq!(pqf("@prox 0 3 1 2 k 2 a b").unwrap_err().code, 110);
        assert_eq!(pqf("@set nosuch").unwrap_err(), Bib1Diag::new(30, "nosuch"));
    }

    #[test]
    fn modes_and_operators() {
        assert_eq!(
            pqf("@attr 1=4 @attr 5=1 comput").unwrap(),
            Query::term(Field::Title, "comput", MatchMode::Prefix)
        );
        assert_eq!(
            pqf("@attr 1=4 @attr 3=1 @attr 5=1 \"lord of\"").unwrap(),
            Query::term(Field::Title, "lord of", MatchMode::StartsWith)
        );
        assert_eq!(
            pqf("@attr 1=4 @attr 6=3 \"the hobbit\"").unwrap(),
            Query::term(Field::Title, "the hobbit", MatchMode::Exact)
        );
        assert_eq!(
            pqf("@attr 1=4 @attr 4=1 \"the hobbit\"").unwrap(),
            Query::term(Field::Title, "the hobbit", MatchMode::Phrase)
        );
        assert_eq!(
            pqf("@attr 1=4 @attr 5=104 hobb?").unwrap(),
            Query::term(Field::Title, "hobb", MatchMode::Prefix)
        );
        assert_eq!(
            pqf("@attr 1=31 @attr 2=4 1900").unwrap(),
            Query::YearRange {
                from: Some(1900),
                to: None
            }
        );
        assert_eq!(
            pqf("@attr 1=31 @attr 2=1 1900").unwrap(),
            Query::YearRange {
                from: None,
                to: Some(1899)
            }
        );
        assert!(matches!(
            pqf("@not @and @attr 1=4 a @attr 1=1003 b @or c @set prev").unwrap(),
            Query::Not(l, r) if matches!(*l, Query::And(_)) && matches!(*r, Query::Or(_))
        ));
    }

    #[test]
    fn scan() {
        let p = quire_cql::pqf::parse_pqf("@attr 1=1003 tolkien").unwrap();
        let q = RpnQuery::from_pqf(&p).unwrap();
        let RpnStructure::Op(Operand::AttrTerm(apt)) = q.rpn else {
            panic!()
        };
        assert_eq!(
            scan_target(&apt).unwrap(),
            (BrowseField::Author, "tolkien".to_string())
        );
        let p = quire_cql::pqf::parse_pqf("@attr 1=7 x").unwrap();
        let q = RpnQuery::from_pqf(&p).unwrap();
        let RpnStructure::Op(Operand::AttrTerm(apt)) = q.rpn else {
            panic!()
        };
        assert_eq!(scan_target(&apt).unwrap_err().code, 114);
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,80}") {
            if let Ok(p) = quire_cql::pqf::parse_pqf(&s)
                && let Ok(q) = RpnQuery::from_pqf(&p)
            {
                let _ = map_rpn(&q, &|_| None);
            }
        }
    }
}
