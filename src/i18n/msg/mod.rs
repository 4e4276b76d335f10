//! The message catalogue: every sentence plancheck itself says, in Chinese
//! and English side by side, grouped by the phase that says it.
//!
//! Each entry is a function `name(lang, args…) -> String`. Texts written in
//! a rule pack (titles, rule messages) are not here: the pack carries them.

pub mod cli;
pub mod eval;
pub mod help;
pub mod input;
pub mod pack;
pub mod report;
pub mod rules;
pub mod syntax;
pub mod template;

/// One entry: its name, its Chinese and its English format string.
pub type Entry = (&'static str, &'static str, &'static str);

/// Every entry of the catalogue: part, name, Chinese and English format strings.
pub fn entries() -> impl Iterator<Item = (&'static str, &'static str, &'static str, &'static str)> {
    let parts: [(&str, &[Entry]); 9] = [
        ("cli", cli::ENTRIES),
        ("eval", eval::ENTRIES),
        ("help", help::ENTRIES),
        ("input", input::ENTRIES),
        ("pack", pack::ENTRIES),
        ("report", report::ENTRIES),
        ("rules", rules::ENTRIES),
        ("syntax", syntax::ENTRIES),
        ("template", template::ENTRIES),
    ];
    parts
        .into_iter()
        .flat_map(|(part, es)| es.iter().map(move |(n, zh, en)| (part, *n, *zh, *en)))
}
