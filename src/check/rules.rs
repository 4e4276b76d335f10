//! Rules: title, force, subject, period, citations, condition, local
//! values, requirements with their paths and messages, and examples.

use super::{keyword, keyword_ctx, text2, CheckErrorKind, Checker, Scope, Thing};
use crate::ast;
use crate::diagnostics::suggest;
use crate::i18n::{both, msg, Bilingual};
use crate::pack::*;
use crate::units::{parse_date, Dim, Number};
use std::sync::Arc;

impl Checker {
    /// Checks every rule; ids are unique.
    pub(super) fn rules(
        &mut self,
        items: &[&ast::Item],
        doc_text: Option<&str>,
        doc_name: &str,
    ) -> Vec<RuleDef> {
        let mut rules: Vec<RuleDef> = Vec::new();
        let mut ids = std::collections::HashSet::new();
        for item in items {
            if let ast::Item::Rule(r) = item {
                if !ids.insert(r.id.node.as_str()) {
                    self.err(
                        CheckErrorKind::Duplicate {
                            what: Thing::Rule,
                            name: r.id.node.clone(),
                        },
                        r.id.span,
                        Some(both(msg::pack::unique_rule_ids)),
                    );
                    continue;
                }
                self.current_rule = Some(r.id.node.clone());
                let rule = self.rule(r.as_ref(), doc_text, doc_name);
                self.current_rule = None;
                if let Some(rule) = rule {
                    rules.push(rule);
                }
            }
        }
        rules
    }

    pub(super) fn rule(
        &mut self,
        r: &ast::RuleDecl,
        doc: Option<&str>,
        doc_name: &str,
    ) -> Option<RuleDef> {
        let id = r.id.node.clone();
        let missing = |cx: &mut Self, part: &str, help: fn(crate::i18n::Lang) -> String| {
            cx.err(
                CheckErrorKind::MissingPart {
                    what: Thing::Rule,
                    name: id.clone(),
                    part: keyword(part),
                },
                r.id.span,
                Some(both(help)),
            );
        };
        let title = match &r.title {
            Some(t) => text2(t),
            None => {
                missing(self, "title", msg::pack::add_title);
                Bilingual::default()
            }
        };
        let force = match &r.force {
            Some(f) => match Force::ALL.iter().find(|(n, _)| *n == f.node) {
                Some((_, force)) => Some(*force),
                None => {
                    let help = suggest(&f.node, Force::ALL.iter().map(|(n, _)| *n));
                    self.err(
                        CheckErrorKind::Unknown {
                            what: Thing::Force,
                            name: f.node.clone(),
                        },
                        f.span,
                        help.or_else(|| Some(both(msg::pack::force_help))),
                    );
                    None
                }
            },
            None => {
                missing(self, "force", msg::pack::add_force);
                None
            }
        };
        let subject = match &r.subject {
            Some(s) => self.kind_id(s),
            None => {
                missing(self, "subject", msg::pack::add_subject);
                None
            }
        };
        if r.cites.is_empty() {
            self.err(
                CheckErrorKind::NoCitation { rule: id.clone() },
                r.id.span,
                Some(both(msg::pack::add_cite)),
            );
        }
        let cites = self.citations(&r.cites, doc, doc_name);
        let kind = subject?;
        let mut scope = Scope {
            kind: Some(kind),
            ..Scope::default()
        };
        let when = r
            .when
            .as_ref()
            .and_then(|w| self.expr(w, &scope))
            .map(|w| self.want_bool(w, &keyword_ctx("when")));
        let mut locals = Vec::new();
        for (name, value) in &r.lets {
            if scope.locals.iter().any(|(n, _)| *n == name.node) {
                self.err(
                    CheckErrorKind::Duplicate {
                        what: Thing::Local,
                        name: name.node.clone(),
                    },
                    name.span,
                    None,
                );
                continue;
            }
            if let Some(e) = self.expr(value, &scope) {
                scope.locals.push((name.node.clone(), e.ty.clone()));
                locals.push((name.node.clone(), e));
            }
        }
        let mut requires = Vec::new();
        for req in &r.requires {
            if let Some(q) = self.require(req, &scope) {
                requires.push(q);
            }
        }
        // A rule that takes its requirements from a template it could not
        // use has that error already.
        if r.requires.is_empty() && !self.failed_uses.contains(&id) {
            missing(self, "require", msg::pack::add_require);
        }
        let date = |cx: &mut Self, d: &Option<ast::Spanned<String>>| {
            d.as_ref().and_then(|d| parse_date(&d.node)).or_else(|| {
                let _ = cx;
                None
            })
        };
        let from = date(self, &r.from);
        let until = date(self, &r.until);
        if let (Some(f), Some(u), Some(fs), Some(us)) = (from, until, &r.from, &r.until) {
            if u < f {
                self.err(
                    CheckErrorKind::EndsBeforeStart {
                        start: fs.node.clone(),
                        end: us.node.clone(),
                    },
                    fs.span.join(us.span),
                    Some(both(msg::pack::swap_dates)),
                );
            }
        }
        // A rule in force only outside the pack's period never applies.
        let (start, end) = self.period;
        let outside = from.is_some_and(|f| f > end) || until.is_some_and(|u| u < start);
        if outside {
            let at = match (&r.from, &r.until) {
                (Some(a), Some(b)) => a.span.join(b.span),
                (Some(a), None) | (None, Some(a)) => a.span,
                (None, None) => r.id.span,
            };
            self.err(
                CheckErrorKind::OutsidePeriod {
                    rule: id.clone(),
                    period: format!("{start} – {end}"),
                },
                at,
                Some(both(msg::pack::within_period)),
            );
        }
        let mut examples = Vec::new();
        for ex in &r.examples {
            let outcome = match crate::model::Outcome::parse(&ex.outcome.node) {
                Some(o) => o.as_str().to_string(),
                None => {
                    let names = crate::model::Outcome::ALL.iter().map(|o| o.as_str());
                    let help = suggest(&ex.outcome.node, names);
                    self.err(
                        CheckErrorKind::Unknown {
                            what: Thing::Outcome,
                            name: ex.outcome.node.clone(),
                        },
                        ex.outcome.span,
                        help,
                    );
                    continue;
                }
            };
            if let Err(e) = serde_json::from_str::<serde_json::Value>(&ex.json.node) {
                self.err(
                    CheckErrorKind::BadExample {
                        reason: e.to_string(),
                    },
                    ex.json.span,
                    None,
                );
                continue;
            }
            examples.push(ExampleDef {
                outcome,
                json: ex.json.node.clone(),
                span: ex.json.span,
            });
        }
        Some(RuleDef {
            id: Arc::from(id.as_str()),
            title,
            force: force?,
            subject: kind,
            from,
            until,
            cites,
            note: r.note.as_ref().map(text2),
            when,
            locals,
            requires,
            examples,
            written: self.written.remove(&id).unwrap_or_default(),
            span: r.span,
        })
    }

    pub(super) fn require(&mut self, req: &ast::Require, scope: &Scope) -> Option<RequireDef> {
        let kind = scope.kind?;
        let condition = self.expr(&req.condition, scope)?;
        let condition = self.want_bool(condition, &keyword_ctx("require"));
        let comparison = match &condition.kind {
            ExprKind::Binary(op, l, r) if op.is_comparison() && matches!(l.ty, Type::Num(_)) => {
                Some(Comparison {
                    op: *op,
                    actual: (**l).clone(),
                    limit: (**r).clone(),
                })
            }
            _ => None,
        };
        let track = match &req.track {
            None => None,
            Some(t) => {
                let by = Number::parse(&t.by.node).and_then(|n| n.to_i64());
                let kind = match t.kind.node.as_str() {
                    "linear" => Some(TrackKind::Linear),
                    "compound" => Some(TrackKind::Compound),
                    other => {
                        let help = suggest(other, ["linear", "compound"]);
                        self.err(
                            CheckErrorKind::Unknown {
                                what: Thing::PathKind,
                                name: other.to_string(),
                            },
                            t.kind.span,
                            help,
                        );
                        None
                    }
                };
                let cmp_dim = match &comparison {
                    Some(c) if !matches!(c.op, Op::Eq | Op::Ne) => match &c.actual.ty {
                        Type::Num(d) => Some(d.clone()),
                        _ => None,
                    },
                    _ => {
                        self.err(
                            CheckErrorKind::TypeMismatch {
                                context: both(msg::pack::ctx_path_to_target),
                                expected: both(msg::pack::expect_comparison),
                                found: both(msg::pack::found_another_condition),
                            },
                            req.condition.span,
                            None,
                        );
                        None
                    }
                };
                let from = self.expr(&t.from, scope);
                let since = self.expr(&t.since, scope);
                if let (Some(f), Some(d)) = (&from, &cmp_dim) {
                    self.same_dim(
                        &Type::Num(d.clone()),
                        &f.ty,
                        &both(msg::pack::op_compare_baseline),
                        f.span,
                    );
                }
                if let Some(s) = &since {
                    let year = both(msg::pack::op_use_as_year);
                    self.same_dim(&Type::Num(Dim::none()), &s.ty, &year, s.span);
                }
                match (by, kind, from, since, cmp_dim) {
                    (Some(by), Some(kind), Some(from), Some(since), Some(_)) => Some(TrackDef {
                        by,
                        kind,
                        from,
                        since,
                    }),
                    _ => return None,
                }
            }
        };
        let at = req.at.as_ref().and_then(|a| self.field_at(kind, a));
        let mut mscope = scope.clone();
        mscope.specials = match &comparison {
            Some(c) => match &c.actual.ty {
                Type::Num(d) => Some(d.clone()),
                _ => None,
            },
            None => None,
        };
        mscope.target = track.is_some();
        let zh = self.template(&req.message.zh, &mscope);
        let en = self.template(&req.message.en, &mscope);
        Some(RequireDef {
            condition,
            comparison,
            track,
            at,
            message: Bilingual { zh, en },
        })
    }

    pub(super) fn template(&mut self, t: &ast::Template, scope: &Scope) -> Template {
        let mut parts = Vec::new();
        for p in &t.parts {
            match p {
                ast::TemplatePart::Text(s) => parts.push(TemplatePart::Text(s.clone())),
                ast::TemplatePart::Expr(e) => {
                    if let Some(x) = self.expr(e, scope) {
                        parts.push(TemplatePart::Expr(x));
                    }
                }
            }
        }
        Template(parts)
    }
}
