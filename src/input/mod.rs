//! Inputs: submission text → typed records, each with how to place its findings.
//!
//! Input: the text (or, for a workbook, the file) of a submission and its
//! format. Output: one [`Item`] per record in file order: a [`Typed`] record
//! with the [`Locator`] that places its findings at the exact line and
//! column (or spreadsheet cell) of a value, or the one finding of a file,
//! line or row that cannot be read as a record. Input never evaluates a
//! rule; the driver ([`crate::run`]) does. Submissions are only ever read.
//!
//! Every file is read as a stream: its text is decoded block by block
//! (`decode`), cut into the text of each record (`stream`: array elements,
//! lines, rows), and each record's text is parsed (`json`) and typed
//! (`typing`) on its own, in parallel, so memory is bounded by the largest
//! record, never by the file.
//!
//! - `decode`: UTF-8, UTF-16 and GB18030 → UTF-8, as the bytes stream.
//! - `stream`: text → the text of each record, with where it starts.
//! - `json`: a record's text → values that keep their place and exact text.
//! - `typing`: a parsed record → a typed record and findings at its bytes.
//! - `locate`: JSON Pointers → byte spans, and the [`Locator`] of a record.
//! - `tabular`: CSV and workbook rows → the same JSON records, placed at cells.

mod decode;
pub mod json;
mod locate;
mod stream;
mod tabular;
mod typing;

pub use decode::{decode_all, Encoding};
pub use locate::{locate, Located, Locator};
pub use stream::MAX_RECORD_BYTES;
pub use tabular::{column_letter, number_text, percent_text, RowCells, EXAMPLE_MARK};
pub(crate) use typing::assert_direct_agrees;
pub use typing::{type_doc, type_text, ColumnNames, Settings, Typed};

use crate::i18n::{msg, Lang};
use crate::model::{Finding, LocatedFinding, Reserved};
use crate::pack::Pack;
use crate::source::Snippet;
use crate::units::Date;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;
use std::sync::Arc;
use stream::{Body, Broken, JsonSplitter, LineSplitter, Piece};

/// Submission file formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// One object or an array of objects.
    Json,
    /// One object per line.
    Jsonl,
    /// One record per row under a header naming fields.
    Csv,
    /// A workbook (`.xlsx`, `.xlsm`, `.xls`): every sheet with such a header.
    Workbook,
}

/// The format of a file by its extension, or `None` for files to skip.
/// Lock and temporary files of office programs (`~$report.xlsx`,
/// `.~lock.report.xlsx#`) are never submissions.
pub fn format_of(path: &Path) -> Option<Format> {
    let name = path.file_name()?.to_str()?;
    if is_office_lock(name) {
        return None;
    }
    match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
        "json" => Some(Format::Json),
        "jsonl" | "ndjson" => Some(Format::Jsonl),
        "csv" => Some(Format::Csv),
        "xlsx" | "xlsm" | "xls" => Some(Format::Workbook),
        _ => None,
    }
}

/// Whether a file name is a lock or owner file of Excel, WPS or LibreOffice.
pub fn is_office_lock(name: &str) -> bool {
    name.starts_with("~$") || (name.starts_with(".~lock.") && name.ends_with('#'))
}

/// The kind implied by a file name, for records without `kind`: the one
/// kind whose name (`*project*`, `*county*`), or a word of whose Chinese
/// label (`项目台账.xlsx` for 建设项目申请, `指标.csv` for 县（市、区）指标报告),
/// the file name holds.
pub fn kind_hint<'p>(pack: &'p Pack, file_name: &str) -> Option<&'p str> {
    let name = Path::new(file_name)
        .file_name()
        .and_then(|f| f.to_str())
        .unwrap_or(file_name);
    let lower = name.to_lowercase();
    let unique = |hits: Vec<&'p str>| match hits.as_slice() {
        [one] => Some(*one),
        _ => None,
    };
    let by_code: Vec<&str> = pack
        .records
        .iter()
        .filter(|r| lower.contains(&r.kind.to_lowercase()))
        .map(|r| r.kind.as_str())
        .collect();
    if !by_code.is_empty() {
        return unique(by_code);
    }
    // Two-character words of the Chinese labels that only one kind has.
    let words = |r: &crate::pack::RecordDef| -> Vec<String> {
        let label: Vec<char> = r
            .labels
            .as_ref()
            .map(|l| {
                l.zh.chars()
                    .filter(|c| !c.is_ascii() && c.is_alphanumeric())
                    .collect()
            })
            .unwrap_or_default();
        label.windows(2).map(|w| w.iter().collect()).collect()
    };
    let by_label: Vec<&str> = pack
        .records
        .iter()
        .filter(|r| {
            words(r).iter().any(|w| {
                lower.contains(w.as_str())
                    && pack
                        .records
                        .iter()
                        .filter(|o| o.kind != r.kind)
                        .all(|o| !words(o).contains(w))
            })
        })
        .map(|r| r.kind.as_str())
        .collect();
    unique(by_label)
}

/// How a record is read: the settings every record of a file shares.
#[derive(Clone, Copy, Debug)]
pub struct ReadOptions<'a> {
    /// The kind implied by the file name, for records without `kind`.
    pub hint: Option<&'a str>,
    /// `--date`: records need no date of their own.
    pub date: Option<Date>,
    /// The language of findings.
    pub lang: Lang,
}

/// One record's input before typing, and how to point into it.
pub enum Raw {
    /// The JSON text of one record (a whole `.json` file, an element of its
    /// array, or a line of a `.jsonl` file), placed where it lies in the file.
    Json(Arc<Snippet>),
    /// A spreadsheet row.
    Row {
        /// The row as the JSON object a `.json` submission would hold.
        value: serde_json::Value,
        /// Its cells, for placing findings.
        row: Arc<RowCells>,
        /// Fields named as the user wrote the columns, for messages.
        names: Arc<ColumnNames>,
        /// Findings about the sheet's header given to this record, placed.
        extra: Vec<LocatedFinding>,
        /// Fields given in two columns of the row (each reported in
        /// `extra`): invalid, checked without either value.
        given_twice: Vec<String>,
    },
    /// Input that could not be read as a record.
    Broken(Box<LocatedFinding>),
}

/// One record, read and typed.
pub enum Item {
    /// A record typed against the pack (possibly invalid as a whole).
    Typed {
        /// The typing result.
        typed: Typed,
        /// How its findings are placed.
        locator: Locator,
        /// Findings already placed (about a spreadsheet's header).
        extra: Vec<LocatedFinding>,
    },
    /// Input that could not be read as a record, with its one finding.
    Broken(Box<LocatedFinding>),
}

/// How many records are read and checked together: enough to keep every
/// thread busy, few enough that memory stays flat. Small chunks are also
/// faster: a chunk's texts, records and reports stay in the processor's
/// caches from reading to writing (issue 15: on the benchmark batch 512
/// took 8 % less time and half the memory of 4096, for any `--jobs`).
pub const CHUNK_RECORDS: usize = 512;

/// How many bytes of record text a chunk holds at most.
const CHUNK_BYTES: usize = 16 << 20;

/// The records of a text file (`.json`, `.jsonl`, CSV), read as a stream
/// and handed out in chunks, in file order.
pub struct TextRecords<'a, R: Read> {
    /// The file's name, shared by the snippet of every record.
    name: Arc<str>,
    lang: Lang,
    reader: BufReader<decode::Decoded<R>>,
    split: Split<'a>,
    done: bool,
}

/// How a text is cut into records.
enum Split<'a> {
    Json(JsonSplitter),
    Lines(LineSplitter),
    Csv(Box<tabular::CsvReader<'a>>),
    /// The file cannot be read as text of its kind: this one finding.
    Refused(Option<Box<LocatedFinding>>),
}

impl<'a, R: Read> TextRecords<'a, R> {
    /// Opens the text of `name` in `format` (not a workbook) from `source`.
    pub fn new(
        pack: &'a Pack,
        titles: Option<&'a tabular::TitleIndex>,
        name: &'a str,
        source: R,
        format: Format,
        lang: Lang,
    ) -> io::Result<Self> {
        let decoded = decode::Decoded::new(source)?;
        let encoding = decoded.encoding();
        let mut reader = BufReader::with_capacity(1 << 16, decoded);
        let refuse = |f: LocatedFinding| Split::Refused(Some(Box::new(f)));
        let split = match (format, encoding) {
            // Text that needs a byte-order mark to be read, and has none.
            (_, Encoding::Utf16NoMark) => refuse(encoding_finding(lang, false)),
            // JSON Lines are UTF-8 by definition: say so rather than guess.
            (Format::Jsonl, Encoding::Utf16) => refuse(encoding_finding(lang, true)),
            (Format::Json, _) => Split::Json(JsonSplitter::default()),
            (Format::Jsonl, _) => Split::Lines(LineSplitter::default()),
            (Format::Csv, _) => match titles {
                Some(titles) => {
                    let head = String::from_utf8_lossy(reader.fill_buf()?).into_owned();
                    Split::Csv(Box::new(tabular::CsvReader::new(
                        pack, titles, name, &head, lang,
                    )))
                }
                // A caller's mistake, not the file's: said rather than skipped.
                None => refuse(LocatedFinding::unlocated(Finding::input(
                    Reserved::InputParse,
                    msg::input::no_titles(lang),
                    None,
                    None,
                ))),
            },
            // A workbook is binary: it is read from its file, never from text.
            (Format::Workbook, _) => refuse(LocatedFinding::unlocated(Finding::input(
                Reserved::InputParse,
                msg::input::workbook_from_text(lang),
                None,
                None,
            ))),
        };
        Ok(TextRecords {
            name: name.into(),
            lang,
            reader,
            split,
            done: false,
        })
    }

    /// Whether the text has ended: the next chunk would be `None`. (A text
    /// that ends exactly at a chunk's end is known to only on the next.)
    pub fn finished(&self) -> bool {
        self.done
    }

    /// The next chunk of records, `None` after the last.
    pub fn next_chunk(&mut self) -> io::Result<Option<Vec<(usize, Raw)>>> {
        if self.done {
            return Ok(None);
        }
        let mut chunk = Vec::new();
        let mut bytes = 0usize;
        // The chunk's records share a copy of the file's name of their own:
        // a chunk is read and checked on one thread, and a reference count
        // shared by every chunk would be written from every core.
        let name: Arc<str> = Arc::from(&*self.name);
        while chunk.len() < CHUNK_RECORDS && bytes < CHUNK_BYTES {
            let piece = match &mut self.split {
                Split::Refused(f) => {
                    self.done = true;
                    chunk.extend(f.take().map(|f| (0, Raw::Broken(f))));
                    break;
                }
                Split::Csv(csv) => {
                    let before = chunk.len();
                    if !csv.read(&mut self.reader, &mut chunk)? {
                        self.done = true;
                        break;
                    }
                    bytes += chunk.get(before..).map_or(0, |c| c.len() * 256);
                    continue;
                }
                Split::Json(s) => s.next(&mut self.reader)?,
                Split::Lines(s) => s.next(&mut self.reader)?,
            };
            let Some(piece) = piece else {
                self.done = true;
                break;
            };
            if let Body::Text(t) = &piece.body {
                bytes += t.len();
            }
            let stop = matches!(piece.body, Body::Broken { .. });
            chunk.push((piece.index, self.raw(&name, piece)));
            if stop {
                self.done = true;
                break;
            }
        }
        Ok((!chunk.is_empty() || !self.done).then_some(chunk))
    }

    /// A piece of JSON text as a raw record of the file `name`.
    fn raw(&self, name: &Arc<str>, piece: Piece) -> Raw {
        let lang = self.lang;
        match piece.body {
            Body::Text(text) => Raw::Json(Arc::new(Snippet::part(
                name.clone(),
                text,
                piece.line,
                piece.column,
            ))),
            Body::TooLarge(size) => {
                let f = Finding::input(
                    Reserved::InputParse,
                    msg::input::json_too_large(
                        lang,
                        &crate::text::size(size),
                        &crate::text::size(MAX_RECORD_BYTES as u64),
                    ),
                    Some(msg::input::too_large_help(lang)),
                    None,
                );
                let mut f = LocatedFinding::unlocated(f);
                f.line = Some(piece.line + 1);
                f.column = Some(piece.column + 1);
                Raw::Broken(Box::new(f))
            }
            Body::Broken { why, context } => {
                let kind = match why {
                    Broken::Json(kind) => kind,
                    Broken::UnterminatedQuote => json::ErrorKind::EofInString,
                };
                let snippet = Arc::new(Snippet::part(
                    name.clone(),
                    Arc::from(context),
                    piece.line,
                    piece.column,
                ));
                // The place is the last character of the context (or just after it).
                let at = snippet.text.char_indices().last().map_or(0, |(i, _)| i);
                Raw::Broken(Box::new(parse_failure(
                    &snippet,
                    json::Error { kind, offset: at },
                    lang,
                )))
            }
        }
    }
}

/// A text that is UTF-16 where UTF-8 is needed (`marked`: with a byte-order mark).
fn encoding_finding(lang: Lang, marked: bool) -> LocatedFinding {
    let mut f = LocatedFinding::unlocated(Finding::input(
        Reserved::InputParse,
        if marked {
            msg::input::utf16_marked(lang)
        } else {
            msg::input::utf16_unmarked(lang)
        },
        Some(msg::input::utf16_help(lang)),
        None,
    ));
    f.line = Some(1);
    f.column = Some(1);
    f
}

/// The records of the workbook at `path`, handed to `sink` in chunks
/// (reading stops when `sink` returns false).
pub fn workbook_records(
    pack: &Pack,
    name: &str,
    path: &Path,
    lang: Lang,
    sink: &mut dyn FnMut(Vec<(usize, Raw)>) -> bool,
) {
    tabular::workbook_records(pack, name, path, lang, sink);
}

/// The index of names a spreadsheet header may give fields, built at the
/// first table a pack reads and kept with the pack (only tables need it).
pub fn titles(pack: &Pack) -> Arc<tabular::TitleIndex> {
    pack.derived.get_or_init(|| tabular::TitleIndex::new(pack))
}

pub use tabular::TitleIndex;

/// Types one raw record.
pub fn type_raw(pack: &Pack, raw: Raw, ro: &ReadOptions<'_>) -> Item {
    let settings = |names, given_twice| Settings {
        hint: ro.hint,
        date: ro.date,
        lang: ro.lang,
        names,
        given_twice,
    };
    match raw {
        Raw::Broken(f) => Item::Broken(f),
        Raw::Json(snippet) => match type_text(pack, &snippet.text, &settings(None, &[])) {
            Ok(typed) => Item::Typed {
                typed,
                locator: Locator::Json(snippet),
                extra: Vec::new(),
            },
            Err(e) => Item::Broken(Box::new(parse_failure(&snippet, e, ro.lang))),
        },
        Raw::Row {
            value,
            row,
            names,
            extra,
            given_twice,
        } => {
            // A row is typed as the JSON record it stands for: one engine for every format.
            let text = value.to_string();
            let typed = match type_text(pack, &text, &settings(Some(&names), &given_twice)) {
                Ok(t) => t,
                // The text was written by serde_json: it is always JSON.
                Err(e) => {
                    let snippet = Arc::new(Snippet::file("row", Arc::from(text.as_str())));
                    return Item::Broken(Box::new(parse_failure(&snippet, e, ro.lang)));
                }
            };
            // Findings of a row are placed at cells, by pointer: the bytes are of the JSON text.
            let typed = Typed {
                findings: typed
                    .findings
                    .into_iter()
                    .map(|mut f| {
                        f.span = None;
                        f
                    })
                    .collect(),
                ..typed
            };
            Item::Typed {
                typed,
                locator: Locator::Row(row),
                extra,
            }
        }
    }
}

/// Why a record's text is not JSON, in words.
fn json_reason(kind: json::ErrorKind, lang: Lang) -> String {
    use json::ErrorKind as K;
    match kind {
        K::Eof => msg::input::json_eof_value(lang),
        K::EofInObject => msg::input::json_eof_object(lang),
        K::EofInArray => msg::input::json_eof_array(lang),
        K::EofInString => msg::input::json_eof_string(lang),
        K::ExpectedValue => msg::input::json_expected_value(lang),
        K::ExpectedColon => msg::input::json_expected_colon(lang),
        K::ExpectedCommaOrBracket => msg::input::json_expected_comma_bracket(lang),
        K::ExpectedCommaOrBrace => msg::input::json_expected_comma_brace(lang),
        K::KeyMustBeString => msg::input::json_key_string(lang),
        K::TrailingComma => msg::input::json_trailing_comma(lang),
        K::TrailingCharacters => msg::input::json_trailing_characters(lang),
        K::ControlCharacter => msg::input::json_control_character(lang),
        K::InvalidEscape => msg::input::json_invalid_escape(lang),
        K::LoneSurrogate => msg::input::json_lone_surrogate(lang),
        K::InvalidNumber => msg::input::json_invalid_number(lang),
        K::TooDeep => msg::input::json_too_deep(lang, json::MAX_DEPTH),
    }
}

/// A record (or file, or line) that is not valid JSON: the finding at the error.
fn parse_failure(snippet: &Arc<Snippet>, e: json::Error, lang: Lang) -> LocatedFinding {
    let text = &snippet.text;
    let mut offset = e.offset.min(text.len());
    // At the end of the text, point at its last character: a label needs one.
    if offset == text.len() {
        offset = text.trim_end().char_indices().last().map_or(0, |(i, _)| i);
    }
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let end = text
        .get(offset..)
        .and_then(|r| r.chars().next())
        .map_or(offset, |c| offset + c.len_utf8());
    let finding = Finding::input(
        Reserved::InputParse,
        msg::input::not_json(lang, &json_reason(e.kind, lang)),
        Some(msg::input::not_json_help(lang)),
        None,
    );
    LocatedFinding::at(finding, snippet, offset, end, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_say_the_kind_in_english_or_chinese() {
        let pack = crate::load::embedded().unwrap_or_else(|e| panic!("{:?}", e.errors));
        assert_eq!(kind_hint(&pack, "data/projects-2018.csv"), Some("project"));
        assert_eq!(kind_hint(&pack, "冠县2018年指标.xlsx"), Some("county"));
        assert_eq!(kind_hint(&pack, "项目台账.xlsx"), Some("project"));
        assert_eq!(kind_hint(&pack, "data.csv"), None);
        assert_eq!(kind_hint(&pack, "project-and-county.csv"), None);
    }

    #[test]
    fn the_title_index_is_built_once_per_pack_and_anew_after_reindex() {
        let mut pack = crate::load::embedded().unwrap_or_else(|e| panic!("{:?}", e.errors));
        let first = titles(&pack);
        assert!(Arc::ptr_eq(&first, &titles(&pack)));
        // Another type has a slot of its own beside the index.
        assert_eq!(*pack.derived.get_or_init(|| 7u8), 7);
        assert_eq!(*pack.derived.get_or_init(|| 8u8), 7);
        assert!(Arc::ptr_eq(&first, &titles(&pack)));
        pack.reindex();
        assert!(!Arc::ptr_eq(&first, &titles(&pack)));
    }

    #[test]
    fn lock_files_are_not_submissions() {
        assert_eq!(format_of(Path::new("a/~$report.xlsx")), None);
        assert_eq!(format_of(Path::new("a/.~lock.report.xlsx#")), None);
        assert_eq!(format_of(Path::new("a/report.XLS")), Some(Format::Workbook));
    }
}
