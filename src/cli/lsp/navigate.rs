//! Finding one's way in a pack: go to definition, references, folding,
//! the examples' code lenses and completion, over the [`Index`] of the
//! folder's files.

use super::index::{self, DeclKind, Index};
use super::{offset_of, position_of, same_file, word_at, Server};
use crate::i18n::msg;
use crate::run::ExampleResult;
use lsp_types::{DocumentSymbolResponse, Range, SymbolInformation, SymbolKind, Url};
use std::path::{Path, PathBuf};

impl Server {
    /// The index of the folder of `uri`, with the editor's open texts.
    pub(super) fn index(&self, uri: &Url) -> Option<(Index, usize)> {
        let path = uri.to_file_path().ok()?;
        let dir = path.parent()?;
        let open: Vec<(PathBuf, String)> = self
            .docs
            .iter()
            .filter_map(|(u, t)| u.to_file_path().ok().map(|p| (p, t.clone())))
            .collect();
        let index = Index::build(dir, |p| {
            open.iter()
                .find(|(q, _)| same_file(q, p))
                .map(|(_, t)| t.clone())
        });
        let file = index.file_of(&path)?;
        Some((index, file))
    }

    /// The outline: every declaration of the file.
    #[allow(deprecated)] // `SymbolInformation::deprecated` must still be written.
    pub(super) fn symbols(&self, uri: &Url) -> Option<DocumentSymbolResponse> {
        let text = self.docs.get(uri)?;
        let mut out = Vec::new();
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            let mut words = line.split_whitespace();
            let kind = match words.next() {
                Some("rule") => Some(SymbolKind::FUNCTION),
                Some("record" | "group") => Some(SymbolKind::STRUCT),
                Some("enum") => Some(SymbolKind::ENUM),
                Some("table") => Some(SymbolKind::ARRAY),
                Some("let") => Some(SymbolKind::VARIABLE),
                Some("template") => Some(SymbolKind::INTERFACE),
                Some("pack") => Some(SymbolKind::PACKAGE),
                _ => None,
            };
            if let (Some(kind), Some(name)) = (kind, words.next()) {
                let name = name
                    .split('(')
                    .next()
                    .unwrap_or(name)
                    .trim_end_matches([':', '{'])
                    .trim_matches('"')
                    .to_string();
                let range = Range::new(
                    position_of(text, offset, self.utf8),
                    position_of(text, offset + line.trim_end().len(), self.utf8),
                );
                out.push(SymbolInformation {
                    name,
                    kind,
                    tags: None,
                    deprecated: None,
                    location: lsp_types::Location::new(uri.clone(), range),
                    container_name: None,
                });
            }
            offset += line.len();
        }
        Some(DocumentSymbolResponse::Flat(out))
    }

    /// Where the name under the cursor is declared.
    pub(super) fn definition(
        &self,
        p: &lsp_types::TextDocumentPositionParams,
    ) -> Option<lsp_types::GotoDefinitionResponse> {
        let (index, file) = self.index(&p.text_document.uri)?;
        let text = &index.files.get(file)?.1;
        let offset = offset_of(text, p.position, self.utf8);
        let word = param_word_at(text, offset);
        let found: Vec<lsp_types::Location> = index
            .definitions(file, offset, word)
            .into_iter()
            .filter_map(|d| location(&index, d.file, d.at, self.utf8))
            .collect();
        (!found.is_empty()).then_some(lsp_types::GotoDefinitionResponse::Array(found))
    }

    /// Every use of the name under the cursor, across the pack's files.
    pub(super) fn references(
        &self,
        p: &lsp_types::ReferenceParams,
    ) -> Option<Vec<lsp_types::Location>> {
        let pos = &p.text_document_position;
        let (index, file) = self.index(&pos.text_document.uri)?;
        let text = &index.files.get(file)?.1;
        let word = param_word_at(text, offset_of(text, pos.position, self.utf8));
        let word = word.trim_start_matches('$');
        if word.is_empty() {
            return Some(Vec::new());
        }
        Some(
            index
                .references(word)
                .into_iter()
                .filter_map(|(f, at)| location(&index, f, at, self.utf8))
                .collect(),
        )
    }

    /// Every declaration block folds, from its first line to its `}`.
    pub(super) fn folds(&self, uri: &Url) -> Option<Vec<lsp_types::FoldingRange>> {
        let text = self.docs.get(uri)?;
        Some(
            index::blocks(text)
                .into_iter()
                .filter_map(|(open, close)| {
                    let start = position_of(text, open, self.utf8).line;
                    let end = position_of(text, close, self.utf8).line;
                    (end > start).then_some(lsp_types::FoldingRange {
                        start_line: start,
                        end_line: end,
                        kind: Some(lsp_types::FoldingRangeKind::Region),
                        ..lsp_types::FoldingRange::default()
                    })
                })
                .collect(),
        )
    }

    /// Over each rule of the file: how its examples fared when the pack
    /// last loaded.
    pub(super) fn lenses(&self, uri: &Url) -> Option<Vec<lsp_types::CodeLens>> {
        let text = self.docs.get(uri)?;
        let path = uri.to_file_path().ok()?;
        let pack = self.pack.as_ref()?;
        let mut out = Vec::new();
        for rule in &pack.rules {
            let in_file = pack
                .sources
                .get(rule.span.source)
                .is_some_and(|f| same_file(Path::new(&f.name), &path));
            if !in_file || rule.examples.is_empty() {
                continue;
            }
            let results: Vec<&ExampleResult> = self
                .examples
                .iter()
                .filter(|r| *r.rule == *rule.id)
                .collect();
            let failed = results.iter().filter(|r| !r.passed()).count();
            let title = msg::cli::lens_examples(self.lang, results.len() - failed, failed);
            let at = position_of(text, rule.span.start, self.utf8);
            out.push(lsp_types::CodeLens {
                range: Range::new(at, at),
                command: Some(lsp_types::Command {
                    title,
                    command: "plancheck.rulesTest".to_string(),
                    arguments: Some(vec![serde_json::Value::String(rule.id.to_string())]),
                }),
                data: None,
            });
        }
        Some(out)
    }

    /// What may be written at the cursor: after `use`, the templates; in a
    /// string, enumeration values; after a number, units; elsewhere field
    /// paths, derived values, tables and keywords.
    pub(super) fn complete(
        &self,
        pos: &lsp_types::TextDocumentPositionParams,
    ) -> Option<lsp_types::CompletionResponse> {
        use lsp_types::{CompletionItem, CompletionItemKind as K};
        let (index, file) = self.index(&pos.text_document.uri)?;
        let text = &index.files.get(file)?.1;
        let offset = offset_of(text, pos.position, self.utf8);
        let line_start = text.get(..offset)?.rfind('\n').map_or(0, |i| i + 1);
        let before = text.get(line_start..offset)?;
        let item = |label: String, kind: K, detail: Option<String>| CompletionItem {
            label,
            kind: Some(kind),
            detail,
            ..CompletionItem::default()
        };
        let mut items: Vec<CompletionItem> = Vec::new();
        let in_string = before.matches('"').count() % 2 == 1;
        let typed = before
            .rsplit(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.' || c == '$'))
            .next()
            .unwrap_or("");
        let previous = before[..before.len() - typed.len()].trim_end();
        let last_word = previous
            .rsplit(|c: char| c.is_whitespace())
            .next()
            .unwrap_or("");
        if last_word == "use" {
            items.extend(
                index
                    .decls
                    .iter()
                    .filter(|d| d.kind == DeclKind::Template)
                    .map(|d| item(d.name.clone(), K::FUNCTION, None)),
            );
        } else if in_string {
            items.extend(
                index
                    .decls
                    .iter()
                    .filter(|d| d.kind == DeclKind::EnumValue)
                    .map(|d| item(d.name.clone(), K::ENUM_MEMBER, d.owner.clone())),
            );
        } else if previous.ends_with(|c: char| c.is_ascii_digit()) {
            let table = self
                .pack
                .as_ref()
                .map_or_else(crate::units::UnitTable::language, |p| p.units.clone());
            items.extend(table.symbols().map(|u| item(u.to_string(), K::UNIT, None)));
        } else if typed.starts_with('$') {
            items.extend(
                index
                    .decls
                    .iter()
                    .filter(|d| {
                        d.kind == DeclKind::Param
                            && d.file == file
                            && d.within.is_some_and(|(s, e)| s <= offset && offset <= e)
                    })
                    .map(|d| item(format!("${}", d.name), K::VARIABLE, d.owner.clone())),
            );
        } else {
            // Field paths as a record reads them (a group's fields under
            // the field that holds the group), then everything else named.
            if let Some(pack) = &self.pack {
                for r in &pack.records {
                    for f in &r.fields {
                        let detail = f.labels.as_ref().map(|l| l.text(self.lang).to_string());
                        items.push(item(f.path.clone(), K::FIELD, detail));
                    }
                }
            }
            items.extend(index.decls.iter().filter_map(|d| {
                let kind = match d.kind {
                    DeclKind::Let | DeclKind::Local => K::VARIABLE,
                    DeclKind::Table => K::STRUCT,
                    DeclKind::Enum => K::ENUM,
                    _ => return None,
                };
                Some(item(d.name.clone(), kind, d.owner.clone()))
            }));
            items.extend(
                KEYWORDS
                    .iter()
                    .map(|k| item((*k).to_string(), K::KEYWORD, None)),
            );
        }
        items.sort_by(|a, b| a.label.cmp(&b.label));
        items.dedup_by(|a, b| a.label == b.label);
        Some(lsp_types::CompletionResponse::Array(items))
    }
}

/// The words that begin entries and declarations, and the operators
/// written as words, offered by completion.
const KEYWORDS: &[&str] = &[
    "pack",
    "enum",
    "group",
    "record",
    "table",
    "let",
    "rule",
    "template",
    "title",
    "force",
    "subject",
    "in force from",
    "until",
    "cite",
    "note",
    "when",
    "forbid when",
    "require",
    "use",
    "at",
    "message",
    "example",
    "by",
    "path",
    "linear",
    "compound",
    "since",
    "and",
    "or",
    "not",
    "in",
    "not in",
    "if",
    "then",
    "else",
    "otherwise",
    "present",
    "binding",
    "expected",
    "in_principle",
    "prohibition",
    "pass",
    "violated",
    "missing",
    "not_applicable",
    "off_track",
    "waived",
    "invalid",
];

/// The word at `offset`, a leading `$` of a template parameter included.
fn param_word_at(text: &str, offset: usize) -> &str {
    let word = word_at(text, offset);
    let start = word.as_ptr() as usize - text.as_ptr() as usize;
    match start
        .checked_sub(1)
        .and_then(|s| text.get(s..start + word.len()))
    {
        Some(with) if with.starts_with('$') => with,
        _ => word,
    }
}

/// A location in the index's file `file`.
fn location(
    index: &Index,
    file: usize,
    at: (usize, usize),
    utf8: bool,
) -> Option<lsp_types::Location> {
    let (path, text) = index.files.get(file)?;
    let uri = Url::from_file_path(path).ok()?;
    Some(lsp_types::Location::new(
        uri,
        Range::new(position_of(text, at.0, utf8), position_of(text, at.1, utf8)),
    ))
}
