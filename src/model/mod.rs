//! The model: the vocabulary every phase after `check` shares.
//!
//! Outcomes, severities and statuses (CONTRACT.md §4), findings and their
//! ids, the typed record that `input` builds and `eval` reads, and the
//! options of one evaluation. It depends on nothing but the checked
//! [`pack`](crate::pack), units and languages; it does no work of its own.

mod finding;
mod located;
mod outcome;
mod record;

pub use finding::{Finding, FindingId, Numbers, Reserved, Track};
pub use located::{LocatedFinding, RecordReport};
pub use outcome::{Outcome, Severity, Status};
pub use record::{Cancel, Options, Record, Slot, WaiverEntry};
