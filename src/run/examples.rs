//! The examples written next to every rule: a partial record and the
//! outcome the rule must give (`plancheck rules test`).

use crate::eval::evaluate;
use crate::i18n::Lang;
use crate::input::{type_text, Settings};
use crate::model::{Options, Outcome};
use crate::pack::Pack;

/// The result of one example.
#[derive(Clone, Debug)]
pub struct ExampleResult {
    /// The rule.
    pub rule: String,
    /// Position among the rule's examples.
    pub index: usize,
    /// Expected outcome.
    pub expected: Outcome,
    /// Outcome found (`None`: no outcome at all).
    pub got: Option<Outcome>,
    /// What the rule said.
    pub message: String,
}

impl ExampleResult {
    /// Whether the rule gave the outcome the example expects.
    pub fn passed(&self) -> bool {
        self.got == Some(self.expected)
    }
}

/// Runs every example of the pack.
pub fn run_examples(pack: &Pack, lang: Lang) -> Vec<ExampleResult> {
    let mut out = Vec::new();
    for r in &pack.rules {
        let Some(def) = pack.records.get(r.subject.0) else {
            continue;
        };
        for (index, ex) in r.examples.iter().enumerate() {
            // INVARIANT: `check` accepts only examples that name an outcome.
            let Some(expected) = Outcome::parse(&ex.outcome) else {
                continue;
            };
            let mut json: serde_json::Value =
                serde_json::from_str(&ex.json).unwrap_or(serde_json::Value::Null);
            if let serde_json::Value::Object(o) = &mut json {
                o.entry("kind").or_insert_with(|| def.kind.clone().into());
                if def
                    .field("id")
                    .is_some_and(|f| def.get(f).is_some_and(|f| f.required))
                {
                    o.entry("id")
                        .or_insert_with(|| format!("{}#{index}", r.id).into());
                }
                // An example without a date is dated on the first day the rule is in force.
                if let Some(dated) = def.dated_by.and_then(|f| def.get(f)) {
                    if !o.contains_key(&dated.path) {
                        let day = r.from.unwrap_or(pack.period_start);
                        let value: serde_json::Value = if dated.is_year {
                            i64::from(day.year()).into()
                        } else {
                            day.to_string().into()
                        };
                        o.insert(dated.path.clone(), value);
                    }
                }
            }
            let opts = Options {
                lang,
                all: true,
                ..Options::default()
            };
            let settings = Settings {
                hint: None,
                date: None,
                lang,
                names: None,
                given_twice: &[],
            };
            // The example is read as a submission's record is.
            let typed = match type_text(pack, &json.to_string(), &settings) {
                Ok(t) => t,
                Err(e) => {
                    out.push(ExampleResult {
                        rule: r.id.to_string(),
                        index,
                        expected,
                        got: Some(Outcome::Invalid),
                        message: format!("{e:?}"),
                    });
                    continue;
                }
            };
            let (got, message) = match &typed.record {
                None => (
                    Some(Outcome::Invalid),
                    typed
                        .findings
                        .first()
                        .map(|f| f.message.clone())
                        .unwrap_or_default(),
                ),
                Some(rec) => {
                    let findings = evaluate(pack, rec, &opts);
                    match findings.iter().find(|f| f.rule == *r.id) {
                        Some(f) => (Some(f.outcome), f.message.clone()),
                        None => match typed
                            .findings
                            .iter()
                            .chain(findings.iter())
                            .find(|f| f.outcome == Outcome::Invalid)
                        {
                            Some(f) => (Some(Outcome::Invalid), f.message.clone()),
                            None => (None, String::new()),
                        },
                    }
                }
            };
            out.push(ExampleResult {
                rule: r.id.to_string(),
                index,
                expected,
                got,
                message,
            });
        }
    }
    out
}
