//! The typed record: what `input` builds from a submission and `eval` reads.

use crate::i18n::Lang;
use crate::pack::{KindId, Value};
use crate::units::Date;
use std::sync::Arc;

/// A field's state in a record.
#[derive(Clone, Debug, PartialEq)]
pub enum Slot {
    /// Not given (or `null`).
    Absent,
    /// A typed value.
    Value(Value),
    /// Given but not readable (reported by `input`), with its text where it had one.
    Invalid(Option<Arc<str>>),
}

impl Slot {
    /// `n` absent slots. (Not `vec![Slot::Absent; n]`: that clones the
    /// first slot `n - 1` times through `Clone`, which cannot know it is
    /// cloning a variant without data.)
    pub fn absent(n: usize) -> Vec<Slot> {
        std::iter::repeat_with(|| Slot::Absent).take(n).collect()
    }
}

/// One waiver entry as submitted.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct WaiverEntry {
    /// Position in the `waivers` array.
    pub index: usize,
    /// What makes it unusable before any rule is consulted.
    pub malformed: Option<String>,
    /// The rule it names.
    pub rule: Option<String>,
    /// The approval document number.
    pub approval: Option<String>,
    /// The last valid day; `Err` holds text that is not a date.
    pub expires: Option<Result<Date, String>>,
    /// Why it was granted.
    pub reason: Option<String>,
    /// Whether `approval` was given but is not text.
    pub approval_not_text: bool,
}

/// A record typed against its kind's declaration.
#[derive(Clone, Debug)]
pub struct Record {
    /// Its kind.
    pub kind: KindId,
    /// One slot per declared field.
    pub slots: Vec<Slot>,
    /// Its own date (from the `dated by` field).
    pub date: Option<Date>,
    /// Its waivers.
    pub waivers: Vec<WaiverEntry>,
}

/// Options of one evaluation.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Message language.
    pub lang: Lang,
    /// Evaluate as of this date instead of the record's own.
    pub date: Option<Date>,
    /// Only rules with these ids or id prefixes.
    pub select: Vec<String>,
    /// Not rules with these ids or id prefixes.
    pub ignore: Vec<String>,
    /// Also report `pass` and `not_applicable`.
    pub all: bool,
    /// Set to stop a run early (Ctrl-C in `watch`): no new chunk is checked.
    pub cancel: Cancel,
    /// Keep each typed record in its report (the HTML review sheet shows its facts).
    pub keep_records: bool,
}

/// A flag shared by a run and whoever may stop it.
#[derive(Clone, Debug, Default)]
pub struct Cancel(std::sync::Arc<std::sync::atomic::AtomicBool>);

impl Cancel {
    /// Asks the run to stop.
    pub fn set(&self) {
        self.0.store(true, std::sync::atomic::Ordering::Relaxed);
    }

    /// Whether the run was asked to stop.
    pub fn is_set(&self) -> bool {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }
}

impl Options {
    /// Whether the rule `id` is selected, every pattern taken as an id
    /// prefix (`county.pm` selects `county.pm25` and `county.pm10`).
    pub fn selects(&self, id: &str) -> bool {
        self.selects_among(id, |_| false)
    }

    /// Whether the rule `id` is selected, where `is_rule` tells which
    /// patterns are rule ids: such a pattern names that rule alone
    /// (`--ignore county.energy-intensity` keeps
    /// `county.energy-intensity-reduction`); any other is an id prefix.
    pub fn selects_among(&self, id: &str, is_rule: impl Fn(&str) -> bool) -> bool {
        if self.select.is_empty() && self.ignore.is_empty() {
            return true;
        }
        let matches = |p: &String| id == p || (id.starts_with(p.as_str()) && !is_rule(p));
        (self.select.is_empty() || self.select.iter().any(matches))
            && !self.ignore.iter().any(matches)
    }
}
