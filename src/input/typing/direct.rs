//! The direct reader: a record's JSON text read in one pass straight into
//! its slots, following the pack's reading plan (the schema tree laid out
//! in declaration order, [`crate::pack::ReadingPlan`]), for the usual
//! record — every member declared, every value of its field's type, no
//! name given twice, no escapes.
//!
//! It decides nothing on its own: the moment a record needs a finding or
//! anything is in doubt (an unknown member, a value typing refuses, an
//! escape, a waiver entry, text that may not be JSON), it gives up and
//! the general path ([`super::type_doc`] over the parsed tree) reads the
//! record from the start and says what is wrong. Booleans, texts and
//! enumeration values are built in their slot exactly as the general
//! path's [`type_value`] builds them, every other value by `type_value`
//! itself, and the record is finished by the general path's own
//! [`finish`], so what the direct reader returns is what the general path
//! would have; the unit tests, a property test and the fuzz targets hold
//! the two to that. It exists for speed: a record read this way is never
//! built into a tree nor walked a second time.

use super::values::type_value;
use super::{finish, Filled, Settings, Typed};
use crate::input::json::{number_end, Doc, Kind, Node, MAX_DEPTH};
use crate::model::Slot;
use crate::pack::{Pack, RecordDef, Shape, Step, Value};
use smol_str::SmolStr;

/// Schema nodes a record kind may have for the direct reader (its set of
/// members seen is a few words on the stack); a larger kind is read by the
/// general path.
const MAX_NODES: usize = 256;

/// Reads `text` as a clean record, or `None`: the general path must read it.
pub(super) fn type_direct(pack: &Pack, text: &str, cx: &Settings<'_>) -> Option<Typed> {
    // Spreadsheet rows carry column names and duplicate columns the general
    // path reports; positions must fit the tree's 32-bit offsets.
    if cx.names.is_some() || !cx.given_twice.is_empty() || text.len() >= u32::MAX as usize - 1 {
        return None;
    }
    let mut scan = Scan {
        text,
        b: text.as_bytes(),
        pos: 0,
    };
    scan.ws();
    let root = scan.pos;
    scan.eat(b'{')?;
    // The kind decides the schema: read it first when it comes first (as
    // records are written); else the file name's hint, and no `kind` later.
    let after_brace = scan.pos;
    scan.ws();
    let mut kind_read = false;
    let mut kind_name = None;
    if scan.peek() == Some(b'"') {
        let (ks, ke) = scan.string()?;
        if text.get(ks..ke) == Some("kind") {
            scan.ws();
            scan.eat(b':')?;
            scan.ws();
            if scan.peek() != Some(b'"') {
                return None;
            }
            let (vs, ve) = scan.string()?;
            kind_name = Some(text.get(vs..ve)?);
            kind_read = true;
        }
    }
    if !kind_read {
        scan.pos = after_brace;
        kind_name = cx.hint;
    }
    let (kind_id, def) = pack.record(kind_name?)?;
    if def.tree.nodes.len() > MAX_NODES {
        return None;
    }
    let mut reader = Direct {
        pack,
        def,
        doc: Doc { text, nodes: &[] },
        scan,
        slots: Slot::absent(def.fields.len()),
        seen: [0; MAX_NODES / 64],
        id: None,
        lang: cx.lang,
    };
    reader.members(0, 1, !kind_read)?;
    reader.scan.ws();
    if reader.scan.pos != text.len() {
        return None;
    }
    let Direct { slots, id, .. } = reader;
    let mut typed = finish(
        def,
        kind_id,
        Filled {
            slots,
            waivers: Vec::new(),
            twice: &[],
        },
        Vec::new(),
        cx,
        (root, root + 1),
    );
    typed.id = id;
    Some(typed)
}

/// Bytes of a record's text, read forward.
struct Scan<'t> {
    text: &'t str,
    b: &'t [u8],
    pos: usize,
}

impl Scan<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.b.get(self.pos) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, c: u8) -> Option<()> {
        (self.peek() == Some(c)).then(|| self.pos += 1)
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        let end = self.pos + word.len();
        (self.b.get(self.pos..end) == Some(word)).then(|| self.pos = end)
    }

    /// A string at its opening quote without escapes or control characters:
    /// its content's bytes. Ends after the closing quote.
    fn string(&mut self) -> Option<(usize, usize)> {
        self.eat(b'"')?;
        let start = self.pos;
        loop {
            match self.peek()? {
                b'"' => break,
                b'\\' | 0..0x20 => return None,
                _ => self.pos += 1,
            }
        }
        let end = self.pos;
        self.pos += 1;
        // The quotes are ASCII: the content is whole characters of the text.
        self.text.get(start..end).map(|_| (start, end))
    }

    /// A number as the general reader takes it ([`number_end`]).
    fn number(&mut self) -> Option<()> {
        self.pos = number_end(self.b, self.pos).ok()?;
        Some(())
    }
}

/// The reader's state over one record.
struct Direct<'a, 't> {
    pack: &'a Pack,
    def: &'a RecordDef,
    /// The text, for typing a value by its node.
    doc: Doc<'t>,
    scan: Scan<'t>,
    slots: Vec<Slot>,
    /// Schema nodes given so far: a second is a name given twice.
    seen: [u64; MAX_NODES / 64],
    /// The record's `id`, when it is a string.
    id: Option<String>,
    lang: crate::i18n::Lang,
}

impl<'a> Direct<'a, '_> {
    /// Marks schema node `n` given; `None` if it was already.
    fn first_time(&mut self, n: usize) -> Option<()> {
        let word = self.seen.get_mut(n / 64)?;
        let bit = 1u64 << (n % 64);
        if *word & bit != 0 {
            return None;
        }
        *word |= bit;
        Some(())
    }

    /// The member declared at position `cursor` of schema node `node`, if
    /// the text at the reader (a member name's opening quote) names it: its
    /// step and name, the reader moved past the closing quote. Records are
    /// mostly written in declaration order, so this is the usual way a name
    /// is read — one comparison in the reading plan, no search.
    fn expected(&mut self, node: usize, cursor: usize) -> Option<(Step, &'a [u8])> {
        if self.scan.peek() != Some(b'"') {
            return None;
        }
        let (step, name) = self.def.plan.step(node, cursor)?;
        // A name holding a quote, a backslash or a control character is
        // written otherwise in JSON: the general comparison reads it.
        if !step.plain {
            return None;
        }
        let start = self.scan.pos + 1;
        let end = start + name.len();
        // Compared in one pass over a short name (no library call).
        let written = self.scan.b.get(start..end)?;
        if !written.iter().zip(name).all(|(w, n)| w == n) || self.scan.b.get(end) != Some(&b'"') {
            return None;
        }
        self.scan.pos = end + 1;
        Some((*step, name))
    }

    /// The members of an object at schema node `node`, `depth` containers
    /// deep, up to and including its `}`; `first`: no member read yet.
    fn members(&mut self, node: usize, depth: usize, mut first: bool) -> Option<()> {
        let tree = &self.def.tree;
        let mut cursor = 0;
        loop {
            self.scan.ws();
            match self.scan.peek()? {
                b'}' => {
                    self.scan.pos += 1;
                    return Some(());
                }
                b',' if !first => {
                    self.scan.pos += 1;
                    self.scan.ws();
                }
                b'"' if first => {}
                _ => return None,
            }
            first = false;
            let (key, child, field, shape) = match self.expected(node, cursor) {
                Some((step, name)) => {
                    cursor += 1;
                    (name, step.child as usize, step.field, step.shape)
                }
                None => {
                    let (ks, ke) = self.scan.string()?;
                    let key = self.scan.text.get(ks..ke)?;
                    let child = tree.member_after(node, key, &mut cursor)?;
                    let field = tree.nodes.get(child)?.field;
                    let shape = Shape::of(field.and_then(|f| self.def.get(f)));
                    (key.as_bytes(), child, field, shape)
                }
            };
            // `kind` after another member, or twice: the general path decides.
            if node == 0 && key == b"kind" {
                return None;
            }
            self.scan.ws();
            self.scan.eat(b':')?;
            self.scan.ws();
            self.first_time(child)?;
            if self.scan.peek()? == b'n' {
                self.scan.literal(b"null")?;
                continue;
            }
            match field {
                Some(fid) => self.field(fid, shape, node == 0 && key == b"id")?,
                None => {
                    // A group: an object, as deep as the general reader allows.
                    if depth + 1 >= MAX_DEPTH {
                        return None;
                    }
                    self.scan.eat(b'{')?;
                    self.members(child, depth + 1, true)?;
                }
            }
        }
    }

    /// The value of field `fid`; `is_id`: the record's `id` member.
    fn field(&mut self, fid: crate::pack::FieldId, shape: Shape, is_id: bool) -> Option<()> {
        let start = self.scan.pos;
        if shape == Shape::Waivers {
            // No waivers is the usual case; entries are the general path's.
            self.scan.eat(b'[')?;
            self.scan.ws();
            return self.scan.eat(b']');
        }
        let kind = match self.scan.peek()? {
            b'"' => {
                self.scan.string()?;
                Kind::String
            }
            b'-' | b'0'..=b'9' => {
                self.scan.number()?;
                Kind::Number
            }
            b't' => {
                self.scan.literal(b"true")?;
                Kind::Bool(true)
            }
            b'f' => {
                self.scan.literal(b"false")?;
                Kind::Bool(false)
            }
            _ => return None,
        };
        let node = Node::scalar(kind, start, self.scan.pos);
        // A string's content: between its quotes, without escapes.
        let content = || self.scan.text.get(start + 1..self.scan.pos - 1);
        if is_id && kind == Kind::String {
            self.id = Some(content()?.to_string());
        }
        let slot = self.slots.get_mut(fid.0)?;
        // The values typing takes as they are are built in their slot, as
        // `type_value` builds them; the rest are typed by it.
        *slot = Slot::Value(match (shape, kind) {
            (Shape::Bool, Kind::Bool(b)) => Value::Bool(b),
            (Shape::Text, Kind::String) => Value::Text(SmolStr::from(content()?)),
            (Shape::Enum(id), Kind::String) => {
                Value::Text(self.pack.enums.get(id.0)?.resolve(content()?)?)
            }
            _ => {
                let field = self.def.get(fid)?;
                type_value(self.pack, field, &self.doc, &node, self.lang, &field.path).ok()?
            }
        });
        Some(())
    }
}
