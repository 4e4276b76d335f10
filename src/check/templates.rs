//! Templates: a family of rules said once.
//!
//! `template name(p, …) { entries }` declares `when`, `forbid`, `let` and
//! `require` entries in which `$p` stands for an argument; `use name(a, …)`
//! in a rule takes those entries with every `$p` replaced by its argument,
//! and the rule is then checked exactly as if it had been written out.
//! Expansion works on the syntax tree: an argument replaces a whole
//! expression, one segment of a path (`indicators.$key`), or a path's kind
//! (`path $curve`); in a message, `{$title}` is the using rule's title in
//! the message's language.
//!
//! The expanded parts keep the template's spans (an error in a template
//! points at the template), and each replaced `$p` is recorded with the
//! text of its argument, so that `rules explain` can quote a requirement as
//! the rule reads, not as the template is written.

use super::{CheckErrorKind, Checker, Thing};
use crate::ast::{self, Expr, ExprKind, Name, Spanned, TemplatePart};
use crate::diagnostics::suggest;
use crate::i18n::{both, msg, Lang};
use crate::source::{SourceMap, Span};
use std::collections::HashMap;

/// The built-in parameter of messages: the using rule's title.
const TITLE: &str = "title";

/// A rule after its `use` entries are expanded.
pub(super) struct Expanded {
    /// Index of the rule among the pack's items.
    pub index: usize,
    /// The rule, its template entries included.
    pub rule: ast::Item,
    /// Each replaced `$param`: where it is written, and its argument's text.
    pub written: Vec<(Span, String, bool)>,
}

impl Checker {
    /// Checks the templates of the pack and expands every `use`. Rules
    /// without `use` are left where they are.
    pub(super) fn expand_templates(
        &mut self,
        items: &[&ast::Item],
        sources: &SourceMap,
    ) -> Vec<Expanded> {
        let mut templates: HashMap<&str, &ast::TemplateDecl> = HashMap::new();
        for item in items {
            if let ast::Item::Template(t) = item {
                if templates.insert(t.name.node.as_str(), t).is_some() {
                    self.err(
                        CheckErrorKind::Duplicate {
                            what: Thing::Template,
                            name: t.name.node.clone(),
                        },
                        t.name.span,
                        Some(both(msg::pack::unique_template_names)),
                    );
                }
                self.template_params(t);
            }
        }
        let mut names: Vec<&str> = templates.keys().copied().collect();
        names.sort_unstable();
        let mut out = Vec::new();
        for (index, item) in items.iter().enumerate() {
            let ast::Item::Rule(rule) = item else {
                continue;
            };
            // A `$name` in the rule's own entries has no argument to stand for.
            self.no_params_outside(rule);
            if rule.uses.is_empty() {
                continue;
            }
            let mut expanded = (**rule).clone();
            let mut written = Vec::new();
            let mut used: Vec<&str> = Vec::new();
            for u in &rule.uses {
                // Twice the same template would put two arguments at one
                // place of the template's text: say it as two rules.
                if used.contains(&u.template.node.as_str()) {
                    self.err(
                        CheckErrorKind::Duplicate {
                            what: Thing::Template,
                            name: u.template.node.clone(),
                        },
                        u.span,
                        Some(both(msg::pack::template_once_per_rule)),
                    );
                    self.failed_uses.insert(rule.id.node.clone());
                    continue;
                }
                used.push(&u.template.node);
                let Some(t) = templates.get(u.template.node.as_str()) else {
                    let help = suggest(&u.template.node, names.iter().copied());
                    self.err(
                        CheckErrorKind::Unknown {
                            what: Thing::Template,
                            name: u.template.node.clone(),
                        },
                        u.template.span,
                        help.or_else(|| Some(both(msg::pack::declare_template))),
                    );
                    self.failed_uses.insert(rule.id.node.clone());
                    continue;
                };
                if u.args.len() != t.params.len() {
                    self.err(
                        CheckErrorKind::WrongArity {
                            function: t.name.node.clone(),
                            expected: t.params.len(),
                            found: u.args.len(),
                        },
                        u.span,
                        Some(both(|l| {
                            msg::pack::template_params(
                                l,
                                &t.name.node,
                                &t.params
                                    .iter()
                                    .map(|p| format!("${}", p.node))
                                    .collect::<Vec<_>>()
                                    .join(", "),
                            )
                        })),
                    );
                    self.failed_uses.insert(rule.id.node.clone());
                    continue;
                }
                let written_use = sources
                    .snippet(u.span)
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                self.use_sites
                    .entry(rule.id.node.clone())
                    .or_default()
                    .push((t.span, written_use));
                let mut b = Binding {
                    template: t,
                    args: &u.args,
                    rule,
                    sources,
                    written: Vec::new(),
                    errors: Vec::new(),
                };
                let body = &t.body;
                if let Some(w) = &body.when {
                    let w = b.expr(w);
                    expanded.when = Some(match expanded.when.take() {
                        None => w,
                        Some(before) => and(before, w),
                    });
                }
                for (name, value) in &body.lets {
                    let value = b.expr(value);
                    expanded.lets.push((name.clone(), value));
                }
                for r in &body.requires {
                    let r = b.require(r);
                    expanded.requires.push(r);
                }
                written.append(&mut b.written);
                for (kind, at) in b.errors {
                    self.err(kind, at, None);
                }
            }
            out.push(Expanded {
                index,
                rule: ast::Item::Rule(Box::new(expanded)),
                written,
            });
        }
        out
    }

    /// Parameters are unique, and every `$name` in the body is one of them.
    fn template_params(&mut self, t: &ast::TemplateDecl) {
        let mut seen: Vec<&str> = Vec::new();
        for p in &t.params {
            if seen.contains(&p.node.as_str()) {
                self.err(
                    CheckErrorKind::Duplicate {
                        what: Thing::Parameter,
                        name: format!("${}", p.node),
                    },
                    p.span,
                    None,
                );
            }
            seen.push(&p.node);
        }
        let mut refs = Vec::new();
        each_param(&t.body, &mut refs);
        for (name, at, in_message) in refs {
            if seen.contains(&name.as_str()) || (in_message && name == TITLE) {
                continue;
            }
            let help = suggest(&name, seen.iter().copied());
            self.err(
                CheckErrorKind::Unknown {
                    what: Thing::Parameter,
                    name: format!("${name}"),
                },
                at,
                help.or_else(|| Some(both(msg::pack::declare_param))),
            );
        }
    }

    /// A rule's own entries, and the arguments it gives, name no `$param`.
    fn no_params_outside(&mut self, rule: &ast::RuleDecl) {
        let mut refs = Vec::new();
        each_param(rule, &mut refs);
        for u in &rule.uses {
            for arg in &u.args {
                let args = ast::RuleDecl {
                    when: Some(arg.clone()),
                    lets: Vec::new(),
                    requires: Vec::new(),
                    uses: Vec::new(),
                    ..rule.clone()
                };
                each_param(&args, &mut refs);
            }
        }
        for (name, at, _) in refs {
            self.err(
                CheckErrorKind::Unknown {
                    what: Thing::Parameter,
                    name: format!("${name}"),
                },
                at,
                Some(both(msg::pack::param_outside_template)),
            );
        }
    }
}

/// `a and b`, spanning both.
fn and(a: Expr, b: Expr) -> Expr {
    let span = a.span.join(b.span);
    Spanned::new(
        ExprKind::Binary(ast::BinaryOp::And, Box::new(a), Box::new(b)),
        span,
    )
}

/// Every `$name` in the entries of `body`: its name, where it is written,
/// and whether it is inside a message.
fn each_param(body: &ast::RuleDecl, out: &mut Vec<(String, Span, bool)>) {
    let mut exprs: Vec<(&Expr, bool)> = Vec::new();
    if let Some(w) = &body.when {
        exprs.push((w, false));
    }
    exprs.extend(body.lets.iter().map(|(_, e)| (e, false)));
    for r in &body.requires {
        exprs.push((&r.condition, false));
        if let Some(t) = &r.track {
            exprs.push((&t.from, false));
            exprs.push((&t.since, false));
            name_params(&t.kind, out);
        }
        if let Some(at) = &r.at {
            name_params(at, out);
        }
        for template in [&r.message.zh, &r.message.en] {
            for part in &template.parts {
                // `{$title}` is a message's own; nowhere else.
                if let TemplatePart::Expr(e) = part {
                    exprs.push((e, is_title(e)));
                }
            }
        }
    }
    while let Some((e, in_message)) = exprs.pop() {
        match &e.node {
            ExprKind::Path(p) => {
                for (seg, at) in segments(p, e.span) {
                    if let Some(name) = seg.strip_prefix('$') {
                        out.push((name.to_string(), at, in_message));
                    }
                }
            }
            ExprKind::Quantity { .. } | ExprKind::Str(_) | ExprKind::Bool(_) => {}
            ExprKind::List(xs) | ExprKind::Call(_, xs) => {
                exprs.extend(xs.iter().map(|x| (x, in_message)));
            }
            ExprKind::Lookup(_, x) | ExprKind::Unary(_, x) => exprs.push((x.as_ref(), in_message)),
            ExprKind::If(a, b, c) => {
                exprs.extend([
                    (a.as_ref(), in_message),
                    (b.as_ref(), in_message),
                    (c.as_ref(), in_message),
                ]);
            }
            ExprKind::Binary(_, a, b) => {
                exprs.extend([(a.as_ref(), in_message), (b.as_ref(), in_message)]);
            }
        }
    }
    out.sort_by_key(|(_, at, _)| (at.source, at.start));
}

/// The `$name` segments of a written path (an `at` path or a path's kind).
fn name_params(name: &Name, out: &mut Vec<(String, Span, bool)>) {
    for (seg, at) in segments(&name.node, name.span) {
        if let Some(p) = seg.strip_prefix('$') {
            out.push((p.to_string(), at, false));
        }
    }
}

/// The segments of a dotted path with the span of each, for a path written
/// at `span` (the grammar writes a path as one token, segments joined by `.`).
fn segments(path: &str, span: Span) -> Vec<(&str, Span)> {
    let mut out = Vec::new();
    let mut start = span.start;
    for seg in path.split('.') {
        out.push((seg, Span::new(span.source, start, start + seg.len())));
        start += seg.len() + 1;
    }
    out
}

/// One `use`: the template's parameters bound to the arguments.
struct Binding<'a> {
    template: &'a ast::TemplateDecl,
    args: &'a [Expr],
    rule: &'a ast::RuleDecl,
    sources: &'a SourceMap,
    written: Vec<(Span, String, bool)>,
    errors: Vec<(CheckErrorKind, Span)>,
}

impl Binding<'_> {
    /// The argument of parameter `name`, if it is one.
    fn arg(&self, name: &str) -> Option<&Expr> {
        let i = self.template.params.iter().position(|p| p.node == name)?;
        self.args.get(i)
    }

    /// The argument's text as written in the rule.
    fn text(&self, arg: &Expr) -> String {
        self.sources
            .snippet(arg.span)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The argument of `$name` where only a name may stand (a segment of a
    /// path, a path's kind): its text, or `None` after an error.
    fn name_arg(&mut self, name: &str) -> Option<String> {
        let arg = self.arg(name)?;
        match &arg.node {
            ExprKind::Path(p) if !p.contains('$') => Some(p.clone()),
            _ => {
                let found = self.text(arg);
                self.errors.push((
                    CheckErrorKind::TypeMismatch {
                        context: both(|l| msg::pack::ctx_param(l, name)),
                        expected: both(msg::pack::want_name),
                        found: both(|l| msg::pack::found_written(l, &found)),
                    },
                    arg.span,
                ));
                None
            }
        }
    }

    /// A written path with its `$name` segments replaced.
    fn path(&mut self, path: &str, span: Span) -> String {
        let mut out = Vec::new();
        for (seg, at) in segments(path, span) {
            match seg.strip_prefix('$') {
                Some(name) => match self.name_arg(name) {
                    Some(text) => {
                        self.written.push((at, text.clone(), false));
                        out.push(text);
                    }
                    None => out.push(seg.to_string()),
                },
                None => out.push(seg.to_string()),
            }
        }
        out.join(".")
    }

    fn name(&mut self, name: &Name) -> Name {
        if !name.node.contains('$') {
            return name.clone();
        }
        Spanned::new(self.path(&name.node, name.span), name.span)
    }

    fn expr(&mut self, e: &Expr) -> Expr {
        let kind = match &e.node {
            ExprKind::Path(p) if p.starts_with('$') && !p.contains('.') => {
                let name = p.get(1..).unwrap_or_default();
                if let Some(arg) = self.arg(name) {
                    // The argument itself, with its own spans: an error in
                    // it points at the rule that wrote it.
                    let arg = arg.clone();
                    // An argument of several parts is grouped where it
                    // stands inside more text (`$n * 2` with `a + b`).
                    let grouped = matches!(
                        arg.node,
                        ExprKind::Binary(..) | ExprKind::Unary(..) | ExprKind::If(..)
                    );
                    self.written.push((e.span, self.text(&arg), grouped));
                    return arg;
                }
                e.node.clone()
            }
            ExprKind::Path(p) if p.contains('$') => ExprKind::Path(self.path(p, e.span)),
            ExprKind::Path(_)
            | ExprKind::Quantity { .. }
            | ExprKind::Str(_)
            | ExprKind::Bool(_) => e.node.clone(),
            ExprKind::List(xs) => ExprKind::List(xs.iter().map(|x| self.expr(x)).collect()),
            ExprKind::Call(f, xs) => {
                ExprKind::Call(f.clone(), xs.iter().map(|x| self.expr(x)).collect())
            }
            ExprKind::Lookup(t, x) => ExprKind::Lookup(t.clone(), Box::new(self.expr(x))),
            ExprKind::If(a, b, c) => ExprKind::If(
                Box::new(self.expr(a)),
                Box::new(self.expr(b)),
                Box::new(self.expr(c)),
            ),
            ExprKind::Unary(op, x) => ExprKind::Unary(*op, Box::new(self.expr(x))),
            ExprKind::Binary(op, a, b) => {
                ExprKind::Binary(*op, Box::new(self.expr(a)), Box::new(self.expr(b)))
            }
        };
        Spanned::new(kind, e.span)
    }

    fn require(&mut self, r: &ast::Require) -> ast::Require {
        ast::Require {
            condition: self.expr(&r.condition),
            track: r.track.as_ref().map(|t| ast::Track {
                by: t.by.clone(),
                kind: self.name(&t.kind),
                from: self.expr(&t.from),
                since: self.expr(&t.since),
            }),
            at: r.at.as_ref().map(|a| self.name(a)),
            message: ast::Message {
                zh: self.message(&r.message.zh, Lang::Zh),
                en: self.message(&r.message.en, Lang::En),
            },
            span: r.span,
        }
    }

    /// A message template: `{$param}` takes the argument, `{$title}` (when
    /// no parameter is so named) the rule's title in `lang`.
    fn message(&mut self, t: &ast::Template, lang: Lang) -> ast::Template {
        let parts = t
            .parts
            .iter()
            .map(|part| match part {
                TemplatePart::Expr(e) if is_title(e) && self.arg(TITLE).is_none() => {
                    let title = self.rule.title.as_ref().map(|l| match lang {
                        Lang::Zh => l.zh.node.clone(),
                        Lang::En => l.en.node.clone(),
                    });
                    // A rule without a title is reported as such; the
                    // message keeps the placeholder meanwhile.
                    TemplatePart::Text(title.unwrap_or_else(|| format!("${TITLE}")))
                }
                TemplatePart::Expr(e) => TemplatePart::Expr(self.expr(e)),
                TemplatePart::Text(s) => TemplatePart::Text(s.clone()),
            })
            .collect();
        ast::Template {
            parts,
            span: t.span,
        }
    }
}

/// `{$title}`.
fn is_title(e: &Expr) -> bool {
    matches!(&e.node, ExprKind::Path(p) if p.strip_prefix('$') == Some(TITLE))
}
