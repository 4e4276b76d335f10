//! Runtime values: undecided results, equality, ordering and arithmetic.

use crate::pack::{FieldId, Op, Value};
use crate::units::{Unit, UnitRef};

/// Why a value could not be decided.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Undecided {
    /// Absent fields that would decide it, sorted.
    pub missing: Vec<FieldId>,
    /// Whether an invalid value (already reported) stands in the way.
    pub invalid: bool,
    /// A computation that has no value (a division by zero), to be reported.
    pub fault: bool,
}

impl Undecided {
    /// Undecided because `f` is absent.
    pub fn missing(f: FieldId) -> Self {
        Undecided {
            missing: vec![f],
            invalid: false,
            fault: false,
        }
    }
    /// Undecided because of an invalid value.
    pub fn invalid() -> Self {
        Undecided {
            missing: Vec::new(),
            invalid: true,
            fault: false,
        }
    }
    /// Undecided because a computation has no value.
    pub fn fault() -> Self {
        Undecided {
            missing: Vec::new(),
            invalid: false,
            fault: true,
        }
    }
    /// Adds an absent field.
    pub fn add_missing(&mut self, f: FieldId) {
        if !self.missing.contains(&f) {
            self.missing.push(f);
            self.missing.sort();
        }
    }
    /// Both reasons.
    pub fn merge(mut self, other: Undecided) -> Self {
        for f in other.missing {
            self.add_missing(f);
        }
        self.invalid |= other.invalid;
        self.fault |= other.fault;
        self
    }
}

/// The result of evaluating an expression.
pub type Eval = Result<Value, Undecided>;

/// Equality; numbers compare by value whatever their display unit.
pub fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Num(x, _), Value::Num(y, _)) => x == y,
        // Enumeration values are shared between the pack and the records.
        (Value::Text(x), Value::Text(y)) => x == y,
        _ => a == b,
    }
}

/// Ordering comparison of two numbers or dates.
pub fn compare(op: Op, a: &Value, b: &Value) -> Option<bool> {
    let ord = match (a, b) {
        (Value::Num(x, _), Value::Num(y, _)) => x.cmp(y),
        (Value::Date(x), Value::Date(y)) => x.cmp(y),
        _ => return None,
    };
    holds(op, ord)
}

/// Whether two numbers compare as `op` says.
pub fn compare_numbers(op: Op, a: &crate::units::Number, b: &crate::units::Number) -> Option<bool> {
    holds(op, a.cmp(b))
}

/// Whether an ordering satisfies comparison `op`.
fn holds(op: Op, ord: std::cmp::Ordering) -> Option<bool> {
    Some(match op {
        Op::Lt => ord.is_lt(),
        Op::Le => ord.is_le(),
        Op::Gt => ord.is_gt(),
        Op::Ge => ord.is_ge(),
        Op::Eq => ord.is_eq(),
        Op::Ne => ord.is_ne(),
        _ => return None,
    })
}

/// Arithmetic. The display unit follows the operand that has one, for sums;
/// a product or quotient with a pure number keeps the other's unit.
pub fn arith(op: Op, a: &Value, b: &Value) -> Option<Value> {
    let (Value::Num(x, ux), Value::Num(y, uy)) = (a, b) else {
        return None;
    };
    let pure = |u: &Option<UnitRef>| {
        u.as_ref()
            .is_none_or(|u| u.dim.is_none() && u.symbol.is_empty())
    };
    Some(match op {
        Op::Add => Value::Num(x + y, (*ux).or(*uy)),
        Op::Sub => Value::Num(x - y, (*ux).or(*uy)),
        Op::Mul => Value::Num(
            x * y,
            if pure(uy) {
                *ux
            } else if pure(ux) {
                *uy
            } else {
                memo(true, ux, uy, product_unit)
            },
        ),
        Op::Div => Value::Num(
            x.checked_div(y)?,
            if pure(uy) {
                *ux
            } else {
                memo(false, ux, uy, quotient_unit)
            },
        ),
        _ => return None,
    })
}

/// A display unit, if any.
type DisplayUnit = Option<UnitRef>;
/// A derived display unit remembered: product or quotient, the operands' units, the result.
type Derived = (bool, UnitRef, UnitRef, DisplayUnit);

thread_local! {
    /// Display units of products and quotients already worked out: the same
    /// few unit pairs recur for every record.
    static DERIVED: std::cell::RefCell<Vec<Derived>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// `derive(a, b)` remembered per pair of units (compared by value).
fn memo(
    product: bool,
    a: &Option<UnitRef>,
    b: &Option<UnitRef>,
    derive: fn(&DisplayUnit, &DisplayUnit) -> DisplayUnit,
) -> Option<UnitRef> {
    let (Some(x), Some(y)) = (a, b) else {
        return derive(a, b);
    };
    DERIVED.with(|cache| {
        if let Ok(c) = cache.try_borrow() {
            if let Some((_, _, _, hit)) = c
                .iter()
                .find(|(p, u, v, _)| *p == product && std::ptr::eq(*u, *x) && std::ptr::eq(*v, *y))
            {
                return *hit;
            }
        }
        let out = derive(a, b);
        if let Ok(mut c) = cache.try_borrow_mut() {
            if c.len() < 256 {
                c.push((product, *x, *y, out));
            }
        }
        out
    })
}

/// The display unit of a product such as `万元/亩 × 亩` → `万元`.
fn product_unit(a: &Option<UnitRef>, b: &Option<UnitRef>) -> Option<UnitRef> {
    let (a, b) = (a.as_ref()?, b.as_ref()?);
    // The numerator's unit is the quotient's times the denominator's: no
    // symbol is looked up (the pack's units are not at hand here).
    let cancel = |q: &Unit, d: &Unit| {
        let (num, den) = q.symbol.split_once('/')?;
        (den == d.symbol).then(|| Unit {
            symbol: num.to_string(),
            dim: q.dim.mul(&d.dim),
            scale: &q.scale * &d.scale,
        })
    };
    cancel(a, b)
        .or_else(|| cancel(b, a))
        .map(crate::units::intern)
}

/// The display unit of a quotient such as `万元 ÷ 亩` → `万元/亩`.
fn quotient_unit(a: &Option<UnitRef>, b: &Option<UnitRef>) -> Option<UnitRef> {
    let (a, b) = (a.as_ref()?, b.as_ref()?);
    // A quotient of one dimension (m² ÷ 亩) is a pure number: shown without a unit.
    if a.dim == b.dim
        || a.symbol.contains('/')
        || b.symbol.contains('/')
        || a.symbol.is_empty()
        || b.symbol.is_empty()
    {
        return None;
    }
    let scale = a.scale.checked_div(&b.scale)?;
    Some(crate::units::intern(Unit {
        symbol: format!("{}/{}", a.symbol, b.symbol),
        dim: a.dim.div(&b.dim),
        scale,
    }))
}
