//! Lowering expressions (precedence by a Pratt parser) and message
//! templates (`{…}` interpolations parsed as expressions).

use super::{inner_str, unescape, unescape_char, Lowerer};
use crate::ast::*;
use crate::i18n::{both, msg};
use crate::source::Span;
use crate::syntax::errors::{from_pest, ParseError};
use crate::syntax::{Rule, RulesParser};
use pest::iterators::Pair;
use pest::pratt_parser::{Assoc, Op, PrattParser};
use pest::Parser;
use std::sync::OnceLock;

/// Operator precedence, loosest first.
fn pratt() -> &'static PrattParser<Rule> {
    static PRATT: OnceLock<PrattParser<Rule>> = OnceLock::new();
    PRATT.get_or_init(|| {
        PrattParser::new()
            .op(Op::infix(Rule::op_or, Assoc::Left))
            .op(Op::infix(Rule::op_and, Assoc::Left))
            .op(Op::prefix(Rule::op_not))
            .op(Op::infix(Rule::op_eq, Assoc::Left)
                | Op::infix(Rule::op_ne, Assoc::Left)
                | Op::infix(Rule::op_lt, Assoc::Left)
                | Op::infix(Rule::op_le, Assoc::Left)
                | Op::infix(Rule::op_gt, Assoc::Left)
                | Op::infix(Rule::op_ge, Assoc::Left)
                | Op::infix(Rule::op_in, Assoc::Left)
                | Op::infix(Rule::op_not_in, Assoc::Left))
            .op(Op::infix(Rule::op_otherwise, Assoc::Left))
            .op(Op::infix(Rule::op_add, Assoc::Left) | Op::infix(Rule::op_sub, Assoc::Left))
            .op(Op::infix(Rule::op_mul, Assoc::Left) | Op::infix(Rule::op_div, Assoc::Left))
            .op(Op::prefix(Rule::op_neg))
    })
}

impl Lowerer {
    /// Splits a string literal into text and `{expr}` parts, parsing each
    /// expression with spans into the whole file.
    pub(super) fn lower_template(&mut self, pair: &Pair<'_, Rule>) -> Template {
        let span = self.span(pair);
        let raw = inner_str(pair);
        // The raw text starts one byte (the opening quote) after the literal.
        let raw_base = span.start + 1;
        let mut parts = Vec::new();
        let mut text = String::new();
        let mut chars = raw.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => {
                    if let Some((_, e)) = chars.next() {
                        text.push(unescape_char(e));
                    }
                }
                '{' if matches!(chars.peek(), Some((_, '{'))) => {
                    chars.next();
                    text.push('{');
                }
                '}' if matches!(chars.peek(), Some((_, '}'))) => {
                    chars.next();
                    text.push('}');
                }
                '{' => {
                    let Some(close) = raw
                        .get(i + 1..)
                        .and_then(|r| r.find('}'))
                        .map(|j| i + 1 + j)
                    else {
                        let at = Span::new(self.source, raw_base + i, raw_base + i + 1);
                        self.errors.push(ParseError::bad_literal(
                            at,
                            both(msg::syntax::unclosed_brace),
                            both(msg::syntax::unclosed_brace_help),
                        ));
                        break;
                    };
                    if !text.is_empty() {
                        parts.push(TemplatePart::Text(std::mem::take(&mut text)));
                    }
                    let inner = raw.get(i + 1..close).unwrap_or("");
                    let inner_base = raw_base + i + 1;
                    let parsed = match super::super::limits::prescan(self.source, inner, inner_base)
                    {
                        Some(e) => {
                            self.errors.push(e);
                            None
                        }
                        None => Some(RulesParser::parse(Rule::template_expr, inner)),
                    };
                    match parsed {
                        None => {}
                        Some(Ok(mut pairs)) => {
                            let saved = self.base;
                            self.base = inner_base;
                            if let Some(e) = pairs.next().and_then(|p| p.into_inner().next()) {
                                parts.push(TemplatePart::Expr(self.lower_expr(e)));
                            }
                            self.base = saved;
                        }
                        Some(Err(e)) => {
                            self.errors
                                .push(from_pest(self.source, inner, inner_base, &e))
                        }
                    }
                    while let Some((j, _)) = chars.peek() {
                        if *j > close {
                            break;
                        }
                        chars.next();
                    }
                }
                c => text.push(c),
            }
        }
        if !text.is_empty() {
            parts.push(TemplatePart::Text(text));
        }
        Template { parts, span }
    }

    pub(super) fn lower_expr(&mut self, pair: Pair<'_, Rule>) -> Expr {
        use super::super::limits::{depth, MAX_DEPTH, MAX_OPERANDS};
        let whole = self.span(&pair);
        let refused = |cx: &mut Self, what: fn(crate::i18n::Lang, usize) -> String, max: usize| {
            cx.errors.push(ParseError::bad_literal(
                whole,
                both(|l| what(l, max)),
                both(msg::syntax::too_deep_help),
            ));
            Spanned::new(ExprKind::Bool(false), whole)
        };
        // A chain of thousands of operands is refused before its tree is built.
        let operands = pair
            .clone()
            .into_inner()
            .filter(|p| !is_operator(p.as_rule()))
            .count();
        if operands > MAX_OPERANDS {
            return refused(self, msg::syntax::too_many_operands, MAX_OPERANDS);
        }
        let e = self.lower_pratt(pair);
        if depth(&e) > MAX_DEPTH {
            return refused(self, msg::syntax::expression_too_deep, MAX_DEPTH);
        }
        e
    }

    fn lower_pratt(&mut self, pair: Pair<'_, Rule>) -> Expr {
        let source = self.source;
        let base = self.base;
        let pair_span = (pair.as_span().start(), pair.as_span().end());
        // The Pratt closures cannot borrow `self` mutably, so primaries are
        // lowered first into a queue, in source order.
        let pairs = pair.into_inner();
        let mut primaries: std::collections::VecDeque<Expr> = pairs
            .clone()
            .filter(|p| !is_operator(p.as_rule()))
            .map(|p| self.lower_primary(p))
            .collect();
        let primaries = std::cell::RefCell::new(&mut primaries);
        // Pieces the grammar guarantees but the pairs lack: reported after parsing.
        let broken: std::cell::RefCell<Vec<(&'static str, Span)>> =
            std::cell::RefCell::new(Vec::new());
        let whole = Span::new(source, base + pair_span.0, base + pair_span.1);
        let e = pratt()
            .map_primary(|_p| {
                primaries.borrow_mut().pop_front().unwrap_or_else(|| {
                    broken.borrow_mut().push(("an operand", whole));
                    Spanned::new(ExprKind::Bool(false), whole)
                })
            })
            .map_prefix(move |op, rhs| {
                let s = op.as_span();
                let span = Span::new(source, base + s.start(), base + s.end()).join(rhs.span);
                let op = if op.as_rule() == Rule::op_not {
                    UnaryOp::Not
                } else {
                    UnaryOp::Neg
                };
                Spanned::new(ExprKind::Unary(op, Box::new(rhs)), span)
            })
            .map_infix(|lhs, op, rhs| {
                let span = lhs.span.join(rhs.span);
                if op.as_rule() == Rule::op_not_in {
                    let inner = ExprKind::Binary(BinaryOp::In, Box::new(lhs), Box::new(rhs));
                    let inner = Spanned::new(inner, span);
                    return Spanned::new(ExprKind::Unary(UnaryOp::Not, Box::new(inner)), span);
                }
                let Some(op) = binary_op(op.as_rule()) else {
                    broken.borrow_mut().push(("a binary operator", span));
                    return Spanned::new(ExprKind::Bool(false), span);
                };
                Spanned::new(ExprKind::Binary(op, Box::new(lhs), Box::new(rhs)), span)
            })
            .parse(pairs);
        for (what, at) in broken.into_inner() {
            self.internal(what, at);
        }
        e
    }

    fn lower_primary(&mut self, pair: Pair<'_, Rule>) -> Expr {
        let span = self.span(&pair);
        let kind = match pair.as_rule() {
            Rule::expr => return self.lower_expr(pair),
            Rule::paren => {
                // The parentheses belong to the expression's span, so that
                // quoting it (`rules explain`) keeps them.
                let Some(inner) = pair.into_inner().next() else {
                    self.internal("the expression in parentheses", span);
                    return Spanned::new(ExprKind::Bool(false), span);
                };
                let e = self.lower_expr(inner);
                return Spanned::new(e.node, span);
            }
            Rule::quantity => {
                let mut it = pair.into_inner();
                let number = it
                    .next()
                    .map(|n| n.as_str().to_string())
                    .unwrap_or_default();
                let unit = it.next().map(|u| self.name(&u));
                ExprKind::Quantity { number, unit }
            }
            Rule::string => ExprKind::Str(unescape(inner_str(&pair))),
            Rule::boolean => ExprKind::Bool(pair.as_str() == "true"),
            Rule::path => ExprKind::Path(pair.as_str().to_string()),
            Rule::list => ExprKind::List(pair.into_inner().map(|p| self.lower_expr(p)).collect()),
            Rule::call => {
                let mut it = pair.into_inner();
                let name = it
                    .next()
                    .map(|n| self.name(&n))
                    .unwrap_or_else(|| Spanned::new(String::new(), span));
                ExprKind::Call(name, it.map(|p| self.lower_expr(p)).collect())
            }
            Rule::lookup => {
                let mut it = pair.into_inner();
                let name = it
                    .next()
                    .map(|n| self.name(&n))
                    .unwrap_or_else(|| Spanned::new(String::new(), span));
                let key = match it.next() {
                    Some(p) => self.lower_expr(p),
                    None => {
                        self.internal("the key of a lookup", span);
                        Spanned::new(ExprKind::Bool(false), span)
                    }
                };
                ExprKind::Lookup(name, Box::new(key))
            }
            Rule::if_expr => {
                let mut exprs = pair
                    .into_inner()
                    .filter(|p| p.as_rule() == Rule::expr)
                    .map(|p| self.lower_expr(p))
                    .collect::<Vec<_>>()
                    .into_iter();
                let (Some(c), Some(a), Some(b)) = (exprs.next(), exprs.next(), exprs.next()) else {
                    self.internal("the three parts of an `if`", span);
                    return Spanned::new(ExprKind::Bool(false), span);
                };
                ExprKind::If(Box::new(c), Box::new(a), Box::new(b))
            }
            _ => {
                self.internal("an operand", span);
                ExprKind::Bool(false)
            }
        };
        Spanned::new(kind, span)
    }
}

/// The binary operator of an operator rule (`None` for a rule that is none).
fn binary_op(rule: Rule) -> Option<BinaryOp> {
    Some(match rule {
        Rule::op_or => BinaryOp::Or,
        Rule::op_and => BinaryOp::And,
        Rule::op_otherwise => BinaryOp::Otherwise,
        Rule::op_in => BinaryOp::In,
        Rule::op_eq => BinaryOp::Eq,
        Rule::op_ne => BinaryOp::Ne,
        Rule::op_lt => BinaryOp::Lt,
        Rule::op_le => BinaryOp::Le,
        Rule::op_gt => BinaryOp::Gt,
        Rule::op_ge => BinaryOp::Ge,
        Rule::op_add => BinaryOp::Add,
        Rule::op_sub => BinaryOp::Sub,
        Rule::op_mul => BinaryOp::Mul,
        Rule::op_div => BinaryOp::Div,
        _ => return None,
    })
}

fn is_operator(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::op_not
            | Rule::op_neg
            | Rule::op_or
            | Rule::op_and
            | Rule::op_otherwise
            | Rule::op_in
            | Rule::op_not_in
            | Rule::op_le
            | Rule::op_ge
            | Rule::op_ne
            | Rule::op_eq
            | Rule::op_lt
            | Rule::op_gt
            | Rule::op_add
            | Rule::op_sub
            | Rule::op_mul
            | Rule::op_div
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operator_rule_of_the_grammar_is_lowered() {
        for rule in Rule::all_rules() {
            let name = format!("{rule:?}");
            assert_eq!(
                is_operator(*rule),
                name.starts_with("op_"),
                "{name}: operators are exactly the op_ rules"
            );
            // `not in` lowers to `not` of `in`, in the Pratt parser's infix map.
            if is_operator(*rule) && !matches!(rule, Rule::op_not | Rule::op_neg | Rule::op_not_in)
            {
                assert!(binary_op(*rule).is_some(), "{name} has a binary operator");
            }
        }
    }
}
