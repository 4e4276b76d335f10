//! Citations: every quote must occur byte for byte in the cited document.

use super::{CheckErrorKind, Checker};
use crate::ast;
use crate::i18n::{both, msg, Bilingual};
use crate::pack::CitationDef;
use crate::source::line_column;

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
                let line = match doc {
                    Some(text) => match text.find(q.node.as_str()) {
                        Some(pos) if !q.node.is_empty() => line_column(text, pos).0,
                        _ => {
                            self.err(
                                CheckErrorKind::QuoteNotFound {
                                    document: doc_name.to_string(),
                                },
                                q.span,
                                Some(quote_help(text, &q.node)),
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
