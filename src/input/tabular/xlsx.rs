//! XLSX: every sheet whose first row is a header of field names, findings
//! placed at the cell.

use super::{resolve_header, row_record, CellValue, RowSource};
use crate::i18n::{msg, Lang};
use crate::input::Raw;
use crate::model::{Finding, LocatedFinding, Reserved};
use crate::pack::Pack;
use std::path::Path;

/// The records of every sheet of an XLSX file whose first row is a header of field names.
pub(crate) fn xlsx_records(pack: &Pack, file: &str, path: &Path, lang: Lang) -> Vec<(usize, Raw)> {
    use calamine::{Data, Reader};
    let hint = crate::input::kind_hint(
        pack,
        path.file_name().and_then(|f| f.to_str()).unwrap_or(file),
    );
    let mut workbook = match calamine::open_workbook_auto(path) {
        Ok(w) => w,
        Err(e) => {
            return vec![(
                0,
                Raw::Broken(Box::new(workbook_error(&e.to_string(), lang))),
            )]
        }
    };
    let known = |h: &str| {
        let h = h.trim();
        h == "kind"
            || pack
                .records
                .iter()
                .any(|r| resolve_header(Some(r), h) != h || r.field(h).is_some())
    };
    let mut out = Vec::new();
    for sheet in workbook.sheet_names() {
        let Ok(range) = workbook.worksheet_range(&sheet) else {
            continue;
        };
        let (row0, col0) = range
            .start()
            .map_or((0, 0), |(r, c)| (r as usize, c as usize));
        let mut rows = range.rows();
        let Some(header_row) = rows.next() else {
            continue;
        };
        // Columns before the used range's first column are empty.
        let mut headers: Vec<String> = vec![String::new(); col0];
        headers.extend(header_row.iter().map(|c| c.to_string()));
        if !headers.iter().any(|h| !h.trim().is_empty() && known(h)) {
            continue;
        }
        for (i, cells) in rows.enumerate() {
            let row = row0 + i + 2;
            let mut values: Vec<CellValue> =
                (0..col0).map(|_| CellValue::Text(String::new())).collect();
            values.extend(cells.iter().map(|c| match c {
                Data::Int(n) => CellValue::Number(*n as f64),
                Data::Float(f) => CellValue::Number(*f),
                Data::Bool(b) => CellValue::Bool(*b),
                Data::DateTime(d) => CellValue::ExcelDate(d.as_f64()),
                Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => {
                    CellValue::Text(s.clone())
                }
                Data::Error(e) => CellValue::Text(format!("#{e:?}")),
                Data::Empty => CellValue::Text(String::new()),
            }));
            if values.iter().all(|v| v.shown().trim().is_empty()) {
                continue;
            }
            out.push((
                row - 1,
                row_record(
                    pack,
                    &RowSource {
                        file,
                        sheet: Some(&sheet),
                        row,
                        line: None,
                    },
                    &headers,
                    values,
                    hint,
                    lang,
                ),
            ));
        }
    }
    out
}

fn workbook_error(reason: &str, lang: Lang) -> LocatedFinding {
    LocatedFinding::unlocated(Finding::input(
        Reserved::InputParse,
        msg::input::not_workbook(lang, reason),
        Some(msg::input::not_workbook_help(lang)),
        None,
    ))
}
