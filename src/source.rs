//! Source files and spans.
//!
//! Every file plancheck reads (rule files, the plan's text, submissions) is
//! added once to a [`SourceMap`] and named by a [`SourceId`]. Spans are byte
//! ranges into one of those files; they never hold text themselves.

use std::sync::Arc;

/// Index of a file in a [`SourceMap`].
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct SourceId(pub u32);

/// A byte range in one source file.
#[derive(
    Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize, serde::Deserialize,
)]
pub struct Span {
    /// The file the range lies in.
    pub source: SourceId,
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end` in `source`.
    pub fn new(source: SourceId, start: usize, end: usize) -> Self {
        Span { source, start, end }
    }

    /// The span as miette wants it.
    pub fn to_miette(self) -> miette::SourceSpan {
        (self.start, self.end.saturating_sub(self.start)).into()
    }

    /// The smallest span covering both.
    pub fn join(self, other: Span) -> Span {
        Span {
            source: self.source,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

impl std::fmt::Debug for Span {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// A named source text.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct SourceFile {
    /// The name shown to users (a path as they named it, or `<embedded>/…`).
    pub name: String,
    /// The whole text.
    #[serde(with = "shared_text")]
    pub text: Arc<str>,
}

/// Serde for a long shared text, read back as bytes checked with simdutf8.
/// The pre-checked pack holds the rule files and the plan (a third of a
/// megabyte, mostly Chinese); the standard library's UTF-8 check of them
/// was a tenth of a one-file check's time. (Postcard writes a string and
/// bytes alike, so the pre-checked form does not change.)
pub mod shared_text {
    use serde::de::{Error, Visitor};
    use serde::{Deserializer, Serializer};
    use std::sync::Arc;

    /// Writes the text as a string.
    pub fn serialize<S: Serializer>(text: &Arc<str>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(text)
    }

    /// Reads the text from bytes (or a string, in formats that tell them apart).
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Arc<str>, D::Error> {
        d.deserialize_bytes(Text)
    }

    struct Text;

    impl Visitor<'_> for Text {
        type Value = Arc<str>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a UTF-8 text")
        }

        fn visit_bytes<E: Error>(self, v: &[u8]) -> Result<Arc<str>, E> {
            simdutf8::basic::from_utf8(v)
                .map(Arc::from)
                .map_err(|_| E::custom("a text that is not UTF-8"))
        }

        fn visit_str<E: Error>(self, v: &str) -> Result<Arc<str>, E> {
            Ok(Arc::from(v))
        }
    }

    /// A text read by this module's rule, where serde wants a value.
    pub struct Seed;

    impl<'de> serde::de::DeserializeSeed<'de> for Seed {
        type Value = Arc<str>;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Arc<str>, D::Error> {
            deserialize(d)
        }
    }

    /// Writes a text as a string, where serde wants a value.
    pub struct Out<'t>(pub &'t str);

    impl serde::Serialize for Out<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_str(self.0)
        }
    }

    /// Serde for an optional named text (`Pack::source_doc`), written as
    /// `Option<(String, Arc<str>)>` would be.
    pub mod named {
        use super::{Out, Seed};
        use serde::de::{Error, SeqAccess, Visitor};
        use serde::{Deserializer, Serialize, Serializer};
        use std::sync::Arc;

        type Named = Option<(String, Arc<str>)>;

        /// Writes it as the plain type.
        pub fn serialize<S: Serializer>(v: &Named, s: S) -> Result<S::Ok, S::Error> {
            v.as_ref()
                .map(|(name, text)| (name.as_str(), Out(text)))
                .serialize(s)
        }

        /// Reads it, the text through [`super::deserialize`].
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Named, D::Error> {
            d.deserialize_option(Maybe)
        }

        struct Maybe;

        impl<'de> Visitor<'de> for Maybe {
            type Value = Named;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a named text or nothing")
            }

            fn visit_none<E: Error>(self) -> Result<Named, E> {
                Ok(None)
            }

            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Named, D::Error> {
                d.deserialize_tuple(2, Pair).map(Some)
            }
        }

        struct Pair;

        impl<'de> Visitor<'de> for Pair {
            type Value = (String, Arc<str>);

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a name and a text")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let name: String = seq
                    .next_element()?
                    .ok_or_else(|| A::Error::invalid_length(0, &self))?;
                let text = seq
                    .next_element_seed(Seed)?
                    .ok_or_else(|| A::Error::invalid_length(1, &self))?;
                Ok((name, text))
            }
        }
    }
}

/// All files of one run, each stored once.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    /// Adds a file and returns its id.
    pub fn add(&mut self, name: impl Into<String>, text: impl Into<Arc<str>>) -> SourceId {
        let id = SourceId(u32::try_from(self.files.len()).unwrap_or(u32::MAX));
        self.files.push(SourceFile {
            name: name.into(),
            text: text.into(),
        });
        id
    }

    /// The file behind `id`.
    pub fn get(&self, id: SourceId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize)
    }

    /// The text of `span`, or "" when it lies outside its file.
    pub fn snippet(&self, span: Span) -> &str {
        self.get(span.source)
            .and_then(|f| f.text.get(span.start..span.end))
            .unwrap_or("")
    }

    /// A miette source for `id` with its name, for rendering.
    pub fn named(&self, id: SourceId) -> miette::NamedSource<Arc<str>> {
        match self.get(id) {
            Some(f) => miette::NamedSource::new(f.name.clone(), f.text.clone()),
            None => miette::NamedSource::new("<unknown>", Arc::from("")),
        }
    }
}

/// 1-based line and column (in Unicode characters) of byte `offset` in `text`.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (line, column)
}

/// Byte offset of the start of 1-based `line` in `text` (the end of text when past it).
pub fn line_offset(text: &str, line: usize) -> usize {
    if line <= 1 {
        return 0;
    }
    text.match_indices('\n')
        .nth(line - 2)
        .map_or(text.len(), |(i, _)| i + 1)
}

/// The text a finding points into: a whole file, one record of a file
/// (a line of a `.jsonl` file, an element of a `.json` array), or one
/// spreadsheet cell. Lines and columns shown for it are counted from
/// `first_line` and, on its first line, `first_column`, so a part of a large
/// file renders with its real place without keeping the file in memory.
#[derive(Debug)]
pub struct Snippet {
    /// The name shown in the diagnostic header (shared by every record of a file).
    pub name: Arc<str>,
    /// The text.
    pub text: Arc<str>,
    /// 0-based line of the file at which `text` starts.
    pub first_line: usize,
    /// Characters before `text` on its first line of the file.
    pub first_column: usize,
    /// Where lines start, built the first time a place is asked for.
    index: std::sync::OnceLock<LineIndex>,
}

impl Clone for Snippet {
    fn clone(&self) -> Self {
        Snippet::part(
            self.name.clone(),
            self.text.clone(),
            self.first_line,
            self.first_column,
        )
    }
}

/// Lines and columns of a text found in time logarithmic in its length:
/// every line start, and every 1024 bytes the line and column reached.
#[derive(Debug, Default)]
struct LineIndex {
    /// (byte offset, 0-based line, 0-based column in characters) at char boundaries.
    marks: Vec<(usize, usize, usize)>,
}

impl LineIndex {
    const STEP: usize = 1024;

    fn new(text: &str) -> Self {
        let mut marks = vec![(0, 0, 0)];
        let (mut line, mut col, mut next) = (0usize, 0usize, Self::STEP);
        for (i, c) in text.char_indices() {
            if i >= next {
                marks.push((i, line, col));
                next = i + Self::STEP;
            }
            if c == '\n' {
                line += 1;
                col = 0;
            } else {
                col += 1;
            }
        }
        LineIndex { marks }
    }

    /// 0-based line and column of byte `offset`.
    fn at(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let k = self
            .marks
            .partition_point(|m| m.0 <= offset)
            .saturating_sub(1);
        let (from, line, col) = self.marks.get(k).copied().unwrap_or((0, 0, 0));
        place_from(text, from, offset, line, col)
    }
}

/// The 0-based line and column reached at byte `to` of `text` from `from`,
/// which is at `line` and `col` (`to` taken back to a character boundary).
fn place_from(text: &str, from: usize, to: usize, line: usize, col: usize) -> (usize, usize) {
    let mut end = to.min(text.len());
    while end > from && !text.is_char_boundary(end) {
        end -= 1;
    }
    let part = text.get(from..end).unwrap_or("");
    // Counting bytes and characters in bulk beats a branch per character.
    match part.rfind('\n') {
        Some(last) => (
            line + part.bytes().filter(|&b| b == b'\n').count(),
            part.get(last + 1..).map_or(0, |s| s.chars().count()),
        ),
        None => (line, col + part.chars().count()),
    }
}

impl Snippet {
    /// A whole file.
    pub fn file(name: impl Into<Arc<str>>, text: Arc<str>) -> Self {
        Snippet::part(name, text, 0, 0)
    }

    /// A part of a file that starts at 0-based `first_line` after `first_column` characters.
    pub fn part(
        name: impl Into<Arc<str>>,
        text: Arc<str>,
        first_line: usize,
        first_column: usize,
    ) -> Self {
        Snippet {
            name: name.into(),
            text,
            first_line,
            first_column,
            index: std::sync::OnceLock::new(),
        }
    }

    /// 1-based line and column in the file of byte `offset` of the snippet.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        // A short text (a record on its line) is counted from its start: an
        // index would cost more than it saves.
        let (l, c) = if self.text.len() <= 4 * LineIndex::STEP {
            place_from(&self.text, 0, offset, 0, 0)
        } else {
            let index = self.index.get_or_init(|| LineIndex::new(&self.text));
            index.at(&self.text, offset)
        };
        let c = if l == 0 { c + self.first_column } else { c };
        (l + self.first_line + 1, c + 1)
    }
}

/// How many characters of a line are shown on each side of a span.
const SHOWN_AROUND: usize = 80;
/// How many characters of a span itself are shown.
const SHOWN_SPAN: usize = 240;
/// Context lines longer than this are left out.
const CONTEXT_LINE: usize = 200;
/// Lines longer than this are clipped around the span.
const LONG_LINE: usize = 400;
/// A span over at most this many (short) lines is shown whole.
const SPAN_LINES: usize = 12;

impl Snippet {
    /// The part of the snippet a diagnostic shows for bytes `span`, safe to
    /// print: the span's line(s) clipped to a window around it (a record may
    /// be one line of megabytes; miette cannot place a label past column
    /// 65,535), at most one short line of context on each side, and every
    /// control or bidi character written as a visible escape, so the text of
    /// a submission can neither overflow the renderer nor forge the output.
    /// Returns the window and the span within it; lines and columns shown
    /// stay those of the file (where escapes stand before the span on its
    /// line, the column shown counts them).
    pub fn window(&self, span: (usize, usize)) -> (Snippet, (usize, usize)) {
        let text: &str = &self.text;
        let floor = |mut i: usize| {
            i = i.min(text.len());
            while i > 0 && !text.is_char_boundary(i) {
                i -= 1;
            }
            i
        };
        let start = floor(span.0);
        let mut end = floor(span.1.max(span.0));
        let line_end_of = |i: usize| {
            text.get(i..)
                .and_then(|r| r.find('\n'))
                .map_or(text.len(), |n| i + n)
        };
        let line_start_of = |i: usize| {
            text.get(..i)
                .and_then(|r| r.rfind('\n'))
                .map_or(0, |n| n + 1)
        };
        let line_start = line_start_of(start);
        // A span over a few short lines is shown whole; a longer one by its beginning.
        let spanned = text.get(line_start..line_end_of(end)).unwrap_or("");
        let few_short_lines = spanned.lines().count() <= SPAN_LINES
            && spanned.lines().all(|l| l.chars().count() <= LONG_LINE);
        if !few_short_lines {
            end = end
                .min(advance(text, start, SHOWN_SPAN))
                .min(line_end_of(start).max(start));
        }
        let line_end = line_end_of(end);
        // Long lines are clipped around the span.
        let (from, to) = if text
            .get(line_start..line_end)
            .is_some_and(|l| l.chars().count() > LONG_LINE)
        {
            (
                retreat(text, start, SHOWN_AROUND).max(line_start),
                advance(text, end, SHOWN_AROUND).min(line_end),
            )
        } else {
            (line_start, line_end)
        };
        let clipped_left = from > line_start;
        let clipped_right = to < line_end;
        // One short line of context on each side, where the line is whole.
        let mut lo = from;
        if !clipped_left && line_start > 0 {
            let prev = line_start_of(line_start - 1);
            if text
                .get(prev..line_start - 1)
                .is_some_and(|l| l.chars().count() <= CONTEXT_LINE)
            {
                lo = prev;
            }
        }
        let mut hi = to;
        if !clipped_right && line_end < text.len() {
            let next_end = line_end_of(line_end + 1);
            if text
                .get(line_end + 1..next_end)
                .is_some_and(|l| l.chars().count() <= CONTEXT_LINE)
            {
                hi = next_end;
            }
        }
        let (line, column) = self.line_column(lo);
        let mut out = String::new();
        let mut column = column - 1;
        if clipped_left {
            out.push('…');
            column = column.saturating_sub(1);
        }
        let mut mapped = (out.len(), out.len());
        let mut at = lo;
        for c in text.get(lo..hi).unwrap_or("").chars() {
            if at == start {
                mapped.0 = out.len();
            }
            if at == end {
                mapped.1 = out.len();
            }
            if crate::text::is_unsafe(c) && c != '\n' {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            } else {
                out.push(c);
            }
            at += c.len_utf8();
        }
        if at <= start {
            mapped.0 = out.len();
        }
        if at <= end {
            mapped.1 = out.len();
        }
        if clipped_right {
            out.push('…');
        }
        let name = crate::text::escape(&self.name).into_owned();
        (
            Snippet::part(name, Arc::from(out), line - 1, column),
            (mapped.0, mapped.1.max(mapped.0)),
        )
    }
}

/// The byte `n` characters after `i` (or the end).
fn advance(text: &str, i: usize, n: usize) -> usize {
    text.get(i..)
        .and_then(|r| r.char_indices().nth(n))
        .map_or(text.len(), |(k, _)| i + k)
}

/// The byte `n` characters before `i` (or the start).
fn retreat(text: &str, i: usize, n: usize) -> usize {
    text.get(..i)
        .and_then(|r| r.char_indices().rev().nth(n.saturating_sub(1)))
        .map_or(0, |(k, _)| k)
}

impl miette::SourceCode for Snippet {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let inner = self.text.read_span(span, before, after)?;
        // Columns count characters, as everywhere else in plancheck (miette counts bytes).
        let start = inner.span().offset();
        let column = self.line_column(start).1 - 1;
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.to_string(),
            inner.data(),
            *inner.span(),
            inner.line() + self.first_line,
            column,
            inner.line_count(),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shared_text_is_written_as_a_string_and_read_back_checked() {
        #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
        struct Doc {
            #[serde(with = "shared_text")]
            text: Arc<str>,
            #[serde(with = "shared_text::named")]
            named: Option<(String, Arc<str>)>,
        }
        let doc = Doc {
            text: Arc::from("聊城市国民经济和社会发展第十三个五年规划纲要"),
            named: Some(("plan.txt".into(), Arc::from("第二十一章"))),
        };
        let bytes = postcard::to_stdvec(&doc).expect("written");
        // The same bytes as the plain types write.
        let plain = postcard::to_stdvec(&(
            "聊城市国民经济和社会发展第十三个五年规划纲要",
            Some(("plan.txt", "第二十一章")),
        ))
        .expect("written");
        assert_eq!(bytes, plain);
        assert_eq!(postcard::from_bytes::<Doc>(&bytes).expect("read"), doc);
        let none = Doc { named: None, ..doc };
        let bytes = postcard::to_stdvec(&none).expect("written");
        assert_eq!(postcard::from_bytes::<Doc>(&bytes).expect("read"), none);
        // Bytes that are not UTF-8 are refused, not taken.
        let mut broken = bytes.clone();
        if let Some(b) = broken.get_mut(1) {
            *b = 0xff;
        }
        assert!(postcard::from_bytes::<Doc>(&broken).is_err());
        // A format that tells strings from bytes reads the string.
        let json = serde_json::to_string(&none).expect("json");
        assert_eq!(serde_json::from_str::<Doc>(&json).expect("read"), none);
    }

    #[test]
    fn line_column_counts_characters_not_bytes() {
        let text = "ab\n聊城x";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 3), (2, 1));
        assert_eq!(line_column(text, 3 + "聊城".len()), (2, 3));
    }

    proptest::proptest! {
        /// Short texts are counted directly, long ones through the index:
        /// both give the plain count's place, at every offset.
        #[test]
        fn snippet_places_agree_with_the_plain_count(
            parts in proptest::collection::vec("[a聊\n]{0,40}", 0..300),
            picks in proptest::collection::vec(0usize..20_000, 8),
        ) {
            let text = parts.concat();
            let snippet = Snippet::file("f", Arc::from(text.as_str()));
            for pick in picks {
                let mut at = pick.min(text.len());
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                proptest::prop_assert_eq!(snippet.line_column(at), line_column(&text, at));
            }
        }
    }

    #[test]
    fn line_offset_finds_line_starts() {
        let text = "a\nbc\nd";
        assert_eq!(line_offset(text, 1), 0);
        assert_eq!(line_offset(text, 2), 2);
        assert_eq!(line_offset(text, 3), 5);
        assert_eq!(line_offset(text, 9), 6);
    }

    #[test]
    fn a_window_clips_long_lines_and_escapes_controls() {
        let long = format!(
            "{{\"a\": \"{}\", \"b\": 7, \"c\": \"\u{1b}[31m\"}}",
            "x".repeat(100_000)
        );
        let snippet = Snippet::part("f\u{202e}.json", Arc::from(long.as_str()), 4, 2);
        let at = long.find("7").expect("7");
        let (w, (s, e)) = snippet.window((at, at + 1));
        assert_eq!(&w.text[s..e], "7");
        assert!(w.text.len() < 400, "{}", w.text.len());
        assert!(w.text.starts_with('…'));
        assert!(w.text.contains("\\u{1b}[31m"), "{}", w.text);
        assert_eq!(&*w.name, "f\\u{202e}.json");
        // The place shown is the file's.
        assert_eq!(w.line_column(s), snippet.line_column(at));
    }

    #[test]
    fn a_window_keeps_short_context_lines() {
        let text = "one\ntwo three\nfour";
        let snippet = Snippet::file("f", Arc::from(text));
        let at = text.find("three").expect("three");
        let (w, (s, e)) = snippet.window((at, at + 5));
        assert_eq!(&*w.text, text);
        assert_eq!(&w.text[s..e], "three");
        assert_eq!(w.line_column(s), (2, 5));
    }
}
