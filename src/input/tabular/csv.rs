//! CSV: one record per row under a header, each cell placed at its real
//! line and column. Rows stream: a file of any length is read in memory
//! bounded by its longest row.

use super::header::TitleIndex;
use super::sheet::{no_header_finding, SheetReader, SheetRow};
use super::values::CellValue;
use super::RowCells;
use crate::i18n::{msg, Lang};
use crate::input::stream::{Body, CsvSplitter, Piece};
use crate::input::Raw;
use crate::model::{Finding, LocatedFinding, Reserved};
use crate::pack::Pack;
use crate::source::Snippet;
use std::io::{self, BufRead};
use std::sync::Arc;

/// Byte ranges of the cells of the CSV record at the start of `text` (quotes excluded).
fn field_spans(text: &str, sep: u8) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let at_end =
        |i: usize| matches!(bytes.get(i), None | Some(b'\n' | b'\r')) || bytes.get(i) == Some(&sep);
    let mut spans = Vec::new();
    let mut i = 0;
    loop {
        if bytes.get(i) == Some(&b'"') {
            // A quoted cell runs to its closing quote ("" is an escaped quote).
            let open = i + 1;
            i = open;
            while let Some(b) = bytes.get(i) {
                if *b == b'"' {
                    if bytes.get(i + 1) == Some(&b'"') {
                        i += 2;
                        continue;
                    }
                    break;
                }
                i += 1;
            }
            spans.push((open, i.min(bytes.len())));
            i += 1;
            while !at_end(i) {
                i += 1;
            }
        } else {
            let begin = i;
            while !at_end(i) {
                i += 1;
            }
            spans.push((begin, i.min(bytes.len())));
        }
        if bytes.get(i) == Some(&sep) {
            i += 1;
            continue;
        }
        return spans;
    }
}

/// The separator a CSV file uses: of `,`, `;` and tab (Excel on Chinese
/// Windows may write any), the one its first lines hold most.
pub(crate) fn separator(text: &str) -> u8 {
    [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|s| {
            text.lines()
                .take(20)
                .map(|l| l.bytes().filter(|b| b == s).count())
                .max()
                .unwrap_or(0)
        })
        .unwrap_or(b',')
}

/// Reads the rows of a CSV stream as records, one row at a time.
pub(crate) struct CsvReader<'a> {
    file: &'a str,
    sep: u8,
    lang: Lang,
    index: &'a TitleIndex,
    splitter: CsvSplitter,
    cells: CellSplitter,
    sheet: Option<SheetReader<'a>>,
}

/// Splits one row into its cells with a CSV state machine built once per
/// file (building it costs more than splitting a typical row).
struct CellSplitter {
    core: csv_core::Reader,
    out: Vec<u8>,
    ends: Vec<usize>,
}

impl CellSplitter {
    fn new(sep: u8) -> Self {
        CellSplitter {
            core: csv_core::ReaderBuilder::new().delimiter(sep).build(),
            out: Vec::new(),
            ends: Vec::new(),
        }
    }

    /// The cells of the first record of `row`, unquoted; `None` if a cell
    /// is not UTF-8.
    fn split(&mut self, row: &[u8]) -> Option<Vec<String>> {
        use csv_core::ReadRecordResult as R;
        self.core.reset();
        // Unquoting never lengthens a row, so the output fits at once.
        self.out.resize(row.len().max(1), 0);
        self.ends.resize(16, 0);
        let (mut input, mut written, mut fields) = (row, 0, 0);
        loop {
            let (result, read, wrote, ended) =
                self.core
                    .read_record(input, &mut self.out[written..], &mut self.ends[fields..]);
            input = &input[read..];
            written += wrote;
            fields += ended;
            match result {
                // An empty input tells the machine the row has ended.
                R::InputEmpty => continue,
                R::OutputFull => self.out.resize(self.out.len() * 2 + 1, 0),
                R::OutputEndsFull => self.ends.resize(self.ends.len() * 2, 0),
                R::Record | R::End => break,
            }
        }
        let mut start = 0;
        self.ends[..fields]
            .iter()
            .map(|&end| {
                let cell = std::str::from_utf8(self.out.get(start..end)?).ok()?;
                start = end;
                Some(cell.to_string())
            })
            .collect()
    }
}

impl<'a> CsvReader<'a> {
    /// A reader of `file`, whose first block of text is `head` (for its separator).
    pub(crate) fn new(
        pack: &'a Pack,
        index: &'a TitleIndex,
        file: &'a str,
        head: &str,
        lang: Lang,
    ) -> Self {
        let hint = crate::input::kind_hint(pack, file);
        let sep = separator(head);
        CsvReader {
            file,
            sep,
            lang,
            index,
            splitter: CsvSplitter::new(sep),
            cells: CellSplitter::new(sep),
            sheet: Some(SheetReader::new(pack, index, file, None, hint, lang)),
        }
    }

    /// Reads the next row, adding its record (if it is one) to `out`;
    /// false at the end of the file (after what its end has to say).
    pub(crate) fn read(
        &mut self,
        r: &mut impl BufRead,
        out: &mut Vec<(usize, Raw)>,
    ) -> io::Result<bool> {
        match self.splitter.next(r)? {
            Some(piece) => {
                out.extend(self.row(piece));
                Ok(true)
            }
            None => {
                if let Some(Err(no)) = self.sheet.take().map(SheetReader::finish) {
                    let f = no_header_finding(self.index, self.file, None, &no, self.lang);
                    out.push((0, Raw::Broken(Box::new(f))));
                }
                Ok(false)
            }
        }
    }

    fn row(&mut self, piece: Piece) -> Option<(usize, Raw)> {
        let lang = self.lang;
        let line = piece.line + 1;
        let body = match piece.body {
            Body::Text(t) => t,
            Body::TooLarge(size) => {
                let f = Finding::input(
                    Reserved::InputParse,
                    msg::input::row_too_large(
                        lang,
                        &crate::text::size(size),
                        &crate::text::size(crate::input::stream::MAX_RECORD_BYTES as u64),
                    ),
                    Some(msg::input::too_large_help(lang)),
                    None,
                );
                let mut f = LocatedFinding::unlocated(f);
                f.line = Some(line);
                f.column = Some(1);
                f.row = Some(line);
                return Some((piece.index, Raw::Broken(Box::new(f))));
            }
            Body::Broken { context, .. } => {
                // A quote opened and never closed: the rest of the file would be one cell.
                let snippet = Arc::new(Snippet::part(self.file, Arc::from(context), piece.line, 0));
                let spans = field_spans(&snippet.text, self.sep);
                let (cell, span) = spans
                    .iter()
                    .enumerate()
                    .find(|(_, (s, _))| {
                        s.checked_sub(1)
                            .and_then(|q| snippet.text.as_bytes().get(q))
                            == Some(&b'"')
                    })
                    .map_or((0, (0, 1)), |(i, (s, _))| (i, (s - 1, *s)));
                let cells = RowCells {
                    file: self.file.to_string(),
                    sheet: None,
                    row: line,
                    cells: Vec::new(),
                    line: Some(snippet),
                    header: None,
                };
                let f = cells.at(
                    Finding::input(
                        Reserved::InputParse,
                        msg::input::unterminated_quote(lang, line),
                        Some(msg::input::unterminated_quote_help(lang)),
                        None,
                    ),
                    &super::column_letter(cell),
                    "\"",
                    Some(span),
                    None,
                );
                return Some((piece.index, Raw::Broken(Box::new(f))));
            }
        };
        let snippet = Arc::new(Snippet::part(self.file, body, piece.line, 0));
        let spans = field_spans(&snippet.text, self.sep);
        let Some(cells) = self.cells.split(snippet.text.as_bytes()) else {
            // A cell that is not UTF-8 cannot come out of a UTF-8 row split
            // at ASCII separators; said rather than assumed.
            let message = msg::input::not_csv(
                lang,
                &msg::input::reader_reason(lang, "invalid UTF-8 in a cell"),
            );
            let cells = RowCells {
                file: self.file.to_string(),
                sheet: None,
                row: line,
                cells: Vec::new(),
                line: Some(snippet.clone()),
                header: None,
            };
            let f = cells.at(
                Finding::input(Reserved::InputParse, message, None, None),
                "A",
                "",
                spans.first().copied(),
                None,
            );
            return Some((piece.index, Raw::Broken(Box::new(f))));
        };
        let cells = cells.into_iter().map(CellValue::Text).collect();
        let row = SheetRow {
            row: line,
            index: piece.index,
            cells,
            line: Some((snippet, spans)),
        };
        self.sheet.as_mut()?.push(row)
    }
}

#[cfg(test)]
mod tests {
    use super::CellSplitter;

    /// The cells as the `csv` crate's own reader splits the row.
    fn by_the_csv_crate(row: &str, sep: u8) -> Vec<String> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(sep)
            .from_reader(row.as_bytes());
        let mut record = csv::StringRecord::new();
        match reader.read_record(&mut record) {
            Ok(_) => record.iter().map(str::to_string).collect(),
            Err(e) => panic!("the csv crate refused {row:?}: {e}"),
        }
    }

    #[test]
    fn splits_quoted_and_empty_cells() {
        let mut s = CellSplitter::new(b',');
        assert_eq!(
            s.split(br#"a,"b,""c""",,"#).unwrap(),
            ["a", "b,\"c\"", "", ""]
        );
        assert_eq!(s.split(b"").unwrap(), Vec::<String>::new());
        assert_eq!(s.split("名称;面积".as_bytes()).unwrap(), ["名称;面积"]);
    }

    proptest::proptest! {
        /// Reusing one state machine splits every row as a fresh `csv`
        /// reader would, whatever came before.
        #[test]
        fn splits_rows_as_the_csv_crate_does(
            rows in proptest::collection::vec("[a\",;\t\r\n 名]{0,16}", 1..5),
            sep in proptest::sample::select(vec![b',', b';', b'\t']),
        ) {
            let mut s = CellSplitter::new(sep);
            for row in &rows {
                proptest::prop_assert_eq!(s.split(row.as_bytes()).unwrap(), by_the_csv_crate(row, sep));
            }
        }
    }
}
