//! Paths to a target: the point a county indicator must reach in a year
//! before the target year, judged exactly.

use super::value::compare;
use crate::pack::{Op, TrackKind, Value};
use crate::units::Number;

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
    op: Op,
    base: &Number,
    target: &Number,
    y0: i64,
    by: i64,
    year: i64,
    actual: &Number,
) -> PathPoint {
    let higher_is_better = matches!(op, Op::Ge | Op::Gt);
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
            // Far from the boundary, floating point decides as exact
            // arithmetic would (its relative error over a few dozen products
            // is below 1e-13); only a value within 1e-9 of the path point
            // pays for the exact powers.
            if nu <= 64 {
                let exp = |x: &Number, e: u32| x.to_f64().powi(e as i32);
                let lhs = exp(actual, nu);
                let rhs = exp(base, nu - ku) * exp(target, ku);
                let scale = lhs.abs().max(rhs.abs());
                if lhs.is_finite() && rhs.is_finite() && (lhs - rhs).abs() > 1e-9 * scale {
                    let decided = match op {
                        Op::Ge | Op::Gt => Some(lhs > rhs),
                        Op::Le | Op::Lt => Some(lhs < rhs),
                        Op::Eq => Some(false),
                        Op::Ne => Some(true),
                        _ => None,
                    };
                    if let Some(holds) = decided {
                        return PathPoint { limit, holds };
                    }
                }
            }
            let lhs = actual.pow(nu);
            let rhs = &base.pow(nu.saturating_sub(ku)) * &target.pow(ku);
            let holds =
                compare(op, &Value::Num(lhs, None), &Value::Num(rhs, None)).unwrap_or(false);
            PathPoint { limit, holds }
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
            Op::Le,
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
            Op::Le,
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
            Op::Le,
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
            Op::Ge,
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
            Op::Ge,
            &n("100"),
            &n("400"),
            2018,
            2020,
            2019,
            &n("199.9999"),
        );
        assert!(!below.holds);
    }
}
