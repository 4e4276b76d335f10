//! Runtime values: undecided results, arithmetic, comparison, paths to a
//! target, and how values are shown in messages.

use crate::ast::BinaryOp;
use crate::pack::{Lang, Pack, TrackKind, Type, Value};
use crate::units::{Number, Unit, UnitRef};
use std::sync::Arc;

/// Why a value could not be decided.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Undecided {
    /// Absent fields that would decide it, sorted.
    pub missing: Vec<crate::pack::FieldId>,
    /// Whether an invalid value (already reported) stands in the way.
    pub invalid: bool,
    /// A computation that has no value (a division by zero), to be reported.
    pub fault: bool,
}

impl Undecided {
    /// Undecided because `f` is absent.
    pub fn missing(f: crate::pack::FieldId) -> Self {
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
    pub fn add_missing(&mut self, f: crate::pack::FieldId) {
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
        (Value::Text(x), Value::Text(y)) => Arc::ptr_eq(x, y) || x == y,
        _ => a == b,
    }
}

/// Ordering comparison of two numbers or dates.
pub fn compare(op: BinaryOp, a: &Value, b: &Value) -> Option<bool> {
    let ord = match (a, b) {
        (Value::Num(x, _), Value::Num(y, _)) => x.cmp(y),
        (Value::Date(x), Value::Date(y)) => x.cmp(y),
        _ => return None,
    };
    Some(match op {
        BinaryOp::Lt => ord.is_lt(),
        BinaryOp::Le => ord.is_le(),
        BinaryOp::Gt => ord.is_gt(),
        BinaryOp::Ge => ord.is_ge(),
        BinaryOp::Eq => ord.is_eq(),
        BinaryOp::Ne => ord.is_ne(),
        _ => return None,
    })
}

/// Arithmetic. The display unit follows the operand that has one, for sums;
/// a product or quotient with a pure number keeps the other's unit.
pub fn arith(op: BinaryOp, a: &Value, b: &Value) -> Option<Value> {
    let (Value::Num(x, ux), Value::Num(y, uy)) = (a, b) else {
        return None;
    };
    let pure = |u: &Option<UnitRef>| {
        u.as_ref()
            .is_none_or(|u| u.dim.is_none() && u.symbol.is_empty())
    };
    Some(match op {
        BinaryOp::Add => Value::Num(x + y, (*ux).or(*uy)),
        BinaryOp::Sub => Value::Num(x - y, (*ux).or(*uy)),
        BinaryOp::Mul => Value::Num(
            x * y,
            if pure(uy) {
                *ux
            } else if pure(ux) {
                *uy
            } else {
                memo(true, ux, uy, product_unit)
            },
        ),
        BinaryOp::Div => Value::Num(
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
    let cancel = |q: &Unit, d: &Unit| {
        let (num, den) = q.symbol.split_once('/')?;
        (den == d.symbol)
            .then(|| crate::units::parse_unit(num))
            .flatten()
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
    crate::units::parse_unit(&format!("{}/{}", a.symbol, b.symbol)).map(crate::units::intern)
}

/// A year's point on the path from a baseline to a target.
pub struct PathPoint {
    /// The limit for the year.
    pub limit: Number,
    /// Whether `actual` meets it (decided exactly).
    pub holds: bool,
}

/// The point of year `year` on the path from `base` (in `y0`) to `target`
/// (in `by`), never stricter than the target, and whether `actual` meets it.
///
/// A compound path is judged exactly: `actual ≥ base·(target/base)^(k/n)` is
/// `actual^n ≥ base^(n−k)·target^k` for positive values; the limit itself is
/// only shown rounded.
#[expect(
    clippy::too_many_arguments,
    reason = "the path's parameters are all distinct numbers"
)]
pub fn path_point(
    kind: TrackKind,
    op: BinaryOp,
    base: &Number,
    target: &Number,
    y0: i64,
    by: i64,
    year: i64,
    actual: &Number,
) -> PathPoint {
    let higher_is_better = matches!(op, BinaryOp::Ge | BinaryOp::Gt);
    let holds_at = |limit: &Number| {
        compare(
            op,
            &Value::Num(actual.clone(), None),
            &Value::Num(limit.clone(), None),
        )
        .unwrap_or(false)
    };
    // A baseline that already meets the target is held to the target.
    let base_meets = if higher_is_better {
        base >= target
    } else {
        base <= target
    };
    let n = by - y0;
    let k = (year - y0).clamp(0, n.max(0));
    if base_meets || n <= 0 {
        return PathPoint {
            limit: target.clone(),
            holds: holds_at(target),
        };
    }
    let frac = Number::ratio(k, n).unwrap_or_else(Number::one);
    match kind {
        TrackKind::Linear => {
            let limit = base + &(&(target - base) * &frac);
            PathPoint {
                holds: holds_at(&limit),
                limit,
            }
        }
        TrackKind::Compound => {
            let positive = !base.is_negative()
                && !base.is_zero()
                && !target.is_negative()
                && !target.is_zero()
                && !actual.is_negative();
            let shown = if positive {
                base.to_f64() * (target.to_f64() / base.to_f64()).powf(frac.to_f64())
            } else {
                f64::NAN
            };
            let limit = Number::parse(&format!("{shown:.6}"))
                .unwrap_or_else(|| base + &(&(target - base) * &frac));
            if !positive {
                return PathPoint {
                    holds: holds_at(&limit),
                    limit,
                };
            }
            let (nu, ku) = (
                u32::try_from(n).unwrap_or(u32::MAX),
                u32::try_from(k).unwrap_or(0),
            );
            let lhs = actual.pow(nu);
            let rhs = &base.pow(nu.saturating_sub(ku)) * &target.pow(ku);
            let holds =
                compare(op, &Value::Num(lhs, None), &Value::Num(rhs, None)).unwrap_or(false);
            PathPoint { limit, holds }
        }
    }
}

/// The fewest decimals (2 to 6) that show `a` and `b` differently when they differ.
///
/// Values with up to four decimals are shown exactly, so a limit of 0.792
/// does not read as 0.79.
pub fn distinct_decimals(a: &Number, b: &Number, unit: Option<&Unit>) -> usize {
    let show = |n: &Number| unit.map_or(n.clone(), |u| u.from_base(n));
    let (a, b) = (show(a), show(b));
    let exact = |n: &Number| (2..=4).find(|&d| n.fits_decimals(d)).unwrap_or(2);
    let base = exact(&a).max(exact(&b));
    if a == b {
        return base;
    }
    (base..=6)
        .find(|&d| a.format(d) != b.format(d))
        .unwrap_or(6)
}

/// A value as shown in a message: a number in its unit; an enumeration
/// value (of the enumeration `ty` names) with its label in `lang`.
pub fn format_value(
    v: &Value,
    ty: Option<&Type>,
    decimals: usize,
    pack: Option<&Pack>,
    lang: Lang,
) -> String {
    match v {
        Value::Num(n, unit) => match unit {
            Some(u) => {
                let shown = u.from_base(n).format(decimals);
                if u.symbol.is_empty() {
                    shown
                } else if matches!(u.symbol.as_str(), "%" | "‰") {
                    format!("{shown}{}", u.symbol)
                } else {
                    format!("{shown} {}", u.symbol)
                }
            }
            None => n.format(decimals),
        },
        Value::Bool(b) => match (lang, b) {
            (Lang::Zh, true) => "是".into(),
            (Lang::Zh, false) => "否".into(),
            (Lang::En, b) => b.to_string(),
        },
        Value::Text(t) => {
            // An enumeration value reads better with its label.
            let label = match (ty, pack) {
                (Some(Type::Enum(id)), Some(pack)) => pack
                    .enums
                    .get(id.0)
                    .and_then(|e| e.values.iter().find(|(v, _)| **v == **t))
                    .and_then(|(_, l)| l.as_ref()),
                _ => None,
            };
            match label {
                Some(l) if !l.get(lang).is_empty() => l.get(lang).to_string(),
                _ => t.to_string(),
            }
        }
        Value::Date(d) => d.to_string(),
        Value::List(items) => {
            let inner = match ty {
                Some(Type::List(t)) => Some(&**t),
                _ => None,
            };
            items
                .iter()
                .map(|i| format_value(i, inner, decimals, pack, lang))
                .collect::<Vec<_>>()
                .join(if lang == Lang::Zh { "、" } else { ", " })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Number {
        Number::parse(s).expect("number")
    }

    #[test]
    fn linear_path_is_clamped_at_the_target() {
        // PM2.5 from 101 (2015) to 35 (2020): 2017 allows 101 - 66 * 2/5 = 74.6.
        let p = path_point(
            TrackKind::Linear,
            BinaryOp::Le,
            &n("101"),
            &n("35"),
            2015,
            2020,
            2017,
            &n("74.6"),
        );
        assert_eq!(p.limit, n("74.6"));
        assert!(p.holds);
        let p = path_point(
            TrackKind::Linear,
            BinaryOp::Le,
            &n("101"),
            &n("35"),
            2015,
            2020,
            2017,
            &n("74.7"),
        );
        assert!(!p.holds);
        // SO2 baseline 41 already meets 60: held to 60 in every year.
        let p = path_point(
            TrackKind::Linear,
            BinaryOp::Le,
            &n("41"),
            &n("60"),
            2015,
            2020,
            2016,
            &n("59"),
        );
        assert_eq!(p.limit, n("60"));
        assert!(p.holds);
    }

    #[test]
    fn compound_path_is_exact_at_the_boundary() {
        // 100 → 400 over 2 years: the midpoint is exactly 200.
        let at = path_point(
            TrackKind::Compound,
            BinaryOp::Ge,
            &n("100"),
            &n("400"),
            2018,
            2020,
            2019,
            &n("200"),
        );
        assert!(at.holds);
        let below = path_point(
            TrackKind::Compound,
            BinaryOp::Ge,
            &n("100"),
            &n("400"),
            2018,
            2020,
            2019,
            &n("199.9999"),
        );
        assert!(!below.holds);
    }

    #[test]
    fn decimals_grow_until_values_differ() {
        assert_eq!(distinct_decimals(&n("0.999"), &n("1"), None), 3);
        assert_eq!(distinct_decimals(&n("0.5"), &n("1"), None), 2);
    }
}
