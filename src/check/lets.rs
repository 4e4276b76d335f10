//! Derived values (`let name for kind = …`), resolved on first use so
//! their order does not matter; cycles are errors.

use super::{CheckErrorKind, Checker, Scope, Thing};
use crate::ast;
use crate::diagnostics::suggest;
use crate::i18n::{both, msg};
use crate::pack::*;

/// How deeply derived values may be built on one another.
pub const MAX_DERIVED_DEPTH: usize = 24;

impl Checker {
    /// Collects the derived values, then checks each (on first use).
    pub(super) fn lets(&mut self, items: &[&ast::Item]) {
        for item in items {
            if let ast::Item::Let(l) = item {
                let Some(kind) = self.kind_id(&l.kind) else {
                    continue;
                };
                let key = (kind.0, l.name.node.clone());
                if self.pending_lets.contains_key(&key) {
                    self.err(
                        CheckErrorKind::Duplicate {
                            what: Thing::Derived,
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
    }

    pub(super) fn resolve_let(&mut self, key: &(usize, String)) -> Option<LetId> {
        if let Some(id) = self.let_index.get(key) {
            return Some(*id);
        }
        let decl = self.pending_lets.get(key)?.clone();
        if self.in_progress.contains(key) {
            self.err(
                CheckErrorKind::Cycle {
                    name: key.1.clone(),
                },
                decl.name.span,
                Some(both(msg::pack::break_cycle)),
            );
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
                Some(e) => {
                    value = self.coerce(value, &Type::Enum(e), &both(msg::pack::ctx_derived_value))
                }
                None => {
                    let help = suggest(&ty.node, self.enums.iter().map(|e| e.name.as_str()));
                    self.err(
                        CheckErrorKind::Unknown {
                            what: Thing::Enum,
                            name: ty.node.clone(),
                        },
                        ty.span,
                        help,
                    );
                }
            }
        }
        // Each derived value read inside another is evaluated inside it: the
        // longest chain below this one is how deep evaluation recurses.
        let mut below = 0;
        value.walk(|e| {
            if let ExprKind::Let(id) = &e.kind {
                below = below.max(self.let_depths.get(id.0).copied().unwrap_or(0));
            }
            true
        });
        let depth = below + 1;
        if depth > MAX_DERIVED_DEPTH {
            self.err(
                CheckErrorKind::ChainTooLong {
                    name: key.1.clone(),
                    max: MAX_DERIVED_DEPTH,
                },
                decl.name.span,
                Some(both(msg::pack::shorten_chain)),
            );
        }
        self.let_depths.push(depth);
        let id = LetId(self.lets.len());
        self.lets.push(LetDef {
            name: key.1.clone(),
            kind: KindId(key.0),
            value,
        });
        self.let_index.insert(key.clone(), id);
        Some(id)
    }
}
