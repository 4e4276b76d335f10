//! The submission schema: enumerations, groups and records (fields with
//! their types, units, bounds and defaults, and record checks).

use super::expr::describe;
use super::{keyword_ctx, text2, CheckErrorKind, Checker, Scope, Thing, BUILTIN_TYPES};
use crate::ast;
use crate::diagnostics::suggest;
use crate::i18n::{both, msg, Bilingual};
use crate::pack::*;
use crate::units::{self, Dim, Number, UnitRef};
use std::collections::HashMap;

impl Checker {
    /// Declares the enumerations.
    pub(super) fn enums(&mut self, items: &[&ast::Item]) {
        for item in items {
            if let ast::Item::Enum(e) = item {
                if self.enum_id(&e.name.node).is_some() {
                    self.err(
                        CheckErrorKind::Duplicate {
                            what: Thing::Enum,
                            name: e.name.node.clone(),
                        },
                        e.name.span,
                        None,
                    );
                    continue;
                }
                let mut values: Vec<(String, Option<Bilingual<String>>)> = Vec::new();
                let mut seen = std::collections::HashSet::new();
                for v in &e.values {
                    if !seen.insert(v.name.node.as_str()) {
                        self.err(
                            CheckErrorKind::Duplicate {
                                what: Thing::EnumValue,
                                name: v.name.node.clone(),
                            },
                            v.name.span,
                            None,
                        );
                    }
                    values.push((v.name.node.clone(), v.labels.as_ref().map(text2)));
                }
                self.enum_index
                    .insert(e.name.node.clone(), EnumId(self.enums.len()));
                self.enums.push(EnumDef::new(
                    e.name.node.clone(),
                    e.labels.as_ref().map(text2),
                    values,
                ));
            }
        }
    }

    /// Declares the records, groups expanded.
    pub(super) fn records(
        &mut self,
        record_decls: &[&ast::RecordDecl],
        groups: &HashMap<&str, &ast::GroupDecl>,
    ) {
        for r in record_decls {
            if self.records.iter().any(|x| x.kind == r.name.node) {
                self.err(
                    CheckErrorKind::Duplicate {
                        what: Thing::Record,
                        name: r.name.node.clone(),
                    },
                    r.name.span,
                    None,
                );
                continue;
            }
            let mut fields = Vec::new();
            let mut expansion = Expansion::default();
            for f in &r.fields {
                self.field(f, "", groups, &mut fields, &mut expansion);
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
                                    context: keyword_ctx("dated by"),
                                    expected: both(msg::pack::expect_date_or_year),
                                    found: both(msg::pack::found_another_type),
                                },
                                d.span,
                                None,
                            );
                        }
                        Some(id)
                    }
                    None => {
                        let help = suggest(&d.node, fields.iter().map(|f| f.path.as_str()));
                        self.err(
                            CheckErrorKind::Unknown {
                                what: Thing::Field,
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
            let tree = SchemaTree::build(&fields);
            self.records.push(RecordDef {
                kind: r.name.node.clone(),
                labels: r.labels.as_ref().map(text2),
                dated_by,
                id_field,
                plan: ReadingPlan::build(&tree, &fields),
                tree,
                index: fields
                    .iter()
                    .enumerate()
                    .map(|(i, f)| (f.path.clone(), FieldId(i)))
                    .collect(),
                fields,
                checks: Vec::new(),
            });
        }
    }

    /// Field defaults and record checks, which may read other fields and derived values.
    pub(super) fn defaults_and_checks(
        &mut self,
        record_decls: &[&ast::RecordDecl],
        groups: &HashMap<&str, &ast::GroupDecl>,
    ) {
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
            flatten_decls(&r.fields, "", groups, &mut flat, 0, &mut 0);
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
                        .map(|x| self.coerce(x, &field_ty, &both(msg::pack::ctx_default_value)))
                        .map(DefaultValueDef::Expr),
                    ast::DefaultValue::Template(t) => {
                        Some(DefaultValueDef::Template(self.template(t, &scope)))
                    }
                };
                let unless = default
                    .unless
                    .as_ref()
                    .and_then(|u| self.expr(u, &scope))
                    .map(|u| self.want_bool(u, &keyword_ctx("unless")));
                if let (Some(value), Some(rec)) = (value, self.records.get_mut(kind)) {
                    if let Some(f) = rec.fields.get_mut(fid.0) {
                        f.default = Some(DefaultDef { value, unless });
                    }
                }
            }
            for c in &r.checks {
                let cond = self
                    .expr(&c.condition, &scope)
                    .map(|x| self.want_bool(x, &keyword_ctx("check")));
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
    }

    pub(super) fn kind_id(&mut self, name: &ast::Name) -> Option<KindId> {
        match self.records.iter().position(|r| r.kind == name.node) {
            Some(i) => Some(KindId(i)),
            None => {
                let help = suggest(&name.node, self.records.iter().map(|r| r.kind.as_str()));
                self.err(
                    CheckErrorKind::Unknown {
                        what: Thing::RecordKind,
                        name: name.node.clone(),
                    },
                    name.span,
                    help,
                );
                None
            }
        }
    }

    pub(super) fn field_at(&mut self, kind: KindId, path: &ast::Name) -> Option<FieldId> {
        let rec = self.records.get(kind.0)?;
        match rec.field(&path.node) {
            Some(f) => Some(f),
            None => {
                let help = suggest(&path.node, rec.fields.iter().map(|f| f.path.as_str()));
                self.err(
                    CheckErrorKind::Unknown {
                        what: Thing::Field,
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
        expansion: &mut Expansion,
    ) {
        let path = if prefix.is_empty() {
            f.path.node.clone()
        } else {
            format!("{prefix}.{}", f.path.node)
        };
        // Every field and group use counts: empty groups nested in each other
        // could otherwise be walked millions of times without adding a field.
        expansion.visits += 1;
        if !within_bounds(out.len(), expansion.visits) {
            // Groups of groups can multiply a few lines into millions of
            // fields: said once, and expanded no further.
            if !expansion.capped {
                expansion.capped = true;
                self.err(
                    CheckErrorKind::GroupFields {
                        field: path,
                        limit: MAX_RECORD_FIELDS,
                    },
                    f.path.span,
                    Some(both(|l| msg::pack::group_fields_help(l, MAX_RECORD_FIELDS))),
                );
            }
            return;
        }
        if !expansion.seen.insert(path.clone()) {
            self.err(
                CheckErrorKind::Duplicate {
                    what: Thing::Field,
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
            // A group inside itself is nesting without end: it is refused
            // like nesting too deep, once per place it is written.
            let inside_itself = expansion.chain.iter().any(|c| c == &name.node);
            if expansion.chain.len() > 8 || list || inside_itself {
                if expansion.refused.insert(name.span) {
                    self.err(
                        CheckErrorKind::GroupNesting { field: path },
                        name.span,
                        Some(both(msg::pack::group_nesting_help)),
                    );
                }
                return;
            }
            expansion.chain.push(name.node.clone());
            for inner in &g.fields {
                self.field(inner, &path, groups, out, expansion);
            }
            expansion.chain.pop();
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
                } else if let Some(u) = self.units.parse(other) {
                    let dim = u.dim.clone();
                    unit = Some(units::intern(u));
                    Type::Num(dim)
                } else {
                    let names: Vec<String> = BUILTIN_TYPES
                        .iter()
                        .map(|s| s.to_string())
                        .chain(self.enums.iter().map(|e| e.name.clone()))
                        .chain(groups.keys().map(|s| s.to_string()))
                        .chain(self.units.symbols().map(str::to_string))
                        .collect();
                    let help = suggest(other, names.iter().map(String::as_str))
                        .or_else(|| Some(both(msg::pack::type_help)));
                    self.err(
                        CheckErrorKind::Unknown {
                            what: Thing::TypeOrUnit,
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
                        context: both(msg::pack::ctx_bound),
                        expected: both(msg::pack::expect_number_field),
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
}

/// The fields of a record with their full paths, groups expanded, within
/// the bounds `Checker::field` declares them in (`steps` counts the walk).
fn flatten_decls<'a>(
    fields: &'a [ast::FieldDecl],
    prefix: &str,
    groups: &HashMap<&str, &'a ast::GroupDecl>,
    out: &mut Vec<(String, &'a ast::FieldDecl)>,
    depth: usize,
    steps: &mut usize,
) {
    for f in fields {
        *steps += 1;
        if !within_bounds(out.len(), *steps) {
            return;
        }
        let path = if prefix.is_empty() {
            f.path.node.clone()
        } else {
            format!("{prefix}.{}", f.path.node)
        };
        match &f.ty {
            ast::TypeRef::Named(n) if groups.contains_key(n.node.as_str()) && depth <= 8 => {
                if let Some(g) = groups.get(n.node.as_str()) {
                    flatten_decls(&g.fields, &path, groups, out, depth + 1, steps);
                }
            }
            _ => out.push((path, f)),
        }
    }
}

/// The most fields one kind of record may have, groups expanded.
const MAX_RECORD_FIELDS: usize = 4096;

/// The state of expanding one record's fields and groups.
#[derive(Default)]
struct Expansion {
    /// Paths declared so far.
    seen: std::collections::HashSet<String>,
    /// The groups being expanded, outermost first.
    chain: Vec<String>,
    /// Group uses already refused (a group used under many paths is said once).
    refused: std::collections::HashSet<crate::source::Span>,
    /// Whether the record already has `MAX_RECORD_FIELDS` fields (or took
    /// `MAX_EXPANSION_STEPS` steps).
    capped: bool,
    /// Fields and group uses walked so far.
    visits: usize,
}

/// The most field and group uses walked to expand one record.
const MAX_EXPANSION_STEPS: usize = 4 * MAX_RECORD_FIELDS;

/// Whether expanding a record's groups may go on, with `fields` declared
/// and `steps` walked: the one bound both expanders keep.
fn within_bounds(fields: usize, steps: usize) -> bool {
    fields < MAX_RECORD_FIELDS && steps <= MAX_EXPANSION_STEPS
}
