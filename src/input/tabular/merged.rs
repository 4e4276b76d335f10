//! Cells merged down over several rows of a sheet's data (a county written
//! once for the projects listed under it): the sheet shows the value on
//! every row the merge spans, so every such row is read with it.

use super::sheet::SheetRow;
use super::values::CellValue;
use std::collections::HashMap;

/// A sheet's vertical merges, consumed as its rows pass.
#[derive(Default)]
pub struct MergedDown {
    /// (first row, last row, column), 1-based rows, by first row.
    merges: Vec<(usize, usize, usize)>,
    /// The first of `merges` not yet reached.
    next: usize,
    /// Merges under the header whose first row has passed: column → (last
    /// row, the value its rows share). One per column: at most the header's
    /// width, whatever a file claims.
    down: HashMap<usize, (usize, CellValue)>,
}

impl MergedDown {
    /// The merges among `regions` (first row, first column, last row, last
    /// column; 0-based) that span more than one row; merges within a row
    /// change nothing.
    pub fn new(regions: impl IntoIterator<Item = (u32, u32, u32, u32)>) -> Self {
        let mut merges: Vec<(usize, usize, usize)> = regions
            .into_iter()
            .filter(|(r0, _, r1, _)| r1 > r0)
            .map(|(r0, c0, r1, _)| (r0 as usize + 1, r1 as usize + 1, c0 as usize))
            .collect();
        merges.sort_unstable();
        MergedDown {
            merges,
            ..MergedDown::default()
        }
    }

    /// Forgets the merges begun so far: the header moved down to a row
    /// below them, so they lie above the table's data.
    pub fn forget_begun(&mut self) {
        self.down.clear();
    }

    /// Gives `row` (under the header in row `header`) the values of the
    /// merges over it, and takes the values of the merges it begins, in the
    /// columns `fillable` marks (those naming a field or the kind: a merge
    /// elsewhere is read by no field, and copying it would only multiply
    /// findings). Only rows that hold something of their own are filled: a
    /// merge running past the table makes no records; a merge that begins
    /// in the header gives nothing.
    pub fn fill(&mut self, header: usize, fillable: &[bool], row: &mut SheetRow) {
        if self.merges.is_empty() || row.row <= header {
            return;
        }
        let at = row.row;
        self.down.retain(|_, (last, _)| *last >= at);
        if !row.cells.iter().all(CellValue::is_blank) {
            for (&col, (_, value)) in &self.down {
                if row.cells.get(col).is_none_or(CellValue::is_blank) {
                    if row.cells.len() <= col {
                        row.cells.resize(col + 1, CellValue::Empty);
                    }
                    if let Some(cell) = row.cells.get_mut(col) {
                        *cell = value.clone();
                    }
                }
            }
        }
        while let Some(&(first, last, col)) = self.merges.get(self.next) {
            if first > at {
                break;
            }
            self.next += 1;
            if first < at || !fillable.get(col).copied().unwrap_or(false) {
                continue;
            }
            if let Some(value) = row.cells.get(col).filter(|c| !c.is_blank()) {
                self.down.insert(col, (last, value.clone()));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(row: usize, cells: &[&str]) -> SheetRow {
        SheetRow {
            row,
            index: row - 1,
            cells: cells
                .iter()
                .map(|c| {
                    if c.is_empty() {
                        CellValue::Empty
                    } else {
                        CellValue::Text((*c).to_string())
                    }
                })
                .collect(),
            line: None,
        }
    }

    fn shown(row: &SheetRow) -> Vec<String> {
        row.cells.iter().map(CellValue::shown).collect()
    }

    #[test]
    fn a_merge_fills_the_rows_it_spans_in_the_columns_read() {
        // Header in row 1; A merged over rows 2–4, C (no field) over 2–4,
        // B over rows 1–3 (begins in the header), D within row 2 only.
        let mut merges = MergedDown::new([(1, 0, 3, 0), (1, 2, 3, 2), (0, 1, 2, 1), (1, 3, 1, 4)]);
        let fillable = [true, true, false, true, true];
        let mut rows = [
            row(2, &["临清市", "", "note", "x", "1"]),
            row(3, &["", "", "", "", "2"]),
            row(4, &["", "", "", "", ""]),
            row(5, &["", "", "", "", "3"]),
        ];
        for r in &mut rows {
            merges.fill(1, &fillable, r);
        }
        assert_eq!(shown(&rows[1]), ["临清市", "", "", "", "2"]);
        // A row with nothing of its own stays blank: it makes no record.
        assert!(rows[2].cells.iter().all(CellValue::is_blank));
        // Past the merge's last row, nothing.
        assert_eq!(shown(&rows[3]), ["", "", "", "", "3"]);
        // Merges begun above a header that moved down fill nothing under it.
        let mut merges = MergedDown::new([(1, 0, 3, 0)]);
        let mut first = row(2, &["名称", "x"]);
        merges.fill(1, &fillable, &mut first);
        merges.forget_begun();
        let mut next = row(3, &["", "1"]);
        merges.fill(2, &fillable, &mut next);
        assert_eq!(shown(&next), ["", "1"]);
    }
}
