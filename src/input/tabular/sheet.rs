//! One sheet (or CSV file) → records: the header is found below any title
//! rows, the kind of the records is chosen, and every row under the header
//! becomes the JSON object a `.json` submission would hold, its cells kept
//! for placing findings.

use super::header::{
    column_findings, fields_named, is_header, kind_of_headers, units_row, Column, Role, TitleIndex,
};
use super::merged::MergedDown;
use super::values::{cell_json, CellValue};
use super::{column_letter, Cell, HeaderRow, LineCells, RowCells};
use crate::i18n::{msg, Lang};
use crate::input::{ColumnNames, Raw};
use crate::model::{Finding, LocatedFinding, Reserved};
use crate::pack::{pointer_of, KindId, Pack};
use serde_json::{Map, Value};
use std::sync::Arc;

/// How many rows may stand above the header (titles, subtitles, blank rows).
const HEADER_SEARCH_ROWS: usize = 50;

/// One row as read from a sheet.
pub struct SheetRow {
    /// 1-based row (or line of a CSV file).
    pub row: usize,
    /// 0-based position of the record in its file, as the contract numbers it.
    pub index: usize,
    /// Cells by 0-based column.
    pub cells: Vec<CellValue>,
    /// For CSV: the row's text and each cell's byte range in it.
    pub line: Option<LineCells>,
}

/// The header of a table once found.
struct Header {
    columns: Vec<Column>,
    row: Arc<HeaderRow>,
    /// The kind of every row, unless a kind column says.
    kind: Option<KindId>,
    /// Findings about the header given to the first record (unknown columns).
    pending: Vec<LocatedFinding>,
    /// Whether a row under the header has been seen (the first may be a
    /// row of units).
    under: bool,
    /// The columns a merged cell may fill: those naming a field or the kind.
    fillable: Vec<bool>,
}

/// Turns the rows of one sheet into records, as they come.
pub struct SheetReader<'a> {
    pack: &'a Pack,
    index: &'a TitleIndex,
    file: &'a str,
    sheet: Option<String>,
    hint: Option<&'a str>,
    lang: Lang,
    header: Option<Header>,
    /// Rows seen while looking for the header: the best candidate so far.
    candidate: Option<(usize, Vec<String>, usize)>,
    rows_seen: usize,
    /// Cells merged down over several rows.
    merges: MergedDown,
}

/// A sheet in which no header was found.
pub struct NoHeader {
    /// The row that came closest, with its cells.
    pub row: Option<(usize, Vec<String>)>,
}

impl<'a> SheetReader<'a> {
    /// A reader for `sheet` of `file`.
    pub fn new(
        pack: &'a Pack,
        index: &'a TitleIndex,
        file: &'a str,
        sheet: Option<String>,
        hint: Option<&'a str>,
        lang: Lang,
    ) -> Self {
        SheetReader {
            pack,
            index,
            file,
            sheet,
            hint,
            lang,
            header: None,
            candidate: None,
            rows_seen: 0,
            merges: MergedDown::default(),
        }
    }

    /// The sheet's merged cells, as `(first row, first column, last row,
    /// last column)`, 0-based (see [`MergedDown`]).
    pub fn with_merges(mut self, regions: impl IntoIterator<Item = (u32, u32, u32, u32)>) -> Self {
        self.merges = MergedDown::new(regions);
        self
    }

    /// Takes one row; a record comes out for every non-blank row under the header.
    pub fn push(&mut self, mut row: SheetRow) -> Option<(usize, Raw)> {
        if let Some(header) = &self.header {
            self.merges.fill(header.row.row, &header.fillable, &mut row);
        }
        if row.cells.iter().all(CellValue::is_blank) {
            return None;
        }
        if self.header.is_none() {
            self.rows_seen += 1;
            if self.rows_seen > HEADER_SEARCH_ROWS {
                return None;
            }
            let texts: Vec<String> = row.cells.iter().map(CellValue::shown).collect();
            let columns: Vec<Column> = texts
                .iter()
                .map(|t| self.index.column(self.pack, t))
                .collect();
            if is_header(&columns) {
                self.header = Some(self.header(columns, &row));
            } else {
                let filled = texts.iter().filter(|t| !t.trim().is_empty()).count();
                if self.candidate.as_ref().is_none_or(|c| filled > c.2) {
                    self.candidate = Some((row.row, texts, filled));
                }
            }
            return None;
        }
        if self.is_example(&row) {
            return None;
        }
        if self.better_header(&row) || self.units(&row) {
            return None;
        }
        Some((row.index, self.record(&row)))
    }

    /// Whether `row` is a template's example row: its `序号` cell says so.
    fn is_example(&self, row: &SheetRow) -> bool {
        let Some(header) = &self.header else {
            return false;
        };
        header.columns.iter().enumerate().any(|(i, c)| {
            c.role == Role::Ignored
                && row.cells.get(i).is_some_and(|v| {
                    let n = crate::text::normalize(&v.shown());
                    super::EXAMPLE_MARK.contains(&n.as_str())
                })
        })
    }

    /// Whether `row`, the first under the header, is the real header: a row
    /// above a table may name a field or two (`填报单位 | 冠县 | 报告年份 |
    /// 2018`) and pass for a header; the row under it naming more fields is
    /// the table's, and becomes the header.
    fn better_header(&mut self, row: &SheetRow) -> bool {
        let Some(header) = &self.header else {
            return false;
        };
        if header.under {
            return false;
        }
        let columns: Vec<Column> = row
            .cells
            .iter()
            .map(|c| self.index.column(self.pack, &c.shown()))
            .collect();
        if !is_header(&columns) || fields_named(&columns) <= fields_named(&header.columns) {
            return false;
        }
        self.header = Some(self.header(columns, row));
        // A merge that began in the new header's row (or above) is no data.
        self.merges.forget_begun();
        true
    }

    /// Whether `row`, the first under the header, is a row of units (`万元`
    /// under 总投资, `公顷` under 用地面积): its units become the columns'
    /// units, as a unit in brackets after a header would, and it is no record.
    fn units(&mut self, row: &SheetRow) -> bool {
        let pack = self.pack;
        let Some(header) = self.header.as_mut() else {
            return false;
        };
        if std::mem::replace(&mut header.under, true) {
            return false;
        }
        let texts: Vec<String> = row.cells.iter().map(CellValue::shown).collect();
        let Some(units) = units_row(pack, &header.columns, &texts) else {
            return false;
        };
        for (column, unit) in header.columns.iter_mut().zip(units) {
            if let (Role::Field(fields), Some(unit)) = (&mut column.role, unit) {
                for f in fields {
                    f.unit = Some(unit);
                }
            }
        }
        true
    }

    /// Ends the sheet: `Err` when no header was found.
    pub fn finish(self) -> Result<(), NoHeader> {
        if self.header.is_some() {
            Ok(())
        } else {
            Err(NoHeader {
                row: self.candidate.map(|(r, cells, _)| (r, cells)),
            })
        }
    }

    fn header(&self, columns: Vec<Column>, row: &SheetRow) -> Header {
        let has_kind_column = columns.iter().any(|c| c.role == Role::Kind);
        let kind = if has_kind_column {
            None
        } else {
            kind_of_headers(&columns).or_else(|| {
                self.hint
                    .and_then(|h| self.pack.record(h))
                    .map(|(id, _)| id)
            })
        };
        let header_row = Arc::new(HeaderRow {
            row: row.row,
            cells: row
                .cells
                .iter()
                .enumerate()
                .map(|(i, c)| (column_letter(i), c.shown()))
                .collect(),
            line: row.line.clone(),
        });
        let mut columns = columns;
        let pending = column_findings(self.pack, self.index, kind, &mut columns, self.lang)
            .into_iter()
            .map(|(i, finding)| header_row.at(&self.file_and_sheet(), i, finding))
            .collect();
        let fillable = columns
            .iter()
            .map(|c| matches!(c.role, Role::Field(_) | Role::Kind))
            .collect();
        Header {
            columns,
            row: header_row,
            kind,
            pending,
            under: false,
            fillable,
        }
    }

    fn file_and_sheet(&self) -> (String, Option<String>) {
        (self.file.to_string(), self.sheet.clone())
    }

    /// The record of one row under the header.
    fn record(&mut self, row: &SheetRow) -> Raw {
        let (file, sheet) = self.file_and_sheet();
        let Some(header) = self.header.as_mut() else {
            return Raw::Broken(Box::new(LocatedFinding::unlocated(Finding::input(
                Reserved::InputRecord,
                String::new(),
                None,
                None,
            ))));
        };
        let extra = std::mem::take(&mut header.pending);
        let span = |i: usize| row.line.as_ref().and_then(|(_, s)| s.get(i).copied());
        // Cells beyond the header: a stray separator or an unquoted comma.
        let width = header.columns.len();
        if row.cells.iter().skip(width).any(|c| !c.is_blank()) {
            let finding = Finding::input(
                Reserved::InputParse,
                msg::input::too_many_cells(self.lang, row.cells.len(), width),
                Some(msg::input::too_many_cells_help(self.lang)),
                None,
            );
            let cells = RowCells {
                file,
                sheet,
                row: row.row,
                cells: Vec::new(),
                line: row.line.as_ref().map(|(l, _)| l.clone()),
                header: Some(header.row.clone()),
            };
            let text = row
                .cells
                .get(width)
                .map(CellValue::shown)
                .unwrap_or_default();
            return Raw::Broken(Box::new(cells.at(
                finding,
                &column_letter(width),
                &text,
                span(width),
                None,
            )));
        }
        // The row's kind: its kind cell, else the table's.
        let kind_cell = header
            .columns
            .iter()
            .position(|c| c.role == Role::Kind)
            .and_then(|i| row.cells.get(i))
            .filter(|c| !c.is_blank())
            .map(CellValue::shown);
        let kind = match &kind_cell {
            Some(k) => kind_named(self.pack, k),
            None => header.kind,
        };
        let def = kind.and_then(|k| self.pack.records.get(k.0));
        let mut obj = Map::new();
        if let Some(k) = &kind_cell {
            let code = def.map_or_else(|| k.trim().to_string(), |d| d.kind.clone());
            obj.insert("kind".into(), Value::String(code));
        } else if let Some(def) = def {
            obj.insert("kind".into(), Value::String(def.kind.clone()));
        }
        let mut located = Vec::new();
        let mut names = ColumnNames::new();
        // The column that gave each field its value, and the fields given a
        // value in more than one column: given twice (§4.1: checked without
        // either value, never one of them silently taken).
        let mut given: Vec<(&str, usize)> = Vec::new();
        let mut twice: Vec<(&str, Vec<usize>)> = Vec::new();
        // Values no field of the row takes (under no header, or under one
        // naming fields of other kinds only): never dropped without a word.
        let mut unread: Vec<usize> = Vec::new();
        for (i, col) in header.columns.iter().enumerate() {
            let cell = row.cells.get(i).unwrap_or(&CellValue::Empty);
            let field_col = kind.and_then(|k| col.field(k));
            let path = match (&col.role, field_col) {
                (_, Some(fc)) => fc.path.clone(),
                (Role::Kind, _) => "kind".to_string(),
                (Role::Empty, _) | (Role::Field(_), None) => {
                    if !cell.is_blank() && def.is_some() {
                        unread.push(i);
                    }
                    continue;
                }
                _ => continue,
            };
            if let (Some(fc), Some(def)) = (field_col, def) {
                names
                    .entry(fc.path.clone())
                    .or_insert_with(|| col.written.trim().to_string());
                if let Some(field) = def.field(&fc.path).and_then(|f| def.get(f)) {
                    let value = cell_json(cell, field, fc);
                    if !value.is_null() {
                        match given.iter().find(|(p, _)| *p == fc.path) {
                            Some(&(_, first)) => {
                                match twice.iter_mut().find(|(p, _)| *p == fc.path) {
                                    Some((_, columns)) => columns.push(i),
                                    None => twice.push((&fc.path, vec![first, i])),
                                }
                            }
                            None => {
                                given.push((&fc.path, i));
                                insert_path(&mut obj, &members(def, &fc.path), value);
                            }
                        }
                    }
                }
            }
            located.push(Cell {
                path,
                letter: column_letter(i),
                text: cell.shown(),
                span: span(i),
                at_header: field_col.is_some_and(|fc| fc.bad_unit.is_some()),
                column: i,
            });
        }
        let mut given_twice: Vec<String> = Vec::new();
        if let Some(def) = def {
            for (path, _) in &twice {
                remove_path(&mut obj, &members(def, path));
                given_twice.push(path.to_string());
            }
        }
        let cells = Arc::new(RowCells {
            file,
            sheet,
            row: row.row,
            cells: located,
            line: row.line.as_ref().map(|(l, _)| l.clone()),
            header: Some(header.row.clone()),
        });
        let mut extra = extra;
        let lang = self.lang;
        let text = |i: usize| row.cells.get(i).map(CellValue::shown).unwrap_or_default();
        // One finding per field, at its second column, naming every column.
        for (path, columns) in &twice {
            let shown = names.get(*path).map_or(*path, String::as_str);
            let second = columns.get(1).copied().unwrap_or_default();
            let finding = Finding::input(
                Reserved::InputInvalid,
                msg::input::column_twice(lang, shown, &column_list(columns, lang)),
                Some(msg::input::column_twice_help(lang)),
                Some(pointer_of(path)),
            );
            let letter = column_letter(second);
            extra.push(cells.at(finding, &letter, &text(second), span(second), None));
        }
        // One finding per row for the values no field takes, at the first.
        if let (Some(&first), Some(def)) = (unread.first(), def) {
            let record = def
                .labels
                .as_ref()
                .map_or(def.kind.as_str(), |l| l.get(lang).as_str());
            let finding = Finding::input(
                Reserved::InputUnknownField,
                msg::input::cells_unread(lang, &column_list(&unread, lang), record),
                Some(msg::input::cells_unread_help(lang)),
                None,
            );
            let letter = column_letter(first);
            extra.push(cells.at(finding, &letter, &text(first), span(first), None));
        }
        Raw::Row {
            value: Value::Object(obj),
            row: cells,
            names: Arc::new(names),
            extra,
            given_twice,
        }
    }
}

/// The record kind a kind cell names: its code, or its label in either language.
fn kind_named(pack: &Pack, written: &str) -> Option<KindId> {
    let n = crate::text::normalize(written);
    pack.records
        .iter()
        .position(|r| {
            crate::text::normalize(&r.kind) == n
                || r.labels.as_ref().is_some_and(|l| {
                    crate::text::normalize(&l.zh) == n || crate::text::normalize(&l.en) == n
                })
        })
        .map(KindId)
}

/// The JSON members of a dotted path: its segments as far as the schema
/// knows them as groups, the rest as one name.
fn members(def: &crate::pack::RecordDef, path: &str) -> Vec<String> {
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

/// How many columns a finding names before it counts the rest.
const COLUMNS_NAMED: usize = 6;

/// Columns by their letters, the first few named: `J、K、L` or `J, K and 9 more`.
fn column_list(columns: &[usize], lang: Lang) -> String {
    let named: Vec<String> = columns
        .iter()
        .take(COLUMNS_NAMED)
        .map(|c| column_letter(*c))
        .collect();
    let list = named.join(lang.list_separator());
    match columns.len().saturating_sub(COLUMNS_NAMED) {
        0 => list,
        rest => msg::input::and_more(lang, &list, rest),
    }
}

/// Removes the value at the nested members `path` of `obj`.
fn remove_path(obj: &mut Map<String, Value>, path: &[String]) {
    let Some((last, groups)) = path.split_last() else {
        return;
    };
    let mut node = obj;
    for seg in groups {
        match node.get_mut(seg) {
            Some(Value::Object(m)) => node = m,
            _ => return,
        }
    }
    node.remove(last);
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

/// How many cells of a row without headers are matched against the
/// titles for the did-you-mean of its finding.
const NEAREST_CELLS: usize = 32;

/// The finding of a file (or sheet) in which no header names a field.
pub fn no_header_finding(
    index: &TitleIndex,
    file: &str,
    sheet: Option<&str>,
    no: &NoHeader,
    lang: Lang,
) -> LocatedFinding {
    let place = match sheet {
        Some(s) => format!("{file} {s}"),
        None => file.to_string(),
    };
    let help = match &no.row {
        Some((row, cells)) => {
            let shown: Vec<String> = cells
                .iter()
                .filter(|c| !c.trim().is_empty())
                .take(6)
                .map(|c| format!("`{}`", c.trim()))
                .collect();
            // Only the first cells are looked up: every lookup compares the
            // cell with every title, and a hostile first row may be wide.
            let nearest: Vec<String> = cells
                .iter()
                .take(NEAREST_CELLS)
                .filter_map(|c| index.nearest(c))
                .take(6)
                .map(|t| format!("`{t}`"))
                .collect();
            msg::input::no_header_help(
                lang,
                *row,
                &shown.join(lang.list_separator()),
                &nearest.join(lang.list_separator()),
            )
        }
        None => msg::input::no_header_empty_help(lang),
    };
    let finding = Finding::input(
        Reserved::InputRecord,
        msg::input::no_header(lang, &place),
        Some(help),
        None,
    );
    match &no.row {
        Some((row, cells)) => {
            let cells_row = HeaderRow {
                row: *row,
                cells: cells
                    .iter()
                    .enumerate()
                    .map(|(i, t)| (column_letter(i), t.clone()))
                    .collect(),
                line: None,
            };
            let first = cells.iter().position(|c| !c.trim().is_empty()).unwrap_or(0);
            cells_row.at(
                &(file.to_string(), sheet.map(str::to_string)),
                first,
                finding,
            )
        }
        None => LocatedFinding::unlocated(finding),
    }
}
