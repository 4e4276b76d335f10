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
    /// Its bytes in the row's line of text (CSV).
    pub span: Option<(usize, usize)>,
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
    /// The cells under a header, empty ones included.
    pub cells: Vec<Cell>,
    /// The row's text with its first line (CSV), so a finding shows the row
    /// with the cell underlined at its real line and column.
    pub line: Option<Arc<Snippet>>,
}

impl RowCells {
    fn reference(&self, letter: &str) -> String {
        match &self.sheet {
            Some(s) => format!("{s}!{letter}{}", self.row),
            None => format!("{letter}{}", self.row),
        }
    }

    /// A snippet holding only a cell's content (XLSX has no lines of text).
    fn cell_snippet(&self, letter: &str, text: &str) -> Arc<Snippet> {
        // An empty cell still needs a character to point at.
        let text = if text.is_empty() { " " } else { text };
        Arc::new(Snippet {
            name: format!("{} {}", self.file, self.reference(letter)),
            text: Arc::from(text),
            first_line: self.row.saturating_sub(1),
        })
    }

    /// A finding at the cell in column `letter` (text `text`, bytes `span` of the line).
    fn at(
        &self,
        finding: Finding,
        letter: &str,
        text: &str,
        span: Option<(usize, usize)>,
        label: Option<String>,
    ) -> LocatedFinding {
        let mut f = match (&self.line, span) {
            (Some(line), Some((s, e))) => LocatedFinding::at(
                finding,
                line,
                s,
                e.max(s + 1).min(line.text.len().max(s)),
                label,
            ),
            _ => {
                let snippet = self.cell_snippet(letter, text);
                LocatedFinding::at(finding, &snippet, 0, snippet.text.len(), label)
            }
        };
        f.row = Some(self.row);
        f.cell = Some(format!("{letter}{}", self.row));
        f.sheet = self.sheet.clone();
        f
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
        match within {
            Some(c) => {
                let label = c.text.trim().is_empty().then(|| match lang {
                    Lang::Zh => format!("`{path}` 的单元格为空"),
                    Lang::En => format!("the `{path}` cell is empty"),
                });
                self.at(finding, &c.letter, &c.text, c.span, label)
            }
            None => {
                let label = (!path.is_empty()).then(|| match lang {
                    Lang::Zh => format!("本行没有 `{path}` 列"),
                    Lang::En => format!("this row has no `{path}` column"),
                });
                match self.cells.first() {
                    Some(c) => self.at(finding, &c.letter, &c.text, c.span, label),
                    None => self.at(finding, "A", "", None, label),
                }
            }
        }
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
    if matches!(h, "kind" | "记录类型" | "record kind") {
        return "kind".to_string();
    }
    let Some(def) = def else { return h.to_string() };
    if def.field(h).is_some() {
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

/// The JSON members a header's path names: its dotted segments as far as
/// the schema knows them, the rest as one name (`indicators.pm2.5` →
/// `indicators`, `pm2.5`), so an unknown column keeps its own name.
fn members(def: Option<&RecordDef>, path: &str) -> Vec<String> {
    let Some(def) = def else {
        return vec![path.to_string()];
    };
    let mut out = Vec::new();
    let mut node = 0;
    let mut rest = path;
    while let Some((seg, tail)) = rest.split_once('.') {
        match def.tree.member(node, seg) {
            Some(child) if def.tree.nodes.get(child).is_some_and(|n| n.field.is_none()) => {
                out.push(seg.to_string());
                node = child;
                rest = tail;
            }
            _ => break,
        }
    }
    out.push(rest.to_string());
    out
}

/// Sets `value` at the nested members `path` of `obj`.
fn insert_path(obj: &mut Map<String, Value>, path: &[String], value: Value) {
    let mut node = obj;
    let mut segs = path.iter().peekable();
    while let Some(seg) = segs.next() {
        if segs.peek().is_none() {
            node.insert(seg.clone(), value);
            return;
        }
        let entry = node
            .entry(seg.clone())
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
        .position(|h| matches!(h.trim(), "kind" | "记录类型" | "record kind"))
        .and_then(|i| cells.get(i))
        .map(CellValue::shown)
        .filter(|k| !k.trim().is_empty());
    let kind = kind.as_deref().or(hint)?;
    pack.record(kind.trim()).map(|(_, d)| d)
}

/// Where a row comes from: its file, sheet, 1-based row, and (CSV) its text.
struct RowSource<'a> {
    file: &'a str,
    sheet: Option<&'a str>,
    row: usize,
    /// The row's text and the byte range of each of its cells in it.
    line: Option<(Arc<Snippet>, CellSpans)>,
}

/// The byte range of each cell of a row in its text.
type CellSpans = Vec<(usize, usize)>;

impl RowSource<'_> {
    fn cells(&self, cells: Vec<Cell>) -> RowCells {
        RowCells {
            file: self.file.to_string(),
            sheet: self.sheet.map(str::to_string),
            row: self.row,
            cells,
            line: self.line.as_ref().map(|(l, _)| l.clone()),
        }
    }
    fn span(&self, column: usize) -> Option<(usize, usize)> {
        self.line
            .as_ref()
            .and_then(|(_, spans)| spans.get(column).copied())
    }
}

/// Builds the raw record of one row.
fn row_record(
    pack: &Pack,
    src: &RowSource<'_>,
    headers: &[String],
    cells: Vec<CellValue>,
    hint: Option<&str>,
    lang: Lang,
) -> Raw {
    let def = row_kind(pack, headers, &cells, hint);
    if cells.len() > headers.len()
        && cells
            .iter()
            .skip(headers.len())
            .any(|c| !c.shown().trim().is_empty())
    {
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
        let text = cells
            .get(headers.len())
            .map(CellValue::shown)
            .unwrap_or_default();
        let f = src.cells(Vec::new()).at(
            finding,
            &column_letter(headers.len()),
            &text,
            src.span(headers.len()),
            None,
        );
        return Raw::Broken(Box::new(f));
    }
    let mut obj = Map::new();
    let mut located = Vec::new();
    for (i, header) in headers.iter().enumerate() {
        if header.trim().is_empty() {
            continue;
        }
        let path = resolve_header(def, header);
        let cell = cells.get(i);
        let shown = cell.map(CellValue::shown).unwrap_or_default();
        // An empty cell is an absent value, but findings about it still point at it.
        if let Some(cell) = cell.filter(|_| !shown.trim().is_empty()) {
            let ty = def
                .and_then(|d| d.field(&path).and_then(|f| d.get(f)))
                .map(|f| (&f.ty, f.is_year));
            insert_path(&mut obj, &members(def, &path), cell_json(cell, ty));
        }
        located.push(Cell {
            path,
            letter: column_letter(i),
            text: shown,
            span: src.span(i),
        });
    }
    Raw::Row {
        value: Value::Object(obj),
        row: Arc::new(src.cells(located)),
    }
}

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

/// The records of a CSV text; `index` is the 0-based line of the row (the
/// header is line 0, blank lines counted) and `row` its 1-based line.
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
    let mut out = Vec::new();
    let mut headers: Option<Vec<String>> = None;
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
        let src = RowSource {
            file,
            sheet: None,
            row: *line,
            line: Some((snippet, spans)),
        };
        let index = line.saturating_sub(1);
        match result {
            Err(e) => {
                let message = match lang {
                    Lang::Zh => format!("不是有效的 CSV 行：{e}"),
                    Lang::En => format!("not a valid CSV row: {e}"),
                };
                let f = src.cells(Vec::new()).at(
                    Finding::input("input.parse", Severity::Error, message, None, None),
                    "A",
                    "",
                    src.span(0),
                    None,
                );
                out.push((index, Raw::Broken(Box::new(f))));
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
                        out.push((index, row_record(pack, &src, h, values, hint, lang)));
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
