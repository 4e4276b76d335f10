//! plancheck checks project applications and county indicator reports
//! against the binding limits of a five-year plan.
//!
//! The pipeline: rules text → [`syntax`] → [`check`] → a [`pack::Pack`];
//! submissions → [`input`] → [`eval`] → [`report`], driven by [`run`].
//! See `ARCHITECTURE.md`.
//!
//! ```
//! use plancheck::{input, load, model, run};
//! let pack = load::embedded().expect("the default pack loads");
//! let text = r#"{"kind": "project", "id": "p1", "submitted": "2017-05-01",
//!   "category": "industrial", "construction": "new",
//!   "land": {"area": 30, "floor_area": 15000}}"#;
//! let records = run::check_text(&pack, "a.json", text.into(),
//!     input::Format::Json, &model::Options::default());
//! let plot = records[0].findings.iter().find(|f| f.finding.rule == "land.plot-ratio").unwrap();
//! assert_eq!(plot.finding.outcome, model::Outcome::Violated);
//! ```

pub mod ast;
pub mod check;
#[cfg(feature = "cli")]
pub mod cli;
pub mod diagnostics;
pub mod eval;
#[doc(hidden)]
pub mod fuzz;
pub mod i18n;
pub mod input;
pub mod load;
pub mod model;
pub mod number;
pub mod pack;
pub mod report;
pub mod run;
#[cfg(feature = "serve")]
pub mod serve;
pub mod source;
pub mod syntax;
pub mod template;
pub mod text;
pub mod units;
