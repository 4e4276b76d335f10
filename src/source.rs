//! Source files and spans.
//!
//! Every file plancheck reads (rule files, the plan's text, submissions) is
//! added once to a [`SourceMap`] and named by a [`SourceId`]. Spans are byte
//! ranges into one of those files; they never hold text themselves.

use std::sync::Arc;

/// Index of a file in a [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct SourceId(pub u32);

/// A byte range in one source file.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
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
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// The name shown to users (a path as they named it, or `<embedded>/…`).
    pub name: String,
    /// The whole text.
    pub text: Arc<str>,
}

/// All files of one run, each stored once.
#[derive(Clone, Debug, Default)]
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_counts_characters_not_bytes() {
        let text = "ab\n聊城x";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 3), (2, 1));
        assert_eq!(line_column(text, 3 + "聊城".len()), (2, 3));
    }

    #[test]
    fn line_offset_finds_line_starts() {
        let text = "a\nbc\nd";
        assert_eq!(line_offset(text, 1), 0);
        assert_eq!(line_offset(text, 2), 2);
        assert_eq!(line_offset(text, 3), 5);
        assert_eq!(line_offset(text, 9), 6);
    }
}

/// The text a finding points into: a whole file, one record of a file
/// (a line of a `.jsonl` file, an element of a `.json` array), or one
/// spreadsheet cell. Lines and columns shown for it are counted from
/// `first_line` and, on its first line, `first_column`, so a part of a large
/// file renders with its real place without keeping the file in memory.
#[derive(Debug)]
pub struct Snippet {
    /// The name shown in the diagnostic header.
    pub name: String,
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
        let (from, mut line, mut col) = self.marks.get(k).copied().unwrap_or((0, 0, 0));
        let mut end = offset;
        while end > from && !text.is_char_boundary(end) {
            end -= 1;
        }
        for c in text.get(from..end).unwrap_or("").chars() {
            if c == '\n' {
                line += 1;
                col = 0;
            } else {
                col += 1;
            }
        }
        (line, col)
    }
}

impl Snippet {
    /// A whole file.
    pub fn file(name: impl Into<String>, text: Arc<str>) -> Self {
        Snippet::part(name, text, 0, 0)
    }

    /// A part of a file that starts at 0-based `first_line` after `first_column` characters.
    pub fn part(
        name: impl Into<String>,
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
        let index = self.index.get_or_init(|| LineIndex::new(&self.text));
        let (l, c) = index.at(&self.text, offset);
        let c = if l == 0 { c + self.first_column } else { c };
        (l + self.first_line + 1, c + 1)
    }
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
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line() + self.first_line,
            column,
            inner.line_count(),
        )))
    }
}
