//! The pack header: name, title, period and the cited document.

use super::{keyword, CheckErrorKind, Checker, SourceDoc, Thing};
use crate::ast;
use crate::i18n::{both, msg};
use crate::source::Span;
use crate::units::{self, parse_date, Date};
use std::sync::Arc;

impl Checker {
    /// The pack's one header and its period (`None`: the period cannot be read).
    pub(super) fn header<'a>(
        &mut self,
        items: &[&'a ast::Item],
    ) -> Option<(Option<&'a ast::PackDecl>, Date, Date)> {
        let headers: Vec<&ast::PackDecl> = items
            .iter()
            .filter_map(|i| {
                if let ast::Item::Pack(p) = i {
                    Some(p)
                } else {
                    None
                }
            })
            .collect();
        let header = match headers.as_slice() {
            [] => {
                let at = Span::default();
                self.err(
                    CheckErrorKind::NoHeader,
                    at,
                    Some(both(msg::pack::add_header)),
                );
                None
            }
            [h, rest @ ..] => {
                for r in rest {
                    self.err(
                        CheckErrorKind::Duplicate {
                            what: Thing::PackHeader,
                            name: r.name.node.clone(),
                        },
                        r.name.span,
                        Some(both(msg::pack::one_header)),
                    );
                }
                Some(*h)
            }
        };
        let (period_start, period_end) = match header.and_then(|h| h.period.as_ref()) {
            Some((a, b)) => match (parse_date(&a.node), parse_date(&b.node)) {
                (Some(start), Some(end)) => {
                    if end < start {
                        self.err(
                            CheckErrorKind::EndsBeforeStart {
                                start: a.node.clone(),
                                end: b.node.clone(),
                            },
                            a.span.join(b.span),
                            Some(both(msg::pack::swap_dates)),
                        );
                    }
                    (start, end)
                }
                _ => return None,
            },
            None => {
                if let Some(h) = header {
                    self.err(
                        CheckErrorKind::MissingPart {
                            what: Thing::Pack,
                            name: h.name.node.clone(),
                            part: keyword("period"),
                        },
                        h.span,
                        Some(both(msg::pack::add_period)),
                    );
                }
                (units::Date::MIN, units::Date::MAX)
            }
        };
        Some((header, period_start, period_end))
    }

    /// The text of the cited document, reporting a document that cannot be read.
    pub(super) fn source_doc(
        &mut self,
        header: Option<&ast::PackDecl>,
        doc: Option<&SourceDoc>,
    ) -> Option<Arc<str>> {
        let doc_text: Option<Arc<str>> = match (doc, header) {
            (Some((name, Err(reason))), Some(h)) => {
                let at = h.source.as_ref().map_or(h.span, |s| s.span);
                self.err(
                    CheckErrorKind::SourceUnreadable {
                        document: name.clone(),
                        reason: reason.clone(),
                    },
                    at,
                    Some(both(msg::pack::relative_source)),
                );
                None
            }
            (Some((_, Ok(text))), _) => Some(text.clone()),
            _ => None,
        };
        if let Some(h) = header {
            if h.source.is_none() {
                self.err(
                    CheckErrorKind::MissingPart {
                        what: Thing::Pack,
                        name: h.name.node.clone(),
                        part: both(msg::pack::part_source),
                    },
                    h.span,
                    Some(both(msg::pack::add_source)),
                );
            }
        }
        doc_text
    }
}
