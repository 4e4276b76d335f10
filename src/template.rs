//! Fill-in templates generated from the pack (`plancheck template`): a
//! workbook (or CSV) whose header names every field of a record kind by its
//! title and unit, with lists for enumerations and booleans, percentage
//! cells for % fields, an example row and a sheet `填写说明` describing
//! every field. Records written into it (`rows`) read back exactly as their
//! JSON does: the same writer turns samples into workbooks for the tests.

use crate::i18n::{msg, Lang};
use crate::pack::{Expr, ExprKind, FieldDef, Pack, RecordDef, Type};
use crate::text::normalize;
use rust_xlsxwriter::{DataValidation, Format, Note, Workbook, Worksheet};
use serde_json::Value;

pub use crate::input::EXAMPLE_MARK;

/// One column of a template.
#[derive(Clone, Debug)]
pub struct Column {
    /// The field's dotted path.
    pub path: String,
    /// The header: the title (or, where another field has that title, the path) and unit.
    pub header: String,
    /// The field's unit symbol, if it has one.
    pub unit: Option<String>,
    /// The values a list offers: an enumeration's codes with their labels
    /// in the template's language, or yes and no.
    pub choices: Vec<(String, String)>,
    /// Whether a record without it is invalid.
    pub required: bool,
    /// Rules that read the field.
    pub rules: Vec<String>,
    /// An example value.
    pub example: Option<Value>,
    field: FieldDef,
}

/// The columns of a template for records of `kind`.
pub fn columns(pack: &Pack, kind: &str, lang: Lang) -> Option<Vec<Column>> {
    let (kind_id, def) = pack.record(kind)?;
    let examples = example_values(pack, kind_id.0);
    let mut used_titles: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for f in &def.fields {
        let title = f.title(lang).to_string();
        // A title another field already has (baseline values) would name that field.
        let name = if used_titles.contains(&normalize(&title)) {
            f.path.clone()
        } else {
            title
        };
        used_titles.push(normalize(&name));
        let unit = f.unit.map(|u| u.symbol.clone()).filter(|s| !s.is_empty());
        let header = match &unit {
            Some(u) if lang == Lang::Zh => format!("{name}（{u}）"),
            Some(u) => format!("{name} ({u})"),
            None => name,
        };
        let choices = match &f.ty {
            Type::Enum(id) => pack
                .enums
                .get(id.0)
                .map(|e| {
                    e.values
                        .iter()
                        .map(|(code, l)| {
                            let label = l
                                .as_ref()
                                .map(|l| l.text(lang).to_string())
                                .filter(|t| !t.is_empty())
                                .unwrap_or_else(|| code.clone());
                            (code.clone(), label)
                        })
                        .collect()
                })
                .unwrap_or_default(),
            Type::Bool => vec![
                ("true".to_string(), msg::template::yes(lang)),
                ("false".to_string(), msg::template::no(lang)),
            ],
            _ => Vec::new(),
        };
        out.push(Column {
            path: f.path.clone(),
            header,
            unit,
            choices,
            required: f.required,
            rules: rules_reading(pack, def, &f.path),
            example: examples
                .iter()
                .find(|(p, _)| *p == f.path)
                .map(|(_, v)| v.clone()),
            field: f.clone(),
        });
    }
    Some(out)
}

/// The ids of the rules that read field `path` of `def`, directly or through derived values.
fn rules_reading(pack: &Pack, def: &RecordDef, path: &str) -> Vec<String> {
    let Some(target) = def.field(path) else {
        return Vec::new();
    };
    let reads = |e: &Expr| {
        let mut found = false;
        let mut stack = vec![e];
        let mut seen = Vec::new();
        while let Some(x) = stack.pop() {
            match &x.kind {
                ExprKind::Field(f) | ExprKind::Present(f) => found |= *f == target,
                ExprKind::Let(id) if !seen.contains(id) => {
                    seen.push(*id);
                    if let Some(l) = pack.lets.get(id.0) {
                        stack.push(&l.value);
                    }
                }
                _ => stack.extend(x.children()),
            }
        }
        found
    };
    pack.rules
        .iter()
        .filter(|r| {
            pack.records
                .get(r.subject.0)
                .is_some_and(|d| d.kind == def.kind)
        })
        .filter(|r| {
            r.when.as_ref().is_some_and(reads)
                || r.locals.iter().any(|(_, e)| reads(e))
                || r.requires.iter().any(|q| reads(&q.condition))
        })
        .map(|r| r.id.to_string())
        .collect()
}

/// Example values of a kind's fields, taken from the rules' own examples
/// (passing ones first): dotted path → value.
fn example_values(pack: &Pack, kind: usize) -> Vec<(String, Value)> {
    fn flatten(prefix: &str, v: &Value, out: &mut Vec<(String, Value)>) {
        if let Value::Object(o) = v {
            for (k, v) in o {
                let path = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                match v {
                    Value::Object(_) => flatten(&path, v, out),
                    _ => {
                        if !out.iter().any(|(p, _)| *p == path) {
                            out.push((path, v.clone()));
                        }
                    }
                }
            }
        }
    }
    let mut out = Vec::new();
    for pass in [true, false] {
        for r in pack.rules.iter().filter(|r| r.subject.0 == kind) {
            for e in r.examples.iter().filter(|e| (e.outcome == "pass") == pass) {
                if let Ok(v) = serde_json::from_str::<Value>(&e.json) {
                    flatten("", &v, &mut out);
                }
            }
        }
    }
    out
}

/// The dotted-path value of `record`.
fn value_at<'v>(record: &'v Value, path: &str) -> Option<&'v Value> {
    path.split('.').try_fold(record, |v, seg| v.get(seg))
}

/// A decimal number's text with the point moved two places left (95.8 → 0.958), exactly.
fn fraction_of_percent(text: &str) -> Option<f64> {
    let n = crate::units::Number::parse(text.trim())?;
    let hundredth = crate::units::Number::ratio(1, 100)?;
    let fraction = &n * &hundredth;
    fraction.format(20).parse().ok()
}

/// How a value of `col` is written in a cell: a number, a percentage (as
/// the fraction it is stored as), a date, or text.
enum CellOut {
    Number(f64),
    Percent(f64),
    Date(f64),
    Text(String),
}

fn cell_out(col: &Column, v: &Value, lang: Lang) -> Option<CellOut> {
    let percent = col.unit.as_deref() == Some("%");
    Some(match (v, &col.field.ty) {
        (Value::Null, _) => return None,
        (Value::Number(n), Type::Num(_)) if percent => fraction_of_percent(&n.to_string())
            .map_or(CellOut::Text(n.to_string()), CellOut::Percent),
        (Value::Number(n), _) => n
            .as_f64()
            .map_or(CellOut::Text(n.to_string()), CellOut::Number),
        (Value::Bool(b), _) => CellOut::Text(if *b {
            msg::template::yes(lang)
        } else {
            msg::template::no(lang)
        }),
        (Value::String(s), Type::Date) => match crate::units::parse_date_lenient(s) {
            Some(d) => {
                let epoch = jiff::civil::date(1899, 12, 30);
                let days = epoch.until(d).map(|s| s.get_days()).unwrap_or(0);
                CellOut::Date(f64::from(days))
            }
            None => CellOut::Text(s.clone()),
        },
        (Value::String(s), Type::Enum(_)) => {
            // An enumeration's code is written as its label, as people fill it in.
            let label = col
                .choices
                .iter()
                .find(|(c, _)| c == s)
                .map(|(_, l)| l.clone());
            CellOut::Text(label.unwrap_or_else(|| s.clone()))
        }
        (Value::String(s), _) => CellOut::Text(s.clone()),
        (other, _) => CellOut::Text(other.to_string()),
    })
}

/// The cell formats of a template.
struct Formats {
    header: Format,
    example: Format,
    percent: Format,
    example_percent: Format,
    date: Format,
    example_date: Format,
    wrap: Format,
}

impl Formats {
    fn new() -> Self {
        let grey = rust_xlsxwriter::Color::RGB(0x80_80_80);
        Formats {
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_background_color(rust_xlsxwriter::Color::RGB(0xDD_EB_F7)),
            example: Format::new().set_italic().set_font_color(grey),
            percent: Format::new().set_num_format("0.0#%"),
            example_percent: Format::new()
                .set_num_format("0.0#%")
                .set_italic()
                .set_font_color(grey),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            example_date: Format::new()
                .set_num_format("yyyy-mm-dd")
                .set_italic()
                .set_font_color(grey),
            wrap: Format::new().set_text_wrap(),
        }
    }
}

fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> String {
    e.to_string()
}

/// What writing rows of a template needs.
struct Rows<'a> {
    cols: &'a [Column],
    lang: Lang,
    f: &'a Formats,
}

impl Rows<'_> {
    /// Writes one row of values (`example`: in the grey of the example row).
    fn write(
        &self,
        sheet: &mut Worksheet,
        row: u32,
        mark: &str,
        record: &Value,
        example: bool,
    ) -> Result<(), String> {
        let (f, lang) = (self.f, self.lang);
        let plain = Format::new();
        let text_format = if example { &f.example } else { &plain };
        sheet
            .write_string_with_format(row, 0, mark, text_format)
            .map_err(xlsx_error)?;
        for (i, col) in self.cols.iter().enumerate() {
            let c = u16::try_from(i + 1).map_err(|e| e.to_string())?;
            let Some(v) = value_at(record, &col.path) else {
                continue;
            };
            match cell_out(col, v, lang) {
                None => {}
                Some(CellOut::Number(n)) => {
                    sheet
                        .write_number_with_format(row, c, n, text_format)
                        .map_err(xlsx_error)?;
                }
                Some(CellOut::Percent(n)) => {
                    let fmt = if example {
                        &f.example_percent
                    } else {
                        &f.percent
                    };
                    sheet
                        .write_number_with_format(row, c, n, fmt)
                        .map_err(xlsx_error)?;
                }
                Some(CellOut::Date(n)) => {
                    let fmt = if example { &f.example_date } else { &f.date };
                    sheet
                        .write_number_with_format(row, c, n, fmt)
                        .map_err(xlsx_error)?;
                }
                Some(CellOut::Text(s)) => {
                    sheet
                        .write_string_with_format(row, c, s, text_format)
                        .map_err(xlsx_error)?;
                }
            }
        }
        Ok(())
    }
}

/// The example record of a template: the example values of its columns.
fn example_record(cols: &[Column]) -> Value {
    let mut root = serde_json::Map::new();
    for col in cols {
        let Some(v) = &col.example else { continue };
        let mut node = &mut root;
        let segs: Vec<&str> = col.path.split('.').collect();
        for (i, seg) in segs.iter().enumerate() {
            if i + 1 == segs.len() {
                node.insert((*seg).to_string(), v.clone());
            } else {
                let entry = node
                    .entry((*seg).to_string())
                    .or_insert_with(|| Value::Object(serde_json::Map::new()));
                match entry {
                    Value::Object(m) => node = m,
                    _ => break,
                }
            }
        }
    }
    Value::Object(root)
}

/// The workbook template of `kind` in `lang`, with `rows` filled in below
/// the example row.
pub fn workbook(pack: &Pack, kind: &str, lang: Lang, rows: &[Value]) -> Result<Vec<u8>, String> {
    let cols = columns(pack, kind, lang).ok_or_else(|| msg::template::no_such_kind(lang, kind))?;
    let (_, def) = pack
        .record(kind)
        .ok_or_else(|| msg::template::no_such_kind(lang, kind))?;
    let f = Formats::new();
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let name = def
        .labels
        .as_ref()
        .map(|l| l.text(lang).to_string())
        .unwrap_or_else(|| def.kind.clone());
    let safe: String = name
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .take(31)
        .collect();
    sheet.set_name(&safe).map_err(xlsx_error)?;
    sheet
        .write_string_with_format(0, 0, msg::template::number_column(lang), &f.header)
        .map_err(xlsx_error)?;
    sheet.set_column_width(0, 8).map_err(xlsx_error)?;
    let last_row = 1 + rows.len() as u32 + 998;
    for (i, col) in cols.iter().enumerate() {
        let c = u16::try_from(i + 1).map_err(|e| e.to_string())?;
        sheet
            .write_string_with_format(0, c, &col.header, &f.header)
            .map_err(xlsx_error)?;
        // Wide enough for the header, a Chinese character counting double.
        let width: usize = col
            .header
            .chars()
            .map(|ch| if ch.is_ascii() { 1 } else { 2 })
            .sum();
        sheet
            .set_column_width(c, (width.clamp(8, 40) + 2) as f64)
            .map_err(xlsx_error)?;
        if col.unit.as_deref() == Some("%") {
            sheet.set_column_format(c, &f.percent).map_err(xlsx_error)?;
        } else if col.field.ty == Type::Date {
            sheet.set_column_format(c, &f.date).map_err(xlsx_error)?;
        }
        let labels: Vec<&str> = col.choices.iter().map(|(_, l)| l.as_str()).collect();
        if !labels.is_empty() {
            // Excel holds at most 255 characters of a list; longer lists go unchecked.
            if let Ok(dv) = DataValidation::new().allow_list_strings(&labels) {
                sheet
                    .add_data_validation(1, c, last_row, c, &dv)
                    .map_err(xlsx_error)?;
            }
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(xlsx_error)?;
    let writer = Rows {
        cols: &cols,
        lang,
        f: &f,
    };
    let mark = EXAMPLE_MARK[usize::from(lang == Lang::En)];
    writer.write(sheet, 1, mark, &example_record(&cols), true)?;
    let note = Note::new(msg::template::example_note(lang));
    sheet.insert_note(1, 0, &note).map_err(xlsx_error)?;
    for (i, record) in rows.iter().enumerate() {
        let row = 2 + i as u32;
        writer.write(sheet, row, &(i + 1).to_string(), record, false)?;
    }
    guide(book.add_worksheet(), pack, &cols, lang, &f)?;
    book.save_to_buffer().map_err(xlsx_error)
}

/// The sheet `填写说明`: every field, its unit, whether it is required, the
/// values it takes and the rules that read it.
fn guide(
    sheet: &mut Worksheet,
    pack: &Pack,
    cols: &[Column],
    lang: Lang,
    f: &Formats,
) -> Result<(), String> {
    sheet
        .set_name(msg::template::guide_sheet(lang))
        .map_err(xlsx_error)?;
    let heads = [
        msg::template::guide_column(lang),
        msg::template::guide_path(lang),
        msg::template::guide_unit(lang),
        msg::template::guide_required(lang),
        msg::template::guide_values(lang),
        msg::template::guide_rules(lang),
        msg::template::guide_example(lang),
    ];
    for (c, h) in heads.iter().enumerate() {
        let c = c as u16;
        sheet
            .write_string_with_format(0, c, h, &f.header)
            .map_err(xlsx_error)?;
        sheet
            .set_column_width(c, if c == 5 { 48 } else { 24 })
            .map_err(xlsx_error)?;
    }
    for (i, col) in cols.iter().enumerate() {
        let row = 1 + i as u32;
        let required = if col.required {
            msg::template::required(lang)
        } else if col.field.default.is_some() {
            msg::template::has_default(lang)
        } else {
            msg::template::read_where_needed(lang)
        };
        let values = match &col.field.ty {
            Type::Date => "YYYY-MM-DD".to_string(),
            _ => col
                .choices
                .iter()
                .map(|(_, l)| l.as_str())
                .collect::<Vec<_>>()
                .join(lang.list_separator()),
        };
        let rules: Vec<String> = col
            .rules
            .iter()
            .map(|id| match pack.rule(id) {
                Some(r) => format!("{id} {}", r.title.text(lang)),
                None => id.clone(),
            })
            .collect();
        let example = col.example.as_ref().map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        });
        let cells = [
            col.header.clone(),
            col.path.clone(),
            col.unit.clone().unwrap_or_default(),
            required,
            values,
            rules.join("\n"),
            example.unwrap_or_default(),
        ];
        for (c, text) in cells.iter().enumerate() {
            sheet
                .write_string_with_format(row, c as u16, text, &f.wrap)
                .map_err(xlsx_error)?;
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(xlsx_error)?;
    Ok(())
}

/// The CSV template of `kind` in `lang` (UTF-8 with a byte-order mark, as
/// Excel opens it), with `rows` filled in below the example row.
pub fn csv(pack: &Pack, kind: &str, lang: Lang, rows: &[Value]) -> Result<String, String> {
    let cols = columns(pack, kind, lang).ok_or_else(|| msg::template::no_such_kind(lang, kind))?;
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let mut header = vec![msg::template::number_column(lang)];
    header.extend(cols.iter().map(|c| c.header.clone()));
    w.write_record(&header).map_err(|e| e.to_string())?;
    let example = example_record(&cols);
    let mark = EXAMPLE_MARK[usize::from(lang == Lang::En)].to_string();
    let all = std::iter::once((mark, &example)).chain(
        rows.iter()
            .enumerate()
            .map(|(i, r)| ((i + 1).to_string(), r)),
    );
    for (mark, record) in all {
        let mut line = vec![mark];
        for col in &cols {
            let text = match value_at(record, &col.path).and_then(|v| cell_out(col, v, lang)) {
                None => String::new(),
                Some(CellOut::Number(n)) => crate::input::number_text(n),
                Some(CellOut::Percent(n)) => format!("{}%", crate::input::percent_text(n)),
                Some(CellOut::Date(_)) => value_at(record, &col.path)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
                Some(CellOut::Text(s)) => s,
            };
            line.push(text);
        }
        w.write_record(&line).map_err(|e| e.to_string())?;
    }
    let bytes = w.into_inner().map_err(|e| e.to_string())?;
    Ok(format!("\u{feff}{}", String::from_utf8_lossy(&bytes)))
}
