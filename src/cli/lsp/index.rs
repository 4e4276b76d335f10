//! What the language server knows of a pack's text: where every name is
//! declared, where every word is used, and the blocks an editor may fold.
//!
//! Built from the syntax trees of the folder's `.rules` files (the editor's
//! text in place of a file being edited), so go-to-definition, references
//! and completion keep working in files that parse while another does not
//! check. Words are found by a scan that skips comments and the text of
//! strings (an enumeration value is found inside its quotes).

use crate::ast::{self, Item};
use crate::source::SourceId;
use std::path::{Path, PathBuf};

/// What a declared name is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeclKind {
    Rule,
    Template,
    Enum,
    EnumValue,
    Record,
    Group,
    Field,
    Table,
    Let,
    Local,
    Param,
    Unit,
}

/// A declared name.
#[derive(Clone, Debug)]
pub struct Decl {
    /// The name as declared (a field's path relative to its record or group).
    pub name: String,
    pub kind: DeclKind,
    /// The file, its index in [`Index::files`].
    pub file: usize,
    /// Byte range of the name.
    pub at: (usize, usize),
    /// The declaration (rule, template) or record/group it belongs to.
    pub within: Option<(usize, usize)>,
    /// The record or group a field is declared in, the enumeration of a value.
    pub owner: Option<String>,
}

/// The declarations and texts of a pack folder.
#[derive(Default)]
pub struct Index {
    pub files: Vec<(PathBuf, String)>,
    pub decls: Vec<Decl>,
}

impl Index {
    /// The index of the `.rules` files of `dir`; `open` gives an editor's
    /// text for a file being edited.
    pub fn build(dir: &Path, open: impl Fn(&Path) -> Option<String>) -> Index {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
            .map(|d| {
                d.filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|e| e == "rules"))
                    .collect()
            })
            .unwrap_or_default();
        paths.sort();
        // Bounded as a pack load is: an editor pointed at a huge folder
        // gets what fits.
        paths.truncate(crate::load::MAX_RULES_FILES);
        let mut index = Index::default();
        for path in paths {
            let text = open(&path).or_else(|| {
                crate::load::read_bounded(&path, crate::load::MAX_RULES_FILE_BYTES).ok()
            });
            if let Some(text) = text {
                index.add(path, text);
            }
        }
        index
    }

    /// Adds one file.
    pub fn add(&mut self, path: PathBuf, text: String) {
        let file = self.files.len();
        let id = SourceId(u32::try_from(file).unwrap_or(u32::MAX));
        if let Ok(tree) = crate::syntax::parse_file(id, &text) {
            for item in &tree.items {
                self.item(file, item);
            }
        }
        self.files.push((path, text));
    }

    fn decl(
        &mut self,
        file: usize,
        name: &ast::Name,
        kind: DeclKind,
        within: Option<(usize, usize)>,
        owner: Option<&str>,
    ) {
        self.decls.push(Decl {
            name: name.node.clone(),
            kind,
            file,
            at: (name.span.start, name.span.end),
            within,
            owner: owner.map(str::to_string),
        });
    }

    fn item(&mut self, file: usize, item: &Item) {
        let fields = |me: &mut Self, fs: &[ast::FieldDecl], owner: &str, within| {
            for f in fs {
                me.decl(file, &f.path, DeclKind::Field, Some(within), Some(owner));
            }
        };
        match item {
            Item::Pack(_) => {}
            Item::Unit(u) => self.decl(file, &u.symbol, DeclKind::Unit, None, Some(&u.of.node)),
            Item::Enum(e) => {
                self.decl(file, &e.name, DeclKind::Enum, None, None);
                for v in &e.values {
                    self.decl(file, &v.name, DeclKind::EnumValue, None, Some(&e.name.node));
                }
            }
            Item::Group(g) => {
                self.decl(file, &g.name, DeclKind::Group, None, None);
                let within = (g.name.span.start, g.name.span.end);
                fields(self, &g.fields, &g.name.node, within);
            }
            Item::Record(r) => {
                self.decl(file, &r.name, DeclKind::Record, None, None);
                let within = (r.name.span.start, r.name.span.end);
                fields(self, &r.fields, &r.name.node, within);
            }
            Item::Table(t) => self.decl(file, &t.name, DeclKind::Table, None, None),
            Item::Let(l) => self.decl(file, &l.name, DeclKind::Let, None, Some(&l.kind.node)),
            Item::Rule(r) => {
                self.decl(file, &r.id, DeclKind::Rule, None, None);
                let within = (r.span.start, r.span.end);
                for (name, _) in &r.lets {
                    self.decl(file, name, DeclKind::Local, Some(within), None);
                }
            }
            Item::Template(t) => {
                self.decl(file, &t.name, DeclKind::Template, None, None);
                let within = (t.span.start, t.span.end);
                for p in &t.params {
                    self.decl(file, p, DeclKind::Param, Some(within), Some(&t.name.node));
                }
                for (name, _) in &t.body.lets {
                    self.decl(file, name, DeclKind::Local, Some(within), None);
                }
            }
        }
    }

    /// The declarations `word` (written at `offset` of file `file`) names.
    pub fn definitions(&self, file: usize, offset: usize, word: &str) -> Vec<&Decl> {
        let word = word.trim_matches('"');
        // A parameter or local value: the one of the enclosing declaration.
        let local: Vec<&Decl> = self
            .decls
            .iter()
            .filter(|d| {
                matches!(d.kind, DeclKind::Local | DeclKind::Param)
                    && d.file == file
                    && d.within.is_some_and(|(s, e)| s <= offset && offset < e)
                    && (d.name == word
                        || (d.kind == DeclKind::Param && word.strip_prefix('$') == Some(&d.name)))
            })
            .collect();
        if !local.is_empty() {
            return local;
        }
        let exact: Vec<&Decl> = self
            .decls
            .iter()
            .filter(|d| !matches!(d.kind, DeclKind::Local | DeclKind::Param) && d.name == word)
            .collect();
        if !exact.is_empty() {
            return exact;
        }
        // A path through a group: `baseline.indicators.pm25` is the field
        // `pm25` of a group (the longest declared tail wins).
        let segments: Vec<&str> = word.split('.').collect();
        for i in 1..segments.len() {
            let tail = segments[i..].join(".");
            let found: Vec<&Decl> = self
                .decls
                .iter()
                .filter(|d| d.kind == DeclKind::Field && d.name == tail)
                .collect();
            if !found.is_empty() {
                return found;
            }
        }
        Vec::new()
    }

    /// Every use of `word` in the pack's files (declarations included):
    /// (file, byte range).
    pub fn references(&self, word: &str) -> Vec<(usize, (usize, usize))> {
        let word = word.trim_matches('"');
        let mut out = Vec::new();
        for (file, (_, text)) in self.files.iter().enumerate() {
            for (start, token) in words(text) {
                if token == word
                    || token.strip_prefix('$') == Some(word)
                    || token.ends_with(&format!(".{word}"))
                {
                    let at = start + token.len() - word.len();
                    out.push((file, (at, at + word.len())));
                }
            }
        }
        out
    }

    /// The index of `path` among the files.
    pub fn file_of(&self, path: &Path) -> Option<usize> {
        self.files
            .iter()
            .position(|(p, _)| super::same_file(p, path))
    }
}

/// The characters of a rules text as the grammar sees them, with their
/// byte offsets and whether they lie inside a string: a comment's text
/// (after its `#`) and the character after a `\\` in a string are left out.
fn lexed(text: &str) -> impl Iterator<Item = (usize, char, bool)> + '_ {
    let mut chars = text.char_indices();
    let mut in_string = false;
    std::iter::from_fn(move || {
        let (i, c) = chars.next()?;
        match c {
            '\\' if in_string => {
                chars.next();
            }
            '"' => in_string = !in_string,
            '#' if !in_string => {
                // The comment ends before its line break, which is yielded.
                let mut rest = chars.clone();
                while let Some((_, c)) = rest.next() {
                    if c == '\n' {
                        break;
                    }
                    chars = rest.clone();
                }
            }
            _ => {}
        }
        Some((i, c, in_string))
    })
}

/// The words of a rules text with their byte offsets: names, dotted paths,
/// rule ids and `$params`, outside comments; inside a string, its words
/// (enumeration values, `{…}` interpolations).
pub fn words(text: &str) -> Vec<(usize, &str)> {
    let is_word = |c: char| c.is_alphanumeric() || c == '_' || c == '.' || c == '-' || c == '$';
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c, _) in lexed(text) {
        if is_word(c) {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            out.push((s, text.get(s..i).unwrap_or("")));
        }
    }
    if let Some(s) = start {
        out.push((s, text.get(s..).unwrap_or("")));
    }
    out.retain(|(_, w)| {
        let w = w.trim_matches(['.', '-']);
        !w.is_empty()
            && !w
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
    });
    out
}

/// The top-level blocks `{ … }` of a rules text (declarations), as byte
/// offsets of their opening and closing braces; braces in strings and
/// comments do not count.
pub fn blocks(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut open = 0usize;
    for (i, c, in_string) in lexed(text) {
        match c {
            '{' if !in_string => {
                if depth == 0 {
                    open = i;
                }
                depth += 1;
            }
            '}' if !in_string && depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    out.push((open, i));
                }
            }
            _ => {}
        }
    }
    out
}
