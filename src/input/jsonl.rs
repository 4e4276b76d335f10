//! `.jsonl` streams: lines read in chunks, so memory does not grow with a
//! file's length.

use std::io::BufRead;

/// Lines of a `.jsonl` file read and checked together: enough to keep every
/// thread busy, few enough that memory stays flat.
pub const CHUNK_LINES: usize = 4096;

/// The next lines of a `.jsonl` file, numbered from `index`.
pub fn read_chunk(
    reader: &mut impl BufRead,
    index: &mut usize,
) -> std::io::Result<Vec<(usize, String)>> {
    let mut chunk = Vec::with_capacity(CHUNK_LINES);
    while chunk.len() < CHUNK_LINES {
        let mut buf = Vec::with_capacity(1024);
        if reader.read_until(b'\n', &mut buf)? == 0 {
            break;
        }
        chunk.push((*index, decode_line(buf, *index == 0)));
        *index += 1;
    }
    Ok(chunk)
}

/// A line of a `.jsonl` file as text (a UTF-8 BOM on the first line dropped).
pub fn decode_line(mut bytes: Vec<u8>, first: bool) -> String {
    while matches!(bytes.last(), Some(b'\n' | b'\r')) {
        bytes.pop();
    }
    if first && bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}
