//! Expressions: names resolved, types and dimensions checked, constants
//! folded, enumeration values written as strings coerced.

use super::{checked_op, keyword_ctx, CheckErrorKind, Checker, Scope, Thing};
use crate::ast::{self, BinaryOp, ExprKind as A};
use crate::diagnostics::suggest;
use crate::i18n::{both, msg, Bilingual};
use crate::pack::*;
use crate::source::Span;
use crate::units::{self, Dim, Number};
use smol_str::SmolStr;

impl Checker {
    pub(super) fn want_bool(&mut self, e: Expr, context: &Bilingual<String>) -> Expr {
        if e.ty != Type::Bool {
            self.err(
                CheckErrorKind::TypeMismatch {
                    context: context.clone(),
                    expected: both(msg::pack::expect_condition),
                    found: describe(&e.ty, &self.enums),
                },
                e.span,
                None,
            );
        }
        e
    }

    pub(super) fn same_dim(
        &mut self,
        a: &Type,
        b: &Type,
        op: &Bilingual<String>,
        at: Span,
    ) -> bool {
        match (a, b) {
            (Type::Num(x), Type::Num(y)) if x == y => true,
            (Type::Num(x), Type::Num(y)) => {
                let (hx, hy) = (unit_hint(x), unit_hint(y));
                self.err(
                    CheckErrorKind::DimensionMismatch {
                        op: op.clone(),
                        left: both(|l| x.name(l)),
                        right: both(|l| y.name(l)),
                    },
                    at,
                    Some(both(|l| {
                        msg::pack::dimension_help(l, hx.text(l), hy.text(l))
                    })),
                );
                false
            }
            _ => {
                let (da, db) = (describe(a, &self.enums), describe(b, &self.enums));
                self.err(
                    CheckErrorKind::TypeMismatch {
                        context: keyword_ctx(op.en.as_str()),
                        expected: both(msg::pack::expect_numbers),
                        found: both(|l| msg::pack::found_both(l, da.text(l), db.text(l))),
                    },
                    at,
                    None,
                );
                false
            }
        }
    }

    /// Makes `e` a value of type `target`, checking enumeration values written as strings.
    pub(super) fn coerce(
        &mut self,
        mut e: Expr,
        target: &Type,
        context: &Bilingual<String>,
    ) -> Expr {
        if same_type(&e.ty, target) {
            return e;
        }
        match (target, &mut e.kind) {
            (Type::Enum(id), ExprKind::Const(Value::Text(s))) => {
                let text = s.to_string();
                self.check_member(*id, &text, e.span);
                // Share the enumeration's own text, so comparisons with records are pointer checks.
                if let Some(shared) = self.enums.get(id.0).and_then(|en| en.intern(&text)) {
                    *s = shared;
                }
                e.ty = target.clone();
                e
            }
            (_, ExprKind::If(_, a, b)) => {
                let a2 = self.coerce((**a).clone(), target, context);
                let b2 = self.coerce((**b).clone(), target, context);
                **a = a2;
                **b = b2;
                e.ty = target.clone();
                e
            }
            (Type::List(inner), ExprKind::List(items)) => {
                let coerced: Vec<Expr> = std::mem::take(items)
                    .into_iter()
                    .map(|x| self.coerce(x, inner, context))
                    .collect();
                *items = coerced;
                e.ty = target.clone();
                fold(e)
            }
            _ => {
                if let (Type::Num(_), Type::Num(_)) = (target, &e.ty) {
                    self.same_dim(target, &e.ty.clone(), context, e.span);
                } else {
                    self.err(
                        CheckErrorKind::TypeMismatch {
                            context: context.clone(),
                            expected: describe(target, &self.enums),
                            found: describe(&e.ty, &self.enums),
                        },
                        e.span,
                        None,
                    );
                }
                e
            }
        }
    }

    pub(super) fn check_member(&mut self, id: EnumId, value: &str, at: Span) {
        let Some(en) = self.enums.get(id.0) else {
            return;
        };
        if !en.contains(value) {
            let help = suggest(value, en.values.iter().map(|(v, _)| v.as_str()));
            let enumeration = en.name.clone();
            self.err(
                CheckErrorKind::NotInEnum {
                    value: value.into(),
                    enumeration,
                },
                at,
                help,
            );
        }
    }

    pub(super) fn expr(&mut self, e: &ast::Expr, scope: &Scope) -> Option<Expr> {
        // Derived values are checked where they are first read, inside the
        // expression reading them: the stack grows where needed.
        stacker::maybe_grow(128 * 1024, 2 * 1024 * 1024, || self.expr_here(e, scope))
    }

    fn expr_here(&mut self, e: &ast::Expr, scope: &Scope) -> Option<Expr> {
        let span = e.span;
        let mk = |kind, ty| Some(Expr { kind, ty, span });
        match &e.node {
            A::Quantity { number, unit } => {
                let Some(n) = Number::parse(number) else {
                    self.err(
                        CheckErrorKind::TypeMismatch {
                            context: both(msg::pack::ctx_number),
                            expected: both(msg::pack::expect_digits),
                            found: both(|_| number.clone()),
                        },
                        span,
                        None,
                    );
                    return None;
                };
                match unit {
                    None => mk(ExprKind::Const(Value::Num(n, None)), Type::Num(Dim::none())),
                    Some(u) => match self.units.parse(&u.node) {
                        Some(unit) => {
                            let ty = Type::Num(unit.dim.clone());
                            mk(
                                ExprKind::Const(Value::Num(
                                    unit.to_base(&n),
                                    Some(units::intern(unit)),
                                )),
                                ty,
                            )
                        }
                        None => {
                            let help = suggest(&u.node, self.units.symbols());
                            self.err(
                                CheckErrorKind::UnknownUnit {
                                    unit: u.node.clone(),
                                },
                                u.span,
                                help,
                            );
                            None
                        }
                    },
                }
            }
            A::Str(s) => mk(
                ExprKind::Const(Value::Text(SmolStr::from(s.as_str()))),
                Type::Text,
            ),
            A::Bool(b) => mk(ExprKind::Const(Value::Bool(*b)), Type::Bool),
            A::Path(p) => self.path(p, span, scope),
            A::List(items) => {
                let mut out = Vec::new();
                let mut ty: Option<Type> = None;
                for it in items {
                    let x = self.expr(it, scope)?;
                    match &ty {
                        None => ty = Some(x.ty.clone()),
                        Some(t) if !same_type(t, &x.ty) => {
                            self.err(
                                CheckErrorKind::TypeMismatch {
                                    context: both(msg::pack::ctx_list),
                                    expected: describe(t, &self.enums),
                                    found: describe(&x.ty, &self.enums),
                                },
                                x.span,
                                Some(both(msg::pack::list_same_type)),
                            );
                        }
                        _ => {}
                    }
                    out.push(x);
                }
                let elem = ty.unwrap_or(Type::Text);
                // Folded into a constant once its element type is settled (see `fold`).
                mk(ExprKind::List(out), Type::List(Box::new(elem)))
            }
            A::Call(name, args) => self.call(name, args, span, scope),
            A::Lookup(name, key) => {
                let Some(&tid) = self.table_index.get(&name.node) else {
                    let help = suggest(&name.node, self.table_index.keys().map(String::as_str));
                    self.err(
                        CheckErrorKind::Unknown {
                            what: Thing::Table,
                            name: name.node.clone(),
                        },
                        name.span,
                        help,
                    );
                    return None;
                };
                let k = self.expr(key, scope)?;
                let (key_enum, ty) = match self.tables.get(tid.0) {
                    Some(t) => (t.key, t.ty.clone()),
                    None => return None,
                };
                let k = self.coerce(k, &Type::Enum(key_enum), &both(msg::pack::ctx_table_key));
                mk(ExprKind::Lookup(tid, Box::new(k)), ty)
            }
            A::If(c, a, b) => {
                let c = self
                    .expr(c, scope)
                    .map(|c| self.want_bool(c, &keyword_ctx("if")));
                let a = self.expr(a, scope);
                let b = self.expr(b, scope);
                let (c, a, b) = (c?, a?, b?);
                let (a, b) = self.unify(a, b, &both(msg::pack::ctx_if_branches));
                let ty = a.ty.clone();
                mk(ExprKind::If(Box::new(c), Box::new(a), Box::new(b)), ty)
            }
            A::Unary(op, x) => {
                let x = self.expr(x, scope)?;
                match op {
                    ast::UnaryOp::Not => {
                        let x = self.want_bool(x, &keyword_ctx("not"));
                        mk(ExprKind::Not(Box::new(x)), Type::Bool)
                    }
                    ast::UnaryOp::Neg => {
                        if !matches!(x.ty, Type::Num(_)) {
                            self.err(
                                CheckErrorKind::TypeMismatch {
                                    context: keyword_ctx("-"),
                                    expected: both(msg::pack::expect_number),
                                    found: describe(&x.ty, &self.enums),
                                },
                                x.span,
                                None,
                            );
                        }
                        let ty = x.ty.clone();
                        mk(ExprKind::Neg(Box::new(x)), ty)
                    }
                }
            }
            A::Binary(op, l, r) => {
                let l = self.expr(l, scope);
                let r = self.expr(r, scope);
                let (l, r) = (l?, r?);
                self.binary(*op, l, r, span)
            }
        }
    }

    /// Brings two operands to one type (an enumeration absorbs string constants).
    pub(super) fn unify(&mut self, a: Expr, b: Expr, context: &Bilingual<String>) -> (Expr, Expr) {
        match (&a.ty, &b.ty) {
            (Type::Enum(_), Type::Text) => {
                let t = a.ty.clone();
                let b = self.coerce(b, &t, context);
                (a, b)
            }
            (Type::Text, Type::Enum(_)) => {
                let t = b.ty.clone();
                let a = self.coerce(a, &t, context);
                (a, b)
            }
            (x, y) if same_type(x, y) => (a, b),
            (Type::Num(_), Type::Num(_)) => {
                let (ta, tb) = (a.ty.clone(), b.ty.clone());
                self.same_dim(&ta, &tb, context, b.span);
                (a, b)
            }
            _ => {
                self.err(
                    CheckErrorKind::TypeMismatch {
                        context: context.clone(),
                        expected: describe(&a.ty, &self.enums),
                        found: describe(&b.ty, &self.enums),
                    },
                    b.span,
                    None,
                );
                (a, b)
            }
        }
    }

    pub(super) fn binary(&mut self, op: BinaryOp, l: Expr, r: Expr, span: Span) -> Option<Expr> {
        let mk = |kind, ty| Some(Expr { kind, ty, span });
        match op {
            BinaryOp::And | BinaryOp::Or => {
                let ctx = keyword_ctx(op.symbol());
                let l = self.want_bool(l, &ctx);
                let r = self.want_bool(r, &ctx);
                mk(
                    ExprKind::Binary(checked_op(op), Box::new(l), Box::new(r)),
                    Type::Bool,
                )
            }
            BinaryOp::Otherwise => {
                let (l, r) = self.unify(l, r, &keyword_ctx("otherwise"));
                let ty = l.ty.clone();
                mk(
                    ExprKind::Binary(checked_op(op), Box::new(l), Box::new(r)),
                    ty,
                )
            }
            BinaryOp::In => {
                let r = match (&l.ty, &r.ty) {
                    (Type::Enum(_), Type::List(_)) => {
                        let t = Type::List(Box::new(l.ty.clone()));
                        self.coerce(r, &t, &keyword_ctx("in"))
                    }
                    (t, Type::List(inner)) if same_type(t, inner) => r,
                    (Type::Num(a), Type::List(inner)) if matches!(&**inner, Type::Num(b) if a == b) => {
                        r
                    }
                    _ => {
                        self.err(
                            CheckErrorKind::TypeMismatch {
                                context: keyword_ctx("in"),
                                expected: {
                                    let d = describe(&l.ty, &self.enums);
                                    both(|l| msg::pack::expect_list_of(l, d.text(l)))
                                },
                                found: describe(&r.ty, &self.enums),
                            },
                            r.span,
                            None,
                        );
                        r
                    }
                };
                let r = fold(r);
                mk(
                    ExprKind::Binary(checked_op(op), Box::new(l), Box::new(r)),
                    Type::Bool,
                )
            }
            BinaryOp::Eq | BinaryOp::Ne => {
                let (l, r) = self.unify(l, r, &both(msg::pack::ctx_compare));
                mk(
                    ExprKind::Binary(checked_op(op), Box::new(l), Box::new(r)),
                    Type::Bool,
                )
            }
            BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge => {
                match (&l.ty, &r.ty) {
                    (Type::Date, Type::Date) => {}
                    (a, b) => {
                        let (a, b) = (a.clone(), b.clone());
                        self.same_dim(&a, &b, &both(msg::pack::op_compare), span);
                    }
                }
                mk(
                    ExprKind::Binary(checked_op(op), Box::new(l), Box::new(r)),
                    Type::Bool,
                )
            }
            BinaryOp::Add | BinaryOp::Sub => {
                let (a, b) = (l.ty.clone(), r.ty.clone());
                let verb = if op == BinaryOp::Add {
                    both(msg::pack::op_add)
                } else {
                    both(msg::pack::op_subtract)
                };
                self.same_dim(&a, &b, &verb, span);
                mk(
                    ExprKind::Binary(checked_op(op), Box::new(l), Box::new(r)),
                    a,
                )
            }
            BinaryOp::Mul | BinaryOp::Div => match (&l.ty, &r.ty) {
                (Type::Num(a), Type::Num(b)) => {
                    let d = if op == BinaryOp::Mul {
                        a.mul(b)
                    } else {
                        a.div(b)
                    };
                    mk(
                        ExprKind::Binary(checked_op(op), Box::new(l), Box::new(r)),
                        Type::Num(d),
                    )
                }
                (a, b) => {
                    let (da, db) = (describe(a, &self.enums), describe(b, &self.enums));
                    let found = both(|l| msg::pack::found_both(l, da.text(l), db.text(l)));
                    self.err(
                        CheckErrorKind::TypeMismatch {
                            context: keyword_ctx(op.symbol()),
                            expected: both(msg::pack::expect_numbers),
                            found,
                        },
                        span,
                        None,
                    );
                    None
                }
            },
        }
    }
}

/// Whether two types are interchangeable (units of one dimension are).
pub(super) fn same_type(a: &Type, b: &Type) -> bool {
    a == b
}

/// A list of constants as one constant, so records do not rebuild it.
pub(super) fn fold(e: Expr) -> Expr {
    match (&e.kind, constant(&e)) {
        (ExprKind::List(_), Some(v)) => Expr {
            kind: ExprKind::Const(v),
            ..e
        },
        _ => e,
    }
}

/// The value of a constant expression.
pub(super) fn constant(e: &Expr) -> Option<Value> {
    match &e.kind {
        ExprKind::Const(v) => Some(v.clone()),
        ExprKind::Neg(x) => match constant(x)? {
            Value::Num(n, u) => Some(Value::Num(-&n, u)),
            _ => None,
        },
        ExprKind::List(items) => items
            .iter()
            .map(constant)
            .collect::<Option<Vec<_>>>()
            .map(|v| Value::List(v.into())),
        _ => None,
    }
}

pub(super) fn unit_hint(d: &Dim) -> Bilingual<String> {
    let s = d.base_symbol();
    both(|l| {
        if s.is_empty() {
            msg::pack::pure_numbers(l)
        } else {
            msg::pack::dim_with_base(l, &d.name(l), &s)
        }
    })
}

/// A type in words, for messages.
pub(super) fn describe(t: &Type, enums: &[EnumDef]) -> Bilingual<String> {
    both(|l| describe_in(t, enums, l))
}

fn describe_in(t: &Type, enums: &[EnumDef], l: crate::i18n::Lang) -> String {
    use msg::pack as m;
    match t {
        Type::Bool => m::type_condition(l),
        Type::Text => m::type_text(l),
        Type::Date => m::type_date(l),
        Type::Num(d) if d.is_none() => m::type_number(l),
        Type::Num(d) => m::type_quantity(l, &d.name(l)),
        Type::Enum(id) => {
            m::type_enum_value(l, enums.get(id.0).map(|e| e.name.as_str()).unwrap_or("?"))
        }
        Type::List(inner) => m::type_list(l, &describe_in(inner, enums, l)),
        Type::Waivers => m::type_waivers(l),
    }
}
