//! Number formats of workbook cells: which show a percentage.
//!
//! A cell whose format shows a percentage holds the fraction (0.958 shown as
//! 95.8 %): Excel multiplies by 100 for display wherever an unquoted,
//! unescaped `%` stands in the format's first section. `0"%"` shows a
//! literal percent sign and does not scale.

/// Whether the number format `code` shows its number as a percentage.
pub fn is_percent(code: &str) -> bool {
    let (mut quoted, mut escaped, mut bracket) = (false, false, 0u32);
    for ch in code.chars() {
        if escaped {
            escaped = false;
            continue;
        }
        match ch {
            '"' => quoted = !quoted,
            _ if quoted => {}
            '\\' | '_' | '*' => escaped = true,
            '[' => bracket += 1,
            ']' => bracket = bracket.saturating_sub(1),
            // Only the first section (positive numbers) decides.
            ';' if bracket == 0 => return false,
            '%' if bracket == 0 => return true,
            _ => {}
        }
    }
    false
}

/// Whether a built-in format id (no format code in the file) is a percentage.
pub fn builtin_is_percent(id: u32) -> bool {
    matches!(id, 9 | 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_unquoted_percent_signs_scale() {
        for code in [
            "0%",
            "0.00%",
            "0.0%",
            "#,##0.0%",
            "0.0%;[Red]-0.0%",
            "[Blue]0%",
        ] {
            assert!(is_percent(code), "{code}");
        }
        for code in [
            "0\"%\"",
            "0\\%",
            "General",
            "0.00",
            "#,##0",
            "0.0\"‰\"",
            "0;-0%",
            "yyyy-mm-dd",
            "[$%-804]0",
        ] {
            assert!(!is_percent(code), "{code}");
        }
        assert!(builtin_is_percent(9) && builtin_is_percent(10) && !builtin_is_percent(14));
    }
}
