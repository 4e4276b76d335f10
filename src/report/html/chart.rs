//! Charts drawn in Rust as inline SVG: an indicator's path from its
//! baseline to its target, the year's limit on it, and the reported value,
//! coloured by outcome. No script, no external resource; every chart has a
//! title for screen readers.

use crate::model::{Numbers, Outcome};
use maud::{html, Markup};

const W: f64 = 240.0;
const H: f64 = 120.0;
const LEFT: f64 = 34.0;
const RIGHT: f64 = 8.0;
const TOP: f64 = 10.0;
const BOTTOM: f64 = 18.0;

/// A number for an axis or a label, short.
fn short(x: f64) -> String {
    let s = format!("{x:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The CSS class of a value's dot.
fn dot_class(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Pass => "dot-pass",
        Outcome::OffTrack | Outcome::Waived => "dot-warn",
        _ => "dot-fail",
    }
}

/// The chart of one indicator: `title` (already in the page's language)
/// labels it for screen readers.
pub fn indicator(title: &str, n: &Numbers, outcome: Outcome) -> Markup {
    // Years across: the path's, or just the year judged.
    let (y0, y1, year) = match &n.track {
        Some(t) => (t.baseline_year, t.target_year, t.year),
        None => (0, 1, 1),
    };
    let mut values = vec![n.actual, n.limit];
    if let Some(t) = &n.track {
        values.push(t.baseline);
        values.push(t.target);
    }
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let pad = ((hi - lo) * 0.12).max(hi.abs() * 0.02).max(1e-9);
    let (lo, hi) = (lo - pad, hi + pad);
    let x = |yr: i64| {
        let span = (y1 - y0).max(1) as f64;
        LEFT + (yr - y0) as f64 / span * (W - LEFT - RIGHT)
    };
    let y = |v: f64| TOP + (hi - v) / (hi - lo) * (H - TOP - BOTTOM);
    let label = format!("{title}: {} {}", short(n.actual), n.unit);
    html! {
        svg viewBox=(format!("0 0 {W} {H}")) role="img" aria-label=(label) {
            title { (label) }
            line.axis x1=(LEFT) y1=(H - BOTTOM) x2=(W - RIGHT) y2=(H - BOTTOM) {}
            line.axis x1=(LEFT) y1=(TOP) x2=(LEFT) y2=(H - BOTTOM) {}
            text x="2" y=(y(hi - pad) + 3.0) { (short(hi - pad)) }
            text x="2" y=(y(lo + pad) + 3.0) { (short(lo + pad)) }
            @if let Some(t) = &n.track {
                // The path: baseline, the year's point on it, target.
                polyline.path points=(format!(
                    "{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}",
                    x(t.baseline_year), y(t.baseline),
                    x(t.year), y(n.limit),
                    x(t.target_year), y(t.target)
                )) {}
                line.target x1=(LEFT) y1=(y(t.target)) x2=(W - RIGHT) y2=(y(t.target)) {}
                text x=(x(y0) - 10.0) y=(H - 4.0) { (y0) }
                text x=(x(y1) - 22.0) y=(H - 4.0) { (y1) }
                circle.dot-pass r="2.5" cx=(x(year)) cy=(y(n.limit)) fill-opacity="0.5" {}
                circle class=(dot_class(outcome)) r="4" cx=(x(year)) cy=(y(n.actual)) {}
            } @else {
                line.target x1=(LEFT) y1=(y(n.limit)) x2=(W - RIGHT) y2=(y(n.limit)) {}
                circle class=(dot_class(outcome)) r="4" cx=(x(year)) cy=(y(n.actual)) {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Track;

    #[test]
    fn a_chart_draws_the_path_and_marks_the_value() {
        let n = Numbers {
            actual: 68.0,
            limit: 61.4,
            unit: "µg/m³".into(),
            margin: -6.6,
            track: Some(Track {
                baseline: 101.0,
                baseline_year: 2015,
                target: 35.0,
                target_year: 2020,
                year: 2018,
            }),
        };
        let svg = indicator("PM2.5 <年均>", &n, Outcome::OffTrack).into_string();
        assert!(svg.contains("<polyline"));
        assert!(svg.contains("dot-warn"));
        assert!(
            svg.contains("<title>PM2.5 &lt;年均&gt;: 68 µg/m³</title>"),
            "{svg}"
        );
    }
}
