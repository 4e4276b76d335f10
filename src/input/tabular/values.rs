//! Cells as people fill them in → the JSON values typing reads: numbers in
//! the column's unit, percent cells as exact percentages, `是`/`否` and
//! `√`/`×` as booleans, date cells as days.

use super::header::FieldColumn;
use crate::pack::{FieldDef, Type};
use crate::units::Date;
use serde_json::Value;

/// A cell as read from a sheet.
#[derive(Clone, Debug, PartialEq)]
pub enum CellValue {
    /// Nothing.
    Empty,
    /// Text (every CSV cell is text).
    Text(String),
    /// A number.
    Number(f64),
    /// A number shown as a percentage: it holds the fraction (0.958 for 95.8 %).
    Percent(f64),
    /// A boolean cell.
    Bool(bool),
    /// A date cell.
    Date(Date),
    /// An error cell such as `#DIV/0!`.
    Error(String),
}

impl CellValue {
    /// The cell as shown in a diagnostic.
    pub fn shown(&self) -> String {
        match self {
            CellValue::Empty => String::new(),
            CellValue::Text(s) | CellValue::Error(s) => s.clone(),
            CellValue::Number(n) => number_text(*n),
            CellValue::Percent(n) => format!("{}%", percent_text(*n)),
            CellValue::Bool(b) => b.to_string(),
            CellValue::Date(d) => d.to_string(),
        }
    }

    /// Whether the cell holds nothing (or only spaces).
    pub fn is_blank(&self) -> bool {
        match self {
            CellValue::Empty => true,
            CellValue::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }
}

/// The shortest decimal that reads back as the same double (`0.958`, never
/// `0.95799999999999996`); Rust's formatting never uses an exponent.
pub fn number_text(n: f64) -> String {
    if n == 0.0 {
        return "0".to_string();
    }
    format!("{n}")
}

/// A fraction as a percentage, exactly: the shortest decimal of the double
/// with the point moved two places (0.958 → `95.8`, 0.57 → `57`).
pub fn percent_text(n: f64) -> String {
    let text = number_text(n);
    let (sign, digits) = match text.strip_prefix('-') {
        Some(d) => ("-", d),
        None => ("", text.as_str()),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let mut frac: String = frac.to_string();
    while frac.len() < 2 {
        frac.push('0');
    }
    let (moved, rest) = frac.split_at(2);
    let int = format!("{int}{moved}");
    let int = int.trim_start_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    if rest.is_empty() {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{rest}")
    }
}

/// Whether `s` is a bare number as people write it (`27,400`, `3.5`).
fn is_bare_number(s: &str) -> bool {
    let s = s.trim();
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '-' | '+' | '０'..='９' | '．'))
        && s.chars()
            .any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
}

/// The day of an Excel serial number (days since 1899-12-30; `1904`: since 1904-01-01).
pub fn excel_date(serial: f64, date1904: bool) -> Option<Date> {
    if !serial.is_finite() || !(0.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let base = if date1904 {
        jiff::civil::date(1904, 1, 1)
    } else {
        jiff::civil::date(1899, 12, 30)
    };
    base.checked_add(jiff::Span::new().days(serial.floor() as i64))
        .ok()
}

/// The JSON value typing reads for `cell` in a column that fills `field`.
pub fn cell_json(cell: &CellValue, field: &FieldDef, column: &FieldColumn) -> Value {
    let with_unit = |number: String| match (&column.unit, &column.bad_unit) {
        (_, Some(bad)) => Value::String(format!("{number} {bad}")),
        (Some(u), None) if !u.symbol.is_empty() => Value::String(format!("{number} {}", u.symbol)),
        _ => Value::String(number),
    };
    if cell.is_blank() {
        // An empty cell is an absent value.
        return Value::Null;
    }
    match (&field.ty, cell) {
        (Type::Num(_), CellValue::Number(n)) if n.is_finite() => with_unit(number_text(*n)),
        (Type::Num(_), CellValue::Percent(n)) if n.is_finite() => {
            Value::String(format!("{} %", percent_text(*n)))
        }
        (Type::Num(_), CellValue::Text(s)) if is_bare_number(s) => with_unit(s.trim().to_string()),
        (Type::Bool, CellValue::Text(s)) => match s.trim().to_lowercase().as_str() {
            "true" | "是" | "yes" | "y" | "1" | "√" | "✓" | "✔" | "对" => Value::Bool(true),
            "false" | "否" | "no" | "n" | "0" | "×" | "✗" | "✘" | "x" | "错" => {
                Value::Bool(false)
            }
            _ => Value::String(s.clone()),
        },
        (Type::Bool, CellValue::Number(n)) if *n == 1.0 || *n == 0.0 => Value::Bool(*n == 1.0),
        (Type::Date, CellValue::Number(n)) => excel_date(*n, false).map_or_else(
            || Value::String(number_text(*n)),
            |d| Value::String(d.to_string()),
        ),
        (Type::Waivers, CellValue::Text(s)) => {
            serde_json::from_str(s).unwrap_or_else(|_| Value::String(s.clone()))
        }
        (_, CellValue::Bool(b)) => Value::Bool(*b),
        (_, CellValue::Date(d)) => Value::String(d.to_string()),
        (_, CellValue::Text(s) | CellValue::Error(s)) => Value::String(s.clone()),
        (_, other) => Value::String(other.shown()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_cells_are_exact() {
        assert_eq!(percent_text(0.958), "95.8");
        let stored: f64 = "0.95799999999999996".parse().unwrap_or(0.0);
        assert_eq!(percent_text(stored), "95.8");
        assert_eq!(percent_text(0.57), "57");
        assert_eq!(percent_text(0.0231), "2.31");
        assert_eq!(percent_text(1.0), "100");
        assert_eq!(percent_text(0.005), "0.5");
        assert_eq!(percent_text(-0.1), "-10");
        assert_eq!(percent_text(0.0), "0");
        assert_eq!(percent_text(12.5), "1250");
    }

    #[test]
    fn numbers_read_back_exactly() {
        assert_eq!(number_text(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(number_text(27400.0), "27400");
        assert_eq!(number_text(1e-7), "0.0000001");
    }

    #[test]
    fn excel_serial_days() {
        assert_eq!(
            excel_date(42736.0, false).map(|d| d.to_string()).as_deref(),
            Some("2017-01-01")
        );
        assert_eq!(
            excel_date(41274.0, true).map(|d| d.to_string()).as_deref(),
            Some("2017-01-01")
        );
        assert_eq!(excel_date(f64::NAN, false), None);
    }
}
