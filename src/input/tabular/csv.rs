//! CSV: one record per row under a header, each cell placed at its real
//! line and column.

use super::header::TitleIndex;
use super::sheet::{no_header_finding, SheetReader, SheetRow};
use super::values::CellValue;
use super::RowCells;
use crate::i18n::{msg, Lang};
use crate::input::Raw;
use crate::model::{Finding, Reserved};
use crate::pack::Pack;
use crate::source::Snippet;
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
fn separator(text: &str) -> u8 {
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

/// The records of a CSV text; `index` is the 0-based line of the row (the
/// header is line 0, blank lines counted) and `row` its 1-based line.
pub(crate) fn csv_records(pack: &Pack, file: &str, text: &str, lang: Lang) -> Vec<(usize, Raw)> {
    let hint = crate::input::kind_hint(pack, file);
    let sep = separator(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(sep)
        .from_reader(text.as_bytes());
    // Each record with the byte and line where it starts.
    let mut rows: Vec<(usize, usize, Result<csv::StringRecord, csv::Error>)> = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        let (byte, line) = (reader.position().byte(), reader.position().line());
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let (b, l) = record
                    .position()
                    .map_or((byte, line), |p| (p.byte(), p.line()));
                rows.push((
                    usize::try_from(b).unwrap_or(0),
                    usize::try_from(l).unwrap_or(1),
                    Ok(record.clone()),
                ));
            }
            Err(e) => {
                let stuck = reader.position().byte() == byte;
                rows.push((
                    usize::try_from(byte).unwrap_or(0),
                    usize::try_from(line).unwrap_or(1),
                    Err(e),
                ));
                // A reader that cannot move past the error has nothing more to give.
                if stuck {
                    break;
                }
            }
        }
    }
    // The reader reports a record where it began reading, before any blank
    // lines it skipped: move to the record's first character.
    for (byte, line, _) in rows.iter_mut() {
        while let Some(c) = text
            .as_bytes()
            .get(*byte)
            .filter(|c| matches!(c, b'\n' | b'\r'))
        {
            if *c == b'\n' {
                *line += 1;
            }
            *byte += 1;
        }
    }
    let index = TitleIndex::new(pack);
    let mut sheet = SheetReader::new(pack, &index, file, None, hint, lang);
    let mut out = Vec::new();
    for (k, (byte, line, result)) in rows.iter().enumerate() {
        // The row's text runs to the start of the next record.
        let end = rows
            .get(k + 1)
            .map_or(text.len(), |next| next.0)
            .clamp(*byte, text.len());
        let body = text
            .get(*byte..end)
            .unwrap_or("")
            .trim_end_matches(['\n', '\r']);
        let snippet = Arc::new(Snippet {
            name: file.to_string(),
            text: Arc::from(body),
            first_line: line.saturating_sub(1),
        });
        let spans = field_spans(&snippet.text, sep);
        let index = line.saturating_sub(1);
        match result {
            Err(e) => {
                let message =
                    msg::input::not_csv(lang, &msg::input::reader_reason(lang, &e.to_string()));
                let cells = RowCells {
                    file: file.to_string(),
                    sheet: None,
                    row: *line,
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
                out.push((index, Raw::Broken(Box::new(f))));
            }
            Ok(record) => {
                let cells = record
                    .iter()
                    .map(|c| CellValue::Text(c.to_string()))
                    .collect();
                let row = SheetRow {
                    row: *line,
                    index,
                    cells,
                    line: Some((snippet, spans)),
                };
                out.extend(sheet.push(row));
            }
        }
    }
    if let Err(no) = sheet.finish() {
        let f = no_header_finding(&index, file, None, &no, lang);
        out.insert(0, (0, Raw::Broken(Box::new(f))));
    }
    out
}
