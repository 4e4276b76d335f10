//! Text as people write it: names compared after normalising width,
//! spaces and case.

/// A name normalised for comparison: full-width ASCII forms (`ＰＭ２．５`,
/// `（％）`) become half-width, every space (also U+3000 and line breaks)
/// is dropped, and ASCII letters are lower-cased. `PM2.5年均浓度` and
/// `PM2.5 年均浓度` normalise alike.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let c = match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            // Chinese brackets written as the full-width kind.
            '【' | '〔' => '[',
            '】' | '〕' => ']',
            'µ' => 'μ',
            _ => c,
        };
        if c.is_whitespace() {
            continue;
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn width_spaces_and_case_do_not_matter() {
        assert_eq!(normalize("PM2.5年均浓度"), normalize("PM2.5 年均浓度"));
        assert_eq!(normalize("城市污水处理率（％）"), "城市污水处理率(%)");
        assert_eq!(normalize("Land Area"), "landarea");
        assert_eq!(
            normalize("每千人口\n拥有执业医师数"),
            "每千人口拥有执业医师数"
        );
        assert_eq!(normalize("　工业　"), "工业");
    }
}
