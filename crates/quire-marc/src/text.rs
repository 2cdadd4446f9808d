//! Human-readable text dump, in the line form yaz-marcdump and pymarc print
//! (this crate's variant, documented here):
//!
//! ```text
//! LDR 01041cam  2200265 a 4500
//! 001 123
//! 245 10 $aTitle :$bsub /$cby.
//! ```
//!
//! * `LDR` then a space and the 24 leader characters;
//! * control fields: tag, space, value;
//! * data fields: tag, space, the two indicators (blank stays a space),
//!   space, then `$` + code + value for each subfield, with nothing between
//!   subfields. A `$` inside a value is written as is (the dump is for
//!   people, not for parsing back);
//! * one blank line after every record.

use std::io::{self, Write};

use crate::record::{Field, Record};

/// Appends the dump of one record (including the trailing blank line).
/// Plain string appends (no formatting machinery): this is the hot loop of
/// `quire marc dump`.
pub fn write_record_into(out: &mut String, rec: &Record) {
    out.push_str("LDR ");
    out.push_str(rec.leader.as_str());
    out.push('\n');
    for f in &rec.fields {
        match f {
            Field::Control { tag, value } => {
                out.push_str(tag.as_str());
                out.push(' ');
                out.push_str(value);
            }
            Field::Data {
                tag,
                ind1,
                ind2,
                subfields,
            } => {
                out.push_str(tag.as_str());
                out.push(' ');
                out.push(*ind1);
                out.push(*ind2);
                out.push(' ');
                for s in subfields {
                    out.push('$');
                    out.push(s.code);
                    out.push_str(&s.value);
                }
            }
        }
        out.push('\n');
    }
    out.push('\n');
}

/// The dump of one record as a string.
pub fn to_string(rec: &Record) -> String {
    let mut s = String::with_capacity(512);
    write_record_into(&mut s, rec);
    s
}

/// Bytes the [`TextWriter`] collects before it writes them to its sink.
const FLUSH_AT: usize = 256 * 1024;

/// Streaming text-dump writer. Collects the text of many records in one
/// reusable buffer and hands it to the sink in large writes, so the sink
/// needs no buffering of its own.
pub struct TextWriter<W: Write> {
    out: W,
    buf: String,
}

impl<W: Write> TextWriter<W> {
    /// Wraps a sink.
    pub fn new(out: W) -> Self {
        TextWriter {
            out,
            buf: String::with_capacity(FLUSH_AT + 64 * 1024),
        }
    }
    /// Writes one record block (to the sink once enough text is collected).
    pub fn write(&mut self, rec: &Record) -> io::Result<()> {
        write_record_into(&mut self.buf, rec);
        if self.buf.len() >= FLUSH_AT {
            self.out.write_all(self.buf.as_bytes())?;
            self.buf.clear();
        }
        Ok(())
    }
    /// Writes what is collected, flushes and returns the sink.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.write_all(self.buf.as_bytes())?;
        self.buf.clear();
        self.out.flush()?;
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{Leader, Subfield, Tag};

    #[test]
    fn dump_shape() {
        let mut r = Record {
            leader: Leader(*b"01041cam  2200265 a 4500"),
            fields: vec![],
        };
        r.push(Field::control(Tag(*b"001"), "123"));
        r.push(Field::data(
            Tag(*b"245"),
            '1',
            '0',
            vec![
                Subfield::new('a', "Title :"),
                Subfield::new('b', "sub /"),
                Subfield::new('c', "by."),
            ],
        ));
        r.push(Field::data(
            Tag(*b"650"),
            ' ',
            '0',
            vec![Subfield::new('a', "Cats.")],
        ));
        insta::assert_snapshot!(to_string(&r), @r"
        LDR 01041cam  2200265 a 4500
        001 123
        245 10 $aTitle :$bsub /$cby.
        650  0 $aCats.
        ");
    }
}
