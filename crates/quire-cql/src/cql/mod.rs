//! CQL (Contextual Query Language, CQL 1.2 / 2.0): parser, AST and printer.

pub mod ast;
pub mod error;
pub mod parse;
pub mod print;

#[cfg(test)]
mod tests;
