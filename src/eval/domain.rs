//! Deciding over finite domains (CONTRACT.md §4.1): when an expression is
//! undecided only by absent values, the values it may still take.
//!
//! An absent field of an enumeration (or a boolean) may take each of its
//! values; a derived value the values of its definition; an `if` whose
//! condition is undecided the values of both branches; a table lookup with
//! an undecided key the entries of the keys it may take. Operators combine
//! the possibilities pairwise. A requirement all of whose possibilities
//! hold passes, all of which fail is violated; otherwise it stays undecided
//! (`missing`). Sets are capped, so nothing blows up combinatorially. An
//! invalid value (already reported) counts as undecided like an absent one
//! (CONTRACT.md §4.1): it may be any value of its type, so a rule every one
//! of them decides alike is decided; one it leaves undecided gives no
//! outcome.

use super::expr::Cx;
use super::value::{arith, compare, equal, Eval};
use crate::pack::{Expr, ExprKind, Func, Op, Type, Value};

/// The most values a possibility set holds before the answer is "unknown".
const MAX_VALUES: usize = 64;

impl Cx<'_> {
    /// The values `e` may take, given what the record leaves undecided;
    /// `None` where they are not few and known, or an invalid value (or a
    /// division by zero) stands in the way.
    pub(super) fn possible(&self, e: &Expr, locals: &[Eval]) -> Option<Vec<Value>> {
        stacker::maybe_grow(
            super::expr::STACK_RED_ZONE,
            super::expr::STACK_GROWTH,
            || {
                // Whatever shape it has, a value of a finite type is one of its values.
                let values = self
                    .possible_here(e, locals)
                    .or_else(|| self.domain(&e.ty))?;
                let mut distinct: Vec<Value> = Vec::with_capacity(values.len());
                for v in values {
                    if !distinct.contains(&v) {
                        distinct.push(v);
                    }
                }
                (distinct.len() <= MAX_VALUES).then_some(distinct)
            },
        )
    }

    /// Each node is looked at once: leaves are evaluated, inner nodes
    /// combine what their children may be.
    fn possible_here(&self, e: &Expr, locals: &[Eval]) -> Option<Vec<Value>> {
        // A decided leaf is its value; a division by zero is unknown; an
        // undecided one (absent or invalid) is looked into.
        let leaf = |v: Eval| match v {
            Ok(v) => Some(Some(vec![v])),
            Err(u) if u.fault => Some(None),
            Err(_) => None,
        };
        match &e.kind {
            ExprKind::Const(v) => Some(vec![v.clone()]),
            ExprKind::Present(_) | ExprKind::Special(_) => {
                leaf(self.eval(e, locals, None)).flatten()
            }
            ExprKind::Local(i) => leaf(locals.get(*i).cloned()?).flatten(),
            // An absent field (its default could not be had): any value of its type.
            ExprKind::Field(_) => match leaf(self.eval(e, locals, None)) {
                Some(known) => known,
                None => self.domain(&e.ty),
            },
            // A derived value is computed once; only an undecided one is looked into.
            ExprKind::Let(id) => match leaf(self.eval(e, locals, None)) {
                Some(known) => known,
                None => self
                    .pack
                    .lets
                    .get(id.0)
                    .and_then(|def| self.possible(&def.value, &[])),
            },
            ExprKind::If(c, a, b) => {
                let conditions = self.possible(c, locals)?;
                let mut out = Vec::new();
                if conditions.contains(&Value::Bool(true)) {
                    out.extend(self.possible(a, locals)?);
                }
                if conditions.contains(&Value::Bool(false)) {
                    out.extend(self.possible(b, locals)?);
                }
                Some(out)
            }
            ExprKind::Not(x) => self
                .possible(x, locals)?
                .into_iter()
                .map(|v| match v {
                    Value::Bool(b) => Some(Value::Bool(!b)),
                    _ => None,
                })
                .collect(),
            ExprKind::Neg(x) => self
                .possible(x, locals)?
                .into_iter()
                .map(|v| match v {
                    Value::Num(n, u) => Some(Value::Num(-&n, u)),
                    _ => None,
                })
                .collect(),
            ExprKind::Lookup(t, key) => {
                let table = self.pack.tables.get(t.0)?;
                // Keys without an entry (and no default) have no value here:
                // the rule that reads the table does not apply to them.
                let values: Vec<Value> = self
                    .possible(key, locals)?
                    .into_iter()
                    .filter_map(|k| {
                        let Value::Text(k) = k else { return None };
                        table
                            .entries
                            .iter()
                            .find(|(name, _)| **name == *k)
                            .map(|(_, v)| v.clone())
                            .or_else(|| table.default.clone())
                    })
                    .collect();
                (!values.is_empty()).then_some(values)
            }
            ExprKind::Binary(Op::Otherwise, l, r) => match self.eval(l, locals, None) {
                Ok(v) => Some(vec![v]),
                Err(u) if u.invalid => None,
                // An absent left side is replaced by the right.
                Err(_) => self.possible(r, locals),
            },
            ExprKind::Binary(op, l, r) => {
                let a = self.possible(l, locals)?;
                let b = self.possible(r, locals)?;
                let mut out = Vec::with_capacity(a.len() * b.len());
                for x in &a {
                    for y in &b {
                        out.push(apply(*op, x, y)?);
                    }
                }
                Some(out)
            }
            ExprKind::Call(f, args) => {
                let sets: Vec<Vec<Value>> = args
                    .iter()
                    .map(|a| self.possible(a, locals))
                    .collect::<Option<_>>()?;
                let mut out = Vec::new();
                match sets.as_slice() {
                    [a] => {
                        for x in a {
                            out.push(call(*f, x, None)?);
                        }
                    }
                    [a, b] => {
                        for x in a {
                            for y in b {
                                out.push(call(*f, x, Some(y))?);
                            }
                        }
                    }
                    _ => return None,
                }
                Some(out)
            }
            ExprKind::List(items) => {
                // Only a list whose items are all decided but one is worth it; otherwise unknown.
                let items: Vec<Vec<Value>> = items
                    .iter()
                    .map(|i| self.possible(i, locals))
                    .collect::<Option<_>>()?;
                let mut out: Vec<Vec<Value>> = vec![Vec::new()];
                for set in items {
                    let mut next = Vec::with_capacity(out.len() * set.len());
                    for prefix in &out {
                        for v in &set {
                            let mut p = prefix.clone();
                            p.push(v.clone());
                            next.push(p);
                        }
                    }
                    if next.len() > MAX_VALUES {
                        return None;
                    }
                    out = next;
                }
                Some(out.into_iter().map(|l| Value::List(l.into())).collect())
            }
        }
    }

    /// Every value of a finite type.
    fn domain(&self, ty: &Type) -> Option<Vec<Value>> {
        match ty {
            Type::Bool => Some(vec![Value::Bool(true), Value::Bool(false)]),
            Type::Enum(id) => self
                .pack
                .enums
                .get(id.0)
                .map(|en| en.interned.iter().cloned().map(Value::Text).collect()),
            _ => None,
        }
    }
}

/// A binary operator on two decided values (`None`: no value).
pub(super) fn apply(op: Op, a: &Value, b: &Value) -> Option<Value> {
    match op {
        Op::And | Op::Or => match (a, b) {
            (Value::Bool(x), Value::Bool(y)) => {
                Some(Value::Bool(if op == Op::And { *x && *y } else { *x || *y }))
            }
            _ => None,
        },
        Op::Otherwise => Some(a.clone()),
        Op::In => match b {
            Value::List(items) => Some(Value::Bool(items.iter().any(|i| equal(i, a)))),
            _ => None,
        },
        Op::Eq => Some(Value::Bool(equal(a, b))),
        Op::Ne => Some(Value::Bool(!equal(a, b))),
        Op::Lt | Op::Le | Op::Gt | Op::Ge => compare(op, a, b).map(Value::Bool),
        Op::Div if matches!(b, Value::Num(d, _) if d.is_zero()) => None,
        _ => arith(op, a, b),
    }
}

/// A built-in function on decided values.
fn call(f: Func, a: &Value, b: Option<&Value>) -> Option<Value> {
    let Value::Num(x, ux) = a else { return None };
    match (f, b) {
        (Func::Abs, None) => Some(Value::Num(x.abs(), *ux)),
        (Func::Min | Func::Max, Some(Value::Num(y, uy))) => {
            let pick_x = if f == Func::Min { x <= y } else { x >= y };
            Some(if pick_x {
                Value::Num(x.clone(), ux.or(*uy))
            } else {
                Value::Num(y.clone(), uy.or(*ux))
            })
        }
        _ => None,
    }
}
