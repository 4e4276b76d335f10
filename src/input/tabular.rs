//! CSV and XLSX: one record per row under a header of dotted field paths
//! (or the field titles `plancheck schema` gives), findings at the cell.
//!
//! A row becomes the same JSON object a `.json` submission would hold, so
//! typing and evaluation are shared; only the places differ: a finding
//! points at the cell (`Sheet1!D7`) and shows the cell's content.

use super::Raw;
use crate::eval::{Finding, Outcome, Severity};
use crate::pack::{Lang, Pack, RecordDef, Type};
use crate::report::LocatedFinding;
use crate::source::Snippet;
use serde_json::{Map, Value};
use std::path::Path;
use std::sync::Arc;

/// Text of a file exported by a spreadsheet: UTF-8 (with or without a BOM),
/// UTF-16 with a BOM, or else GB18030 (which covers GBK and GB2312), as
/// Excel on Chinese Windows writes CSV.
pub fn decode_text(bytes: &[u8]) -> String {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(bytes.get(bom..).unwrap_or(&[]));
        return text.into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => {
            let (text, _, _) = encoding_rs::GB18030.decode(bytes);
            text.into_owned()
        }
    }
}

/// The spreadsheet letters of a 0-based column: 0 → `A`, 26 → `AA`.
pub fn column_letter(mut col: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + u8::try_from(col % 26).unwrap_or(0));
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// One cell of a row.
#[derive(Debug)]
pub struct Cell {
    /// The dotted path its header names (resolved for the row's kind).
    pub path: String,
    /// Column letters.
    pub letter: String,
    /// The cell's content as shown.
    pub text: String,
}

/// A row's cells, for locating findings.
#[derive(Debug)]
pub struct RowCells {
    /// The file as the user named it.
    pub file: String,
    /// The sheet, for XLSX.
    pub sheet: Option<String>,
    /// 1-based row.
    pub row: usize,
    /// Non-empty cells with their paths.
    pub cells: Vec<Cell>,
}

impl RowCells {
    fn reference(&self, letter: &str) -> String {
        match &self.sheet {
            Some(s) => format!("{s}!{letter}{}", self.row),
            None => format!("{letter}{}", self.row),
        }
    }

    fn snippet(&self, reference: &str, text: &str) -> Arc<Snippet> {
        // An empty cell still needs a character to point at.
        let text = if text.is_empty() { " " } else { text };
        Arc::new(Snippet {
            name: format!("{} {reference}", self.file),
            text: Arc::from(text),
            first_line: self.row.saturating_sub(1),
        })
    }

    /// Places a finding at its cell.
    pub fn locate(&self, finding: Finding, lang: Lang) -> LocatedFinding {
        let path = finding
            .pointer
            .as_deref()
            .map(|p| p.trim_start_matches('/').replace('/', "."))
            .unwrap_or_default();
        let exact = self
            .cells
            .iter()
            .find(|c| !path.is_empty() && c.path == path);
        // A waiver entry `/waivers/1` lies in the `waivers` cell.
        let within = exact.or_else(|| {
            self.cells
                .iter()
                .find(|c| !path.is_empty() && path.starts_with(&format!("{}.", c.path)))
        });
        let (cell, label) = match within {
            Some(c) => (c, None),
            None => {
                let label = (!path.is_empty()).then(|| match lang {
                    Lang::Zh => format!("本行没有 `{path}` 的数据"),
                    Lang::En => format!("this row has no value for `{path}`"),
                });
                match self.cells.first() {
                    Some(c) => (c, label),
                    None => {
                        let reference = self.reference("A");
                        let snippet = self.snippet(&reference, "");
                        let mut f = LocatedFinding::at(finding, &snippet, 0, 1, label);
                        f.row = Some(self.row);
                        f.cell = Some(reference);
                        return f;
                    }
                }
            }
        };
        let reference = self.reference(&cell.letter);
        let snippet = self.snippet(&reference, &cell.text);
        let end = snippet.text.len();
        let mut f = LocatedFinding::at(finding, &snippet, 0, end, label);
        f.row = Some(self.row);
        f.cell = Some(reference);
        f
    }
}

/// A cell value before it is given to typing.
enum CellValue {
    Text(String),
    Number(f64),
    Bool(bool),
    /// An Excel date (days since 1899-12-30).
    ExcelDate(f64),
}

impl CellValue {
    fn shown(&self) -> String {
        match self {
            CellValue::Text(s) => s.clone(),
            CellValue::Number(n) | CellValue::ExcelDate(n) => number_text(*n),
            CellValue::Bool(b) => b.to_string(),
        }
    }
}

fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{n:.0}")
    } else {
        // The shortest text that reads back as the same double.
        serde_json::Number::from_f64(n).map_or_else(|| n.to_string(), |x| x.to_string())
    }
}

/// The path a header names for records of `def`: a dotted path, or a field's title.
fn resolve_header(def: Option<&RecordDef>, header: &str) -> String {
    let h = header.trim();
    let Some(def) = def else { return h.to_string() };
    if h == "kind" || def.field(h).is_some() {
        return h.to_string();
    }
    let by_title = def.fields.iter().find(|f| {
        f.labels.as_ref().is_some_and(|l| {
            l.zh == h || l.en.eq_ignore_ascii_case(h) || format!("{} / {}", l.zh, l.en) == h
        })
    });
    by_title.map_or_else(|| h.to_string(), |f| f.path.clone())
}

/// The JSON value of a cell for a field of type `ty`.
fn cell_json(v: &CellValue, ty: Option<(&Type, bool)>) -> Value {
    match (v, ty) {
        (CellValue::Bool(b), _) => Value::Bool(*b),
        (CellValue::Text(s), Some((Type::Bool, _))) => match s.trim().to_lowercase().as_str() {
            "true" | "是" | "yes" | "y" | "1" => Value::Bool(true),
            "false" | "否" | "no" | "n" | "0" => Value::Bool(false),
            _ => Value::String(s.clone()),
        },
        (CellValue::Text(s), Some((Type::Num(_), true))) => s
            .trim()
            .parse::<i64>()
            .map_or_else(|_| Value::String(s.clone()), |n| Value::Number(n.into())),
        (CellValue::Text(s), Some((Type::Waivers, _))) => {
            serde_json::from_str(s).unwrap_or_else(|_| Value::String(s.clone()))
        }
        (CellValue::Text(s), _) => Value::String(s.clone()),
        (CellValue::ExcelDate(d), Some((Type::Date, _))) => {
            excel_date(*d).map_or_else(|| Value::String(number_text(*d)), Value::String)
        }
        (
            CellValue::Number(n) | CellValue::ExcelDate(n),
            Some((Type::Text | Type::Enum(_) | Type::Date, _)),
        ) => Value::String(number_text(*n)),
        (CellValue::Number(n) | CellValue::ExcelDate(n), _) => {
            serde_json::from_str::<Value>(&number_text(*n)).unwrap_or(Value::Null)
        }
    }
}

/// An Excel serial day as `YYYY-MM-DD`.
fn excel_date(serial: f64) -> Option<String> {
    let days = serial.floor() as i64;
    let base = jiff::civil::date(1899, 12, 30);
    base.checked_add(jiff::Span::new().days(days))
        .ok()
        .map(|d| d.to_string())
}

/// Sets `value` at dotted `path` in `obj`.
fn insert_path(obj: &mut Map<String, Value>, path: &str, value: Value) {
    let mut node = obj;
    let mut segs = path.split('.').peekable();
    while let Some(seg) = segs.next() {
        if segs.peek().is_none() {
            node.insert(seg.to_string(), value);
            return;
        }
        let entry = node
            .entry(seg.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        if !entry.is_object() {
            *entry = Value::Object(Map::new());
        }
        match entry {
            Value::Object(m) => node = m,
            _ => return,
        }
    }
}

/// The kind of a row: its `kind` cell, else the kind the file name implies.
fn row_kind<'p>(
    pack: &'p Pack,
    headers: &[String],
    cells: &[CellValue],
    hint: Option<&str>,
) -> Option<&'p RecordDef> {
    let kind = headers
        .iter()
        .position(|h| h.trim() == "kind")
        .and_then(|i| cells.get(i))
        .map(CellValue::shown)
        .filter(|k| !k.trim().is_empty());
    let kind = kind.as_deref().or(hint)?;
    pack.record(kind.trim()).map(|(_, d)| d)
}

/// Builds the raw record of one row.
#[expect(clippy::too_many_arguments, reason = "one row's full context")]
fn row_record(
    pack: &Pack,
    file: &str,
    sheet: Option<&str>,
    row: usize,
    headers: &[String],
    cells: Vec<CellValue>,
    hint: Option<&str>,
    lang: Lang,
) -> Raw {
    let def = row_kind(pack, headers, &cells, hint);
    let mut obj = Map::new();
    let mut located = Vec::new();
    if cells.len() > headers.len()
        && cells
            .iter()
            .skip(headers.len())
            .any(|c| !c.shown().trim().is_empty())
    {
        let letter = column_letter(headers.len());
        let rc = RowCells {
            file: file.to_string(),
            sheet: sheet.map(str::to_string),
            row,
            cells: Vec::new(),
        };
        let reference = rc.reference(&letter);
        let text = cells
            .get(headers.len())
            .map(CellValue::shown)
            .unwrap_or_default();
        let snippet = rc.snippet(&reference, &text);
        let message = match lang {
            Lang::Zh => format!(
                "此行有 {} 个单元格，多于表头的 {} 列",
                cells.len(),
                headers.len()
            ),
            Lang::En => format!(
                "this row has {} cells but the header has {} columns",
                cells.len(),
                headers.len()
            ),
        };
        let help = Some(match lang {
            Lang::Zh => "检查是否有多余的分隔符或未加引号的逗号；本行未被检查".to_string(),
            Lang::En => "look for a stray separator or an unquoted comma; this row was not checked"
                .to_string(),
        });
        let finding = Finding::input("input.parse", Severity::Error, message, help, None);
        let mut f = LocatedFinding::at(finding, &snippet, 0, snippet.text.len(), None);
        f.row = Some(row);
        f.cell = Some(reference);
        return Raw::Broken(Box::new(f));
    }
    for (i, (header, cell)) in headers.iter().zip(cells.iter()).enumerate() {
        let shown = cell.shown();
        if header.trim().is_empty() || (matches!(cell, CellValue::Text(s) if s.trim().is_empty())) {
            continue;
        }
        let path = resolve_header(def, header);
        let ty = def
            .and_then(|d| d.field(&path).and_then(|f| d.get(f)))
            .map(|f| (&f.ty, f.is_year));
        insert_path(&mut obj, &path, cell_json(cell, ty));
        located.push(Cell {
            path,
            letter: column_letter(i),
            text: shown,
        });
    }
    let row_cells = Arc::new(RowCells {
        file: file.to_string(),
        sheet: sheet.map(str::to_string),
        row,
        cells: located,
    });
    Raw::Row {
        value: Value::Object(obj),
        row: row_cells,
    }
}

/// The records of a CSV text; `index` is the 0-based row (the header is row 0).
pub(crate) fn csv_records(pack: &Pack, file: &str, text: &str, lang: Lang) -> Vec<(usize, Raw)> {
    let hint = super::kind_hint(
        pack,
        Path::new(file)
            .file_name()
            .and_then(|f| f.to_str())
            .unwrap_or(file),
    );
    // Excel on Chinese Windows may write `;` or tab separated files; take the separator the header uses most.
    let first_line = text.lines().next().unwrap_or("");
    let sep = [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|s| first_line.bytes().filter(|b| b == s).count())
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(sep)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    let mut headers: Option<Vec<String>> = None;
    for (i, result) in reader.records().enumerate() {
        let row = i + 1;
        match result {
            Err(e) => {
                let rc = RowCells {
                    file: file.to_string(),
                    sheet: None,
                    row,
                    cells: Vec::new(),
                };
                let reference = rc.reference("A");
                let snippet = rc.snippet(&reference, "");
                let finding = Finding {
                    rule: "input.parse".into(),
                    outcome: Outcome::Invalid,
                    severity: Severity::Error,
                    message: match lang {
                        Lang::Zh => format!("不是有效的 CSV 行：{e}"),
                        Lang::En => format!("not a valid CSV row: {e}"),
                    },
                    help: None,
                    pointer: None,
                    numbers: None,
                };
                let mut f = LocatedFinding::at(finding, &snippet, 0, 1, None);
                f.row = Some(row);
                f.cell = Some(reference);
                out.push((i, Raw::Broken(Box::new(f))));
            }
            Ok(record) => {
                let cells: Vec<String> = record.iter().map(str::to_string).collect();
                match &headers {
                    None => headers = Some(cells),
                    Some(h) => {
                        if cells.iter().all(|c| c.trim().is_empty()) {
                            continue;
                        }
                        let values = cells.into_iter().map(CellValue::Text).collect();
                        out.push((i, row_record(pack, file, None, row, h, values, hint, lang)));
                    }
                }
            }
        }
    }
    out
}

/// The records of every sheet of an XLSX file whose first row is a header of field names.
pub(crate) fn xlsx_records(pack: &Pack, file: &str, path: &Path, lang: Lang) -> Vec<(usize, Raw)> {
    use calamine::{Data, Reader};
    let hint = super::kind_hint(
        pack,
        path.file_name().and_then(|f| f.to_str()).unwrap_or(file),
    );
    let mut workbook = match calamine::open_workbook_auto(path) {
        Ok(w) => w,
        Err(e) => {
            return vec![(
                0,
                Raw::Broken(Box::new(workbook_error(file, &e.to_string(), lang))),
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
                row_record(pack, file, Some(&sheet), row, &headers, values, hint, lang),
            ));
        }
    }
    out
}

fn workbook_error(file: &str, reason: &str, lang: Lang) -> LocatedFinding {
    let finding = Finding {
        rule: "input.parse".into(),
        outcome: Outcome::Invalid,
        severity: Severity::Error,
        message: match lang {
            Lang::Zh => format!("无法读取 Excel 工作簿：{reason}"),
            Lang::En => format!("cannot read the Excel workbook: {reason}"),
        },
        help: Some(match lang {
            Lang::Zh => "用 Excel 另存为 .xlsx 后重试".to_string(),
            Lang::En => "save it again as .xlsx and retry".to_string(),
        }),
        pointer: None,
        numbers: None,
    };
    let _ = file;
    LocatedFinding::unlocated(finding)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(3), "D");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }

    #[test]
    fn decodes_bom_utf8_and_gb18030() {
        assert_eq!(decode_text(b"\xEF\xBB\xBFkind"), "kind");
        let (gbk, _, _) = encoding_rs::GB18030.encode("用地面积,临清市");
        assert_eq!(decode_text(&gbk), "用地面积,临清市");
        assert_eq!(decode_text("临清市".as_bytes()), "临清市");
    }

    #[test]
    fn excel_serial_days() {
        assert_eq!(excel_date(42736.0).as_deref(), Some("2017-01-01"));
    }
}
