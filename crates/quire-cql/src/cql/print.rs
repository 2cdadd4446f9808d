//! Serialiser back to CQL text.
//!
//! Output is canonical: single spaces, lower-case keywords, quotes only
//! where needed, parentheses only where needed (right operands that are
//! booleans, and prefixed sub-queries). `parse_cql(&q.to_string()) == Ok(q)`
//! for every query the parser produces, provided the printed text fits the
//! length limit (canonical spacing and quoting can make it longer than the
//! original).

use std::fmt::{self, Write};

use super::ast::*;
use super::parse::{is_keyword, is_special};

/// True when raw text must be quoted to lex back as one term.
fn needs_quotes(raw: &str) -> bool {
    raw.is_empty() || is_keyword(raw) || raw.chars().any(|c| c.is_whitespace() || is_special(c))
}

/// Write raw escaped text as a CQL term, quoting it if necessary.
pub(crate) fn write_text(f: &mut impl Write, raw: &str) -> fmt::Result {
    if needs_quotes(raw) {
        f.write_char('"')?;
        f.write_str(raw)?;
        f.write_char('"')
    } else {
        f.write_str(raw)
    }
}

fn write_modifiers(f: &mut impl Write, mods: &[Modifier]) -> fmt::Result {
    for m in mods {
        f.write_char('/')?;
        write_text(f, &m.name)?;
        if let Some((sym, value)) = &m.value {
            f.write_str(sym.as_str())?;
            write_text(f, value.as_raw())?;
        }
    }
    Ok(())
}

fn write_prefixes(f: &mut impl Write, prefixes: &[PrefixAssignment]) -> fmt::Result {
    for p in prefixes {
        f.write_str("> ")?;
        if let Some(name) = &p.prefix {
            write_text(f, name)?;
            f.write_str(" = ")?;
        }
        write_text(f, &p.uri)?;
        f.write_char(' ')?;
    }
    Ok(())
}

fn write_node(f: &mut impl Write, node: &Node) -> fmt::Result {
    match node {
        Node::Clause(c) => write_clause(f, c),
        Node::Boolean {
            op,
            modifiers,
            left,
            right,
        } => {
            write_operand(f, left, false)?;
            f.write_char(' ')?;
            f.write_str(op.as_str())?;
            write_modifiers(f, modifiers)?;
            f.write_char(' ')?;
            write_operand(f, right, true)
        }
        Node::Prefixed { prefixes, query } => {
            f.write_char('(')?;
            write_prefixes(f, prefixes)?;
            write_node(f, query)?;
            f.write_char(')')
        }
    }
}

fn write_operand(f: &mut impl Write, node: &Node, is_right: bool) -> fmt::Result {
    if is_right && matches!(node, Node::Boolean { .. }) {
        f.write_char('(')?;
        write_node(f, node)?;
        f.write_char(')')
    } else {
        write_node(f, node)
    }
}

fn write_clause(f: &mut impl Write, c: &SearchClause) -> fmt::Result {
    let bare = c.index == SERVER_CHOICE
        && c.relation.comparitor == Comparitor::Symbol(Symbol::Eq)
        && c.relation.modifiers.is_empty();
    if !bare {
        write_text(f, &c.index)?;
        f.write_char(' ')?;
        f.write_str(c.relation.comparitor.as_str())?;
        write_modifiers(f, &c.relation.modifiers)?;
        f.write_char(' ')?;
    }
    write_text(f, c.term.as_raw())
}

impl fmt::Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_node(f, self)
    }
}

impl fmt::Display for SearchClause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_clause(f, self)
    }
}

impl fmt::Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_prefixes(f, &self.prefixes)?;
        write_node(f, &self.root)?;
        if !self.sort_keys.is_empty() {
            f.write_str(" sortBy")?;
            for k in &self.sort_keys {
                f.write_char(' ')?;
                write_text(f, &k.index)?;
                write_modifiers(f, &k.modifiers)?;
            }
        }
        Ok(())
    }
}
