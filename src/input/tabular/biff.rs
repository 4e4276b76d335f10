//! Legacy `.xls` workbooks (BIFF5/BIFF8 in a compound file): a scan of the
//! records calamine does not expose, before calamine reads the values.
//!
//! The scan finds which numeric cells are formatted as percentages (the XF
//! of each cell, the number format of each XF) and how large each sheet is:
//! calamine allocates a dense range of a sheet's used area when it opens a
//! workbook, so a sheet that claims (or uses) a huge area is refused before
//! it can exhaust memory. The scan never panics on any input.

use super::formats::{builtin_is_percent, is_percent};
use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::Path;

/// The most cells (rows × columns of the used area) a sheet may span: a
/// dense range of them must stay well inside plancheck's memory bound.
pub const MAX_CELLS: u64 = 2_000_000;

/// The most bytes of the workbook stream read.
const MAX_STREAM: u64 = 256 << 20;

/// What the scan found in one sheet.
#[derive(Debug, Default)]
pub struct SheetScan {
    /// The sheet's name.
    pub name: String,
    /// Numeric cells (row, column; 0-based) shown as percentages.
    pub percent: HashSet<(u32, u32)>,
    /// Rows × columns of the area its cells use.
    pub used_cells: u64,
    /// Rows × columns its DIMENSIONS record claims.
    pub claimed_cells: u64,
}

/// What the scan found in a workbook.
#[derive(Debug, Default)]
pub struct BiffScan {
    /// The sheets, in workbook order.
    pub sheets: Vec<SheetScan>,
    /// Dates count from 1904-01-01 (a Mac workbook).
    pub date1904: bool,
}

/// Reads a little-endian `u16` at `at`.
fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes([*b.get(at)?, *b.get(at + 1)?]))
}

/// Reads a little-endian `u32` at `at`.
fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes([
        *b.get(at)?,
        *b.get(at + 1)?,
        *b.get(at + 2)?,
        *b.get(at + 3)?,
    ]))
}

/// The records of a BIFF stream from byte `start`: (type, data).
fn records(stream: &[u8], start: usize) -> impl Iterator<Item = (u16, &[u8])> {
    let mut pos = start;
    std::iter::from_fn(move || {
        let kind = u16_at(stream, pos)?;
        let len = usize::from(u16_at(stream, pos + 2)?);
        let data = stream.get(pos + 4..pos + 4 + len)?;
        pos += 4 + len;
        Some((kind, data))
    })
}

/// A string of `chars` characters at `at`: a flags byte (bit 0: two bytes
/// per character), then the characters (BIFF8).
fn unicode_string(data: &[u8], at: usize, chars: usize) -> Option<String> {
    let flags = *data.get(at)?;
    let body = data.get(at + 1..)?;
    if flags & 1 == 1 {
        let units: Vec<u16> = body
            .chunks_exact(2)
            .take(chars)
            .map(|c| u16::from_le_bytes([c[0], c.get(1).copied().unwrap_or(0)]))
            .collect();
        Some(String::from_utf16_lossy(&units))
    } else {
        // Latin-1, one byte per character.
        Some(body.iter().take(chars).map(|&b| char::from(b)).collect())
    }
}

/// Why a workbook with an opening password cannot be read (its finding
/// then tells how to remove the password rather than to save it again).
pub const PASSWORD_PROTECTED: &str = "the workbook is password protected";

/// Scans the workbook at `path`.
pub fn scan(path: &Path) -> Result<BiffScan, String> {
    let mut file = cfb::open(path).map_err(|e| e.to_string())?;
    let name = if file.is_stream("/Workbook") {
        "/Workbook"
    } else if file.is_stream("/Book") {
        "/Book"
    } else if file.is_stream("/EncryptedPackage") {
        // An `.xlsx` saved with a password is a compound file holding it.
        return Err(PASSWORD_PROTECTED.to_string());
    } else {
        return Err("no Workbook stream".to_string());
    };
    let stream = file.open_stream(name).map_err(|e| e.to_string())?;
    let mut bytes = Vec::new();
    stream
        .take(MAX_STREAM)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    Ok(scan_stream(&bytes))
}

/// The cells the reader will reserve for a DIMENSIONS record, computed as
/// calamine computes it (BIFF8 with 32-bit rows, BIFF5 with 16-bit rows;
/// a first column past 255 or past the last read as 0; rows and columns
/// as `last - first`, wrapping where a crafted record has last < first).
fn claimed_area(data: &[u8]) -> u64 {
    let (rf, rl, cf, cl) = match data.len() {
        10 => (
            u32::from(u16_at(data, 0).unwrap_or(0)),
            u32::from(u16_at(data, 2).unwrap_or(0)),
            u32::from(u16_at(data, 4).unwrap_or(0)),
            u32::from(u16_at(data, 6).unwrap_or(0)),
        ),
        // Some writers add two bytes to the BIFF8 record; the reader takes
        // them (a 16-byte record went unmeasured: found by fuzzing).
        14 | 16 => (
            u32_at(data, 0).unwrap_or(0),
            u32_at(data, 4).unwrap_or(0),
            u32::from(u16_at(data, 8).unwrap_or(0)),
            u32::from(u16_at(data, 10).unwrap_or(0)),
        ),
        _ => return 0,
    };
    let cf = if cf > 0xFF || cl < cf { 0 } else { cf };
    if rl < 1 || cl < 1 {
        return 0;
    }
    let rows = (rl - 1).wrapping_sub(rf).wrapping_add(1);
    let cols = (cl - 1).wrapping_sub(cf).wrapping_add(1);
    u64::from(rows) * u64::from(cols)
}

/// Scans the bytes of a workbook stream.
pub fn scan_stream(stream: &[u8]) -> BiffScan {
    let mut biff8 = true;
    let mut formats: HashMap<u16, String> = HashMap::new();
    let mut xf_formats: Vec<u16> = Vec::new();
    let mut sheets: Vec<(String, usize)> = Vec::new();
    let mut date1904 = false;
    for (kind, data) in records(stream, 0) {
        match kind {
            // BOF of the globals: the BIFF version.
            0x0809 => biff8 = u16_at(data, 0).is_some_and(|v| v >= 0x0600),
            // FORMAT: a number format code and its index.
            0x041E => {
                let Some(ifmt) = u16_at(data, 0) else {
                    continue;
                };
                let code = if biff8 {
                    u16_at(data, 2).and_then(|n| unicode_string(data, 4, usize::from(n)))
                } else {
                    data.get(2).and_then(|&n| {
                        data.get(3..3 + usize::from(n))
                            .map(|b| b.iter().map(|&c| char::from(c)).collect())
                    })
                };
                if let Some(code) = code {
                    formats.insert(ifmt, code);
                }
            }
            // XF: the format index of every cell format, in order.
            0x00E0 => xf_formats.push(u16_at(data, 2).unwrap_or(0)),
            // BOUNDSHEET: a sheet's name and where its records start.
            0x0085 => {
                let Some(offset) = u32_at(data, 0) else {
                    continue;
                };
                let n = usize::from(*data.get(6).unwrap_or(&0));
                let name = if biff8 {
                    unicode_string(data, 7, n)
                } else {
                    data.get(7..7 + n)
                        .map(|b| b.iter().map(|&c| char::from(c)).collect())
                };
                sheets.push((name.unwrap_or_default(), offset as usize));
            }
            // DATEMODE: dates from 1904.
            0x0022 => date1904 = u16_at(data, 0) == Some(1),
            // EOF of the globals.
            0x000A => break,
            _ => {}
        }
    }
    let percent_xf: HashSet<u16> = xf_formats
        .iter()
        .enumerate()
        .filter(|(_, ifmt)| match formats.get(ifmt) {
            Some(code) => is_percent(code),
            None => builtin_is_percent(u32::from(**ifmt)),
        })
        .filter_map(|(i, _)| u16::try_from(i).ok())
        .collect();
    let sheets = sheets
        .into_iter()
        .map(|(name, offset)| scan_sheet(stream, offset, name, &percent_xf))
        .collect();
    BiffScan { sheets, date1904 }
}

/// Scans one sheet's records from its BOF at `offset`.
fn scan_sheet(stream: &[u8], offset: usize, name: String, percent_xf: &HashSet<u16>) -> SheetScan {
    let mut out = SheetScan {
        name,
        ..SheetScan::default()
    };
    let mut used: Option<(u32, u32, u32, u32)> = None;
    let mut touch = |row: u32, col: u32| {
        used = Some(match used {
            None => (row, row, col, col),
            Some((r0, r1, c0, c1)) => (r0.min(row), r1.max(row), c0.min(col), c1.max(col)),
        });
    };
    for (kind, data) in records(stream, offset).skip(1) {
        let row = u32::from(u16_at(data, 0).unwrap_or(0));
        let col = u32::from(u16_at(data, 2).unwrap_or(0));
        match kind {
            0x000A => break,
            // DIMENSIONS: the area the sheet claims.
            0x0200 => out.claimed_cells = out.claimed_cells.max(claimed_area(data)),
            // NUMBER, RK, FORMULA: one numeric cell with its XF.
            0x0203 | 0x027E | 0x0006 => {
                touch(row, col);
                if u16_at(data, 4).is_some_and(|xf| percent_xf.contains(&xf)) {
                    out.percent.insert((row, col));
                }
            }
            // MULRK: numeric cells from `col` on, each an XF and an RK value.
            0x00BD => {
                let count = data.len().saturating_sub(6) / 6;
                for k in 0..count {
                    let c = col + k as u32;
                    touch(row, c);
                    if u16_at(data, 4 + 6 * k).is_some_and(|xf| percent_xf.contains(&xf)) {
                        out.percent.insert((row, c));
                    }
                }
            }
            // Text, boolean and blank cells count towards the area.
            0x00FD | 0x0204 | 0x0205 | 0x0201 | 0x00D6 => touch(row, col),
            0x00BE => {
                let count = data.len().saturating_sub(6) / 2;
                for k in 0..count {
                    touch(row, col + k as u32);
                }
            }
            _ => {}
        }
    }
    if let Some((r0, r1, c0, c1)) = used {
        out.used_cells = u64::from(r1 - r0 + 1) * u64::from(c1 - c0 + 1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(kind: u16, data: &[u8]) -> Vec<u8> {
        let mut r = kind.to_le_bytes().to_vec();
        r.extend((data.len() as u16).to_le_bytes());
        r.extend(data);
        r
    }

    #[test]
    fn finds_percent_cells_and_areas() {
        let mut globals = record(0x0809, &[0x00, 0x06, 0x05, 0x00]);
        let mut fmt = vec![164u8, 0];
        fmt.extend(4u16.to_le_bytes());
        fmt.push(0);
        fmt.extend(b"0.0%");
        globals.extend(record(0x041E, &fmt));
        globals.extend(record(0x00E0, &[0, 0, 0, 0])); // xf 0: General
        globals.extend(record(0x00E0, &[0, 0, 164, 0])); // xf 1: 0.0%
        globals.extend(record(0x00E0, &[0, 0, 10, 0])); // xf 2: built-in 0.00%
        let sheet_at = globals.len() + 4 + 9 + 4; // after BOUNDSHEET and EOF
        let mut bound = (sheet_at as u32).to_le_bytes().to_vec();
        bound.extend([0, 0, 1, 0, b'S']);
        globals.extend(record(0x0085, &bound));
        globals.extend(record(0x000A, &[]));
        let mut sheet = record(0x0809, &[0x00, 0x06, 0x10, 0x00]);
        sheet.extend(record(
            0x0200,
            &[0, 0, 0, 0, 200, 0, 0, 0, 0, 0, 4, 0, 0, 0],
        ));
        // NUMBER at (1, 2) with xf 1; MULRK at row 2 from column 0: xf 0, xf 2.
        sheet.extend(record(0x0203, &[1, 0, 2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
        sheet.extend(record(
            0x00BD,
            &[2, 0, 0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 1, 0, 0, 0, 1, 0],
        ));
        sheet.extend(record(0x000A, &[]));
        let mut stream = globals;
        stream.extend(sheet);
        let scan = scan_stream(&stream);
        assert_eq!(scan.sheets.len(), 1);
        let s = &scan.sheets[0];
        assert_eq!(s.name, "S");
        assert!(s.percent.contains(&(1, 2)));
        assert!(s.percent.contains(&(2, 1)));
        assert!(!s.percent.contains(&(2, 0)));
        assert_eq!(s.claimed_cells, 800);
        assert_eq!(s.used_cells, 2 * 3);
    }

    #[test]
    fn a_dimensions_record_is_sized_as_the_reader_sizes_it() {
        let biff5 = |r0: u16, r1: u16, c0: u16, c1: u16| {
            [r0, r1, c0, c1, 0]
                .iter()
                .flat_map(|v| v.to_le_bytes())
                .collect::<Vec<u8>>()
        };
        assert_eq!(claimed_area(&biff5(0, 10, 0, 4)), 40);
        // Last row before the first: the reader's subtraction wraps.
        assert!(claimed_area(&biff5(3, 2, 22, 8074)) > 1 << 40);
        // A first column past 255 counts from 0.
        assert_eq!(claimed_area(&biff5(0, 2, 300, 400)), 800);
        let mut biff8 = Vec::new();
        biff8.extend_from_slice(&0u32.to_le_bytes());
        biff8.extend_from_slice(&100_000u32.to_le_bytes());
        biff8.extend_from_slice(&[0, 0, 200, 0, 0, 0]);
        assert_eq!(claimed_area(&biff8), 20_000_000);
        biff8.extend_from_slice(&[0, 0]);
        assert_eq!(
            claimed_area(&biff8),
            20_000_000,
            "16 bytes, as some writers make it"
        );
        assert_eq!(claimed_area(&[1, 2, 3]), 0);
    }

    #[test]
    fn never_panics_on_garbage() {
        let mut x: u64 = 7;
        for len in 0..200 {
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    x as u8
                })
                .collect();
            let _ = scan_stream(&bytes);
        }
    }
}
