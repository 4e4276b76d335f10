//! Bytes written now and read back once at the end: in memory while small,
//! in an anonymous temporary file beyond [`SPILL_BYTES`]. Outputs whose
//! head depends on their whole body (JUnit's counts, the HTML report's
//! summary) keep their body here, so a run of any size takes constant memory.

use std::io::{self, Write};

/// Bytes kept in memory before they go to a temporary file.
pub const SPILL_BYTES: usize = 4 << 20;

/// Bytes written now and read back once at the end.
#[derive(Default)]
pub struct Spill {
    memory: Vec<u8>,
    pub(super) file: Option<std::fs::File>,
}

impl Spill {
    pub fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        if self.file.is_none() && self.memory.len() + bytes.len() > SPILL_BYTES {
            let mut file = tempfile::tempfile()?;
            file.write_all(&self.memory)?;
            self.memory = Vec::new();
            self.file = Some(file);
        }
        match self.file.as_mut() {
            Some(f) => f.write_all(bytes),
            None => {
                self.memory.extend_from_slice(bytes);
                Ok(())
            }
        }
    }

    pub fn copy_to(&mut self, out: &mut dyn WriteSpill) -> io::Result<()> {
        if let Some(f) = self.file.as_mut() {
            use std::io::Seek;
            f.flush()?;
            f.seek(io::SeekFrom::Start(0))?;
            let mut reader = io::BufReader::new(f);
            let mut buf = vec![0u8; 1 << 16];
            loop {
                let n = io::Read::read(&mut reader, &mut buf)?;
                if n == 0 {
                    break;
                }
                out.put(buf.get(..n).unwrap_or(&[]))?;
            }
        }
        out.put(&self.memory)?;
        self.memory = Vec::new();
        self.file = None;
        Ok(())
    }
}

/// Where spilled bytes are copied: another spill, or the output.
pub trait WriteSpill {
    /// Writes `bytes`.
    fn put(&mut self, bytes: &[u8]) -> io::Result<()>;
}

impl WriteSpill for Spill {
    fn put(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.write(bytes)
    }
}

impl WriteSpill for &mut dyn Write {
    fn put(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.write_all(bytes)
    }
}
