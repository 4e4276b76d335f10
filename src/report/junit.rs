//! `--format junit`: JUnit XML for GitLab, Jenkins and GitHub test
//! reporters, built with `quick-junit`: a test suite per file, a test case
//! per record, a failure per error finding, warnings as system-out.

use super::{RunReport, Status};
use crate::eval::{Outcome, Severity};
use crate::pack::{Lang, Pack};
use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

/// The JUnit XML of a run.
pub fn render_junit(pack: &Pack, report: &RunReport, lang: Lang) -> String {
    let mut junit = Report::new("plancheck");
    let mut suites: Vec<TestSuite> = Vec::new();
    for rec in &report.records {
        let suite = match suites.iter_mut().position(|s| s.name.as_str() == rec.file) {
            Some(i) => suites.get_mut(i),
            None => {
                suites.push(TestSuite::new(rec.file.clone()));
                suites.last_mut()
            }
        };
        let Some(suite) = suite else { continue };
        let name = match &rec.id {
            Some(id) => format!(
                "{} [{}] {id}",
                rec.kind.as_deref().unwrap_or("record"),
                rec.index
            ),
            None => format!("record [{}]", rec.index),
        };
        let line = |f: &super::LocatedFinding| {
            let at = match (f.line, f.column) {
                (Some(l), Some(c)) => format!("{}:{l}:{c}", rec.file),
                _ => rec.file.clone(),
            };
            let cite = super::citation_line(pack, &f.finding.rule, lang)
                .map(|c| format!("\n    {}", c.replace('\n', "\n    ")))
                .unwrap_or_default();
            format!(
                "{at}: {} [{}] {}{cite}",
                f.finding.severity.as_str(),
                f.finding.rule,
                f.finding.message
            )
        };
        let shown: Vec<&super::LocatedFinding> = rec
            .findings
            .iter()
            .filter(|f| !matches!(f.finding.outcome, Outcome::Pass | Outcome::NotApplicable))
            .collect();
        let errors: Vec<String> = shown
            .iter()
            .filter(|f| f.finding.severity == Severity::Error)
            .map(|f| line(f))
            .collect();
        let others: Vec<String> = shown
            .iter()
            .filter(|f| f.finding.severity != Severity::Error)
            .map(|f| line(f))
            .collect();
        let status = if errors.is_empty() {
            TestCaseStatus::success()
        } else {
            let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
            let first = shown
                .iter()
                .find(|f| f.finding.severity == Severity::Error)
                .map(|f| format!("[{}] {}", f.finding.rule, f.finding.message))
                .unwrap_or_default();
            s.set_message(first);
            s.set_type(if rec.status == Status::Invalid {
                "invalid"
            } else {
                "fail"
            });
            s.set_description(errors.join("\n"));
            s
        };
        let mut case = TestCase::new(name, status);
        case.set_classname(rec.file.clone());
        if !others.is_empty() {
            case.set_system_out(others.join("\n"));
        }
        suite.add_test_case(case);
    }
    junit.add_test_suites(suites);
    junit.to_string().unwrap_or_default()
}
