//! Exact numbers, dimensions and units.
//!
//! Quantities are exact rationals in a canonical base unit per dimension, so
//! `"1 公顷"` is exactly 15 亩 and a plot ratio of exactly 1.0 passes `≥ 1.0`.
//! Nothing here knows about spans: callers attach the location of the value.

mod table;
pub use table::{DeclareError, UnitTable};

use std::fmt;

pub use crate::number::Number;

/// A base dimension.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Base {
    /// Square metres.
    Area,
    /// Yuan (人民币).
    Money,
    /// US dollars; no exchange rate to yuan.
    Dollars,
    /// Tonnes of standard coal equivalent.
    Energy,
    /// Kilowatts.
    Power,
    /// Micrograms.
    Mass,
    /// Cubic metres.
    Volume,
    /// Years.
    Time,
    /// People.
    People,
    /// Counted things (件, 名, 个).
    Count,
    /// Motor vehicles.
    Vehicles,
}

impl Base {
    fn symbol(self) -> &'static str {
        match self {
            Base::Area => "m²",
            Base::Money => "元",
            Base::Dollars => "美元",
            Base::Energy => "吨标准煤",
            Base::Power => "kW",
            Base::Mass => "µg",
            Base::Volume => "m³",
            Base::Time => "年",
            Base::People => "人",
            Base::Count => "件",
            Base::Vehicles => "辆",
        }
    }
    fn name(self) -> &'static str {
        match self {
            Base::Area => "area",
            Base::Money => "money",
            Base::Dollars => "money in US dollars",
            Base::Energy => "energy",
            Base::Power => "power",
            Base::Mass => "mass",
            Base::Volume => "volume",
            Base::Time => "time",
            Base::People => "population",
            Base::Count => "count",
            Base::Vehicles => "vehicles",
        }
    }
}

/// A dimension: base dimensions with integer exponents, sorted.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize)]
pub struct Dim(Vec<(Base, i8)>);

impl Dim {
    /// The dimension of pure numbers, ratios and percentages.
    pub fn none() -> Self {
        Dim(Vec::new())
    }
    /// One base dimension.
    pub fn base(b: Base) -> Self {
        Dim(vec![(b, 1)])
    }
    /// Whether dimensionless.
    pub fn is_none(&self) -> bool {
        self.0.is_empty()
    }
    fn combine(&self, other: &Dim, sign: i8) -> Dim {
        let mut out = self.0.clone();
        for &(b, e) in &other.0 {
            match out.iter_mut().find(|(ob, _)| *ob == b) {
                Some(slot) => slot.1 += sign * e,
                None => out.push((b, sign * e)),
            }
        }
        out.retain(|&(_, e)| e != 0);
        out.sort();
        Dim(out)
    }
    /// The dimension of a product.
    pub fn mul(&self, other: &Dim) -> Dim {
        self.combine(other, 1)
    }
    /// The dimension of a quotient.
    pub fn div(&self, other: &Dim) -> Dim {
        self.combine(other, -1)
    }
    /// A unit symbol in base units, e.g. `元/m²`.
    pub fn base_symbol(&self) -> String {
        let up: Vec<String> = self
            .0
            .iter()
            .filter(|(_, e)| *e > 0)
            .map(|&(b, e)| power(b.symbol(), e))
            .collect();
        let down: Vec<String> = self
            .0
            .iter()
            .filter(|(_, e)| *e < 0)
            .map(|&(b, e)| power(b.symbol(), -e))
            .collect();
        match (up.is_empty(), down.is_empty()) {
            (true, true) => String::new(),
            (false, true) => up.join("·"),
            (true, false) => format!("1/{}", down.join("·")),
            (false, false) => format!("{}/{}", up.join("·"), down.join("·")),
        }
    }
}

fn power(symbol: &str, e: i8) -> String {
    if e == 1 {
        symbol.to_string()
    } else {
        format!("{symbol}^{e}")
    }
}

impl Dim {
    /// The dimension in words in `lang`.
    pub fn name(&self, lang: crate::i18n::Lang) -> String {
        match lang {
            crate::i18n::Lang::Zh => self.name_zh(),
            crate::i18n::Lang::En => self.to_string(),
        }
    }

    /// The dimension in Chinese: `面积`, `金额/面积`, `纯数`.
    pub fn name_zh(&self) -> String {
        if self.0.is_empty() {
            return "纯数".into();
        }
        let zh = |b: Base| match b {
            Base::Area => "面积",
            Base::Money => "金额",
            Base::Dollars => "美元金额",
            Base::Energy => "能源",
            Base::Power => "功率",
            Base::Mass => "质量",
            Base::Volume => "体积",
            Base::Time => "时间",
            Base::People => "人口",
            Base::Count => "数量",
            Base::Vehicles => "车辆",
        };
        let up: Vec<&str> = self
            .0
            .iter()
            .filter(|(_, e)| *e > 0)
            .map(|(b, _)| zh(*b))
            .collect();
        let down: Vec<&str> = self
            .0
            .iter()
            .filter(|(_, e)| *e < 0)
            .map(|(b, _)| zh(*b))
            .collect();
        let up = if up.is_empty() {
            "1".to_string()
        } else {
            up.join("×")
        };
        if down.is_empty() {
            up
        } else {
            format!("{up}/{}", down.join("×"))
        }
    }
}

impl fmt::Display for Dim {
    /// A readable name: `area`, `money / area`, `a pure number`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("a pure number");
        }
        let up: Vec<&str> = self
            .0
            .iter()
            .filter(|(_, e)| *e > 0)
            .map(|(b, _)| b.name())
            .collect();
        let down: Vec<&str> = self
            .0
            .iter()
            .filter(|(_, e)| *e < 0)
            .map(|(b, _)| b.name())
            .collect();
        let up = if up.is_empty() {
            "1".to_string()
        } else {
            up.join(" × ")
        };
        if down.is_empty() {
            f.write_str(&up)
        } else {
            write!(f, "{up} per {}", down.join(" × "))
        }
    }
}

/// A unit: a symbol, a dimension, and its size in base units.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Unit {
    /// The symbol as the pack or the user wrote it (`万元/亩`).
    pub symbol: String,
    /// Its dimension.
    pub dim: Dim,
    /// How many base units one of it is.
    pub scale: Number,
}

impl Unit {
    /// The unit of pure numbers (no symbol).
    pub fn none() -> Self {
        Unit {
            symbol: String::new(),
            dim: Dim::none(),
            scale: Number::one(),
        }
    }
    /// Converts `value` in this unit to base units.
    pub fn to_base(&self, value: &Number) -> Number {
        if self.scale == Number::one() {
            return value.clone();
        }
        value * &self.scale
    }
    /// Converts `base` from base units to this unit.
    pub fn from_base(&self, base: &Number) -> Number {
        base.checked_div(&self.scale)
            .unwrap_or_else(|| base.clone())
    }
}

/// A unit shared for the life of the program (see [`intern`]).
pub type UnitRef = &'static Unit;

/// One shared copy of `unit` per symbol for the whole program. Values carry
/// a plain reference to their unit: no reference count is touched, let alone
/// shared between threads, on the per-record path. The registry only grows
/// with the distinct unit symbols of the packs loaded (a few dozen).
pub fn intern(unit: Unit) -> UnitRef {
    static REGISTRY: std::sync::OnceLock<std::sync::Mutex<Vec<UnitRef>>> =
        std::sync::OnceLock::new();
    let registry = REGISTRY.get_or_init(|| std::sync::Mutex::new(Vec::new()));
    let mut units = registry
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(u) = units.iter().find(|u| ***u == unit) {
        return u;
    }
    let shared: UnitRef = Box::leak(Box::new(unit));
    units.push(shared);
    shared
}

/// Serde for an optional shared unit: written as the unit, read back
/// through [`intern`] (the pre-checked pack).
pub mod serde_unit {
    use super::{intern, Unit, UnitRef};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// Writes the unit itself.
    pub fn serialize<S: Serializer>(u: &Option<UnitRef>, s: S) -> Result<S::Ok, S::Error> {
        u.map(|u| u as &Unit).serialize(s)
    }

    /// Reads a unit and shares it.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<UnitRef>, D::Error> {
        Ok(Option::<Unit>::deserialize(d)?.map(intern))
    }
}

/// The unit of pure numbers, shared.
pub fn no_unit() -> UnitRef {
    static NONE: std::sync::OnceLock<UnitRef> = std::sync::OnceLock::new();
    NONE.get_or_init(|| intern(Unit::none()))
}

/// Why a quantity string could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QuantityError {
    /// No number at the start.
    NotANumber,
    /// The unit is not known.
    UnknownUnit(String),
    /// The unit is known but of another dimension.
    WrongDimension {
        /// The unit found.
        unit: String,
        /// Its dimension.
        found: Dim,
    },
}

/// Reads `"2 公顷"`, `"2公顷"` or `"30"` as a value in base units of `expected`
/// (a bare number is in the field's own unit), as people write it: digits
/// may be full-width, groups of thousands separated by commas (`"27,400"`),
/// and the multipliers 万 and 亿 may stand before any unit (`"2.5万平方米"`)
/// or alone (`"3万"`, in the field's unit).
pub fn parse_quantity(
    text: &str,
    field_unit: &Unit,
    units: &UnitTable,
) -> Result<Number, QuantityError> {
    let text = half_width_number(text.trim());
    let text = text.as_str();
    // An exponent: `e`/`E`, a sign or not, then a digit (`6.4e4`, `2.8E+04`,
    // as a spreadsheet exports large numbers); `e` followed by anything else
    // begins a unit.
    let exponent_at = |i: usize| {
        let rest = text.get(i + 1..).unwrap_or("");
        let rest = rest.strip_prefix(['+', '-']).unwrap_or(rest);
        i > 0 && rest.starts_with(|d: char| d.is_ascii_digit())
    };
    let end = text
        .char_indices()
        .find(|&(i, c)| {
            let after_exponent = i > 1
                && text
                    .get(..i)
                    .is_some_and(|before| before.ends_with(['e', 'E']) && exponent_at(i - 1));
            !(c.is_ascii_digit()
                || c == '.'
                || c == ','
                || ((c == '-' || c == '+') && (i == 0 || after_exponent))
                || ((c == 'e' || c == 'E') && exponent_at(i)))
        })
        .map_or(text.len(), |(i, _)| i);
    let digits =
        without_thousands(text.get(..end).unwrap_or("")).ok_or(QuantityError::NotANumber)?;
    let number = Number::parse(&digits).ok_or(QuantityError::NotANumber)?;
    let unit_text = text.get(end..).unwrap_or("").trim();
    if unit_text.is_empty() {
        return Ok(field_unit.to_base(&number));
    }
    // A known unit as a whole (万元, 万吨标准煤) before a multiplier (万 平方米).
    if let Some(unit) = units.parse(unit_text) {
        if unit.dim != field_unit.dim {
            return Err(QuantityError::WrongDimension {
                unit: unit_text.to_string(),
                found: unit.dim,
            });
        }
        return Ok(unit.to_base(&number));
    }
    let Some((factor, rest)) = multiplier(unit_text) else {
        return Err(QuantityError::UnknownUnit(unit_text.to_string()));
    };
    let scaled = &number * &factor;
    let rest = rest.trim();
    if rest.is_empty() {
        return Ok(field_unit.to_base(&scaled));
    }
    let unit = units
        .parse(rest)
        .ok_or_else(|| QuantityError::UnknownUnit(unit_text.to_string()))?;
    if unit.dim != field_unit.dim {
        return Err(QuantityError::WrongDimension {
            unit: unit_text.to_string(),
            found: unit.dim,
        });
    }
    Ok(unit.to_base(&scaled))
}

/// A Chinese multiplier (十 百 千 万 亿) at the start of a unit, and the rest.
pub fn multiplier(unit_text: &str) -> Option<(Number, &str)> {
    let first = unit_text.chars().next()?;
    let &(c, times) = table::MULTIPLIERS.iter().find(|(c, _)| *c == first)?;
    Some((Number::int(times), unit_text.get(c.len_utf8()..)?))
}

/// Full-width digits, point, comma, signs and percent of a number as half-width.
fn half_width_number(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '０'..='９' | '．' | '，' | '－' | '＋' | '％' => {
                char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
            }
            _ => c,
        })
        .collect()
}

/// A number's digits with thousands separators removed, if they group
/// thousands correctly (`27,400`, `1,234.5`); `None` for misplaced commas.
fn without_thousands(s: &str) -> Option<String> {
    if !s.contains(',') {
        return Some(s.to_string());
    }
    let (sign, body) = match s.strip_prefix(['-', '+']) {
        Some(rest) => (s.get(..1).unwrap_or(""), rest),
        None => ("", s),
    };
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    let groups: Vec<&str> = int.split(',').collect();
    let first_ok = groups
        .first()
        .is_some_and(|g| (1..=3).contains(&g.len()) && g.bytes().all(|b| b.is_ascii_digit()));
    let rest_ok = groups
        .iter()
        .skip(1)
        .all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()));
    if !first_ok || !rest_ok || frac.is_some_and(|f| f.contains(',')) {
        return None;
    }
    let mut out = format!("{sign}{}", groups.concat());
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    Some(out)
}

/// A calendar date.
pub type Date = jiff::civil::Date;

/// Parses `YYYY-MM-DD` strictly (a real day, four-digit year).
pub fn parse_date(text: &str) -> Option<Date> {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes.get(4) != Some(&b'-') || bytes.get(7) != Some(&b'-') {
        return None;
    }
    let y: i16 = text.get(0..4)?.parse().ok()?;
    let m: i8 = text.get(5..7)?.parse().ok()?;
    let d: i8 = text.get(8..10)?.parse().ok()?;
    Date::new(y, m, d).ok()
}

/// Parses a date as people write it: `2018-08-10`, `2018-8-10`, `2018/8/10`,
/// `2018.8.10` or `2018年8月10日` (a real day, four-digit year).
pub fn parse_date_lenient(text: &str) -> Option<Date> {
    // The usual case, `2018-08-10` as it is, needs no rewriting.
    if let Some(d) = parse_date(text.trim()) {
        return Some(d);
    }
    let text = half_width_number(text.trim());
    if let Some(d) = parse_date(&text) {
        return Some(d);
    }
    // A time of day after the date (`2017/06/15 00:00:00`, as a spreadsheet
    // exports a date cell): the day is the date.
    let text = without_time(&text);
    if let Some(d) = parse_date(text) {
        return Some(d);
    }
    let parts: Vec<&str> = if let Some(rest) = text.strip_suffix('日') {
        let (y, rest) = rest.split_once('年')?;
        let (m, d) = rest.split_once('月')?;
        vec![y, m, d]
    } else {
        let sep = ['-', '/', '.'].into_iter().find(|c| text.contains(*c))?;
        text.split(sep).collect()
    };
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    fn digits(s: &str, max: usize) -> Option<&str> {
        let s = s.trim();
        (!s.is_empty() && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit())).then_some(s)
    }
    if y.trim().len() != 4 {
        return None;
    }
    let y: i16 = digits(y, 4)?.parse().ok()?;
    let m: i8 = digits(m, 2)?.parse().ok()?;
    let d: i8 = digits(d, 2)?.parse().ok()?;
    Date::new(y, m, d).ok()
}

/// `text` without a time of day after its date (` 00:00:00`, `T08:30`):
/// hours and minutes, seconds or not, each in range.
fn without_time(text: &str) -> &str {
    let Some(cut) = text.rfind([' ', 'T']) else {
        return text;
    };
    let (date, time) = (
        text.get(..cut).unwrap_or(""),
        text.get(cut + 1..).unwrap_or(""),
    );
    let parts: Vec<&str> = time.split(':').collect();
    let in_range = |s: &str, max: u8| {
        (1..=2).contains(&s.len())
            && s.bytes().all(|b| b.is_ascii_digit())
            && s.parse::<u8>().is_ok_and(|v| v <= max)
    };
    let ok = match parts.as_slice() {
        [h, m] => in_range(h, 23) && in_range(m, 59),
        [h, m, sec] => in_range(h, 23) && in_range(m, 59) && in_range(sec, 59),
        _ => false,
    };
    if ok {
        date.trim_end()
    } else {
        text
    }
}

/// Reads a year as people write it: `2018`, `2018.0`, `2018年`, `2018年度`.
pub fn parse_year(text: &str) -> Option<i64> {
    let text = half_width_number(text.trim());
    let text = text.strip_suffix("年度").unwrap_or(&text).trim();
    let text = text.strip_suffix('年').unwrap_or(text).trim();
    Number::parse(text)?.to_i64()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Number {
        Number::parse(s).expect("number")
    }

    /// The language's units and those the tests' pack would declare.
    fn table() -> UnitTable {
        let mut t = UnitTable::language();
        for (symbol, factor, of) in [
            ("亩", "10000/15", "m²"),
            ("公顷", "10000", "m²"),
            ("平方米", "1", "m²"),
            ("ug", "1", "µg"),
            ("微克", "1", "µg"),
            ("m3", "1", "m³"),
            ("立方米", "1", "m³"),
        ] {
            let factor = match factor.split_once('/') {
                Some((a, b)) => n(a).checked_div(&n(b)).expect("ratio"),
                None => n(factor),
            };
            t.declare(symbol, &factor, of).expect("declares");
        }
        t
    }

    fn parse_unit(symbol: &str) -> Option<Unit> {
        table().parse(symbol)
    }

    fn parse_quantity(text: &str, unit: &Unit) -> Result<Number, QuantityError> {
        super::parse_quantity(text, unit, &table())
    }

    #[test]
    fn the_language_knows_bases_and_multipliers_the_pack_the_rest() {
        let lang = UnitTable::language();
        assert!(lang.parse("亩").is_none(), "亩 is the pack's to declare");
        assert_eq!(
            lang.parse("万元").map(|u| u.scale),
            Some(Number::int(10_000))
        );
        assert_eq!(lang.parse("千人").map(|u| u.scale), Some(Number::int(1000)));
        let mut t = UnitTable::language();
        assert_eq!(
            t.declare("m²", &Number::one(), "m²"),
            Err(DeclareError::Known)
        );
        assert_eq!(
            t.declare("x", &Number::one(), "furlong"),
            Err(DeclareError::UnknownBase("furlong".into()))
        );
        assert_eq!(
            t.declare("x", &Number::zero(), "m²"),
            Err(DeclareError::NotPositive)
        );
        // A multiple the language reads already cannot be redefined.
        assert_eq!(
            t.declare("万元", &Number::one(), "元"),
            Err(DeclareError::Known)
        );
        // Every multiplier stands before a unit, or alone before nothing.
        assert_eq!(multiplier("千人"), Some((Number::int(1000), "人")));
        assert_eq!(multiplier("十"), Some((Number::int(10), "")));
        assert_eq!(multiplier("人"), None);
        // A declared unit takes multipliers and quotients like any other.
        t.declare("亩", &Number::ratio(10000, 15).expect("ratio"), "m²")
            .expect("declares");
        assert_eq!(t.parse("万元/亩").map(|u| u.scale), Some(Number::int(15)));
        assert_eq!(t.parse("万亩").map(|u| u.dim), Some(Dim::base(Base::Area)));
    }

    #[test]
    fn quantities_as_people_write_them() {
        let m2 = parse_unit("m²").expect("m²");
        let yuan = parse_unit("元").expect("元");
        assert_eq!(parse_quantity("2.5万平方米", &m2), Ok(n("25000")));
        assert_eq!(parse_quantity("27,400", &yuan), Ok(n("27400")));
        assert_eq!(parse_quantity("1,234.5 元", &yuan), Ok(n("1234.5")));
        assert_eq!(parse_quantity("３万", &yuan), Ok(n("30000")));
        assert_eq!(parse_quantity("1.2亿元", &yuan), Ok(n("120000000")));
        assert_eq!(
            parse_quantity("27,40", &yuan),
            Err(QuantityError::NotANumber)
        );
        assert_eq!(
            parse_quantity("1,2345", &yuan),
            Err(QuantityError::NotANumber)
        );
        assert!(matches!(
            parse_quantity("2万平米", &m2),
            Err(QuantityError::UnknownUnit(u)) if u == "万平米"
        ));
        // Exponents as spreadsheets export them, signed or not.
        assert_eq!(parse_quantity("6.4e4", &yuan), Ok(n("64000")));
        assert_eq!(parse_quantity("2.8E+04", &yuan), Ok(n("28000")));
        assert_eq!(parse_quantity("2.8E+04 元", &yuan), Ok(n("28000")));
        assert_eq!(parse_quantity("5e-1万元", &yuan), Ok(n("5000")));
        assert_eq!(parse_quantity("-1.5E-2", &yuan), Ok(n("-0.015")));
        // An `e` that begins no exponent is no number's.
        assert!(matches!(
            parse_quantity("3 euro", &yuan),
            Err(QuantityError::UnknownUnit(u)) if u == "euro"
        ));
    }

    #[test]
    fn dates_and_years_as_people_write_them() {
        let day = Date::new(2018, 8, 10).expect("day");
        for t in [
            "2018-08-10",
            "2018/8/10",
            "2018-8-10",
            "2018年8月10日",
            "2018.8.10",
            " 2018/08/10 ",
            // A date cell exported as text with its time of day.
            "2018/08/10 00:00:00",
            "2018-08-10 14:30",
            "2018-08-10T08:00:00",
            "2018年8月10日 0:00",
        ] {
            assert_eq!(parse_date_lenient(t), Some(day), "{t}");
        }
        assert_eq!(parse_date_lenient("18/8/10"), None);
        assert_eq!(parse_date_lenient("2018/2/30"), None);
        for t in [
            "2018-08-10 25:00",
            "2018-08-10 noon",
            "2018-08-10 10:00:00:00",
        ] {
            assert_eq!(parse_date_lenient(t), None, "{t}");
        }
        assert_eq!(parse_year("2018年"), Some(2018));
        assert_eq!(parse_year("2018 年度"), Some(2018));
        assert_eq!(parse_year("2018.0"), Some(2018));
        assert_eq!(parse_year("2018.5"), None);
    }

    #[test]
    fn one_hectare_is_exactly_fifteen_mu() {
        let mu = parse_unit("亩").expect("亩");
        let base = parse_quantity("1 公顷", &mu).expect("parses");
        assert_eq!(mu.from_base(&base), Number::int(15));
    }

    #[test]
    fn decimals_are_exact() {
        assert_eq!(&n("0.1") + &n("0.2"), n("0.3"));
        assert_eq!(n("1e3"), Number::int(1000));
        assert_eq!(n("2.5E-1"), Number::ratio(1, 4).expect("ratio"));
        assert!(Number::parse("1e999").is_none());
        assert!(Number::parse("abc").is_none());
        assert!(Number::parse(".").is_none());
    }

    #[test]
    fn compound_units_divide() {
        let u = parse_unit("万元/亩").expect("unit");
        assert_eq!(u.dim, Dim::base(Base::Money).div(&Dim::base(Base::Area)));
        // 1 万元/亩 = 10000 元 per 10000/15 m² = 15 元/m².
        assert_eq!(u.scale, Number::int(15));
    }

    #[test]
    fn wrong_dimension_is_refused() {
        let mu = parse_unit("亩").expect("亩");
        assert!(matches!(
            parse_quantity("3 万元", &mu),
            Err(QuantityError::WrongDimension { .. })
        ));
        assert!(matches!(
            parse_quantity("3 furlongs", &mu),
            Err(QuantityError::UnknownUnit(_))
        ));
        assert!(matches!(
            parse_quantity("many", &mu),
            Err(QuantityError::NotANumber)
        ));
    }

    #[test]
    fn units_without_space_and_bare_numbers() {
        let mu = parse_unit("亩").expect("亩");
        assert_eq!(
            mu.from_base(&parse_quantity("2公顷", &mu).expect("ok")),
            Number::int(30)
        );
        assert_eq!(
            mu.from_base(&parse_quantity("30", &mu).expect("ok")),
            Number::int(30)
        );
        let conc = parse_unit("µg/m³").expect("unit");
        assert_eq!(
            parse_quantity("58 ug/m3", &conc).expect("ok"),
            Number::int(58)
        );
        assert_eq!(
            parse_quantity("58 微克/立方米", &conc).expect("ok"),
            Number::int(58)
        );
    }

    #[test]
    fn formatting_trims_and_rounds() {
        assert_eq!(n("0.75").format(2), "0.75");
        assert_eq!(n("1.0").format(2), "1");
        assert_eq!(n("2.005").format(2), "2.01");
        assert_eq!(n("-0.5").format(2), "-0.5");
        assert_eq!(n("-0.001").format(2), "0");
    }

    #[test]
    fn dates_are_strict() {
        assert!(parse_date("2016-03-23").is_some());
        assert!(parse_date("2016-02-30").is_none());
        assert!(parse_date("2016-3-23").is_none());
    }
}
