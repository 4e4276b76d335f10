//! Text encodings of submission files, decoded as they stream.
//!
//! Offices save text in UTF-8 (with or without a byte-order mark), in
//! UTF-16 (Excel's "Unicode text", with a mark), or in GB18030 (Excel on
//! Chinese Windows). The encoding is chosen from the first bytes; the rest
//! is decoded block by block, so a file of any size is read in constant
//! memory and every reader downstream sees UTF-8.

use std::io::{self, Read};

/// How much of a file is looked at to choose its encoding.
const SNIFF: usize = 64 * 1024;

/// The encoding a file was found to have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 (a byte-order mark dropped).
    Utf8,
    /// UTF-16 with a byte-order mark.
    Utf16,
    /// UTF-16 without a mark (NUL bytes between ASCII letters).
    Utf16NoMark,
    /// Neither UTF-8 nor UTF-16: GB18030, as Chinese Windows saves it.
    Gb18030,
}

/// A reader giving the UTF-8 text of an encoded byte stream.
pub struct Decoded<R> {
    inner: R,
    encoding: Encoding,
    decoder: Option<encoding_rs::Decoder>,
    /// Raw bytes read but not yet decoded.
    raw: Vec<u8>,
    raw_at: usize,
    /// Decoded bytes not yet handed out.
    out: Vec<u8>,
    out_at: usize,
    eof: bool,
    flushed: bool,
}

impl<R: Read> Decoded<R> {
    /// Opens `inner`, choosing its encoding from its first bytes.
    pub fn new(mut inner: R) -> io::Result<Self> {
        let mut head = Vec::with_capacity(SNIFF);
        (&mut inner).take(SNIFF as u64).read_to_end(&mut head)?;
        let (encoding, decoder, skip) = match encoding_rs::Encoding::for_bom(&head) {
            Some((enc, bom)) if enc == encoding_rs::UTF_8 => (Encoding::Utf8, None, bom),
            Some((enc, bom)) => (
                Encoding::Utf16,
                Some(enc.new_decoder_without_bom_handling()),
                bom,
            ),
            None if looks_utf16(&head) => (Encoding::Utf16NoMark, None, 0),
            None if is_utf8_prefix(&head) => (Encoding::Utf8, None, 0),
            None => (
                Encoding::Gb18030,
                Some(encoding_rs::GB18030.new_decoder_without_bom_handling()),
                0,
            ),
        };
        Ok(Decoded {
            inner,
            encoding,
            decoder,
            raw: head,
            raw_at: skip,
            out: Vec::new(),
            out_at: 0,
            eof: false,
            flushed: false,
        })
    }

    /// The encoding found.
    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// Decodes the next block into `out`; false at the end.
    fn refill(&mut self) -> io::Result<bool> {
        self.out.clear();
        self.out_at = 0;
        if self.raw_at >= self.raw.len() && !self.eof {
            self.raw.clear();
            self.raw_at = 0;
            self.raw.resize(SNIFF, 0);
            let n = self.inner.read(&mut self.raw)?;
            self.raw.truncate(n);
            self.eof = n == 0;
        }
        let src = self.raw.get(self.raw_at..).unwrap_or(&[]);
        if self.flushed {
            return Ok(false);
        }
        let Some(decoder) = self.decoder.as_mut() else {
            // UTF-8 passes through as it is; invalid bytes are replaced where text is made.
            self.out.extend_from_slice(src);
            self.raw_at = self.raw.len();
            return Ok(!self.out.is_empty());
        };
        if src.is_empty() && !self.eof {
            return Ok(true);
        }
        let room = decoder
            .max_utf8_buffer_length(src.len())
            .unwrap_or(src.len() * 3 + 16);
        self.out.resize(room, 0);
        let (_, read, written, _) = decoder.decode_to_utf8(src, &mut self.out, self.eof);
        self.out.truncate(written);
        self.raw_at += read;
        // A decoder told of the end is finished: it is never called again.
        self.flushed = self.eof && self.raw_at >= self.raw.len();
        Ok(!self.out.is_empty() || !self.flushed)
    }
}

impl<R: Read> Read for Decoded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        // UTF-8 needs no decoding: once the head read to choose the
        // encoding is handed out, the file is read straight into the
        // caller's buffer (a copy saved on every byte of a large file).
        if self.decoder.is_none() && self.raw_at >= self.raw.len() && self.out_at >= self.out.len()
        {
            if self.eof {
                return Ok(0);
            }
            let n = self.inner.read(buf)?;
            self.eof = n == 0;
            return Ok(n);
        }
        while self.out_at >= self.out.len() {
            if !self.refill()? {
                return Ok(0);
            }
            if self.out.is_empty() && self.eof && self.raw_at >= self.raw.len() {
                return Ok(0);
            }
        }
        let rest = self.out.get(self.out_at..).unwrap_or(&[]);
        let n = rest.len().min(buf.len());
        if let (Some(dst), Some(src)) = (buf.get_mut(..n), rest.get(..n)) {
            dst.copy_from_slice(src);
        }
        self.out_at += n;
        Ok(n)
    }
}

/// Whether `head` is UTF-8, allowing a character cut at its end.
fn is_utf8_prefix(head: &[u8]) -> bool {
    match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && head.len() - e.valid_up_to() < 4,
    }
}

/// Whether `head` looks like UTF-16 without a mark: ASCII text with a NUL
/// beside every letter.
fn looks_utf16(head: &[u8]) -> bool {
    let sample = head.get(..head.len().min(256)).unwrap_or(&[]);
    if sample.len() < 4 {
        return false;
    }
    let nuls = sample.iter().filter(|&&b| b == 0).count();
    nuls * 3 >= sample.len()
}

/// The whole text of `bytes`, decoded as [`Decoded`] would.
pub fn decode_all(bytes: &[u8]) -> String {
    let mut text = Vec::with_capacity(bytes.len());
    match Decoded::new(bytes).and_then(|mut d| d.read_to_end(&mut text)) {
        Ok(_) => String::from_utf8(text)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
        Err(_) => String::from_utf8_lossy(bytes).into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(s: &str, bom: bool) -> Vec<u8> {
        let mut out = if bom { vec![0xFF, 0xFE] } else { Vec::new() };
        for u in s.encode_utf16() {
            out.extend_from_slice(&u.to_le_bytes());
        }
        out
    }

    #[test]
    fn every_office_encoding_reads_as_the_same_text() {
        let text = "县,年份\n临清市,2018\n".repeat(5000);
        let (gb, _, _) = encoding_rs::GB18030.encode(&text);
        let mut bom8 = vec![0xEF, 0xBB, 0xBF];
        bom8.extend_from_slice(text.as_bytes());
        for bytes in [
            text.as_bytes().to_vec(),
            bom8,
            utf16le(&text, true),
            gb.into_owned(),
        ] {
            assert_eq!(decode_all(&bytes), text);
            // Read in small pieces, across the head read to choose the encoding.
            let mut reader = Decoded::new(bytes.as_slice()).expect("opens");
            let (mut got, mut piece) = (Vec::new(), [0u8; 7]);
            loop {
                let n = reader.read(&mut piece).expect("reads");
                if n == 0 {
                    break;
                }
                got.extend_from_slice(&piece[..n]);
            }
            assert_eq!(String::from_utf8(got).expect("UTF-8"), text);
        }
    }

    #[test]
    fn utf16_without_a_mark_is_recognised() {
        let bare = utf16le("{\"kind\": \"project\"}", false);
        let d = Decoded::new(&bare[..]).expect("read");
        assert_eq!(d.encoding(), Encoding::Utf16NoMark);
        let marked = utf16le("{\"kind\": \"project\"}", true);
        let d = Decoded::new(&marked[..]).expect("read");
        assert_eq!(d.encoding(), Encoding::Utf16);
    }
}
