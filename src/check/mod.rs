//! Check: syntax trees → a resolved, typed [`Pack`].
//!
//! Input: the syntax trees of a pack's files and the text of the document
//! the rules cite. Output: a [`Pack`] ready for evaluation, or every static
//! error found (unknown names with did-you-mean, type and dimension errors,
//! duplicates, missing parts, quotes not found verbatim). `check` performs no
//! IO and never evaluates a record.

mod errors;

pub use errors::{CheckError, CheckErrorKind};

use crate::ast::{self, BinaryOp, ExprKind as A};
use crate::diagnostics::did_you_mean_help;
use crate::pack::*;
use crate::source::{line_column, SourceMap, Span};
use crate::units::{self, parse_date, Dim, Number, UnitRef};
use std::collections::HashMap;
use std::sync::Arc;

/// The document rules cite: its name as the header gives it and its text,
/// or why it could not be read.
pub type SourceDoc = (String, Result<Arc<str>, String>);

/// Checks a whole pack. Errors are sorted by file, then position, then code.
pub fn check_pack(
    files: &[ast::File],
    sources: SourceMap,
    doc: Option<SourceDoc>,
) -> Result<Pack, Vec<CheckError>> {
    let mut cx = Checker::default();
    let pack = cx.pack(files, sources, doc);
    if cx.errors.is_empty() {
        if let Some(pack) = pack {
            return Ok(pack);
        }
    }
    let mut errors = cx.errors;
    errors.sort_by(|a, b| {
        (a.at.source, a.at.start, a.code()).cmp(&(b.at.source, b.at.start, b.code()))
    });
    errors.dedup();
    Err(errors)
}

/// Names visible inside an expression.
#[derive(Clone, Default)]
struct Scope {
    kind: Option<KindId>,
    locals: Vec<(String, Type)>,
    /// The dimension of `actual` / `limit` / `gap` in a message, if allowed.
    specials: Option<Dim>,
    /// Whether `target` is allowed (messages of tracked requirements).
    target: bool,
}

#[derive(Default)]
struct Checker {
    errors: Vec<CheckError>,
    enums: Vec<EnumDef>,
    records: Vec<RecordDef>,
    tables: Vec<TableDef>,
    table_index: HashMap<String, TableId>,
    lets: Vec<LetDef>,
    let_index: HashMap<(usize, String), LetId>,
    /// Derived values by kind and name, not yet checked, for order-free resolution.
    pending_lets: HashMap<(usize, String), ast::LetDecl>,
    in_progress: Vec<(usize, String)>,
}

const BUILTIN_TYPES: [&str; 6] = ["text", "bool", "date", "year", "number", "waivers"];

impl Checker {
    fn err(&mut self, kind: CheckErrorKind, at: Span, help: Option<String>) {
        self.errors.push(CheckError::new(kind, at, help));
    }

    fn enum_id(&self, name: &str) -> Option<EnumId> {
        self.enums.iter().position(|e| e.name == name).map(EnumId)
    }

    fn pack(
        &mut self,
        files: &[ast::File],
        sources: SourceMap,
        doc: Option<SourceDoc>,
    ) -> Option<Pack> {
        let items: Vec<&ast::Item> = files.iter().flat_map(|f| f.items.iter()).collect();

        // The header.
        let headers: Vec<&ast::PackDecl> = items
            .iter()
            .filter_map(|i| {
                if let ast::Item::Pack(p) = i {
                    Some(p)
                } else {
                    None
                }
            })
            .collect();
        let header = match headers.as_slice() {
            [] => {
                let at = Span::default();
                self.err(
                    CheckErrorKind::PackHeader {
                        what: "the pack has no `pack \"name\" { … }` header".into(),
                    },
                    at,
                    Some("add a header with the pack's name, period and source document".into()),
                );
                None
            }
            [h, rest @ ..] => {
                for r in rest {
                    self.err(
                        CheckErrorKind::Duplicate {
                            what: "pack header",
                            name: r.name.node.clone(),
                        },
                        r.name.span,
                        Some("keep one `pack` header per pack".into()),
                    );
                }
                Some(*h)
            }
        };
        let (period_start, period_end) = match header.and_then(|h| h.period.as_ref()) {
            Some((a, b)) => match (parse_date(&a.node), parse_date(&b.node)) {
                (Some(a), Some(b)) => (a, b),
                _ => return None,
            },
            None => {
                if let Some(h) = header {
                    self.err(
                        CheckErrorKind::MissingPart {
                            what: "pack",
                            name: h.name.node.clone(),
                            part: "`period`",
                        },
                        h.span,
                        Some("add `period YYYY-MM-DD to YYYY-MM-DD`".into()),
                    );
                }
                (units::Date::MIN, units::Date::MAX)
            }
        };

        // Enumerations.
        for item in &items {
            if let ast::Item::Enum(e) = item {
                if self.enum_id(&e.name.node).is_some() {
                    self.err(
                        CheckErrorKind::Duplicate {
                            what: "enumeration",
                            name: e.name.node.clone(),
                        },
                        e.name.span,
                        None,
                    );
                    continue;
                }
                let mut values: Vec<(String, Option<Text2>)> = Vec::new();
                for v in &e.values {
                    if values.iter().any(|(x, _)| *x == v.name.node) {
                        self.err(
                            CheckErrorKind::Duplicate {
                                what: "enumeration value",
                                name: v.name.node.clone(),
                            },
                            v.name.span,
                            None,
                        );
                    }
                    values.push((v.name.node.clone(), v.labels.as_ref().map(text2)));
                }
                let interned = values.iter().map(|(v, _)| Arc::from(v.as_str())).collect();
                self.enums.push(EnumDef {
                    name: e.name.node.clone(),
                    labels: e.labels.as_ref().map(text2),
                    values,
                    interned,
                });
            }
        }

        // Records, with groups expanded.
        let groups: HashMap<&str, &ast::GroupDecl> = items
            .iter()
            .filter_map(|i| {
                if let ast::Item::Group(g) = i {
                    Some((g.name.node.as_str(), g))
                } else {
                    None
                }
            })
            .collect();
        let record_decls: Vec<&ast::RecordDecl> = items
            .iter()
            .filter_map(|i| {
                if let ast::Item::Record(r) = i {
                    Some(r)
                } else {
                    None
                }
            })
            .collect();
        for r in &record_decls {
            if self.records.iter().any(|x| x.kind == r.name.node) {
                self.err(
                    CheckErrorKind::Duplicate {
                        what: "record",
                        name: r.name.node.clone(),
                    },
                    r.name.span,
                    None,
                );
                continue;
            }
            let mut fields = Vec::new();
            for f in &r.fields {
                self.field(f, "", &groups, &mut fields, 0);
            }
            let dated_by = r.dated_by.as_ref().and_then(|d| {
                let id = fields
                    .iter()
                    .position(|f: &FieldDef| f.path == d.node)
                    .map(FieldId);
                match id {
                    Some(id) => {
                        let ok = fields
                            .get(id.0)
                            .is_some_and(|f| f.ty == Type::Date || f.is_year);
                        if !ok {
                            self.err(
                                CheckErrorKind::TypeMismatch {
                                    context: "`dated by`".into(),
                                    expected: "a date or year field".into(),
                                    found: "another type".into(),
                                },
                                d.span,
                                None,
                            );
                        }
                        Some(id)
                    }
                    None => {
                        let help =
                            did_you_mean_help(&d.node, fields.iter().map(|f| f.path.as_str()));
                        self.err(
                            CheckErrorKind::Unknown {
                                what: "field",
                                name: d.node.clone(),
                            },
                            d.span,
                            help,
                        );
                        None
                    }
                }
            });
            let id_field = fields.iter().position(|f| f.path == "id").map(FieldId);
            self.records.push(RecordDef {
                kind: r.name.node.clone(),
                labels: r.labels.as_ref().map(text2),
                dated_by,
                id_field,
                tree: SchemaTree::build(&fields),
                fields,
                checks: Vec::new(),
            });
        }

        // Tables.
        for item in &items {
            if let ast::Item::Table(t) = item {
                self.table(t);
            }
        }

        // Derived values, resolved on first use so their order does not matter.
        for item in &items {
            if let ast::Item::Let(l) = item {
                let Some(kind) = self.kind_id(&l.kind) else {
                    continue;
                };
                let key = (kind.0, l.name.node.clone());
                if self.pending_lets.contains_key(&key) {
                    self.err(
                        CheckErrorKind::Duplicate {
                            what: "derived value",
                            name: l.name.node.clone(),
                        },
                        l.name.span,
                        None,
                    );
                    continue;
                }
                self.pending_lets.insert(key, l.clone());
            }
        }
        let mut keys: Vec<(usize, String)> = self.pending_lets.keys().cloned().collect();
        keys.sort();
        for key in keys {
            self.resolve_let(&key);
        }

        // Field defaults and record checks, which may read other fields and derived values.
        for (ri, r) in record_decls.iter().enumerate() {
            let Some(kind) = self.records.iter().position(|x| x.kind == r.name.node) else {
                continue;
            };
            if kind != ri {
                continue;
            }
            let scope = Scope {
                kind: Some(KindId(kind)),
                ..Scope::default()
            };
            let mut flat = Vec::new();
            flatten_decls(&r.fields, "", &groups, &mut flat, 0);
            for (path, decl) in flat {
                let Some(default) = &decl.default else {
                    continue;
                };
                let Some(fid) = self.records.get(kind).and_then(|rec| rec.field(&path)) else {
                    continue;
                };
                let field_ty = self
                    .records
                    .get(kind)
                    .and_then(|rec| rec.get(fid))
                    .map(|f| f.ty.clone())
                    .unwrap_or(Type::Text);
                let value = match &default.value {
                    ast::DefaultValue::Expr(e) => self
                        .expr(e, &scope)
                        .map(|x| self.coerce(x, &field_ty, "a default value"))
                        .map(DefaultValueDef::Expr),
                    ast::DefaultValue::Template(t) => {
                        Some(DefaultValueDef::Template(self.template(t, &scope)))
                    }
                };
                let unless = default
                    .unless
                    .as_ref()
                    .and_then(|u| self.expr(u, &scope))
                    .map(|u| self.want_bool(u, "`unless`"));
                if let (Some(value), Some(rec)) = (value, self.records.get_mut(kind)) {
                    if let Some(f) = rec.fields.get_mut(fid.0) {
                        f.default = Some(DefaultDef { value, unless });
                    }
                }
            }
            for c in &r.checks {
                let cond = self
                    .expr(&c.condition, &scope)
                    .map(|x| self.want_bool(x, "`check`"));
                let at = self.field_at(KindId(kind), &c.at);
                if let (Some(condition), Some(at)) = (cond, at) {
                    if let Some(rec) = self.records.get_mut(kind) {
                        rec.checks.push(CheckDef {
                            condition,
                            at,
                            message: text2(&c.message),
                        });
                    }
                }
            }
        }

        // The cited document.
        let doc_text: Option<Arc<str>> = match (&doc, header) {
            (Some((name, Err(reason))), Some(h)) => {
                let at = h.source.as_ref().map_or(h.span, |s| s.span);
                self.err(
                    CheckErrorKind::SourceUnreadable {
                        document: name.clone(),
                        reason: reason.clone(),
                    },
                    at,
                    Some("the path is relative to the pack's folder".into()),
                );
                None
            }
            (Some((_, Ok(text))), _) => Some(text.clone()),
            _ => None,
        };
        if let Some(h) = header {
            if h.source.is_none() {
                self.err(
                    CheckErrorKind::MissingPart {
                        what: "pack",
                        name: h.name.node.clone(),
                        part: "`source` document",
                    },
                    h.span,
                    Some("name the document the rules cite: `source \"../seeds/plan.txt\"`".into()),
                );
            }
        }

        // Rules.
        let mut rules: Vec<RuleDef> = Vec::new();
        for item in &items {
            if let ast::Item::Rule(r) = item {
                if rules.iter().any(|x| x.id == r.id.node) {
                    self.err(
                        CheckErrorKind::Duplicate {
                            what: "rule",
                            name: r.id.node.clone(),
                        },
                        r.id.span,
                        Some("rule ids are unique in a pack".into()),
                    );
                    continue;
                }
                if let Some(rule) = self.rule(
                    r,
                    doc_text.as_deref(),
                    doc.as_ref().map(|d| d.0.as_str()).unwrap_or(""),
                ) {
                    rules.push(rule);
                }
            }
        }

        let header = header?;
        Some(Pack {
            name: header.name.node.clone(),
            title: header.title.as_ref().map(text2).unwrap_or_default(),
            period_start,
            period_end,
            source_doc: doc.and_then(|(n, t)| t.ok().map(|t| (n, t))),
            enums: std::mem::take(&mut self.enums),
            records: std::mem::take(&mut self.records),
            tables: std::mem::take(&mut self.tables),
            lets: std::mem::take(&mut self.lets),
            rules,
            sources,
        })
    }

    fn kind_id(&mut self, name: &ast::Name) -> Option<KindId> {
        match self.records.iter().position(|r| r.kind == name.node) {
            Some(i) => Some(KindId(i)),
            None => {
                let help =
                    did_you_mean_help(&name.node, self.records.iter().map(|r| r.kind.as_str()));
                self.err(
                    CheckErrorKind::Unknown {
                        what: "record kind",
                        name: name.node.clone(),
                    },
                    name.span,
                    help,
                );
                None
            }
        }
    }

    fn field_at(&mut self, kind: KindId, path: &ast::Name) -> Option<FieldId> {
        let rec = self.records.get(kind.0)?;
        match rec.field(&path.node) {
            Some(f) => Some(f),
            None => {
                let help =
                    did_you_mean_help(&path.node, rec.fields.iter().map(|f| f.path.as_str()));
                self.err(
                    CheckErrorKind::Unknown {
                        what: "field",
                        name: path.node.clone(),
                    },
                    path.span,
                    help,
                );
                None
            }
        }
    }

    /// Declares one field (a group expands into its fields under `prefix`).
    fn field(
        &mut self,
        f: &ast::FieldDecl,
        prefix: &str,
        groups: &HashMap<&str, &ast::GroupDecl>,
        out: &mut Vec<FieldDef>,
        depth: usize,
    ) {
        let path = if prefix.is_empty() {
            f.path.node.clone()
        } else {
            format!("{prefix}.{}", f.path.node)
        };
        if out.iter().any(|x| x.path == path) {
            self.err(
                CheckErrorKind::Duplicate {
                    what: "field",
                    name: path,
                },
                f.path.span,
                None,
            );
            return;
        }
        let (name, list) = match &f.ty {
            ast::TypeRef::Named(n) => (n, false),
            ast::TypeRef::List(n) => (n, true),
        };
        if let Some(g) = groups.get(name.node.as_str()) {
            if depth > 8 || list {
                self.err(
                    CheckErrorKind::TypeMismatch {
                        context: format!("field `{path}`"),
                        expected: "a group nested at most 8 deep, not in a list".into(),
                        found: "deeper nesting".into(),
                    },
                    name.span,
                    None,
                );
                return;
            }
            for inner in &g.fields {
                self.field(inner, &path, groups, out, depth + 1);
            }
            return;
        }
        let mut is_year = false;
        let mut unit = None;
        let ty = match name.node.as_str() {
            "text" => Type::Text,
            "bool" => Type::Bool,
            "date" => Type::Date,
            "year" => {
                is_year = true;
                Type::Num(Dim::none())
            }
            "number" => Type::Num(Dim::none()),
            "waivers" => Type::Waivers,
            other => {
                if let Some(e) = self.enum_id(other) {
                    Type::Enum(e)
                } else if let Some(u) = units::parse_unit(other) {
                    let dim = u.dim.clone();
                    unit = Some(units::intern(u));
                    Type::Num(dim)
                } else {
                    let names: Vec<String> = BUILTIN_TYPES
                        .iter()
                        .map(|s| s.to_string())
                        .chain(self.enums.iter().map(|e| e.name.clone()))
                        .chain(groups.keys().map(|s| s.to_string()))
                        .chain(units::known_symbols().map(str::to_string))
                        .collect();
                    let help = did_you_mean_help(other, names.iter().map(String::as_str)).or_else(|| Some("a type is `text`, `bool`, `date`, `year`, `number`, `waivers`, an enumeration, a group or a unit such as `万元/亩`".into()));
                    self.err(
                        CheckErrorKind::Unknown {
                            what: "type or unit",
                            name: other.to_string(),
                        },
                        name.span,
                        help,
                    );
                    return;
                }
            }
        };
        let ty = if list { Type::List(Box::new(ty)) } else { ty };
        let bound = f.bound.as_ref().and_then(|b| {
            let n = Number::parse(&b.node.0)?;
            let base = unit.as_ref().map_or(n.clone(), |u: &UnitRef| u.to_base(&n));
            if !matches!(ty, Type::Num(_)) {
                self.err(
                    CheckErrorKind::TypeMismatch {
                        context: "a bound".into(),
                        expected: "a number field".into(),
                        found: describe(&ty, &self.enums),
                    },
                    b.span,
                    None,
                );
            }
            Some((base, b.node.1))
        });
        out.push(FieldDef {
            path,
            ty,
            is_year,
            unit,
            required: f.required,
            default: None,
            bound,
            labels: f.labels.as_ref().map(text2),
            span: f.path.span,
        });
    }

    fn table(&mut self, t: &ast::TableDecl) {
        if self.table_index.contains_key(&t.name.node) {
            self.err(
                CheckErrorKind::Duplicate {
                    what: "table",
                    name: t.name.node.clone(),
                },
                t.name.span,
                None,
            );
            return;
        }
        let Some(key) = self.enum_id(&t.key.node) else {
            let help = did_you_mean_help(&t.key.node, self.enums.iter().map(|e| e.name.as_str()));
            self.err(
                CheckErrorKind::Unknown {
                    what: "enumeration",
                    name: t.key.node.clone(),
                },
                t.key.span,
                help,
            );
            return;
        };
        let mut entries: Vec<(String, Value)> = Vec::new();
        let mut default = None;
        let mut ty: Option<Type> = None;
        let scope = Scope::default();
        for (k, v) in &t.entries {
            let Some(e) = self.expr(v, &scope) else {
                continue;
            };
            let Some(value) = constant(&e) else {
                self.err(CheckErrorKind::NotConstant { what: "a table entry" }, v.span, Some("tables hold numbers, texts and lists written out; derive record values with `let`".into()));
                continue;
            };
            match &ty {
                None => ty = Some(e.ty.clone()),
                Some(t0) if !same_type(t0, &e.ty) => {
                    self.err(
                        CheckErrorKind::TypeMismatch {
                            context: format!("table `{}`", t.name.node),
                            expected: describe(t0, &self.enums),
                            found: describe(&e.ty, &self.enums),
                        },
                        v.span,
                        Some("every entry of a table has the same type and dimension".into()),
                    );
                }
                _ => {}
            }
            if k.node == "default" {
                default = Some(value);
                continue;
            }
            let en = self.enums.get(key.0);
            if !en.is_some_and(|en| en.contains(&k.node)) {
                let help = en.and_then(|en| {
                    did_you_mean_help(&k.node, en.values.iter().map(|(v, _)| v.as_str()))
                });
                let enumeration = en.map(|e| e.name.clone()).unwrap_or_default();
                self.err(
                    CheckErrorKind::NotInEnum {
                        value: k.node.clone(),
                        enumeration,
                    },
                    k.span,
                    help,
                );
                continue;
            }
            if entries.iter().any(|(x, _)| *x == k.node) {
                self.err(
                    CheckErrorKind::Duplicate {
                        what: "table key",
                        name: k.node.clone(),
                    },
                    k.span,
                    None,
                );
                continue;
            }
            entries.push((k.node.clone(), value));
        }
        let id = TableId(self.tables.len());
        self.table_index.insert(t.name.node.clone(), id);
        self.tables.push(TableDef {
            name: t.name.node.clone(),
            key,
            entries,
            default,
            ty: ty.unwrap_or(Type::Bool),
        });
    }

    fn resolve_let(&mut self, key: &(usize, String)) -> Option<LetId> {
        if let Some(id) = self.let_index.get(key) {
            return Some(*id);
        }
        let decl = self.pending_lets.get(key)?.clone();
        if self.in_progress.contains(key) {
            self.err(CheckErrorKind::Cycle { name: key.1.clone() }, decl.name.span, Some("break the cycle: a derived value may only read fields and other derived values".into()));
            return None;
        }
        self.in_progress.push(key.clone());
        let scope = Scope {
            kind: Some(KindId(key.0)),
            ..Scope::default()
        };
        let value = self.expr(&decl.value, &scope);
        self.in_progress.retain(|k| k != key);
        let mut value = value?;
        if let Some(ty) = &decl.ty {
            match self.enum_id(&ty.node) {
                Some(e) => value = self.coerce(value, &Type::Enum(e), "a derived value"),
                None => {
                    let help =
                        did_you_mean_help(&ty.node, self.enums.iter().map(|e| e.name.as_str()));
                    self.err(
                        CheckErrorKind::Unknown {
                            what: "enumeration",
                            name: ty.node.clone(),
                        },
                        ty.span,
                        help,
                    );
                }
            }
        }
        let id = LetId(self.lets.len());
        self.lets.push(LetDef {
            name: key.1.clone(),
            kind: KindId(key.0),
            value,
        });
        self.let_index.insert(key.clone(), id);
        Some(id)
    }

    fn rule(&mut self, r: &ast::RuleDecl, doc: Option<&str>, doc_name: &str) -> Option<RuleDef> {
        let id = r.id.node.clone();
        let missing = |cx: &mut Self, part: &'static str, help: &str| {
            cx.err(
                CheckErrorKind::MissingPart {
                    what: "rule",
                    name: id.clone(),
                    part,
                },
                r.id.span,
                Some(help.to_string()),
            );
        };
        let title = match &r.title {
            Some(t) => text2(t),
            None => {
                missing(self, "`title`", "add `title zh \"…\" en \"…\"`");
                Text2::default()
            }
        };
        let force = match &r.force {
            Some(f) => {
                match Force::ALL.iter().find(|(n, _)| *n == f.node) {
                    Some((_, force)) => Some(*force),
                    None => {
                        let help = did_you_mean_help(&f.node, Force::ALL.iter().map(|(n, _)| *n));
                        self.err(CheckErrorKind::Unknown { what: "force", name: f.node.clone() }, f.span, help.or_else(|| Some("a force is `binding`, `expected`, `in_principle` or `prohibition`".into())));
                        None
                    }
                }
            }
            None => {
                missing(
                    self,
                    "`force`",
                    "add `force binding|expected|in_principle|prohibition`",
                );
                None
            }
        };
        let subject = match &r.subject {
            Some(s) => self.kind_id(s),
            None => {
                missing(
                    self,
                    "`subject`",
                    "add `subject project` or the record kind the rule checks",
                );
                None
            }
        };
        if r.cites.is_empty() {
            self.err(
                CheckErrorKind::NoCitation { rule: id.clone() },
                r.id.span,
                Some(
                    "cite the plan: `cite \"第二十一章 第三节\" \"exact words of the plan\"`"
                        .into(),
                ),
            );
        }
        let mut cites = Vec::new();
        for c in &r.cites {
            let mut quotes = Vec::new();
            for q in &c.quotes {
                let line = match doc {
                    Some(text) => match text.find(q.node.as_str()) {
                        Some(pos) if !q.node.is_empty() => line_column(text, pos).0,
                        _ => {
                            self.err(
                                CheckErrorKind::QuoteNotFound {
                                    document: doc_name.to_string(),
                                },
                                q.span,
                                Some(quote_help(text, &q.node)),
                            );
                            0
                        }
                    },
                    None => 0,
                };
                quotes.push((q.node.clone(), line));
            }
            cites.push(CitationDef {
                section: c.section.node.clone(),
                quotes,
            });
        }
        let kind = subject?;
        let mut scope = Scope {
            kind: Some(kind),
            ..Scope::default()
        };
        let when = r
            .when
            .as_ref()
            .and_then(|w| self.expr(w, &scope))
            .map(|w| self.want_bool(w, "`when`"));
        let mut locals = Vec::new();
        for (name, value) in &r.lets {
            if scope.locals.iter().any(|(n, _)| *n == name.node) {
                self.err(
                    CheckErrorKind::Duplicate {
                        what: "local value",
                        name: name.node.clone(),
                    },
                    name.span,
                    None,
                );
                continue;
            }
            if let Some(e) = self.expr(value, &scope) {
                scope.locals.push((name.node.clone(), e.ty.clone()));
                locals.push((name.node.clone(), e));
            }
        }
        let mut requires = Vec::new();
        for req in &r.requires {
            if let Some(q) = self.require(req, &scope) {
                requires.push(q);
            }
        }
        if r.requires.is_empty() {
            missing(
                self,
                "`require`",
                "add `require CONDITION message zh \"…\" en \"…\"`",
            );
        }
        let date = |cx: &mut Self, d: &Option<ast::Spanned<String>>| {
            d.as_ref().and_then(|d| parse_date(&d.node)).or_else(|| {
                let _ = cx;
                None
            })
        };
        let from = date(self, &r.from);
        let until = date(self, &r.until);
        let mut examples = Vec::new();
        for ex in &r.examples {
            let outcome = match crate::eval::Outcome::parse(&ex.outcome.node) {
                Some(o) => o,
                None => {
                    let names = crate::eval::Outcome::ALL.iter().map(|o| o.as_str());
                    let help = did_you_mean_help(&ex.outcome.node, names);
                    self.err(
                        CheckErrorKind::Unknown {
                            what: "outcome",
                            name: ex.outcome.node.clone(),
                        },
                        ex.outcome.span,
                        help,
                    );
                    continue;
                }
            };
            if let Err(e) = serde_json::from_str::<serde_json::Value>(&ex.json.node) {
                self.err(
                    CheckErrorKind::BadExample {
                        what: format!("example is not valid JSON: {e}"),
                    },
                    ex.json.span,
                    None,
                );
                continue;
            }
            examples.push(ExampleDef {
                outcome,
                json: ex.json.node.clone(),
                span: ex.json.span,
            });
        }
        Some(RuleDef {
            id,
            title,
            force: force?,
            subject: kind,
            from,
            until,
            cites,
            note: r.note.as_ref().map(text2),
            when,
            locals,
            requires,
            examples,
            span: r.span,
        })
    }

    fn require(&mut self, req: &ast::Require, scope: &Scope) -> Option<RequireDef> {
        let kind = scope.kind?;
        let condition = self.expr(&req.condition, scope)?;
        let condition = self.want_bool(condition, "`require`");
        let comparison = match &condition.kind {
            ExprKind::Binary(op, l, r) if op.is_comparison() && matches!(l.ty, Type::Num(_)) => {
                Some(Comparison {
                    op: *op,
                    actual: (**l).clone(),
                    limit: (**r).clone(),
                })
            }
            _ => None,
        };
        let track = match &req.track {
            None => None,
            Some(t) => {
                let by = Number::parse(&t.by.node).and_then(|n| n.to_i64());
                let kind = match t.kind.node.as_str() {
                    "linear" => Some(TrackKind::Linear),
                    "compound" => Some(TrackKind::Compound),
                    other => {
                        let help = did_you_mean_help(other, ["linear", "compound"]);
                        self.err(
                            CheckErrorKind::Unknown {
                                what: "path kind",
                                name: other.to_string(),
                            },
                            t.kind.span,
                            help,
                        );
                        None
                    }
                };
                let cmp_dim = match &comparison {
                    Some(c) if !matches!(c.op, BinaryOp::Eq | BinaryOp::Ne) => match &c.actual.ty {
                        Type::Num(d) => Some(d.clone()),
                        _ => None,
                    },
                    _ => {
                        self.err(
                            CheckErrorKind::TypeMismatch {
                                context: "a path to a target".into(),
                                expected: "a requirement `value <= target` or `value >= target`"
                                    .into(),
                                found: "another condition".into(),
                            },
                            req.condition.span,
                            None,
                        );
                        None
                    }
                };
                let from = self.expr(&t.from, scope);
                let since = self.expr(&t.since, scope);
                if let (Some(f), Some(d)) = (&from, &cmp_dim) {
                    self.same_dim(
                        &Type::Num(d.clone()),
                        &f.ty,
                        "compare a baseline with",
                        f.span,
                    );
                }
                if let Some(s) = &since {
                    self.same_dim(&Type::Num(Dim::none()), &s.ty, "use as a year", s.span);
                }
                match (by, kind, from, since, cmp_dim) {
                    (Some(by), Some(kind), Some(from), Some(since), Some(_)) => Some(TrackDef {
                        by,
                        kind,
                        from,
                        since,
                    }),
                    _ => return None,
                }
            }
        };
        let at = req.at.as_ref().and_then(|a| self.field_at(kind, a));
        let mut mscope = scope.clone();
        mscope.specials = match &comparison {
            Some(c) => match &c.actual.ty {
                Type::Num(d) => Some(d.clone()),
                _ => None,
            },
            None => None,
        };
        mscope.target = track.is_some();
        let zh = self.template(&req.message.zh, &mscope);
        let en = self.template(&req.message.en, &mscope);
        Some(RequireDef {
            condition,
            comparison,
            track,
            at,
            message: MessageDef { zh, en },
        })
    }

    fn template(&mut self, t: &ast::Template, scope: &Scope) -> Template {
        let mut parts = Vec::new();
        for p in &t.parts {
            match p {
                ast::TemplatePart::Text(s) => parts.push(TemplatePart::Text(s.clone())),
                ast::TemplatePart::Expr(e) => {
                    if let Some(x) = self.expr(e, scope) {
                        parts.push(TemplatePart::Expr(x));
                    }
                }
            }
        }
        Template(parts)
    }

    fn want_bool(&mut self, e: Expr, context: &str) -> Expr {
        if e.ty != Type::Bool {
            self.err(
                CheckErrorKind::TypeMismatch {
                    context: context.into(),
                    expected: "a condition (true or false)".into(),
                    found: describe(&e.ty, &self.enums),
                },
                e.span,
                None,
            );
        }
        e
    }

    fn same_dim(&mut self, a: &Type, b: &Type, op: &str, at: Span) -> bool {
        match (a, b) {
            (Type::Num(x), Type::Num(y)) if x == y => true,
            (Type::Num(x), Type::Num(y)) => {
                self.err(
                    CheckErrorKind::DimensionMismatch { op: op.into(), left: x.to_string(), right: y.to_string() },
                    at,
                    Some(format!("the left side is in {}, the right in {}; compare quantities of one dimension", unit_hint(x), unit_hint(y))),
                );
                false
            }
            _ => {
                self.err(
                    CheckErrorKind::TypeMismatch {
                        context: format!("`{op}`"),
                        expected: "numbers".into(),
                        found: format!(
                            "{} and {}",
                            describe(a, &self.enums),
                            describe(b, &self.enums)
                        ),
                    },
                    at,
                    None,
                );
                false
            }
        }
    }

    /// Makes `e` a value of type `target`, checking enumeration values written as strings.
    fn coerce(&mut self, mut e: Expr, target: &Type, context: &str) -> Expr {
        if same_type(&e.ty, target) {
            return e;
        }
        match (target, &mut e.kind) {
            (Type::Enum(id), ExprKind::Const(Value::Text(s))) => {
                let text = s.to_string();
                self.check_member(*id, &text, e.span);
                // Share the enumeration's own text, so comparisons with records are pointer checks.
                if let Some(shared) = self.enums.get(id.0).and_then(|en| en.intern(&text)) {
                    *s = shared;
                }
                e.ty = target.clone();
                e
            }
            (_, ExprKind::If(_, a, b)) => {
                let a2 = self.coerce((**a).clone(), target, context);
                let b2 = self.coerce((**b).clone(), target, context);
                **a = a2;
                **b = b2;
                e.ty = target.clone();
                e
            }
            (Type::List(inner), ExprKind::List(items)) => {
                let coerced: Vec<Expr> = std::mem::take(items)
                    .into_iter()
                    .map(|x| self.coerce(x, inner, context))
                    .collect();
                *items = coerced;
                e.ty = target.clone();
                fold(e)
            }
            _ => {
                if let (Type::Num(_), Type::Num(_)) = (target, &e.ty) {
                    self.same_dim(target, &e.ty.clone(), context, e.span);
                } else {
                    self.err(
                        CheckErrorKind::TypeMismatch {
                            context: context.into(),
                            expected: describe(target, &self.enums),
                            found: describe(&e.ty, &self.enums),
                        },
                        e.span,
                        None,
                    );
                }
                e
            }
        }
    }

    fn check_member(&mut self, id: EnumId, value: &str, at: Span) {
        let Some(en) = self.enums.get(id.0) else {
            return;
        };
        if !en.contains(value) {
            let help = did_you_mean_help(value, en.values.iter().map(|(v, _)| v.as_str()));
            let enumeration = en.name.clone();
            self.err(
                CheckErrorKind::NotInEnum {
                    value: value.into(),
                    enumeration,
                },
                at,
                help,
            );
        }
    }

    fn expr(&mut self, e: &ast::Expr, scope: &Scope) -> Option<Expr> {
        let span = e.span;
        let mk = |kind, ty| Some(Expr { kind, ty, span });
        match &e.node {
            A::Quantity { number, unit } => {
                let Some(n) = Number::parse(number) else {
                    self.err(
                        CheckErrorKind::TypeMismatch {
                            context: "a number".into(),
                            expected: "decimal digits".into(),
                            found: number.clone(),
                        },
                        span,
                        None,
                    );
                    return None;
                };
                match unit {
                    None => mk(ExprKind::Const(Value::Num(n, None)), Type::Num(Dim::none())),
                    Some(u) => match units::parse_unit(&u.node) {
                        Some(unit) => {
                            let ty = Type::Num(unit.dim.clone());
                            mk(
                                ExprKind::Const(Value::Num(
                                    unit.to_base(&n),
                                    Some(units::intern(unit)),
                                )),
                                ty,
                            )
                        }
                        None => {
                            let help = did_you_mean_help(&u.node, units::known_symbols());
                            self.err(
                                CheckErrorKind::UnknownUnit {
                                    unit: u.node.clone(),
                                },
                                u.span,
                                help,
                            );
                            None
                        }
                    },
                }
            }
            A::Str(s) => mk(
                ExprKind::Const(Value::Text(Arc::from(s.as_str()))),
                Type::Text,
            ),
            A::Bool(b) => mk(ExprKind::Const(Value::Bool(*b)), Type::Bool),
            A::Path(p) => self.path(p, span, scope),
            A::List(items) => {
                let mut out = Vec::new();
                let mut ty: Option<Type> = None;
                for it in items {
                    let x = self.expr(it, scope)?;
                    match &ty {
                        None => ty = Some(x.ty.clone()),
                        Some(t) if !same_type(t, &x.ty) => {
                            self.err(
                                CheckErrorKind::TypeMismatch {
                                    context: "a list".into(),
                                    expected: describe(t, &self.enums),
                                    found: describe(&x.ty, &self.enums),
                                },
                                x.span,
                                Some("every item of a list has the same type".into()),
                            );
                        }
                        _ => {}
                    }
                    out.push(x);
                }
                let elem = ty.unwrap_or(Type::Text);
                // Folded into a constant once its element type is settled (see `fold`).
                mk(ExprKind::List(out), Type::List(Box::new(elem)))
            }
            A::Call(name, args) => self.call(name, args, span, scope),
            A::Lookup(name, key) => {
                let Some(&tid) = self.table_index.get(&name.node) else {
                    let help =
                        did_you_mean_help(&name.node, self.table_index.keys().map(String::as_str));
                    self.err(
                        CheckErrorKind::Unknown {
                            what: "table",
                            name: name.node.clone(),
                        },
                        name.span,
                        help,
                    );
                    return None;
                };
                let k = self.expr(key, scope)?;
                let (key_enum, ty) = match self.tables.get(tid.0) {
                    Some(t) => (t.key, t.ty.clone()),
                    None => return None,
                };
                let k = self.coerce(k, &Type::Enum(key_enum), "a table key");
                mk(ExprKind::Lookup(tid, Box::new(k)), ty)
            }
            A::If(c, a, b) => {
                let c = self.expr(c, scope).map(|c| self.want_bool(c, "`if`"));
                let a = self.expr(a, scope);
                let b = self.expr(b, scope);
                let (c, a, b) = (c?, a?, b?);
                let (a, b) = self.unify(a, b, "the branches of `if`");
                let ty = a.ty.clone();
                mk(ExprKind::If(Box::new(c), Box::new(a), Box::new(b)), ty)
            }
            A::Unary(op, x) => {
                let x = self.expr(x, scope)?;
                match op {
                    ast::UnaryOp::Not => {
                        let x = self.want_bool(x, "`not`");
                        mk(ExprKind::Not(Box::new(x)), Type::Bool)
                    }
                    ast::UnaryOp::Neg => {
                        if !matches!(x.ty, Type::Num(_)) {
                            self.err(
                                CheckErrorKind::TypeMismatch {
                                    context: "`-`".into(),
                                    expected: "a number".into(),
                                    found: describe(&x.ty, &self.enums),
                                },
                                x.span,
                                None,
                            );
                        }
                        let ty = x.ty.clone();
                        mk(ExprKind::Neg(Box::new(x)), ty)
                    }
                }
            }
            A::Binary(op, l, r) => {
                let l = self.expr(l, scope);
                let r = self.expr(r, scope);
                let (l, r) = (l?, r?);
                self.binary(*op, l, r, span)
            }
        }
    }

    /// Brings two operands to one type (an enumeration absorbs string constants).
    fn unify(&mut self, a: Expr, b: Expr, context: &str) -> (Expr, Expr) {
        match (&a.ty, &b.ty) {
            (Type::Enum(_), Type::Text) => {
                let t = a.ty.clone();
                let b = self.coerce(b, &t, context);
                (a, b)
            }
            (Type::Text, Type::Enum(_)) => {
                let t = b.ty.clone();
                let a = self.coerce(a, &t, context);
                (a, b)
            }
            (x, y) if same_type(x, y) => (a, b),
            (Type::Num(_), Type::Num(_)) => {
                let (ta, tb) = (a.ty.clone(), b.ty.clone());
                self.same_dim(&ta, &tb, context, b.span);
                (a, b)
            }
            _ => {
                self.err(
                    CheckErrorKind::TypeMismatch {
                        context: context.into(),
                        expected: describe(&a.ty, &self.enums),
                        found: describe(&b.ty, &self.enums),
                    },
                    b.span,
                    None,
                );
                (a, b)
            }
        }
    }

    fn binary(&mut self, op: BinaryOp, l: Expr, r: Expr, span: Span) -> Option<Expr> {
        let mk = |kind, ty| Some(Expr { kind, ty, span });
        match op {
            BinaryOp::And | BinaryOp::Or => {
                let l = self.want_bool(l, &format!("`{}`", op.symbol()));
                let r = self.want_bool(r, &format!("`{}`", op.symbol()));
                mk(ExprKind::Binary(op, Box::new(l), Box::new(r)), Type::Bool)
            }
            BinaryOp::Otherwise => {
                let (l, r) = self.unify(l, r, "`otherwise`");
                let ty = l.ty.clone();
                mk(ExprKind::Binary(op, Box::new(l), Box::new(r)), ty)
            }
            BinaryOp::In => {
                let r = match (&l.ty, &r.ty) {
                    (Type::Enum(_), Type::List(_)) => {
                        let t = Type::List(Box::new(l.ty.clone()));
                        self.coerce(r, &t, "`in`")
                    }
                    (t, Type::List(inner)) if same_type(t, inner) => r,
                    (Type::Num(a), Type::List(inner)) if matches!(&**inner, Type::Num(b) if a == b) => {
                        r
                    }
                    _ => {
                        self.err(
                            CheckErrorKind::TypeMismatch {
                                context: "`in`".into(),
                                expected: format!("a list of {}", describe(&l.ty, &self.enums)),
                                found: describe(&r.ty, &self.enums),
                            },
                            r.span,
                            None,
                        );
                        r
                    }
                };
                let r = fold(r);
                mk(ExprKind::Binary(op, Box::new(l), Box::new(r)), Type::Bool)
            }
            BinaryOp::Eq | BinaryOp::Ne => {
                let (l, r) = self.unify(l, r, "compare");
                mk(ExprKind::Binary(op, Box::new(l), Box::new(r)), Type::Bool)
            }
            BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge => {
                match (&l.ty, &r.ty) {
                    (Type::Date, Type::Date) => {}
                    (a, b) => {
                        let (a, b) = (a.clone(), b.clone());
                        self.same_dim(&a, &b, "compare", span);
                    }
                }
                mk(ExprKind::Binary(op, Box::new(l), Box::new(r)), Type::Bool)
            }
            BinaryOp::Add | BinaryOp::Sub => {
                let (a, b) = (l.ty.clone(), r.ty.clone());
                self.same_dim(
                    &a,
                    &b,
                    if op == BinaryOp::Add {
                        "add"
                    } else {
                        "subtract"
                    },
                    span,
                );
                mk(ExprKind::Binary(op, Box::new(l), Box::new(r)), a)
            }
            BinaryOp::Mul | BinaryOp::Div => match (&l.ty, &r.ty) {
                (Type::Num(a), Type::Num(b)) => {
                    let d = if op == BinaryOp::Mul {
                        a.mul(b)
                    } else {
                        a.div(b)
                    };
                    mk(ExprKind::Binary(op, Box::new(l), Box::new(r)), Type::Num(d))
                }
                (a, b) => {
                    let found = format!(
                        "{} and {}",
                        describe(a, &self.enums),
                        describe(b, &self.enums)
                    );
                    self.err(
                        CheckErrorKind::TypeMismatch {
                            context: format!("`{}`", op.symbol()),
                            expected: "numbers".into(),
                            found,
                        },
                        span,
                        None,
                    );
                    None
                }
            },
        }
    }

    fn call(
        &mut self,
        name: &ast::Name,
        args: &[ast::Expr],
        span: Span,
        scope: &Scope,
    ) -> Option<Expr> {
        let arity = |cx: &mut Self, n: usize| {
            if args.len() != n {
                cx.err(
                    CheckErrorKind::TypeMismatch {
                        context: format!("`{}`", name.node),
                        expected: format!("{n} argument(s)"),
                        found: format!("{}", args.len()),
                    },
                    span,
                    None,
                );
                false
            } else {
                true
            }
        };
        match name.node.as_str() {
            "present" => {
                if !arity(self, 1) {
                    return None;
                }
                let arg = args.first()?;
                let A::Path(p) = &arg.node else {
                    self.err(
                        CheckErrorKind::TypeMismatch {
                            context: "`present`".into(),
                            expected: "a field path".into(),
                            found: "an expression".into(),
                        },
                        arg.span,
                        None,
                    );
                    return None;
                };
                let kind = scope.kind?;
                let fid = self.field_at(kind, &ast::Spanned::new(p.clone(), arg.span))?;
                Some(Expr {
                    kind: ExprKind::Present(fid),
                    ty: Type::Bool,
                    span,
                })
            }
            "abs" => {
                if !arity(self, 1) {
                    return None;
                }
                let x = self.expr(args.first()?, scope)?;
                if !matches!(x.ty, Type::Num(_)) {
                    self.err(
                        CheckErrorKind::TypeMismatch {
                            context: "`abs`".into(),
                            expected: "a number".into(),
                            found: describe(&x.ty, &self.enums),
                        },
                        x.span,
                        None,
                    );
                }
                let ty = x.ty.clone();
                Some(Expr {
                    kind: ExprKind::Call(Func::Abs, vec![x]),
                    ty,
                    span,
                })
            }
            "min" | "max" => {
                if !arity(self, 2) {
                    return None;
                }
                let a = self.expr(args.first()?, scope)?;
                let b = self.expr(args.get(1)?, scope)?;
                let (ta, tb) = (a.ty.clone(), b.ty.clone());
                self.same_dim(&ta, &tb, &name.node, span);
                let f = if name.node == "min" {
                    Func::Min
                } else {
                    Func::Max
                };
                Some(Expr {
                    kind: ExprKind::Call(f, vec![a, b]),
                    ty: ta,
                    span,
                })
            }
            other => {
                let help = did_you_mean_help(other, ["present", "abs", "min", "max"]);
                self.err(
                    CheckErrorKind::Unknown {
                        what: "function",
                        name: other.to_string(),
                    },
                    name.span,
                    help,
                );
                None
            }
        }
    }

    fn path(&mut self, p: &str, span: Span, scope: &Scope) -> Option<Expr> {
        let mk = |kind, ty| Some(Expr { kind, ty, span });
        if let Some(i) = scope.locals.iter().position(|(n, _)| n == p) {
            let ty = scope.locals.get(i).map(|(_, t)| t.clone())?;
            return mk(ExprKind::Local(i), ty);
        }
        if let Some(dim) = &scope.specials {
            let special = match p {
                "actual" => Some(Special::Actual),
                "limit" => Some(Special::Limit),
                "gap" => Some(Special::Gap),
                "target" if scope.target => Some(Special::Target),
                _ => None,
            };
            if let Some(s) = special {
                return mk(ExprKind::Special(s), Type::Num(dim.clone()));
            }
        }
        let Some(kind) = scope.kind else {
            self.err(
                CheckErrorKind::NotConstant { what: "this value" },
                span,
                Some("only constants may be written here".into()),
            );
            return None;
        };
        let key = (kind.0, p.to_string());
        if self.pending_lets.contains_key(&key) {
            let id = self.resolve_let(&key)?;
            let ty = self.lets.get(id.0).map(|l| l.value.ty.clone())?;
            return mk(ExprKind::Let(id), ty);
        }
        let rec = self.records.get(kind.0)?;
        if let Some(fid) = rec.field(p) {
            let ty = rec.get(fid).map(|f| f.ty.clone())?;
            return mk(ExprKind::Field(fid), ty);
        }
        let prefix = format!("{p}.");
        let is_group = rec.fields.iter().any(|f| f.path.starts_with(&prefix));
        let mut names: Vec<String> = rec.fields.iter().map(|f| f.path.clone()).collect();
        names.extend(scope.locals.iter().map(|(n, _)| n.clone()));
        names.extend(
            self.pending_lets
                .keys()
                .filter(|(k, _)| *k == kind.0)
                .map(|(_, n)| n.clone()),
        );
        if scope.specials.is_some() {
            names.extend(["actual", "limit", "gap"].map(String::from));
        }
        let help = if is_group {
            Some(format!(
                "`{p}` is a group of fields; name one of them, such as `{}`",
                rec.fields
                    .iter()
                    .find(|f| f.path.starts_with(&prefix))
                    .map(|f| f.path.as_str())
                    .unwrap_or("")
            ))
        } else if matches!(p, "actual" | "limit" | "gap" | "target") {
            Some(format!(
                "`{p}` is only available in the message of a requirement that compares numbers{}",
                if p == "target" { " along a path" } else { "" }
            ))
        } else {
            did_you_mean_help(p, names.iter().map(String::as_str))
        };
        self.err(
            CheckErrorKind::Unknown {
                what: "field or value",
                name: p.to_string(),
            },
            span,
            help,
        );
        None
    }
}

/// The fields of a record with their full paths, groups expanded.
fn flatten_decls<'a>(
    fields: &'a [ast::FieldDecl],
    prefix: &str,
    groups: &HashMap<&str, &'a ast::GroupDecl>,
    out: &mut Vec<(String, &'a ast::FieldDecl)>,
    depth: usize,
) {
    for f in fields {
        let path = if prefix.is_empty() {
            f.path.node.clone()
        } else {
            format!("{prefix}.{}", f.path.node)
        };
        match &f.ty {
            ast::TypeRef::Named(n) if groups.contains_key(n.node.as_str()) && depth <= 8 => {
                if let Some(g) = groups.get(n.node.as_str()) {
                    flatten_decls(&g.fields, &path, groups, out, depth + 1);
                }
            }
            _ => out.push((path, f)),
        }
    }
}

fn text2(l: &ast::Labels) -> Text2 {
    Text2 {
        zh: l.zh.node.clone(),
        en: l.en.node.clone(),
    }
}

/// Whether two types are interchangeable (units of one dimension are).
fn same_type(a: &Type, b: &Type) -> bool {
    a == b
}

/// A list of constants as one constant, so records do not rebuild it.
fn fold(e: Expr) -> Expr {
    match (&e.kind, constant(&e)) {
        (ExprKind::List(_), Some(v)) => Expr {
            kind: ExprKind::Const(v),
            ..e
        },
        _ => e,
    }
}

/// The value of a constant expression.
fn constant(e: &Expr) -> Option<Value> {
    match &e.kind {
        ExprKind::Const(v) => Some(v.clone()),
        ExprKind::Neg(x) => match constant(x)? {
            Value::Num(n, u) => Some(Value::Num(-&n, u)),
            _ => None,
        },
        ExprKind::List(items) => items
            .iter()
            .map(constant)
            .collect::<Option<Vec<_>>>()
            .map(|v| Value::List(v.into())),
        _ => None,
    }
}

fn unit_hint(d: &Dim) -> String {
    let s = d.base_symbol();
    if s.is_empty() {
        "pure numbers".into()
    } else {
        format!("{d} ({s})")
    }
}

/// A type in words, for messages.
fn describe(t: &Type, enums: &[EnumDef]) -> String {
    match t {
        Type::Bool => "a condition".into(),
        Type::Text => "text".into(),
        Type::Date => "a date".into(),
        Type::Num(d) if d.is_none() => "a number".into(),
        Type::Num(d) => format!("a quantity of {d}"),
        Type::Enum(id) => format!(
            "a value of `{}`",
            enums.get(id.0).map(|e| e.name.as_str()).unwrap_or("?")
        ),
        Type::List(inner) => format!("a list of {}", describe(inner, enums)),
        Type::Waivers => "waivers".into(),
    }
}

/// Help for a quote that is not found: the longest prefix that is.
fn quote_help(doc: &str, quote: &str) -> String {
    let chars: Vec<(usize, char)> = quote.char_indices().collect();
    let mut lo = 0usize;
    let mut hi = chars.len();
    // Binary search on the number of leading characters found verbatim.
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let end = chars.get(mid).map_or(quote.len(), |(i, _)| *i);
        if doc.contains(quote.get(..end).unwrap_or("")) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    if lo == 0 {
        return "copy the words from the plan exactly; not even the first character matches".into();
    }
    let end = chars.get(lo).map_or(quote.len(), |(i, _)| *i);
    let found = quote.get(..end).unwrap_or("");
    let rest: String = quote.get(end..).unwrap_or("").chars().take(12).collect();
    format!("the quote matches the plan up to `{found}` and differs from `{rest}` on; copy the plan's words exactly (a TAB is written `\\t`)")
}
