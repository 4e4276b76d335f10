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

    /// Gives `row` (under the header in row `header`, `width` columns wide)
    /// the values of the merges over it, and takes the values of the merges
    /// it begins. Only rows that hold something of their own are filled: a
    /// merge running past the table makes no records; a merge that begins
    /// in the header gives nothing.
    pub fn fill(&mut self, header: usize, width: usize, row: &mut SheetRow) {
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
            if first < at || col >= width {
                continue;
            }
            if let Some(value) = row.cells.get(col).filter(|c| !c.is_blank()) {
                self.down.insert(col, (last, value.clone()));
            }
        }
    }
}
