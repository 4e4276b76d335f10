//! What changed between two checks of a file: findings that are new and
//! findings that were resolved. Pure, so it is tested without a watcher.

use crate::model::RecordReport;
use std::collections::BTreeMap;

/// A finding as compared between two checks of a file.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Key {
    /// The record's position in its file.
    pub index: usize,
    /// The finding's id.
    pub rule: String,
    /// Where it points.
    pub pointer: String,
    /// What it says.
    pub message: String,
}

/// Every finding of a file's records by its key, with its place: (record, finding).
pub fn keys(records: &[RecordReport]) -> BTreeMap<Key, (usize, usize)> {
    let mut out = BTreeMap::new();
    for (ri, r) in records.iter().enumerate() {
        for (fi, f) in r.findings.iter().enumerate() {
            let key = Key {
                index: r.index,
                rule: f.finding.rule.to_string(),
                pointer: f.finding.pointer.clone().unwrap_or_default(),
                message: f.finding.message.clone(),
            };
            out.insert(key, (ri, fi));
        }
    }
    out
}

/// The difference between two checks of one file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FileDiff {
    /// New findings, as places in the new check, in key order.
    pub added: Vec<(usize, usize)>,
    /// Findings gone, with their places in the old check, in key order.
    pub resolved: Vec<(Key, (usize, usize))>,
}

impl FileDiff {
    /// Whether nothing changed in the findings.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.resolved.is_empty()
    }
}

/// What changed from `before` (no earlier check: every finding is new) to `now`.
pub fn diff(before: Option<&[RecordReport]>, now: &[RecordReport]) -> FileDiff {
    let new_keys = keys(now);
    let old_keys = before.map(keys).unwrap_or_default();
    FileDiff {
        added: new_keys
            .iter()
            .filter(|(k, _)| !old_keys.contains_key(*k))
            .map(|(_, v)| *v)
            .collect(),
        resolved: old_keys
            .into_iter()
            .filter(|(k, _)| !new_keys.contains_key(k))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Finding, LocatedFinding, Reserved, Status};

    fn record(index: usize, messages: &[&str]) -> RecordReport {
        RecordReport {
            file: "a.json".into(),
            index,
            id: Some("p".into()),
            kind: Some("project".into()),
            status: if messages.is_empty() {
                Status::Pass
            } else {
                Status::Fail
            },
            findings: messages
                .iter()
                .map(|m| {
                    LocatedFinding::unlocated(Finding::input(
                        Reserved::InputInvalid,
                        m.to_string(),
                        None,
                        Some("/land/area".into()),
                    ))
                })
                .collect(),
            record: None,
        }
    }

    #[test]
    fn a_first_check_makes_every_finding_new() {
        let now = [record(0, &["a", "b"])];
        let d = diff(None, &now);
        assert_eq!(d.added, vec![(0, 0), (0, 1)]);
        assert!(d.resolved.is_empty());
    }

    #[test]
    fn kept_findings_are_neither_new_nor_resolved() {
        let before = [record(0, &["a", "b"])];
        let now = [record(0, &["b", "c"])];
        let d = diff(Some(&before), &now);
        assert_eq!(d.added, vec![(0, 1)]);
        assert_eq!(d.resolved.len(), 1);
        assert_eq!(d.resolved[0].0.message, "a");
        assert_eq!(d.resolved[0].1, (0, 0));
    }

    #[test]
    fn the_same_finding_in_another_record_is_another_finding() {
        let before = [record(0, &["a"])];
        let now = [record(1, &["a"])];
        let d = diff(Some(&before), &now);
        assert_eq!(d.added, vec![(0, 0)]);
        assert_eq!(d.resolved.len(), 1);
        assert!(!d.is_empty());
        assert!(diff(Some(&now), &now).is_empty());
    }
}
