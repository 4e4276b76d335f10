//! A look inside an `.xlsx` before it is read: what its parts really
//! decompress to.
//!
//! An `.xlsx` is a zip archive whose headers may lie about sizes. A 1 MB
//! file can hold gigabytes of shared strings (which the reader keeps in
//! memory whole) or a single cell of hundreds of megabytes. Every XML part
//! is decompressed once here, counting its real size and its longest run
//! of text, and the workbook is refused (`input.parse`) when a part is
//! beyond what a real workbook holds. Memory stays constant: nothing is
//! kept.

use std::io::Read;
use std::path::Path;

/// The shared strings, which are held in memory whole.
const MAX_SHARED_STRINGS: u64 = 32 << 20;
/// Any other part but a sheet (styles, workbook, relationships).
const MAX_PART: u64 = 32 << 20;
/// One sheet (a million rows of twenty cells is about 600 MB).
const MAX_SHEET: u64 = 1 << 30;
/// All parts together.
const MAX_TOTAL: u64 = 2 << 30;
/// Text between two tags: a cell holds at most 32,767 characters.
const MAX_TEXT_RUN: u64 = 1 << 20;
/// Parts of an archive.
const MAX_ENTRIES: usize = 10_000;
/// Merged cells of all sheets together (the reader keeps a sheet's list
/// of them whole; a real workbook has some dozens).
pub const MAX_MERGES: u64 = 100_000;
/// The name of a merged cell's element.
const MERGE_CELL: &[u8] = b"mergeCell";

/// What the look inside found.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Inside {
    /// Merged cells in all sheets together.
    pub merges: u64,
}

/// Why a workbook is refused before it is read.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The archive has more parts than a workbook has.
    TooManyParts(usize),
    /// A part decompresses to more than its limit.
    PartTooLarge {
        /// The part's name.
        part: String,
        /// Its limit in bytes.
        max: u64,
    },
    /// All parts together decompress to more than the limit.
    TooLarge(u64),
    /// A run of text longer than any cell.
    CellTooLong {
        /// The part holding it.
        part: String,
    },
    /// More merged cells than [`MAX_MERGES`].
    TooManyMerges(u64),
}

/// Decompresses every XML part of the archive at `path` once, counting.
/// `Err(None)`: the archive itself cannot be read (the reader says why).
pub fn inspect(path: &Path) -> Result<Inside, Option<Refusal>> {
    let file = std::fs::File::open(path).map_err(|_| None)?;
    let mut zip = zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(|_| None)?;
    if zip.len() > MAX_ENTRIES {
        return Err(Some(Refusal::TooManyParts(zip.len())));
    }
    let mut total = 0u64;
    let mut merges = 0u64;
    let mut buf = vec![0u8; 64 * 1024];
    for i in 0..zip.len() {
        let Ok(mut entry) = zip.by_index(i) else {
            // A damaged entry: the reader reports it where it reads it.
            continue;
        };
        let name = entry.name().map(|n| n.to_string()).unwrap_or_default();
        let lower = name.to_ascii_lowercase();
        if !(lower.ends_with(".xml") || lower.ends_with(".rels")) {
            continue;
        }
        let max = if lower.ends_with("sharedstrings.xml") {
            MAX_SHARED_STRINGS
        } else if lower.contains("worksheets/") {
            MAX_SHEET
        } else {
            MAX_PART
        };
        let mut size = 0u64;
        let mut run = 0u64;
        // The merged cells of every part are counted, wherever a part lies
        // and however its element is spelt (`<mergeCell`, `<x:mergeCell`,
        // any space after the name): the reader takes them by name alone.
        // `matched`: how much of the name the last bytes spell (across
        // reads), begun after `<` or `:`; a closing tag after a prefix counts
        // too, which only lowers the bound.
        let mut matched = 0usize;
        let mut after_open = false;
        loop {
            let n = match entry.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            size += n as u64;
            if size > max {
                return Err(Some(Refusal::PartTooLarge { part: name, max }));
            }
            for &b in buf.get(..n).unwrap_or(&[]) {
                if b == b'<' || b == b'>' {
                    run = 0;
                } else {
                    run += 1;
                    if run > MAX_TEXT_RUN {
                        return Err(Some(Refusal::CellTooLong { part: name }));
                    }
                }
                if matched == MERGE_CELL.len() {
                    matched = 0;
                    if b.is_ascii_whitespace() || b == b'/' || b == b'>' {
                        merges += 1;
                        if merges > MAX_MERGES {
                            return Err(Some(Refusal::TooManyMerges(MAX_MERGES)));
                        }
                    }
                }
                // `m` occurs in the name only first: a mismatch restarts.
                matched = match MERGE_CELL.get(matched) {
                    Some(&c) if c == b && (matched > 0 || after_open) => matched + 1,
                    _ => 0,
                };
                after_open = b == b'<' || b == b':';
            }
        }
        total += size;
        if total > MAX_TOTAL {
            return Err(Some(Refusal::TooLarge(MAX_TOTAL)));
        }
    }
    Ok(Inside { merges })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn archive(parts: &[(&str, &[u8])]) -> tempfile::NamedTempFile {
        let file = tempfile::NamedTempFile::new().unwrap_or_else(|e| panic!("{e}"));
        let mut zip = zip::ZipWriter::new(file.reopen().unwrap_or_else(|e| panic!("{e}")));
        for (name, bytes) in parts {
            let opts = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            zip.start_file(*name, opts)
                .unwrap_or_else(|e| panic!("{e}"));
            zip.write_all(bytes).unwrap_or_else(|e| panic!("{e}"));
        }
        zip.finish().unwrap_or_else(|e| panic!("{e}"));
        file
    }

    #[test]
    fn a_shared_strings_bomb_is_refused_by_its_real_size() {
        // Many short strings: a table of millions of entries.
        let bomb = b"<si><t>a</t></si>".repeat((MAX_SHARED_STRINGS / 16 + 1) as usize);
        let f = archive(&[("xl/sharedStrings.xml", &bomb)]);
        let got = inspect(f.path());
        assert!(
            matches!(got, Err(Some(Refusal::PartTooLarge { .. }))),
            "{got:?}"
        );
    }

    #[test]
    fn a_cell_longer_than_any_is_refused() {
        let mut sheet = b"<sheetData><row><c t=\"inlineStr\"><is><t>".to_vec();
        sheet.extend(std::iter::repeat_n(b'x', (MAX_TEXT_RUN + 10) as usize));
        sheet.extend_from_slice(b"</t></is></c></row></sheetData>");
        let f = archive(&[("xl/worksheets/sheet1.xml", &sheet)]);
        assert!(matches!(
            inspect(f.path()),
            Err(Some(Refusal::CellTooLong { .. }))
        ));
    }

    #[test]
    fn ordinary_parts_pass() {
        let f = archive(&[
            ("[Content_Types].xml", b"<Types/>"),
            (
                "xl/worksheets/sheet1.xml",
                b"<sheetData><row r=\"1\"/></sheetData>",
            ),
        ]);
        assert_eq!(inspect(f.path()), Ok(Inside { merges: 0 }));
    }

    #[test]
    fn merged_cells_are_counted_and_bounded() {
        let sheet = b"<sheetData/><mergeCells count=\"2\"><mergeCell ref=\"A2:A4\"/><mergeCell ref=\"B2:B3\"></mergeCell></mergeCells>";
        let f = archive(&[("xl/worksheets/sheet1.xml", sheet)]);
        assert_eq!(inspect(f.path()), Ok(Inside { merges: 2 }));
        // Spelt with a prefix, a tab, or in a part elsewhere: all counted.
        let odd = b"<x:mergeCells><x:mergeCell\tref=\"A2:A4\"/><mergeCell\nref=\"B1:B2\"/></x:mergeCells><c><v>mergeCell</v></c>";
        let f = archive(&[("xl/sheets/odd.xml", odd)]);
        assert_eq!(inspect(f.path()), Ok(Inside { merges: 2 }));
        for spelling in [
            &b"<mergeCell ref=\"A1:A2\"/>"[..],
            b"<y:mergeCell\tref=\"A1:A2\"/>",
        ] {
            let many = spelling.repeat((MAX_MERGES + 1) as usize);
            let f = archive(&[("xl/elsewhere.xml", &many)]);
            assert_eq!(
                inspect(f.path()),
                Err(Some(Refusal::TooManyMerges(MAX_MERGES)))
            );
        }
    }
}
