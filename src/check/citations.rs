//! Citations: every quote must occur byte for byte in the cited document.

use super::{CheckErrorKind, Checker};
use crate::ast;
use crate::i18n::{both, msg, Bilingual};
use crate::pack::CitationDef;
use std::collections::HashMap;

/// Where every quote of a pack first occurs in the cited document, found
/// in one pass over it (Aho–Corasick), so checking the citations of a pack
/// takes time linear in the pack and the document, not their product.
#[derive(Default)]
pub(super) struct QuoteIndex {
    /// Quote → 1-based line of its first occurrence, or `None`.
    lines: HashMap<String, Option<usize>>,
    /// Quotes not found, given a help line so far (each costs a search).
    helped: usize,
}

/// Matches looked at before the remaining quotes are searched one by one
/// (only quotes crafted to overlap everywhere get that far).
const MAX_MATCHES: usize = 10_000_000;
/// Quotes not found that get a "longest prefix found" help line.
const MAX_HELPED: usize = 50;

impl QuoteIndex {
    /// Finds `quotes` in `doc`.
    pub(super) fn build<'q>(doc: &str, quotes: impl Iterator<Item = &'q str>) -> Self {
        let mut distinct: Vec<&str> = quotes.filter(|q| !q.is_empty()).collect();
        distinct.sort_unstable();
        distinct.dedup();
        let mut first: Vec<Option<usize>> = vec![None; distinct.len()];
        let mut left = distinct.len();
        // A non-contiguous NFA: built in microseconds, where a DFA costs more
        // to build than the one pass over the document it would speed up.
        let built = aho_corasick::AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::NoncontiguousNFA))
            .build(&distinct);
        if let Ok(ac) = built {
            for (seen, m) in ac.find_overlapping_iter(doc).enumerate() {
                if left == 0 || seen >= MAX_MATCHES {
                    break;
                }
                if let Some(slot) = first.get_mut(m.pattern().as_usize()) {
                    if slot.is_none() {
                        *slot = Some(m.start());
                        left -= 1;
                    }
                }
            }
        }
        // Line starts, for the line of each first occurrence.
        let starts: Vec<usize> = std::iter::once(0)
            .chain(doc.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let lines = distinct
            .iter()
            .zip(first)
            .map(|(q, at)| {
                let at = at.or_else(|| if left > 0 { doc.find(q) } else { None });
                (
                    q.to_string(),
                    at.map(|a| starts.partition_point(|s| *s <= a)),
                )
            })
            .collect();
        QuoteIndex { lines, helped: 0 }
    }
}

impl Checker {
    /// The citations of a rule, each quote found in `doc` (named `doc_name`)
    /// with the line it starts on; a quote not found is an error.
    pub(super) fn citations(
        &mut self,
        cites_in: &[ast::Citation],
        doc: Option<&str>,
        doc_name: &str,
    ) -> Vec<CitationDef> {
        let mut cites = Vec::new();
        for c in cites_in {
            let mut quotes = Vec::new();
            for q in &c.quotes {
                let found = self.quotes.lines.get(q.node.as_str()).copied().flatten();
                let line = match doc {
                    Some(text) => match found {
                        Some(line) if !q.node.is_empty() => line,
                        _ => {
                            // Each help searches the document: a few are enough.
                            self.quotes.helped += 1;
                            let help = if self.quotes.helped <= MAX_HELPED {
                                quote_help(text, &q.node)
                            } else {
                                both(msg::pack::quote_nothing)
                            };
                            self.err(
                                CheckErrorKind::QuoteNotFound {
                                    document: doc_name.to_string(),
                                },
                                q.span,
                                Some(help),
                            );
                            0
                        }
                    },
                    None => 0,
                };
                quotes.push((q.node.clone(), line));
            }
            cites.push(CitationDef {
                section: c.section.node.clone(),
                quotes,
            });
        }
        cites
    }
}

/// Help for a quote that is not found: the longest prefix that is.
pub(super) fn quote_help(doc: &str, quote: &str) -> Bilingual<String> {
    let chars: Vec<(usize, char)> = quote.char_indices().collect();
    let mut lo = 0usize;
    let mut hi = chars.len();
    // Binary search on the number of leading characters found verbatim.
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let end = chars.get(mid).map_or(quote.len(), |(i, _)| *i);
        if doc.contains(quote.get(..end).unwrap_or("")) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    if lo == 0 {
        return both(msg::pack::quote_nothing);
    }
    let end = chars.get(lo).map_or(quote.len(), |(i, _)| *i);
    let found = quote.get(..end).unwrap_or("");
    let rest: String = quote.get(end..).unwrap_or("").chars().take(12).collect();
    both(|l| msg::pack::quote_prefix(l, found, &rest))
}
