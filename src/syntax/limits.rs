//! Limits on the shape of rules text, so that no rule pack can exhaust the
//! stack of the parser, of the checker or of a worker evaluating a rule.
//!
//! Rule packs may come from other repositories: a file of 5,000 nested
//! parentheses or 10,000 `not`s must be a diagnostic, never an abort. The
//! parser recurses once per nested parenthesis, bracket or `if`, so those
//! are counted in the text before it runs ([`prescan`]); an expression's
//! operands and depth are counted before and after it is built
//! ([`MAX_OPERANDS`], [`MAX_DEPTH`]). Real rules stay far below every limit.

use super::errors::ParseError;
use crate::i18n::{both, msg};
use crate::source::{SourceId, Span};

/// Parentheses and brackets open at once.
pub const MAX_NESTING: usize = 32;
/// `if`s in one clause (nested `if … else if …` chains).
pub const MAX_IFS: usize = 32;
/// Prefix operators (`not`, `-`) in a row.
pub const MAX_PREFIXES: usize = 8;
/// Operands of one expression, before parentheses group them.
pub const MAX_OPERANDS: usize = 128;
/// Depth of an expression's tree.
pub const MAX_DEPTH: usize = 96;
/// Parser calls a file may take per byte (real rules take under 5).
pub const CALLS_PER_BYTE: usize = 50;
/// A file shorter than this is allowed the calls of one this long.
pub const MIN_CALLS_BYTES: usize = 4096;

/// Words that end an expression: the next clause starts.
const CLAUSE_WORDS: [&str; 16] = [
    "rule", "require", "when", "let", "check", "message", "example", "cite", "title", "force",
    "subject", "note", "at", "default", "unless", "record",
];

/// The first place where `text` (at byte `base` of its file) goes beyond a
/// limit of nesting, as a syntax error.
pub fn prescan(source: SourceId, text: &str, base: usize) -> Option<ParseError> {
    let b = text.as_bytes();
    let mut i = 0;
    let mut open: Vec<usize> = Vec::new();
    let mut ifs = 0usize;
    let mut prefixes = 0usize;
    let error = |at: usize, what: fn(crate::i18n::Lang, usize) -> String, max: usize| {
        let span = Span::new(source, base + at, base + at + 1);
        Some(ParseError::bad_literal(
            span,
            both(|l| what(l, max)),
            both(msg::syntax::too_deep_help),
        ))
    };
    while let Some(&c) = b.get(i) {
        match c {
            b'"' => {
                // A string: its `{…}` expressions are scanned when they are parsed.
                i += 1;
                while let Some(&s) = b.get(i) {
                    if s == b'\\' {
                        i += 2;
                        continue;
                    }
                    i += 1;
                    if s == b'"' {
                        break;
                    }
                }
                prefixes = 0;
                continue;
            }
            b'#' => {
                while b.get(i).is_some_and(|&s| s != b'\n') {
                    i += 1;
                }
                continue;
            }
            b'(' | b'[' => {
                open.push(i);
                if open.len() > MAX_NESTING {
                    return error(i, msg::syntax::too_deep, MAX_NESTING);
                }
                prefixes = 0;
            }
            b')' | b']' => {
                open.pop();
                prefixes = 0;
            }
            b'{' | b'}' => {
                ifs = 0;
                prefixes = 0;
            }
            b'-' => {
                prefixes += 1;
                if prefixes > MAX_PREFIXES {
                    return error(i, msg::syntax::too_many_prefixes, MAX_PREFIXES);
                }
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let start = i;
                while b
                    .get(i)
                    .is_some_and(|&s| s.is_ascii_alphanumeric() || s == b'_' || s == b'.')
                {
                    i += 1;
                }
                let word = text.get(start..i).unwrap_or("");
                match word {
                    "not" => {
                        prefixes += 1;
                        if prefixes > MAX_PREFIXES {
                            return error(start, msg::syntax::too_many_prefixes, MAX_PREFIXES);
                        }
                    }
                    "if" => {
                        ifs += 1;
                        prefixes = 0;
                        if ifs > MAX_IFS {
                            return error(start, msg::syntax::too_many_ifs, MAX_IFS);
                        }
                    }
                    w if CLAUSE_WORDS.contains(&w) => {
                        ifs = 0;
                        prefixes = 0;
                    }
                    // An infix word keeps a run of prefixes going only after it.
                    "and" | "or" | "in" | "otherwise" | "then" | "else" => prefixes = 0,
                    _ => prefixes = 0,
                }
                continue;
            }
            c if c.is_ascii_whitespace() => {}
            _ => prefixes = 0,
        }
        i += 1;
    }
    None
}

/// The depth of an expression's tree, counted without recursion.
pub fn depth(e: &crate::ast::Expr) -> usize {
    use crate::ast::ExprKind;
    let mut deepest = 0;
    let mut stack = vec![(e, 1usize)];
    while let Some((x, d)) = stack.pop() {
        deepest = deepest.max(d);
        match &x.node {
            ExprKind::Unary(_, a) | ExprKind::Lookup(_, a) => stack.push((a, d + 1)),
            ExprKind::Binary(_, a, b) => {
                stack.push((a, d + 1));
                stack.push((b, d + 1));
            }
            ExprKind::If(a, b, c) => {
                stack.push((a, d + 1));
                stack.push((b, d + 1));
                stack.push((c, d + 1));
            }
            ExprKind::Call(_, args) | ExprKind::List(args) => {
                stack.extend(args.iter().map(|a| (a, d + 1)));
            }
            _ => {}
        }
    }
    deepest
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(text: &str) -> bool {
        prescan(SourceId(0), text, 0).is_some()
    }

    #[test]
    fn nesting_beyond_the_limits_is_refused_before_parsing() {
        assert!(refused(&format!(
            "require {}x{}",
            "(".repeat(5000),
            ")".repeat(5000)
        )));
        assert!(refused(&format!("require {}x", "not ".repeat(10_000))));
        assert!(refused(&format!("require x > {}1", "-".repeat(10_000))));
        assert!(refused(&format!(
            "require {}",
            "if a then b else ".repeat(100)
        )));
    }

    #[test]
    fn real_rules_and_strings_and_comments_pass() {
        assert!(!refused(
            "require not (a and (b or [1, 2][0] > -3)) message zh \"((((((((\" # ))))((((\n"
        ));
        let many_clauses = "when if a then b else c\n".repeat(100);
        assert!(!refused(&many_clauses));
        assert!(!refused(&format!("x {}", "(a) ".repeat(1000))));
    }
}
