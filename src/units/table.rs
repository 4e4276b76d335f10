//! The table of units a pack may use: what the language knows (each
//! dimension's base unit, `%`, `‰` and the Chinese multipliers) and what
//! the pack declares (`unit 亩 = 10000/15 m²`).

use super::{Base, Dim, Number, Unit};

/// The units the language itself knows: the base unit of each dimension
/// (values are held in these) and the dimensionless `%` and `‰`. Every
/// other unit is declared by a pack (`unit 亩 = 10000/15 m²`), and any
/// known unit may carry a Chinese multiplier (`万元`, `亿元`, `千人`).
const LANGUAGE: &[(&str, Option<Base>, i64, i64)] = &[
    ("%", None, 1, 100),
    ("‰", None, 1, 1000),
    ("m²", Some(Base::Area), 1, 1),
    ("元", Some(Base::Money), 1, 1),
    ("美元", Some(Base::Dollars), 1, 1),
    ("吨标准煤", Some(Base::Energy), 1, 1),
    ("kW", Some(Base::Power), 1, 1),
    ("µg", Some(Base::Mass), 1, 1),
    ("m³", Some(Base::Volume), 1, 1),
    ("年", Some(Base::Time), 1, 1),
    ("人", Some(Base::People), 1, 1),
    ("件", Some(Base::Count), 1, 1),
    ("辆", Some(Base::Vehicles), 1, 1),
];

/// The Chinese multipliers the language knows, written before a unit.
pub(super) const MULTIPLIERS: &[(char, i64)] = &[
    ('十', 10),
    ('百', 100),
    ('千', 1000),
    ('万', 10_000),
    ('亿', 100_000_000),
];

/// The units a pack may use: the language's own and those it declares.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct UnitTable {
    /// Every known unit, the language's first, then the declared in order.
    units: Vec<Unit>,
}

impl Default for UnitTable {
    fn default() -> Self {
        Self::language()
    }
}

/// Why a unit cannot be declared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeclareError {
    /// The symbol is known already.
    Known,
    /// The unit it is defined in is not known.
    UnknownBase(String),
    /// The factor is zero or negative.
    NotPositive,
}

impl UnitTable {
    /// The language's units only.
    pub fn language() -> Self {
        let units = LANGUAGE
            .iter()
            .filter_map(|&(symbol, base, num, den)| {
                Some(Unit {
                    symbol: symbol.to_string(),
                    dim: base.map_or_else(Dim::none, Dim::base),
                    scale: Number::ratio(num, den)?,
                })
            })
            .collect();
        UnitTable { units }
    }

    /// Declares `symbol` as `factor` of the unit `of` (`亩 = 10000/15 m²`).
    pub fn declare(&mut self, symbol: &str, factor: &Number, of: &str) -> Result<(), DeclareError> {
        // Known already, exactly or as a multiple (`万元`): a declaration
        // must never change what a symbol reads as.
        if self.single(symbol).is_some() {
            return Err(DeclareError::Known);
        }
        if *factor <= Number::zero() {
            return Err(DeclareError::NotPositive);
        }
        let base = self
            .parse(of)
            .ok_or_else(|| DeclareError::UnknownBase(of.to_string()))?;
        self.units.push(Unit {
            symbol: symbol.to_string(),
            dim: base.dim,
            scale: &base.scale * factor,
        });
        Ok(())
    }

    /// A unit exactly as known.
    fn exact(&self, symbol: &str) -> Option<&Unit> {
        self.units.iter().find(|u| u.symbol == symbol)
    }

    /// A known unit, or one with a Chinese multiplier before it.
    fn single(&self, symbol: &str) -> Option<Unit> {
        if let Some(u) = self.exact(symbol) {
            return Some(u.clone());
        }
        let mut chars = symbol.chars();
        let first = chars.next()?;
        let &(_, times) = MULTIPLIERS.iter().find(|(c, _)| *c == first)?;
        let inner = self.exact(chars.as_str())?;
        Some(Unit {
            symbol: symbol.to_string(),
            dim: inner.dim.clone(),
            scale: &inner.scale * &Number::int(times),
        })
    }

    /// Parses a unit symbol: a known unit (with a multiplier or not), or a
    /// quotient `a/b` of two.
    pub fn parse(&self, symbol: &str) -> Option<Unit> {
        let symbol = symbol.trim();
        if symbol.is_empty() {
            return None;
        }
        if let Some(u) = self.single(symbol) {
            return Some(u);
        }
        let (a, b) = symbol.split_once('/')?;
        let (a, b) = (self.single(a.trim())?, self.single(b.trim())?);
        Some(Unit {
            symbol: symbol.to_string(),
            dim: a.dim.div(&b.dim),
            scale: a.scale.checked_div(&b.scale)?,
        })
    }

    /// Every known symbol (without multipliers), for suggestions.
    pub fn symbols(&self) -> impl Iterator<Item = &str> {
        self.units.iter().map(|u| u.symbol.as_str())
    }

    /// Whether `symbol` is one of the language's own units.
    pub fn is_language(symbol: &str) -> bool {
        LANGUAGE.iter().any(|u| u.0 == symbol)
    }
}
