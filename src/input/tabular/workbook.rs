//! Workbooks: `.xlsx` read as a stream of cells (with each cell's number
//! format, so percentage cells are known), `.xls` through calamine after a
//! scan of its records. Every sheet with a header is read; a sheet that
//! cannot be read is an `input.parse` finding, and a workbook in which no
//! sheet has a header an `input.record` finding.

use super::biff::{self, BiffScan, MAX_CELLS};
use super::formats::{builtin_is_percent, is_percent};
use super::header::TitleIndex;
use super::sheet::{no_header_finding, NoHeader, SheetReader, SheetRow};
use super::values::{excel_date, CellValue};
use crate::i18n::{msg, Lang};
use crate::input::Raw;
use crate::model::{Finding, LocatedFinding, Reserved};
use crate::pack::Pack;
use std::path::Path;

/// The most columns a sheet has (`XFD`).
const MAX_COLUMNS: u32 = 16_384;

/// How many records of a workbook are handed on together.
const CHUNK_RECORDS: usize = 4096;

/// The records of every sheet of the workbook at `path` that has a header,
/// handed to `sink` in chunks as the sheets stream.
pub(crate) fn workbook_records(
    pack: &Pack,
    file: &str,
    path: &Path,
    lang: Lang,
    sink: &mut dyn FnMut(Vec<(usize, Raw)>) -> bool,
) {
    let legacy = match container(path) {
        Some(Container::Compound) => true,
        Some(Container::Zip) => false,
        None => path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("xls")),
    };
    let index = crate::input::titles(pack);
    let cx = Cx {
        pack,
        index: &index,
        file,
        hint: crate::input::kind_hint(pack, file),
        lang,
    };
    let read = if legacy {
        guarded(|| read_xls(&cx, path, &mut *sink))
    } else {
        guarded(|| read_xlsx(&cx, path, &mut *sink))
    };
    let rest = match read {
        Ok(Ok(out)) => out,
        Ok(Err(reason)) | Err(reason) => {
            vec![(0, Raw::Broken(Box::new(workbook_error(&reason, lang))))]
        }
    };
    sink(rest);
}

/// What a workbook file really is, whatever its name says.
#[derive(Debug, PartialEq)]
enum Container {
    /// A compound file: an `.xls` workbook, or an encrypted `.xlsx`.
    Compound,
    /// A zip archive: an `.xlsx` workbook.
    Zip,
}

/// The container `path` holds, read from its first bytes (`None` when they
/// are neither signature: the name decides, and the reader says what is
/// wrong). A file is read by what it holds, not by its name: an `.xls`
/// saved under `.xlsx` is read as the `.xls` it is, and never reaches the
/// `.xlsx` reader's own compound-file parser, which follows a sector chain
/// that loops until memory runs out (found by the workbook fuzz target).
fn container(path: &Path) -> Option<Container> {
    use std::io::Read;
    const COMPOUND: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    let mut head = [0u8; 8];
    let mut file = std::fs::File::open(path).ok()?;
    file.read_exact(&mut head).ok()?;
    if head == COMPOUND {
        Some(Container::Compound)
    } else if head.starts_with(b"PK\x03\x04") {
        Some(Container::Zip)
    } else {
        None
    }
}

/// What reading one workbook needs.
struct Cx<'a> {
    pack: &'a Pack,
    index: &'a TitleIndex,
    file: &'a str,
    hint: Option<&'a str>,
    lang: Lang,
}

/// The records of a workbook's sheets, and what to say when none had a header.
#[derive(Default)]
struct Collected {
    out: Vec<(usize, Raw)>,
    any_header: bool,
    closest: Option<(String, NoHeader)>,
}

impl Collected {
    /// Adds a record, handing a full chunk on; false when reading is to stop.
    fn add(
        &mut self,
        record: Option<(usize, Raw)>,
        sink: &mut dyn FnMut(Vec<(usize, Raw)>) -> bool,
    ) -> bool {
        self.out.extend(record);
        if self.out.len() >= CHUNK_RECORDS {
            return sink(std::mem::take(&mut self.out));
        }
        true
    }

    fn sheet(&mut self, name: &str, sheet: SheetReader<'_>) {
        match sheet.finish() {
            Ok(()) => self.any_header = true,
            Err(no) => {
                let better = match (&self.closest, &no.row) {
                    (None, _) => true,
                    (Some((_, old)), Some((_, cells))) => old.row.as_ref().is_none_or(|(_, o)| {
                        cells.iter().filter(|c| !c.trim().is_empty()).count()
                            > o.iter().filter(|c| !c.trim().is_empty()).count()
                    }),
                    _ => false,
                };
                if better {
                    self.closest = Some((name.to_string(), no));
                }
            }
        }
    }

    fn unreadable(&mut self, cx: &Cx<'_>, name: &str, reason: &str) {
        let f = LocatedFinding::unlocated(Finding::input(
            Reserved::InputParse,
            msg::input::sheet_unreadable(
                cx.lang,
                name,
                &msg::input::reader_reason(cx.lang, reason),
            ),
            Some(msg::input::not_workbook_help(cx.lang)),
            None,
        ));
        self.out.push((0, Raw::Broken(Box::new(f))));
    }

    fn finish(mut self, cx: &Cx<'_>) -> Vec<(usize, Raw)> {
        if !self.any_header {
            let (sheet, no) = self
                .closest
                .take()
                .unwrap_or((String::new(), NoHeader { row: None }));
            let sheet = (!sheet.is_empty()).then_some(sheet.as_str());
            let f = no_header_finding(cx.index, cx.file, sheet, &no, cx.lang);
            self.out.insert(0, (0, Raw::Broken(Box::new(f))));
        }
        self.out
    }
}

/// An `.xlsx` workbook, each sheet read as a stream of cells in row order.
fn read_xlsx(
    cx: &Cx<'_>,
    path: &Path,
    sink: &mut dyn FnMut(Vec<(usize, Raw)>) -> bool,
) -> Result<Vec<(usize, Raw)>, String> {
    use calamine::{DataRef, Reader};
    // What the parts really hold, before a reader trusts their headers.
    let inside = match super::zipscan::inspect(path) {
        Err(Some(refusal)) => return Err(refusal_text(&refusal, cx.lang)),
        Ok(inside) => inside,
        // The reader says what is wrong with the archive.
        Err(None) => super::zipscan::Inside::default(),
    };
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook(path).map_err(|e: calamine::XlsxError| e.to_string())?;
    let date1904 = wb.has_1904_epoch();
    let mut got = Collected::default();
    for name in wb.sheet_names() {
        // Merged cells are listed after a sheet's cells: read first, and only
        // where the look inside found some (it bounded their number).
        let merges = match inside.merges {
            0 => Vec::new(),
            // The cells' reader reports what is wrong with the sheet.
            _ => wb.merge_cells_by_sheet_name(&name).unwrap_or_default(),
        };
        let mut sheet = SheetReader::new(
            cx.pack,
            cx.index,
            cx.file,
            Some(name.clone()),
            cx.hint,
            cx.lang,
        )
        .with_merges(merges.iter().map(corners));
        let mut reader = match wb.worksheet_cells_reader(&name) {
            Ok(r) => r,
            Err(e) => {
                got.unreadable(cx, &name, &e.to_string());
                continue;
            }
        };
        let mut row: Option<(u32, Vec<CellValue>)> = None;
        loop {
            let (cell, style) = match reader.next_cell_with_style_id() {
                Ok(Some(c)) => c,
                Ok(None) => break,
                Err(e) => {
                    got.unreadable(cx, &name, &e.to_string());
                    break;
                }
            };
            let (r, c) = cell.get_position();
            if c >= MAX_COLUMNS {
                got.unreadable(cx, &name, &msg::input::beyond_last_column(cx.lang));
                break;
            }
            let percent = reader
                .styles()
                .get(style)
                .and_then(|s| s.number_format.as_ref())
                .is_some_and(|f| {
                    is_percent(&f.format_code) || f.format_id.is_some_and(builtin_is_percent)
                });
            let value = match cell.get_value() {
                DataRef::Int(n) => number(*n as f64, percent),
                DataRef::Float(f) => number(*f, percent),
                DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => {
                    CellValue::Text(s.clone())
                }
                DataRef::SharedString(s) => CellValue::Text((*s).to_string()),
                DataRef::Bool(b) => CellValue::Bool(*b),
                DataRef::DateTime(d) if d.is_datetime() => excel_date(d.as_f64(), date1904)
                    .map_or(CellValue::Number(d.as_f64()), CellValue::Date),
                DataRef::DateTime(d) => CellValue::Number(d.as_f64()),
                DataRef::Error(e) => CellValue::Error(e.to_string()),
                DataRef::Empty => CellValue::Empty,
            };
            if row.as_ref().is_some_and(|(at, _)| *at != r) {
                if let Some((at, cells)) = row.take() {
                    if !got.add(sheet.push(sheet_row(at, cells)), sink) {
                        return Ok(Vec::new());
                    }
                }
            }
            let cells = &mut row.get_or_insert_with(|| (r, Vec::new())).1;
            let c = c as usize;
            if cells.len() <= c {
                cells.resize(c + 1, CellValue::Empty);
            }
            if let Some(slot) = cells.get_mut(c) {
                *slot = value;
            }
        }
        if let Some((at, cells)) = row.take() {
            if !got.add(sheet.push(sheet_row(at, cells)), sink) {
                return Ok(Vec::new());
            }
        }
        got.sheet(&name, sheet);
    }
    Ok(got.finish(cx))
}

/// A merged area's first and last row and column.
fn corners(d: &calamine::Dimensions) -> (u32, u32, u32, u32) {
    (d.start.0, d.start.1, d.end.0, d.end.1)
}

/// Why a workbook was refused, in words.
fn refusal_text(r: &super::zipscan::Refusal, lang: Lang) -> String {
    use super::zipscan::Refusal as R;
    match r {
        R::TooManyParts(n) => msg::input::xlsx_too_many_parts(lang, *n),
        R::PartTooLarge { part, max } => msg::input::xlsx_part_too_large(
            lang,
            &crate::text::escape(part),
            &crate::text::size(*max),
        ),
        R::TooLarge(max) => msg::input::xlsx_too_large(lang, &crate::text::size(*max)),
        R::CellTooLong { part } => msg::input::xlsx_cell_too_long(lang, &crate::text::escape(part)),
        R::TooManyMerges(max) => msg::input::xlsx_too_many_merges(lang, *max),
    }
}

/// A numeric cell, as a percentage where its format shows one.
fn number(n: f64, percent: bool) -> CellValue {
    if percent {
        CellValue::Percent(n)
    } else {
        CellValue::Number(n)
    }
}

fn sheet_row(row0: u32, cells: Vec<CellValue>) -> SheetRow {
    let row = row0 as usize + 1;
    SheetRow {
        row,
        index: row0 as usize,
        cells,
        line: None,
    }
}

/// An `.xls` workbook: its records scanned first (percent formats, areas),
/// then its values read by calamine.
fn read_xls(
    cx: &Cx<'_>,
    path: &Path,
    sink: &mut dyn FnMut(Vec<(usize, Raw)>) -> bool,
) -> Result<Vec<(usize, Raw)>, String> {
    use calamine::{Data, Reader};
    let scan: BiffScan = biff::scan(path)?;
    // calamine allocates every sheet's area when it opens the workbook.
    if let Some(big) = scan
        .sheets
        .iter()
        .find(|s| s.used_cells.max(s.claimed_cells) > MAX_CELLS)
    {
        return Err(msg::input::sheet_too_large(
            cx.lang,
            &big.name,
            big.used_cells.max(big.claimed_cells),
            MAX_CELLS,
        ));
    }
    let mut wb: calamine::Xls<_> =
        calamine::open_workbook(path).map_err(|e: calamine::XlsError| e.to_string())?;
    let mut got = Collected::default();
    for name in wb.sheet_names() {
        let merges = wb.merge_cells_by_sheet_name(&name).unwrap_or_default();
        let mut sheet = SheetReader::new(
            cx.pack,
            cx.index,
            cx.file,
            Some(name.clone()),
            cx.hint,
            cx.lang,
        )
        .with_merges(merges.iter().map(corners));
        let range = match wb.worksheet_range(&name) {
            Ok(r) => r,
            Err(e) => {
                got.unreadable(cx, &name, &e.to_string());
                continue;
            }
        };
        let percent = scan
            .sheets
            .iter()
            .find(|s| s.name == name)
            .map(|s| &s.percent);
        let (row0, col0) = range.start().unwrap_or((0, 0));
        for (i, cells) in range.rows().enumerate() {
            let r = row0 + i as u32;
            let mut values: Vec<CellValue> = vec![CellValue::Empty; col0 as usize];
            for (j, cell) in cells.iter().enumerate() {
                let c = col0 + j as u32;
                let pct = percent.is_some_and(|p| p.contains(&(r, c)));
                values.push(match cell {
                    Data::Int(n) => number(*n as f64, pct),
                    Data::Float(f) => number(*f, pct),
                    Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => {
                        CellValue::Text(s.clone())
                    }
                    Data::Bool(b) => CellValue::Bool(*b),
                    Data::DateTime(d) if d.is_datetime() => excel_date(d.as_f64(), scan.date1904)
                        .map_or(CellValue::Number(d.as_f64()), CellValue::Date),
                    Data::DateTime(d) => CellValue::Number(d.as_f64()),
                    Data::Error(e) => CellValue::Error(e.to_string()),
                    Data::Empty => CellValue::Empty,
                });
            }
            if !got.add(sheet.push(sheet_row(r, values)), sink) {
                return Ok(Vec::new());
            }
        }
        got.sheet(&name, sheet);
    }
    Ok(got.finish(cx))
}

fn workbook_error(reason: &str, lang: Lang) -> LocatedFinding {
    LocatedFinding::unlocated(Finding::input(
        Reserved::InputParse,
        msg::input::not_workbook(lang, &msg::input::reader_reason(lang, reason)),
        Some(if reason == super::biff::PASSWORD_PROTECTED {
            msg::input::password_help(lang)
        } else {
            msg::input::not_workbook_help(lang)
        }),
        None,
    ))
}

thread_local! {
    /// Whether a panic on this thread is expected and caught (see [`guarded`]).
    static GUARDED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f`, a call into a third-party reader of untrusted files, turning
/// a panic into an error instead of losing the batch. The panic message is
/// not printed: the finding says what happened.
pub fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !GUARDED.with(std::cell::Cell::get) {
                previous(info);
            }
        }));
    });
    GUARDED.with(|g| g.set(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    GUARDED.with(|g| g.set(false));
    result.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "the workbook reader failed".to_string())
    })
}
