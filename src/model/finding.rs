//! Findings: what a check says about one record.

use super::{Outcome, Severity};
use std::fmt;
use std::sync::Arc;

/// The ids that findings about the input carry instead of a rule id
/// (CONTRACT.md §4.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Reserved {
    /// `input.parse`: a file, line or row that cannot be read.
    InputParse,
    /// `input.record`: a record that cannot be checked as a whole.
    InputRecord,
    /// `input.invalid`: a value of the wrong type, unit or enumeration.
    InputInvalid,
    /// `input.unknown-field`: a member the pack does not declare.
    InputUnknownField,
    /// `waiver.invalid`: a waiver that covers nothing.
    WaiverInvalid,
    /// `plan.out-of-period`: a record dated outside the pack's period.
    PlanOutOfPeriod,
}

impl Reserved {
    /// Every reserved id.
    pub const ALL: [Reserved; 6] = [
        Reserved::InputParse,
        Reserved::InputRecord,
        Reserved::InputInvalid,
        Reserved::InputUnknownField,
        Reserved::WaiverInvalid,
        Reserved::PlanOutOfPeriod,
    ];

    /// The severity of findings with this id.
    pub fn severity(self) -> Severity {
        match self {
            Reserved::InputUnknownField | Reserved::PlanOutOfPeriod => Severity::Warning,
            _ => Severity::Error,
        }
    }

    /// The id as users see it.
    pub fn as_str(self) -> &'static str {
        match self {
            Reserved::InputParse => "input.parse",
            Reserved::InputRecord => "input.record",
            Reserved::InputInvalid => "input.invalid",
            Reserved::InputUnknownField => "input.unknown-field",
            Reserved::WaiverInvalid => "waiver.invalid",
            Reserved::PlanOutOfPeriod => "plan.out-of-period",
        }
    }
}

/// The id of a finding: a rule of the pack, or a reserved id.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum FindingId {
    /// A reserved id about the input, a waiver or the period.
    Reserved(Reserved),
    /// A rule of the pack, by its id.
    Rule(Arc<str>),
}

impl FindingId {
    /// The id as users see it.
    pub fn as_str(&self) -> &str {
        match self {
            FindingId::Reserved(r) => r.as_str(),
            FindingId::Rule(id) => id,
        }
    }

    /// Whether this is the reserved id `r`.
    pub fn is(&self, r: Reserved) -> bool {
        *self == FindingId::Reserved(r)
    }
}

impl fmt::Display for FindingId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<str> for FindingId {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for FindingId {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// The numbers of a numeric comparison, in the unit they are shown in.
#[derive(Clone, Debug, PartialEq)]
pub struct Numbers {
    /// The submitted value.
    pub actual: f64,
    /// The limit (for a path, that year's point).
    pub limit: f64,
    /// The unit symbol, "" for pure numbers.
    pub unit: String,
    /// The signed distance from the limit to the actual value in the rule's
    /// favour: positive when it holds, negative when it fails.
    pub margin: f64,
    /// For a limit on a path to a target: the path.
    pub track: Option<Track>,
}

/// A path from a baseline to a target, and the year a value was judged in.
#[derive(Clone, Debug, PartialEq)]
pub struct Track {
    /// The baseline value.
    pub baseline: f64,
    /// Its year.
    pub baseline_year: i64,
    /// The target value.
    pub target: f64,
    /// The target's year.
    pub target_year: i64,
    /// The year judged.
    pub year: i64,
}

/// One finding about one record.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    /// The rule id, or a reserved id such as `input.invalid`.
    pub rule: FindingId,
    /// Outcome.
    pub outcome: Outcome,
    /// Severity.
    pub severity: Severity,
    /// The message in the chosen language.
    pub message: String,
    /// A help line.
    pub help: Option<String>,
    /// JSON Pointer into the record of the value the finding is about.
    pub pointer: Option<String>,
    /// The bytes of that value (or member name) in the record's text, where
    /// the reader knows them: a finding is placed without searching.
    pub span: Option<(usize, usize)>,
    /// The numbers of a comparison.
    pub numbers: Option<Numbers>,
}

impl Finding {
    /// A finding about the input (outcome `invalid`) under the reserved id
    /// `id`, at `pointer`. `input.unknown-field` is a warning, the others errors.
    pub fn input(
        id: Reserved,
        message: String,
        help: Option<String>,
        pointer: Option<String>,
    ) -> Finding {
        Finding {
            rule: FindingId::Reserved(id),
            outcome: Outcome::Invalid,
            severity: if id == Reserved::InputUnknownField {
                Severity::Warning
            } else {
                Severity::Error
            },
            message,
            help,
            pointer,
            span: None,
            numbers: None,
        }
    }

    /// The same finding, placed at bytes `span` of the record's text.
    pub fn at(mut self, span: (usize, usize)) -> Finding {
        self.span = Some(span);
        self
    }
}
