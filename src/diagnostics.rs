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
//! | `E4xx` | loading a pack from disk (`load`); the command line: `E400` bad usage (`cli::help`), `E403`/`E404` paths that cannot be checked (`run::targets`) |
//!
//! Findings about submissions use the reserved ids `input.parse`,
//! `input.record`, `input.invalid`, `input.unknown-field`, `waiver.invalid`
//! and `plan.out-of-period` instead of codes (CONTRACT.md §4.1).

use crate::i18n::{both, msg, Bilingual, Lang};

/// The closest candidate to `name`, if any is close enough.
///
/// Closeness is the normalised optimal-string-alignment similarity over
/// Unicode characters (edits and swapped neighbours); a candidate needs at
/// least 0.5 (half the characters right), which catches typos and swapped
/// letters in both `land.aera` and `临青市` without suggesting unrelated
/// names. Ties go to the first candidate, so callers give them in a fixed
/// order.
pub fn did_you_mean<'a, I>(name: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    const THRESHOLD: f64 = 0.5;
    /// A name longer than this is no typo of a name (and the distance costs
    /// the product of the lengths: a submitted megabyte must not be compared).
    const LONGEST: usize = 64;
    let len = name.chars().count();
    if len > LONGEST {
        return None;
    }
    let bag = CharBag::of(name);
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        // The distance is at least the difference of the lengths, and at
        // least what the characters' counts differ by: a candidate that
        // cannot reach the threshold (or beat the best so far) is not
        // aligned at all. A wide sheet of unknown headers compares every
        // cell with every title, so this is most of the work saved.
        let clen = c.chars().count();
        let longer = len.max(clen).max(1);
        let allowed = longer - (longer as f64 * THRESHOLD).ceil() as usize;
        if len.abs_diff(clen) > allowed || bag.distance_bound(&CharBag::of(c)) > allowed {
            continue;
        }
        let distance = strsim::osa_distance(name, c);
        let score = 1.0 - distance as f64 / longer as f64;
        if score >= THRESHOLD && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c.to_string())
}

/// How many characters of a name fall in each of 64 buckets. Two names
/// whose buckets differ by `k` need at least `k` edits: an edit changes
/// one character on each side, and characters sharing a bucket only make
/// the difference smaller, so the bound never rejects a close name.
struct CharBag([u8; 64]);

impl CharBag {
    fn of(text: &str) -> Self {
        let mut bag = [0u8; 64];
        for ch in text.chars() {
            let slot = &mut bag[(ch as usize) % 64];
            *slot = slot.saturating_add(1);
        }
        CharBag(bag)
    }

    /// A lower bound of the edit distance between the two names.
    fn distance_bound(&self, other: &CharBag) -> usize {
        let (mut more, mut fewer) = (0usize, 0usize);
        for (a, b) in self.0.iter().zip(other.0.iter()) {
            if a > b {
                more += usize::from(a - b);
            } else {
                fewer += usize::from(b - a);
            }
        }
        more.max(fewer)
    }
}

/// A help line "did you mean `x`?" or `None`.
pub fn did_you_mean_help<'a, I>(name: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    did_you_mean(name, candidates).map(|c| format!("did you mean `{c}`?"))
}

/// A help line "did you mean `x`?" in both languages, or `None`.
pub fn suggest<'a, I>(name: &str, candidates: I) -> Option<Bilingual<String>>
where
    I: IntoIterator<Item = &'a str>,
{
    did_you_mean(name, candidates).map(|c| both(|l| msg::pack::did_you_mean(l, &c)))
}

/// A diagnostic about a rule pack or the command line, in both languages;
/// [`Localized::report`] renders it in one, with its source.
#[derive(Clone, Debug)]
pub struct Localized {
    /// The stable code (`T101`, `E403`, …).
    pub code: &'static str,
    /// What is wrong.
    pub message: Bilingual<String>,
    /// How to fix it.
    pub help: Option<Bilingual<String>>,
    /// The label on the span.
    pub label: Bilingual<String>,
    /// Where, in `source`.
    pub span: Option<miette::SourceSpan>,
    /// The text the span points into.
    pub source: Option<miette::NamedSource<std::sync::Arc<str>>>,
}

impl Localized {
    /// A diagnostic without a place.
    pub fn plain(
        code: &'static str,
        message: Bilingual<String>,
        help: Option<Bilingual<String>>,
    ) -> Self {
        Localized {
            code,
            message,
            help,
            label: both(msg::pack::label_here),
            span: None,
            source: None,
        }
    }

    /// The same with its place.
    pub fn with_source(mut self, source: miette::NamedSource<std::sync::Arc<str>>) -> Self {
        self.source = Some(source);
        self
    }

    /// The diagnostic in `lang`, for miette to render.
    pub fn report(&self, lang: Lang) -> miette::Report {
        // Rule files are untrusted too: their text is shown through a safe window.
        let shown = match (&self.source, self.span) {
            (Some(source), Some(span)) => {
                let file = crate::source::Snippet::file(source.name(), source.inner().clone());
                let (window, (s, e)) = file.window((span.offset(), span.offset() + span.len()));
                Some((window, miette::SourceSpan::from((s, e - s))))
            }
            _ => None,
        };
        miette::Report::new(InLang {
            d: self.clone(),
            lang,
            shown,
        })
    }
}

/// A [`Localized`] diagnostic in one language.
#[derive(Debug)]
struct InLang {
    d: Localized,
    lang: Lang,
    /// The part of the source shown, and the span in it.
    shown: Option<(crate::source::Snippet, miette::SourceSpan)>,
}

impl std::fmt::Display for InLang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::text::escape(self.d.message.text(self.lang)))
    }
}

impl std::error::Error for InLang {}

impl miette::Diagnostic for InLang {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(self.d.code))
    }
    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.d.help.as_ref().map(|h| {
            Box::new(crate::text::escape_keeping(h.text(self.lang), &['\n']).into_owned())
                as Box<dyn std::fmt::Display>
        })
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.shown
            .as_ref()
            .map(|(s, _)| s as &dyn miette::SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let (_, span) = self.shown.as_ref()?;
        let span = *span;
        Some(Box::new(std::iter::once(
            miette::LabeledSpan::new_with_span(
                Some(self.d.label.text(self.lang).to_string()),
                span,
            ),
        )))
    }
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

    #[test]
    fn ties_go_to_the_first_candidate() {
        assert_eq!(did_you_mean("ab", ["ax", "xb"]).as_deref(), Some("ax"));
        assert_eq!(did_you_mean("ab", ["xb", "ax"]).as_deref(), Some("xb"));
    }

    proptest::proptest! {
        /// The character-count bound never exceeds the true distance, so
        /// it never hides a suggestion the full alignment would make.
        #[test]
        fn the_bag_bound_is_a_lower_bound(a in "[a-d临清市.]{0,12}", b in "[a-d临清市.]{0,12}") {
            let bound = CharBag::of(&a).distance_bound(&CharBag::of(&b));
            proptest::prop_assert!(bound <= strsim::osa_distance(&a, &b));
        }

        /// Skipping by the bound changes no answer.
        #[test]
        fn skipping_changes_no_suggestion(name in "[a-d.]{0,8}", cands in proptest::collection::vec("[a-d.]{0,8}", 0..6)) {
            let full = cands
                .iter()
                .map(|c| {
                    let longer = name.chars().count().max(c.chars().count()).max(1);
                    (1.0 - strsim::osa_distance(&name, c) as f64 / longer as f64, c)
                })
                .fold(None::<(f64, &String)>, |best, (score, c)| {
                    if score >= 0.5 && best.is_none_or(|(b, _)| score > b) { Some((score, c)) } else { best }
                })
                .map(|(_, c)| c.clone());
            proptest::prop_assert_eq!(did_you_mean(&name, cands.iter().map(String::as_str)), full);
        }
    }
}
