//! Loading a rule pack: the embedded default pack, or a folder on disk.
//!
//! This is the only place that reads rule files and the cited document; it
//! hands their texts to `syntax` and `check` and wraps every error with its
//! source so that it renders with the exact span.

use crate::check::{check_pack, SourceDoc};
use crate::diagnostics::Localized;
use crate::i18n::{both, msg, Bilingual, Lang};
use crate::pack::Pack;
use crate::source::SourceMap;
use crate::syntax::parse_file;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

/// The default rule pack, compiled into the binary.
static EMBEDDED_RULES: include_dir::Dir<'static> =
    include_dir::include_dir!("$CARGO_MANIFEST_DIR/rules");

/// Documents the embedded pack may cite, by their path relative to the repository.
const EMBEDDED_SEEDS: &[(&str, &str)] = &[(
    "seeds/liaocheng-13th-five-year-plan.txt",
    include_str!("../seeds/liaocheng-13th-five-year-plan.txt"),
)];

/// A pack that could not be loaded: every error, each with its source.
#[derive(Debug)]
pub struct PackErrors {
    /// The diagnostics, in both languages.
    pub errors: Vec<Localized>,
}

impl PackErrors {
    /// The errors in `lang`, ready to render.
    pub fn reports(&self, lang: Lang) -> Vec<miette::Report> {
        self.errors.iter().map(|e| e.report(lang)).collect()
    }
}

/// Why a file could not be read, in both languages (the system's own words
/// are kept in English).
pub fn io_reason(e: &std::io::Error) -> Bilingual<String> {
    use std::io::ErrorKind as K;
    let detail = e.to_string();
    both(|l| match (l, e.kind()) {
        (Lang::En, _) => detail.clone(),
        (_, K::NotFound) => msg::cli::io_not_found(l),
        (_, K::PermissionDenied) => msg::cli::io_permission(l),
        (_, K::InvalidData) => msg::cli::io_invalid_data(l),
        (_, K::IsADirectory) => msg::cli::io_is_directory(l),
        _ => msg::cli::io_other(l),
    })
}

/// The largest rules file read (real ones are tens of kilobytes).
pub const MAX_RULES_FILE_BYTES: u64 = 4 << 20;
/// The largest cited document read (the plan is a few hundred kilobytes).
pub const MAX_SOURCE_BYTES: u64 = 32 << 20;
/// The most rules files a pack may have.
pub const MAX_RULES_FILES: usize = 1000;

/// Reads a regular file of at most `max` bytes as UTF-8 text. A FIFO, a
/// device or a link to one is refused before it is opened (reading it
/// could block for ever or never end), and a file is never read past `max`.
pub fn read_bounded(path: &Path, max: u64) -> Result<String, Bilingual<String>> {
    use std::io::Read;
    let meta = std::fs::metadata(path).map_err(|e| io_reason(&e))?;
    if !meta.is_file() {
        return Err(both(msg::cli::io_not_regular));
    }
    let file = std::fs::File::open(path).map_err(|e| io_reason(&e))?;
    let mut bytes = Vec::new();
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io_reason(&e))?;
    if bytes.len() as u64 > max {
        let max = crate::text::size(max);
        return Err(both(|l| msg::cli::io_too_large(l, &max)));
    }
    String::from_utf8(bytes).map_err(|_| {
        io_reason(&std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "stream did not contain valid UTF-8",
        ))
    })
}

/// The cited document `source` of the pack in `dir`, which must lie in the
/// tree the pack belongs to: the folder holding the pack's folder (where
/// `rules/` and `seeds/` sit side by side). A pack from another repository
/// cannot read, or probe with its quotes, any other file on the machine.
fn read_source(dir: &Path, source: &str) -> Result<Arc<str>, Bilingual<String>> {
    let outside = || both(|l| msg::cli::source_outside(l, source));
    let relative = Path::new(source);
    if relative.is_absolute() || relative.has_root() {
        return Err(outside());
    }
    let pack_dir = dir.canonicalize().map_err(|e| io_reason(&e))?;
    let root = pack_dir.parent().unwrap_or(&pack_dir).to_path_buf();
    let joined = normalize(&pack_dir.join(relative));
    if !joined.starts_with(&root) {
        return Err(outside());
    }
    // Links are followed only while they stay in the tree.
    let real = joined.canonicalize().map_err(|e| io_reason(&e))?;
    if !real.starts_with(&root) {
        return Err(outside());
    }
    read_bounded(&real, MAX_SOURCE_BYTES).map(Arc::from)
}

/// The folder cannot be read: `--rules missing/` (E401).
fn unreadable(path: &str, reason: &Bilingual<String>) -> Localized {
    Localized::plain(
        "E401",
        both(|l| msg::pack::rules_unreadable(l, path, reason.text(l))),
        Some(both(msg::pack::rules_folder_help)),
    )
}

/// The text of the plan the embedded pack cites.
pub fn embedded_plan() -> &'static str {
    EMBEDDED_SEEDS.first().map_or("", |(_, text)| text)
}

/// The file of `rules/` holding the embedded pack in its pre-checked form.
pub const PRECHECKED_FILE: &str = "pack.prechecked";
/// What a pre-checked pack starts with (then a fingerprint, then the pack).
const PRECHECKED_MAGIC: &[u8; 16] = b"plancheck-pack-1";

/// A fingerprint of everything the embedded pack is made from: plancheck's
/// version, every rules file (name and text) and the document it cites,
/// computed when the binary is built (`build.rs`).
pub fn embedded_fingerprint() -> u64 {
    u64::from_str_radix(env!("PLANCHECK_EMBEDDED_FINGERPRINT"), 16).unwrap_or(0)
}

/// The pre-checked form of `pack` (the embedded pack, loaded fresh): what
/// `rules/pack.prechecked` must hold.
pub fn prechecked(pack: &Pack) -> Result<Vec<u8>, String> {
    let mut out = PRECHECKED_MAGIC.to_vec();
    out.extend_from_slice(&embedded_fingerprint().to_le_bytes());
    let body = postcard::to_stdvec(pack).map_err(|e| e.to_string())?;
    out.extend_from_slice(&body);
    Ok(out)
}

/// The embedded pack from its pre-checked form, where that form was made
/// from exactly the rules and documents embedded and reads back (else
/// `None`: a stale form is never used, only slower to replace).
pub fn from_prechecked() -> Option<Pack> {
    let bytes = EMBEDDED_RULES.get_file(PRECHECKED_FILE)?.contents();
    let rest = bytes.strip_prefix(PRECHECKED_MAGIC.as_slice())?;
    let (print, body) = rest.split_at_checked(8)?;
    if u64::from_le_bytes(print.try_into().ok()?) != embedded_fingerprint() {
        return None;
    }
    let mut pack: Pack = postcard::from_bytes(body).ok()?;
    pack.reindex();
    Some(pack)
}

/// Loads the embedded default pack: its pre-checked form (checked by
/// `rules lint` when it was made, and proven equal to a fresh load by the
/// tests), or, where that form is stale, parsed and checked afresh.
pub fn embedded() -> Result<Pack, PackErrors> {
    match from_prechecked() {
        Some(pack) => Ok(pack),
        None => embedded_fresh(),
    }
}

/// Loads the embedded default pack from its rule texts, parsing and
/// checking everything (citations included).
pub fn embedded_fresh() -> Result<Pack, PackErrors> {
    let mut files: Vec<(String, String)> = EMBEDDED_RULES
        .files()
        .filter(|f| f.path().extension().is_some_and(|e| e == "rules"))
        .filter_map(|f| {
            Some((
                format!("rules/{}", f.path().display()),
                f.contents_utf8()?.to_string(),
            ))
        })
        .collect();
    files.sort();
    load_texts(files, |source| {
        let joined = normalize(&Path::new("rules").join(source));
        let key = joined.to_string_lossy().replace('\\', "/");
        match EMBEDDED_SEEDS.iter().find(|(p, _)| *p == key) {
            Some((_, text)) => Ok(Arc::from(*text)),
            None => Err(both(|l| msg::cli::not_embedded(l, &key))),
        }
    })
}

/// Loads the pack in folder `dir`.
pub fn from_dir(dir: &Path) -> Result<Pack, PackErrors> {
    from_dir_editing(dir, |_| None)
}

/// Loads the pack in folder `dir`, where `editing` gives the text of a file
/// being edited (not yet saved) in place of the file's own.
pub fn from_dir_editing(
    dir: &Path,
    editing: impl Fn(&Path) -> Option<String>,
) -> Result<Pack, PackErrors> {
    let shown = dir.display().to_string();
    let entries = std::fs::read_dir(dir).map_err(|e| PackErrors {
        errors: vec![unreadable(&shown, &io_reason(&e))],
    })?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "rules"))
        .collect();
    paths.sort();
    if paths.is_empty() {
        return Err(PackErrors {
            errors: vec![Localized::plain(
                "E402",
                both(|l| msg::pack::rules_empty(l, &shown)),
                Some(both(msg::pack::rules_empty_help)),
            )],
        });
    }
    if paths.len() > MAX_RULES_FILES {
        let reason = both(|l| msg::cli::too_many_rules_files(l, paths.len(), MAX_RULES_FILES));
        return Err(PackErrors {
            errors: vec![unreadable(&shown, &reason)],
        });
    }
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for p in &paths {
        if let Some(text) = editing(p) {
            files.push((p.display().to_string(), text));
            continue;
        }
        match read_bounded(p, MAX_RULES_FILE_BYTES) {
            Ok(t) => files.push((p.display().to_string(), t)),
            Err(reason) => errors.push(Localized::plain(
                "E401",
                both(|l| {
                    msg::pack::rules_file_unreadable(l, &p.display().to_string(), reason.text(l))
                }),
                Some(both(msg::pack::rules_folder_help)),
            )),
        }
    }
    if !errors.is_empty() {
        return Err(PackErrors { errors });
    }
    let dir = dir.to_path_buf();
    load_texts(files, move |source| read_source(&dir, source))
}

/// Parses and checks the texts of a pack; `read_doc` reads the cited document.
pub fn load_texts(
    files: Vec<(String, String)>,
    read_doc: impl Fn(&str) -> Result<Arc<str>, Bilingual<String>>,
) -> Result<Pack, PackErrors> {
    let mut sources = SourceMap::default();
    let mut asts = Vec::new();
    let mut errors: Vec<Localized> = Vec::new();
    for (name, text) in files {
        let id = sources.add(name, text.as_str());
        match parse_file(id, &text) {
            Ok(ast) => asts.push(ast),
            Err(errs) => errors.extend(
                errs.into_iter()
                    .map(|e| e.localized().with_source(sources.named(id))),
            ),
        }
    }
    if !errors.is_empty() {
        return Err(PackErrors { errors });
    }
    let doc: Option<SourceDoc> = asts
        .iter()
        .flat_map(|f| f.items.iter())
        .find_map(|i| match i {
            crate::ast::Item::Pack(p) => p
                .source
                .as_ref()
                .map(|s| (s.node.clone(), read_doc(&s.node))),
            _ => None,
        });
    let for_render = sources.clone();
    check_pack(&asts, sources, doc).map_err(|errs| PackErrors {
        errors: errs
            .into_iter()
            .map(|e| e.localized().with_source(for_render.named(e.at.source)))
            .collect(),
    })
}

/// Resolves `..` and `.` without touching the file system.
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}
