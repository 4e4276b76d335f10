//! How values and message templates are shown: numbers in their unit with
//! the decimals that keep them apart, enumeration values with their labels.

use super::expr::Cx;
use super::value::{Eval, Undecided};
use crate::i18n::{msg, Lang};
use crate::model::Slot;
use crate::pack::{ExprKind, Pack, Template, TemplatePart, Type, Value};
use crate::units::{Number, Unit};

/// The fewest decimals (2 to 6) that show `a` and `b` differently when they differ.
///
/// Values with up to four decimals are shown exactly, so a limit of 0.792
/// does not read as 0.79.
pub fn distinct_decimals(a: &Number, b: &Number, unit: Option<&Unit>) -> usize {
    let show = |n: &Number| unit.map_or(n.clone(), |u| u.from_base(n));
    let (a, b) = (show(a), show(b));
    let exact = |n: &Number| (2..=4).find(|&d| n.fits_decimals(d)).unwrap_or(2);
    let base = exact(&a).max(exact(&b));
    if a == b {
        return base;
    }
    (base..=6)
        .find(|&d| a.format(d) != b.format(d))
        .unwrap_or(6)
}

/// A value as shown in a message: a number in its unit; an enumeration
/// value (of the enumeration `ty` names) with its label in `lang`.
pub fn format_value(
    v: &Value,
    ty: Option<&Type>,
    decimals: usize,
    pack: Option<&Pack>,
    lang: Lang,
) -> String {
    match v {
        Value::Num(n, unit) => match unit {
            Some(u) => {
                let shown = u.from_base(n).format(decimals);
                if u.symbol.is_empty() {
                    shown
                } else if matches!(u.symbol.as_str(), "%" | "‰") {
                    format!("{shown}{}", u.symbol)
                } else {
                    format!("{shown} {}", u.symbol)
                }
            }
            None => n.format(decimals),
        },
        Value::Bool(true) => msg::eval::yes(lang),
        Value::Bool(false) => msg::eval::no(lang),
        Value::Text(t) => {
            // An enumeration value reads better with its label.
            let label = match (ty, pack) {
                (Some(Type::Enum(id)), Some(pack)) => pack
                    .enums
                    .get(id.0)
                    .and_then(|e| e.values.iter().find(|(v, _)| **v == **t))
                    .and_then(|(_, l)| l.as_ref()),
                _ => None,
            };
            match label {
                Some(l) if !l.text(lang).is_empty() => l.text(lang).to_string(),
                _ => t.to_string(),
            }
        }
        Value::Date(d) => d.to_string(),
        Value::List(items) => {
            let inner = match ty {
                Some(Type::List(t)) => Some(&**t),
                _ => None,
            };
            items
                .iter()
                .map(|i| format_value(i, inner, decimals, pack, lang))
                .collect::<Vec<_>>()
                .join(lang.list_separator())
        }
    }
}

/// Values bound while rendering one requirement's message.
#[derive(Clone, Default)]
pub(super) struct Specials {
    pub actual: Option<Value>,
    pub limit: Option<Value>,
    pub gap: Option<Value>,
    pub target: Option<Value>,
    /// Decimals that keep the actual and the limit apart when shown.
    pub decimals: usize,
    /// The comparison (for the sign of the margin).
    pub op: Option<crate::pack::Op>,
    /// The path to a target the limit lies on: baseline, its year, the
    /// target's year, and the year of the record.
    pub path: Option<(Value, i64, i64, i64)>,
}

impl Specials {
    /// Nothing bound yet.
    pub(super) fn cleared() -> Self {
        Specials {
            decimals: 2,
            ..Specials::default()
        }
    }

    /// Unbinds everything, as [`Specials::cleared`] is (a no-op on what is
    /// already clear, the usual case).
    pub(super) fn clear(&mut self) {
        let bound = self.actual.is_some()
            || self.limit.is_some()
            || self.gap.is_some()
            || self.target.is_some()
            || self.op.is_some()
            || self.path.is_some()
            || self.decimals != 2;
        if bound {
            *self = Specials::cleared();
        }
    }
}

impl Cx<'_> {
    /// A template with values as written (no labels), for default texts such as ids.
    /// A template default as a value (a county report's id, `<county>-<year>`):
    /// undecided where a part it names is absent, so that a record without
    /// its county has no id rather than a made-up `?-2018`.
    pub(super) fn render_raw(&self, t: &Template) -> Result<String, Undecided> {
        let mut out = String::new();
        for part in &t.0 {
            match part {
                TemplatePart::Text(s) => out.push_str(s),
                TemplatePart::Expr(e) => match (self.eval(e, &[], None), &e.kind) {
                    (Ok(v), _) => out.push_str(&format_value(&v, None, 4, None, Lang::En)),
                    // A value given but invalid still names the record as written.
                    (Err(u), ExprKind::Field(f)) => match self.slot(*f) {
                        Slot::Invalid(Some(raw)) => out.push_str(raw),
                        _ => return Err(u),
                    },
                    (Err(u), _) => return Err(u),
                },
            }
        }
        Ok(out)
    }

    pub(super) fn render(
        &self,
        t: &Template,
        locals: &[Eval],
        sp: Option<&Specials>,
        lang: Lang,
    ) -> String {
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
                    // A value undecided but known to be one of a few: say which.
                    Err(_) => match self.possible(e, locals).filter(|vs| vs.len() <= 4) {
                        Some(vs) => out.push_str(
                            &vs.iter()
                                .map(|v| format_value(v, Some(&e.ty), 4, Some(self.pack), lang))
                                .collect::<Vec<_>>()
                                .join(&crate::i18n::msg::eval::or_word(lang)),
                        ),
                        None => out.push('?'),
                    },
                },
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Number {
        Number::parse(s).expect("number")
    }

    #[test]
    fn decimals_grow_until_values_differ() {
        assert_eq!(distinct_decimals(&n("0.999"), &n("1"), None), 3);
        assert_eq!(distinct_decimals(&n("0.5"), &n("1"), None), 2);
    }
}
