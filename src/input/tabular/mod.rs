//! CSV and XLSX: one record per row under a header of dotted field paths
//! (or the field titles `plancheck schema` gives), findings at the cell.
//!
//! A row becomes the same JSON object a `.json` submission would hold, so
//! typing and evaluation are shared; only the places differ: a finding
//! points at the cell (`Sheet1!D7`) and shows the cell's content.

mod csv;
mod xlsx;

pub(crate) use csv::csv_records;
pub(crate) use xlsx::xlsx_records;

use super::Raw;
use crate::i18n::{msg, Lang};
use crate::model::{Finding, LocatedFinding, Reserved};
use crate::pack::{Pack, RecordDef, Type};
use crate::source::Snippet;
use serde_json::{Map, Value};
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
                let label = c
                    .text
                    .trim()
                    .is_empty()
                    .then(|| msg::input::cell_empty(lang, &path));
                self.at(finding, &c.letter, &c.text, c.span, label)
            }
            None => {
                let label = (!path.is_empty()).then(|| msg::input::no_column(lang, &path));
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
        let message = msg::input::too_many_cells(lang, cells.len(), headers.len());
        let help = Some(msg::input::too_many_cells_help(lang));
        let finding = Finding::input(Reserved::InputParse, message, help, None);
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
