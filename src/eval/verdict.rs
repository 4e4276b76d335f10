//! Verdicts: a rule's condition and requirements → its outcome, as a
//! finding with the message, the value blamed and the numbers compared.

use super::expr::Cx;
use super::path::path_point;
use super::render::{distinct_decimals, Specials};
use super::value::{compare_numbers, equal, Eval, Undecided};
use crate::i18n::{msg, Lang};
use crate::model::{Finding, FindingId, Numbers, Outcome, Severity, Slot, Track, WaiverEntry};
use crate::pack::{pointer_of, ExprKind, FieldId, Op, RequireDef, RuleDef, Value};

/// The state of one requirement.
enum Verdict {
    Holds,
    Fails { off_track: bool },
    Undecided(Undecided),
}

impl Cx<'_> {
    /// The outcome of one rule, as a finding (or `None` for a plain pass).
    pub(super) fn rule(
        &self,
        rule: &RuleDef,
        lang: Lang,
        waiver: Option<&WaiverEntry>,
        all: bool,
    ) -> Option<Finding> {
        // Whether the rule applies (only `false` makes it not apply); a
        // condition at hand (a derived value already computed) is not cloned.
        let applies = |v: &Value| !matches!(v, Value::Bool(false));
        let when: Result<bool, Undecided> = match &rule.when {
            None => Ok(true),
            Some(w) => match self.test(w, &[]) {
                Some(b) => Ok(b),
                None => match self.lend(w, &[]) {
                    Some(v) => Ok(applies(v)),
                    None => self.eval(w, &[], None).map(|v| applies(&v)),
                },
            },
        };
        // A condition undecided by absent or invalid values may still be
        // decided by every value they could take.
        let when = match (when, &rule.when) {
            (Err(u), Some(w)) if !u.fault => match self.possible(w, &[]).as_deref() {
                Some(vs) if vs.iter().all(|v| *v == Value::Bool(false)) => Ok(false),
                Some(vs) if vs.iter().all(|v| *v == Value::Bool(true)) => Ok(true),
                _ => Err(u),
            },
            (w, _) => w,
        };
        // A condition left undecided by an invalid value (already reported)
        // gives no outcome at all, not even `missing` (CONTRACT.md §4.1).
        if when.as_ref().is_err_and(|u| u.invalid) {
            return None;
        }
        if when == Ok(false) {
            return all.then(|| self.plain(rule, Outcome::NotApplicable, lang));
        }
        // The usual outcome, a plain pass, needs no figures: every
        // requirement holds on values at hand.
        if !all
            && rule.locals.is_empty()
            && rule.requires.iter().all(|r| self.holds_at_hand(r, &[]))
        {
            return None;
        }
        let locals = self.locals(rule);
        let mut failed: Vec<(usize, bool, Specials)> = Vec::new();
        let mut undecided: Option<Undecided> = None;
        // The figures of the first requirement that holds with numbers (shown with `--all`).
        let mut held: Option<Numbers> = None;
        // One set of figures, filled only where a message or `--all` shows
        // them: most requirements hold and show none.
        let mut specials = Specials::cleared();
        for (i, req) in rule.requires.iter().enumerate() {
            // The figures of a requirement that holds are shown only with `--all`.
            let verdict = self.require(req, &locals, all && held.is_none(), &mut specials);
            match verdict {
                Verdict::Holds => {
                    if held.is_none() {
                        held = numbers_of(&specials);
                    }
                }
                Verdict::Fails { off_track } => failed.push((
                    i,
                    off_track,
                    std::mem::replace(&mut specials, Specials::cleared()),
                )),
                Verdict::Undecided(u) => {
                    undecided = Some(undecided.map_or(u.clone(), |x| x.merge(u)))
                }
            }
        }
        let when_undecided = when.as_ref().err().cloned();
        if failed.is_empty() && undecided.is_none() {
            // Holds whatever the undecided parts of the condition are.
            return all.then(|| {
                let mut pass = self.plain(rule, Outcome::Pass, lang);
                pass.numbers = held;
                pass
            });
        }
        if !failed.is_empty() && when_undecided.is_none() {
            return self.failure(rule, lang, waiver, &locals, &failed);
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

    /// The finding of a rule whose requirements `failed` (index, off track, numbers).
    fn failure(
        &self,
        rule: &RuleDef,
        lang: Lang,
        waiver: Option<&WaiverEntry>,
        locals: &[Eval],
        failed: &[(usize, bool, Specials)],
    ) -> Option<Finding> {
        let off_track = failed.iter().all(|(_, o, _)| *o);
        let sep = msg::eval::requirement_separator(lang);
        let message = failed
            .iter()
            .filter_map(|(i, _, sp)| {
                rule.requires
                    .get(*i)
                    .map(|r| self.render(r.message.get(lang), locals, Some(sp), lang))
            })
            .collect::<Vec<_>>()
            .join(&sep);
        let (first, _, sp) = failed.first()?;
        let req = rule.requires.get(*first)?;
        let pointer = self.blame(req);
        let numbers = numbers_of(sp);
        let mut outcome = if off_track {
            Outcome::OffTrack
        } else {
            Outcome::Violated
        };
        let mut severity = if off_track {
            Severity::Warning
        } else {
            Severity::of_force(rule.force)
        };
        let mut help = None;
        let mut message = message;
        if let (Some(w), false) = (waiver, off_track) {
            outcome = Outcome::Waived;
            severity = Severity::Note;
            let approval = w.approval.clone().unwrap_or_default();
            message = msg::eval::waived(lang, &message, &approval);
            help = w
                .reason
                .as_deref()
                .map(|r| msg::eval::waiver_reason(lang, r));
        }
        Some(Finding {
            rule: FindingId::Rule(rule.id.clone()),
            outcome,
            severity,
            message,
            help,
            pointer,
            span: None,
            numbers,
        })
    }

    fn locals(&self, rule: &RuleDef) -> Vec<Eval> {
        let mut locals: Vec<Eval> = Vec::with_capacity(rule.locals.len());
        for (_, e) in &rule.locals {
            let v = self.eval(e, &locals, None);
            locals.push(v);
        }
        locals
    }

    /// A condition undecided by absent or invalid values, decided if every
    /// value they could take decides it the same way.
    fn over_domains(&self, u: Undecided, e: &crate::pack::Expr, locals: &[Eval]) -> Verdict {
        if u.fault {
            return Verdict::Undecided(u);
        }
        match self.possible(e, locals).as_deref() {
            Some(vs) if vs.iter().all(|v| *v == Value::Bool(true)) => Verdict::Holds,
            Some(vs) if vs.iter().all(|v| *v == Value::Bool(false)) => {
                Verdict::Fails { off_track: false }
            }
            _ => Verdict::Undecided(u),
        }
    }

    /// A comparison undecided by absent or invalid values (on no path to a
    /// target), decided if it comes out the same for every value they could take.
    fn comparison_over_domains(
        &self,
        u: Undecided,
        req: &RequireDef,
        locals: &[Eval],
        sp: &mut Specials,
    ) -> Verdict {
        let Some(cmp) = &req.comparison else {
            return Verdict::Undecided(u);
        };
        if u.fault || req.track.is_some() {
            return Verdict::Undecided(u);
        }
        let (Some(actuals), Some(limits)) = (
            self.possible(&cmp.actual, locals),
            self.possible(&cmp.limit, locals),
        ) else {
            return Verdict::Undecided(u);
        };
        let mut outcomes = Vec::new();
        for a in &actuals {
            for l in &limits {
                match super::domain::apply(cmp.op, a, l) {
                    Some(Value::Bool(b)) => outcomes.push(b),
                    _ => return Verdict::Undecided(u),
                }
            }
        }
        // What is known is shown: a value the possibilities share.
        if let [one] = actuals.as_slice() {
            sp.actual = Some(one.clone());
        }
        if let [one] = limits.as_slice() {
            sp.limit = Some(one.clone());
        }
        if outcomes.iter().all(|b| *b) {
            Verdict::Holds
        } else if outcomes.iter().all(|b| !*b) {
            Verdict::Fails { off_track: false }
        } else {
            Verdict::Undecided(u)
        }
    }

    /// A pass or not-applicable outcome, listed with `--all`.
    fn plain(&self, rule: &RuleDef, outcome: Outcome, lang: Lang) -> Finding {
        let title = rule.title.text(lang);
        let message = if outcome == Outcome::Pass {
            msg::eval::holds(lang, title)
        } else {
            msg::eval::does_not_apply(lang, title)
        };
        Finding {
            rule: FindingId::Rule(rule.id.clone()),
            outcome,
            severity: Severity::Note,
            message,
            help: None,
            pointer: None,
            span: None,
            numbers: None,
        }
    }

    /// A rule that cannot be decided because it divides by zero.
    fn fault(&self, rule: &RuleDef, lang: Lang) -> Finding {
        Finding {
            rule: FindingId::Rule(rule.id.clone()),
            outcome: Outcome::Invalid,
            severity: Severity::Error,
            message: msg::eval::division_by_zero(lang, &rule.id, rule.title.text(lang)),
            help: Some(msg::eval::division_by_zero_help(lang)),
            pointer: rule.requires.first().and_then(|r| self.blame(r)),
            span: None,
            numbers: None,
        }
    }

    /// A rule left undecided by absent fields.
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
            .map(|(p, t)| {
                if p == t {
                    format!("`{p}`")
                } else {
                    msg::eval::missing_field(lang, p, t)
                }
            })
            .collect::<Vec<_>>()
            .join(lang.list_separator());
        let verb = if names.len() == 1 { "is" } else { "are" };
        Finding {
            rule: FindingId::Rule(rule.id.clone()),
            outcome: Outcome::Missing,
            severity: Severity::of_force(rule.force),
            message: msg::eval::missing(lang, &list, verb, &rule.id, rule.title.text(lang)),
            help: Some(msg::eval::missing_help(lang)),
            pointer: names.first().map(|(p, _)| pointer_of(p)),
            span: None,
            numbers: None,
        }
    }

    /// The field a failing requirement is blamed on: its `at`, else the first
    /// field of the submitted side (or of the condition) that the record has.
    fn blame(&self, req: &RequireDef) -> Option<String> {
        let def = self.pack.records.get(self.record.kind.0)?;
        if let Some(at) = req.at {
            return def.get(at).map(|f| pointer_of(&f.path));
        }
        let root = req
            .comparison
            .as_ref()
            .map_or(&req.condition, |c| &c.actual);
        let mut fields = self.fields_of(root);
        if fields.is_empty() {
            fields = self.fields_of(&req.condition);
        }
        let present = fields
            .iter()
            .find(|f| matches!(self.slot(**f), Slot::Value(_)))
            .or(fields.first());
        present
            .and_then(|f| def.get(*f))
            .map(|f| pointer_of(&f.path))
    }

    /// The fields an expression reads, derived values followed, in first-use
    /// order (depth first, left to right).
    fn fields_of(&self, e: &crate::pack::Expr) -> Vec<FieldId> {
        let mut out: Vec<FieldId> = Vec::new();
        let mut lets_seen = Vec::new();
        let mut stack = vec![e];
        while let Some(x) = stack.pop() {
            match &x.kind {
                ExprKind::Field(f) | ExprKind::Present(f) => {
                    if !out.contains(f) {
                        out.push(*f);
                    }
                }
                ExprKind::Let(id) => {
                    if !lets_seen.contains(id) {
                        lets_seen.push(*id);
                        if let Some(l) = self.pack.lets.get(id.0) {
                            stack.push(&l.value);
                        }
                    }
                }
                // The value compared came from the left of `otherwise` when it had one, else from the right.
                ExprKind::Binary(Op::Otherwise, a, b) => {
                    stack.push(if self.eval(a, &[], None).is_ok() {
                        a
                    } else {
                        b
                    });
                }
                _ => {
                    let before = stack.len();
                    stack.extend(x.children());
                    if let Some(added) = stack.get_mut(before..) {
                        added.reverse();
                    }
                }
            }
        }
        out
    }

    /// Whether `req` holds as decided from values at hand alone (`false`:
    /// not so decided; [`Cx::require`] decides it), without its figures.
    fn holds_at_hand(&self, req: &RequireDef, locals: &[Eval]) -> bool {
        match &req.comparison {
            None => self.test(&req.condition, locals) == Some(true),
            Some(_) if req.track.is_some() => false,
            Some(cmp) => match (
                self.lend(&cmp.actual, locals),
                self.lend(&cmp.limit, locals),
            ) {
                (Some(Value::Num(a, _)), Some(Value::Num(t, _))) => {
                    compare_numbers(cmp.op, a, t) == Some(true)
                }
                _ => false,
            },
        }
    }

    /// The verdict of one requirement, with the figures its message shows;
    /// `figures_if_held` asks for them also when it holds (they cost exact
    /// arithmetic and formatting that a plain pass never shows).
    fn require(
        &self,
        req: &RequireDef,
        locals: &[Eval],
        figures_if_held: bool,
        sp: &mut Specials,
    ) -> Verdict {
        sp.clear();
        // The usual verdict: it holds on values at hand, and nothing is to
        // be shown (a condition that is no comparison shows no figures).
        if (req.comparison.is_none() || !figures_if_held) && self.holds_at_hand(req, locals) {
            return Verdict::Holds;
        }
        let Some(cmp) = &req.comparison else {
            return match self.eval(&req.condition, locals, None) {
                Ok(Value::Bool(true)) => Verdict::Holds,
                Ok(_) => Verdict::Fails { off_track: false },
                Err(u) => self.over_domains(u, &req.condition, locals),
            };
        };
        let actual = self.eval(&cmp.actual, locals, None);
        let target = self.eval(&cmp.limit, locals, None);
        let (actual, target) = match (actual, target) {
            (Ok(a), Ok(t)) => (a, t),
            (Err(x), Err(y)) => {
                let u = x.merge(y);
                return self.comparison_over_domains(u, req, locals, sp);
            }
            (Err(x), _) | (_, Err(x)) => return self.comparison_over_domains(x, req, locals, sp),
        };
        let (Value::Num(a, ua), Value::Num(t, ut)) = (&actual, &target) else {
            // Equality of non-numbers.
            let holds = match cmp.op {
                Op::Eq => equal(&actual, &target),
                Op::Ne => !equal(&actual, &target),
                _ => false,
            };
            sp.actual = Some(actual);
            sp.limit = Some(target);
            return if holds {
                Verdict::Holds
            } else {
                Verdict::Fails { off_track: false }
            };
        };
        let unit = (*ut).or(*ua);
        let mut limit = t.clone();
        let mut off_track_possible = false;
        let mut exact_holds: Option<bool> = None;
        let mut track_figures = None;
        if let Some(track) = &req.track {
            let year = self.record.date.map(|d| i64::from(d.year()));
            let from = self.eval(&track.from, locals, None);
            let since = self.eval(&track.since, locals, None);
            match (year, from, since) {
                (Some(year), Ok(Value::Num(b, _)), Ok(Value::Num(y0, _))) if year < track.by => {
                    let y0 = y0.to_i64().unwrap_or(year);
                    let point = path_point(track.kind, cmp.op, &b, t, y0, track.by, year, a);
                    track_figures = Some((Value::Num(b.clone(), unit), y0, track.by, year));
                    limit = point.limit;
                    exact_holds = Some(point.holds);
                    off_track_possible = true;
                }
                (Some(_), Err(u), _) | (Some(_), _, Err(u)) => return Verdict::Undecided(u),
                // A path is judged at the record's own year (not `--date`): without it, undecided.
                (None, _, _) => {
                    let dated = self
                        .pack
                        .records
                        .get(self.record.kind.0)
                        .and_then(|r| r.dated_by);
                    // A year given but invalid (already reported) is not missing.
                    let undecided = match dated {
                        Some(f) if !matches!(self.slot(f), Slot::Invalid(_)) => {
                            Undecided::missing(f)
                        }
                        _ => Undecided::invalid(),
                    };
                    return Verdict::Undecided(undecided);
                }
                _ => {}
            }
        }
        let holds =
            exact_holds.unwrap_or_else(|| compare_numbers(cmp.op, a, &limit).unwrap_or(false));
        if holds && !figures_if_held {
            return Verdict::Holds;
        }
        let gap = (&limit - a).abs();
        sp.decimals = distinct_decimals(a, &limit, unit);
        sp.actual = Some(Value::Num(a.clone(), unit));
        sp.limit = Some(Value::Num(limit, unit));
        sp.gap = Some(Value::Num(gap, unit));
        sp.target = Some(Value::Num(t.clone(), unit));
        sp.op = Some(cmp.op);
        sp.path = track_figures;
        if holds {
            return Verdict::Holds;
        }
        Verdict::Fails {
            off_track: off_track_possible,
        }
    }
}

/// The numbers of a comparison, in the unit they are shown in.
fn numbers_of(sp: &Specials) -> Option<Numbers> {
    match (&sp.actual, &sp.limit) {
        (Some(Value::Num(a, u)), Some(Value::Num(l, _))) => {
            let show = |n: &crate::units::Number| u.as_ref().map_or(n.clone(), |u| u.from_base(n));
            let round = |x: f64| (x * 1e6).round() / 1e6;
            let actual = round(show(a).to_f64());
            let limit = round(show(l).to_f64());
            // In the rule's favour: above a minimum, below a maximum.
            let margin = match sp.op {
                Some(Op::Le | Op::Lt) => round(limit - actual),
                Some(Op::Eq) => -round((actual - limit).abs()),
                _ => round(actual - limit),
            };
            let track = match (&sp.path, &sp.target) {
                (Some((Value::Num(b, _), y0, by, year)), Some(Value::Num(t, _))) => Some(Track {
                    baseline: round(show(b).to_f64()),
                    baseline_year: *y0,
                    target: round(show(t).to_f64()),
                    target_year: *by,
                    year: *year,
                }),
                _ => None,
            };
            Some(Numbers {
                actual,
                limit,
                unit: u.as_ref().map(|u| u.symbol.clone()).unwrap_or_default(),
                margin,
                track,
            })
        }
        _ => None,
    }
}
