//! Syntax errors, converted from pest's own with spans into the whole file.

use super::Rule;
use crate::diagnostics::Localized;
use crate::i18n::{both, msg, Bilingual, Lang};
use crate::source::{SourceId, Span};

/// A rules file that does not follow the grammar.
#[derive(Debug, Clone, PartialEq)]
pub enum ParseError {
    /// The text does not match the grammar here.
    ///
    /// Example: `rule land.x { force }` (a force needs a value).
    Unexpected {
        /// What was found.
        found: Bilingual<String>,
        /// What the grammar allows here.
        expected: Bilingual<String>,
        /// Where.
        at: Span,
    },
    /// A literal that the grammar accepts but that has no meaning.
    ///
    /// Example: `period 2016-02-30 to 2020-12-31`.
    BadLiteral {
        /// What is wrong.
        what: Bilingual<String>,
        /// How to fix it.
        help: Bilingual<String>,
        /// Where.
        at: Span,
    },
    /// A piece the grammar guarantees is not there: a bug of plancheck,
    /// never of the rules. Lowering says so instead of inventing a value;
    /// `syntax::tests` proves it does not occur.
    Internal {
        /// The piece expected.
        what: &'static str,
        /// Where.
        at: Span,
    },
}

impl ParseError {
    /// Where the error lies.
    pub fn span(&self) -> Span {
        match self {
            ParseError::Unexpected { at, .. }
            | ParseError::BadLiteral { at, .. }
            | ParseError::Internal { at, .. } => *at,
        }
    }

    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            ParseError::Unexpected { .. } => "P001",
            ParseError::BadLiteral { .. } => "P002",
            ParseError::Internal { .. } => "P009",
        }
    }

    pub(crate) fn bad_literal(at: Span, what: Bilingual<String>, help: Bilingual<String>) -> Self {
        ParseError::BadLiteral { what, help, at }
    }

    /// The diagnostic in both languages (without its source: `load` adds it).
    pub fn localized(&self) -> Localized {
        let (message, help) = match self {
            ParseError::Unexpected {
                found, expected, ..
            } => (
                both(|l| msg::pack::unexpected(l, found.text(l), expected.text(l))),
                both(msg::pack::syntax_help),
            ),
            ParseError::BadLiteral { what, help, .. } => (what.clone(), help.clone()),
            ParseError::Internal { what, .. } => (
                both(|l| msg::syntax::internal(l, what)),
                both(msg::syntax::internal_help),
            ),
        };
        Localized {
            code: self.code(),
            message,
            help: Some(help),
            label: both(msg::pack::label_here),
            span: Some(self.span().to_miette()),
            source: None,
        }
    }
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.localized().message.text(Lang::En))
    }
}

impl std::error::Error for ParseError {}

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
    // pest's own words when a parse takes more calls than allowed.
    if let pest::error::ErrorVariant::CustomError { message } = &error.variant {
        if message.contains("call limit") {
            let len = text
                .get(pos..)
                .and_then(|r| r.chars().next())
                .map_or(0, char::len_utf8);
            return ParseError::bad_literal(
                Span::new(source, base + pos, base + pos + len),
                both(msg::syntax::too_complex),
                both(msg::syntax::too_complex_help),
            );
        }
    }
    let found = match text.get(pos..).and_then(|rest| rest.chars().next()) {
        None => both(msg::syntax::end_of_file),
        Some(_) => {
            let rest = text.get(pos..).unwrap_or("");
            let word: String = rest
                .chars()
                .take_while(|c| !c.is_whitespace())
                .take(24)
                .collect();
            if word.is_empty() {
                both(msg::syntax::whitespace)
            } else {
                both(|_| format!("`{word}`"))
            }
        }
    };
    let expected = match &error.variant {
        pest::error::ErrorVariant::ParsingError { positives, .. } => both(|l| {
            let mut words: Vec<String> = positives.iter().filter_map(|r| describe(*r, l)).collect();
            words.sort_unstable();
            words.dedup();
            match words.len() {
                0 => msg::syntax::something_else(l),
                1 => words.concat(),
                _ => {
                    let last = words.pop().unwrap_or_default();
                    msg::syntax::either(l, &words.join(l.list_separator()), &last)
                }
            }
        }),
        pest::error::ErrorVariant::CustomError { message } => both(|_| message.clone()),
    };
    let len = text
        .get(pos..)
        .and_then(|r| r.chars().next())
        .map_or(0, char::len_utf8);
    let at = Span::new(source, base + pos, base + pos + len);
    ParseError::Unexpected {
        found,
        expected,
        at,
    }
}

/// Human words for grammar rules in "expected …" messages.
fn describe(rule: Rule, lang: Lang) -> Option<String> {
    use msg::syntax as m;
    let code = |s: &str| Some(s.to_string());
    match rule {
        Rule::EOI => Some(m::end_of_file(lang)),
        Rule::item | Rule::file => Some(m::declaration(lang)),
        Rule::pack_decl => code("`pack`"),
        Rule::enum_decl => code("`enum`"),
        Rule::group_decl => code("`group`"),
        Rule::record_decl => code("`record`"),
        Rule::table_decl => code("`table`"),
        Rule::let_decl | Rule::rule_let => code("`let`"),
        Rule::rule_decl => code("`rule`"),
        Rule::ident => Some(m::name(lang)),
        Rule::path => Some(m::field_path(lang)),
        Rule::rule_id => Some(m::rule_id(lang)),
        Rule::string => Some(m::string(lang)),
        Rule::number | Rule::json_number | Rule::quantity => Some(m::number(lang)),
        Rule::date => Some(m::date(lang)),
        Rule::unit | Rule::unit_atom => Some(m::unit(lang)),
        Rule::labels => code("`zh \"…\" en \"…\"`"),
        Rule::pack_title | Rule::rule_title => code("`title`"),
        Rule::pack_period => code("`period`"),
        Rule::pack_source => code("`source`"),
        Rule::enum_value => Some(m::enum_value(lang)),
        Rule::field_decl => Some(m::field_decl(lang)),
        Rule::dated_by => code("`dated by`"),
        Rule::record_check => code("`check`"),
        Rule::type_ref | Rule::list_type => Some(m::type_or_unit(lang)),
        Rule::required => code("`required`"),
        Rule::default_value => code("`default`"),
        Rule::bound => Some(m::bound(lang)),
        Rule::table_entry => Some(m::table_entry(lang)),
        Rule::rule_force => code("`force`"),
        Rule::rule_subject => code("`subject`"),
        Rule::rule_in_force => code("`in force`"),
        Rule::rule_cite => code("`cite`"),
        Rule::rule_note => code("`note`"),
        Rule::rule_when => code("`when`"),
        Rule::rule_require => code("`require`"),
        Rule::rule_example => code("`example`"),
        Rule::track => code("`by YEAR path …`"),
        Rule::message => code("`message`"),
        Rule::expr | Rule::template_expr => Some(m::expression(lang)),
        Rule::op_not
        | Rule::op_neg
        | Rule::op_or
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
        | Rule::op_div => Some(m::operator(lang)),
        Rule::if_expr | Rule::kw_if => code("`if`"),
        Rule::kw_then => code("`then`"),
        Rule::kw_else => code("`else`"),
        Rule::call => Some(m::call(lang)),
        Rule::lookup => Some(m::lookup(lang)),
        Rule::boolean => code("`true` / `false`"),
        Rule::list => Some(m::list(lang)),
        Rule::paren => code("`(`"),
        Rule::json_object => Some(m::json_object(lang)),
        Rule::json_member => Some(m::json_member(lang)),
        Rule::json_value | Rule::json_array | Rule::json_null => Some(m::json_value(lang)),
        Rule::template_string => code("`template`"),
        _ => None,
    }
}
