//! Finding values in JSON text by JSON Pointer, for diagnostics.
//!
//! Findings about the input carry the bytes of their value from the reader;
//! a finding of a rule names a field by its pointer, and its place is found
//! by scanning the record's own text (never the file's) only when needed.
//! The scanner never panics on any input.

use super::tabular::RowCells;
use crate::i18n::{msg, Lang};
use crate::model::{Finding, LocatedFinding};
use crate::source::Snippet;
use std::borrow::Cow;
use std::sync::Arc;

/// Where a pointer leads in the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Located {
    /// Byte range of the deepest value reached.
    pub value: (usize, usize),
    /// Byte range of that value's member name, if it is a member.
    pub key: Option<(usize, usize)>,
    /// Whether the whole pointer was found.
    pub complete: bool,
}

/// Locates `pointer` (e.g. `/land/area`) in the JSON value starting at or after `start`.
///
/// Only the deepest value reached is measured: the containers on the way
/// are entered, never scanned to their end (so in text that is not JSON a
/// value is found even where a container around it never closes; records
/// are located only after they parsed).
pub fn locate(text: &str, start: usize, pointer: &str) -> Option<Located> {
    let found = find(text, start, pointer);
    Some(Located {
        value: (found.value, value_end(text.as_bytes(), found.value)?),
        key: found.key,
        complete: found.complete,
    })
}

/// Where a pointer leads, the end of the value not yet measured (a value
/// that is absent needs only the place of its deepest member, and
/// measuring a container scans all of it).
struct Found {
    value: usize,
    key: Option<(usize, usize)>,
    complete: bool,
}

fn find(text: &str, start: usize, pointer: &str) -> Found {
    let bytes = text.as_bytes();
    let mut pos = skip_ws(bytes, start);
    let mut key = None;
    let mut complete = true;
    let segments = pointer.split('/').skip(1).filter(|_| !pointer.is_empty());
    for raw in segments {
        let seg: Cow<'_, str> = if raw.contains('~') {
            Cow::Owned(raw.replace("~1", "/").replace("~0", "~"))
        } else {
            Cow::Borrowed(raw)
        };
        let next = match bytes.get(pos) {
            Some(b'{') => find_member(text, pos, &seg).map(|(k, v)| (Some(k), v)),
            Some(b'[') => seg
                .parse::<usize>()
                .ok()
                .and_then(|index| find_element(bytes, pos, index))
                .map(|v| (None, v)),
            _ => None,
        };
        match next {
            Some((k, v)) => {
                key = k;
                pos = v;
            }
            None => {
                complete = false;
                break;
            }
        }
    }
    Found {
        value: pos,
        key,
        complete,
    }
}

fn skip_ws(bytes: &[u8], mut pos: usize) -> usize {
    while matches!(bytes.get(pos), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        pos += 1;
    }
    // A UTF-8 byte order mark before the first value.
    if bytes.get(pos..pos + 3) == Some(&[0xEF, 0xBB, 0xBF]) {
        return skip_ws(bytes, pos + 3);
    }
    pos
}

/// One past the end of the string starting at `pos` (which holds `"`).
fn string_end(bytes: &[u8], pos: usize) -> Option<usize> {
    let mut i = pos + 1;
    loop {
        // Whole runs of plain characters are skipped at once.
        i += memchr::memchr2(b'"', b'\\', bytes.get(i..)?)?;
        match bytes.get(i)? {
            b'\\' => i += 2,
            _ => return Some(i + 1),
        }
    }
}

/// One past the end of the value starting at `pos`.
fn value_end(bytes: &[u8], pos: usize) -> Option<usize> {
    match bytes.get(pos)? {
        b'"' => string_end(bytes, pos),
        b'{' | b'[' => {
            // A record's containers are skipped when a finding is placed
            // after them: the next quote or closing bracket is searched for
            // at once, and the brackets opened before it counted.
            let mut depth = 0usize;
            let mut i = pos;
            loop {
                let rest = bytes.get(i..)?;
                let next = memchr::memchr3(b'"', b'}', b']', rest)?;
                depth += rest
                    .get(..next)
                    .unwrap_or(&[])
                    .iter()
                    .filter(|&&b| b == b'{' || b == b'[')
                    .count();
                i += next;
                match bytes.get(i)? {
                    b'"' => {
                        i = string_end(bytes, i)?;
                        continue;
                    }
                    _ => {
                        // An unmatched closer ends the search, as a stray one did before.
                        depth = depth.checked_sub(1)?;
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                }
                i += 1;
            }
        }
        _ => {
            let mut i = pos;
            while let Some(b) = bytes.get(i) {
                if matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r') {
                    break;
                }
                i += 1;
            }
            (i > pos).then_some(i)
        }
    }
}

/// The member `name` of the object at `pos`: its key range and value start.
fn find_member(text: &str, pos: usize, name: &str) -> Option<((usize, usize), usize)> {
    let bytes = text.as_bytes();
    let mut i = pos + 1;
    loop {
        i = skip_ws(bytes, i);
        match bytes.get(i)? {
            b'}' => return None,
            b',' => {
                i += 1;
                continue;
            }
            b'"' => {
                let key_end = string_end(bytes, i)?;
                let raw = text.get(i..key_end)?;
                let mut j = skip_ws(bytes, key_end);
                if bytes.get(j) != Some(&b':') {
                    return None;
                }
                j = skip_ws(bytes, j + 1);
                // Compare the raw text; decode only names with escapes.
                let inner = raw.get(1..raw.len().saturating_sub(1)).unwrap_or("");
                let matches = if inner.contains('\\') {
                    serde_json::from_str::<String>(raw).ok().as_deref() == Some(name)
                } else {
                    inner == name
                };
                if matches {
                    return Some(((i, key_end), j));
                }
                i = value_end(bytes, j)?;
            }
            _ => return None,
        }
    }
}

fn find_element(bytes: &[u8], pos: usize, index: usize) -> Option<usize> {
    let mut i = pos + 1;
    let mut n = 0;
    loop {
        i = skip_ws(bytes, i);
        match bytes.get(i)? {
            b']' => return None,
            b',' => i += 1,
            _ => {
                if n == index {
                    return Some(i);
                }
                n += 1;
                i = value_end(bytes, i)?;
            }
        }
    }
}

/// How a record's findings are given places.
pub enum Locator {
    /// A record's own JSON text.
    Json(Arc<Snippet>),
    /// A spreadsheet row.
    Row(Arc<RowCells>),
}

impl Locator {
    /// Places `finding` at its value (or where the value should be).
    pub fn place(&self, finding: Finding, lang: Lang) -> LocatedFinding {
        match self {
            Locator::Row(row) => row.locate(finding, lang),
            Locator::Json(snippet) => {
                // The reader placed most findings already: no search.
                if let Some((s, e)) = finding.span {
                    return LocatedFinding::at(finding, snippet, s, e, None);
                }
                let start = 0;
                let text = &snippet.text;
                let Some(pointer) = finding.pointer.clone() else {
                    return LocatedFinding::unlocated(finding);
                };
                let found = find(text, start, &pointer);
                // Only a value found whole is measured; a record that was
                // read as JSON has an end to every value it holds.
                let located = match found.complete {
                    true => value_end(text.as_bytes(), found.value).map(|end| (found, end)),
                    false => Some((found, 0)),
                };
                match located {
                    Some((l, end)) if pointer.is_empty() => {
                        LocatedFinding::at(finding, snippet, l.value, (l.value + 1).min(end), None)
                    }
                    Some((l, end)) if l.complete => {
                        LocatedFinding::at(finding, snippet, l.value, end, None)
                    }
                    Some((l, _)) => {
                        // The value is absent: point at the deepest member that exists.
                        let (s, e) = l.key.unwrap_or((l.value, l.value + 1));
                        let path = pointer.trim_start_matches('/').replace('/', ".");
                        let label = msg::input::absent_here(lang, &path);
                        LocatedFinding::at(finding, snippet, s, e, Some(label))
                    }
                    None => LocatedFinding::at(
                        finding,
                        snippet,
                        start,
                        (start + 1).min(text.len()),
                        None,
                    ),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_values_and_keys() {
        let text = r#"{ "a": {"b": [1, {"c": "x\"}"}]}, "d": 2 }"#;
        let l = locate(text, 0, "/a/b/1/c").expect("found");
        assert!(l.complete);
        assert_eq!(&text[l.value.0..l.value.1], r#""x\"}""#);
        let l = locate(text, 0, "/d").expect("found");
        assert_eq!(&text[l.value.0..l.value.1], "2");
        let k = l.key.expect("key");
        assert_eq!(&text[k.0..k.1], r#""d""#);
    }

    #[test]
    fn missing_members_stop_at_the_deepest_found() {
        let text = r#"{"land": {"area": 3}}"#;
        let l = locate(text, 0, "/land/floor_area").expect("found");
        assert!(!l.complete);
        assert_eq!(&text[l.value.0..l.value.1], r#"{"area": 3}"#);
    }

    #[test]
    fn containers_end_at_their_own_closing_bracket() {
        for value in [
            r#"{}"#,
            r#"[[], {}, [{"a": [1, 2]}]]"#,
            r#"{"a": "]}", "b": ["[{", "\\\"]"], "c": {"d": {}}}"#,
            r#"["\\", "}", {"x": "\"{"}]"#,
        ] {
            let text = format!("{value}, 1]");
            assert_eq!(value_end(text.as_bytes(), 0), Some(value.len()), "{value}");
        }
        assert_eq!(value_end(b"{\"a\": [1}", 0), None, "never closed");
    }

    #[test]
    fn never_panics_on_broken_text() {
        for text in ["{", "[", "{\"a\":", "\"", "[1,", "{\"a\" 1}", "}", "]"] {
            let _ = locate(text, 0, "/a/0");
        }
    }
}
