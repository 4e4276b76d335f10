//! Outcomes of rules, severities of findings and statuses of records.

use crate::pack::Force;

/// What happened to one rule for one record (CONTRACT.md §4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Outcome {
    /// The rule applies and holds.
    Pass,
    /// Its condition is false.
    NotApplicable,
    /// It applies and does not hold.
    Violated,
    /// A field needed to decide is absent.
    Missing,
    /// Violated, but covered by a valid waiver.
    Waived,
    /// The record lies outside the pack's period.
    OutOfPeriod,
    /// An indicator behind its path to the target.
    OffTrack,
    /// A value of the wrong type, unit or enumeration.
    Invalid,
}

impl Outcome {
    /// Every outcome.
    pub const ALL: [Outcome; 8] = [
        Outcome::Pass,
        Outcome::NotApplicable,
        Outcome::Violated,
        Outcome::Missing,
        Outcome::Waived,
        Outcome::OutOfPeriod,
        Outcome::OffTrack,
        Outcome::Invalid,
    ];

    /// The contract's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::NotApplicable => "not_applicable",
            Outcome::Violated => "violated",
            Outcome::Missing => "missing",
            Outcome::Waived => "waived",
            Outcome::OutOfPeriod => "out_of_period",
            Outcome::OffTrack => "off_track",
            Outcome::Invalid => "invalid",
        }
    }

    /// Reads the contract's spelling.
    pub fn parse(s: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.as_str() == s)
    }

    /// Whether a finding with this outcome is listed without `--all`.
    pub fn is_reported(self) -> bool {
        !matches!(self, Outcome::Pass | Outcome::NotApplicable)
    }
}

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Informational (a waiver applied).
    Note,
    /// Does not fail the record unless `--deny-warnings`.
    Warning,
    /// Fails the record.
    Error,
}

impl Severity {
    /// The contract's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// The severity of a violated or missing rule of force `force`.
    pub fn of_force(force: Force) -> Severity {
        match force {
            Force::Expected => Severity::Warning,
            Force::Binding | Force::InPrinciple | Force::Prohibition => Severity::Error,
        }
    }
}

/// A record's overall status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// No error or warning.
    Pass,
    /// Warnings only.
    Warn,
    /// At least one error.
    Fail,
    /// Could not be checked as a whole.
    Invalid,
}

impl Status {
    /// The contract's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Warn => "warn",
            Status::Fail => "fail",
            Status::Invalid => "invalid",
        }
    }

    /// A record's status from whether it could be checked at all and the
    /// severities of its findings (CONTRACT.md §4).
    pub fn of(invalid: bool, severities: impl IntoIterator<Item = Severity>) -> Status {
        if invalid {
            return Status::Invalid;
        }
        let worst = severities.into_iter().max();
        match worst {
            Some(Severity::Error) => Status::Fail,
            Some(Severity::Warning) => Status::Warn,
            _ => Status::Pass,
        }
    }

    /// Whether the record fails a check (`--deny-warnings` makes warnings fail).
    pub fn fails(self, deny_warnings: bool) -> bool {
        matches!(self, Status::Fail | Status::Invalid) || (deny_warnings && self == Status::Warn)
    }
}
