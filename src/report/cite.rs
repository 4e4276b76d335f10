//! Citations as officers read them: the plan's title, chapter and section
//! and its sentence, never a file of this repository and a line number.
//!
//! A quote from a table of the plan is a row of tab-separated cells, kept
//! verbatim because `rules lint` verifies it byte for byte. Shown, it is the
//! indicator's name and its figures under the table's own column headings,
//! which are read from the document (the header row below the table's
//! caption), so no knowledge of the plan is written here.

use crate::i18n::{msg, Lang};
use crate::pack::Pack;

/// How many lines above a quoted row its table's caption may stand.
const TABLE_SPAN: usize = 120;

/// The document's line `n` (1-based).
fn line(doc: &str, n: usize) -> Option<&str> {
    doc.lines().nth(n.checked_sub(1)?)
}

/// Whether a line is a table's caption (`表 2：…`).
fn is_caption(l: &str) -> bool {
    let t = l.trim_start();
    t.starts_with('表')
        && t.chars()
            .nth(1)
            .is_some_and(|c| c == ' ' || c.is_ascii_digit() || c == '\u{3000}')
}

/// The header row of the table holding the quoted row at line `n`: the
/// first tab-separated line after the nearest caption above it.
fn header(doc: &str, n: usize) -> Option<Vec<String>> {
    let at = n.checked_sub(1)?;
    // Only the lines a table's caption may be on, not the whole plan: this
    // runs for every tabular citation shown.
    let first = at.saturating_sub(TABLE_SPAN);
    let lines: Vec<&str> = doc.lines().skip(first).take(at - first).collect();
    let caption = lines.iter().rposition(|l| is_caption(l))?;
    let head = lines
        .get(caption + 1..)?
        .iter()
        .find(|l| l.contains('\t'))?;
    Some(head.split('\t').map(tidy).collect())
}

/// A cell of the plan as it reads: `PM _{2.5}` → `PM2.5`, inner spaces of a
/// heading (`指 标`) and a dangling `/` of a wrapped heading removed.
fn tidy(cell: &str) -> String {
    let mut out = String::with_capacity(cell.len());
    let mut rest = cell.trim();
    while let Some(i) = rest.find("_{") {
        out.push_str(rest.get(..i).unwrap_or("").trim_end());
        let after = rest.get(i + 2..).unwrap_or("");
        match after.find('}') {
            Some(j) => {
                out.push_str(after.get(..j).unwrap_or(""));
                rest = after.get(j + 1..).unwrap_or("");
            }
            None => {
                rest = after;
                break;
            }
        }
    }
    out.push_str(rest);
    let out = out.trim().trim_end_matches('/').to_string();
    // A heading spaced out for the table's layout (`指 标`) reads as one word.
    if out.chars().all(|c| !c.is_ascii()) || out.chars().filter(|c| *c == ' ').count() == 1 {
        let squeezed: String = out.split(' ').collect();
        if squeezed.chars().all(|c| !c.is_ascii_alphanumeric()) {
            return squeezed;
        }
    }
    out
}

/// The indicator's name without its number: `(21) PM2.5` → `PM2.5`.
fn without_number(name: &str) -> &str {
    let t = name.trim();
    if t.starts_with('(') {
        if let Some(i) = t.find(')') {
            return t.get(i + 1..).unwrap_or(t).trim();
        }
    }
    t
}

/// A quoted sentence as shown: verbatim prose as it is; a table row as its
/// indicator and figures under their headings.
pub fn shown_quote(pack: &Pack, quote: &str, at_line: usize, lang: Lang) -> String {
    if !quote.contains('\t') {
        return quote.to_string();
    }
    let cells: Vec<String> = quote.split('\t').map(tidy).collect();
    let heads = pack
        .source_doc
        .as_ref()
        .and_then(|(_, doc)| header(doc, at_line))
        .unwrap_or_default();
    let Some((name, figures)) = cells.split_first() else {
        return quote.to_string();
    };
    // Cells line up with the headings from the right (the leading group
    // columns are not part of a quoted row).
    let offset = heads.len().saturating_sub(cells.len());
    let parts: Vec<String> = figures
        .iter()
        .enumerate()
        .filter(|(_, v)| !(v.is_empty() || v.chars().all(|c| matches!(c, '-' | '—' | '–'))))
        .map(|(i, v)| match heads.get(offset + 1 + i) {
            Some(h) if !h.is_empty() => msg::report::table_figure(lang, h, v),
            _ => v.clone(),
        })
        .collect();
    msg::report::table_row(
        lang,
        without_number(name),
        &parts.join(lang.list_separator()),
    )
}

/// The group of the table row at line `n` (the plan's category, such as
/// `生态环境`): the first cell of the nearest row above that has one.
pub fn table_group(pack: &Pack, n: usize) -> Option<String> {
    let (_, doc) = pack.source_doc.as_ref()?;
    let lines: Vec<&str> = doc.lines().collect();
    let at = n.checked_sub(1)?;
    for i in (at.saturating_sub(TABLE_SPAN)..=at).rev() {
        let l = lines.get(i)?;
        if is_caption(l) {
            return None;
        }
        let first = l.split('\t').next().unwrap_or("").trim();
        if l.contains('\t') && !first.is_empty() && !first.starts_with('(') {
            return Some(tidy(first));
        }
    }
    None
}

/// The citations of a rule, one line each: the plan's title, the section,
/// and the sentences as shown.
pub fn citation_lines(pack: &Pack, rule: &str, lang: Lang) -> Vec<String> {
    let plan = pack.title.text(lang);
    cite_lines(pack, rule, lang, |section, quotes| {
        msg::report::citation(lang, plan, section, quotes)
    })
}

/// The citations of a rule without the plan's title (a page that names the
/// plan once): the section and the sentences as shown.
pub fn section_lines(pack: &Pack, rule: &str, lang: Lang) -> Vec<String> {
    cite_lines(pack, rule, lang, |section, quotes| {
        msg::report::section_quote(lang, section, quotes)
    })
}

/// Each citation of `rule` as `line(section, its sentences as shown)`.
fn cite_lines(
    pack: &Pack,
    rule: &str,
    lang: Lang,
    line: impl Fn(&str, &str) -> String,
) -> Vec<String> {
    let Some(r) = pack.rule(rule) else {
        return Vec::new();
    };
    r.cites
        .iter()
        .map(|c| {
            let quotes = c
                .quotes
                .iter()
                .map(|(q, l)| shown_quote(pack, q, *l, lang))
                .collect::<Vec<_>>()
                .join(" … ");
            line(&c.section, &quotes)
        })
        .collect()
}

/// The plan's sentence with its line in the repository's copy, for
/// maintainers (`rules explain`), never in what officers read.
pub fn source_line(pack: &Pack, at_line: usize) -> Option<&str> {
    line(pack.source_doc.as_ref().map(|(_, d)| d.as_ref())?, at_line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pack() -> Pack {
        crate::load::embedded().unwrap_or_else(|e| panic!("{:?}", e.errors))
    }

    #[test]
    fn a_table_row_reads_as_its_indicator_and_figures() {
        let pack = pack();
        let rule = pack.rule("county.pm25").expect("rule");
        let (q, l) = rule.cites[0].quotes[0].clone();
        let zh = shown_quote(&pack, &q, l, Lang::Zh);
        assert!(zh.starts_with("PM2.5"), "{zh}");
        assert!(
            zh.contains("2015 年 101") && zh.contains("2020 年 35"),
            "{zh}"
        );
        assert!(
            !zh.contains('\t') && !zh.contains("_{") && !zh.contains("---"),
            "{zh}"
        );
        assert_eq!(table_group(&pack, l).as_deref(), Some("生态环境"));
    }

    #[test]
    fn prose_is_quoted_as_it_is() {
        let pack = pack();
        let lines = citation_lines(&pack, "land.plot-ratio", Lang::Zh);
        assert!(
            lines[0].contains("聊城市国民经济和社会发展第十三个五年规划纲要"),
            "{lines:?}"
        );
        assert!(lines[0].contains("第二十一章"), "{lines:?}");
        assert!(!lines[0].contains(".txt"), "{lines:?}");
    }

    #[test]
    fn cells_read_as_written() {
        assert_eq!(tidy("PM _{2.5}"), "PM2.5");
        assert_eq!(tidy("指 标"), "指标");
        assert_eq!(tidy("年均增长/"), "年均增长");
        assert_eq!(tidy("2015 年"), "2015 年");
        assert_eq!(without_number("(21) PM2.5"), "PM2.5");
    }
}
