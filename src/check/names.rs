//! Names inside expressions: fields, derived values, local values, the
//! values of messages (`actual`, `limit`, …) and the built-in functions.

use super::expr::describe;
use super::{keyword_ctx, CheckErrorKind, Checker, Scope, Thing};
use crate::ast::{self, ExprKind as A};
use crate::diagnostics::suggest;
use crate::i18n::{both, msg};
use crate::pack::*;
use crate::source::Span;

impl Checker {
    pub(super) fn call(
        &mut self,
        name: &ast::Name,
        args: &[ast::Expr],
        span: Span,
        scope: &Scope,
    ) -> Option<Expr> {
        let arity = |cx: &mut Self, n: usize| {
            if args.len() != n {
                cx.err(
                    CheckErrorKind::WrongArity {
                        function: name.node.clone(),
                        expected: n,
                        found: args.len(),
                    },
                    span,
                    None,
                );
                false
            } else {
                true
            }
        };
        match name.node.as_str() {
            "present" => {
                if !arity(self, 1) {
                    return None;
                }
                let arg = args.first()?;
                let A::Path(p) = &arg.node else {
                    self.err(
                        CheckErrorKind::TypeMismatch {
                            context: keyword_ctx("present"),
                            expected: both(msg::pack::expect_field_path),
                            found: both(msg::pack::found_expression),
                        },
                        arg.span,
                        None,
                    );
                    return None;
                };
                let kind = scope.kind?;
                let fid = self.field_at(kind, &ast::Spanned::new(p.clone(), arg.span))?;
                Some(Expr {
                    kind: ExprKind::Present(fid),
                    ty: Type::Bool,
                    span,
                })
            }
            "abs" => {
                if !arity(self, 1) {
                    return None;
                }
                let x = self.expr(args.first()?, scope)?;
                if !matches!(x.ty, Type::Num(_)) {
                    self.err(
                        CheckErrorKind::TypeMismatch {
                            context: keyword_ctx("abs"),
                            expected: both(msg::pack::expect_number),
                            found: describe(&x.ty, &self.enums),
                        },
                        x.span,
                        None,
                    );
                }
                let ty = x.ty.clone();
                Some(Expr {
                    kind: ExprKind::Call(Func::Abs, vec![x]),
                    ty,
                    span,
                })
            }
            "min" | "max" => {
                if !arity(self, 2) {
                    return None;
                }
                let a = self.expr(args.first()?, scope)?;
                let b = self.expr(args.get(1)?, scope)?;
                let (ta, tb) = (a.ty.clone(), b.ty.clone());
                self.same_dim(&ta, &tb, &both(|l| msg::pack::op_call(l, &name.node)), span);
                let f = if name.node == "min" {
                    Func::Min
                } else {
                    Func::Max
                };
                Some(Expr {
                    kind: ExprKind::Call(f, vec![a, b]),
                    ty: ta,
                    span,
                })
            }
            other => {
                let help = suggest(other, ["present", "abs", "min", "max"]);
                self.err(
                    CheckErrorKind::Unknown {
                        what: Thing::Function,
                        name: other.to_string(),
                    },
                    name.span,
                    help,
                );
                None
            }
        }
    }

    pub(super) fn path(&mut self, p: &str, span: Span, scope: &Scope) -> Option<Expr> {
        let mk = |kind, ty| Some(Expr { kind, ty, span });
        if let Some(i) = scope.locals.iter().position(|(n, _)| n == p) {
            let ty = scope.locals.get(i).map(|(_, t)| t.clone())?;
            return mk(ExprKind::Local(i), ty);
        }
        if let Some(dim) = &scope.specials {
            let special = match p {
                "actual" => Some(Special::Actual),
                "limit" => Some(Special::Limit),
                "gap" => Some(Special::Gap),
                "target" if scope.target => Some(Special::Target),
                _ => None,
            };
            if let Some(s) = special {
                return mk(ExprKind::Special(s), Type::Num(dim.clone()));
            }
        }
        let Some(kind) = scope.kind else {
            self.err(
                CheckErrorKind::NotConstant {
                    what: both(msg::pack::ctx_value),
                },
                span,
                Some(both(msg::pack::only_constants)),
            );
            return None;
        };
        let key = (kind.0, p.to_string());
        if self.pending_lets.contains_key(&key) {
            let id = self.resolve_let(&key)?;
            let ty = self.lets.get(id.0).map(|l| l.value.ty.clone())?;
            return mk(ExprKind::Let(id), ty);
        }
        let rec = self.records.get(kind.0)?;
        if let Some(fid) = rec.field(p) {
            let ty = rec.get(fid).map(|f| f.ty.clone())?;
            return mk(ExprKind::Field(fid), ty);
        }
        // Past a hundred errors a pack is broken beyond suggestions: each
        // would compare the name with every field (a crafted 4 KB file made
        // 11,000 errors and spent seconds suggesting).
        if self.errors.len() >= super::MAX_SUGGESTED_ERRORS {
            self.err(
                CheckErrorKind::Unknown {
                    what: Thing::FieldOrValue,
                    name: p.to_string(),
                },
                span,
                None,
            );
            return None;
        }
        let prefix = format!("{p}.");
        let is_group = rec.fields.iter().any(|f| f.path.starts_with(&prefix));
        let mut names: Vec<String> = rec.fields.iter().map(|f| f.path.clone()).collect();
        names.extend(scope.locals.iter().map(|(n, _)| n.clone()));
        names.extend(
            self.pending_lets
                .keys()
                .filter(|(k, _)| *k == kind.0)
                .map(|(_, n)| n.clone()),
        );
        if scope.specials.is_some() {
            names.extend(["actual", "limit", "gap"].map(String::from));
        }
        let help = if is_group {
            let example = rec
                .fields
                .iter()
                .find(|f| f.path.starts_with(&prefix))
                .map(|f| f.path.clone())
                .unwrap_or_default();
            Some(both(|l| msg::pack::group_help(l, p, &example)))
        } else if p == "target" {
            Some(both(msg::pack::target_help))
        } else if matches!(p, "actual" | "limit" | "gap") {
            Some(both(|l| msg::pack::special_help(l, p)))
        } else {
            suggest(p, names.iter().map(String::as_str))
        };
        self.err(
            CheckErrorKind::Unknown {
                what: Thing::FieldOrValue,
                name: p.to_string(),
            },
            span,
            help,
        );
        None
    }
}
