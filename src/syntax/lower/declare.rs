//! Declarations that extend the language for a pack: `unit` (a unit as a
//! multiple of a known one) and `template` (rule entries said once).

use super::{Lowerer, Rule};
use crate::ast::*;
use pest::iterators::Pair;

impl Lowerer {
    /// `unit SYMBOL = FACTOR UNIT`.
    pub(super) fn lower_unit(&mut self, pair: Pair<'_, Rule>) -> Option<UnitDecl> {
        let span = self.span(&pair);
        let mut it = pair.into_inner();
        let (Some(_keyword), Some(symbol), Some(num)) = (it.next(), it.next(), it.next()) else {
            self.internal("the parts of `unit`", span);
            return None;
        };
        let rest: Vec<_> = it.collect();
        // The grammar gives `number unit` or `number / number unit`.
        let (den, of) = match rest.as_slice() {
            [of] => (None, of),
            [den, of] => (Some(self.name(den)), of),
            _ => {
                self.internal("the unit of `unit`", span);
                return None;
            }
        };
        Some(UnitDecl {
            symbol: self.name(&symbol),
            factor: (self.name(&num), den),
            of: self.name(of),
            span,
        })
    }

    /// `template name(params) { entries }`: the entries are lowered as a
    /// rule's (the grammar lets only `when`, `forbid`, `let` and `require`
    /// through).
    pub(super) fn lower_template_decl(&mut self, pair: Pair<'_, Rule>) -> Option<TemplateDecl> {
        let span = self.span(&pair);
        let mut it = pair.into_inner();
        let name = self.name(&it.next()?);
        let mut params = Vec::new();
        let mut entries = Vec::new();
        for p in it {
            if p.as_rule() == Rule::ident {
                params.push(self.name(&p));
            } else {
                entries.push(p);
            }
        }
        let body = self.lower_rule_entries(name.clone(), span, entries.into_iter());
        Some(TemplateDecl {
            name,
            params,
            body,
            span,
        })
    }
}
