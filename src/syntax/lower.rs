//! Lowering: pest pairs → span-carrying AST.
//!
//! Each `lower_*` function turns one grammar rule into one AST node. Lowering
//! attaches spans and unescapes strings; it does no semantic work.

use super::errors::{from_pest, ParseError};
use super::{Rule, RulesParser};
use crate::ast::*;
use crate::source::{SourceId, Span};
use pest::iterators::{Pair, Pairs};
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
                | Op::infix(Rule::op_in, Assoc::Left))
            .op(Op::infix(Rule::op_otherwise, Assoc::Left))
            .op(Op::infix(Rule::op_add, Assoc::Left) | Op::infix(Rule::op_sub, Assoc::Left))
            .op(Op::infix(Rule::op_mul, Assoc::Left) | Op::infix(Rule::op_div, Assoc::Left))
            .op(Op::prefix(Rule::op_neg))
    })
}

/// Lowers a whole file, collecting every error.
pub(super) fn lower_file(
    source: SourceId,
    mut pairs: Pairs<'_, Rule>,
) -> Result<File, Vec<ParseError>> {
    let mut cx = Lowerer {
        source,
        base: 0,
        errors: Vec::new(),
    };
    let mut file = File::default();
    if let Some(root) = pairs.next() {
        for pair in root.into_inner() {
            if let Some(item) = cx.lower_item(pair) {
                file.items.push(item);
            }
        }
    }
    if cx.errors.is_empty() {
        Ok(file)
    } else {
        Err(cx.errors)
    }
}

struct Lowerer {
    source: SourceId,
    /// Byte offset of the parsed text in the file (non-zero inside templates).
    base: usize,
    errors: Vec<ParseError>,
}

impl Lowerer {
    fn span(&self, pair: &Pair<'_, Rule>) -> Span {
        let s = pair.as_span();
        Span::new(self.source, self.base + s.start(), self.base + s.end())
    }

    fn name(&self, pair: &Pair<'_, Rule>) -> Name {
        Spanned::new(pair.as_str().to_string(), self.span(pair))
    }

    fn string(&self, pair: &Pair<'_, Rule>) -> Name {
        Spanned::new(unescape(inner_str(pair)), self.span(pair))
    }

    fn labels(&self, pair: Pair<'_, Rule>) -> Labels {
        let mut it = pair.into_inner();
        let zh = it
            .next()
            .map(|p| self.string(&p))
            .unwrap_or_else(|| Spanned::new(String::new(), Span::default()));
        let en = it
            .next()
            .map(|p| self.string(&p))
            .unwrap_or_else(|| Spanned::new(String::new(), Span::default()));
        Labels { zh, en }
    }

    fn lower_item(&mut self, pair: Pair<'_, Rule>) -> Option<Item> {
        Some(match pair.as_rule() {
            Rule::pack_decl => Item::Pack(self.lower_pack(pair)),
            Rule::enum_decl => Item::Enum(self.lower_enum(pair)),
            Rule::group_decl => {
                let mut it = pair.into_inner();
                let name = self.name(&it.next()?);
                let fields = it.map(|p| self.lower_field(p)).collect();
                Item::Group(GroupDecl { name, fields })
            }
            Rule::record_decl => Item::Record(self.lower_record(pair)),
            Rule::table_decl => Item::Table(self.lower_table(pair)),
            Rule::let_decl => Item::Let(self.lower_let(pair)?),
            Rule::rule_decl => Item::Rule(Box::new(self.lower_rule(pair))),
            _ => return None,
        })
    }

    fn date(&mut self, pair: &Pair<'_, Rule>) -> Spanned<String> {
        let d = self.name(pair);
        if crate::units::parse_date(&d.node).is_none() {
            self.errors.push(ParseError::bad_literal(
                d.span,
                format!("`{}` is not a calendar date", d.node),
                "write a real day as YYYY-MM-DD",
            ));
        }
        d
    }

    fn lower_pack(&mut self, pair: Pair<'_, Rule>) -> PackDecl {
        let span = self.span(&pair);
        let mut it = pair.into_inner();
        let name = it
            .next()
            .map(|p| self.string(&p))
            .unwrap_or_else(|| Spanned::new(String::new(), span));
        let mut decl = PackDecl {
            name,
            title: None,
            period: None,
            source: None,
            span,
        };
        for entry in it {
            match entry.as_rule() {
                Rule::pack_title => decl.title = entry.into_inner().next().map(|l| self.labels(l)),
                Rule::pack_period => {
                    let mut d = entry.into_inner();
                    if let (Some(a), Some(b)) = (d.next(), d.next()) {
                        decl.period = Some((self.date(&a), self.date(&b)));
                    }
                }
                Rule::pack_source => {
                    decl.source = entry.into_inner().next().map(|p| self.string(&p))
                }
                _ => {}
            }
        }
        decl
    }

    fn lower_enum(&mut self, pair: Pair<'_, Rule>) -> EnumDecl {
        let mut it = pair.into_inner();
        let name = it
            .next()
            .map(|p| self.name(&p))
            .unwrap_or_else(|| Spanned::new(String::new(), Span::default()));
        let mut decl = EnumDecl {
            name,
            labels: None,
            values: Vec::new(),
        };
        for p in it {
            match p.as_rule() {
                Rule::labels => decl.labels = Some(self.labels(p)),
                Rule::enum_value => {
                    let mut v = p.into_inner();
                    let Some(n) = v.next() else { continue };
                    let name = if n.as_rule() == Rule::string {
                        self.string(&n)
                    } else {
                        self.name(&n)
                    };
                    let labels = v.next().map(|l| self.labels(l));
                    decl.values.push(EnumValue { name, labels });
                }
                _ => {}
            }
        }
        decl
    }

    fn lower_record(&mut self, pair: Pair<'_, Rule>) -> RecordDecl {
        let mut it = pair.into_inner();
        let name = it
            .next()
            .map(|p| self.name(&p))
            .unwrap_or_else(|| Spanned::new(String::new(), Span::default()));
        let mut decl = RecordDecl {
            name,
            labels: None,
            dated_by: None,
            fields: Vec::new(),
            checks: Vec::new(),
        };
        for p in it {
            match p.as_rule() {
                Rule::labels => decl.labels = Some(self.labels(p)),
                Rule::dated_by => decl.dated_by = p.into_inner().next().map(|n| self.name(&n)),
                Rule::field_decl => decl.fields.push(self.lower_field(p)),
                Rule::record_check => {
                    let mut c = p.into_inner();
                    let (Some(cond), Some(at), Some(msg)) = (c.next(), c.next(), c.next()) else {
                        continue;
                    };
                    let condition = self.lower_expr(cond);
                    let at = self.name(&at);
                    let message = msg.into_inner().next().map(|l| self.labels(l));
                    if let Some(message) = message {
                        decl.checks.push(RecordCheck {
                            condition,
                            at,
                            message,
                        });
                    }
                }
                _ => {}
            }
        }
        decl
    }

    fn lower_field(&mut self, pair: Pair<'_, Rule>) -> FieldDecl {
        let mut it = pair.into_inner();
        let path = it
            .next()
            .map(|p| self.name(&p))
            .unwrap_or_else(|| Spanned::new(String::new(), Span::default()));
        let ty = match it.next() {
            Some(t) => {
                let inner = t.into_inner().next();
                match inner {
                    Some(p) if p.as_rule() == Rule::list_type => TypeRef::List(
                        p.into_inner()
                            .next()
                            .map(|n| self.name(&n))
                            .unwrap_or_else(|| Spanned::new(String::new(), path.span)),
                    ),
                    Some(p) => TypeRef::Named(self.name(&p)),
                    None => TypeRef::Named(Spanned::new(String::new(), path.span)),
                }
            }
            None => TypeRef::Named(Spanned::new(String::new(), path.span)),
        };
        let mut decl = FieldDecl {
            path,
            ty,
            required: false,
            default: None,
            bound: None,
            labels: None,
        };
        for p in it {
            match p.as_rule() {
                Rule::required => decl.required = true,
                Rule::default_value => {
                    let mut d = p.into_inner();
                    let Some(v) = d.next() else { continue };
                    let value = if v.as_rule() == Rule::template_string {
                        match v.into_inner().next() {
                            Some(s) => DefaultValue::Template(self.lower_template(&s)),
                            None => continue,
                        }
                    } else {
                        DefaultValue::Expr(self.lower_expr(v))
                    };
                    let unless = d.next().map(|u| self.lower_expr(u));
                    decl.default = Some(Default { value, unless });
                }
                Rule::bound => {
                    let inclusive = p.as_str().trim_start().starts_with(">=");
                    let span = self.span(&p);
                    if let Some(n) = p.into_inner().next() {
                        decl.bound = Some(Spanned::new((n.as_str().to_string(), inclusive), span));
                    }
                }
                Rule::labels => decl.labels = Some(self.labels(p)),
                _ => {}
            }
        }
        decl
    }

    fn lower_table(&mut self, pair: Pair<'_, Rule>) -> TableDecl {
        let mut it = pair.into_inner();
        let name = it
            .next()
            .map(|p| self.name(&p))
            .unwrap_or_else(|| Spanned::new(String::new(), Span::default()));
        let key = it
            .next()
            .map(|p| self.name(&p))
            .unwrap_or_else(|| Spanned::new(String::new(), Span::default()));
        let mut entries = Vec::new();
        for e in it {
            let mut kv = e.into_inner();
            let (Some(k), Some(v)) = (kv.next(), kv.next()) else {
                continue;
            };
            let k = if k.as_rule() == Rule::string {
                self.string(&k)
            } else {
                self.name(&k)
            };
            entries.push((k, self.lower_expr(v)));
        }
        TableDecl { name, key, entries }
    }

    fn lower_let(&mut self, pair: Pair<'_, Rule>) -> Option<LetDecl> {
        let parts: Vec<Pair<'_, Rule>> = pair.into_inner().collect();
        let (name, ty, kind, value) = match parts.as_slice() {
            [n, k, v] => (n, None, k, v),
            [n, t, k, v] => (n, Some(t), k, v),
            _ => return None,
        };
        let (name, ty, kind) = (self.name(name), ty.map(|t| self.name(t)), self.name(kind));
        Some(LetDecl {
            name,
            ty,
            kind,
            value: self.lower_expr(value.clone()),
        })
    }

    fn lower_rule(&mut self, pair: Pair<'_, Rule>) -> RuleDecl {
        let span = self.span(&pair);
        let mut it = pair.into_inner();
        let id = it
            .next()
            .map(|p| self.name(&p))
            .unwrap_or_else(|| Spanned::new(String::new(), span));
        let mut rule = RuleDecl {
            id,
            title: None,
            force: None,
            subject: None,
            from: None,
            until: None,
            cites: Vec::new(),
            note: None,
            when: None,
            lets: Vec::new(),
            requires: Vec::new(),
            examples: Vec::new(),
            span,
        };
        for e in it {
            match e.as_rule() {
                Rule::rule_title => rule.title = e.into_inner().next().map(|l| self.labels(l)),
                Rule::rule_force => rule.force = e.into_inner().next().map(|n| self.name(&n)),
                Rule::rule_subject => rule.subject = e.into_inner().next().map(|n| self.name(&n)),
                Rule::rule_in_force => {
                    let text = e.as_str();
                    let dates: Vec<Pair<'_, Rule>> = e.clone().into_inner().collect();
                    let from_given = text.contains("from");
                    match (from_given, dates.as_slice()) {
                        (true, [a]) => rule.from = Some(self.date(a)),
                        (true, [a, b]) => {
                            rule.from = Some(self.date(a));
                            rule.until = Some(self.date(b));
                        }
                        (false, [b]) => rule.until = Some(self.date(b)),
                        _ => {}
                    }
                }
                Rule::rule_cite => {
                    let mut c = e.into_inner();
                    let Some(section) = c.next().map(|p| self.string(&p)) else {
                        continue;
                    };
                    let quotes = c.map(|p| self.string(&p)).collect();
                    rule.cites.push(Citation { section, quotes });
                }
                Rule::rule_note => rule.note = e.into_inner().next().map(|l| self.labels(l)),
                Rule::rule_when => rule.when = e.into_inner().next().map(|x| self.lower_expr(x)),
                Rule::rule_let => {
                    let mut l = e.into_inner();
                    if let (Some(n), Some(v)) = (l.next(), l.next()) {
                        let n = self.name(&n);
                        rule.lets.push((n, self.lower_expr(v)));
                    }
                }
                Rule::rule_require => {
                    if let Some(r) = self.lower_require(e) {
                        rule.requires.push(r);
                    }
                }
                Rule::rule_example => {
                    let mut x = e.into_inner();
                    if let (Some(o), Some(j)) = (x.next(), x.next()) {
                        let outcome = self.name(&o);
                        let json = self.name(&j);
                        rule.examples.push(Example { outcome, json });
                    }
                }
                _ => {}
            }
        }
        rule
    }

    fn lower_require(&mut self, pair: Pair<'_, Rule>) -> Option<Require> {
        let span = self.span(&pair);
        let mut it = pair.into_inner();
        let condition = self.lower_expr(it.next()?);
        let mut track = None;
        let mut at = None;
        let mut message = None;
        for p in it {
            match p.as_rule() {
                Rule::track => {
                    let mut t = p.into_inner();
                    let (Some(by), Some(kind), Some(from), Some(since)) =
                        (t.next(), t.next(), t.next(), t.next())
                    else {
                        continue;
                    };
                    track = Some(Track {
                        by: self.name(&by),
                        kind: self.name(&kind),
                        from: self.lower_expr(from),
                        since: self.lower_expr(since),
                    });
                }
                Rule::path => at = Some(self.name(&p)),
                Rule::message => message = Some(self.lower_message(p)?),
                _ => {}
            }
        }
        Some(Require {
            condition,
            track,
            at,
            message: message?,
            span,
        })
    }

    fn lower_message(&mut self, pair: Pair<'_, Rule>) -> Option<Message> {
        let labels = pair.into_inner().next()?;
        let mut l = labels.into_inner();
        let zh = self.lower_template(&l.next()?);
        let en = self.lower_template(&l.next()?);
        Some(Message { zh, en })
    }

    /// Splits a string literal into text and `{expr}` parts, parsing each
    /// expression with spans into the whole file.
    fn lower_template(&mut self, pair: &Pair<'_, Rule>) -> Template {
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
                            "unclosed `{` in a message",
                            "close the interpolation with `}`, or write `{{` for a literal brace",
                        ));
                        break;
                    };
                    if !text.is_empty() {
                        parts.push(TemplatePart::Text(std::mem::take(&mut text)));
                    }
                    let inner = raw.get(i + 1..close).unwrap_or("");
                    let inner_base = raw_base + i + 1;
                    match RulesParser::parse(Rule::template_expr, inner) {
                        Ok(mut pairs) => {
                            let saved = self.base;
                            self.base = inner_base;
                            if let Some(e) = pairs.next().and_then(|p| p.into_inner().next()) {
                                parts.push(TemplatePart::Expr(self.lower_expr(e)));
                            }
                            self.base = saved;
                        }
                        Err(e) => self
                            .errors
                            .push(from_pest(self.source, inner, inner_base, &e)),
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

    fn lower_expr(&mut self, pair: Pair<'_, Rule>) -> Expr {
        let source = self.source;
        let base = self.base;
        // The Pratt closures cannot borrow `self` mutably, so primaries are
        // lowered first into a queue, in source order.
        let pairs = pair.into_inner();
        let mut primaries: std::collections::VecDeque<Expr> = pairs
            .clone()
            .filter(|p| !is_operator(p.as_rule()))
            .map(|p| self.lower_primary(p))
            .collect();
        let primaries = std::cell::RefCell::new(&mut primaries);
        pratt()
            .map_primary(|_p| {
                primaries
                    .borrow_mut()
                    .pop_front()
                    .unwrap_or_else(|| Spanned::new(ExprKind::Bool(false), Span::default()))
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
                let op = match op.as_rule() {
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
                    _ => BinaryOp::Div,
                };
                Spanned::new(ExprKind::Binary(op, Box::new(lhs), Box::new(rhs)), span)
            })
            .parse(pairs)
    }

    fn lower_primary(&mut self, pair: Pair<'_, Rule>) -> Expr {
        let span = self.span(&pair);
        let kind = match pair.as_rule() {
            Rule::expr => return self.lower_expr(pair),
            Rule::paren => {
                // The parentheses belong to the expression's span, so that
                // quoting it (`rules explain`) keeps them.
                let Some(inner) = pair.into_inner().next() else {
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
                let key = it
                    .next()
                    .map(|p| self.lower_expr(p))
                    .unwrap_or_else(|| Spanned::new(ExprKind::Bool(false), span));
                ExprKind::Lookup(name, Box::new(key))
            }
            Rule::if_expr => {
                let mut exprs = pair
                    .into_inner()
                    .filter(|p| p.as_rule() == Rule::expr)
                    .map(|p| self.lower_expr(p))
                    .collect::<Vec<_>>()
                    .into_iter();
                let dummy = || Spanned::new(ExprKind::Bool(false), span);
                let c = exprs.next().unwrap_or_else(dummy);
                let a = exprs.next().unwrap_or_else(dummy);
                let b = exprs.next().unwrap_or_else(dummy);
                ExprKind::If(Box::new(c), Box::new(a), Box::new(b))
            }
            _ => ExprKind::Bool(false),
        };
        Spanned::new(kind, span)
    }
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

/// The raw text between the quotes of a string literal.
fn inner_str<'a>(pair: &Pair<'a, Rule>) -> &'a str {
    let s = pair.as_str();
    s.strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(s)
}

fn unescape_char(c: char) -> char {
    match c {
        'n' => '\n',
        't' => '\t',
        'r' => '\r',
        other => other,
    }
}

/// Resolves `\"`, `\\`, `\n`, `\t` and `\r`.
fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(e) = chars.next() {
                out.push(unescape_char(e));
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::ast::{BinaryOp, ExprKind, Item};
    use crate::source::SourceId;

    fn first_let(text: &str) -> ExprKind {
        let file = crate::syntax::parse_file(SourceId(0), text).expect("parses");
        match file.items.into_iter().next() {
            Some(Item::Let(l)) => l.value.node,
            other => panic!("not a let: {other:?}"),
        }
    }

    #[test]
    fn precedence_and_binds_tighter_than_or() {
        let e = first_let("let x for project = a or b and c");
        let ExprKind::Binary(BinaryOp::Or, _, rhs) = e else {
            panic!("{e:?}")
        };
        assert!(matches!(rhs.node, ExprKind::Binary(BinaryOp::And, _, _)));
    }

    #[test]
    fn arithmetic_binds_tighter_than_comparison() {
        let e = first_let("let x for project = a / b >= 1.0");
        let ExprKind::Binary(BinaryOp::Ge, lhs, _) = e else {
            panic!("{e:?}")
        };
        assert!(matches!(lhs.node, ExprKind::Binary(BinaryOp::Div, _, _)));
    }

    #[test]
    fn quantities_carry_compound_units() {
        let e = first_let("let x for project = 350 万元/亩");
        let ExprKind::Quantity { number, unit } = e else {
            panic!("{e:?}")
        };
        assert_eq!(number, "350");
        assert_eq!(unit.map(|u| u.node).as_deref(), Some("万元/亩"));
    }

    #[test]
    fn keywords_do_not_swallow_names() {
        let e = first_let("let x for project = indicators.pm25 in [1, 2] and notes");
        assert!(matches!(e, ExprKind::Binary(BinaryOp::And, _, _)));
    }

    #[test]
    fn syntax_error_points_at_the_offending_token() {
        let text = "rule land.x {\n  force\n}\n";
        let errs = crate::syntax::parse_file(SourceId(0), text).expect_err("fails");
        assert_eq!(errs.len(), 1);
        let span = errs[0].span();
        assert_eq!(&text[span.start..span.end], "}");
    }
}
