//! plancheck checks project applications and county indicator reports
//! against the binding limits of a five-year plan.
//!
//! The pipeline: rules text → [`syntax`] → [`check`] → a [`pack::Pack`];
//! submissions → [`input`] → [`eval`] → [`report`]. See `ARCHITECTURE.md`.
//!
//! ```
//! use plancheck::{load, input, eval};
//! let pack = load::embedded().expect("the default pack loads");
//! let text = r#"{"kind": "project", "id": "p1", "submitted": "2017-05-01",
//!   "category": "industrial", "construction": "new",
//!   "land": {"area": 30, "floor_area": 15000}}"#;
//! let records = input::check_text(&pack, "a.json", text.into(),
//!     input::Format::Json, &eval::Options::default());
//! let plot = records[0].findings.iter().find(|f| f.finding.rule == "land.plot-ratio").unwrap();
//! assert_eq!(plot.finding.outcome, eval::Outcome::Violated);
//! ```

pub mod ast;
pub mod check;
pub mod cli;
pub mod diagnostics;
pub mod eval;
pub mod input;
pub mod load;
pub mod number;
pub mod pack;
pub mod report;
pub mod source;
pub mod syntax;
pub mod units;
