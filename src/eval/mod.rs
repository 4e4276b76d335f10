//! Evaluate: a checked [`Pack`] and one typed [`Record`] → findings.
//!
//! Input: a record already read and typed by `input`. Output: one finding per
//! rule that did not plainly pass (all outcomes with `--all`), plus findings
//! about waivers, record checks and the plan's period. Conditions and
//! requirements use three-valued logic: an absent field leaves a part
//! undecided, a part known false decides an `and`, a part known true decides
//! an `or`; what stays undecided is `missing`, never a silent pass.
//! Evaluation performs no IO and never panics on any record.

mod value;

pub use value::{format_value, Undecided};

use crate::ast::BinaryOp;
use crate::pack::*;
use crate::units::{Date, Number};
use std::cell::RefCell;
use std::sync::Arc;
use value::{arith, compare, Eval};

/// A number argument of a built-in function, with its display unit.
type NumArg = (Number, Option<crate::units::UnitRef>);

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
}

/// One finding about one record.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    /// The rule id, or a reserved id such as `input.invalid`.
    pub rule: String,
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
    /// The numbers of a comparison.
    pub numbers: Option<Numbers>,
}

impl Finding {
    /// A finding about the input (outcome `invalid`) under a reserved id
    /// such as `input.invalid`, at `pointer`.
    pub fn input(
        rule: &str,
        severity: Severity,
        message: String,
        help: Option<String>,
        pointer: Option<String>,
    ) -> Finding {
        Finding {
            rule: rule.to_string(),
            outcome: Outcome::Invalid,
            severity,
            message,
            help,
            pointer,
            numbers: None,
        }
    }
}

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
}

impl Options {
    /// Whether the rule `id` is selected.
    pub fn selects(&self, id: &str) -> bool {
        let matches = |p: &String| id.starts_with(p.as_str());
        (self.select.is_empty() || self.select.iter().any(matches))
            && !self.ignore.iter().any(matches)
    }
}

/// Evaluates every rule of the record's kind in force on its date.
pub fn evaluate(pack: &Pack, record: &Record, opts: &Options) -> Vec<Finding> {
    let lang = opts.lang;
    let mut findings = Vec::new();
    let Some(date) = opts.date.or(record.date) else {
        return findings;
    };
    if date < pack.period_start || date > pack.period_end {
        let dated = pack
            .records
            .get(record.kind.0)
            .and_then(|r| r.dated_by)
            .and_then(|f| pack.records.get(record.kind.0)?.get(f))
            .map(|f| f.path.clone());
        findings.push(Finding {
            rule: "plan.out-of-period".into(),
            outcome: Outcome::OutOfPeriod,
            severity: Severity::Warning,
            message: match lang {
                Lang::Zh => format!("记录日期 {date} 不在规划期 {} 至 {} 之内，未按本规划检查", pack.period_start, pack.period_end),
                Lang::En => format!("the record's date {date} lies outside the plan's period {} to {}; no rule of this plan was checked", pack.period_start, pack.period_end),
            },
            help: Some(match lang {
                Lang::Zh => "核对日期；如需按规划期内某日检查，使用 --date YYYY-MM-DD".into(),
                Lang::En => "check the date, or evaluate as of a day in the period with --date YYYY-MM-DD".into(),
            }),
            pointer: dated.map(|p| pointer_of(&p)),
            numbers: None,
        });
        return findings;
    }
    let cx = Cx {
        pack,
        record,
        lets: RefCell::new(vec![None; pack.lets.len()]),
    };

    // Consistency checks of the record's own values.
    if let Some(def) = pack.records.get(record.kind.0) {
        for c in &def.checks {
            if let Ok(Value::Bool(false)) = cx.eval(&c.condition, &[], None) {
                let path = def.get(c.at).map(|f| f.path.clone()).unwrap_or_default();
                findings.push(Finding {
                    rule: "input.invalid".into(),
                    outcome: Outcome::Invalid,
                    severity: Severity::Error,
                    message: c.message.get(lang).to_string(),
                    help: None,
                    pointer: Some(pointer_of(&path)),
                    numbers: None,
                });
            }
        }
    }

    // Waivers that cover nothing are reported at the entry.
    let valid_waivers = check_waivers(pack, record, date, lang, &mut findings);

    for rule in &pack.rules {
        if rule.subject != record.kind || !opts.selects(&rule.id) {
            continue;
        }
        if rule.from.is_some_and(|f| date < f) || rule.until.is_some_and(|u| date > u) {
            continue;
        }
        let waiver = valid_waivers
            .iter()
            .find(|w| w.rule.as_deref() == Some(rule.id.as_str()));
        if let Some(f) = cx.rule(rule, lang, waiver, opts.all) {
            findings.push(f);
        }
    }
    findings
}

/// The value of field `f` of `record`, its default applied; `None` when undecided.
pub fn field_value(pack: &Pack, record: &Record, f: FieldId) -> Option<Value> {
    let cx = Cx {
        pack,
        record,
        lets: RefCell::new(vec![None; pack.lets.len()]),
    };
    cx.field(f).ok()
}

/// Validates waivers; returns those that may cover a rule.
fn check_waivers<'r>(
    pack: &Pack,
    record: &'r Record,
    date: Date,
    lang: Lang,
    findings: &mut Vec<Finding>,
) -> Vec<&'r WaiverEntry> {
    let mut valid = Vec::new();
    for w in &record.waivers {
        let problem: Option<(String, Option<String>)> = if let Some(m) = &w.malformed {
            Some((m.clone(), None))
        } else {
            match &w.rule {
                None => Some((tr(lang, "豁免未写明所豁免的规则（rule）", "the waiver names no `rule`"), None)),
                Some(id) => match pack.rule(id) {
                    None => {
                        let help = crate::diagnostics::did_you_mean_help(id, pack.rules.iter().map(|r| r.id.as_str()));
                        Some((match lang { Lang::Zh => format!("豁免所指规则 `{id}` 不存在"), Lang::En => format!("the waiver names the unknown rule `{id}`") }, help))
                    }
                    Some(r) if r.force != Force::InPrinciple => Some((
                        match lang {
                            Lang::Zh => format!("规则 `{id}` 的效力为{}，不能豁免；只有「原则上」规则可以豁免", r.force.zh()),
                            Lang::En => format!("rule `{id}` is {} and cannot be waived; only in-principle (原则上) rules can", r.force.as_str()),
                        },
                        None,
                    )),
                    Some(_) => {
                        if w.approval_not_text || w.approval.as_deref().is_none_or(|a| a.trim().is_empty()) {
                            Some((tr(lang, "豁免缺少批准文号（approval）", "the waiver has no `approval` document number"), None))
                        } else {
                            match &w.expires {
                                Some(Err(text)) => Some((
                                    match lang { Lang::Zh => format!("豁免的有效期 `{text}` 不是 YYYY-MM-DD 格式的日期"), Lang::En => format!("the waiver's `expires` `{text}` is not a date YYYY-MM-DD") },
                                    None,
                                )),
                                Some(Ok(exp)) if *exp < date => Some((
                                    match lang { Lang::Zh => format!("豁免已于 {exp} 到期（检查日期 {date}）"), Lang::En => format!("the waiver expired on {exp} (checked as of {date})") },
                                    None,
                                )),
                                _ => None,
                            }
                        }
                    }
                },
            }
        };
        match problem {
            Some((message, help)) => findings.push(Finding {
                rule: "waiver.invalid".into(),
                outcome: Outcome::Invalid,
                severity: Severity::Error,
                message,
                help: help.or_else(|| {
                    Some(tr(
                        lang,
                        "该豁免不覆盖任何规则；所指规则照常检查",
                        "this waiver covers nothing; the rule it names is checked as usual",
                    ))
                }),
                pointer: Some(format!("/waivers/{}", w.index)),
                numbers: None,
            }),
            None => valid.push(w),
        }
    }
    valid
}

fn tr(lang: Lang, zh: &str, en: &str) -> String {
    match lang {
        Lang::Zh => zh.to_string(),
        Lang::En => en.to_string(),
    }
}

/// A dotted path as a JSON Pointer.
pub fn pointer_of(path: &str) -> String {
    let mut s = String::with_capacity(path.len() + 1);
    for seg in path.split('.') {
        s.push('/');
        s.push_str(&seg.replace('~', "~0").replace('/', "~1"));
    }
    s
}

/// The state of one requirement.
enum Verdict {
    Holds,
    Fails { off_track: bool },
    Undecided(Undecided),
}

/// Values bound while rendering one requirement's message.
#[derive(Clone, Default)]
pub(crate) struct Specials {
    pub actual: Option<Value>,
    pub limit: Option<Value>,
    pub gap: Option<Value>,
    pub target: Option<Value>,
    /// Decimals that keep the actual and the limit apart when shown.
    pub decimals: usize,
}

struct Cx<'a> {
    pack: &'a Pack,
    record: &'a Record,
    lets: RefCell<Vec<Option<Eval>>>,
}

impl Cx<'_> {
    fn slot(&self, f: FieldId) -> &Slot {
        self.record.slots.get(f.0).unwrap_or(&Slot::Absent)
    }

    fn field(&self, f: FieldId) -> Eval {
        match self.slot(f) {
            Slot::Value(v) => Ok(v.clone()),
            Slot::Invalid(_) => Err(Undecided::invalid()),
            Slot::Absent => {
                let def = self
                    .pack
                    .records
                    .get(self.record.kind.0)
                    .and_then(|r| r.get(f));
                match def.and_then(|d| d.default.as_ref()) {
                    None => Err(Undecided::missing(f)),
                    Some(default) => {
                        let needed = match &default.unless {
                            None => Ok(false),
                            Some(u) => match self.eval(u, &[], None) {
                                Ok(Value::Bool(b)) => Ok(b),
                                Ok(_) => Ok(false),
                                Err(e) => Err(e),
                            },
                        };
                        match needed {
                            Ok(true) => Err(Undecided::missing(f)),
                            Ok(false) => match &default.value {
                                DefaultValueDef::Expr(e) => self.eval(e, &[], None),
                                DefaultValueDef::Template(t) => {
                                    Ok(Value::Text(Arc::from(self.render_raw(t).as_str())))
                                }
                            },
                            Err(mut e) => {
                                e.add_missing(f);
                                Err(e)
                            }
                        }
                    }
                }
            }
        }
    }

    fn eval(&self, e: &Expr, locals: &[Eval], specials: Option<&Specials>) -> Eval {
        match &e.kind {
            ExprKind::Const(v) => Ok(v.clone()),
            ExprKind::Field(f) => self.field(*f),
            ExprKind::Let(id) => {
                if let Some(Some(v)) = self.lets.borrow().get(id.0) {
                    return v.clone();
                }
                let v = match self.pack.lets.get(id.0) {
                    Some(def) => self.eval(&def.value, &[], None),
                    None => Err(Undecided::invalid()),
                };
                if let Some(slot) = self.lets.borrow_mut().get_mut(id.0) {
                    *slot = Some(v.clone());
                }
                v
            }
            ExprKind::Local(i) => locals
                .get(*i)
                .cloned()
                .unwrap_or_else(|| Err(Undecided::invalid())),
            // A value given but invalid (already reported) is undecided, not present.
            ExprKind::Present(f) => match self.slot(*f) {
                Slot::Absent => Ok(Value::Bool(false)),
                Slot::Value(_) => Ok(Value::Bool(true)),
                Slot::Invalid(_) => Err(Undecided::invalid()),
            },
            ExprKind::List(items) => {
                let mut out = Vec::with_capacity(items.len());
                let mut und: Option<Undecided> = None;
                for it in items {
                    match self.eval(it, locals, specials) {
                        Ok(v) => out.push(v),
                        Err(u) => und = Some(und.map_or(u.clone(), |x| x.merge(u))),
                    }
                }
                match und {
                    Some(u) => Err(u),
                    None => Ok(Value::List(out.into())),
                }
            }
            ExprKind::Lookup(t, key) => {
                let k = self.eval(key, locals, specials)?;
                let table = self.pack.tables.get(t.0).ok_or_else(Undecided::invalid)?;
                let Value::Text(k) = k else {
                    return Err(Undecided::invalid());
                };
                table
                    .entries
                    .iter()
                    .find(|(name, _)| **name == *k)
                    .map(|(_, v)| v.clone())
                    .or_else(|| table.default.clone())
                    .ok_or_else(Undecided::invalid)
            }
            ExprKind::If(c, a, b) => match self.eval(c, locals, specials) {
                Ok(Value::Bool(true)) => self.eval(a, locals, specials),
                Ok(_) => self.eval(b, locals, specials),
                Err(u) => {
                    // Both branches agreeing decides the value anyway.
                    match (
                        self.eval(a, locals, specials),
                        self.eval(b, locals, specials),
                    ) {
                        (Ok(x), Ok(y)) if x == y => Ok(x),
                        _ => Err(u),
                    }
                }
            },
            ExprKind::Not(x) => match self.eval(x, locals, specials)? {
                Value::Bool(b) => Ok(Value::Bool(!b)),
                _ => Err(Undecided::invalid()),
            },
            ExprKind::Neg(x) => match self.eval(x, locals, specials)? {
                Value::Num(n, u) => Ok(Value::Num(-&n, u)),
                _ => Err(Undecided::invalid()),
            },
            ExprKind::Binary(op, l, r) => self.binary(*op, l, r, locals, specials),
            ExprKind::Call(f, args) => {
                let vals: Vec<Eval> = args
                    .iter()
                    .map(|a| self.eval(a, locals, specials))
                    .collect();
                let nums: Result<Vec<NumArg>, Undecided> = vals
                    .into_iter()
                    .map(|v| match v {
                        Ok(Value::Num(n, u)) => Ok((n, u)),
                        Ok(_) => Err(Undecided::invalid()),
                        Err(u) => Err(u),
                    })
                    .collect();
                let mut nums = nums?.into_iter();
                let (a, ua) = nums.next().ok_or_else(Undecided::invalid)?;
                match f {
                    Func::Abs => Ok(Value::Num(a.abs(), ua)),
                    Func::Min | Func::Max => {
                        let (b, ub) = nums.next().ok_or_else(Undecided::invalid)?;
                        let pick_a = if *f == Func::Min { a <= b } else { a >= b };
                        Ok(if pick_a {
                            Value::Num(a, ua.or(ub))
                        } else {
                            Value::Num(b, ub.or(ua))
                        })
                    }
                }
            }
            ExprKind::Special(s) => {
                let sp = specials.ok_or_else(Undecided::invalid)?;
                let v = match s {
                    Special::Actual => &sp.actual,
                    Special::Limit => &sp.limit,
                    Special::Gap => &sp.gap,
                    Special::Target => &sp.target,
                };
                v.clone().ok_or_else(Undecided::invalid)
            }
        }
    }

    fn binary(
        &self,
        op: BinaryOp,
        l: &Expr,
        r: &Expr,
        locals: &[Eval],
        specials: Option<&Specials>,
    ) -> Eval {
        match op {
            BinaryOp::And | BinaryOp::Or => {
                let decisive = op == BinaryOp::Or;
                let a = self.eval(l, locals, specials);
                if let Ok(Value::Bool(b)) = a {
                    if b == decisive {
                        return Ok(Value::Bool(decisive));
                    }
                }
                let b = self.eval(r, locals, specials);
                match (a, b) {
                    (_, Ok(Value::Bool(x))) if x == decisive => Ok(Value::Bool(decisive)),
                    (Ok(_), Ok(_)) => Ok(Value::Bool(!decisive)),
                    (Err(x), Err(y)) => Err(x.merge(y)),
                    (Err(x), _) | (_, Err(x)) => Err(x),
                }
            }
            // The fallback stands in for an absent value only: a value given
            // but invalid (already reported) leaves the result undecided.
            BinaryOp::Otherwise => match self.eval(l, locals, specials) {
                Ok(v) => Ok(v),
                Err(x) if x.invalid => Err(x),
                Err(x) => self.eval(r, locals, specials).map_err(|y| x.merge(y)),
            },
            _ => {
                let a = self.eval(l, locals, specials);
                let b = self.eval(r, locals, specials);
                let (a, b) = match (a, b) {
                    (Ok(a), Ok(b)) => (a, b),
                    (Err(x), Err(y)) => return Err(x.merge(y)),
                    (Err(x), _) | (_, Err(x)) => return Err(x),
                };
                match op {
                    BinaryOp::In => match b {
                        Value::List(items) => {
                            Ok(Value::Bool(items.iter().any(|i| value::equal(i, &a))))
                        }
                        _ => Err(Undecided::invalid()),
                    },
                    BinaryOp::Eq => Ok(Value::Bool(value::equal(&a, &b))),
                    BinaryOp::Ne => Ok(Value::Bool(!value::equal(&a, &b))),
                    BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge => {
                        compare(op, &a, &b)
                            .map(Value::Bool)
                            .ok_or_else(Undecided::invalid)
                    }
                    BinaryOp::Div if matches!(&b, Value::Num(d, _) if d.is_zero()) => {
                        Err(Undecided::fault())
                    }
                    _ => arith(op, &a, &b).ok_or_else(Undecided::invalid),
                }
            }
        }
    }

    /// The outcome of one rule, as a finding (or `None` for a plain pass).
    fn rule(
        &self,
        rule: &RuleDef,
        lang: Lang,
        waiver: Option<&&WaiverEntry>,
        all: bool,
    ) -> Option<Finding> {
        let when = match &rule.when {
            None => Ok(Value::Bool(true)),
            Some(w) => self.eval(w, &[], None),
        };
        if let Ok(Value::Bool(false)) = when {
            return all.then(|| self.plain(rule, Outcome::NotApplicable, lang));
        }
        let locals = self.locals(rule);
        let mut failed: Vec<(usize, bool, Specials)> = Vec::new();
        let mut undecided: Option<Undecided> = None;
        for (i, req) in rule.requires.iter().enumerate() {
            let (verdict, specials) = self.require(req, &locals);
            match verdict {
                Verdict::Holds => {}
                Verdict::Fails { off_track } => failed.push((i, off_track, specials)),
                Verdict::Undecided(u) => {
                    undecided = Some(undecided.map_or(u.clone(), |x| x.merge(u)))
                }
            }
        }
        let when_undecided = when.as_ref().err().cloned();
        if failed.is_empty() && undecided.is_none() {
            // Holds whatever the undecided parts of the condition are.
            return all.then(|| self.plain(rule, Outcome::Pass, lang));
        }
        if !failed.is_empty() && when_undecided.is_none() {
            let off_track = failed.iter().all(|(_, o, _)| *o);
            let sep = if lang == Lang::Zh { "；" } else { "; " };
            let message = failed
                .iter()
                .filter_map(|(i, _, sp)| {
                    rule.requires
                        .get(*i)
                        .map(|r| self.render(r.message.get(lang), &locals, Some(sp), lang))
                })
                .collect::<Vec<_>>()
                .join(sep);
            let (first, _, sp) = failed.first()?;
            let req = rule.requires.get(*first)?;
            let pointer = self.blame(req, &locals);
            let numbers = numbers_of(sp);
            let mut outcome = if off_track {
                Outcome::OffTrack
            } else {
                Outcome::Violated
            };
            let mut severity = if off_track {
                Severity::Warning
            } else {
                severity_of(rule.force)
            };
            let mut help = None;
            let mut message = message;
            if let (Some(w), false) = (waiver, off_track) {
                outcome = Outcome::Waived;
                severity = Severity::Note;
                let approval = w.approval.clone().unwrap_or_default();
                message = match lang {
                    Lang::Zh => format!("{message}（已由批准文件 {approval} 豁免）"),
                    Lang::En => format!("{message} (waived by approval {approval})"),
                };
                help = w.reason.clone().map(|r| match lang {
                    Lang::Zh => format!("豁免理由：{r}"),
                    Lang::En => format!("reason for the waiver: {r}"),
                });
            }
            return Some(Finding {
                rule: rule.id.clone(),
                outcome,
                severity,
                message,
                help,
                pointer,
                numbers,
            });
        }
        // Undecided: name what is missing, unless only invalid values stand in the way.
        let mut und = undecided.unwrap_or_default();
        if let Some(w) = when_undecided {
            und = und.merge(w);
        }
        if und.missing.is_empty() {
            // Only a value that divides by zero stands in the way: say so rather than pass silently.
            return und.fault.then(|| self.fault(rule, lang));
        }
        Some(self.missing(rule, &und, lang))
    }

    fn locals(&self, rule: &RuleDef) -> Vec<Eval> {
        let mut locals: Vec<Eval> = Vec::with_capacity(rule.locals.len());
        for (_, e) in &rule.locals {
            let v = self.eval(e, &locals, None);
            locals.push(v);
        }
        locals
    }

    fn plain(&self, rule: &RuleDef, outcome: Outcome, lang: Lang) -> Finding {
        let message = match (outcome, lang) {
            (Outcome::Pass, Lang::Zh) => format!("符合：{}", rule.title.zh),
            (Outcome::Pass, Lang::En) => format!("holds: {}", rule.title.en),
            (_, Lang::Zh) => format!("不适用：{}", rule.title.zh),
            (_, Lang::En) => format!("does not apply: {}", rule.title.en),
        };
        Finding {
            rule: rule.id.clone(),
            outcome,
            severity: Severity::Note,
            message,
            help: None,
            pointer: None,
            numbers: None,
        }
    }

    fn fault(&self, rule: &RuleDef, lang: Lang) -> Finding {
        let message = match lang {
            Lang::Zh => format!(
                "无法判断「{}」：计算中出现除以零（某个作为除数的数值为 0）",
                rule.title.zh
            ),
            Lang::En => format!(
                "`{}` ({}) cannot be decided: a value it divides by is zero",
                rule.id, rule.title.en
            ),
        };
        let help = Some(match lang {
            Lang::Zh => "核对作为分母的数值（如基期值、用地面积）".to_string(),
            Lang::En => {
                "check the values the rule divides by (a baseline, a land area)".to_string()
            }
        });
        let pointer = rule.requires.first().and_then(|r| self.blame(r, &[]));
        Finding {
            rule: rule.id.clone(),
            outcome: Outcome::Invalid,
            severity: Severity::Error,
            message,
            help,
            pointer,
            numbers: None,
        }
    }

    fn missing(&self, rule: &RuleDef, und: &Undecided, lang: Lang) -> Finding {
        let def = self.pack.records.get(self.record.kind.0);
        let names: Vec<(String, String)> = und
            .missing
            .iter()
            .filter_map(|f| def.and_then(|d| d.get(*f)))
            .map(|f| (f.path.clone(), f.title(lang).to_string()))
            .collect();
        let list = names
            .iter()
            .map(|(p, t)| match (p == t, lang) {
                (true, _) => format!("`{p}`"),
                (false, Lang::Zh) => format!("`{p}`（{t}）"),
                (false, Lang::En) => format!("`{p}` ({t})"),
            })
            .collect::<Vec<_>>()
            .join(if lang == Lang::Zh { "、" } else { ", " });
        let message = match lang {
            Lang::Zh => format!("缺少 {list}，无法判断是否符合「{}」", rule.title.zh),
            Lang::En => format!(
                "{list} {} missing, so `{}` ({}) cannot be decided",
                if names.len() == 1 { "is" } else { "are" },
                rule.id,
                rule.title.en
            ),
        };
        let help = Some(match lang {
            Lang::Zh => "补充缺少的数据后重新检查；缺少数据从不视为符合".to_string(),
            Lang::En => {
                "add the missing values and check again; missing data never passes".to_string()
            }
        });
        let pointer = names.first().map(|(p, _)| pointer_of(p));
        Finding {
            rule: rule.id.clone(),
            outcome: Outcome::Missing,
            severity: severity_of(rule.force),
            message,
            help,
            pointer,
            numbers: None,
        }
    }

    /// The field a failing requirement is blamed on: its `at`, else the first
    /// field of the submitted side (or of the condition) that the record has.
    fn blame(&self, req: &RequireDef, locals: &[Eval]) -> Option<String> {
        let def = self.pack.records.get(self.record.kind.0)?;
        if let Some(at) = req.at {
            return def.get(at).map(|f| pointer_of(&f.path));
        }
        let mut fields = Vec::new();
        let root = req
            .comparison
            .as_ref()
            .map_or(&req.condition, |c| &c.actual);
        self.fields_of(root, &mut fields, 0);
        if fields.is_empty() {
            self.fields_of(&req.condition, &mut fields, 0);
        }
        let _ = locals;
        let present = fields
            .iter()
            .find(|f| matches!(self.slot(**f), Slot::Value(_)))
            .or(fields.first());
        present
            .and_then(|f| def.get(*f))
            .map(|f| pointer_of(&f.path))
    }

    fn fields_of(&self, e: &Expr, out: &mut Vec<FieldId>, depth: usize) {
        if depth > 32 {
            return;
        }
        match &e.kind {
            ExprKind::Field(f) | ExprKind::Present(f) => {
                if !out.contains(f) {
                    out.push(*f);
                }
            }
            ExprKind::Let(id) => {
                if let Some(l) = self.pack.lets.get(id.0) {
                    self.fields_of(&l.value, out, depth + 1);
                }
            }
            ExprKind::List(xs) | ExprKind::Call(_, xs) => {
                xs.iter().for_each(|x| self.fields_of(x, out, depth + 1))
            }
            ExprKind::Lookup(_, x) | ExprKind::Not(x) | ExprKind::Neg(x) => {
                self.fields_of(x, out, depth + 1)
            }
            ExprKind::If(a, b, c) => {
                self.fields_of(a, out, depth + 1);
                self.fields_of(b, out, depth + 1);
                self.fields_of(c, out, depth + 1);
            }
            // The value compared came from the left of `otherwise` when it had one, else from the right.
            ExprKind::Binary(BinaryOp::Otherwise, a, b) => {
                if self.eval(a, &[], None).is_ok() {
                    self.fields_of(a, out, depth + 1);
                } else {
                    self.fields_of(b, out, depth + 1);
                }
            }
            ExprKind::Binary(_, a, b) => {
                self.fields_of(a, out, depth + 1);
                self.fields_of(b, out, depth + 1);
            }
            ExprKind::Const(_) | ExprKind::Local(_) | ExprKind::Special(_) => {}
        }
    }

    fn require(&self, req: &RequireDef, locals: &[Eval]) -> (Verdict, Specials) {
        let mut sp = Specials {
            decimals: 2,
            ..Specials::default()
        };
        let Some(cmp) = &req.comparison else {
            return (
                match self.eval(&req.condition, locals, None) {
                    Ok(Value::Bool(true)) => Verdict::Holds,
                    Ok(_) => Verdict::Fails { off_track: false },
                    Err(u) => Verdict::Undecided(u),
                },
                sp,
            );
        };
        let actual = self.eval(&cmp.actual, locals, None);
        let target = self.eval(&cmp.limit, locals, None);
        let (actual, target) = match (actual, target) {
            (Ok(a), Ok(t)) => (a, t),
            (Err(x), Err(y)) => return (Verdict::Undecided(x.merge(y)), sp),
            (Err(x), _) | (_, Err(x)) => return (Verdict::Undecided(x), sp),
        };
        let (Value::Num(a, ua), Value::Num(t, ut)) = (&actual, &target) else {
            // Equality of non-numbers.
            let holds = match cmp.op {
                BinaryOp::Eq => value::equal(&actual, &target),
                BinaryOp::Ne => !value::equal(&actual, &target),
                _ => false,
            };
            sp.actual = Some(actual);
            sp.limit = Some(target);
            return (
                if holds {
                    Verdict::Holds
                } else {
                    Verdict::Fails { off_track: false }
                },
                sp,
            );
        };
        let unit = (*ut).or(*ua);
        let mut limit = t.clone();
        let mut off_track_possible = false;
        let mut exact_holds: Option<bool> = None;
        if let Some(track) = &req.track {
            let year = self.record.date.map(|d| i64::from(d.year()));
            let from = self.eval(&track.from, locals, None);
            let since = self.eval(&track.since, locals, None);
            match (year, from, since) {
                (Some(year), Ok(Value::Num(b, _)), Ok(Value::Num(y0, _))) if year < track.by => {
                    let y0 = y0.to_i64().unwrap_or(year);
                    let point = value::path_point(track.kind, cmp.op, &b, t, y0, track.by, year, a);
                    limit = point.limit;
                    exact_holds = Some(point.holds);
                    off_track_possible = true;
                }
                (Some(_), Err(u), _) | (Some(_), _, Err(u)) => return (Verdict::Undecided(u), sp),
                // A path is judged at the record's own year (not `--date`): without it, undecided.
                (None, _, _) => {
                    let dated = self
                        .pack
                        .records
                        .get(self.record.kind.0)
                        .and_then(|r| r.dated_by);
                    return (
                        Verdict::Undecided(
                            dated.map_or_else(Undecided::invalid, Undecided::missing),
                        ),
                        sp,
                    );
                }
                _ => {}
            }
        }
        let holds = exact_holds.unwrap_or_else(|| {
            compare(
                cmp.op,
                &Value::Num(a.clone(), None),
                &Value::Num(limit.clone(), None),
            )
            .unwrap_or(false)
        });
        if holds {
            // The numbers are only shown for a requirement that fails.
            return (Verdict::Holds, sp);
        }
        let gap = (&limit - a).abs();
        sp.decimals = value::distinct_decimals(a, &limit, unit);
        sp.actual = Some(Value::Num(a.clone(), unit));
        sp.limit = Some(Value::Num(limit, unit));
        sp.gap = Some(Value::Num(gap, unit));
        sp.target = Some(Value::Num(t.clone(), unit));
        (
            Verdict::Fails {
                off_track: off_track_possible,
            },
            sp,
        )
    }

    /// A template with values as written (no labels), for default texts such as ids.
    fn render_raw(&self, t: &Template) -> String {
        let mut out = String::new();
        for part in &t.0 {
            match part {
                TemplatePart::Text(s) => out.push_str(s),
                TemplatePart::Expr(e) => match (self.eval(e, &[], None), &e.kind) {
                    (Ok(v), _) => out.push_str(&format_value(&v, None, 4, None, Lang::En)),
                    // A value given but invalid still names the record as written.
                    (Err(_), ExprKind::Field(f)) => match self.slot(*f) {
                        Slot::Invalid(Some(raw)) => out.push_str(raw),
                        _ => out.push('?'),
                    },
                    (Err(_), _) => out.push('?'),
                },
            }
        }
        out
    }

    fn render(&self, t: &Template, locals: &[Eval], sp: Option<&Specials>, lang: Lang) -> String {
        let mut out = String::new();
        for part in &t.0 {
            match part {
                TemplatePart::Text(s) => out.push_str(s),
                TemplatePart::Expr(e) => match self.eval(e, locals, sp) {
                    Ok(v) => {
                        // actual, limit and gap share the decimals that keep them apart;
                        // other values show as submitted (up to four decimals).
                        let decimals = match (&e.kind, sp) {
                            (ExprKind::Special(_), Some(s)) => s.decimals,
                            _ => 4,
                        };
                        out.push_str(&format_value(
                            &v,
                            Some(&e.ty),
                            decimals,
                            Some(self.pack),
                            lang,
                        ))
                    }
                    Err(_) => out.push('?'),
                },
            }
        }
        out
    }
}

fn severity_of(force: Force) -> Severity {
    match force {
        Force::Expected => Severity::Warning,
        Force::Binding | Force::InPrinciple | Force::Prohibition => Severity::Error,
    }
}

fn numbers_of(sp: &Specials) -> Option<Numbers> {
    match (&sp.actual, &sp.limit) {
        (Some(Value::Num(a, u)), Some(Value::Num(l, _))) => {
            let show = |n: &Number| u.as_ref().map_or(n.clone(), |u| u.from_base(n));
            let round = |x: f64| (x * 1e6).round() / 1e6;
            Some(Numbers {
                actual: round(show(a).to_f64()),
                limit: round(show(l).to_f64()),
                unit: u.as_ref().map(|u| u.symbol.clone()).unwrap_or_default(),
            })
        }
        _ => None,
    }
}
