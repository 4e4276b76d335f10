//! `.jsonl`: a text cut into its non-blank lines, each a record.

use super::{is_ws, shared_text, Body, Collect, Piece, MAX_RECORD_BYTES};
use std::io::{self, BufRead};

/// Cuts a `.jsonl` text into its non-blank lines.
#[derive(Default)]
pub struct LineSplitter {
    index: usize,
    record: Collect,
}

impl LineSplitter {
    /// The next non-blank line, `None` at the end.
    pub fn next(&mut self, r: &mut impl BufRead) -> io::Result<Option<Piece>> {
        loop {
            self.record.bytes.clear();
            self.record.size = 0;
            self.record.line = self.index;
            self.record.column = 0;
            let mut any = false;
            // The usual line lies whole in the reader's buffer: its text is
            // made from there, in one copy.
            let buf = r.fill_buf()?;
            if let Some(n) = memchr::memchr(b'\n', buf).filter(|&n| n <= MAX_RECORD_BYTES) {
                let line = buf.get(..n).unwrap_or(&[]);
                let line = line.strip_suffix(b"\r").unwrap_or(line);
                let index = self.index;
                self.index += 1;
                let piece = (!line.iter().all(|b| is_ws(*b))).then(|| Piece {
                    index,
                    line: index,
                    column: 0,
                    body: Body::Text(shared_text(line)),
                });
                r.consume(n + 1);
                match piece {
                    Some(p) => return Ok(Some(p)),
                    None => continue,
                }
            }
            loop {
                let buf = r.fill_buf()?;
                if buf.is_empty() {
                    break;
                }
                any = true;
                match memchr::memchr(b'\n', buf) {
                    Some(n) => {
                        self.record.push(buf.get(..n).unwrap_or(&[]));
                        r.consume(n + 1);
                        break;
                    }
                    None => {
                        let n = buf.len();
                        self.record.push(buf);
                        r.consume(n);
                    }
                }
            }
            if !any {
                return Ok(None);
            }
            let index = self.index;
            self.index += 1;
            if self.record.bytes.last() == Some(&b'\r') {
                self.record.bytes.pop();
                self.record.size -= 1;
            }
            if self.record.size <= MAX_RECORD_BYTES as u64
                && self.record.bytes.iter().all(|b| is_ws(*b))
            {
                continue;
            }
            return Ok(Some(self.record.piece(index)));
        }
    }
}
