//! The checked rule pack: names resolved, types and units known.
//!
//! `check` builds a [`Pack`] from syntax trees; the evaluator only ever sees
//! a `Pack`, never an AST. Every expression carries its type and span.

mod expr;
mod json_schema;
mod schema;

pub use expr::{Expr, ExprKind, Func, Op, Special, Type, Value};
pub use json_schema::schema as json_schema;
pub use schema::{pointer_of, ReadingPlan, SchemaNode, SchemaTree, Shape, Step};

use crate::i18n::{Bilingual, Lang};
use crate::source::{SourceMap, Span};
use crate::units::{Date, Number, UnitRef};
use smol_str::SmolStr;
use std::collections::HashMap;
use std::sync::Arc;

/// A loaded, checked rule pack.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Pack {
    /// The pack's name.
    pub name: String,
    /// Its title.
    pub title: Bilingual<String>,
    /// First day in force.
    pub period_start: Date,
    /// Last day in force.
    pub period_end: Date,
    /// The document rules cite, with its name.
    #[serde(with = "crate::source::shared_text::named")]
    pub source_doc: Option<(String, Arc<str>)>,
    /// Enumerations.
    pub enums: Vec<EnumDef>,
    /// Submission kinds.
    pub records: Vec<RecordDef>,
    /// Lookup tables.
    pub tables: Vec<TableDef>,
    /// Derived values.
    pub lets: Vec<LetDef>,
    /// Rules, in file order.
    pub rules: Vec<RuleDef>,
    /// The units it may use: the language's and those it declares.
    pub units: crate::units::UnitTable,
    /// The rule files, for rendering spans in rule diagnostics.
    pub sources: SourceMap,
    /// What later phases derive from the pack, built once at first use.
    #[serde(skip)]
    pub derived: Derived,
}

/// Values later phases derive from a pack (the index of field titles that
/// spreadsheet headers are read against, the SARIF driver's rule entries),
/// each built at its first use and kept with the pack: a batch of
/// spreadsheets builds the index once, a service its SARIF preamble once,
/// not per file or request. They are kept by type, erased because `pack`
/// depends on no later phase; each phase stores its own type. `reindex`
/// clears them; a pack changed otherwise after use must be built anew.
#[derive(Default)]
pub struct Derived(std::sync::RwLock<Vec<(std::any::TypeId, AnyArc)>>);

type AnyArc = Arc<dyn std::any::Any + Send + Sync>;

impl Derived {
    /// The value of type `T`, built by `make` at its first use. `make` runs
    /// outside the lock (it may use other derived values); when two threads
    /// race, the value stored first is the one every caller gets.
    pub fn get_or_init<T: std::any::Any + Send + Sync>(&self, make: impl FnOnce() -> T) -> Arc<T> {
        let key = std::any::TypeId::of::<T>();
        let find = |slots: &[(std::any::TypeId, AnyArc)]| {
            slots
                .iter()
                .find(|(k, _)| *k == key)
                .and_then(|(_, v)| v.clone().downcast::<T>().ok())
        };
        // A poisoned lock only means a builder panicked elsewhere; the
        // values stored are whole, so they are still read.
        if let Some(found) = find(&self.0.read().unwrap_or_else(|p| p.into_inner())) {
            return found;
        }
        let made = Arc::new(make());
        let mut slots = self.0.write().unwrap_or_else(|p| p.into_inner());
        if let Some(found) = find(&slots) {
            return found;
        }
        slots.push((key, made.clone()));
        made
    }
}

impl std::fmt::Debug for Derived {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.0.read().map_or(0, |s| s.len());
        write!(f, "Derived({n} built)")
    }
}

impl Pack {
    /// Rebuilds the indexes a pre-checked pack does not store.
    pub fn reindex(&mut self) {
        self.derived = Derived::default();
        for r in &mut self.records {
            r.index = r
                .fields
                .iter()
                .enumerate()
                .map(|(i, f)| (f.path.clone(), FieldId(i)))
                .collect();
            r.plan = schema::ReadingPlan::build(&r.tree, &r.fields);
        }
    }
    /// The record kind named `kind`.
    pub fn record(&self, kind: &str) -> Option<(KindId, &RecordDef)> {
        self.records
            .iter()
            .enumerate()
            .find(|(_, r)| r.kind == kind)
            .map(|(i, r)| (KindId(i), r))
    }
    /// The rule with id `id`.
    pub fn rule(&self, id: &str) -> Option<&RuleDef> {
        self.rules.iter().find(|r| &*r.id == id)
    }
}

/// Index of a record kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct KindId(pub usize);
/// Index of a field within its record kind.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct FieldId(pub usize);
/// Index of an enumeration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct EnumId(pub usize);
/// Index of a table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct TableId(pub usize);
/// Index of a derived value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct LetId(pub usize);

/// An enumeration.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
#[serde(from = "EnumData", into = "EnumData")]
pub struct EnumDef {
    /// Its name.
    pub name: String,
    /// Its description.
    pub labels: Option<Bilingual<String>>,
    /// Values with descriptions.
    pub values: Vec<(String, Option<Bilingual<String>>)>,
    /// The values once more, as records hold them (short ones inline).
    pub interned: Vec<SmolStr>,
    /// Each value by its exact text, then by its code and labels normalised:
    /// an enumeration of any size answers in constant time.
    exact: HashMap<SmolStr, usize>,
    written: HashMap<String, usize>,
}

/// What an enumeration is made from (its indexes are rebuilt).
#[derive(serde::Serialize, serde::Deserialize)]
struct EnumData {
    name: String,
    labels: Option<Bilingual<String>>,
    values: Vec<(String, Option<Bilingual<String>>)>,
}

impl From<EnumData> for EnumDef {
    fn from(d: EnumData) -> Self {
        EnumDef::new(d.name, d.labels, d.values)
    }
}

impl From<EnumDef> for EnumData {
    fn from(e: EnumDef) -> Self {
        EnumData {
            name: e.name,
            labels: e.labels,
            values: e.values,
        }
    }
}

impl EnumDef {
    /// An enumeration of `values`.
    pub fn new(
        name: String,
        labels: Option<Bilingual<String>>,
        values: Vec<(String, Option<Bilingual<String>>)>,
    ) -> Self {
        let interned: Vec<SmolStr> = values
            .iter()
            .map(|(v, _)| SmolStr::from(v.as_str()))
            .collect();
        let mut exact = HashMap::with_capacity(values.len());
        for (i, v) in interned.iter().enumerate() {
            exact.entry(v.clone()).or_insert(i);
        }
        let mut written = HashMap::new();
        // Codes first, so that a label never hides another value's code.
        for (i, (code, _)) in values.iter().enumerate() {
            written.entry(crate::text::normalize(code)).or_insert(i);
        }
        for (i, (_, labels)) in values.iter().enumerate() {
            if let Some(l) = labels {
                for text in [&l.zh, &l.en] {
                    let n = crate::text::normalize(text);
                    if !n.is_empty() {
                        written.entry(n).or_insert(i);
                    }
                }
            }
        }
        EnumDef {
            name,
            labels,
            values,
            interned,
            exact,
            written,
        }
    }

    /// The shared text of value `v`, if it is one.
    pub fn intern(&self, v: &str) -> Option<SmolStr> {
        self.index_of(v).and_then(|i| self.interned.get(i)).cloned()
    }

    /// The index of value `v`: a few values are compared in turn (cheaper
    /// than hashing the text), many are looked up.
    fn index_of(&self, v: &str) -> Option<usize> {
        if self.interned.len() <= 16 {
            return self.interned.iter().position(|x| **x == *v);
        }
        self.exact.get(v).copied()
    }

    /// The value `v` names, as people write it: the value itself, or (compared
    /// after normalising width, spaces and case) its code or one of its labels
    /// (`工业`, `省级开发区`).
    pub fn resolve(&self, v: &str) -> Option<SmolStr> {
        if let Some(exact) = self.intern(v) {
            return Some(exact);
        }
        let n = crate::text::normalize(v);
        if n.is_empty() {
            return None;
        }
        self.written
            .get(&n)
            .and_then(|i| self.interned.get(*i))
            .cloned()
    }

    /// Whether `v` is one of the values.
    pub fn contains(&self, v: &str) -> bool {
        self.index_of(v).is_some()
    }
}

/// A submission kind.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct RecordDef {
    /// The `kind` value.
    pub kind: String,
    /// Its description.
    pub labels: Option<Bilingual<String>>,
    /// The field that dates a record (a date, or a year meaning 31 December).
    pub dated_by: Option<FieldId>,
    /// The field holding the record's id.
    pub id_field: Option<FieldId>,
    /// Fields, flattened to dotted paths.
    pub fields: Vec<FieldDef>,
    /// The fields as a tree of JSON members, for reading a record in one pass.
    pub tree: SchemaTree,
    /// Consistency checks on input.
    pub checks: Vec<CheckDef>,
    /// Each field by its dotted path (rebuilt, not stored, in the pre-checked form).
    #[serde(skip)]
    pub index: HashMap<String, FieldId>,
    /// The tree laid out for the direct reader (rebuilt, not stored).
    #[serde(skip)]
    pub plan: schema::ReadingPlan,
}

impl RecordDef {
    /// The field at dotted `path`.
    pub fn field(&self, path: &str) -> Option<FieldId> {
        self.index.get(path).copied()
    }
    /// The field behind `id`.
    pub fn get(&self, id: FieldId) -> Option<&FieldDef> {
        self.fields.get(id.0)
    }
}

/// A declared field.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct FieldDef {
    /// Dotted path.
    pub path: String,
    /// Its type.
    pub ty: Type,
    /// A whole-number year.
    pub is_year: bool,
    /// The canonical unit of a number.
    #[serde(with = "crate::units::serde_unit")]
    pub unit: Option<UnitRef>,
    /// Absent → the record is invalid.
    pub required: bool,
    /// Absent → this.
    pub default: Option<DefaultDef>,
    /// Lower bound: value and inclusiveness.
    pub bound: Option<(Number, bool)>,
    /// Description.
    pub labels: Option<Bilingual<String>>,
    /// Declaration.
    pub span: Span,
}

impl FieldDef {
    /// The field's label in `lang`, or its path.
    pub fn title(&self, lang: Lang) -> &str {
        self.labels
            .as_ref()
            .map(|l| l.text(lang))
            .filter(|s| !s.is_empty())
            .unwrap_or(&self.path)
    }
}

/// The value of an absent field.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct DefaultDef {
    /// The value.
    pub value: DefaultValueDef,
    /// When this holds, absence is `missing` after all.
    pub unless: Option<Expr>,
}

/// A default value.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub enum DefaultValueDef {
    /// An expression.
    Expr(Expr),
    /// A text template.
    Template(Template),
}

/// `check COND at PATH message …`
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct CheckDef {
    /// Must hold.
    pub condition: Expr,
    /// Blamed field.
    pub at: FieldId,
    /// Message.
    pub message: Bilingual<String>,
}

/// A lookup table keyed by an enumeration.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct TableDef {
    /// Its name.
    pub name: String,
    /// Key enumeration.
    pub key: EnumId,
    /// Entries.
    pub entries: Vec<(String, Value)>,
    /// Value for keys not listed.
    pub default: Option<Value>,
    /// Value type.
    pub ty: Type,
}

/// A derived value.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct LetDef {
    /// Its name.
    pub name: String,
    /// The record kind it derives from.
    pub kind: KindId,
    /// Definition.
    pub value: Expr,
}

/// The force of a rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Force {
    /// 约束性: an error.
    Binding,
    /// 预期性: a warning.
    Expected,
    /// 原则上: an error that a waiver may cover.
    InPrinciple,
    /// 严禁 / 禁止 / 一律: an error.
    Prohibition,
}

impl Force {
    /// All forces with their spellings.
    pub const ALL: [(&'static str, Force); 4] = [
        ("binding", Force::Binding),
        ("expected", Force::Expected),
        ("in_principle", Force::InPrinciple),
        ("prohibition", Force::Prohibition),
    ];

    /// The spelling in rule files.
    pub fn as_str(self) -> &'static str {
        match self {
            Force::Binding => "binding",
            Force::Expected => "expected",
            Force::InPrinciple => "in_principle",
            Force::Prohibition => "prohibition",
        }
    }

    /// The force as shown in `lang`: the plan's word, or the pack's spelling.
    pub fn name(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh(),
            Lang::En => self.as_str(),
        }
    }

    /// The plan's word.
    pub fn zh(self) -> &'static str {
        match self {
            Force::Binding => "约束性",
            Force::Expected => "预期性",
            Force::InPrinciple => "原则上",
            Force::Prohibition => "禁止性",
        }
    }
}

/// A rule.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct RuleDef {
    /// Its id.
    pub id: Arc<str>,
    /// Its title.
    pub title: Bilingual<String>,
    /// Its force.
    pub force: Force,
    /// The record kind it applies to.
    pub subject: KindId,
    /// First day in force.
    pub from: Option<Date>,
    /// Last day in force.
    pub until: Option<Date>,
    /// Citations.
    pub cites: Vec<CitationDef>,
    /// Note.
    pub note: Option<Bilingual<String>>,
    /// Applicability.
    pub when: Option<Expr>,
    /// Local derived values, by index.
    pub locals: Vec<(String, Expr)>,
    /// Requirements.
    pub requires: Vec<RequireDef>,
    /// Examples.
    pub examples: Vec<ExampleDef>,
    /// The `$param`s of the templates the rule uses, each with the text of
    /// its argument and whether that text needs parentheses inside other
    /// text: a span of the rule's parts that lies in a template reads with
    /// these put in (`report::explain::written_in`).
    pub written: Vec<(Span, String, bool)>,
    /// Declaration.
    pub span: Span,
}

/// A citation of the plan.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct CitationDef {
    /// Section.
    pub section: String,
    /// Verbatim fragments with the 1-based line of the source where each starts.
    pub quotes: Vec<(String, usize)>,
}

/// One requirement.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct RequireDef {
    /// Must hold.
    pub condition: Expr,
    /// The comparison inside, for actual / limit / gap.
    pub comparison: Option<Comparison>,
    /// A path to the target year.
    pub track: Option<TrackDef>,
    /// The field a finding points at.
    pub at: Option<FieldId>,
    /// Message templates.
    pub message: MessageDef,
}

/// `actual OP limit` at the top of a requirement.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Comparison {
    /// Operator.
    pub op: Op,
    /// The submitted side.
    pub actual: Expr,
    /// The limit side.
    pub limit: Expr,
}

/// A path from the baseline to a target.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct TrackDef {
    /// Target year.
    pub by: i64,
    /// Interpolation.
    pub kind: TrackKind,
    /// Baseline value.
    pub from: Expr,
    /// Baseline year.
    pub since: Expr,
}

/// How the path is interpolated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum TrackKind {
    /// A straight line.
    Linear,
    /// Constant annual growth.
    Compound,
}

/// Messages in both languages.
pub type MessageDef = Bilingual<Template>;

/// A text with interpolations.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Template(pub Vec<TemplatePart>);

/// Part of a template.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub enum TemplatePart {
    /// Verbatim.
    Text(String),
    /// Interpolated.
    Expr(Expr),
}

/// An example written next to a rule.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct ExampleDef {
    /// The outcome it must give, as written (`check` verifies it names an outcome).
    pub outcome: String,
    /// The record.
    pub json: String,
    /// Where it is written.
    pub span: Span,
}
