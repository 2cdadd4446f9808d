//! The CQL abstract syntax tree.
//!
//! Strings that are lexically CQL *terms* (search terms, index names,
//! modifier names and values, prefixes, URIs) are kept in their **raw
//! escaped form**: the characters between the quotes (or of the bare word)
//! with backslash escapes preserved (`\"`, `\\`, `\*`, `\?`, `\^`). The
//! escapes matter because `*` and `\*` mean different things; use
//! [`Term::value`] or [`Term::pieces`] to interpret them.

use std::fmt;

/// The index used for a bare search term (`cat` means `cql.serverChoice = cat`).
pub const SERVER_CHOICE: &str = "cql.serverChoice";

/// A complete CQL query: prefix assignments, the query tree, and optional
/// `sortBy` keys (CQL 1.2 / 2.0).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// Top-level prefix assignments (`> dc = "info:..."`), in order.
    pub prefixes: Vec<PrefixAssignment>,
    /// The query tree.
    pub root: Node,
    /// Sort keys from a trailing `sortBy` clause (empty when there is none).
    pub sort_keys: Vec<SortKey>,
}

/// `> prefix = uri` or `> uri` (a default context set for unprefixed indexes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrefixAssignment {
    /// The short name; `None` for `> "uri"`, which sets the default context set.
    pub prefix: Option<String>,
    /// The context set identifier (raw escaped form).
    pub uri: String,
}

/// A node of the query tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// `index relation term` (or a bare term, with the defaults filled in).
    Clause(SearchClause),
    /// `left op right`. Booleans are left-associative with equal precedence.
    Boolean {
        /// The operator.
        op: BooleanOp,
        /// Boolean modifiers, e.g. `prox/distance<=3/unit=word`.
        modifiers: Vec<Modifier>,
        /// Left operand.
        left: Box<Node>,
        /// Right operand.
        right: Box<Node>,
    },
    /// A parenthesised sub-query that starts with prefix assignments:
    /// `(> dc = "..." dc.title = x)`. The assignments scope over `query`.
    Prefixed {
        /// The assignments, in order.
        prefixes: Vec<PrefixAssignment>,
        /// The scoped sub-query.
        query: Box<Node>,
    },
}

/// Boolean operators. `Not` is binary AND-NOT.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BooleanOp {
    /// `and`
    And,
    /// `or`
    Or,
    /// `not` (and-not)
    Not,
    /// `prox`
    Prox,
}

impl BooleanOp {
    /// The keyword, lower case.
    pub fn as_str(self) -> &'static str {
        match self {
            BooleanOp::And => "and",
            BooleanOp::Or => "or",
            BooleanOp::Not => "not",
            BooleanOp::Prox => "prox",
        }
    }
}

/// `index relation term`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchClause {
    /// Index name, possibly prefixed (`dc.title`); [`SERVER_CHOICE`] for a
    /// bare term. Raw escaped form.
    pub index: String,
    /// Relation with modifiers; `=` for a bare term.
    pub relation: Relation,
    /// The search term.
    pub term: Term,
}

impl SearchClause {
    /// A bare term: `cql.serverChoice = term`.
    pub fn server_choice(term: Term) -> Self {
        SearchClause {
            index: SERVER_CHOICE.to_string(),
            relation: Relation::default(),
            term,
        }
    }

    /// The context-set prefix of the index (`dc` in `dc.title`), if any.
    pub fn index_prefix(&self) -> Option<&str> {
        self.index.split_once('.').map(|(p, _)| p)
    }

    /// The index name without its prefix (`title` in `dc.title`).
    pub fn index_name(&self) -> &str {
        self.index.split_once('.').map_or(&self.index, |(_, n)| n)
    }

    /// True when the index is `cql.serverChoice` or `srw.serverChoice`
    /// (case-insensitive).
    pub fn is_server_choice(&self) -> bool {
        let i = self.index.to_ascii_lowercase();
        i == "cql.serverchoice" || i == "srw.serverchoice" || i == "serverchoice"
    }
}

/// A relation: comparitor plus modifiers (`=/stem/locale=fr`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Relation {
    /// The comparitor.
    pub comparitor: Comparitor,
    /// Relation modifiers in order.
    pub modifiers: Vec<Modifier>,
}

/// Symbolic comparitors, also used in modifier comparisons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Symbol {
    /// `=`
    #[default]
    Eq,
    /// `==`
    ExactEq,
    /// `<>`
    NotEq,
    /// `<`
    Lt,
    /// `>`
    Gt,
    /// `<=`
    Le,
    /// `>=`
    Ge,
}

impl Symbol {
    /// The symbol text.
    pub fn as_str(self) -> &'static str {
        match self {
            Symbol::Eq => "=",
            Symbol::ExactEq => "==",
            Symbol::NotEq => "<>",
            Symbol::Lt => "<",
            Symbol::Gt => ">",
            Symbol::Le => "<=",
            Symbol::Ge => ">=",
        }
    }
}

/// A relation's comparitor.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Comparitor {
    /// One of `= == <> < > <= >=`.
    Symbol(Symbol),
    /// `adj` / `cql.adj`: words adjacent, in order (phrase).
    Adj,
    /// `all` / `cql.all`: every word present.
    All,
    /// `any` / `cql.any`: at least one word present.
    Any,
    /// `within` / `cql.within`: value within a range.
    Within,
    /// `encloses` / `cql.encloses`.
    Encloses,
    /// Any other named comparitor as written (e.g. `cql.exact`, `dc.fuzzy`).
    /// Never one of the names above (the parser normalises those).
    Named(String),
}

impl Default for Comparitor {
    fn default() -> Self {
        Comparitor::Symbol(Symbol::Eq)
    }
}

impl Comparitor {
    /// Classify a named comparitor (`adj`, `CQL.ANY`, `cql.exact`, ...).
    pub fn from_name(name: &str) -> Comparitor {
        let lower = name.to_ascii_lowercase();
        let bare = lower.strip_prefix("cql.").unwrap_or(&lower);
        match bare {
            "adj" => Comparitor::Adj,
            "all" => Comparitor::All,
            "any" => Comparitor::Any,
            "within" => Comparitor::Within,
            "encloses" => Comparitor::Encloses,
            _ => Comparitor::Named(name.to_string()),
        }
    }

    /// The comparitor as CQL text (named ones in lower case without prefix).
    pub fn as_str(&self) -> &str {
        match self {
            Comparitor::Symbol(s) => s.as_str(),
            Comparitor::Adj => "adj",
            Comparitor::All => "all",
            Comparitor::Any => "any",
            Comparitor::Within => "within",
            Comparitor::Encloses => "encloses",
            Comparitor::Named(n) => n,
        }
    }
}

impl fmt::Display for Comparitor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A modifier: `/name` or `/name <symbol> value` (e.g. `/locale=fr`,
/// `/distance<=3`, `/sort.descending`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Modifier {
    /// Modifier name, possibly prefixed (`sort.descending`). Raw escaped form.
    pub name: String,
    /// Optional comparison and value.
    pub value: Option<(Symbol, Term)>,
}

impl Modifier {
    /// A modifier without value.
    pub fn flag(name: impl Into<String>) -> Self {
        Modifier {
            name: name.into(),
            value: None,
        }
    }

    /// The name without a context-set prefix, lower-cased
    /// (`Sort.Descending` → `descending`).
    pub fn base_name(&self) -> String {
        let n = self.name.rsplit_once('.').map_or(&*self.name, |(_, n)| n);
        n.to_ascii_lowercase()
    }
}

/// One `sortBy` key: index plus sort modifiers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SortKey {
    /// Index to sort by (raw escaped form).
    pub index: String,
    /// Modifiers (`/sort.descending`, `/missingLow`, ...).
    pub modifiers: Vec<Modifier>,
}

impl SortKey {
    /// True when a `descending` modifier (any prefix, any case) is present.
    pub fn is_descending(&self) -> bool {
        self.modifiers.iter().any(|m| m.base_name() == "descending")
    }
}

/// A search term in raw escaped form (see the module docs).
///
/// Invariant: every backslash escapes the following character (there is no
/// trailing lone backslash) and every `"` is escaped.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Term(String);

/// A piece of an interpreted term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TermPiece {
    /// Literal text (escapes resolved).
    Text(String),
    /// `*`: zero or more characters.
    AnyRun,
    /// `?`: exactly one character.
    AnyChar,
    /// `^`: anchor at the start or end of the field.
    Anchor,
}

/// Error from [`Term::from_raw`]: the text is not a valid raw escaped term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidRawTerm {
    /// Byte offset of the offending character.
    pub position: usize,
}

impl fmt::Display for InvalidRawTerm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unescaped quote or dangling backslash at byte {}",
            self.position
        )
    }
}

impl std::error::Error for InvalidRawTerm {}

impl Term {
    /// Build a term from raw escaped text, checking the invariant.
    pub fn from_raw(raw: impl Into<String>) -> Result<Term, InvalidRawTerm> {
        let raw = raw.into();
        check_raw(&raw)?;
        Ok(Term(raw))
    }

    /// Build from already-validated raw text (lexer use only).
    pub(crate) fn from_raw_unchecked(raw: String) -> Term {
        Term(raw)
    }

    /// A term matching `text` literally: escapes `\`, `"`, `*`, `?` and `^`.
    pub fn literal(text: &str) -> Term {
        let mut s = String::with_capacity(text.len());
        for c in text.chars() {
            if matches!(c, '\\' | '"' | '*' | '?' | '^') {
                s.push('\\');
            }
            s.push(c);
        }
        Term(s)
    }

    /// The raw escaped text.
    pub fn as_raw(&self) -> &str {
        &self.0
    }

    /// True for the empty term `""` (SRU servers may reject it with
    /// diagnostic 27, see [`crate::Diagnostic::empty_term`]).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The text with every escape resolved and masking characters kept as
    /// plain characters (`a\*b*` → `a*b*`). Use [`Term::pieces`] when
    /// masking matters.
    pub fn value(&self) -> String {
        let mut out = String::with_capacity(self.0.len());
        let mut chars = self.0.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    /// True when the term contains an unescaped `*`, `?` or `^`.
    pub fn has_masking(&self) -> bool {
        self.pieces()
            .iter()
            .any(|p| !matches!(p, TermPiece::Text(_)))
    }

    /// Split into literal text and masking/anchoring characters.
    pub fn pieces(&self) -> Vec<TermPiece> {
        let mut out = Vec::new();
        let mut text = String::new();
        let mut chars = self.0.chars();
        while let Some(c) = chars.next() {
            let special = match c {
                '\\' => {
                    if let Some(n) = chars.next() {
                        text.push(n);
                    }
                    continue;
                }
                '*' => TermPiece::AnyRun,
                '?' => TermPiece::AnyChar,
                '^' => TermPiece::Anchor,
                _ => {
                    text.push(c);
                    continue;
                }
            };
            if !text.is_empty() {
                out.push(TermPiece::Text(std::mem::take(&mut text)));
            }
            out.push(special);
        }
        if !text.is_empty() {
            out.push(TermPiece::Text(text));
        }
        out
    }
}

/// Check the raw-term invariant; returns the offending byte offset.
pub(crate) fn check_raw(raw: &str) -> Result<(), InvalidRawTerm> {
    let mut it = raw.char_indices();
    while let Some((i, c)) = it.next() {
        match c {
            // The guard consumes the escaped character when there is one.
            '\\' if it.next().is_none() => return Err(InvalidRawTerm { position: i }),
            '"' => return Err(InvalidRawTerm { position: i }),
            _ => {}
        }
    }
    Ok(())
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        super::print::write_text(f, &self.0)
    }
}

/// Callback scope for [`Query::visit_clauses`]: the prefix assignments in
/// force at a clause, innermost last.
#[derive(Debug, Clone, Default)]
pub struct PrefixScope<'a> {
    stack: Vec<&'a PrefixAssignment>,
}

impl<'a> PrefixScope<'a> {
    /// The URI bound to `prefix` (case-insensitive) by the innermost
    /// assignment in force, or for `None` the default context set
    /// (`> "uri"`). Falls back to [`standard_context_set`] for prefixes.
    /// Returns the raw text as written in the query.
    pub fn resolve(&self, prefix: Option<&str>) -> Option<&'a str> {
        for a in self.stack.iter().rev() {
            match (&a.prefix, prefix) {
                (Some(p), Some(q)) if p.eq_ignore_ascii_case(q) => return Some(&a.uri),
                (None, None) => return Some(&a.uri),
                _ => {}
            }
        }
        prefix.and_then(standard_context_set)
    }

    /// The context-set identifier for a clause's index: its prefix resolved
    /// through [`PrefixScope::resolve`]. `None` means "unknown prefix"
    /// (SRU diagnostic 15) or, for an unprefixed index with no default
    /// assignment, "server's default context set".
    pub fn context_set_of(&self, clause: &SearchClause) -> Option<&'a str> {
        self.resolve(clause.index_prefix())
    }
}

/// Identifiers of the context sets Quire knows by their usual short names
/// (`cql`, `srw` (old name of cql), `dc`, `bath`, `rec`, `sort`), case-insensitive.
pub fn standard_context_set(prefix: &str) -> Option<&'static str> {
    match prefix.to_ascii_lowercase().as_str() {
        "cql" | "srw" => Some("info:srw/cql-context-set/1/cql-v1.2"),
        "dc" => Some("info:srw/cql-context-set/1/dc-v1.1"),
        "bath" => Some("http://zing.z3950.org/cql/bath/2.0/"),
        "rec" => Some("info:srw/cql-context-set/2/rec-1.1"),
        "sort" => Some("info:srw/cql-context-set/1/sort-v1.0"),
        _ => None,
    }
}

impl Query {
    /// Call `f` for every search clause in left-to-right order with the
    /// prefix assignments in force at that clause.
    pub fn visit_clauses<'a>(&'a self, mut f: impl FnMut(&'a SearchClause, &PrefixScope<'a>)) {
        let mut scope = PrefixScope {
            stack: self.prefixes.iter().collect(),
        };
        visit(&self.root, &mut scope, &mut f);
    }

    /// All search clauses, left to right.
    pub fn clauses(&self) -> Vec<&SearchClause> {
        let mut v = Vec::new();
        self.visit_clauses(|c, _| v.push(c));
        v
    }
}

fn visit<'a>(
    node: &'a Node,
    scope: &mut PrefixScope<'a>,
    f: &mut impl FnMut(&'a SearchClause, &PrefixScope<'a>),
) {
    match node {
        Node::Clause(c) => f(c, scope),
        Node::Boolean { left, right, .. } => {
            visit(left, scope, f);
            visit(right, scope, f);
        }
        Node::Prefixed { prefixes, query } => {
            let n = scope.stack.len();
            scope.stack.extend(prefixes.iter());
            visit(query, scope, f);
            scope.stack.truncate(n);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn term_value_and_pieces() {
        let t = Term::from_raw(r#"a\*b*c?\"^"#).unwrap();
        assert_eq!(t.value(), r#"a*b*c?"^"#);
        assert_eq!(
            t.pieces(),
            vec![
                TermPiece::Text("a*b".into()),
                TermPiece::AnyRun,
                TermPiece::Text("c".into()),
                TermPiece::AnyChar,
                TermPiece::Text("\"".into()),
                TermPiece::Anchor,
            ]
        );
        assert!(t.has_masking());
        assert!(!Term::literal("a*b?^\"\\").has_masking());
        assert_eq!(Term::literal("a*b?^\"\\").value(), "a*b?^\"\\");
    }

    #[test]
    fn raw_invariant() {
        assert_eq!(Term::from_raw("ab\\").unwrap_err().position, 2);
        assert_eq!(Term::from_raw("a\"b").unwrap_err().position, 1);
        assert!(Term::from_raw("a\\\"b\\\\").is_ok());
    }

    #[test]
    fn comparitor_names() {
        assert_eq!(Comparitor::from_name("ADJ"), Comparitor::Adj);
        assert_eq!(Comparitor::from_name("cql.Any"), Comparitor::Any);
        assert_eq!(
            Comparitor::from_name("cql.exact"),
            Comparitor::Named("cql.exact".into())
        );
    }

    #[test]
    fn clause_index_parts() {
        let c = SearchClause {
            index: "dc.title".into(),
            relation: Relation::default(),
            term: Term::literal("x"),
        };
        assert_eq!(c.index_prefix(), Some("dc"));
        assert_eq!(c.index_name(), "title");
        assert!(!c.is_server_choice());
        assert!(SearchClause::server_choice(Term::literal("x")).is_server_choice());
    }
}
