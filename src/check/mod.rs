//! Check: syntax trees → a resolved, typed [`Pack`].
//!
//! Input: the syntax trees of a pack's files and the text of the document
//! the rules cite. Output: a [`Pack`] ready for evaluation, or every static
//! error found (unknown names with did-you-mean, type and dimension errors,
//! duplicates, missing parts, quotes not found verbatim). `check` performs no
//! IO and never evaluates a record.

mod citations;
mod errors;
mod expr;
mod header;
mod lets;
mod names;
mod rules;
mod schema;
mod tables;
mod templates;

pub use errors::{keyword, keyword_ctx, CheckError, CheckErrorKind, Thing};

use crate::ast::{self, BinaryOp};
use crate::diagnostics::suggest;
use crate::i18n::Bilingual;
use crate::i18n::{both, msg};
use crate::pack::*;
use crate::source::{SourceMap, Span};
use crate::units::Dim;
use std::collections::HashMap;
use std::sync::Arc;

/// The document rules cite: its name as the header gives it and its text,
/// or why it could not be read.
pub type SourceDoc = (String, Result<Arc<str>, Bilingual<String>>);

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
    enum_index: HashMap<String, EnumId>,
    records: Vec<RecordDef>,
    tables: Vec<TableDef>,
    table_index: HashMap<String, TableId>,
    lets: Vec<LetDef>,
    let_index: HashMap<(usize, String), LetId>,
    /// Derived values by kind and name, not yet checked, for order-free resolution.
    pending_lets: HashMap<(usize, String), ast::LetDecl>,
    in_progress: Vec<(usize, String)>,
    /// The pack's period, once the header is read.
    period: (crate::units::Date, crate::units::Date),
    /// How many derived values each derived value rests on, itself included.
    let_depths: Vec<usize>,
    /// Where the pack's quotes lie in the cited document.
    quotes: citations::QuoteIndex,
    /// The units the pack may use: the language's and its own.
    units: crate::units::UnitTable,
    /// Per rule id, the templates it uses: each template's span and the
    /// `use` as written, so an error inside a template names the rule.
    use_sites: HashMap<String, Vec<(Span, String)>>,
    /// The rule being checked, while its parts are.
    current_rule: Option<String>,
    /// Rules with a `use` that could not be taken (their missing
    /// requirements are that error's, not another).
    failed_uses: std::collections::HashSet<String>,
    /// Per rule id, the `$param`s its templates' entries had and the text
    /// of each argument (for quoting the rule as it reads).
    written: HashMap<String, Vec<(Span, String, bool)>>,
}

/// Errors after which unknown names get no did-you-mean.
const MAX_SUGGESTED_ERRORS: usize = 100;

const BUILTIN_TYPES: [&str; 6] = ["text", "bool", "date", "year", "number", "waivers"];

impl Checker {
    fn err(&mut self, kind: CheckErrorKind, at: Span, help: Option<Bilingual<String>>) {
        // An error in a template's text, found while checking a rule that
        // uses it, says which rule and which arguments.
        let site = self
            .current_rule
            .as_ref()
            .and_then(|id| Some((id, self.use_sites.get(id)?)))
            .and_then(|(id, sites)| {
                sites
                    .iter()
                    .find(|(t, _)| t.source == at.source && t.start <= at.start && at.end <= t.end)
                    .map(|(_, written)| (id.clone(), written.clone()))
            });
        let help = match site {
            None => help,
            Some((id, written)) => Some(both(|l| {
                let context = msg::pack::in_rule_use(l, &id, &written);
                match &help {
                    Some(h) => format!("{}; {context}", h.text(l)),
                    None => context,
                }
            })),
        };
        self.errors.push(CheckError::new(kind, at, help));
    }

    fn enum_id(&self, name: &str) -> Option<EnumId> {
        self.enum_index.get(name).copied()
    }
    /// Checks every declaration, in an order where each part finds what it
    /// reads: the header, enumerations, records, tables, derived values,
    /// defaults and record checks, the cited document, and the rules.
    fn pack(
        &mut self,
        files: &[ast::File],
        sources: SourceMap,
        doc: Option<SourceDoc>,
    ) -> Option<Pack> {
        let mut items: Vec<&ast::Item> = files.iter().flat_map(|f| f.items.iter()).collect();
        // Rules that `use` templates are checked as if written out.
        let expanded = self.expand_templates(&items, &sources);
        for e in &expanded {
            if let Some(slot) = items.get_mut(e.index) {
                *slot = &e.rule;
            }
            if let ast::Item::Rule(r) = &e.rule {
                self.written.insert(r.id.node.clone(), e.written.clone());
            }
        }
        let (header, period_start, period_end) = self.header(&items)?;
        self.period = (period_start, period_end);
        self.units(&items);
        self.enums(&items);
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
        self.records(&record_decls, &groups);
        for item in &items {
            if let ast::Item::Table(t) = item {
                self.table(t);
            }
        }
        self.lets(&items);
        self.defaults_and_checks(&record_decls, &groups);
        let doc_text = self.source_doc(header, doc.as_ref());
        if let Some(text) = doc_text.as_deref() {
            let quotes = items.iter().filter_map(|i| match i {
                ast::Item::Rule(r) => Some(r.cites.iter()),
                _ => None,
            });
            self.quotes = citations::QuoteIndex::build(
                text,
                quotes
                    .flatten()
                    .flat_map(|c| c.quotes.iter().map(|q| q.node.as_str())),
            );
        }
        let rules = self.rules(
            &items,
            doc_text.as_deref(),
            doc.as_ref().map_or("", |d| d.0.as_str()),
        );
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
            units: std::mem::take(&mut self.units),
            sources,
            derived: crate::pack::Derived::default(),
        })
    }
}

impl Checker {
    /// The pack's `unit` declarations, in order: each is a multiple of a
    /// unit known before it.
    fn units(&mut self, items: &[&ast::Item]) {
        use crate::units::DeclareError;
        for item in items {
            let ast::Item::Unit(u) = item else {
                continue;
            };
            let num = crate::units::Number::parse(&u.factor.0.node);
            let den = match &u.factor.1 {
                Some(d) => crate::units::Number::parse(&d.node),
                None => Some(crate::units::Number::one()),
            };
            if den
                .as_ref()
                .is_some_and(|d| *d == crate::units::Number::zero())
            {
                if let Some(d) = &u.factor.1 {
                    self.bad_unit(u, msg::pack::unit_factor_not_positive, d.span);
                    continue;
                }
            }
            let factor = num.zip(den).and_then(|(n, d)| n.checked_div(&d));
            let Some(factor) = factor else {
                self.bad_unit(u, msg::pack::unit_factor_not_a_number, u.span);
                continue;
            };
            match self.units.declare(&u.symbol.node, &factor, &u.of.node) {
                Ok(()) => {}
                Err(DeclareError::Known) => self.err(
                    CheckErrorKind::Duplicate {
                        what: Thing::Unit,
                        name: u.symbol.node.clone(),
                    },
                    u.symbol.span,
                    Some(both(|l| {
                        if crate::units::UnitTable::is_language(&u.symbol.node) {
                            msg::pack::unit_is_the_languages(l)
                        } else {
                            msg::pack::unit_declared_once(l)
                        }
                    })),
                ),
                Err(DeclareError::UnknownBase(of)) => {
                    let help = suggest(&of, self.units.symbols());
                    self.err(
                        CheckErrorKind::UnknownUnit { unit: of },
                        u.of.span,
                        help.or_else(|| Some(both(msg::pack::unit_help))),
                    );
                }
                Err(DeclareError::NotPositive) => {
                    self.bad_unit(u, msg::pack::unit_factor_not_positive, u.factor.0.span);
                }
            }
        }
    }
}

impl Checker {
    /// U203: a `unit` declaration that cannot stand, for `reason`, at `at`.
    fn bad_unit(&mut self, u: &ast::UnitDecl, reason: fn(crate::i18n::Lang) -> String, at: Span) {
        self.err(
            CheckErrorKind::BadUnit {
                unit: u.symbol.node.clone(),
                reason: both(reason),
            },
            at,
            Some(both(msg::pack::unit_help)),
        );
    }
}

fn text2(l: &ast::Labels) -> Bilingual<String> {
    l.map(|s| s.node.clone())
}

/// The checked pack's operator for a syntax tree's operator.
fn checked_op(op: BinaryOp) -> Op {
    match op {
        BinaryOp::Or => Op::Or,
        BinaryOp::And => Op::And,
        BinaryOp::Otherwise => Op::Otherwise,
        BinaryOp::In => Op::In,
        BinaryOp::Eq => Op::Eq,
        BinaryOp::Ne => Op::Ne,
        BinaryOp::Lt => Op::Lt,
        BinaryOp::Le => Op::Le,
        BinaryOp::Gt => Op::Gt,
        BinaryOp::Ge => Op::Ge,
        BinaryOp::Add => Op::Add,
        BinaryOp::Sub => Op::Sub,
        BinaryOp::Mul => Op::Mul,
        BinaryOp::Div => Op::Div,
    }
}

#[cfg(test)]
mod tests;
