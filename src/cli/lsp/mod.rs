//! `plancheck lsp`: a language server for `.rules` files over stdio
//! (lsp-server, synchronous: no async runtime).
//!
//! On every change the pack of the edited file's folder is loaded with the
//! editor's text in place of the file's, and every error of `rules lint`
//! becomes a diagnostic (code and help included; a "did you mean" becomes a
//! quick fix). When the pack loads, every rule's examples run: a failing
//! one is a diagnostic on the example, and a code lens over each rule says
//! how its examples fare. Hover shows a rule as `rules explain` does
//! (title, force, the plan's sentence), a field's title, type and unit, a
//! unit's dimension, a table's rows, an enumeration's values; go to
//! definition and find references work for fields, enumerations and their
//! values, tables, derived and local values, groups, records, rules,
//! templates and their parameters (see [`index`]); completion offers field
//! paths, enumeration values, units, templates and keywords; `rules fmt`
//! formats; the outline lists the declarations and every block folds.
//! Positions are UTF-16, as LSP asks, or UTF-8 when the client offers it.

mod index;
mod navigate;

use crate::i18n::{msg, Lang};
use crate::pack::Pack;
use crate::run::ExampleResult;

use lsp_server::{Connection, Message, Notification, Request, Response};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, Diagnostic,
    DiagnosticSeverity, DidChangeTextDocumentParams, DidOpenTextDocumentParams,
    DocumentFormattingParams, DocumentSymbolParams, Hover, HoverContents, HoverParams,
    InitializeParams, MarkupContent, MarkupKind, NumberOrString, Position,
    PublishDiagnosticsParams, Range, ServerCapabilities, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextEdit, Url, WorkspaceEdit,
};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The server's state: open documents and the last pack that loaded.
struct Server {
    docs: HashMap<Url, String>,
    pack: Option<Pack>,
    /// The examples of the last pack that loaded, as run then.
    examples: Vec<ExampleResult>,
    lang: Lang,
    /// Positions are UTF-8 byte offsets in a line (the client offered
    /// them), else UTF-16 units.
    utf8: bool,
}

/// Runs the server on stdin and stdout until the client says exit.
pub fn run(lang: Lang) -> u8 {
    let (connection, io) = Connection::stdio();
    let code = serve(&connection, lang);
    drop(connection);
    let _ = io.join();
    code
}

/// Serves one client on `connection` (the tests use an in-memory one).
pub fn serve(connection: &Connection, lang: Lang) -> u8 {
    let Ok((id, params)) = connection.initialize_start() else {
        return super::EXIT_ERROR;
    };
    // Positions count UTF-16 units, as LSP asks, unless the client offers
    // UTF-8 (byte offsets: no counting at all for a Chinese line).
    let utf8 = serde_json::from_value::<InitializeParams>(params)
        .ok()
        .and_then(|p| p.capabilities.general?.position_encodings)
        .is_some_and(|offered| offered.contains(&lsp_types::PositionEncodingKind::UTF8));
    let capabilities = ServerCapabilities {
        position_encoding: Some(if utf8 {
            lsp_types::PositionEncodingKind::UTF8
        } else {
            lsp_types::PositionEncodingKind::UTF16
        }),
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        hover_provider: Some(lsp_types::HoverProviderCapability::Simple(true)),
        document_formatting_provider: Some(lsp_types::OneOf::Left(true)),
        document_symbol_provider: Some(lsp_types::OneOf::Left(true)),
        code_action_provider: Some(lsp_types::CodeActionProviderCapability::Simple(true)),
        definition_provider: Some(lsp_types::OneOf::Left(true)),
        references_provider: Some(lsp_types::OneOf::Left(true)),
        folding_range_provider: Some(lsp_types::FoldingRangeProviderCapability::Simple(true)),
        code_lens_provider: Some(lsp_types::CodeLensOptions {
            resolve_provider: Some(false),
        }),
        completion_provider: Some(lsp_types::CompletionOptions {
            trigger_characters: Some(vec![".".into(), "\"".into(), "$".into(), " ".into()]),
            ..lsp_types::CompletionOptions::default()
        }),
        ..ServerCapabilities::default()
    };
    let result = serde_json::json!({
        "capabilities": capabilities,
        "serverInfo": { "name": "plancheck", "version": env!("CARGO_PKG_VERSION") },
    });
    if connection.initialize_finish(id, result).is_err() {
        return super::EXIT_ERROR;
    }
    let mut server = Server {
        docs: HashMap::new(),
        pack: None,
        examples: Vec::new(),
        lang,
        utf8,
    };
    for msg in &connection.receiver {
        match msg {
            Message::Request(req) => {
                if connection.handle_shutdown(&req).unwrap_or(true) {
                    return super::EXIT_OK;
                }
                let resp = server.request(req);
                let _ = connection.sender.send(Message::Response(resp));
            }
            Message::Notification(n) => {
                for out in server.notification(n) {
                    let _ = connection.sender.send(Message::Notification(out));
                }
            }
            Message::Response(_) => {}
        }
    }
    super::EXIT_OK
}

/// The byte offset of a position in `text` (UTF-8 or UTF-16 columns).
fn offset_of(text: &str, pos: Position, utf8: bool) -> usize {
    let mut line = 0u32;
    let mut start = 0usize;
    for (i, c) in text.char_indices() {
        if line == pos.line {
            break;
        }
        if c == '\n' {
            line += 1;
            start = i + 1;
        }
    }
    if line < pos.line {
        return text.len();
    }
    let mut units = 0u32;
    for (i, c) in text[start..].char_indices() {
        if units >= pos.character || c == '\n' {
            return start + i;
        }
        units += if utf8 { c.len_utf8() } else { c.len_utf16() } as u32;
    }
    text.len()
}

/// The position of a byte offset in `text` (UTF-8 or UTF-16 columns).
fn position_of(text: &str, offset: usize, utf8: bool) -> Position {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() as u32;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let line_text = before.get(start..).unwrap_or("");
    let character = if utf8 {
        line_text.len() as u32
    } else {
        line_text.chars().map(|c| c.len_utf16() as u32).sum()
    };
    Position { line, character }
}

/// The word (a name, a dotted path or a rule id) at `offset`.
fn word_at(text: &str, offset: usize) -> &str {
    let is_word = |c: char| c.is_alphanumeric() || c == '_' || c == '.' || c == '-';
    let start = text[..offset.min(text.len())]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_word(*c))
        .last()
        .map_or(offset, |(i, _)| i);
    let end = text[offset.min(text.len())..]
        .char_indices()
        .find(|(_, c)| !is_word(*c))
        .map_or(text.len(), |(i, _)| offset + i);
    text.get(start..end).unwrap_or("").trim_matches('.')
}

impl Server {
    fn request(&mut self, req: Request) -> Response {
        let id = req.id.clone();
        let result = match req.method.as_str() {
            "textDocument/hover" => serde_json::from_value::<HoverParams>(req.params)
                .ok()
                .map(|p| serde_json::to_value(self.hover(&p)).unwrap_or_default()),
            "textDocument/formatting" => {
                serde_json::from_value::<DocumentFormattingParams>(req.params)
                    .ok()
                    .map(|p| {
                        serde_json::to_value(self.format(&p.text_document.uri)).unwrap_or_default()
                    })
            }
            "textDocument/documentSymbol" => {
                serde_json::from_value::<DocumentSymbolParams>(req.params)
                    .ok()
                    .map(|p| {
                        serde_json::to_value(self.symbols(&p.text_document.uri)).unwrap_or_default()
                    })
            }
            "textDocument/codeAction" => serde_json::from_value::<CodeActionParams>(req.params)
                .ok()
                .map(|p| serde_json::to_value(self.fixes(&p)).unwrap_or_default()),
            "textDocument/definition" => {
                serde_json::from_value::<lsp_types::GotoDefinitionParams>(req.params)
                    .ok()
                    .map(|p| {
                        serde_json::to_value(self.definition(&p.text_document_position_params))
                            .unwrap_or_default()
                    })
            }
            "textDocument/references" => {
                serde_json::from_value::<lsp_types::ReferenceParams>(req.params)
                    .ok()
                    .map(|p| serde_json::to_value(self.references(&p)).unwrap_or_default())
            }
            "textDocument/foldingRange" => {
                serde_json::from_value::<lsp_types::FoldingRangeParams>(req.params)
                    .ok()
                    .map(|p| {
                        serde_json::to_value(self.folds(&p.text_document.uri)).unwrap_or_default()
                    })
            }
            "textDocument/codeLens" => {
                serde_json::from_value::<lsp_types::CodeLensParams>(req.params)
                    .ok()
                    .map(|p| {
                        serde_json::to_value(self.lenses(&p.text_document.uri)).unwrap_or_default()
                    })
            }
            "textDocument/completion" => {
                serde_json::from_value::<lsp_types::CompletionParams>(req.params)
                    .ok()
                    .map(|p| {
                        serde_json::to_value(self.complete(&p.text_document_position))
                            .unwrap_or_default()
                    })
            }
            _ => {
                return Response::new_err(
                    id,
                    lsp_server::ErrorCode::MethodNotFound as i32,
                    format!("plancheck does not answer {}", req.method),
                )
            }
        };
        match result {
            Some(v) => Response::new_ok(id, v),
            None => Response::new_err(
                id,
                lsp_server::ErrorCode::InvalidParams as i32,
                "invalid parameters".to_string(),
            ),
        }
    }

    fn notification(&mut self, n: Notification) -> Vec<Notification> {
        let uri = match n.method.as_str() {
            "textDocument/didOpen" => {
                let Ok(p) = serde_json::from_value::<DidOpenTextDocumentParams>(n.params) else {
                    return Vec::new();
                };
                self.docs
                    .insert(p.text_document.uri.clone(), p.text_document.text);
                p.text_document.uri
            }
            "textDocument/didChange" => {
                let Ok(p) = serde_json::from_value::<DidChangeTextDocumentParams>(n.params) else {
                    return Vec::new();
                };
                if let Some(c) = p.content_changes.into_iter().last() {
                    self.docs.insert(p.text_document.uri.clone(), c.text);
                }
                p.text_document.uri
            }
            "textDocument/didClose" => return Vec::new(),
            _ => return Vec::new(),
        };
        let diagnostics = self.diagnose(&uri);
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version: None,
        };
        vec![Notification::new(
            "textDocument/publishDiagnostics".to_string(),
            params,
        )]
    }

    /// Loads the pack of `uri`'s folder with the editor's texts.
    fn diagnose(&mut self, uri: &Url) -> Vec<Diagnostic> {
        let Some(text) = self.docs.get(uri).cloned() else {
            return Vec::new();
        };
        let Ok(path) = uri.to_file_path() else {
            return Vec::new();
        };
        let dir = path
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        let open: HashMap<PathBuf, String> = self
            .docs
            .iter()
            .filter_map(|(u, t)| u.to_file_path().ok().map(|p| (p, t.clone())))
            .collect();
        let loaded = crate::load::from_dir_editing(&dir, |p| {
            open.iter()
                .find(|(q, _)| same_file(q, p))
                .map(|(_, t)| t.clone())
        });
        match loaded {
            Ok(pack) => {
                // The examples run as `rules test` runs them; the failing
                // ones written in this file are shown where they are.
                self.examples = crate::run::run_examples(&pack, self.lang);
                let failing = self.example_diagnostics(&pack, &path, &text);
                self.pack = Some(pack);
                failing
            }
            Err(errors) => {
                let here = self.file_diagnostics(&errors, &path, &text);
                if !here.is_empty() || errors.errors.is_empty() {
                    return here;
                }
                // Nothing wrong in this file, yet the pack does not load
                // (a template or another file): say so at the top.
                let first = &errors.errors[0];
                let place = first.source.as_ref().map_or("", |s| s.name()).to_string();
                let message = msg::cli::lsp_pack_broken_elsewhere(
                    self.lang,
                    errors.errors.len(),
                    &place,
                    first.message.text(self.lang),
                );
                vec![Diagnostic {
                    range: Range::new(Position::new(0, 0), Position::new(0, 0)),
                    severity: Some(DiagnosticSeverity::ERROR),
                    code: Some(NumberOrString::String(first.code.to_string())),
                    source: Some("plancheck".to_string()),
                    message,
                    ..Diagnostic::default()
                }]
            }
        }
    }

    /// The pack's errors that lie in `path`, as diagnostics.
    fn file_diagnostics(
        &self,
        errors: &crate::load::PackErrors,
        path: &Path,
        text: &str,
    ) -> Vec<Diagnostic> {
        errors
            .errors
            .iter()
            .filter(|e| {
                e.source
                    .as_ref()
                    .is_some_and(|s| same_file(Path::new(s.name()), path))
            })
            .map(|e| {
                let (start, end) = e
                    .span
                    .map_or((0, 0), |s| (s.offset(), s.offset() + s.len()));
                let mut message = e.message.text(self.lang).to_string();
                if let Some(h) = &e.help {
                    message.push_str("\nhelp: ");
                    message.push_str(h.text(self.lang));
                }
                Diagnostic {
                    range: Range::new(
                        position_of(text, start, self.utf8),
                        position_of(text, end, self.utf8),
                    ),
                    severity: Some(DiagnosticSeverity::ERROR),
                    code: Some(NumberOrString::String(e.code.to_string())),
                    source: Some("plancheck".to_string()),
                    message,
                    data: e
                        .help
                        .as_ref()
                        .and_then(|h| suggestion(&h.en))
                        .map(serde_json::Value::String),
                    ..Diagnostic::default()
                }
            })
            .collect()
    }

    /// A diagnostic on each failing example of the pack written in `path`.
    fn example_diagnostics(&self, pack: &Pack, path: &Path, text: &str) -> Vec<Diagnostic> {
        self.examples
            .iter()
            .filter(|r| !r.passed())
            .filter_map(|r| {
                let rule = pack.rule(&r.rule)?;
                let ex = rule.examples.get(r.index)?;
                let file = pack.sources.get(ex.span.source)?;
                if !same_file(Path::new(&file.name), path) {
                    return None;
                }
                let got = r.got.map_or_else(
                    || msg::cli::no_outcome(self.lang),
                    |o| o.as_str().to_string(),
                );
                let mut message = msg::cli::example_failed(
                    self.lang,
                    &r.rule,
                    r.index + 1,
                    r.expected.as_str(),
                    &got,
                );
                if !r.message.is_empty() {
                    message.push('\n');
                    message.push_str(&r.message);
                }
                Some(Diagnostic {
                    range: Range::new(
                        position_of(text, ex.span.start, self.utf8),
                        position_of(text, ex.span.end, self.utf8),
                    ),
                    severity: Some(DiagnosticSeverity::ERROR),
                    code: Some(NumberOrString::String("example".to_string())),
                    source: Some("plancheck".to_string()),
                    message,
                    ..Diagnostic::default()
                })
            })
            .collect()
    }

    fn hover(&self, p: &HoverParams) -> Option<Hover> {
        let uri = &p.text_document_position_params.text_document.uri;
        let text = self.docs.get(uri)?;
        let word = word_at(
            text,
            offset_of(text, p.text_document_position_params.position, self.utf8),
        );
        let pack = self.pack.as_ref()?;
        let value = if let Some(r) = pack.rule(word) {
            format!(
                "```text\n{}\n```",
                crate::report::explain_text(pack, r, self.lang)
            )
        } else if let Some(f) = pack
            .records
            .iter()
            .find_map(|r| r.field(word).and_then(|f| r.get(f)).map(|f| (r, f)))
        {
            let (record, f) = f;
            let title = f.labels.as_ref().map_or("", |l| l.text(self.lang));
            let unit = f.unit.map_or(String::new(), |u| format!(" · {}", u.symbol));
            let ty = match &f.ty {
                crate::pack::Type::Bool => "bool".to_string(),
                crate::pack::Type::Text => "text".to_string(),
                crate::pack::Type::Date => "date".to_string(),
                crate::pack::Type::Num(_) => "number".to_string(),
                crate::pack::Type::Enum(e) => pack
                    .enums
                    .get(e.0)
                    .map_or_else(String::new, |e| e.name.clone()),
                crate::pack::Type::List(_) => "list".to_string(),
                crate::pack::Type::Waivers => "waivers".to_string(),
            };
            format!("**{}** — {title}\n\n`{ty}`{unit} · {}", f.path, record.kind)
        } else if let Some(t) = pack.tables.iter().find(|t| t.name == word) {
            format!(
                "**{}**\n\n{}",
                t.name,
                crate::report::table_rows(pack, t, self.lang)
            )
        } else if let Some(e) = pack.enums.iter().find(|e| e.name == word) {
            let values: Vec<String> = e
                .values
                .iter()
                .map(|(v, l)| match l {
                    Some(l) => format!("`{v}` {}", l.text(self.lang)),
                    None => format!("`{v}`"),
                })
                .collect();
            let title = e.labels.as_ref().map_or("", |l| l.text(self.lang));
            format!("**{}** — {title}\n\n{}", e.name, values.join(" · "))
        } else if let Some(u) = pack.units.parse(word) {
            format!(
                "**{}** — {}",
                u.symbol,
                msg::cli::lsp_unit(self.lang, &u.dim.name(self.lang))
            )
        } else {
            return None;
        };
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value,
            }),
            range: None,
        })
    }

    fn format(&self, uri: &Url) -> Option<Vec<TextEdit>> {
        let text = self.docs.get(uri)?;
        let formatted = crate::syntax::format::format_checked(text).ok()?;
        if &formatted == text {
            return Some(Vec::new());
        }
        let end = position_of(text, text.len(), self.utf8);
        Some(vec![TextEdit::new(
            Range::new(Position::new(0, 0), end),
            formatted,
        )])
    }

    /// Quick fixes: a "did you mean" replaces the name it is about.
    fn fixes(&self, p: &CodeActionParams) -> Vec<CodeActionOrCommand> {
        p.context
            .diagnostics
            .iter()
            .filter_map(|d| {
                let better = d.data.as_ref()?.as_str()?.to_string();
                let mut changes = HashMap::new();
                changes.insert(
                    p.text_document.uri.clone(),
                    vec![TextEdit::new(d.range, better.clone())],
                );
                Some(CodeActionOrCommand::CodeAction(CodeAction {
                    title: format!("replace with `{better}`"),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![d.clone()]),
                    edit: Some(WorkspaceEdit::new(changes)),
                    is_preferred: Some(true),
                    ..CodeAction::default()
                }))
            })
            .collect()
    }
}

/// The name a "did you mean `x`?" help suggests.
fn suggestion(help: &str) -> Option<String> {
    let rest = help.split("did you mean `").nth(1)?;
    Some(rest.split('`').next()?.to_string())
}

/// Whether two paths name the same file.
fn same_file(a: &Path, b: &Path) -> bool {
    a == b
        || match (a.canonicalize(), b.canonicalize()) {
            (Ok(x), Ok(y)) => x == y,
            _ => false,
        }
}
