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

use std::fmt::Write as _;
use std::io::{self, Write};

use crate::record::{Field, Record};

/// Appends the dump of one record (including the trailing blank line).
pub fn write_record_into(out: &mut String, rec: &Record) {
    out.push_str("LDR ");
    out.push_str(rec.leader.as_str());
    out.push('\n');
    for f in &rec.fields {
        match f {
            Field::Control { tag, value } => {
                let _ = writeln!(out, "{tag} {value}");
            }
            Field::Data {
                tag,
                ind1,
                ind2,
                subfields,
            } => {
                let _ = write!(out, "{tag} {ind1}{ind2} ");
                for s in subfields {
                    out.push('$');
                    out.push(s.code);
                    out.push_str(&s.value);
                }
                out.push('\n');
            }
        }
    }
    out.push('\n');
}

/// The dump of one record as a string.
pub fn to_string(rec: &Record) -> String {
    let mut s = String::with_capacity(512);
    write_record_into(&mut s, rec);
    s
}

/// Streaming text-dump writer.
pub struct TextWriter<W: Write> {
    out: W,
    buf: String,
}

impl<W: Write> TextWriter<W> {
    /// Wraps a sink.
    pub fn new(out: W) -> Self {
        TextWriter {
            out,
            buf: String::new(),
        }
    }
    /// Writes one record block.
    pub fn write(&mut self, rec: &Record) -> io::Result<()> {
        self.buf.clear();
        write_record_into(&mut self.buf, rec);
        self.out.write_all(self.buf.as_bytes())
    }
    /// Flushes and returns the sink.
    pub fn finish(mut self) -> io::Result<W> {
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
