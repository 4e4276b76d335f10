//! Expression evaluation over one record, with three-valued logic: a value,
//! or [`Undecided`] naming the absent fields (or the invalid value) that
//! stand in the way.

use super::render::Specials;
use super::value::{arith, compare, equal, Eval, Undecided};
use crate::model::{Record, Slot};
use crate::pack::{
    DefaultValueDef, Expr, ExprKind, FieldId, Func, LetId, Op, Pack, Special, Value,
};
use crate::units::{Number, UnitRef};
use smol_str::SmolStr;
use std::cell::OnceCell;

/// A number argument of a built-in function, with its display unit.
type NumArg = (Number, Option<UnitRef>);

/// The context of evaluating one record: the pack, the record, and the
/// derived values computed so far.
pub(super) struct Cx<'a> {
    pub(super) pack: &'a Pack,
    pub(super) record: &'a Record,
    /// Derived values, each computed the first time it is asked for: a cell
    /// (not a vector behind a `RefCell`) so that a computed value can be
    /// lent, not cloned, for as long as the record is evaluated.
    lets: Vec<OnceCell<Eval>>,
    /// How deeply `eval` is nested now.
    depth: std::cell::Cell<u32>,
}

/// Stack that must be left for one more level of evaluation.
pub(crate) const STACK_RED_ZONE: usize = 128 * 1024;
/// How many levels of evaluation may pass between two looks at the stack.
const STACK_CHECK_EVERY: u32 = 8;
/// Stack added when less is left.
pub(crate) const STACK_GROWTH: usize = 2 * 1024 * 1024;

impl<'a> Cx<'a> {
    /// A context with no derived value computed yet.
    pub(super) fn new(pack: &'a Pack, record: &'a Record) -> Self {
        Cx {
            pack,
            record,
            lets: (0..pack.lets.len()).map(|_| OnceCell::new()).collect(),
            depth: std::cell::Cell::new(0),
        }
    }
}

impl Cx<'_> {
    pub(super) fn slot(&self, f: FieldId) -> &Slot {
        self.record.slots.get(f.0).unwrap_or(&Slot::Absent)
    }

    pub(super) fn field(&self, f: FieldId) -> Eval {
        match self.slot(f) {
            Slot::Value(v) => Ok(v.clone()),
            Slot::Invalid(_) => Err(Undecided::invalid()),
            Slot::Absent => {
                let def = self
                    .pack
                    .records
                    .get(self.record.kind.0)
                    .and_then(|r| r.get(f));
                match def.and_then(|d| d.default.as_ref()) {
                    None => Err(Undecided::missing(f)),
                    Some(default) => {
                        let needed = match &default.unless {
                            None => Ok(false),
                            Some(u) => match self.eval(u, &[], None) {
                                Ok(Value::Bool(b)) => Ok(b),
                                Ok(_) => Ok(false),
                                Err(e) => Err(e),
                            },
                        };
                        match needed {
                            Ok(true) => Err(Undecided::missing(f)),
                            Ok(false) => match &default.value {
                                DefaultValueDef::Expr(e) => self.eval(e, &[], None),
                                DefaultValueDef::Template(t) => self
                                    .render_raw(t)
                                    .map(|text| Value::Text(SmolStr::from(text.as_str()))),
                            },
                            // Whether the field is needed is undecided; giving
                            // it decides (CONTRACT.md §4.1: only a *condition*
                            // left undecided by an invalid value silences a
                            // rule), so it is missing.
                            Err(mut e) => {
                                e.add_missing(f);
                                Err(e)
                            }
                        }
                    }
                }
            }
        }
    }

    /// Derived value `id`, computed once per record.
    fn derived(&self, id: LetId) -> &Eval {
        static INVALID: Eval = Err(Undecided {
            missing: Vec::new(),
            invalid: true,
            fault: false,
        });
        let Some(cell) = self.lets.get(id.0) else {
            return &INVALID;
        };
        if let Some(v) = cell.get() {
            return v;
        }
        let v = match self.pack.lets.get(id.0) {
            Some(def) => self.eval(&def.value, &[], None),
            None => Err(Undecided::invalid()),
        };
        // The checker rejects a derived value that depends on itself, so
        // nothing set the cell meanwhile; were it set, either value is the same.
        let _ = cell.set(v);
        cell.get().unwrap_or(&INVALID)
    }

    /// The value of `e` by reference where no new value need be built: a
    /// constant, a field given, a derived value (computed once, here if not
    /// yet), a local, or a table's entry for a key at hand. `None` where
    /// [`Cx::eval`] must say what it is (an absent field with its default,
    /// anything undecided, any other expression).
    pub(super) fn lend<'s>(&'s self, e: &'s Expr, locals: &'s [Eval]) -> Option<&'s Value> {
        match &e.kind {
            ExprKind::Const(v) => Some(v),
            ExprKind::Field(f) => match self.slot(*f) {
                Slot::Value(v) => Some(v),
                _ => None,
            },
            ExprKind::Let(id) => self.derived(*id).as_ref().ok(),
            ExprKind::Local(i) => locals.get(*i)?.as_ref().ok(),
            ExprKind::Lookup(t, key) => {
                let Value::Text(k) = self.lend(key, locals)? else {
                    return None;
                };
                let table = self.pack.tables.get(t.0)?;
                table
                    .entries
                    .iter()
                    .find(|(name, _)| **name == **k)
                    .map(|(_, v)| v)
                    .or(table.default.as_ref())
            }
            _ => None,
        }
    }

    /// A condition decided without building a value: `Some(b)` exactly
    /// where [`Cx::eval`] gives `Ok(Bool(b))`; `None` where it is left to
    /// `eval` (undecided, not a boolean, or an expression only `eval`
    /// reads). Conditions and requirements are mostly fields and derived
    /// values compared with constants, joined by `and` and `or`: read so,
    /// a rule's usual verdict moves no value and returns nothing large.
    pub(super) fn test(&self, e: &Expr, locals: &[Eval]) -> Option<bool> {
        match &e.kind {
            ExprKind::Const(Value::Bool(b)) => Some(*b),
            ExprKind::Field(_) | ExprKind::Let(_) | ExprKind::Local(_) => {
                match self.lend(e, locals)? {
                    Value::Bool(b) => Some(*b),
                    _ => None,
                }
            }
            ExprKind::Present(f) => match self.slot(*f) {
                Slot::Absent => Some(false),
                Slot::Value(_) => Some(true),
                Slot::Invalid(_) => None,
            },
            ExprKind::Not(x) => self.test(x, locals).map(|b| !b),
            // Three-valued, as `binary` reads them: the decisive value on
            // either side decides; both decided and neither decisive, the other.
            ExprKind::Binary(op @ (Op::And | Op::Or), l, r) => {
                let decisive = *op == Op::Or;
                let a = self.test(l, locals);
                if a == Some(decisive) {
                    return a;
                }
                let b = self.test(r, locals);
                if b == Some(decisive) {
                    return b;
                }
                a.and(b).map(|_| !decisive)
            }
            ExprKind::Binary(op, l, r) => {
                let (a, b) = (self.lend(l, locals)?, self.lend(r, locals)?);
                match op {
                    Op::In => match b {
                        Value::List(items) => Some(items.iter().any(|i| equal(i, a))),
                        _ => None,
                    },
                    Op::Eq => Some(equal(a, b)),
                    Op::Ne => Some(!equal(a, b)),
                    Op::Lt | Op::Le | Op::Gt | Op::Ge => compare(*op, a, b),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    pub(super) fn eval(&self, e: &Expr, locals: &[Eval], specials: Option<&Specials>) -> Eval {
        // Expressions nest (and derived values nest in them) as deeply as the
        // checker allows; a worker thread's small stack grows where needed.
        // Asking how much stack is left costs more than most levels do, so
        // it is asked every `STACK_CHECK_EVERY` levels: a level's frames take
        // far less than `STACK_RED_ZONE / STACK_CHECK_EVERY`.
        let depth = self.depth.get();
        self.depth.set(depth.wrapping_add(1));
        let v = if depth.is_multiple_of(STACK_CHECK_EVERY) {
            stacker::maybe_grow(STACK_RED_ZONE, STACK_GROWTH, || {
                self.eval_here(e, locals, specials)
            })
        } else {
            self.eval_here(e, locals, specials)
        };
        self.depth.set(depth);
        v
    }

    fn eval_here(&self, e: &Expr, locals: &[Eval], specials: Option<&Specials>) -> Eval {
        match &e.kind {
            ExprKind::Const(v) => Ok(v.clone()),
            ExprKind::Field(f) => self.field(*f),
            ExprKind::Let(id) => self.derived(*id).clone(),
            ExprKind::Local(i) => locals
                .get(*i)
                .cloned()
                .unwrap_or_else(|| Err(Undecided::invalid())),
            // A value given but invalid (already reported) is undecided, not present.
            ExprKind::Present(f) => match self.slot(*f) {
                Slot::Absent => Ok(Value::Bool(false)),
                Slot::Value(_) => Ok(Value::Bool(true)),
                Slot::Invalid(_) => Err(Undecided::invalid()),
            },
            ExprKind::List(items) => {
                let mut out = Vec::with_capacity(items.len());
                let mut und: Option<Undecided> = None;
                for it in items {
                    match self.eval(it, locals, specials) {
                        Ok(v) => out.push(v),
                        Err(u) => und = Some(und.map_or(u.clone(), |x| x.merge(u))),
                    }
                }
                match und {
                    Some(u) => Err(u),
                    None => Ok(Value::List(out.into())),
                }
            }
            ExprKind::Lookup(t, key) => {
                let k = self.eval(key, locals, specials)?;
                let table = self.pack.tables.get(t.0).ok_or_else(Undecided::invalid)?;
                let Value::Text(k) = k else {
                    return Err(Undecided::invalid());
                };
                table
                    .entries
                    .iter()
                    .find(|(name, _)| **name == *k)
                    .map(|(_, v)| v.clone())
                    .or_else(|| table.default.clone())
                    .ok_or_else(Undecided::invalid)
            }
            ExprKind::If(c, a, b) => match self.eval(c, locals, specials) {
                Ok(Value::Bool(true)) => self.eval(a, locals, specials),
                Ok(_) => self.eval(b, locals, specials),
                Err(u) => {
                    // Both branches agreeing decides the value anyway.
                    match (
                        self.eval(a, locals, specials),
                        self.eval(b, locals, specials),
                    ) {
                        (Ok(x), Ok(y)) if x == y => Ok(x),
                        _ => Err(u),
                    }
                }
            },
            ExprKind::Not(x) => match self.eval(x, locals, specials)? {
                Value::Bool(b) => Ok(Value::Bool(!b)),
                _ => Err(Undecided::invalid()),
            },
            ExprKind::Neg(x) => match self.eval(x, locals, specials)? {
                Value::Num(n, u) => Ok(Value::Num(-&n, u)),
                _ => Err(Undecided::invalid()),
            },
            ExprKind::Binary(op, l, r) => self.binary(*op, l, r, locals, specials),
            ExprKind::Call(f, args) => {
                let vals: Vec<Eval> = args
                    .iter()
                    .map(|a| self.eval(a, locals, specials))
                    .collect();
                let nums: Result<Vec<NumArg>, Undecided> = vals
                    .into_iter()
                    .map(|v| match v {
                        Ok(Value::Num(n, u)) => Ok((n, u)),
                        Ok(_) => Err(Undecided::invalid()),
                        Err(u) => Err(u),
                    })
                    .collect();
                let mut nums = nums?.into_iter();
                let (a, ua) = nums.next().ok_or_else(Undecided::invalid)?;
                match f {
                    Func::Abs => Ok(Value::Num(a.abs(), ua)),
                    Func::Min | Func::Max => {
                        let (b, ub) = nums.next().ok_or_else(Undecided::invalid)?;
                        let pick_a = if *f == Func::Min { a <= b } else { a >= b };
                        Ok(if pick_a {
                            Value::Num(a, ua.or(ub))
                        } else {
                            Value::Num(b, ub.or(ua))
                        })
                    }
                }
            }
            ExprKind::Special(s) => {
                let sp = specials.ok_or_else(Undecided::invalid)?;
                let v = match s {
                    Special::Actual => &sp.actual,
                    Special::Limit => &sp.limit,
                    Special::Gap => &sp.gap,
                    Special::Target => &sp.target,
                };
                v.clone().ok_or_else(Undecided::invalid)
            }
        }
    }

    fn binary(
        &self,
        op: Op,
        l: &Expr,
        r: &Expr,
        locals: &[Eval],
        specials: Option<&Specials>,
    ) -> Eval {
        match op {
            Op::And | Op::Or => {
                let decisive = op == Op::Or;
                let a = self.eval(l, locals, specials);
                if let Ok(Value::Bool(b)) = a {
                    if b == decisive {
                        return Ok(Value::Bool(decisive));
                    }
                }
                let b = self.eval(r, locals, specials);
                match (a, b) {
                    (_, Ok(Value::Bool(x))) if x == decisive => Ok(Value::Bool(decisive)),
                    (Ok(_), Ok(_)) => Ok(Value::Bool(!decisive)),
                    (Err(x), Err(y)) => Err(x.merge(y)),
                    (Err(x), _) | (_, Err(x)) => Err(x),
                }
            }
            // The fallback stands in for an absent value only: a value given
            // but invalid (already reported) leaves the result undecided.
            Op::Otherwise => match self.eval(l, locals, specials) {
                Ok(v) => Ok(v),
                Err(x) if x.invalid => Err(x),
                Err(x) => self.eval(r, locals, specials).map_err(|y| x.merge(y)),
            },
            _ => {
                // Operands at hand are lent; only the others are evaluated.
                let (lent_a, lent_b) = (self.lend(l, locals), self.lend(r, locals));
                let a = lent_a.is_none().then(|| self.eval(l, locals, specials));
                let b = lent_b.is_none().then(|| self.eval(r, locals, specials));
                let (a, b) = match (a, b) {
                    (Some(Err(x)), Some(Err(y))) => return Err(x.merge(y)),
                    (Some(Err(x)), _) | (_, Some(Err(x))) => return Err(x),
                    (a, b) => (a, b),
                };
                let (Some(a), Some(b)) = (
                    lent_a.or(a.as_ref().and_then(|v| v.as_ref().ok())),
                    lent_b.or(b.as_ref().and_then(|v| v.as_ref().ok())),
                ) else {
                    return Err(Undecided::invalid());
                };
                match op {
                    Op::In => match b {
                        Value::List(items) => Ok(Value::Bool(items.iter().any(|i| equal(i, a)))),
                        _ => Err(Undecided::invalid()),
                    },
                    Op::Eq => Ok(Value::Bool(equal(a, b))),
                    Op::Ne => Ok(Value::Bool(!equal(a, b))),
                    Op::Lt | Op::Le | Op::Gt | Op::Ge => compare(op, a, b)
                        .map(Value::Bool)
                        .ok_or_else(Undecided::invalid),
                    Op::Div if matches!(b, Value::Num(d, _) if d.is_zero()) => {
                        Err(Undecided::fault())
                    }
                    _ => arith(op, a, b).ok_or_else(Undecided::invalid),
                }
            }
        }
    }
}
