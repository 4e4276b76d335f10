//! A JSON reader for submissions: the text of one record → a tree of nodes
//! that keep their place in the text.
//!
//! Unlike a general JSON library it keeps what checking needs: every value's
//! byte span (so a finding points at the value without searching for it),
//! numbers as their exact text (`19999.999999999999999999` is not rounded
//! to a double), and member names as written (so a duplicate key is seen).
//! Nodes live in one vector, reused from record to record; strings and
//! numbers are slices of the text until typing asks for them. Nesting is
//! bounded, so no input can exhaust the stack. The reader never panics.

mod escapes;

use escapes::unescape;
use std::borrow::Cow;

/// How deep arrays and objects may nest in a record.
pub const MAX_DEPTH: usize = 64;

/// No node (an index that is never used).
pub const NONE: u32 = u32::MAX;

/// The kinds of JSON values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A number, its text kept.
    Number,
    /// A string.
    String,
    /// An array.
    Array,
    /// An object.
    Object,
}

/// One value of the tree, with its place in the text.
#[derive(Clone, Copy, Debug)]
pub struct Node {
    /// What it is.
    pub kind: Kind,
    /// A string (value or key) holds escapes: it must be decoded.
    escaped: bool,
    key_escaped: bool,
    /// The value's bytes (strings with their quotes).
    pub start: u32,
    /// One past the value's last byte.
    pub end: u32,
    /// The member name's bytes without quotes, for members of an object.
    pub key_start: u32,
    /// One past the member name's last byte.
    pub key_end: u32,
    /// The next element or member of the same container.
    pub next: u32,
    /// The first element or member of an array or object.
    pub first: u32,
}

/// A parsed record: its nodes (node 0 is the root) over the text.
#[derive(Clone, Copy, Debug)]
pub struct Doc<'a> {
    /// The record's text.
    pub text: &'a str,
    /// Its values.
    pub nodes: &'a [Node],
}

/// Why a text is not JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The text ends where a value should be.
    Eof,
    /// The text ends inside an object.
    EofInObject,
    /// The text ends inside an array.
    EofInArray,
    /// The text ends inside a string.
    EofInString,
    /// A value was expected.
    ExpectedValue,
    /// A `:` was expected after a member name.
    ExpectedColon,
    /// A `,` or `]` was expected.
    ExpectedCommaOrBracket,
    /// A `,` or `}` was expected.
    ExpectedCommaOrBrace,
    /// A member name must be a string.
    KeyMustBeString,
    /// A comma before `]` or `}`.
    TrailingComma,
    /// Something after the value.
    TrailingCharacters,
    /// A control character inside a string.
    ControlCharacter,
    /// An escape that JSON does not have.
    InvalidEscape,
    /// A `\u` escape of half a surrogate pair.
    LoneSurrogate,
    /// A malformed number.
    InvalidNumber,
    /// Arrays and objects nested deeper than [`MAX_DEPTH`].
    TooDeep,
}

/// A text that is not JSON: why, and the byte where it was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Error {
    /// Why.
    pub kind: ErrorKind,
    /// Where, as a byte offset of the text.
    pub offset: usize,
}

impl Node {
    /// The node's member name (for members of an object), decoded.
    pub fn key<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let raw = text
            .get(self.key_start as usize..self.key_end as usize)
            .unwrap_or("");
        if self.key_escaped {
            Cow::Owned(unescape(raw))
        } else {
            Cow::Borrowed(raw)
        }
    }

    /// Whether the member name holds escapes (its raw text is not its name).
    pub fn key_has_escapes(&self) -> bool {
        self.key_escaped
    }

    /// The member name's text as written, escapes and all.
    pub fn raw_key<'t>(&self, text: &'t str) -> &'t str {
        text.get(self.key_start as usize..self.key_end as usize)
            .unwrap_or("")
    }

    /// A string value, decoded.
    pub fn string<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let raw = text
            .get(self.start as usize + 1..(self.end as usize).saturating_sub(1))
            .unwrap_or("");
        if self.escaped {
            Cow::Owned(unescape(raw))
        } else {
            Cow::Borrowed(raw)
        }
    }

    /// The value's text as written.
    pub fn raw<'t>(&self, text: &'t str) -> &'t str {
        text.get(self.start as usize..self.end as usize)
            .unwrap_or("")
    }

    /// The value's bytes.
    pub fn span(&self) -> (usize, usize) {
        (self.start as usize, self.end as usize)
    }

    /// The member name's bytes, with its quotes.
    pub fn key_span(&self) -> (usize, usize) {
        (
            (self.key_start as usize).saturating_sub(1),
            self.key_end as usize + 1,
        )
    }
}

impl Node {
    /// A scalar value (string, number, literal) at `start..end` of a text,
    /// without escapes: what a reader that has checked those bytes itself
    /// hands to typing.
    pub(crate) fn scalar(kind: Kind, start: usize, end: usize) -> Node {
        Node {
            kind,
            escaped: false,
            key_escaped: false,
            start: to_u32(start),
            end: to_u32(end),
            key_start: 0,
            key_end: 0,
            next: NONE,
            first: NONE,
        }
    }
}

impl<'a> Doc<'a> {
    /// The root value.
    pub fn root(&self) -> Option<&'a Node> {
        self.nodes.first()
    }

    /// The node at `i`.
    pub fn get(&self, i: u32) -> Option<&'a Node> {
        self.nodes.get(i as usize)
    }

    /// The elements or members of a container, in order.
    pub fn children(&self, n: &Node) -> Children<'a> {
        Children {
            nodes: self.nodes,
            at: match n.kind {
                Kind::Array | Kind::Object => n.first,
                _ => NONE,
            },
        }
    }

    /// The member `name` of an object (the first, if it is given twice).
    pub fn member(&self, n: &Node, name: &str) -> Option<&'a Node> {
        self.children(n).find(|m| m.key(self.text) == name)
    }
}

/// The children of a node.
pub struct Children<'a> {
    nodes: &'a [Node],
    at: u32,
}

impl<'a> Iterator for Children<'a> {
    type Item = &'a Node;
    fn next(&mut self) -> Option<&'a Node> {
        let n = self.nodes.get(self.at as usize)?;
        self.at = n.next;
        Some(n)
    }
}

/// Parses `text` as one JSON value into `nodes` (cleared first).
pub fn parse(text: &str, nodes: &mut Vec<Node>) -> Result<(), Error> {
    nodes.clear();
    let mut p = Parser {
        b: text.as_bytes(),
        pos: 0,
        nodes,
        stack: Vec::new(),
    };
    p.value_tree()?;
    p.ws();
    if p.pos < p.b.len() {
        return Err(p.err(ErrorKind::TrailingCharacters));
    }
    Ok(())
}

/// An open container while parsing: its node and its last child so far.
struct Open {
    node: u32,
    last: u32,
}

struct Parser<'b, 'n> {
    b: &'b [u8],
    pos: usize,
    nodes: &'n mut Vec<Node>,
    stack: Vec<Open>,
}

impl Parser<'_, '_> {
    fn err(&self, kind: ErrorKind) -> Error {
        // The end of the text inside a container says which.
        let kind = match (kind, self.stack.last()) {
            (ErrorKind::Eof, Some(open)) => {
                match self.nodes.get(open.node as usize).map(|n| n.kind) {
                    Some(Kind::Object) => ErrorKind::EofInObject,
                    _ => ErrorKind::EofInArray,
                }
            }
            _ => kind,
        };
        Error {
            kind,
            offset: self.pos.min(self.b.len()),
        }
    }

    fn eof_or(&self, kind: ErrorKind) -> Error {
        if self.pos >= self.b.len() {
            self.err(ErrorKind::Eof)
        } else {
            self.err(kind)
        }
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.b.get(self.pos) {
            self.pos += 1;
        }
    }

    fn push(&mut self, kind: Kind, start: usize, key: Option<(usize, usize, bool)>) -> u32 {
        let index = u32::try_from(self.nodes.len()).unwrap_or(NONE);
        let (key_start, key_end, key_escaped) = key.map_or((0, 0, false), |(s, e, x)| (s, e, x));
        self.nodes.push(Node {
            kind,
            escaped: false,
            key_escaped,
            start: to_u32(start),
            end: to_u32(start),
            key_start: to_u32(key_start),
            key_end: to_u32(key_end),
            next: NONE,
            first: NONE,
        });
        // Link it into its container.
        if let Some(open) = self.stack.last_mut() {
            let parent = open.node as usize;
            if open.last == NONE {
                if let Some(p) = self.nodes.get_mut(parent) {
                    p.first = index;
                }
            } else if let Some(prev) = self.nodes.get_mut(open.last as usize) {
                prev.next = index;
            }
            open.last = index;
        }
        index
    }

    fn finish(&mut self, index: u32) {
        let end = to_u32(self.pos);
        if let Some(n) = self.nodes.get_mut(index as usize) {
            n.end = end;
        }
    }

    /// Parses a whole value, containers without recursion.
    fn value_tree(&mut self) -> Result<(), Error> {
        self.ws();
        self.value(None)?;
        // Containers opened by `value` are read here, member by member.
        while let Some(open) = self.stack.last() {
            let node = open.node;
            let is_object = self.nodes.get(node as usize).map(|n| n.kind) == Some(Kind::Object);
            let first = open.last == NONE;
            self.ws();
            let close = if is_object { b'}' } else { b']' };
            match self.b.get(self.pos) {
                Some(&c) if c == close => {
                    self.pos += 1;
                    self.finish(node);
                    self.stack.pop();
                    continue;
                }
                _ if first => {}
                Some(b',') => {
                    self.pos += 1;
                    self.ws();
                    if self.b.get(self.pos) == Some(&close) {
                        return Err(self.err(ErrorKind::TrailingComma));
                    }
                }
                _ => {
                    return Err(self.eof_or(if is_object {
                        ErrorKind::ExpectedCommaOrBrace
                    } else {
                        ErrorKind::ExpectedCommaOrBracket
                    }))
                }
            }
            if is_object {
                self.ws();
                if self.b.get(self.pos) != Some(&b'"') {
                    return Err(self.eof_or(ErrorKind::KeyMustBeString));
                }
                let (ks, ke, escaped) = self.string_body()?;
                self.ws();
                if self.b.get(self.pos) != Some(&b':') {
                    return Err(self.eof_or(ErrorKind::ExpectedColon));
                }
                self.pos += 1;
                self.ws();
                self.value(Some((ks, ke, escaped)))?;
            } else {
                self.value(None)?;
            }
        }
        Ok(())
    }

    /// One value; an array or object is opened and its contents left to `value_tree`.
    fn value(&mut self, key: Option<(usize, usize, bool)>) -> Result<(), Error> {
        let start = self.pos;
        match self.b.get(self.pos) {
            None => Err(self.err(ErrorKind::Eof)),
            Some(b'{' | b'[') => {
                if self.stack.len() >= MAX_DEPTH {
                    return Err(self.err(ErrorKind::TooDeep));
                }
                let kind = if self.b.get(self.pos) == Some(&b'{') {
                    Kind::Object
                } else {
                    Kind::Array
                };
                let index = self.push(kind, start, key);
                self.pos += 1;
                self.stack.push(Open {
                    node: index,
                    last: NONE,
                });
                Ok(())
            }
            Some(b'"') => {
                let index = self.push(Kind::String, start, key);
                let (_, _, escaped) = self.string_body()?;
                self.finish(index);
                if let Some(n) = self.nodes.get_mut(index as usize) {
                    n.escaped = escaped;
                }
                Ok(())
            }
            Some(b't') => self.literal(b"true", Kind::Bool(true), key),
            Some(b'f') => self.literal(b"false", Kind::Bool(false), key),
            Some(b'n') => self.literal(b"null", Kind::Null, key),
            Some(b'-' | b'0'..=b'9') => {
                let index = self.push(Kind::Number, start, key);
                self.number()?;
                self.finish(index);
                Ok(())
            }
            Some(_) => Err(self.err(ErrorKind::ExpectedValue)),
        }
    }

    fn literal(
        &mut self,
        word: &[u8],
        kind: Kind,
        key: Option<(usize, usize, bool)>,
    ) -> Result<(), Error> {
        let start = self.pos;
        let end = start + word.len();
        if self.b.get(start..end) != Some(word) {
            // Point at the first byte that differs.
            let same = word
                .iter()
                .zip(self.b.get(start..).unwrap_or(&[]))
                .take_while(|(a, b)| a == b)
                .count();
            self.pos = start + same;
            return Err(self.eof_or(ErrorKind::ExpectedValue));
        }
        let index = self.push(kind, start, key);
        self.pos = end;
        self.finish(index);
        Ok(())
    }

    /// A string starting at its opening quote: the content's bytes and
    /// whether it holds escapes. Ends after the closing quote.
    fn string_body(&mut self) -> Result<(usize, usize, bool), Error> {
        self.pos += 1;
        let start = self.pos;
        let mut escaped = false;
        loop {
            // Plain bytes go by fast.
            while let Some(&c) = self.b.get(self.pos) {
                if c == b'"' || c == b'\\' || c < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            match self.b.get(self.pos) {
                None => return Err(self.err(ErrorKind::EofInString)),
                Some(b'"') => {
                    let end = self.pos;
                    self.pos += 1;
                    return Ok((start, end, escaped));
                }
                Some(b'\\') => {
                    escaped = true;
                    self.escape()?;
                }
                Some(_) => return Err(self.err(ErrorKind::ControlCharacter)),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, Error> {
        let digits = self
            .b
            .get(self.pos..self.pos + 4)
            .ok_or_else(|| self.err(ErrorKind::EofInString))?;
        let mut v = 0u32;
        for &d in digits {
            let x = match d {
                b'0'..=b'9' => d - b'0',
                b'a'..=b'f' => d - b'a' + 10,
                b'A'..=b'F' => d - b'A' + 10,
                _ => return Err(self.err(ErrorKind::InvalidEscape)),
            };
            v = v * 16 + u32::from(x);
        }
        self.pos += 4;
        Ok(v)
    }

    fn escape(&mut self) -> Result<(), Error> {
        self.pos += 1;
        match self.b.get(self.pos) {
            None => Err(self.err(ErrorKind::EofInString)),
            Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => {
                self.pos += 1;
                Ok(())
            }
            Some(b'u') => {
                self.pos += 1;
                let unit = self.hex4()?;
                if (0xDC00..0xE000).contains(&unit) {
                    return Err(self.err(ErrorKind::LoneSurrogate));
                }
                if (0xD800..0xDC00).contains(&unit) {
                    if self.b.get(self.pos..self.pos + 2) != Some(b"\\u") {
                        return Err(self.err(ErrorKind::LoneSurrogate));
                    }
                    self.pos += 2;
                    let low = self.hex4()?;
                    if !(0xDC00..0xE000).contains(&low) {
                        return Err(self.err(ErrorKind::LoneSurrogate));
                    }
                }
                Ok(())
            }
            Some(_) => Err(self.err(ErrorKind::InvalidEscape)),
        }
    }

    fn number(&mut self) -> Result<(), Error> {
        match number_end(self.b, self.pos) {
            Ok(end) => {
                self.pos = end;
                Ok(())
            }
            Err(at) => {
                self.pos = at;
                Err(self.eof_or(ErrorKind::InvalidNumber))
            }
        }
    }
}

/// The end of the JSON number starting at `pos` of `b` (`-`, no leading
/// zero, a fraction and an exponent each with digits, nothing glued on
/// after), or the byte where it stops being one. The one grammar of numbers
/// for this reader and the direct one.
pub(crate) fn number_end(b: &[u8], mut pos: usize) -> Result<usize, usize> {
    let digits = |pos: &mut usize| {
        let start = *pos;
        while let Some(b'0'..=b'9') = b.get(*pos) {
            *pos += 1;
        }
        *pos - start
    };
    if b.get(pos) == Some(&b'-') {
        pos += 1;
    }
    match b.get(pos) {
        Some(b'0') => pos += 1,
        Some(b'1'..=b'9') => {
            digits(&mut pos);
        }
        _ => return Err(pos),
    }
    if b.get(pos) == Some(&b'.') {
        pos += 1;
        if digits(&mut pos) == 0 {
            return Err(pos);
        }
    }
    if let Some(b'e' | b'E') = b.get(pos) {
        pos += 1;
        if let Some(b'+' | b'-') = b.get(pos) {
            pos += 1;
        }
        if digits(&mut pos) == 0 {
            return Err(pos);
        }
    }
    // A number runs into a letter or digit only by mistake (`1x`, `01`).
    match b.get(pos) {
        Some(c) if c.is_ascii_alphanumeric() || *c == b'.' => Err(pos),
        _ => Ok(pos),
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(NONE - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(text: &str) -> Vec<Node> {
        let mut nodes = Vec::new();
        parse(text, &mut nodes).unwrap_or_else(|e| panic!("{text}: {e:?}"));
        nodes
    }

    fn error(text: &str) -> ErrorKind {
        let mut nodes = Vec::new();
        match parse(text, &mut nodes) {
            Ok(()) => panic!("{text} parsed"),
            Err(e) => e.kind,
        }
    }

    #[test]
    fn values_keep_their_place_and_exact_text() {
        let text = r#" {"a": [1, 19999.999999999999999999, "x\n"], "b": {"c": null, "c": true}} "#;
        let nodes = tree(text);
        let doc = Doc {
            text,
            nodes: &nodes,
        };
        let root = doc.root().unwrap();
        assert_eq!(root.kind, Kind::Object);
        let a = doc.member(root, "a").unwrap();
        let items: Vec<&Node> = doc.children(a).collect();
        assert_eq!(items[1].raw(text), "19999.999999999999999999");
        assert_eq!(items[2].string(text), "x\n");
        assert_eq!(&text[a.key_span().0..a.key_span().1], "\"a\"");
        let b = doc.member(root, "b").unwrap();
        let keys: Vec<String> = doc.children(b).map(|m| m.key(text).into_owned()).collect();
        assert_eq!(keys, ["c", "c"], "both members of a duplicate key are kept");
    }

    #[test]
    fn escapes_decode() {
        let text = r#"["\u4e34\u6e05\u5e02", "\ud83d\ude00", "a\"b\\c\/"]"#;
        let nodes = tree(text);
        let doc = Doc {
            text,
            nodes: &nodes,
        };
        let s: Vec<String> = doc
            .children(doc.root().unwrap())
            .map(|n| n.string(text).into_owned())
            .collect();
        assert_eq!(s, ["临清市", "😀", "a\"b\\c/"]);
    }

    #[test]
    fn bad_json_is_said_where() {
        assert_eq!(error(""), ErrorKind::Eof);
        assert_eq!(error("{\"a\": 1,}"), ErrorKind::TrailingComma);
        assert_eq!(error("[1 2]"), ErrorKind::ExpectedCommaOrBracket);
        assert_eq!(error("{1: 2}"), ErrorKind::KeyMustBeString);
        assert_eq!(error("{\"a\" 1}"), ErrorKind::ExpectedColon);
        assert_eq!(error("\"a\u{1}\""), ErrorKind::ControlCharacter);
        assert_eq!(error("\"\\x\""), ErrorKind::InvalidEscape);
        assert_eq!(error("\"\\ud800\""), ErrorKind::LoneSurrogate);
        assert_eq!(error("01"), ErrorKind::InvalidNumber);
        assert_eq!(error("1."), ErrorKind::Eof);
        assert_eq!(error("{\"a\": 1"), ErrorKind::EofInObject);
        assert_eq!(error("[1, "), ErrorKind::EofInArray);
        assert_eq!(error("[\"abc"), ErrorKind::EofInString);
        assert_eq!(error("-"), ErrorKind::Eof);
        assert_eq!(error("tru"), ErrorKind::Eof);
        assert_eq!(error("{} x"), ErrorKind::TrailingCharacters);
        assert_eq!(error(&"[".repeat(100_000)), ErrorKind::TooDeep);
        let mut nodes = Vec::new();
        let e = parse("{\"a\": [1, 2,, 3]}", &mut nodes).unwrap_err();
        assert_eq!(e.offset, 12);
    }

    #[test]
    fn agrees_with_serde_json_on_what_is_json() {
        for text in [
            "{}",
            "[]",
            "0",
            "-0.0e+1",
            "\"\"",
            "[true,false,null]",
            "{\"a\":{\"b\":[[],[{}]]}}",
            "1e999",
            " [ 1 , 2 ] ",
            "\"\\u0000\"",
            "[1,]",
            "{,}",
            "[01]",
            "[1e]",
            "nul",
            "\"\t\"",
        ] {
            let mut nodes = Vec::new();
            let ours = parse(text, &mut nodes).is_ok();
            // serde_json rejects only numbers out of the range of a double.
            let theirs =
                serde_json::from_str::<serde_json::Value>(text).is_ok() || text.contains("1e999");
            assert_eq!(ours, theirs, "{text}");
        }
    }
}
