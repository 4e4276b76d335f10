//! Lowering: pest pairs → span-carrying AST.
//!
//! Each `lower_*` function turns one grammar rule into one AST node. Lowering
//! attaches spans and unescapes strings; it does no semantic work.
//! Declarations are lowered here, expressions and templates in `expr`.

mod declare;
mod expr;

use super::errors::ParseError;
use super::Rule;
use crate::ast::*;
use crate::i18n::{both, msg};
use crate::source::{SourceId, Span};
use pest::iterators::{Pair, Pairs};

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

pub(super) struct Lowerer {
    pub(super) source: SourceId,
    /// Byte offset of the parsed text in the file (non-zero inside templates).
    pub(super) base: usize,
    pub(super) errors: Vec<ParseError>,
}

impl Lowerer {
    pub(super) fn span(&self, pair: &Pair<'_, Rule>) -> Span {
        let s = pair.as_span();
        Span::new(self.source, self.base + s.start(), self.base + s.end())
    }

    /// Records that a piece the grammar guarantees is missing (a bug of
    /// plancheck): lowering fails with `P009` rather than invent a value.
    pub(super) fn internal(&mut self, what: &'static str, at: Span) {
        self.errors.push(ParseError::Internal { what, at });
    }

    pub(super) fn name(&self, pair: &Pair<'_, Rule>) -> Name {
        Spanned::new(pair.as_str().to_string(), self.span(pair))
    }

    pub(super) fn string(&self, pair: &Pair<'_, Rule>) -> Name {
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
            Rule::template_decl => Item::Template(Box::new(self.lower_template_decl(pair)?)),
            Rule::unit_decl => Item::Unit(self.lower_unit(pair)?),
            _ => return None,
        })
    }

    fn date(&mut self, pair: &Pair<'_, Rule>) -> Spanned<String> {
        let d = self.name(pair);
        if crate::units::parse_date(&d.node).is_none() {
            self.errors.push(ParseError::bad_literal(
                d.span,
                both(|l| msg::pack::not_a_date(l, &d.node)),
                both(msg::pack::date_help),
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
        let whole = self.span(&pair);
        let mut it = pair.into_inner();
        let path = match it.next() {
            Some(p) => self.name(&p),
            None => {
                self.internal("the path of a field", whole);
                Spanned::new(String::new(), whole)
            }
        };
        let missing_type = |cx: &mut Self| {
            cx.internal("the type of a field", path.span);
            TypeRef::Named(Spanned::new(String::new(), path.span))
        };
        let ty = match it.next().and_then(|t| t.into_inner().next()) {
            Some(p) if p.as_rule() == Rule::list_type => match p.into_inner().next() {
                Some(n) => TypeRef::List(self.name(&n)),
                None => missing_type(self),
            },
            Some(p) => TypeRef::Named(self.name(&p)),
            None => missing_type(self),
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
                    let span = self.span(&p);
                    let mut parts = p.into_inner();
                    let inclusive = parts
                        .next()
                        .is_some_and(|op| op.as_rule() == Rule::bound_at_least);
                    match parts.next() {
                        Some(n) => {
                            decl.bound =
                                Some(Spanned::new((n.as_str().to_string(), inclusive), span));
                        }
                        None => self.internal("the number of a bound", span),
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
        self.lower_rule_entries(id, span, it)
    }

    /// The entries of a rule (or a template's, which are a subset).
    fn lower_rule_entries<'i>(
        &mut self,
        id: Name,
        span: Span,
        entries: impl Iterator<Item = Pair<'i, Rule>>,
    ) -> RuleDecl {
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
            uses: Vec::new(),
            span,
        };
        // The conditions of `forbid when`, joined to the rule's `when` at the end.
        let mut forbidden: Option<Expr> = None;
        for e in entries {
            match e.as_rule() {
                Rule::rule_title => rule.title = e.into_inner().next().map(|l| self.labels(l)),
                Rule::rule_force => rule.force = e.into_inner().next().map(|n| self.name(&n)),
                Rule::rule_subject => rule.subject = e.into_inner().next().map(|n| self.name(&n)),
                Rule::rule_in_force => {
                    // Which date is which is read from the structure, never
                    // from the text (a comment may say "from" anywhere).
                    for bound in e.into_inner() {
                        let span = self.span(&bound);
                        let is_from = bound.as_rule() == Rule::in_force_from;
                        let Some(date) = bound.into_inner().next() else {
                            self.internal("the date of `in force`", span);
                            continue;
                        };
                        let date = self.date(&date);
                        if is_from {
                            rule.from = Some(date);
                        } else {
                            rule.until = Some(date);
                        }
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
                Rule::rule_forbid => {
                    if let Some((when, r)) = self.lower_forbid(e) {
                        forbidden = Some(match forbidden.take() {
                            None => when,
                            Some(before) => and(before, when),
                        });
                        rule.requires.push(r);
                    }
                }
                Rule::rule_use => {
                    let span = self.span(&e);
                    let mut u = e.into_inner();
                    let (Some(_keyword), Some(name)) = (u.next(), u.next()) else {
                        self.internal("the template of `use`", span);
                        continue;
                    };
                    let template = self.name(&name);
                    let args = u.map(|a| self.lower_expr(a)).collect();
                    rule.uses.push(Use {
                        template,
                        args,
                        span,
                    });
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
        if let Some(f) = forbidden {
            rule.when = Some(match rule.when.take() {
                None => f,
                Some(w) => and(w, f),
            });
        }
        rule
    }

    /// `forbid when C [at P] message M`: the condition C, and `require false
    /// [at P] message M`.
    fn lower_forbid(&mut self, pair: Pair<'_, Rule>) -> Option<(Expr, Require)> {
        let span = self.span(&pair);
        let mut it = pair.into_inner();
        let keyword = self.span(&it.next()?);
        let when = self.lower_expr(it.next()?);
        let mut at = None;
        let mut message = None;
        for p in it {
            match p.as_rule() {
                Rule::path => at = Some(self.name(&p)),
                Rule::message => message = Some(self.lower_message(p)?),
                _ => {}
            }
        }
        let require = Require {
            condition: Spanned::new(ExprKind::Bool(false), keyword),
            track: None,
            at,
            message: message?,
            span,
        };
        Some((when, require))
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
}

/// The raw text between the quotes of a string literal.
pub(super) fn inner_str<'a>(pair: &Pair<'a, Rule>) -> &'a str {
    let s = pair.as_str();
    s.strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(s)
}

pub(super) fn unescape_char(c: char) -> char {
    match c {
        'n' => '\n',
        't' => '\t',
        'r' => '\r',
        other => other,
    }
}

/// Resolves `\"`, `\\`, `\n`, `\t` and `\r`.
pub(super) fn unescape(raw: &str) -> String {
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

/// `a and b`, spanning both.
fn and(a: Expr, b: Expr) -> Expr {
    let span = a.span.join(b.span);
    Spanned::new(
        ExprKind::Binary(crate::ast::BinaryOp::And, Box::new(a), Box::new(b)),
        span,
    )
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

    fn first_rule(text: &str) -> crate::ast::RuleDecl {
        let file = crate::syntax::parse_file(SourceId(0), text).expect("parses");
        match file.items.into_iter().next() {
            Some(Item::Rule(r)) => *r,
            other => panic!("not a rule: {other:?}"),
        }
    }

    #[test]
    fn a_comment_never_changes_what_a_rule_says() {
        let r = first_rule(
            "rule a.b {\n  in force # starts from the plan's second year\n    until 2019-12-31\n}\n",
        );
        assert!(r.from.is_none(), "no start date was given");
        assert_eq!(r.until.map(|d| d.node).as_deref(), Some("2019-12-31"));
        let r = first_rule("rule a.b {\n  in force from 2017-01-01 # until later\n}\n");
        assert_eq!(r.from.map(|d| d.node).as_deref(), Some("2017-01-01"));
        assert!(r.until.is_none());
    }

    #[test]
    fn bounds_are_read_from_their_operator() {
        let file = crate::syntax::parse_file(
            SourceId(0),
            "record r {\n  a : 亩 > 0 # >= in a comment\n  b : 亩 >= 0\n}\n",
        )
        .expect("parses");
        let Some(Item::Record(r)) = file.items.first() else {
            panic!("a record")
        };
        let bounds: Vec<bool> = r
            .fields
            .iter()
            .filter_map(|f| f.bound.as_ref().map(|b| b.node.1))
            .collect();
        assert_eq!(bounds, [false, true]);
    }

    /// Lowering never reports a missing piece (`P009`) on real rule files:
    /// the grammar guarantees every piece lowering reads.
    #[test]
    fn the_grammar_guarantees_every_piece_lowering_reads() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = 0;
        for dir in ["rules", "tests/fixtures/lint"] {
            for entry in std::fs::read_dir(root.join(dir)).expect("folder") {
                let path = entry.expect("entry").path();
                if path.extension().is_none_or(|e| e != "rules") {
                    continue;
                }
                let text = std::fs::read_to_string(&path).expect("text");
                if let Err(errs) = crate::syntax::parse_file(SourceId(0), &text) {
                    assert!(
                        errs.iter().all(|e| e.code() != "P009"),
                        "{}: {errs:?}",
                        path.display()
                    );
                }
                files += 1;
            }
        }
        assert!(files > 15);
    }
}
