//! Lookup tables keyed by an enumeration.

use super::expr::{constant, describe, same_type};
use super::{CheckErrorKind, Checker, Scope, Thing};
use crate::ast;
use crate::diagnostics::suggest;
use crate::i18n::{both, msg};
use crate::pack::*;

impl Checker {
    pub(super) fn table(&mut self, t: &ast::TableDecl) {
        if self.table_index.contains_key(&t.name.node) {
            self.err(
                CheckErrorKind::Duplicate {
                    what: Thing::Table,
                    name: t.name.node.clone(),
                },
                t.name.span,
                None,
            );
            return;
        }
        let Some(key) = self.enum_id(&t.key.node) else {
            let help = suggest(&t.key.node, self.enums.iter().map(|e| e.name.as_str()));
            self.err(
                CheckErrorKind::Unknown {
                    what: Thing::Enum,
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
                self.err(
                    CheckErrorKind::NotConstant {
                        what: both(msg::pack::ctx_table_entry),
                    },
                    v.span,
                    Some(both(msg::pack::tables_constant)),
                );
                continue;
            };
            match &ty {
                None => ty = Some(e.ty.clone()),
                Some(t0) if !same_type(t0, &e.ty) => {
                    self.err(
                        CheckErrorKind::TypeMismatch {
                            context: both(|l| msg::pack::ctx_table(l, &t.name.node)),
                            expected: describe(t0, &self.enums),
                            found: describe(&e.ty, &self.enums),
                        },
                        v.span,
                        Some(both(msg::pack::table_same_type)),
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
                let help =
                    en.and_then(|en| suggest(&k.node, en.values.iter().map(|(v, _)| v.as_str())));
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
                        what: Thing::TableKey,
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
}
