//! Syntax errors, converted from pest's own with spans into the whole file.

use super::Rule;
use crate::source::{SourceId, Span};
use miette::Diagnostic;
use thiserror::Error;

/// A rules file that does not follow the grammar.
#[derive(Debug, Error, Diagnostic, Clone, PartialEq)]
pub enum ParseError {
    /// The text does not match the grammar here.
    ///
    /// Example: `rule land.x { force }` (a force needs a value).
    #[error("unexpected {found}; expected {expected}")]
    #[diagnostic(
        code(P001),
        help("see README.md, \"Writing rules\", for the shape of each declaration")
    )]
    Unexpected {
        /// What was found.
        found: String,
        /// What the grammar allows here.
        expected: String,
        /// Where.
        #[label("here")]
        span: miette::SourceSpan,
        /// The span for sorting.
        #[doc(hidden)]
        at: Span,
    },
    /// A literal that the grammar accepts but that has no meaning.
    ///
    /// Example: `period 2016-02-30 to 2020-12-31`.
    #[error("{what}")]
    #[diagnostic(code(P002), help("{help}"))]
    BadLiteral {
        /// What is wrong.
        what: String,
        /// How to fix it.
        help: String,
        /// Where.
        #[label("here")]
        span: miette::SourceSpan,
        /// The span for sorting.
        #[doc(hidden)]
        at: Span,
    },
}

impl ParseError {
    /// Where the error lies.
    pub fn span(&self) -> Span {
        match self {
            ParseError::Unexpected { at, .. } | ParseError::BadLiteral { at, .. } => *at,
        }
    }

    pub(crate) fn bad_literal(at: Span, what: impl Into<String>, help: impl Into<String>) -> Self {
        ParseError::BadLiteral {
            what: what.into(),
            help: help.into(),
            span: at.to_miette(),
            at,
        }
    }
}

/// Converts a pest error; `base` is the byte offset of `text` in the file.
pub(super) fn from_pest(
    source: SourceId,
    text: &str,
    base: usize,
    error: &pest::error::Error<Rule>,
) -> ParseError {
    let pos = match error.location {
        pest::error::InputLocation::Pos(p) => p,
        pest::error::InputLocation::Span((s, _)) => s,
    };
    let found = match text.get(pos..).and_then(|rest| rest.chars().next()) {
        None => "end of file".to_string(),
        Some(_) => {
            let rest = text.get(pos..).unwrap_or("");
            let word: String = rest
                .chars()
                .take_while(|c| !c.is_whitespace())
                .take(24)
                .collect();
            if word.is_empty() {
                "whitespace".to_string()
            } else {
                format!("`{word}`")
            }
        }
    };
    let expected = match &error.variant {
        pest::error::ErrorVariant::ParsingError { positives, .. } => {
            let mut words: Vec<&str> = positives.iter().filter_map(|r| describe(*r)).collect();
            words.sort_unstable();
            words.dedup();
            match words.len() {
                0 => "something else".to_string(),
                1 => words.concat(),
                _ => {
                    let last = words.pop().unwrap_or_default();
                    format!("{} or {}", words.join(", "), last)
                }
            }
        }
        pest::error::ErrorVariant::CustomError { message } => message.clone(),
    };
    let len = text
        .get(pos..)
        .and_then(|r| r.chars().next())
        .map_or(0, char::len_utf8);
    let at = Span::new(source, base + pos, base + pos + len);
    ParseError::Unexpected {
        found,
        expected,
        span: at.to_miette(),
        at,
    }
}

/// Human words for grammar rules in "expected …" messages.
fn describe(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::EOI => "end of file",
        Rule::item | Rule::file => {
            "a declaration (`pack`, `enum`, `group`, `record`, `table`, `let` or `rule`)"
        }
        Rule::pack_decl => "`pack`",
        Rule::enum_decl => "`enum`",
        Rule::group_decl => "`group`",
        Rule::record_decl => "`record`",
        Rule::table_decl => "`table`",
        Rule::let_decl | Rule::rule_let => "`let`",
        Rule::rule_decl => "`rule`",
        Rule::ident => "a name",
        Rule::path => "a field path",
        Rule::rule_id => "a rule id such as `land.plot-ratio`",
        Rule::string => "a quoted string",
        Rule::number | Rule::json_number => "a number",
        Rule::date => "a date YYYY-MM-DD",
        Rule::unit | Rule::unit_atom => "a unit",
        Rule::labels => "`zh \"…\" en \"…\"`",
        Rule::pack_title | Rule::rule_title => "`title`",
        Rule::pack_period => "`period`",
        Rule::pack_source => "`source`",
        Rule::enum_value => "an enumeration value",
        Rule::field_decl => "a field declaration `path: type`",
        Rule::dated_by => "`dated by`",
        Rule::record_check => "`check`",
        Rule::type_ref | Rule::list_type => "a type or unit",
        Rule::required => "`required`",
        Rule::default_value => "`default`",
        Rule::bound => "a bound such as `> 0`",
        Rule::table_entry => "a table entry `key: value`",
        Rule::rule_force => "`force`",
        Rule::rule_subject => "`subject`",
        Rule::rule_in_force => "`in force`",
        Rule::rule_cite => "`cite`",
        Rule::rule_note => "`note`",
        Rule::rule_when => "`when`",
        Rule::rule_require => "`require`",
        Rule::rule_example => "`example`",
        Rule::track => "`by YEAR path …`",
        Rule::message => "`message`",
        Rule::expr | Rule::template_expr => "an expression",
        Rule::op_not | Rule::op_neg => "an operator",
        Rule::op_or
        | Rule::op_and
        | Rule::op_otherwise
        | Rule::op_in
        | Rule::op_le
        | Rule::op_ge
        | Rule::op_ne
        | Rule::op_eq
        | Rule::op_lt
        | Rule::op_gt
        | Rule::op_add
        | Rule::op_sub
        | Rule::op_mul
        | Rule::op_div => "an operator",
        Rule::if_expr | Rule::kw_if => "`if`",
        Rule::kw_then => "`then`",
        Rule::kw_else => "`else`",
        Rule::call => "a function call",
        Rule::lookup => "a table lookup",
        Rule::quantity => "a number",
        Rule::boolean => "`true` or `false`",
        Rule::list => "a list `[…]`",
        Rule::paren => "`(`",
        Rule::json_object => "a JSON object `{…}`",
        Rule::json_member => "a JSON member `\"name\": value`",
        Rule::json_value | Rule::json_array | Rule::json_null => "a JSON value",
        Rule::template_string => "`template`",
        _ => return None,
    })
}
