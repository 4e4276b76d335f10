//! Evaluate: a checked [`Pack`] and one typed [`Record`] → findings.
//!
//! Input: a record already read and typed by `input`. Output: one finding per
//! rule that did not plainly pass (all outcomes with `--all`), plus findings
//! about waivers, record checks and the plan's period. Conditions and
//! requirements use three-valued logic: an absent field leaves a part
//! undecided, a part known false decides an `and`, a part known true decides
//! an `or`; what stays undecided is `missing`, never a silent pass.
//! Evaluation performs no IO and never panics on any record.
//!
//! - `expr`: expression evaluation over a record (`Cx`).
//! - `verdict`: a rule's requirements → its outcome and finding.
//! - `waivers`: which waivers may cover a rule, and findings for the rest.
//! - `render`: message templates and values as shown.
//! - `value`, `path`: arithmetic, comparison and paths to a target.

mod domain;
mod expr;
mod path;
mod render;
mod value;
mod verdict;
mod waivers;

#[cfg(test)]
mod tests;

pub use path::{path_point, PathPoint};
pub use render::{distinct_decimals, format_value};
pub use value::Undecided;

use crate::i18n::{msg, Lang};
use crate::model::{Finding, FindingId, Options, Outcome, Record, Reserved, Severity};
use crate::pack::{pointer_of, FieldId, KindId, Pack, Value};
use crate::units::Date;
use expr::Cx;

/// The `plan.out-of-period` finding of a record of `kind` dated `date`
/// (its own date, or `--date`), if the date lies outside the pack's period.
pub fn out_of_period(pack: &Pack, kind: KindId, date: Date, lang: Lang) -> Option<Finding> {
    if date >= pack.period_start && date <= pack.period_end {
        return None;
    }
    let dated = pack
        .records
        .get(kind.0)
        .and_then(|r| r.dated_by.and_then(|f| r.get(f)))
        .map(|f| pointer_of(&f.path));
    Some(Finding {
        rule: FindingId::Reserved(Reserved::PlanOutOfPeriod),
        outcome: Outcome::OutOfPeriod,
        severity: Severity::Warning,
        message: msg::eval::out_of_period(lang, date, pack.period_start, pack.period_end),
        help: Some(msg::eval::out_of_period_help(lang)),
        pointer: dated,
        span: None,
        numbers: None,
    })
}

/// Evaluates every rule of the record's kind in force on its date.
pub fn evaluate(pack: &Pack, record: &Record, opts: &Options) -> Vec<Finding> {
    let lang = opts.lang;
    let mut findings = Vec::new();
    let Some(date) = opts.date.or(record.date) else {
        return findings;
    };
    let def = pack.records.get(record.kind.0);
    if let Some(outside) = out_of_period(pack, record.kind, date, lang) {
        findings.push(outside);
        return findings;
    }
    // Consistency checks of the record's own values: a value that fails one
    // is invalid, so no rule is decided on it (a baseline year of 1900 never
    // reaches a path to 2020).
    let mut failed: Vec<FieldId> = Vec::new();
    let given = Cx::new(pack, record);
    if let Some(def) = def {
        let cx = &given;
        for c in &def.checks {
            if let Ok(Value::Bool(false)) = cx.eval(&c.condition, &[], None) {
                let path = def.get(c.at).map(|f| f.path.as_str()).unwrap_or_default();
                findings.push(Finding::input(
                    Reserved::InputInvalid,
                    c.message.text(lang).to_string(),
                    None,
                    Some(pointer_of(path)),
                ));
                failed.push(c.at);
            }
        }
    }
    // The derived values computed for the checks stand unless a check
    // made a value invalid.
    let patched;
    let fresh;
    let (record, cx) = if failed.is_empty() {
        (record, &given)
    } else {
        let mut copy = record.clone();
        for f in failed {
            if let Some(slot) = copy.slots.get_mut(f.0) {
                *slot = crate::model::Slot::Invalid(None);
            }
        }
        patched = copy;
        fresh = Cx::new(pack, &patched);
        (&patched, &fresh)
    };

    // Waivers that cover nothing are reported at the entry.
    let valid_waivers = waivers::check(pack, record, date, lang, &mut findings);

    // Which patterns are rule ids is found once per record, not once per
    // rule (`--select county` would otherwise compare every id with every id).
    let full_ids: Vec<&str> = opts
        .select
        .iter()
        .chain(&opts.ignore)
        .filter(|p| pack.rules.iter().any(|r| *r.id == ***p))
        .map(String::as_str)
        .collect();
    let is_rule = |p: &str| full_ids.contains(&p);
    for rule in &pack.rules {
        if rule.subject != record.kind || !opts.selects_among(&rule.id, is_rule) {
            continue;
        }
        if rule.from.is_some_and(|f| date < f) || rule.until.is_some_and(|u| date > u) {
            continue;
        }
        let waiver = valid_waivers
            .iter()
            .copied()
            .find(|w| w.rule.as_deref() == Some(&*rule.id));
        if let Some(f) = cx.rule(rule, lang, waiver, opts.all) {
            findings.push(f);
        }
    }
    findings
}

/// The value of field `f` of `record`, its default applied; `None` when undecided.
pub fn field_value(pack: &Pack, record: &Record, f: FieldId) -> Option<Value> {
    Cx::new(pack, record).field(f).ok()
}

/// The id of a typed record (its `id` field, or that field's default).
pub fn record_id(pack: &Pack, record: &Record) -> Option<String> {
    let def = pack.records.get(record.kind.0)?;
    let f = def.id_field?;
    match field_value(pack, record, f)? {
        Value::Text(t) => Some(t.to_string()),
        other => Some(format_value(
            &other,
            None,
            2,
            Some(pack),
            crate::i18n::Lang::En,
        )),
    }
}
