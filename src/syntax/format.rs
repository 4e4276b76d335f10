//! `plancheck rules fmt`: the one canonical layout of a rules file.
//!
//! The layout is decided line by line from the structure the grammar gives
//! the text (blocks, rule entries, strings and comments), never by
//! re-printing the tree, so every comment stays where it was written and a
//! hand-aligned continuation keeps its alignment where it is deeper than
//! the canonical indent:
//!
//! - top-level declarations start at column 0; what a block holds is indented
//!   two spaces per level of `{`, `[` and `(`;
//! - in a rule, every entry (`title`, `force`, `when`, `forbid`, `require`,
//!   `example`, …) is indented two spaces, `message` four, an `en` label under
//!   the `zh` of the line above, and other continuations at least four;
//! - the fields of a `record` or `group` are aligned on their `:`;
//! - trailing spaces go, runs of blank lines become one, the file ends with
//!   one newline; text inside strings is never touched.
//!
//! Formatting is idempotent, and [`format_checked`] proves that the result
//! parses to the same tree as the input, spans aside.

use crate::source::SourceId;

/// The words that begin an entry of a rule.
const RULE_ENTRIES: &[&str] = &[
    "title", "force", "subject", "in", "cite", "note", "when", "forbid", "let", "require",
    "example", "use",
];

/// The words that begin a declaration.
const DECLARATIONS: &[&str] = &[
    "pack", "unit", "enum", "group", "record", "table", "let", "rule", "template",
];

/// The entries of a record besides its fields.
const FIELD_ENTRIES: &[&str] = &["dated", "check"];

/// What a `{` opened.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Block {
    /// `rule id { … }` or `template name(…) { … }`
    Rule,
    /// `record … { … }` or `group … { … }`: fields aligned on `:`.
    Fields,
    /// Any other declaration block (`pack`, `enum`, `table`).
    Other,
    /// A JSON object of an example, or a `(`/`[` group.
    Nested,
}

/// The scanner's state between lines.
#[derive(Default)]
struct State {
    /// Open `{`, `[`, `(`.
    open: Vec<Block>,
    /// Inside a string literal at the end of the last line.
    in_string: bool,
}

/// One output line, with what alignment needs to know.
struct Line {
    text: String,
    /// A `name : type` line of a record or group, with the name's length.
    field: Option<usize>,
}

/// The first word of `s` (letters, digits, `_`, `.`).
fn first_word(s: &str) -> &str {
    let end = s
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.' || c == '-'))
        .unwrap_or(s.len());
    &s[..end]
}

/// Scans `line` from a state, returning the state after it.
fn scan(line: &str, state: &mut State, first: &str) {
    let mut chars = line.chars().peekable();
    let mut block_word = first.to_string();
    while let Some(c) = chars.next() {
        if state.in_string {
            match c {
                '\\' => {
                    chars.next();
                }
                '"' => state.in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => state.in_string = true,
            '#' => break,
            '{' => {
                let kind = if state.open.is_empty() {
                    match block_word.as_str() {
                        "rule" | "template" => Block::Rule,
                        "record" | "group" => Block::Fields,
                        _ => Block::Other,
                    }
                } else {
                    Block::Nested
                };
                state.open.push(kind);
                block_word.clear();
            }
            '[' | '(' => state.open.push(Block::Nested),
            '}' | ']' | ')' => {
                state.open.pop();
            }
            _ => {}
        }
    }
}

/// The position (in characters) of the label keyword `zh` in `line`, where
/// a `zh "…"` or `en "…"` pair starts on it.
fn label_column(line: &str) -> Option<usize> {
    let mut in_string = false;
    let mut prev = ' ';
    for (col, (i, c)) in line.char_indices().enumerate() {
        if in_string {
            if c == '"' && prev != '\\' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
        } else if c == '#' {
            return None;
        } else if (prev == ' ' || i == 0) && line[i..].starts_with("zh \"") {
            return Some(col);
        }
        prev = c;
    }
    None
}

/// `text` in the canonical layout.
pub fn format(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    let mut state = State::default();
    let mut out: Vec<Line> = Vec::new();
    let mut blank = false;
    for raw in text.split('\n') {
        if state.in_string {
            // The middle of a string: exactly as written.
            let first = String::new();
            scan(raw, &mut state, &first);
            out.push(Line {
                text: raw.to_string(),
                field: None,
            });
            blank = false;
            continue;
        }
        let content = raw.trim_start_matches([' ', '\t']);
        let existing = raw.len() - content.len();
        let first = first_word(content);
        let mut after = State {
            open: state.open.clone(),
            in_string: false,
        };
        scan(content, &mut after, first);
        // Trailing spaces go, unless the line ends inside a string.
        let content = if after.in_string {
            content
        } else {
            content.trim_end_matches([' ', '\t'])
        };
        if content.is_empty() {
            blank = !out.is_empty();
            state = after;
            continue;
        }
        if blank {
            out.push(Line {
                text: String::new(),
                field: None,
            });
            blank = false;
        }
        let closers = content
            .chars()
            .take_while(|c| matches!(c, '}' | ']' | ')'))
            .count();
        let depth = state.open.len().saturating_sub(closers);
        let inner = if depth == 0 {
            None
        } else {
            state.open.get(depth - 1).copied()
        };
        let is_comment = content.starts_with('#');
        let indent = match (depth, inner) {
            (0, _) if closers > 0 || is_comment || DECLARATIONS.contains(&first) => 0,
            // A declaration continued (a long `let`): indented under it.
            (0, _) => existing.max(2),
            (1, Some(Block::Rule)) if closers == 0 => {
                if is_comment || RULE_ENTRIES.contains(&first) {
                    2
                } else if first == "message" {
                    4
                } else if first == "en" || first == "zh" {
                    out.last()
                        .and_then(|l| label_column(&l.text))
                        .unwrap_or(existing.max(4))
                } else {
                    existing.max(4)
                }
            }
            (1, Some(block)) if closers == 0 => {
                let starts_field = block == Block::Fields && {
                    let rest = content[first.len()..].trim_start();
                    !first.is_empty() && rest.starts_with(':')
                };
                if is_comment
                    || starts_field
                    || FIELD_ENTRIES.contains(&first)
                    || block == Block::Other && first != "en"
                {
                    2
                } else if first == "message" {
                    4
                } else if first == "en" || first == "zh" {
                    out.last()
                        .and_then(|l| label_column(&l.text))
                        .unwrap_or(existing.max(4))
                } else if block == Block::Fields {
                    // A field's declaration continued: deeper than the fields.
                    existing.max(4)
                } else {
                    2
                }
            }
            (1, _) => 2,
            (d, _) if closers > 0 => 2 * d,
            (d, _) => existing.max(2 * d),
        };
        let field = (depth == 1 && closers == 0 && inner == Some(Block::Fields) && !is_comment)
            .then(|| {
                let rest = content[first.len()..].trim_start();
                (rest.starts_with(':') && !first.is_empty()).then_some(first.len())
            })
            .flatten();
        let text = match field {
            Some(_) => {
                let rest = content[first.len()..].trim_start();
                let rest = rest[1..].trim_start();
                format!("{}{first} : {rest}", " ".repeat(indent))
            }
            None => format!("{}{content}", " ".repeat(indent)),
        };
        out.push(Line { text, field });
        state = after;
    }
    align_fields(&mut out);
    let mut s = out
        .into_iter()
        .map(|l| l.text)
        .collect::<Vec<_>>()
        .join("\n");
    s.push('\n');
    s
}

/// Aligns the `:` of the field lines of each paragraph (lines between
/// blank lines; comments and continuations do not break it).
fn align_fields(lines: &mut [Line]) {
    let mut i = 0;
    while i < lines.len() {
        if lines[i].field.is_none() {
            i += 1;
            continue;
        }
        let start = i;
        while i < lines.len() && !lines[i].text.trim().is_empty() && !lines[i].text.ends_with('}') {
            i += 1;
        }
        let width = lines[start..i]
            .iter()
            .filter_map(|l| l.field)
            .max()
            .unwrap_or(0);
        for l in &mut lines[start..i] {
            let Some(len) = l.field else { continue };
            let indent = l.text.len() - l.text.trim_start().len();
            let body = l.text.trim_start();
            let (name, rest) = body.split_at(len);
            let rest = rest.trim_start();
            l.text = format!(
                "{}{name}{} {rest}",
                " ".repeat(indent),
                " ".repeat(width - len)
            );
        }
    }
}

/// The tree of `text` with its spans taken out, for comparing two texts.
#[doc(hidden)]
pub fn shape(text: &str) -> Option<String> {
    let file = super::parse_file(SourceId(0), text).ok()?;
    let debug = format!("{file:?}");
    // Spans print as `start..end`.
    let mut out = String::with_capacity(debug.len());
    let b = debug.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() {
            let mut j = i;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            if debug[j..].starts_with("..") && b.get(j + 2).is_some_and(u8::is_ascii_digit) {
                let mut k = j + 2;
                while k < b.len() && b[k].is_ascii_digit() {
                    k += 1;
                }
                out.push('§');
                i = k;
                continue;
            }
            out.push_str(&debug[i..j]);
            i = j;
            continue;
        }
        let c = debug[i..].chars().next().unwrap_or(' ');
        out.push(c);
        i += c.len_utf8();
    }
    // An example's JSON is kept as written: its line breaks may be
    // re-indented and lose trailing spaces (escaped as `\n` with spaces or `\t`).
    let mut shape = String::with_capacity(out.len());
    let mut rest = out.as_str();
    while let Some(at) = rest.find("\\n") {
        let before = rest[..at].trim_end_matches(' ').trim_end_matches("\\t");
        shape.push_str(before.trim_end_matches(' '));
        shape.push_str("\\n");
        rest = rest[at + 2..]
            .trim_start_matches(' ')
            .trim_start_matches("\\t");
        rest = rest.trim_start_matches(' ');
    }
    shape.push_str(rest);
    Some(shape)
}

/// Why a file cannot be formatted.
#[derive(Debug, PartialEq, Eq)]
pub enum FormatError {
    /// It does not parse (`rules lint` says why).
    DoesNotParse,
    /// The layout would change what it says (a bug in the formatter).
    WouldChangeMeaning,
}

/// `text` formatted, proven to parse to the same tree.
pub fn format_checked(text: &str) -> Result<String, FormatError> {
    let before = shape(text).ok_or(FormatError::DoesNotParse)?;
    let formatted = format(text);
    match shape(&formatted) {
        Some(after) if after == before => Ok(formatted),
        _ => Err(FormatError::WouldChangeMeaning),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MESSY: &str = "# a pack\n\n\n  pack \"t\" {\n      title zh \"测试\" en \"test\"   \nperiod 2016-01-01 to 2020-12-31\n source \"doc.txt\"\n}\nrecord item {\n dated by day\n id : text required\n  color     :   Color # the colour\n  day:date\n}\nrule a.b {\n title zh \"x\" en \"x\"\n      force binding # strong\n subject item\n   cite \"s\" \"the plan\n   says\"\n   when color in [\"red\",\n  \"blue\"]\n require day >= 2016-01-01 at day\n message zh \"好\"\n en \"good\"\n  example pass {\"color\": \"red\",\n \"day\": \"2017-01-01\"}\n}\n\n\n";

    #[test]
    fn the_layout_is_canonical_and_idempotent() {
        let once = format(MESSY);
        assert_eq!(format(&once), once, "formatting twice changes nothing");
        let expected = "# a pack\n\npack \"t\" {\n  title zh \"测试\" en \"test\"\n  period 2016-01-01 to 2020-12-31\n  source \"doc.txt\"\n}\nrecord item {\n  dated by day\n  id    : text required\n  color : Color # the colour\n  day   : date\n}\nrule a.b {\n  title zh \"x\" en \"x\"\n  force binding # strong\n  subject item\n  cite \"s\" \"the plan\n   says\"\n  when color in [\"red\",\n    \"blue\"]\n  require day >= 2016-01-01 at day\n    message zh \"好\"\n            en \"good\"\n  example pass {\"color\": \"red\",\n    \"day\": \"2017-01-01\"}\n}\n";
        assert_eq!(once, expected);
    }

    #[test]
    fn strings_and_comments_survive() {
        let text = "rule a.b {\n  cite \"s\" \"two  \n   lines  \" # kept  \n}\n";
        let f = format(text);
        assert!(f.contains("\"two  \n   lines  \""), "{f}");
        assert!(f.contains("# kept"));
    }
}
