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

/// `s` cut to at most `max` characters, with `…` where it was cut: a value
/// from a submission is never echoed whole into a message (it may be
/// megabytes long).
pub fn clip(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", s.get(..cut).unwrap_or("")),
        None => s.to_string(),
    }
}

/// Whether `c` must not reach a terminal, a log or a report as it is:
/// control characters (ESC starts colour and cursor sequences, CR rewrites
/// a line, a newline starts a forged line), and the characters that
/// reorder text (U+202E shows `exe.txt` as `txt.exe`).
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{200E}' | '\u{200F}' | '\u{061C}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{2028}' | '\u{2029}')
}

/// `s` with every unsafe character (see [`is_unsafe`]) written as a
/// visible escape such as `\u{1b}`; text without one is returned as it is.
pub fn escape(s: &str) -> std::borrow::Cow<'_, str> {
    escape_keeping(s, &[])
}

/// Like [`escape`], but the characters of `keep` (such as `\n` in a
/// multi-line snippet) stay as they are.
pub fn escape_keeping<'s>(s: &'s str, keep: &[char]) -> std::borrow::Cow<'s, str> {
    let unsafe_here = |c: char| is_unsafe(c) && !keep.contains(&c);
    if !s.chars().any(unsafe_here) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if unsafe_here(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// JSON text (as serde_json writes it) with the unsafe characters it leaves
/// as they are (DEL, C1 controls, bidi controls, line separators) written
/// as `\uXXXX` escapes: the same data, but nothing a terminal or viewer
/// acts on. serde_json already escapes the C0 controls.
pub fn json_safe(json: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_here = |c: char| is_unsafe(c) && c as u32 >= 0x7F;
    // Every such character is DEL or starts with one of these UTF-8 lead
    // bytes (C1 controls, U+061C, U+200E…U+2069): text without them (most
    // of it, Chinese included) needs no decoding.
    if !json.bytes().any(|b| matches!(b, 0x7F | 0xC2 | 0xD8 | 0xE2))
        || !json.chars().any(unsafe_here)
    {
        return std::borrow::Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if unsafe_here(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Whether UTF-8 `bytes` may hold a character [`json_safe`] escapes. Every
/// such character is DEL or starts with one of four lead bytes (C1
/// controls, U+061C, U+200E…U+2069): text without them (most of it,
/// Chinese included) needs no decoding.
pub fn may_need_json_escape(bytes: &[u8]) -> bool {
    // Every record written is scanned: memchr's vectorised search, not a
    // byte loop (issue 15: the loop was 2 % of a batch).
    memchr::memchr3(0xC2, 0xD8, 0xE2, bytes).is_some() || memchr::memchr(0x7F, bytes).is_some()
}

/// A size in bytes for people: `512 B`, `3.4 KiB`, `8.0 MiB`.
pub fn size(bytes: u64) -> String {
    const MIB: f64 = 1024.0 * 1024.0;
    if bytes >= 1 << 20 {
        format!("{:.1} MiB", bytes as f64 / MIB)
    } else if bytes >= 1 << 10 {
        format!("{:.1} KiB", bytes as f64 / 1024.0)
    } else {
        format!("{bytes} B")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn escape_scan_finds_every_lead_byte() {
        for (text, expected) in [
            ("plain ascii", false),
            ("聊城市 亩均税收", false),
            ("≥ 1.0", true),
            ("\u{85}", true),
            ("\u{61c}", true),
            ("a\u{7f}", true),
            ("\u{2066}x", true),
        ] {
            assert_eq!(
                super::may_need_json_escape(text.as_bytes()),
                expected,
                "{text:?}"
            );
        }
    }

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

    #[test]
    fn json_safe_lead_bytes_cover_every_unsafe_character() {
        // The byte pre-filter of `json_safe` may skip only text that holds
        // none of these characters: checked over all of Unicode.
        for c in (0x7F..=0x10FFFF).filter_map(char::from_u32) {
            if is_unsafe(c) {
                let mut buf = [0u8; 4];
                let lead = c.encode_utf8(&mut buf).as_bytes()[0];
                assert!(matches!(lead, 0x7F | 0xC2 | 0xD8 | 0xE2), "{c:?}");
            }
        }
        assert_eq!(json_safe("\"聊城\u{2028}\""), "\"聊城\\u2028\"");
        assert!(matches!(
            json_safe("\"聊城市\""),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn clip_cuts_at_characters() {
        assert_eq!(clip("聊城市东昌府区", 3), "聊城市…");
        assert_eq!(clip("abc", 3), "abc");
    }

    #[test]
    fn escape_makes_controls_and_bidi_visible() {
        assert_eq!(escape("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(escape("x\ny\r"), "x\\u{a}y\\u{d}");
        assert_eq!(escape("\u{202e}txt"), "\\u{202e}txt");
        assert_eq!(escape_keeping("a\nb\u{0}", &['\n']), "a\nb\\u{0}");
        assert!(matches!(escape("聊城 ok"), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn json_keeps_its_data_but_not_bidi_controls() {
        let text = serde_json::to_string("a\u{202e}b\u{1b}\u{85}").unwrap_or_default();
        let safe = json_safe(&text);
        assert_eq!(safe, "\"a\\u202eb\\u001b\\u0085\"");
        assert_eq!(
            serde_json::from_str::<String>(&safe).ok().as_deref(),
            Some("a\u{202e}b\u{1b}\u{85}")
        );
    }
}
