//! CQL lexer and recursive-descent parser.
//!
//! Grammar (CQL 1.2 / 2.0):
//!
//! ```text
//! sortedQuery   ::= prefixAssignment* scopedClause ['sortBy' sortKey+]
//! cqlQuery      ::= prefixAssignment* scopedClause
//! scopedClause  ::= scopedClause booleanGroup searchClause | searchClause
//! booleanGroup  ::= ('and' | 'or' | 'not' | 'prox') modifier*
//! searchClause  ::= '(' cqlQuery ')' | index relation term | term
//! relation      ::= comparitor modifier*
//! modifier      ::= '/' name [symbol value]
//! prefixAssignment ::= '>' [prefix '='] uri
//! sortKey       ::= index modifier*
//! ```
//!
//! Recursion happens only at parentheses and is bounded by
//! [`CqlLimits::max_depth`]; boolean chains are parsed iteratively.

use super::ast::*;
use super::error::{CqlError, CqlErrorKind};

/// Limits that protect the parser (and anything walking the AST) from
/// abusive input. Exceeding one is an error, never a crash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CqlLimits {
    /// Maximum query length in bytes (SRU diagnostic 12). Default 8192.
    pub max_length: usize,
    /// Maximum parenthesis nesting depth (diagnostic 13). Default 32.
    pub max_depth: usize,
    /// Maximum number of boolean operators (diagnostic 38). Default 256.
    pub max_booleans: usize,
}

impl Default for CqlLimits {
    fn default() -> Self {
        CqlLimits {
            max_length: 8192,
            max_depth: 32,
            max_booleans: 256,
        }
    }
}

/// Parse a CQL query with the default [`CqlLimits`].
///
/// ```
/// let q = quire_cql::parse_cql("dc.title any \"lord rings\" and dc.date > 1950 sortBy dc.date/sort.descending").unwrap();
/// assert_eq!(q.clauses().len(), 2);
/// assert!(q.sort_keys[0].is_descending());
/// ```
pub fn parse_cql(input: &str) -> Result<Query, CqlError> {
    parse_cql_with_limits(input, CqlLimits::default())
}

/// Parse a CQL query with explicit limits.
pub fn parse_cql_with_limits(input: &str, limits: CqlLimits) -> Result<Query, CqlError> {
    if input.len() > limits.max_length {
        return Err(CqlError::new(
            CqlErrorKind::TooLong {
                max: limits.max_length,
            },
            limits.max_length,
        ));
    }
    let mut p = Parser {
        lex: Lexer { src: input, pos: 0 },
        peeked: None,
        limits,
        depth: 0,
        booleans: 0,
    };
    if input.trim().is_empty() {
        return Err(CqlError::new(CqlErrorKind::EmptyQuery, input.len()));
    }
    let prefixes = p.parse_prefixes()?;
    let root = p.parse_scoped()?;
    let mut sort_keys = Vec::new();
    let t = p.next()?;
    match t.tok {
        Tok::Eof => {}
        Tok::Word(ref w) if w.eq_ignore_ascii_case("sortby") => loop {
            let t = p.next()?;
            let index = match t.tok {
                Tok::Word(w) | Tok::Quoted(w) => w,
                Tok::Eof if !sort_keys.is_empty() => break,
                Tok::Eof => {
                    return Err(CqlError::new(CqlErrorKind::MissingSortKey, t.start));
                }
                _ => return Err(unexpected(&t, input, "a sort key (index name)")),
            };
            let modifiers = p.parse_modifiers()?;
            sort_keys.push(SortKey { index, modifiers });
        },
        Tok::RParen => return Err(CqlError::new(CqlErrorKind::UnmatchedCloseParen, t.start)),
        _ => {
            return Err(unexpected(
                &t,
                input,
                "a boolean operator, 'sortBy' or the end of the query",
            ));
        }
    }
    Ok(Query {
        prefixes,
        root,
        sort_keys,
    })
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    LParen,
    RParen,
    Slash,
    Sym(Symbol),
    /// Unquoted word, raw escaped text.
    Word(String),
    /// Quoted string content, raw escaped text.
    Quoted(String),
    Eof,
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    start: usize,
    end: usize,
}

/// True for characters that end an unquoted word.
pub(crate) fn is_special(c: char) -> bool {
    matches!(c, '(' | ')' | '=' | '<' | '>' | '/' | '"')
}

struct Lexer<'a> {
    src: &'a str,
    pos: usize,
}

impl Lexer<'_> {
    fn peek_char(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek_char()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn next_token(&mut self) -> Result<Token, CqlError> {
        while let Some(c) = self.peek_char() {
            if c.is_whitespace() {
                self.bump();
            } else {
                break;
            }
        }
        let start = self.pos;
        let Some(c) = self.bump() else {
            return Ok(Token {
                tok: Tok::Eof,
                start,
                end: start,
            });
        };
        let tok = match c {
            '(' => Tok::LParen,
            ')' => Tok::RParen,
            '/' => Tok::Slash,
            '=' => {
                if self.peek_char() == Some('=') {
                    self.bump();
                    Tok::Sym(Symbol::ExactEq)
                } else {
                    Tok::Sym(Symbol::Eq)
                }
            }
            '<' => match self.peek_char() {
                Some('=') => {
                    self.bump();
                    Tok::Sym(Symbol::Le)
                }
                Some('>') => {
                    self.bump();
                    Tok::Sym(Symbol::NotEq)
                }
                _ => Tok::Sym(Symbol::Lt),
            },
            '>' => {
                if self.peek_char() == Some('=') {
                    self.bump();
                    Tok::Sym(Symbol::Ge)
                } else {
                    Tok::Sym(Symbol::Gt)
                }
            }
            '"' => {
                let mut s = String::new();
                loop {
                    match self.bump() {
                        None => {
                            return Err(CqlError::new(CqlErrorKind::UnterminatedQuote, start));
                        }
                        Some('"') => break,
                        Some('\\') => {
                            s.push('\\');
                            match self.bump() {
                                Some(n) => s.push(n),
                                None => {
                                    return Err(CqlError::new(
                                        CqlErrorKind::UnterminatedQuote,
                                        start,
                                    ));
                                }
                            }
                        }
                        Some(ch) => s.push(ch),
                    }
                }
                Tok::Quoted(s)
            }
            _ => {
                let mut s = String::new();
                let mut ch = c;
                loop {
                    s.push(ch);
                    if ch == '\\' {
                        let at = self.pos - 1;
                        match self.bump() {
                            Some(n) => s.push(n),
                            None => return Err(CqlError::new(CqlErrorKind::DanglingEscape, at)),
                        }
                    }
                    match self.peek_char() {
                        Some(n) if !n.is_whitespace() && !is_special(n) => {
                            self.bump();
                            ch = n;
                        }
                        _ => break,
                    }
                }
                Tok::Word(s)
            }
        };
        Ok(Token {
            tok,
            start,
            end: self.pos,
        })
    }
}

struct Parser<'a> {
    lex: Lexer<'a>,
    peeked: Option<Token>,
    limits: CqlLimits,
    depth: usize,
    booleans: usize,
}

fn unexpected(t: &Token, src: &str, expected: &'static str) -> CqlError {
    let found = if t.tok == Tok::Eof {
        "end of query".to_string()
    } else {
        let text: String = src
            .get(t.start..t.end)
            .unwrap_or("")
            .chars()
            .take(40)
            .collect();
        format!("'{text}'")
    };
    CqlError::new(CqlErrorKind::Unexpected { found, expected }, t.start)
}

fn boolean_keyword(w: &str) -> Option<BooleanOp> {
    if w.eq_ignore_ascii_case("and") {
        Some(BooleanOp::And)
    } else if w.eq_ignore_ascii_case("or") {
        Some(BooleanOp::Or)
    } else if w.eq_ignore_ascii_case("not") {
        Some(BooleanOp::Not)
    } else if w.eq_ignore_ascii_case("prox") {
        Some(BooleanOp::Prox)
    } else {
        None
    }
}

/// True for words that have a keyword meaning somewhere in CQL.
pub(crate) fn is_keyword(w: &str) -> bool {
    boolean_keyword(w).is_some() || w.eq_ignore_ascii_case("sortby")
}

impl Parser<'_> {
    fn peek(&mut self) -> Result<&Token, CqlError> {
        if self.peeked.is_none() {
            self.peeked = Some(self.lex.next_token()?);
        }
        match &self.peeked {
            Some(t) => Ok(t),
            None => unreachable_token(),
        }
    }

    fn next(&mut self) -> Result<Token, CqlError> {
        match self.peeked.take() {
            Some(t) => Ok(t),
            None => self.lex.next_token(),
        }
    }

    fn parse_prefixes(&mut self) -> Result<Vec<PrefixAssignment>, CqlError> {
        let mut out = Vec::new();
        while self.peek()?.tok == Tok::Sym(Symbol::Gt) {
            self.next()?;
            let first = self.term_token("a prefix or context set URI after '>'")?;
            if self.peek()?.tok == Tok::Sym(Symbol::Eq) {
                self.next()?;
                let uri = self.term_token("a context set URI")?;
                out.push(PrefixAssignment {
                    prefix: Some(first),
                    uri,
                });
            } else {
                out.push(PrefixAssignment {
                    prefix: None,
                    uri: first,
                });
            }
        }
        Ok(out)
    }

    /// Any word (keywords included) or quoted string.
    fn term_token(&mut self, expected: &'static str) -> Result<String, CqlError> {
        let t = self.next()?;
        match t.tok {
            Tok::Word(w) | Tok::Quoted(w) => Ok(w),
            _ => Err(self.unexpected(&t, expected)),
        }
    }

    fn unexpected(&self, t: &Token, expected: &'static str) -> CqlError {
        if t.tok == Tok::RParen && self.depth == 0 {
            return CqlError::new(CqlErrorKind::UnmatchedCloseParen, t.start);
        }
        unexpected(t, self.lex.src, expected)
    }

    fn parse_scoped(&mut self) -> Result<Node, CqlError> {
        let mut left = self.parse_search_clause()?;
        loop {
            let op = match &self.peek()?.tok {
                Tok::Word(w) => boolean_keyword(w),
                _ => None,
            };
            let Some(op) = op else { break };
            let t = self.next()?;
            self.booleans += 1;
            if self.booleans > self.limits.max_booleans {
                return Err(CqlError::new(
                    CqlErrorKind::TooManyBooleans {
                        max: self.limits.max_booleans,
                    },
                    t.start,
                ));
            }
            let modifiers = self.parse_modifiers()?;
            let right = self.parse_search_clause()?;
            left = Node::Boolean {
                op,
                modifiers,
                left: Box::new(left),
                right: Box::new(right),
            };
        }
        Ok(left)
    }

    fn parse_modifiers(&mut self) -> Result<Vec<Modifier>, CqlError> {
        let mut out = Vec::new();
        while self.peek()?.tok == Tok::Slash {
            self.next()?;
            let name = self.term_token("a modifier name after '/'")?;
            let value = if let Tok::Sym(s) = self.peek()?.tok {
                self.next()?;
                let v = self.term_token("a modifier value")?;
                Some((s, Term::from_raw_unchecked(v)))
            } else {
                None
            };
            out.push(Modifier { name, value });
        }
        Ok(out)
    }

    fn parse_search_clause(&mut self) -> Result<Node, CqlError> {
        let t = self.next()?;
        match t.tok {
            Tok::LParen => {
                if self.depth >= self.limits.max_depth {
                    return Err(CqlError::new(
                        CqlErrorKind::TooDeep {
                            max: self.limits.max_depth,
                        },
                        t.start,
                    ));
                }
                if self.peek()?.tok == Tok::RParen {
                    let close = self.next()?;
                    return Err(CqlError::new(CqlErrorKind::EmptyParens, close.start));
                }
                self.depth += 1;
                let prefixes = self.parse_prefixes()?;
                let inner = self.parse_scoped()?;
                let close = self.next()?;
                match &close.tok {
                    Tok::RParen => {}
                    Tok::Eof => {
                        return Err(CqlError::new(
                            CqlErrorKind::MissingCloseParen { open: t.start },
                            close.start,
                        ));
                    }
                    Tok::Word(w) if w.eq_ignore_ascii_case("sortby") => {
                        return Err(CqlError::new(
                            CqlErrorKind::SortByNotAtTopLevel,
                            close.start,
                        ));
                    }
                    _ => return Err(self.unexpected(&close, "a boolean operator or ')'")),
                }
                self.depth -= 1;
                if prefixes.is_empty() {
                    Ok(inner)
                } else {
                    Ok(Node::Prefixed {
                        prefixes,
                        query: Box::new(inner),
                    })
                }
            }
            Tok::Word(first) | Tok::Quoted(first) => {
                let comparitor = match &self.peek()?.tok {
                    Tok::Sym(s) => Some(Comparitor::Symbol(*s)),
                    Tok::Word(w) if !is_keyword(w) => Some(Comparitor::from_name(w)),
                    _ => None,
                };
                let Some(comparitor) = comparitor else {
                    return Ok(Node::Clause(SearchClause::server_choice(
                        Term::from_raw_unchecked(first),
                    )));
                };
                let rel = self.next()?;
                let modifiers = self.parse_modifiers()?;
                let t = self.next()?;
                let term = match t.tok {
                    Tok::Word(w) | Tok::Quoted(w) => w,
                    // `harry potter`: the second word was taken as an
                    // unknown relation; point at it rather than at the end.
                    _ if matches!(comparitor, Comparitor::Named(_)) && modifiers.is_empty() => {
                        return Err(unexpected(
                            &rel,
                            self.lex.src,
                            "a boolean operator, a relation or the end of the query (quote multi-word terms)",
                        ));
                    }
                    _ => return Err(self.unexpected(&t, "a search term")),
                };
                Ok(Node::Clause(SearchClause {
                    index: first,
                    relation: Relation {
                        comparitor,
                        modifiers,
                    },
                    term: Term::from_raw_unchecked(term),
                }))
            }
            _ => Err(self.unexpected(&t, "a search term, index or '('")),
        }
    }
}

/// `peek` always fills the slot before reading it; this keeps the code free
/// of `unwrap` while making the impossible case an ordinary error.
fn unreachable_token<T>() -> Result<T, CqlError> {
    Err(CqlError::new(
        CqlErrorKind::Unexpected {
            found: "internal lexer state".into(),
            expected: "a token",
        },
        0,
    ))
}
