//! Waivers (CONTRACT.md §4.1): which entries may cover an in-principle
//! rule, and a `waiver.invalid` finding for every entry that covers nothing.

use crate::diagnostics::suggest;
use crate::i18n::{msg, Lang};
use crate::model::{Finding, Record, Reserved, WaiverEntry};
use crate::pack::{Force, Pack};
use crate::units::Date;

/// Validates the record's waivers as of `date`; returns those that may
/// cover a rule and reports the others into `findings`.
pub(super) fn check<'r>(
    pack: &Pack,
    record: &'r Record,
    date: Date,
    lang: Lang,
    findings: &mut Vec<Finding>,
) -> Vec<&'r WaiverEntry> {
    let mut valid = Vec::new();
    for w in &record.waivers {
        match problem(pack, w, date, lang) {
            Some((message, help)) => findings.push(Finding::input(
                Reserved::WaiverInvalid,
                message,
                help.or_else(|| Some(msg::eval::waiver_covers_nothing(lang))),
                Some(format!("/waivers/{}", w.index)),
            )),
            None => valid.push(w),
        }
    }
    valid
}

/// What makes waiver `w` unusable, with a help line, or `None` if it may cover its rule.
fn problem(
    pack: &Pack,
    w: &WaiverEntry,
    date: Date,
    lang: Lang,
) -> Option<(String, Option<String>)> {
    if let Some(m) = &w.malformed {
        return Some((m.clone(), None));
    }
    let Some(id) = &w.rule else {
        return Some((msg::eval::waiver_no_rule(lang), None));
    };
    let Some(rule) = pack.rule(id) else {
        let help = suggest(id, pack.rules.iter().map(|r| &*r.id)).map(|h| h.text(lang).to_string());
        return Some((msg::eval::waiver_unknown_rule(lang, id), help));
    };
    if rule.force != Force::InPrinciple {
        let m = msg::eval::waiver_not_waivable(lang, id, rule.force.zh(), rule.force.as_str());
        return Some((m, None));
    }
    if w.approval_not_text || w.approval.as_deref().is_none_or(|a| a.trim().is_empty()) {
        return Some((msg::eval::waiver_no_approval(lang), None));
    }
    match &w.expires {
        Some(Err(text)) => Some((msg::eval::waiver_bad_expiry(lang, text), None)),
        Some(Ok(exp)) if *exp < date => Some((msg::eval::waiver_expired(lang, *exp, date), None)),
        _ => None,
    }
}
