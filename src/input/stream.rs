//! Splitting a submission's text into records as it streams.
//!
//! A `.json` array, a `.jsonl` file and a CSV file are read a block at a
//! time and cut into the text of each record (an array element, a line, a
//! row), with the line and column where it starts, so a file of any size is
//! checked in memory bounded by its largest record. No record may exceed
//! [`MAX_RECORD_BYTES`]: a larger one is said to be too large (its bytes
//! are counted, never kept). The splitters look only at the structure
//! between records; each record's own text is parsed later, in parallel.

use super::json::ErrorKind;
use std::io::{self, BufRead};
use std::sync::Arc;

mod lines;
pub use lines::LineSplitter;

/// The most bytes one record may take. Real records are a few kilobytes.
pub const MAX_RECORD_BYTES: usize = 8 << 20;

/// How much of the current line is kept to show where a structural error is.
const CONTEXT_BYTES: usize = 240;

/// One record's text as cut from the stream.
#[derive(Debug)]
pub struct Piece {
    /// 0-based position of the record in its file, as the contract numbers it.
    pub index: usize,
    /// 0-based line of its first character.
    pub line: usize,
    /// Characters before it on that line.
    pub column: usize,
    /// What was cut.
    pub body: Body,
}

/// What a piece holds.
#[derive(Debug)]
pub enum Body {
    /// The record's text (shared: it becomes the record's snippet as is).
    Text(Arc<str>),
    /// A record larger than [`MAX_RECORD_BYTES`], with its size in bytes.
    TooLarge(u64),
    /// The file's structure is broken here; nothing after it is read.
    /// `context` is the text of the line up to and including the place,
    /// starting at the piece's line and column.
    Broken {
        /// Why.
        why: Broken,
        /// The text around the place.
        context: String,
    },
}

/// Why a file's structure is broken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Broken {
    /// The JSON between the records is broken.
    Json(ErrorKind),
    /// A CSV cell opened with a quote is never closed.
    UnterminatedQuote,
}

/// Bytes to text; bytes that are not UTF-8 (a damaged file) are replaced.
/// A record's buffer is kept for the next record up to this size.
const KEEP_BUFFER_BYTES: usize = 64 << 10;

fn text_of(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// A record's bytes as shared text, copied once (the decoder gave UTF-8;
/// anything else is replaced, as [`text_of`] does).
fn shared_text(bytes: &[u8]) -> Arc<str> {
    // Every byte of a file is validated here, on the thread that reads:
    // simdutf8 checks Chinese text many times faster than the standard
    // library's character-by-character path, with the same verdict.
    match simdutf8::basic::from_utf8(bytes) {
        Ok(text) => Arc::from(text),
        Err(_) => Arc::from(String::from_utf8_lossy(bytes).as_ref()),
    }
}

/// Where the reader is: line, column, and the current line's last bytes.
#[derive(Default)]
struct Place {
    line: usize,
    column: usize,
    recent: Vec<u8>,
}

impl Place {
    fn step(&mut self, b: u8) {
        if b == b'\n' {
            self.line += 1;
            self.column = 0;
            self.recent.clear();
            return;
        }
        // Columns count characters: continuation bytes do not start one.
        if b & 0xC0 != 0x80 {
            self.column += 1;
        }
        if self.recent.len() >= CONTEXT_BYTES {
            let mut cut = CONTEXT_BYTES / 2;
            while self.recent.get(cut).is_some_and(|c| c & 0xC0 == 0x80) {
                cut += 1;
            }
            self.recent.drain(..cut.min(self.recent.len()));
        }
        self.recent.push(b);
    }

    /// A broken-structure piece at the current place, `b` (the offending byte, if any) included.
    fn broken(&self, index: usize, why: Broken, b: Option<u8>) -> Piece {
        let mut bytes = self.recent.clone();
        bytes.extend(b);
        let context = text_of(bytes);
        let shown = context.chars().count() - usize::from(b.is_some());
        Piece {
            index,
            line: self.line,
            column: self.column.saturating_sub(shown),
            body: Body::Broken { why, context },
        }
    }
}

/// A record being collected: its bytes up to the cap, and its full size.
#[derive(Default)]
struct Collect {
    bytes: Vec<u8>,
    size: u64,
    line: usize,
    column: usize,
}

impl Collect {
    fn start(&mut self, place: &Place) {
        self.bytes.clear();
        self.size = 0;
        self.line = place.line;
        self.column = place.column;
    }

    fn push(&mut self, bytes: &[u8]) {
        self.size += bytes.len() as u64;
        if self.bytes.len() < MAX_RECORD_BYTES {
            let room = MAX_RECORD_BYTES - self.bytes.len();
            self.bytes
                .extend_from_slice(bytes.get(..room.min(bytes.len())).unwrap_or(&[]));
        }
    }

    fn piece(&mut self, index: usize) -> Piece {
        let body = if self.size > MAX_RECORD_BYTES as u64 {
            self.bytes = Vec::new();
            Body::TooLarge(self.size)
        } else {
            // The record is copied once, into the text its snippet shares;
            // the buffer keeps its capacity for the next one instead of
            // growing from nothing, unless a large record grew it.
            let text = shared_text(&self.bytes);
            if self.bytes.capacity() <= KEEP_BUFFER_BYTES {
                self.bytes.clear();
            } else {
                self.bytes = Vec::new();
            }
            Body::Text(text)
        };
        Piece {
            index,
            line: self.line,
            column: self.column,
            body,
        }
    }
}

/// Where the JSON splitter is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum JsonState {
    /// Before the first value.
    Lead,
    /// The file is one value, not an array: all of it is the record.
    Single,
    /// In the array, before an element or `]`.
    ValueOrEnd,
    /// In the array, after a comma: an element must follow.
    Value,
    /// In the array, after an element.
    CommaOrEnd,
    /// Inside an element.
    Element,
    /// After the closing `]`.
    After,
    /// The text ended inside the array after an element: that is said next.
    Unclosed,
    /// Finished (the end, or a broken structure reported).
    Done,
}

/// Cuts a `.json` text into records: each element of a top-level array,
/// or the whole text when it is a single value.
pub struct JsonSplitter {
    state: JsonState,
    place: Place,
    record: Collect,
    index: usize,
    depth: u32,
    in_string: bool,
    escaped: bool,
}

impl Default for JsonSplitter {
    fn default() -> Self {
        JsonSplitter {
            state: JsonState::Lead,
            place: Place::default(),
            record: Collect::default(),
            index: 0,
            depth: 0,
            in_string: false,
            escaped: false,
        }
    }
}

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

impl JsonSplitter {
    /// The next record, `None` at the end.
    pub fn next(&mut self, r: &mut impl BufRead) -> io::Result<Option<Piece>> {
        loop {
            if self.state == JsonState::Done {
                return Ok(None);
            }
            let buf = r.fill_buf()?;
            if buf.is_empty() {
                return Ok(self.end());
            }
            let (used, piece) = self.feed(buf);
            r.consume(used);
            if piece.is_some() {
                return Ok(piece);
            }
        }
    }

    /// The end of the text.
    fn end(&mut self) -> Option<Piece> {
        let state = self.state;
        self.state = JsonState::Done;
        match state {
            // An empty text: the reader of the record says what is wrong.
            JsonState::Lead => Some(Piece {
                index: 0,
                line: self.place.line,
                column: self.place.column,
                body: Body::Text(Arc::from("")),
            }),
            JsonState::Single => Some(self.record.piece(0)),
            JsonState::Element => {
                self.state = JsonState::Unclosed;
                let piece = self.record.piece(self.index);
                self.index += 1;
                Some(piece)
            }
            JsonState::Unclosed => Some(self.place.broken(
                self.index,
                Broken::Json(ErrorKind::EofInArray),
                None,
            )),
            JsonState::ValueOrEnd | JsonState::Value | JsonState::CommaOrEnd => Some(
                self.place
                    .broken(self.index, Broken::Json(ErrorKind::EofInArray), None),
            ),
            JsonState::After | JsonState::Done => None,
        }
    }

    /// Reads from `buf`: the bytes used and a record if one was completed.
    fn feed(&mut self, buf: &[u8]) -> (usize, Option<Piece>) {
        let mut i = 0;
        while let Some(&b) = buf.get(i) {
            match self.state {
                JsonState::Done | JsonState::Unclosed => return (i, None),
                JsonState::Single => {
                    // Everything to the end is the record.
                    for &c in buf.get(i..).unwrap_or(&[]) {
                        self.place.step(c);
                    }
                    self.record.push(buf.get(i..).unwrap_or(&[]));
                    return (buf.len(), None);
                }
                JsonState::Lead => {
                    if is_ws(b) {
                        self.place.step(b);
                        i += 1;
                        continue;
                    }
                    self.record.start(&self.place);
                    if b == b'[' {
                        self.state = JsonState::ValueOrEnd;
                        self.place.step(b);
                        i += 1;
                    } else {
                        self.state = JsonState::Single;
                    }
                }
                JsonState::ValueOrEnd | JsonState::Value | JsonState::CommaOrEnd => {
                    if is_ws(b) {
                        self.place.step(b);
                        i += 1;
                        continue;
                    }
                    let state = self.state;
                    let broken = |s: &mut Self, kind: ErrorKind| {
                        s.state = JsonState::Done;
                        let piece = s.place.broken(s.index, Broken::Json(kind), Some(b));
                        (i + 1, Some(piece))
                    };
                    match (state, b) {
                        (JsonState::ValueOrEnd | JsonState::CommaOrEnd, b']') => {
                            self.state = JsonState::After;
                        }
                        (JsonState::Value, b']') => return broken(self, ErrorKind::TrailingComma),
                        (JsonState::CommaOrEnd, b',') => self.state = JsonState::Value,
                        (JsonState::CommaOrEnd, _) => {
                            return broken(self, ErrorKind::ExpectedCommaOrBracket)
                        }
                        (_, b',') => return broken(self, ErrorKind::ExpectedValue),
                        _ => {
                            // An element starts here.
                            self.record.start(&self.place);
                            self.state = JsonState::Element;
                            self.depth = 0;
                            self.in_string = false;
                            self.escaped = false;
                            continue;
                        }
                    }
                    self.place.step(b);
                    i += 1;
                }
                JsonState::Element => {
                    let (used, done) = self.element(buf.get(i..).unwrap_or(&[]));
                    i += used;
                    if done {
                        self.state = JsonState::CommaOrEnd;
                        let piece = self.record.piece(self.index);
                        self.index += 1;
                        return (i, Some(piece));
                    }
                }
                JsonState::After => {
                    if is_ws(b) {
                        self.place.step(b);
                        i += 1;
                        continue;
                    }
                    self.state = JsonState::Done;
                    let piece = self.place.broken(
                        self.index,
                        Broken::Json(ErrorKind::TrailingCharacters),
                        Some(b),
                    );
                    return (i + 1, Some(piece));
                }
            }
        }
        (i, None)
    }

    /// Reads an element's bytes from `buf`: the bytes that belong to it,
    /// and whether it ended.
    fn element(&mut self, buf: &[u8]) -> (usize, bool) {
        let mut i = 0;
        let mut ended = false;
        while let Some(&b) = buf.get(i) {
            if self.in_string {
                if self.escaped {
                    self.escaped = false;
                } else if b == b'\\' {
                    self.escaped = true;
                } else if b == b'"' {
                    self.in_string = false;
                    if self.depth == 0 {
                        self.place.step(b);
                        i += 1;
                        ended = true;
                        break;
                    }
                }
                self.place.step(b);
                i += 1;
                continue;
            }
            match b {
                b'"' => self.in_string = true,
                b'{' | b'[' => self.depth += 1,
                b'}' | b']' if self.depth > 0 => {
                    self.depth -= 1;
                    if self.depth == 0 {
                        self.place.step(b);
                        i += 1;
                        ended = true;
                        break;
                    }
                }
                // A scalar ends before the next delimiter.
                b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r' if self.depth == 0 => {
                    ended = true;
                    break;
                }
                _ => {}
            }
            self.place.step(b);
            i += 1;
        }
        self.record.push(buf.get(..i).unwrap_or(&[]));
        (i, ended)
    }
}

/// Cuts a CSV text into the text of its records (a record may span lines
/// inside a quoted cell); blank lines are skipped but counted.
pub struct CsvSplitter {
    sep: u8,
    place: Place,
    record: Collect,
}

impl CsvSplitter {
    /// A splitter for cells separated by `sep`.
    pub fn new(sep: u8) -> Self {
        CsvSplitter {
            sep,
            place: Place::default(),
            record: Collect::default(),
        }
    }

    /// The next record, `None` at the end.
    pub fn next(&mut self, r: &mut impl BufRead) -> io::Result<Option<Piece>> {
        loop {
            self.record.start(&self.place);
            let mut in_quote = false;
            let mut quote_seen = false;
            let mut field_start = true;
            let mut any = false;
            let mut first_line = Vec::new();
            let mut ended = false;
            while !ended {
                let buf = r.fill_buf()?;
                if buf.is_empty() {
                    break;
                }
                any = true;
                let mut i = 0;
                while let Some(&b) = buf.get(i) {
                    if quote_seen {
                        quote_seen = false;
                        if b == b'"' {
                            // `""` inside quotes is one quote.
                            self.place.step(b);
                            i += 1;
                            continue;
                        }
                        in_quote = false;
                    }
                    if in_quote {
                        if b == b'"' {
                            quote_seen = true;
                        }
                    } else if b == b'\n' {
                        ended = true;
                        break;
                    } else if b == self.sep {
                        field_start = true;
                    } else if b == b'"' && field_start {
                        in_quote = true;
                        field_start = false;
                    } else {
                        field_start = false;
                    }
                    if self.place.line == self.record.line
                        && first_line.len() < CONTEXT_BYTES
                        && b != b'\n'
                        && b != b'\r'
                    {
                        first_line.push(b);
                    }
                    self.place.step(b);
                    i += 1;
                }
                self.record.push(buf.get(..i).unwrap_or(&[]));
                if ended {
                    self.place.step(b'\n');
                    i += 1;
                }
                r.consume(i);
            }
            if !any && self.record.size == 0 {
                return Ok(None);
            }
            if in_quote && !quote_seen {
                return Ok(Some(Piece {
                    index: self.record.line,
                    line: self.record.line,
                    column: 0,
                    body: Body::Broken {
                        why: Broken::UnterminatedQuote,
                        context: text_of(first_line),
                    },
                }));
            }
            if self.record.bytes.last() == Some(&b'\r') {
                self.record.bytes.pop();
                self.record.size -= 1;
            }
            if self.record.size == 0 {
                if ended {
                    continue;
                }
                return Ok(None);
            }
            let index = self.record.line;
            return Ok(Some(self.record.piece(index)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every piece of `text`, read through a tiny buffer: records cut
    /// across blocks must be cut the same.
    fn pieces<F>(mut next: F, text: &str) -> Vec<Piece>
    where
        F: FnMut(&mut io::BufReader<&[u8]>) -> Option<Piece>,
    {
        let mut r = io::BufReader::with_capacity(3, text.as_bytes());
        let mut out = Vec::new();
        while let Some(p) = next(&mut r) {
            out.push(p);
        }
        out
    }

    fn json(text: &str) -> Vec<Piece> {
        let mut s = JsonSplitter::default();
        pieces(|r| s.next(r).ok().flatten(), text)
    }

    fn texts(p: &[Piece]) -> Vec<String> {
        p.iter()
            .map(|p| match &p.body {
                Body::Text(t) => t.to_string(),
                other => format!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn arrays_are_cut_into_elements_with_their_places() {
        let text = "[\n  {\"a\": \"]}\\\"\"},\n  {\"b\": [1, {}]}, 7, \"x\" ]\n";
        let p = json(text);
        assert_eq!(
            texts(&p),
            ["{\"a\": \"]}\\\"\"}", "{\"b\": [1, {}]}", "7", "\"x\""]
        );
        assert_eq!((p[0].index, p[0].line, p[0].column), (0, 1, 2));
        assert_eq!((p[1].index, p[1].line, p[1].column), (1, 2, 2));
        assert_eq!((p[2].index, p[2].line, p[2].column), (2, 2, 18));
    }

    #[test]
    fn a_single_value_is_one_record() {
        let p = json("  {\"kind\": \"project\"}\n");
        assert_eq!(texts(&p), ["{\"kind\": \"project\"}\n"]);
        assert_eq!((p[0].line, p[0].column), (0, 2));
        assert_eq!(texts(&json("")), [""]);
        assert!(json("[]").is_empty());
    }

    #[test]
    fn broken_structure_is_said_where_and_stops() {
        let p = json("[{\"a\": 1} {\"b\": 2}]");
        assert_eq!(p.len(), 2);
        match &p[1].body {
            Body::Broken { why, context } => {
                assert_eq!(*why, Broken::Json(ErrorKind::ExpectedCommaOrBracket));
                assert_eq!(context, "[{\"a\": 1} {");
                assert_eq!(p[1].column, 0);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            json("[1,]").last().map(|p| &p.body),
            Some(Body::Broken {
                why: Broken::Json(ErrorKind::TrailingComma),
                ..
            })
        ));
        assert!(matches!(
            json("[1, 2").last().map(|p| &p.body),
            Some(Body::Broken {
                why: Broken::Json(ErrorKind::EofInArray),
                ..
            })
        ));
        assert!(matches!(
            json("[1] x").last().map(|p| &p.body),
            Some(Body::Broken {
                why: Broken::Json(ErrorKind::TrailingCharacters),
                ..
            })
        ));
    }

    #[test]
    fn a_record_beyond_the_cap_is_counted_not_kept() {
        let big = format!("[\"{}\", 1]", "x".repeat(MAX_RECORD_BYTES + 10));
        let p = json(&big);
        assert!(matches!(p[0].body, Body::TooLarge(n) if n == MAX_RECORD_BYTES as u64 + 12));
        assert_eq!(texts(&p[1..]), ["1"]);
    }

    #[test]
    fn lines_skip_blanks_and_keep_their_numbers() {
        let mut s = LineSplitter::default();
        let p = pieces(|r| s.next(r).ok().flatten(), "{}\r\n\n  \n{\"a\":1}");
        assert_eq!(texts(&p), ["{}", "{\"a\":1}"]);
        assert_eq!(p[1].index, 3);
    }

    #[test]
    fn lines_whole_in_the_buffer_are_cut_as_lines_across_buffers_are() {
        let text = "{}\r\n\n  \n{\"a\":\"聊城\"}\n \r\n\r\n[1]\r\n{\"b\": 2}";
        let read = |capacity: usize| {
            let mut s = LineSplitter::default();
            let mut r = io::BufReader::with_capacity(capacity, text.as_bytes());
            let mut out = Vec::new();
            while let Some(p) = s.next(&mut r).ok().flatten() {
                out.push((p.index, p.line, p.column, format!("{:?}", p.body)));
            }
            out
        };
        let whole = read(1 << 16);
        assert_eq!(whole.len(), 4, "{whole:?}");
        for capacity in [1, 2, 3, 5, 8, 13] {
            assert_eq!(read(capacity), whole, "a buffer of {capacity}");
        }
    }

    #[test]
    fn csv_records_span_quoted_line_breaks_and_open_quotes_are_reported() {
        let mut s = CsvSplitter::new(b',');
        let p = pieces(
            |r| s.next(r).ok().flatten(),
            "a,b\r\n\n\"x\ny\",\"say \"\"hi\"\"\"\nc,d\n\"open,e\nf,g\n",
        );
        assert_eq!(
            texts(&p[..3]),
            ["a,b", "\"x\ny\",\"say \"\"hi\"\"\"", "c,d"]
        );
        assert_eq!(p[1].index, 2);
        assert_eq!(p[2].index, 4);
        match &p[3].body {
            Body::Broken { why, context } => {
                assert_eq!(*why, Broken::UnterminatedQuote);
                assert_eq!(context, "\"open,e");
                assert_eq!(p[3].line, 5);
            }
            other => panic!("{other:?}"),
        }
    }
}
