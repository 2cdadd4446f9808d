//! PQF — the YAZ Prefix Query Format, the textual form of a Z39.50 type-1
//! (RPN) query.
//!
//! ```text
//! query        ::= ['@attrset' set] query-struct
//! query-struct ::= '@attr' [set] type '=' value query-struct
//!                | ('@and' | '@or' | '@not') query-struct query-struct
//!                | '@prox' excl dist ordered relation which unit query-struct query-struct
//!                | '@set' name
//!                | '@term' type term
//!                | term
//! ```
//!
//! `@attr` applies to every term beneath it, so the AST stores on each
//! term the full list of attributes in force (outer ones first). Printing
//! writes the attributes per term, which re-parses to the same AST — but
//! can be much longer than the original text, so re-parse printed output
//! with a larger [`PqfLimits::max_length`] if it may be near the limit.
//!
//! ```
//! use quire_cql::pqf::{parse_pqf, RpnNode};
//! let q = parse_pqf("@and @attr 1=4 hobbit @attr 1=1003 tolkien").unwrap();
//! assert!(matches!(q.root, RpnNode::Op { .. }));
//! assert_eq!(q.to_string(), "@and @attr 1=4 hobbit @attr 1=1003 tolkien");
//! ```

use std::fmt::{self, Write};

/// Bib-1 diagnostic "Malformed query" (used by [`PqfError::bib1_diagnostic`]).
pub const BIB1_MALFORMED_QUERY: u32 = 108;

/// A parsed PQF query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PqfQuery {
    /// `@attrset` name or OID given at the start (`None` = Bib-1 default).
    pub attribute_set: Option<String>,
    /// The RPN tree.
    pub root: RpnNode,
}

/// A node of the RPN tree (prefix order in the text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RpnNode {
    /// A leaf.
    Operand(Operand),
    /// A binary operator.
    Op {
        /// The operator.
        op: RpnOp,
        /// First operand.
        left: Box<RpnNode>,
        /// Second operand.
        right: Box<RpnNode>,
    },
}

/// RPN operators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RpnOp {
    /// `@and`
    And,
    /// `@or`
    Or,
    /// `@not` (and-not)
    AndNot,
    /// `@prox ...`
    Prox(Proximity),
}

/// Proximity operator parameters (Z39.50 ProximityOperator).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proximity {
    /// Exclusion flag (`1` = exclude).
    pub exclusion: bool,
    /// Distance.
    pub distance: i64,
    /// Ordered flag.
    pub ordered: bool,
    /// Relation type: 1 <, 2 <=, 3 =, 4 >=, 5 >, 6 <>.
    pub relation: i64,
    /// Proximity unit.
    pub unit: ProxUnit,
}

/// Proximity unit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProxUnit {
    /// A known unit (`k`): 1 character, 2 word, 3 sentence, 4 paragraph,
    /// 5 section, 6 chapter, 7 document, 8 element, 9 subelement,
    /// 10 elementType, 11 byte.
    Known(i64),
    /// A private unit (`p`).
    Private(i64),
}

/// A leaf of the RPN tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operand {
    /// Attributes plus term.
    Term(AttributesPlusTerm),
    /// `@set name`: a reference to an earlier result set.
    ResultSet(String),
}

/// A term with the attributes that apply to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributesPlusTerm {
    /// Attributes in force, outermost first.
    pub attributes: Vec<Attribute>,
    /// The term.
    pub term: PqfTerm,
}

impl AttributesPlusTerm {
    /// The numeric value of the last attribute of `attr_type` without an
    /// explicit attribute set (e.g. `1` for Use), if any.
    pub fn numeric(&self, attr_type: i64) -> Option<i64> {
        self.attributes
            .iter()
            .rev()
            .find(|a| a.attr_type == attr_type)
            .and_then(|a| match a.value {
                AttrValue::Numeric(n) => Some(n),
                AttrValue::Text(_) => None,
            })
    }
}

/// One `@attr [set] type=value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    /// Attribute set for this element (`@attr gils 1=2000`), if given.
    pub set: Option<String>,
    /// Attribute type (1 Use, 2 Relation, 3 Position, 4 Structure,
    /// 5 Truncation, 6 Completeness for Bib-1).
    pub attr_type: i64,
    /// Value.
    pub value: AttrValue,
}

/// An attribute value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttrValue {
    /// A numeric value (`1=4`).
    Numeric(i64),
    /// A string value (`1=title`), carried as a complex attribute in
    /// Z39.50. Invariant: never text that parses as an `i64`; build with
    /// [`AttrValue::from_text`].
    Text(String),
}

impl AttrValue {
    /// Numeric if `s` is an integer, text otherwise.
    pub fn from_text(s: &str) -> AttrValue {
        match parse_int(s) {
            Some(n) => AttrValue::Numeric(n),
            None => AttrValue::Text(s.to_string()),
        }
    }
}

/// A term and its Z39.50 Term CHOICE.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PqfTerm {
    /// Term type (`@term <type>`; default general).
    pub kind: TermKind,
    /// The term text (quotes and escapes removed).
    pub text: String,
}

/// The Z39.50 Term CHOICE selected by `@term`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TermKind {
    /// `general` OCTET STRING (the default).
    #[default]
    General,
    /// `numeric` INTEGER.
    Numeric,
    /// `string` characterString.
    String,
    /// `oid`.
    Oid,
    /// `datetime`.
    DateTime,
    /// `null`.
    Null,
}

impl TermKind {
    fn keyword(self) -> &'static str {
        match self {
            TermKind::General => "general",
            TermKind::Numeric => "numeric",
            TermKind::String => "string",
            TermKind::Oid => "oid",
            TermKind::DateTime => "datetime",
            TermKind::Null => "null",
        }
    }
}

/// Limits for [`parse_pqf_with_limits`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PqfLimits {
    /// Maximum query length in bytes. Default 8192.
    pub max_length: usize,
    /// Maximum operator nesting depth. Default 64.
    pub max_depth: usize,
}

impl Default for PqfLimits {
    fn default() -> Self {
        PqfLimits {
            max_length: 8192,
            max_depth: 64,
        }
    }
}

/// A PQF parse error with the byte offset where it was detected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PqfError {
    /// What went wrong.
    pub kind: PqfErrorKind,
    /// Byte offset into the query text.
    pub position: usize,
}

/// Kinds of PQF errors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PqfErrorKind {
    /// Longer than the length limit.
    TooLong {
        /// The limit.
        max: usize,
    },
    /// Operators nest deeper than the depth limit.
    TooDeep {
        /// The limit.
        max: usize,
    },
    /// A `"` without its closing quote.
    UnterminatedQuote,
    /// The query ended where `expected` was needed.
    UnexpectedEnd {
        /// What was needed.
        expected: &'static str,
    },
    /// An `@word` that is not a PQF operator.
    UnknownOperator(String),
    /// An `@attr` spec that is not `type=value` with a numeric type.
    BadAttribute(String),
    /// A number was expected for `what` (e.g. a `@prox` field).
    BadNumber {
        /// The field.
        what: &'static str,
        /// The token found.
        found: String,
    },
    /// `@term` with an unknown type.
    UnknownTermType(String),
    /// `@attr` in front of `@set` (result sets take no attributes).
    AttributesOnResultSet,
    /// Text after a complete query.
    TrailingInput(String),
}

impl PqfError {
    /// The Bib-1 diagnostic for this error: `(108 Malformed query, addinfo)`.
    pub fn bib1_diagnostic(&self) -> (u32, String) {
        (BIB1_MALFORMED_QUERY, self.to_string())
    }
}

impl fmt::Display for PqfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use PqfErrorKind::*;
        match &self.kind {
            TooLong { max } => write!(f, "PQF query longer than {max} bytes")?,
            TooDeep { max } => write!(f, "PQF operators nested deeper than {max}")?,
            UnterminatedQuote => write!(f, "unterminated quoted string")?,
            UnexpectedEnd { expected } => write!(f, "query ended, expected {expected}")?,
            UnknownOperator(op) => write!(f, "unknown operator {op}")?,
            BadAttribute(a) => write!(f, "bad attribute '{a}' (expected type=value)")?,
            BadNumber { what, found } => {
                write!(f, "expected a number for {what}, found '{found}'")?
            }
            UnknownTermType(t) => write!(f, "unknown @term type '{t}'")?,
            AttributesOnResultSet => write!(f, "@attr cannot apply to @set")?,
            TrailingInput(t) => write!(f, "unexpected '{t}' after the end of the query")?,
        }
        write!(f, " at byte {}", self.position)
    }
}

impl std::error::Error for PqfError {}

/// Parse PQF with the default limits.
pub fn parse_pqf(input: &str) -> Result<PqfQuery, PqfError> {
    parse_pqf_with_limits(input, PqfLimits::default())
}

/// Parse PQF with explicit limits.
pub fn parse_pqf_with_limits(input: &str, limits: PqfLimits) -> Result<PqfQuery, PqfError> {
    if input.len() > limits.max_length {
        return Err(PqfError {
            kind: PqfErrorKind::TooLong {
                max: limits.max_length,
            },
            position: limits.max_length,
        });
    }
    let mut p = PqfParser {
        src: input,
        pos: 0,
        limits,
        depth: 0,
    };
    let mut attribute_set = None;
    if let Some(t) = p.peek_token()?
        && !t.quoted
        && t.text.eq_ignore_ascii_case("@attrset")
    {
        p.token()?;
        attribute_set = Some(p.expect("an attribute set name after @attrset")?.text);
    }
    let mut attrs = Vec::new();
    let root = p.parse_struct(&mut attrs)?;
    if let Some(t) = p.token()? {
        return Err(PqfError {
            kind: PqfErrorKind::TrailingInput(t.text),
            position: t.start,
        });
    }
    Ok(PqfQuery {
        attribute_set,
        root,
    })
}

struct PqfToken {
    text: String,
    quoted: bool,
    start: usize,
}

struct PqfParser<'a> {
    src: &'a str,
    pos: usize,
    limits: PqfLimits,
    depth: usize,
}

fn parse_int(s: &str) -> Option<i64> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

impl PqfParser<'_> {
    fn err(&self, kind: PqfErrorKind, position: usize) -> PqfError {
        PqfError { kind, position }
    }

    fn token(&mut self) -> Result<Option<PqfToken>, PqfError> {
        let rest = &self.src[self.pos..];
        let trimmed = rest.trim_start();
        self.pos += rest.len() - trimmed.len();
        let start = self.pos;
        let mut chars = trimmed.char_indices();
        let Some((_, first)) = chars.next() else {
            return Ok(None);
        };
        if first == '"' {
            let mut text = String::new();
            loop {
                match chars.next() {
                    None => return Err(self.err(PqfErrorKind::UnterminatedQuote, start)),
                    Some((i, '"')) => {
                        self.pos = start + i + 1;
                        return Ok(Some(PqfToken {
                            text,
                            quoted: true,
                            start,
                        }));
                    }
                    Some((_, '\\')) => match chars.next() {
                        Some((_, c)) => text.push(c),
                        None => return Err(self.err(PqfErrorKind::UnterminatedQuote, start)),
                    },
                    Some((_, c)) => text.push(c),
                }
            }
        }
        let end = trimmed
            .char_indices()
            .find(|(_, c)| c.is_whitespace())
            .map_or(trimmed.len(), |(i, _)| i);
        self.pos = start + end;
        Ok(Some(PqfToken {
            text: trimmed[..end].to_string(),
            quoted: false,
            start,
        }))
    }

    fn peek_token(&mut self) -> Result<Option<PqfToken>, PqfError> {
        let save = self.pos;
        let t = self.token();
        self.pos = save;
        t
    }

    fn expect(&mut self, expected: &'static str) -> Result<PqfToken, PqfError> {
        match self.token()? {
            Some(t) => Ok(t),
            None => Err(self.err(PqfErrorKind::UnexpectedEnd { expected }, self.src.len())),
        }
    }

    fn number(&mut self, what: &'static str) -> Result<i64, PqfError> {
        let t = self.expect(what)?;
        parse_int(&t.text).ok_or_else(|| {
            self.err(
                PqfErrorKind::BadNumber {
                    what,
                    found: t.text.clone(),
                },
                t.start,
            )
        })
    }

    fn flag(&mut self, what: &'static str) -> Result<bool, PqfError> {
        let t = self.expect(what)?;
        match t.text.as_str() {
            "0" => Ok(false),
            "1" => Ok(true),
            _ => Err(self.err(
                PqfErrorKind::BadNumber {
                    what,
                    found: t.text,
                },
                t.start,
            )),
        }
    }

    fn parse_attr(&mut self) -> Result<Attribute, PqfError> {
        let mut t = self.expect("an attribute after @attr")?;
        let mut set = None;
        if !t.text.contains('=') {
            set = Some(t.text);
            t = self.expect("type=value after the attribute set")?;
        }
        let bad =
            |p: &Self, t: &PqfToken| p.err(PqfErrorKind::BadAttribute(t.text.clone()), t.start);
        let Some((ty, value)) = t.text.split_once('=') else {
            return Err(bad(self, &t));
        };
        let Some(attr_type) = parse_int(ty) else {
            return Err(bad(self, &t));
        };
        if value.is_empty() {
            return Err(bad(self, &t));
        }
        Ok(Attribute {
            set,
            attr_type,
            value: AttrValue::from_text(value),
        })
    }

    fn parse_struct(&mut self, attrs: &mut Vec<Attribute>) -> Result<RpnNode, PqfError> {
        let base = attrs.len();
        let result = self.parse_struct_inner(attrs);
        attrs.truncate(base);
        result
    }

    fn parse_struct_inner(&mut self, attrs: &mut Vec<Attribute>) -> Result<RpnNode, PqfError> {
        let base = attrs.len();
        loop {
            let t = self.expect("a term or operator")?;
            if t.quoted || !t.text.starts_with('@') {
                return Ok(RpnNode::Operand(Operand::Term(AttributesPlusTerm {
                    attributes: attrs.clone(),
                    term: PqfTerm {
                        kind: TermKind::General,
                        text: t.text,
                    },
                })));
            }
            let op = t.text.to_ascii_lowercase();
            match op.as_str() {
                "@attr" => {
                    let a = self.parse_attr()?;
                    attrs.push(a);
                }
                "@and" | "@or" | "@not" | "@prox" => {
                    if self.depth >= self.limits.max_depth {
                        return Err(self.err(
                            PqfErrorKind::TooDeep {
                                max: self.limits.max_depth,
                            },
                            t.start,
                        ));
                    }
                    let op = match op.as_str() {
                        "@and" => RpnOp::And,
                        "@or" => RpnOp::Or,
                        "@not" => RpnOp::AndNot,
                        _ => RpnOp::Prox(self.parse_prox()?),
                    };
                    self.depth += 1;
                    let left = self.parse_struct(attrs)?;
                    let right = self.parse_struct(attrs)?;
                    self.depth -= 1;
                    return Ok(RpnNode::Op {
                        op,
                        left: Box::new(left),
                        right: Box::new(right),
                    });
                }
                "@set" => {
                    if attrs.len() > base || !attrs.is_empty() {
                        return Err(self.err(PqfErrorKind::AttributesOnResultSet, t.start));
                    }
                    let name = self.expect("a result set name after @set")?;
                    return Ok(RpnNode::Operand(Operand::ResultSet(name.text)));
                }
                "@term" => {
                    let k = self.expect("a term type after @term")?;
                    let kind = match k.text.to_ascii_lowercase().as_str() {
                        "general" => TermKind::General,
                        "numeric" => TermKind::Numeric,
                        "string" => TermKind::String,
                        "oid" => TermKind::Oid,
                        "datetime" => TermKind::DateTime,
                        "null" => TermKind::Null,
                        _ => return Err(self.err(PqfErrorKind::UnknownTermType(k.text), k.start)),
                    };
                    let term = self.expect("a term after @term type")?;
                    return Ok(RpnNode::Operand(Operand::Term(AttributesPlusTerm {
                        attributes: attrs.clone(),
                        term: PqfTerm {
                            kind,
                            text: term.text,
                        },
                    })));
                }
                _ => return Err(self.err(PqfErrorKind::UnknownOperator(t.text), t.start)),
            }
        }
    }

    fn parse_prox(&mut self) -> Result<Proximity, PqfError> {
        let exclusion = self.flag("@prox exclusion (0 or 1)")?;
        let distance = self.number("@prox distance")?;
        let ordered = self.flag("@prox ordered (0 or 1)")?;
        let relation = self.number("@prox relation")?;
        let which = self.expect("@prox unit class (k or p)")?;
        let known = match which.text.to_ascii_lowercase().as_str() {
            "k" | "known" => true,
            "p" | "private" => false,
            _ => {
                return Err(self.err(
                    PqfErrorKind::BadNumber {
                        what: "@prox unit class (k or p)",
                        found: which.text,
                    },
                    which.start,
                ));
            }
        };
        let u = self.expect("@prox unit")?;
        let unit_code = match parse_int(&u.text) {
            Some(n) => n,
            None => match known_unit(&u.text) {
                Some(n) if known => n,
                _ => {
                    return Err(self.err(
                        PqfErrorKind::BadNumber {
                            what: "@prox unit",
                            found: u.text,
                        },
                        u.start,
                    ));
                }
            },
        };
        Ok(Proximity {
            exclusion,
            distance,
            ordered,
            relation,
            unit: if known {
                ProxUnit::Known(unit_code)
            } else {
                ProxUnit::Private(unit_code)
            },
        })
    }
}

fn known_unit(name: &str) -> Option<i64> {
    Some(match name.to_ascii_lowercase().as_str() {
        "character" => 1,
        "word" => 2,
        "sentence" => 3,
        "paragraph" => 4,
        "section" => 5,
        "chapter" => 6,
        "document" => 7,
        "element" => 8,
        "subelement" => 9,
        "elementtype" => 10,
        "byte" => 11,
        _ => return None,
    })
}

fn needs_quotes(s: &str) -> bool {
    s.is_empty()
        || s.starts_with('@')
        || s.chars()
            .any(|c| c.is_whitespace() || c == '"' || c == '\\')
}

fn write_token(f: &mut impl Write, s: &str) -> fmt::Result {
    if !needs_quotes(s) {
        return f.write_str(s);
    }
    f.write_char('"')?;
    for c in s.chars() {
        if c == '"' || c == '\\' {
            f.write_char('\\')?;
        }
        f.write_char(c)?;
    }
    f.write_char('"')
}

fn write_node(f: &mut impl Write, node: &RpnNode) -> fmt::Result {
    match node {
        RpnNode::Op { op, left, right } => {
            match op {
                RpnOp::And => f.write_str("@and ")?,
                RpnOp::Or => f.write_str("@or ")?,
                RpnOp::AndNot => f.write_str("@not ")?,
                RpnOp::Prox(p) => {
                    let (which, unit) = match p.unit {
                        ProxUnit::Known(u) => ('k', u),
                        ProxUnit::Private(u) => ('p', u),
                    };
                    write!(
                        f,
                        "@prox {} {} {} {} {which} {unit} ",
                        u8::from(p.exclusion),
                        p.distance,
                        u8::from(p.ordered),
                        p.relation
                    )?;
                }
            }
            write_node(f, left)?;
            f.write_char(' ')?;
            write_node(f, right)
        }
        RpnNode::Operand(Operand::ResultSet(name)) => {
            f.write_str("@set ")?;
            write_token(f, name)
        }
        RpnNode::Operand(Operand::Term(apt)) => {
            for a in &apt.attributes {
                f.write_str("@attr ")?;
                if let Some(set) = &a.set {
                    write_token(f, set)?;
                    f.write_char(' ')?;
                }
                let spec = match &a.value {
                    AttrValue::Numeric(n) => format!("{}={n}", a.attr_type),
                    AttrValue::Text(t) => format!("{}={t}", a.attr_type),
                };
                write_token(f, &spec)?;
                f.write_char(' ')?;
            }
            if apt.term.kind != TermKind::General {
                write!(f, "@term {} ", apt.term.kind.keyword())?;
            }
            write_token(f, &apt.term.text)
        }
    }
}

impl fmt::Display for RpnNode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_node(f, self)
    }
}

impl fmt::Display for PqfQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(set) = &self.attribute_set {
            f.write_str("@attrset ")?;
            write_token(f, set)?;
            f.write_char(' ')?;
        }
        write_node(f, &self.root)
    }
}

#[cfg(test)]
mod tests;
