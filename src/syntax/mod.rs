//! Syntax: rules text → [`ast::File`](crate::ast::File).
//!
//! Input: the text of one rules file and its [`SourceId`]. Output: a
//! span-carrying syntax tree, or every syntax error found. This is the only
//! module that names pest's types; it never resolves names or types.

mod errors;
pub mod format;
pub mod limits;
mod lower;

pub use errors::ParseError;

use crate::ast;
use crate::source::SourceId;
use pest::Parser;

/// The pest parser generated from `grammar/rules.pest`.
#[derive(pest_derive::Parser)]
#[grammar = "grammar/rules.pest"]
struct RulesParser;

/// Parses one rules file.
pub fn parse_file(source: SourceId, text: &str) -> Result<ast::File, Vec<ParseError>> {
    // The parser recurses on nesting: text nested beyond the limits never reaches it.
    if let Some(e) = limits::prescan(source, text, 0) {
        return Err(vec![e]);
    }
    // A PEG parser backtracks: a crafted file (an `if` whose `else` runs
    // into another that fails, nested) can make it retry the same text
    // exponentially often. Real rules take under 5 parser calls per byte;
    // a file may take [`limits::CALLS_PER_BYTE`] before it is refused. The
    // limit is pest's, process-wide: parses take turns so that each runs
    // under its own (a file parses in milliseconds).
    static TURN: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _turn = TURN
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    pest::set_call_limit(std::num::NonZeroUsize::new(
        limits::CALLS_PER_BYTE.saturating_mul(text.len().max(limits::MIN_CALLS_BYTES)),
    ));
    match RulesParser::parse(Rule::file, text) {
        Ok(pairs) => lower::lower_file(source, pairs),
        Err(error) => Err(vec![errors::from_pest(source, text, 0, &error)]),
    }
}
