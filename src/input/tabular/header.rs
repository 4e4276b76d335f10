//! Headers as people write them: a cell names a field by its dotted path
//! or by the pack's Chinese or English title, compared after normalising
//! width, spaces and case; a unit in brackets after the title is the unit
//! of the column's bare numbers; `序号` and `备注` columns are ignored.

use crate::diagnostics::did_you_mean;
use crate::i18n::{msg, Lang};
use crate::model::{Finding, Reserved};
use crate::pack::{KindId, Pack, Type};
use crate::text::normalize;
use crate::units::{self, UnitRef};
use std::collections::HashMap;

/// Normalised names of the columns that say a row's kind.
const KIND_COLUMNS: [&str; 4] = ["kind", "记录类型", "recordkind", "类型"];
/// Normalised names of columns that carry no field (row numbers, remarks).
const IGNORED_COLUMNS: [&str; 8] = [
    "序号", "备注", "no.", "no", "#", "remark", "remarks", "说明",
];

/// What a header names, for one record kind.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldColumn {
    /// The kind the field belongs to.
    pub kind: KindId,
    /// The field's dotted path.
    pub path: String,
    /// The unit the header gives the column's bare numbers.
    pub unit: Option<UnitRef>,
    /// The header's unit as written, when it is not a unit of the field's
    /// dimension (or no unit at all): values of the column are read with it,
    /// so the finding says what is wrong, at the header cell.
    pub bad_unit: Option<String>,
}

/// What a header cell is.
#[derive(Clone, Debug, PartialEq)]
pub enum Role {
    /// An empty header cell: the column is not read.
    Empty,
    /// The column says each row's kind.
    Kind,
    /// A column read by no rule (`序号`, `备注`).
    Ignored,
    /// A field, for each kind that has it.
    Field(Vec<FieldColumn>),
    /// A header that names nothing the pack knows.
    Unknown,
}

/// A header cell as the user wrote it, and what it names.
#[derive(Clone, Debug)]
pub struct Column {
    /// The header as written (line breaks and all).
    pub written: String,
    /// What it names.
    pub role: Role,
}

impl Column {
    /// The field this column fills for records of `kind`.
    pub fn field(&self, kind: KindId) -> Option<&FieldColumn> {
        match &self.role {
            Role::Field(fs) => fs.iter().find(|f| f.kind == kind),
            _ => None,
        }
    }
}

/// The findings about a header's columns, by column: a header naming
/// nothing the pack knows, and, in a sheet of one kind (`kind`), a header
/// naming only fields of other kinds — said once at its header (§3.3: not
/// once per row) and made `Ignored`, so that no row reads it.
pub fn column_findings(
    pack: &Pack,
    index: &TitleIndex,
    kind: Option<KindId>,
    columns: &mut [Column],
    lang: Lang,
) -> Vec<(usize, Finding)> {
    let mut out = Vec::new();
    let sheet_kind = kind.and_then(|k| Some((k, pack.records.get(k.0)?)));
    for (i, col) in columns.iter_mut().enumerate() {
        let (message, help) = match (&col.role, sheet_kind) {
            (Role::Unknown, _) => (
                msg::input::unknown_column(lang, &col.written),
                index
                    .suggest(kind, &col.written)
                    .map(|s| msg::input::did_you_mean_quoted(lang, &s))
                    .unwrap_or_else(|| msg::input::unknown_column_help(lang)),
            ),
            (Role::Field(_), Some((k, def))) if col.field(k).is_none() => {
                let record = def
                    .labels
                    .as_ref()
                    .map_or(def.kind.as_str(), |l| l.get(lang).as_str());
                col.role = Role::Ignored;
                (
                    msg::input::column_other_kind(lang, &col.written, record),
                    index
                        .suggest(Some(k), &col.written)
                        .map(|s| msg::input::did_you_mean_quoted(lang, &s))
                        .unwrap_or_else(|| msg::input::cells_unread_help(lang)),
                )
            }
            _ => continue,
        };
        out.push((
            i,
            Finding::input(Reserved::InputUnknownField, message, Some(help), None),
        ));
    }
    out
}

/// Every name a header may give a field: normalised path or title → the fields.
pub struct TitleIndex {
    names: HashMap<String, Vec<(KindId, String)>>,
    /// The keys of `names`, sorted: did-you-mean walks them in a fixed
    /// order, so that a tie always gives the same suggestion.
    sorted: Vec<String>,
    /// Per record kind, what an unknown header may be suggested:
    /// (normalised name, the name as the pack writes it, the field's path).
    /// Built once, not for every unknown header of a wide sheet.
    suggestions: Vec<Vec<Suggestion>>,
}

/// A name a header may be told it meant.
struct Suggestion {
    normalised: String,
    written: String,
    path: String,
}

impl TitleIndex {
    /// The index of every record kind of `pack`.
    pub fn new(pack: &Pack) -> Self {
        let mut names: HashMap<String, Vec<(KindId, String)>> = HashMap::new();
        for (k, def) in pack.records.iter().enumerate() {
            for f in &def.fields {
                let mut keys = vec![normalize(&f.path)];
                if let Some(l) = &f.labels {
                    keys.push(normalize(&l.zh));
                    keys.push(normalize(&l.en));
                    keys.push(normalize(&format!("{} / {}", l.zh, l.en)));
                }
                for key in keys.into_iter().filter(|k| !k.is_empty()) {
                    let entry = names.entry(key).or_default();
                    // The first field of a kind with a name keeps it
                    // (`indicators.pm25` before `baseline.indicators.pm25`).
                    if !entry.iter().any(|(kind, _)| kind.0 == k) {
                        entry.push((KindId(k), f.path.clone()));
                    }
                }
            }
        }
        let mut sorted: Vec<String> = names.keys().cloned().collect();
        sorted.sort_unstable();
        let suggestions = pack
            .records
            .iter()
            .map(|def| {
                def.fields
                    .iter()
                    .flat_map(|f| {
                        let mut c = vec![f.path.clone()];
                        if let Some(l) = &f.labels {
                            c.push(l.zh.clone());
                            c.push(l.en.clone());
                        }
                        c.into_iter().map(|written| Suggestion {
                            normalised: normalize(&written),
                            written,
                            path: f.path.clone(),
                        })
                    })
                    .collect()
            })
            .collect();
        TitleIndex {
            names,
            sorted,
            suggestions,
        }
    }

    /// What the header `written` names.
    pub fn column(&self, pack: &Pack, written: &str) -> Column {
        let n = normalize(written);
        let role = if n.is_empty() {
            Role::Empty
        } else if KIND_COLUMNS.contains(&n.as_str()) {
            Role::Kind
        } else if IGNORED_COLUMNS.contains(&n.as_str()) {
            Role::Ignored
        } else if let Some(fields) = self.names.get(&n) {
            Role::Field(
                fields
                    .iter()
                    .map(|(kind, path)| FieldColumn {
                        kind: *kind,
                        path: path.clone(),
                        unit: None,
                        bad_unit: None,
                    })
                    .collect(),
            )
        } else {
            self.with_unit(pack, &n).unwrap_or(Role::Unknown)
        };
        Column {
            written: written.to_string(),
            role,
        }
    }

    /// A title followed by a unit in brackets: `用地面积（公顷）`, `城市污水处理率(%)`.
    fn with_unit(&self, pack: &Pack, n: &str) -> Option<Role> {
        let (open, close) = if n.ends_with(')') {
            ('(', ')')
        } else if n.ends_with(']') {
            ('[', ']')
        } else {
            return None;
        };
        let inner_end = n.len() - close.len_utf8();
        let start = n.get(..inner_end)?.rfind(open)?;
        let title = n.get(..start)?;
        let unit_text = n.get(start + open.len_utf8()..inner_end)?;
        let fields = self.names.get(title)?;
        let columns = fields
            .iter()
            .map(|(kind, path)| {
                let def = pack.records.get(kind.0);
                let field = def.and_then(|d| d.field(path).and_then(|f| d.get(f)));
                let mut col = FieldColumn {
                    kind: *kind,
                    path: path.clone(),
                    unit: None,
                    bad_unit: None,
                };
                if let Some(Type::Num(dim)) = field.map(|f| &f.ty) {
                    match unit_of(unit_text, &pack.units) {
                        Some(u) if u.dim == *dim => col.unit = Some(u),
                        _ => col.bad_unit = Some(unit_text.to_string()),
                    }
                }
                // Other fields ignore a bracketed remark (`申请日期（年月日）`).
                col
            })
            .collect();
        Some(Role::Field(columns))
    }

    /// The titles a header came nearest to, for help lines.
    pub fn nearest(&self, written: &str) -> Option<String> {
        let n = normalize(written);
        did_you_mean(&n, self.sorted.iter().map(String::as_str))
    }

    /// A did-you-mean for an unknown header of a record of `kind`: a title
    /// as the pack writes it, with its path. Without a kind (a table whose
    /// kind column says it row by row) every kind's names are candidates.
    pub fn suggest(&self, kind: Option<KindId>, written: &str) -> Option<String> {
        let n = normalize(written);
        let candidates: Vec<&Suggestion> = match kind {
            Some(k) => self.suggestions.get(k.0)?.iter().collect(),
            None => self.suggestions.iter().flatten().collect(),
        };
        // A field's last name alone (`pm25`) names the first field of the
        // kind that ends so (`indicators.pm25`, before the baseline's).
        let ends = |c: &&&Suggestion| {
            c.path
                .rsplit_once('.')
                .is_some_and(|(_, tail)| normalize(tail) == n)
        };
        let found = match candidates.iter().find(ends) {
            Some(found) => found,
            None => {
                let best = did_you_mean(&n, candidates.iter().map(|c| c.normalised.as_str()))?;
                candidates.iter().find(|c| c.normalised == best)?
            }
        };
        Some(if found.written == found.path {
            format!("`{}`", found.path)
        } else {
            format!("`{}` (`{}`)", found.written, found.path)
        })
    }
}

/// What a units row says in a column without units.
const NO_UNIT_MARKS: [&str; 9] = [
    "单位",
    "计量单位",
    "unit",
    "units",
    "—",
    "-",
    "/",
    "无",
    "——",
];

/// Whether `cells`, the first row under the header `columns`, is a row of
/// units (`万元`, `亿元`, `公顷` under the numeric columns) rather than a
/// record; if so, each column's unit. Every cell it fills is a unit of the
/// column's dimension or a mark (`—`, `/`, `单位` under any column; `年`
/// under a year), at least one is a unit, and none contradicts a unit the
/// header already gives: anything else is a record, checked as one.
pub fn units_row(
    pack: &Pack,
    columns: &[Column],
    cells: &[String],
) -> Option<Vec<Option<UnitRef>>> {
    let mut units = vec![None; columns.len()];
    let mut any = false;
    for (i, text) in cells.iter().enumerate() {
        let n = normalize(text);
        if n.is_empty() {
            continue;
        }
        if NO_UNIT_MARKS.contains(&n.as_str()) {
            continue;
        }
        let dims: Vec<(&crate::units::Dim, Option<&UnitRef>, bool)> = columns
            .get(i)
            .and_then(|c| match &c.role {
                Role::Field(fs) => Some(fs),
                _ => None,
            })
            .into_iter()
            .flatten()
            .filter_map(|fc| {
                let def = pack.records.get(fc.kind.0)?;
                let field = def.field(&fc.path).and_then(|f| def.get(f))?;
                match &field.ty {
                    Type::Num(dim) => Some((dim, fc.unit.as_ref(), field.is_year)),
                    _ => None,
                }
            })
            .collect();
        if dims.is_empty() {
            return None;
        }
        // A year column's unit is the year itself.
        if (n == "年" || n == "year") && dims.iter().all(|(_, _, year)| *year) {
            continue;
        }
        let text = text.trim();
        let text = text
            .strip_prefix(['(', '（'])
            .and_then(|t| t.strip_suffix([')', '）']))
            .unwrap_or(text);
        let unit = unit_of(text, &pack.units)?;
        for (dim, header_unit, _) in dims {
            if unit.dim != *dim || header_unit.is_some_and(|h| h.scale != unit.scale) {
                return None;
            }
        }
        if let Some(slot) = units.get_mut(i) {
            *slot = Some(unit);
            any = true;
        }
    }
    any.then_some(units)
}

/// A unit as written in a header: `%`, `万元`, `微克/立方米`, `公顷`.
fn unit_of(text: &str, table: &units::UnitTable) -> Option<UnitRef> {
    let text = text.trim();
    let parsed = table.parse(text).or_else(|| {
        // A multiplier before a unit, or alone: `万平方米`, `万`.
        let (factor, rest) = units::multiplier(text)?;
        let base = if rest.trim().is_empty() {
            units::Unit::none()
        } else {
            table.parse(rest)?
        };
        Some(units::Unit {
            symbol: text.to_string(),
            dim: base.dim.clone(),
            scale: &base.scale * &factor,
        })
    })?;
    Some(units::intern(parsed))
}

/// Whether a row of headers is the header of a table: for some record kind
/// it names at least two different fields, or one and nothing unknown. (A
/// row naming one field twice, by title and by path, describes a field; it
/// is no header.)
pub fn is_header(columns: &[Column]) -> bool {
    let fields = fields_named(columns);
    let others = columns
        .iter()
        .filter(|c| matches!(c.role, Role::Unknown))
        .count();
    fields >= 2 || (fields == 1 && others == 0)
}

/// How many different fields a row of headers names, for the record kind
/// it names most of (a kind column counts as one).
pub fn fields_named(columns: &[Column]) -> usize {
    let mut named: HashMap<KindId, Vec<&str>> = HashMap::new();
    let mut kind_column = 0;
    for c in columns {
        match &c.role {
            Role::Field(fs) => {
                for f in fs {
                    let paths = named.entry(f.kind).or_default();
                    if !paths.contains(&f.path.as_str()) {
                        paths.push(&f.path);
                    }
                }
            }
            Role::Kind => kind_column = 1,
            _ => {}
        }
    }
    named.values().map(Vec::len).max().unwrap_or(0) + kind_column
}

/// The record kind of a table without a kind column: the one kind some of
/// its headers name and no other kind has.
pub fn kind_of_headers(columns: &[Column]) -> Option<KindId> {
    let mut kinds: Vec<KindId> = Vec::new();
    for c in columns {
        if let Role::Field(fs) = &c.role {
            if let [only] = fs.as_slice() {
                if !kinds.contains(&only.kind) {
                    kinds.push(only.kind);
                }
            }
        }
    }
    match kinds.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}
