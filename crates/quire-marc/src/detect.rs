//! Input format detection and the `open_reader` convenience.

use std::io::{self, BufReader, Cursor, Read};

use crate::iso2709::Iso2709Reader;
use crate::json::MarcJsonReader;
use crate::read::{BadRecord, BadRecordKind, ReadResult, SourcePos};
use crate::xml::MarcXmlReader;

/// A MARC serialisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// ISO 2709 binary.
    Iso2709,
    /// MARCXML.
    MarcXml,
    /// MARC-in-JSON.
    MarcJson,
    /// Could not tell (empty input or unrecognisable bytes).
    Unknown,
}

/// Guesses the format from the first bytes of the input (a few hundred are
/// plenty). Skips a UTF-8 BOM and leading whitespace/NUL/^Z; `<` means
/// MARCXML, `{` or `[` MARC-in-JSON, five digits or any MARC delimiter
/// byte (0x1D/0x1E/0x1F) ISO 2709.
pub fn detect(head: &[u8]) -> Format {
    let b = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = b
        .iter()
        .position(|&c| !(c.is_ascii_whitespace() || c == 0 || c == 0x1A))
        .unwrap_or(b.len());
    let b = &b[start..];
    match b.first() {
        None => Format::Unknown,
        Some(b'<') => Format::MarcXml,
        Some(b'{' | b'[') => Format::MarcJson,
        Some(_) if b.len() >= 5 && b[..5].iter().all(u8::is_ascii_digit) => Format::Iso2709,
        Some(_) if b.iter().any(|&c| matches!(c, 0x1D..=0x1F)) => Format::Iso2709,
        Some(_) => Format::Unknown,
    }
}

/// A boxed record iterator, as returned by [`open_reader`].
pub type RecordIter = Box<dyn Iterator<Item = ReadResult> + Send>;

/// A reader for a known format. `Unknown` is read as ISO 2709 (which
/// reports what it cannot parse as [`BadRecord`]s).
pub fn reader_for<R: Read + Send + 'static>(format: Format, input: R) -> RecordIter {
    match format {
        Format::MarcXml => Box::new(MarcXmlReader::new(BufReader::with_capacity(
            64 * 1024,
            input,
        ))),
        Format::MarcJson => Box::new(MarcJsonReader::new(BufReader::with_capacity(
            64 * 1024,
            input,
        ))),
        Format::Iso2709 | Format::Unknown => Box::new(Iso2709Reader::new(input)),
    }
}

/// Peeks at the input, [`detect`]s its format and returns the matching
/// streaming reader. An I/O error while peeking is yielded as a single
/// [`BadRecord`] of kind [`BadRecordKind::Io`].
pub fn open_reader<R: Read + Send + 'static>(input: R) -> RecordIter {
    open_reader_detected(input).1
}

/// Like [`open_reader`], also returning the detected [`Format`] (for logs
/// and import reports). `Format::Unknown` input is read as ISO 2709.
pub fn open_reader_detected<R: Read + Send + 'static>(mut input: R) -> (Format, RecordIter) {
    let mut head = vec![0u8; 1024];
    let mut n = 0;
    while n < head.len() {
        match input.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => {
                let bad = BadRecord {
                    raw: Vec::new(),
                    position: SourcePos::default(),
                    reason: format!("I/O error: {e}"),
                    kind: BadRecordKind::Io,
                };
                return (Format::Unknown, Box::new(std::iter::once(Err(bad))));
            }
        }
    }
    head.truncate(n);
    let format = detect(&head);
    (format, reader_for(format, Cursor::new(head).chain(input)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detection() {
        assert_eq!(detect(b"00127nam  2200037   4500"), Format::Iso2709);
        assert_eq!(detect(b"\xEF\xBB\xBF  <?xml version"), Format::MarcXml);
        assert_eq!(detect(b"\n[{\"leader\""), Format::MarcJson);
        assert_eq!(detect(b"{\"leader\""), Format::MarcJson);
        assert_eq!(detect(b""), Format::Unknown);
        assert_eq!(detect(b"hello"), Format::Unknown);
        assert_eq!(detect(b"\x1a00127"), Format::Iso2709);
    }

    #[test]
    fn open_reader_reports_format_and_io_errors() {
        let (f, it) = open_reader_detected(std::io::Cursor::new(b"[]".to_vec()));
        assert_eq!(f, Format::MarcJson);
        assert_eq!(it.count(), 0);
        struct Broken;
        impl Read for Broken {
            fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
                Err(io::Error::other("gone"))
            }
        }
        let items: Vec<_> = open_reader(Broken).collect();
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].as_ref().unwrap_err().kind, BadRecordKind::Io);
    }
}
