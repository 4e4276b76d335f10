//! Shared diagnostic helpers: the code registry and did-you-mean suggestions.
//!
//! Codes are stable; a retired code is never reused.
//!
//! | range | phase |
//! |---|---|
//! | `P0xx` | syntax (`syntax::ParseError`) |
//! | `T1xx` | names and types (`check`) |
//! | `U2xx` | units and dimensions (`check`) |
//! | `C3xx` | citations (`check`) |
//! | `E4xx` | loading a pack from disk (`load`) |
//!
//! Findings about submissions use the reserved ids `input.parse`,
//! `input.record`, `input.invalid`, `input.unknown-field`, `waiver.invalid`
//! and `plan.out-of-period` instead of codes (CONTRACT.md §4.1).

/// The closest candidate to `name`, if any is close enough.
///
/// Closeness is the normalised Damerau–Levenshtein similarity over Unicode
/// characters; a candidate needs at least 0.5 (half the characters right),
/// which catches typos and swapped letters in both `land.aera` and `临青市`
/// without suggesting unrelated names.
pub fn did_you_mean<'a, I>(name: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    const THRESHOLD: f64 = 0.5;
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let score = strsim::normalized_damerau_levenshtein(name, c);
        if score >= THRESHOLD && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c.to_string())
}

/// A help line "did you mean `x`?" or `None`.
pub fn did_you_mean_help<'a, I>(name: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    did_you_mean(name, candidates).map(|c| format!("did you mean `{c}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_names_only() {
        assert_eq!(
            did_you_mean("land.aera", ["land.area", "tax.annual"]).as_deref(),
            Some("land.area")
        );
        assert_eq!(
            did_you_mean("临青市", ["临清市", "冠县"]).as_deref(),
            Some("临清市")
        );
        assert_eq!(did_you_mean("zzz", ["land.area"]), None);
    }
}
