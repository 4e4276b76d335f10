//! What `/metrics` reports, as Prometheus text: requests by route and
//! status, a latency histogram, records by status and findings by rule.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

/// Upper bounds of the latency histogram, in seconds.
const BUCKETS: [f64; 10] = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1.0, 5.0];

#[derive(Default)]
struct Counts {
    requests: BTreeMap<(String, u16), u64>,
    latency: [u64; BUCKETS.len()],
    latency_count: u64,
    latency_sum: f64,
    records: BTreeMap<&'static str, u64>,
    findings: BTreeMap<String, u64>,
}

/// The service's counters.
#[derive(Default)]
pub(crate) struct Metrics(Mutex<Counts>);

impl Metrics {
    fn with(&self, f: impl FnOnce(&mut Counts)) {
        match self.0.lock() {
            Ok(mut c) => f(&mut c),
            Err(poisoned) => f(&mut poisoned.into_inner()),
        }
    }

    /// One request served.
    pub(crate) fn request(&self, route: &str, status: u16, took: Duration) {
        let secs = took.as_secs_f64();
        self.with(|c| {
            *c.requests.entry((route.to_string(), status)).or_default() += 1;
            for (i, b) in BUCKETS.iter().enumerate() {
                if secs <= *b {
                    if let Some(n) = c.latency.get_mut(i) {
                        *n += 1;
                    }
                }
            }
            c.latency_count += 1;
            c.latency_sum += secs;
        });
    }

    /// The records of a check, with the rules of their findings.
    pub(crate) fn records(&self, reports: &[crate::model::RecordReport]) {
        self.with(|c| {
            for r in reports {
                *c.records.entry(r.status.as_str()).or_default() += 1;
                for f in &r.findings {
                    if f.finding.outcome.is_reported() {
                        *c.findings.entry(f.finding.rule.to_string()).or_default() += 1;
                    }
                }
            }
        });
    }

    /// The Prometheus text exposition.
    pub(crate) fn text(&self) -> String {
        let mut out = String::new();
        let label = |s: &str| {
            s.replace('\\', "\\\\")
                .replace('"', "\\\"")
                .replace('\n', "\\n")
        };
        self.with(|c| {
            out.push_str("# HELP plancheck_requests_total Requests served, by route and status.\n# TYPE plancheck_requests_total counter\n");
            for ((route, status), n) in &c.requests {
                out.push_str(&format!(
                    "plancheck_requests_total{{route=\"{}\",status=\"{status}\"}} {n}\n",
                    label(route)
                ));
            }
            out.push_str("# HELP plancheck_request_duration_seconds Time to serve a request.\n# TYPE plancheck_request_duration_seconds histogram\n");
            for (b, n) in BUCKETS.iter().zip(c.latency.iter()) {
                out.push_str(&format!(
                    "plancheck_request_duration_seconds_bucket{{le=\"{b}\"}} {n}\n"
                ));
            }
            out.push_str(&format!(
                "plancheck_request_duration_seconds_bucket{{le=\"+Inf\"}} {}\nplancheck_request_duration_seconds_sum {}\nplancheck_request_duration_seconds_count {}\n",
                c.latency_count, c.latency_sum, c.latency_count
            ));
            out.push_str("# HELP plancheck_records_total Records checked, by status.\n# TYPE plancheck_records_total counter\n");
            for (status, n) in &c.records {
                out.push_str(&format!("plancheck_records_total{{status=\"{status}\"}} {n}\n"));
            }
            out.push_str("# HELP plancheck_findings_total Findings reported, by rule.\n# TYPE plancheck_findings_total counter\n");
            for (rule, n) in &c.findings {
                out.push_str(&format!(
                    "plancheck_findings_total{{rule=\"{}\"}} {n}\n",
                    label(rule)
                ));
            }
        });
        out
    }
}
