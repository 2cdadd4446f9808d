//! MARCXML (LoC MARC21 slim schema) reading and writing.
//!
//! The reader accepts a `<collection>` or bare `<record>`s, with or without
//! a namespace prefix, and MARC records wrapped in OAI-PMH responses
//! (`<record>` elements in another namespace, such as OAI's own, are skipped;
//! un-namespaced `<record>`s without MARC content are skipped silently).

use std::io::{self, BufRead, Read, Write};

use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

use crate::read::{
    BadRecord, BadRecordKind, ReadRecord, ReadResult, SourcePos, Warning, WarningKind,
};
use crate::record::{Field, Leader, Record, Subfield, Tag};

/// The MARCXML namespace.
pub const MARC_NS: &str = "http://www.loc.gov/MARC21/slim";
const MARCXCHANGE_NS: &[u8] = b"info:lc/xmlns/marcxchange-v1";
/// Refuse to buffer a single record larger than this.
const MAX_RECORD_BYTES: usize = 16 << 20;

/// A `BufRead` that records the bytes consumed while `capturing`.
struct Tee<R> {
    inner: R,
    cap: Vec<u8>,
    capturing: bool,
}

impl<R: BufRead> Read for Tee<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if self.capturing {
            self.cap.extend_from_slice(&buf[..n]);
        }
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Tee<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }
    fn consume(&mut self, amt: usize) {
        if self.capturing
            && amt > 0
            && let Ok(b) = self.inner.fill_buf()
        {
            let n = amt.min(b.len());
            self.cap.extend_from_slice(&b[..n]);
        }
        self.inner.consume(amt);
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum In {
    Nothing,
    Leader,
    Control,
    Subfield,
}

struct Builder {
    leader: Option<Leader>,
    fields: Vec<Field>,
    warnings: Vec<Warning>,
    fatal: Option<String>,
    in_elem: In,
    text: String,
    tag: Tag,
    code: char,
    data: Option<(Tag, char, char, Vec<Subfield>)>,
    position: SourcePos,
    marc_ns: bool,
}

/// Streaming MARCXML reader; iterate it for one [`ReadResult`] per record.
pub struct MarcXmlReader<R: BufRead> {
    reader: NsReader<Tee<R>>,
    buf: Vec<u8>,
    cur: Option<Builder>,
    index: usize,
    done: bool,
    last_error_pos: Option<u64>,
}

impl<R: BufRead> MarcXmlReader<R> {
    /// Wraps a buffered byte source (use `BufReader` for files).
    pub fn new(inner: R) -> Self {
        let mut reader = NsReader::from_reader(Tee {
            inner,
            cap: Vec::new(),
            capturing: false,
        });
        let cfg = reader.config_mut();
        cfg.check_end_names = true;
        cfg.expand_empty_elements = false;
        MarcXmlReader {
            reader,
            buf: Vec::with_capacity(1024),
            cur: None,
            index: 0,
            done: false,
            last_error_pos: None,
        }
    }

    fn bad(
        &mut self,
        raw: Vec<u8>,
        position: SourcePos,
        reason: String,
        kind: BadRecordKind,
    ) -> ReadResult {
        Err(BadRecord {
            raw,
            position,
            reason,
            kind,
        })
    }
}

fn attr(e: &BytesStart<'_>, name: &str, b: &mut Builder) -> Option<String> {
    match e.try_get_attribute(name) {
        Ok(Some(a)) => match a.unescape_value() {
            Ok(v) => {
                if let Some(c) = v.chars().find(|&c| is_illegal_xml_char(c)) {
                    b.fatal.get_or_insert_with(|| {
                        format!(
                            "not well-formed XML: illegal character U+{:04X} in attribute {name}",
                            u32::from(c)
                        )
                    });
                }
                Some(v.into_owned())
            }
            Err(err) => {
                b.fatal
                    .get_or_insert_with(|| format!("bad attribute {name}: {err}"));
                None
            }
        },
        Ok(None) => None,
        Err(err) => {
            b.fatal
                .get_or_insert_with(|| format!("bad attributes: {err}"));
            None
        }
    }
}

fn is_illegal_xml_char(c: char) -> bool {
    (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{FFFE}' || c == '\u{FFFF}'
}

fn parse_tag(s: Option<String>, b: &mut Builder) -> Tag {
    let s = s.unwrap_or_default();
    if let Some(t) = Tag::parse(&s) {
        return t;
    }
    if !s.is_empty() && s.len() < 3 && s.bytes().all(|c| c.is_ascii_digit()) {
        let padded = format!("{s:0>3}");
        let t = Tag::parse(&padded).unwrap_or(Tag(*b"???"));
        b.warnings.push(
            Warning::new(
                WarningKind::Tag,
                format!("tag \"{s}\" padded with leading zeros"),
            )
            .tag(t),
        );
        return t;
    }
    let (t, _) = Tag::from_bytes_lossy(s.as_bytes());
    b.warnings.push(
        Warning::new(
            WarningKind::Tag,
            format!("tag {s:?} is not three ASCII characters; read as {t}"),
        )
        .tag(t),
    );
    t
}

fn one_char(s: Option<String>, what: &str, default: char, tag: Tag, b: &mut Builder) -> char {
    let s = s.unwrap_or_default();
    let mut it = s.chars();
    match (it.next(), it.next()) {
        (Some(c), None) => c,
        (None, _) => {
            b.warnings.push(
                Warning::new(
                    WarningKind::Structure,
                    format!("{what} missing or empty; using {default:?}"),
                )
                .tag(tag),
            );
            default
        }
        (Some(c), Some(_)) => {
            b.warnings.push(
                Warning::new(
                    WarningKind::Structure,
                    format!("{what} {s:?} is longer than one character; using {c:?}"),
                )
                .tag(tag),
            );
            c
        }
    }
}

impl Builder {
    fn start(&mut self, local: &[u8], e: &BytesStart<'_>, empty: bool) {
        match local {
            b"leader" => {
                self.in_elem = In::Leader;
                self.text.clear();
                if empty {
                    self.end(b"leader");
                }
            }
            b"controlfield" => {
                let t = attr(e, "tag", self);
                self.tag = parse_tag(t, self);
                self.in_elem = In::Control;
                self.text.clear();
                if empty {
                    self.end(b"controlfield");
                }
            }
            b"datafield" => {
                let t = attr(e, "tag", self);
                let tag = parse_tag(t, self);
                let i1 = attr(e, "ind1", self);
                let i1 = one_char(i1, "ind1", ' ', tag, self);
                let i2 = attr(e, "ind2", self);
                let i2 = one_char(i2, "ind2", ' ', tag, self);
                self.data = Some((tag, i1, i2, Vec::new()));
                if empty {
                    self.end(b"datafield");
                }
            }
            b"subfield" => {
                let tag = self.data.as_ref().map_or(Tag(*b"???"), |d| d.0);
                let c = attr(e, "code", self);
                self.code = one_char(c, "subfield code", '?', tag, self);
                self.in_elem = In::Subfield;
                self.text.clear();
                if empty {
                    self.end(b"subfield");
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, local: &[u8]) {
        match local {
            b"leader" if self.in_elem == In::Leader => {
                let (mut l, fixed) = Leader::from_bytes_lossy(self.text.as_bytes());
                if self.text.len() != 24 || !fixed.is_empty() {
                    self.warnings.push(Warning::new(
                        WarningKind::Leader,
                        format!(
                            "leader {:?} is not 24 ASCII characters; padded/repaired",
                            self.text
                        ),
                    ));
                }
                if l.0[9] != b'a' {
                    self.warnings.push(Warning::new(
                        WarningKind::Encoding,
                        format!(
                            "leader/09 was {:?}; set to 'a' (MARCXML text is Unicode)",
                            char::from(l.0[9])
                        ),
                    ));
                    l.0[9] = b'a';
                }
                self.leader = Some(l);
                self.in_elem = In::Nothing;
            }
            b"controlfield" if self.in_elem == In::Control => {
                self.fields.push(Field::Control {
                    tag: self.tag,
                    value: std::mem::take(&mut self.text),
                });
                self.in_elem = In::Nothing;
            }
            b"subfield" if self.in_elem == In::Subfield => {
                let value = std::mem::take(&mut self.text);
                match self.data.as_mut() {
                    Some(d) => d.3.push(Subfield {
                        code: self.code,
                        value,
                    }),
                    None => self.warnings.push(Warning::new(
                        WarningKind::Structure,
                        format!(
                            "<subfield code={:?}> outside a <datafield> dropped",
                            self.code
                        ),
                    )),
                }
                self.in_elem = In::Nothing;
            }
            b"datafield" => {
                if let Some((tag, ind1, ind2, subfields)) = self.data.take() {
                    if subfields.is_empty() {
                        self.warnings.push(
                            Warning::new(WarningKind::Subfield, "datafield has no subfields")
                                .tag(tag),
                        );
                    }
                    self.fields.push(Field::Data {
                        tag,
                        ind1,
                        ind2,
                        subfields,
                    });
                }
            }
            _ => {}
        }
    }

    fn text(&mut self, s: &str) {
        if self.in_elem != In::Nothing {
            // Fast byte test first: C0 controls, or EF (U+FFFE/U+FFFF lead byte).
            let suspicious = s
                .bytes()
                .any(|b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0xEF);
            if suspicious && let Some(c) = s.chars().find(|&c| is_illegal_xml_char(c)) {
                self.fatal.get_or_insert_with(|| {
                    format!(
                        "not well-formed XML: illegal character U+{:04X} in text",
                        u32::from(c)
                    )
                });
            }
            self.text.push_str(s);
        }
    }

    fn reference(&mut self, r: &BytesRef<'_>) {
        if self.in_elem == In::Nothing {
            return;
        }
        if r.is_char_ref() {
            match r.resolve_char_ref() {
                Ok(Some(c)) => self.text(c.encode_utf8(&mut [0; 4])),
                _ => {
                    let name = String::from_utf8_lossy(r).into_owned();
                    self.fatal
                        .get_or_insert_with(|| format!("invalid character reference &{name};"));
                }
            }
        } else {
            let name = String::from_utf8_lossy(r).into_owned();
            match quick_xml::escape::resolve_predefined_entity(&name) {
                Some(v) => self.text.push_str(v),
                None => {
                    self.warnings.push(Warning::new(
                        WarningKind::Structure,
                        format!("unknown entity &{name}; kept literally"),
                    ));
                    self.text.push('&');
                    self.text.push_str(&name);
                    self.text.push(';');
                }
            }
        }
    }
}

impl<R: BufRead> Iterator for MarcXmlReader<R> {
    type Item = ReadResult;

    fn next(&mut self) -> Option<ReadResult> {
        if self.done {
            return None;
        }
        loop {
            if self.cur.is_none() {
                let tee = self.reader.get_mut();
                tee.cap.clear();
                tee.capturing = true;
            }
            self.buf.clear();
            let ev = self.reader.read_resolved_event_into(&mut self.buf);
            match ev {
                Err(e) => {
                    let pos = self.reader.error_position();
                    let stuck = self.last_error_pos == Some(pos);
                    self.last_error_pos = Some(pos);
                    let reason = format!("XML error at byte {pos}: {e}");
                    let (raw, position) = match self.cur.take() {
                        Some(b) => (std::mem::take(&mut self.reader.get_mut().cap), b.position),
                        None => {
                            let p = SourcePos {
                                index: self.index,
                                byte_offset: pos,
                            };
                            self.index += 1;
                            (std::mem::take(&mut self.reader.get_mut().cap), p)
                        }
                    };
                    if stuck || matches!(e, quick_xml::Error::Io(_)) {
                        self.done = true;
                        let kind = if matches!(e, quick_xml::Error::Io(_)) {
                            BadRecordKind::Io
                        } else {
                            BadRecordKind::Malformed
                        };
                        return Some(self.bad(raw, position, reason, kind));
                    }
                    return Some(self.bad(raw, position, reason, BadRecordKind::Malformed));
                }
                Ok((ns, Event::Start(e))) => {
                    if e.local_name().as_ref() == b"record" {
                        let ns_ok = match ns {
                            ResolveResult::Unbound => Some(false),
                            ResolveResult::Bound(n)
                                if n.as_ref() == MARC_NS.as_bytes()
                                    || n.as_ref() == MARCXCHANGE_NS =>
                            {
                                Some(true)
                            }
                            _ => None,
                        };
                        if let Some(marc_ns) = ns_ok {
                            begin(
                                &mut self.reader,
                                &mut self.cur,
                                self.index,
                                &e,
                                false,
                                marc_ns,
                            );
                        }
                    } else if let Some(b) = self.cur.as_mut() {
                        b.start(e.local_name().as_ref(), &e, false);
                    }
                }
                Ok((ns, Event::Empty(e))) => {
                    if e.local_name().as_ref() == b"record" {
                        let marc_ns = matches!(ns, ResolveResult::Bound(n) if n.as_ref() == MARC_NS.as_bytes() || n.as_ref() == MARCXCHANGE_NS);
                        if marc_ns {
                            begin(&mut self.reader, &mut self.cur, self.index, &e, true, true);
                            if let Some(r) = self.finish() {
                                return Some(r);
                            }
                        }
                    } else if let Some(b) = self.cur.as_mut() {
                        b.start(e.local_name().as_ref(), &e, true);
                    }
                }
                Ok((_, Event::End(e))) => {
                    if e.local_name().as_ref() == b"record" {
                        if self.cur.is_some()
                            && let Some(r) = self.finish()
                        {
                            return Some(r);
                        }
                    } else if let Some(b) = self.cur.as_mut() {
                        b.end(e.local_name().as_ref());
                    }
                }
                Ok((_, Event::Text(t))) => {
                    if let Some(b) = self.cur.as_mut() {
                        match t.decode() {
                            Ok(s) => b.text(&s),
                            Err(_) => {
                                // Not UTF-8 (e.g. a Latin-1 document): keep
                                // what is readable, mark the rest.
                                let lossy = String::from_utf8_lossy(&t).into_owned();
                                b.warnings.push(Warning::new(
                                    WarningKind::Encoding,
                                    "text is not valid UTF-8; invalid bytes replaced with U+FFFD",
                                ));
                                b.text(&lossy);
                            }
                        }
                    }
                }
                Ok((_, Event::CData(t))) => {
                    if let Some(b) = self.cur.as_mut() {
                        match t.decode() {
                            Ok(s) => b.text(&s),
                            Err(_) => {
                                // Not UTF-8 (e.g. a Latin-1 document): keep
                                // what is readable, mark the rest.
                                let lossy = String::from_utf8_lossy(&t).into_owned();
                                b.warnings.push(Warning::new(
                                    WarningKind::Encoding,
                                    "CDATA is not valid UTF-8; invalid bytes replaced with U+FFFD",
                                ));
                                b.text(&lossy);
                            }
                        }
                    }
                }
                Ok((_, Event::GeneralRef(r))) => {
                    if let Some(b) = self.cur.as_mut() {
                        b.reference(&r);
                    }
                }
                Ok((_, Event::Eof)) => {
                    self.done = true;
                    return self.cur.take().map(|b| {
                        let raw = std::mem::take(&mut self.reader.get_mut().cap);
                        Err(BadRecord {
                            raw,
                            position: b.position,
                            reason: "unexpected end of input inside <record>".to_owned(),
                            kind: BadRecordKind::Malformed,
                        })
                    });
                }
                Ok(_) => {}
            }
            if let Some(b) = self.cur.as_ref()
                && self.reader.get_ref().cap.len() > MAX_RECORD_BYTES
            {
                let position = b.position;
                self.cur = None;
                let raw = std::mem::take(&mut self.reader.get_mut().cap);
                return Some(self.bad(
                    raw,
                    position,
                    format!("record larger than {MAX_RECORD_BYTES} bytes"),
                    BadRecordKind::Malformed,
                ));
            }
        }
    }
}

fn begin<R: BufRead>(
    reader: &mut NsReader<Tee<R>>,
    cur: &mut Option<Builder>,
    index: usize,
    e: &BytesStart<'_>,
    empty: bool,
    marc_ns: bool,
) {
    {
        // Restart capture at this element (drops an enclosing OAI <record>).
        let pos = reader.buffer_position();
        let tee = reader.get_mut();
        tee.cap.clear();
        tee.cap.push(b'<');
        tee.cap.extend_from_slice(e);
        tee.cap.extend_from_slice(if empty { b"/>" } else { b">" });
        let start = pos.saturating_sub(tee.cap.len() as u64);
        *cur = Some(Builder {
            leader: None,
            fields: Vec::new(),
            warnings: Vec::new(),
            fatal: None,
            in_elem: In::Nothing,
            text: String::new(),
            tag: Tag(*b"???"),
            code: '?',
            data: None,
            position: SourcePos {
                index,
                byte_offset: start,
            },
            marc_ns,
        });
    }
}

impl<R: BufRead> MarcXmlReader<R> {
    /// Completes the current record; `None` when it was an un-namespaced
    /// `<record>` without any MARC content (e.g. an OAI-PMH Dublin Core record).
    fn finish(&mut self) -> Option<ReadResult> {
        let b = self.cur.take()?;
        let raw = std::mem::take(&mut self.reader.get_mut().cap);
        self.reader.get_mut().capturing = false;
        if b.leader.is_none() && b.fields.is_empty() && b.fatal.is_none() && !b.marc_ns {
            return None;
        }
        self.index += 1;
        let position = b.position;
        if let Some(reason) = b.fatal {
            return Some(Err(BadRecord {
                raw,
                position,
                reason,
                kind: BadRecordKind::Malformed,
            }));
        }
        if b.leader.is_none() && b.fields.is_empty() {
            return Some(Err(BadRecord {
                raw,
                position,
                reason: "empty <record>: no leader and no fields".to_owned(),
                kind: BadRecordKind::Malformed,
            }));
        }
        let mut warnings = b.warnings;
        let leader = b.leader.unwrap_or_else(|| {
            warnings.push(Warning::new(
                WarningKind::Leader,
                "record has no <leader>; default leader used",
            ));
            Leader::default()
        });
        Some(Ok(ReadRecord {
            record: Record {
                leader,
                fields: b.fields,
            },
            warnings,
            position,
            raw,
        }))
    }
}

/// Escapes text for XML content or attribute values. Characters that XML 1.0
/// cannot represent at all (C0 controls other than TAB/LF/CR) become U+FFFD.
pub fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\r' => out.push_str("&#13;"),
            c if is_illegal_xml_char(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
}

/// Appends one `<record>` element (no XML declaration, no namespace
/// declaration unless `with_ns`) to `out`. Leader/09 is written as `a`.
pub fn write_record_into(out: &mut String, rec: &Record, with_ns: bool) {
    out.push_str(if with_ns {
        "<record xmlns=\"http://www.loc.gov/MARC21/slim\">\n"
    } else {
        "<record>\n"
    });
    let mut leader = rec.leader;
    leader.0[9] = b'a';
    out.push_str("  <leader>");
    escape_into(out, leader.as_str());
    out.push_str("</leader>\n");
    for f in &rec.fields {
        match f {
            Field::Control { tag, value } => {
                out.push_str("  <controlfield tag=\"");
                escape_into(out, tag.as_str());
                out.push_str("\">");
                escape_into(out, value);
                out.push_str("</controlfield>\n");
            }
            Field::Data {
                tag,
                ind1,
                ind2,
                subfields,
            } => {
                out.push_str("  <datafield tag=\"");
                escape_into(out, tag.as_str());
                out.push_str("\" ind1=\"");
                escape_into(out, ind1.encode_utf8(&mut [0; 4]));
                out.push_str("\" ind2=\"");
                escape_into(out, ind2.encode_utf8(&mut [0; 4]));
                out.push_str("\">\n");
                for s in subfields {
                    out.push_str("    <subfield code=\"");
                    escape_into(out, s.code.encode_utf8(&mut [0; 4]));
                    out.push_str("\">");
                    escape_into(out, &s.value);
                    out.push_str("</subfield>\n");
                }
                out.push_str("  </datafield>\n");
            }
        }
    }
    out.push_str("</record>\n");
}

/// One record as a standalone MARCXML document (`<record xmlns=...>`).
pub fn to_string(rec: &Record) -> String {
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    write_record_into(&mut s, rec, true);
    s
}

/// Streaming MARCXML writer: `<collection xmlns="http://www.loc.gov/MARC21/slim">`
/// wrapper, one `<record>` per [`write`](Self::write), closed by
/// [`finish`](Self::finish).
pub struct MarcXmlWriter<W: Write> {
    out: W,
    buf: String,
}

impl<W: Write> MarcXmlWriter<W> {
    /// Writes the XML declaration and the opening `<collection>`.
    pub fn new(mut out: W) -> io::Result<Self> {
        out.write_all(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<collection xmlns=\"http://www.loc.gov/MARC21/slim\">\n")?;
        Ok(MarcXmlWriter {
            out,
            buf: String::with_capacity(4096),
        })
    }
    /// Writes one record.
    pub fn write(&mut self, rec: &Record) -> io::Result<()> {
        self.buf.clear();
        write_record_into(&mut self.buf, rec, false);
        self.out.write_all(self.buf.as_bytes())
    }
    /// Closes the collection, flushes and returns the sink.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.write_all(b"</collection>\n")?;
        self.out.flush()?;
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(s: &str) -> Vec<ReadResult> {
        MarcXmlReader::new(s.as_bytes()).collect()
    }

    const ONE: &str = r#"<?xml version="1.0"?>
<marc:collection xmlns:marc="http://www.loc.gov/MARC21/slim">
 <marc:record>
  <marc:leader>00000nam a2200000 a 4500</marc:leader>
  <marc:controlfield tag="001">42</marc:controlfield>
  <marc:datafield tag="245" ind1="1" ind2="0">
   <marc:subfield code="a">Fish &amp; chips &#x00E9;</marc:subfield>
   <marc:subfield code="c"/>
  </marc:datafield>
 </marc:record>
</marc:collection>"#;

    #[test]
    fn prefixed_collection() {
        let got = read(ONE);
        assert_eq!(got.len(), 1);
        let r = got[0].as_ref().unwrap();
        assert_eq!(r.record.control_number(), Some("42"));
        let f = r.record.first("245").unwrap();
        assert_eq!(f.subfield('a'), Some("Fish & chips é"));
        assert_eq!(f.subfield('c'), Some(""));
        assert!(String::from_utf8_lossy(&r.raw).starts_with("<marc:record>"));
        assert!(String::from_utf8_lossy(&r.raw).ends_with("</marc:record>"));
    }

    #[test]
    fn bad_record_in_middle_then_continue() {
        let s = "<collection xmlns=\"http://www.loc.gov/MARC21/slim\"><record><leader>00000nam a2200000 a 4500</leader><controlfield tag=\"001\">1</controlfield></record>\
<record><leader>00000nam a2200000 a 4500</leader><datafield tag=\"245\" ind1=\"0\" ind2=\"0\"><subfield code=\"\u{1f}\">x</subfield></datafield></record>\
<record><leader>00000nam a2200000 a 4500</leader><controlfield tag=\"001\">3</controlfield></record></collection>";
        let got = read(s);
        assert_eq!(got.len(), 3);
        assert!(got[0].is_ok());
        assert!(got[1].as_ref().unwrap_err().reason.contains("U+001F"));
        assert_eq!(got[2].as_ref().unwrap().record.control_number(), Some("3"));
        assert_eq!(got[2].as_ref().unwrap().position.index, 2);
    }

    #[test]
    fn writer_round_trip() {
        let r = read(ONE).remove(0).unwrap().record;
        let mut w = MarcXmlWriter::new(Vec::new()).unwrap();
        w.write(&r).unwrap();
        w.write(&r).unwrap();
        let bytes = w.finish().unwrap();
        let back: Vec<_> = MarcXmlReader::new(&bytes[..])
            .map(|x| x.unwrap().record)
            .collect();
        assert_eq!(back, vec![r.clone(), r]);
    }

    #[test]
    fn snapshot_single_record() {
        let mut r = Record {
            leader: Leader(*b"00000cam a2200000 i 4500"),
            fields: vec![],
        };
        r.fields.push(Field::control(Tag(*b"001"), "42"));
        r.fields.push(Field::data(
            Tag(*b"245"),
            '1',
            '4',
            vec![
                Subfield::new('a', "The <b>old</b> & \"new\" /"),
                Subfield::new('c', "Zoë."),
            ],
        ));
        insta::assert_snapshot!(to_string(&r), @r#"
        <?xml version="1.0" encoding="UTF-8"?>
        <record xmlns="http://www.loc.gov/MARC21/slim">
          <leader>00000cam a2200000 i 4500</leader>
          <controlfield tag="001">42</controlfield>
          <datafield tag="245" ind1="1" ind2="4">
            <subfield code="a">The &lt;b&gt;old&lt;/b&gt; &amp; &quot;new&quot; /</subfield>
            <subfield code="c">Zoë.</subfield>
          </datafield>
        </record>
        "#);
    }

    #[test]
    fn non_utf8_text_is_replaced_not_fatal() {
        let mut input = b"<record><leader>00000nam a2200000 a 4500</leader><datafield tag=\"245\" ind1=\"0\" ind2=\"0\"><subfield code=\"a\">Caf".to_vec();
        input.push(0xE9);
        input.extend_from_slice(b"</subfield></datafield></record>");
        let got: Vec<_> = MarcXmlReader::new(&input[..]).collect();
        let r = got[0].as_ref().unwrap();
        assert_eq!(r.record.first_subfield("245", 'a'), Some("Caf\u{FFFD}"));
        assert!(r.warnings.iter().any(|w| w.kind == WarningKind::Encoding));
    }

    #[test]
    fn tiny_buffers_give_the_same_records() {
        let expect: Vec<_> = MarcXmlReader::new(ONE.as_bytes()).collect();
        for cap in [1, 2, 5, 64] {
            let r = std::io::BufReader::with_capacity(cap, ONE.as_bytes());
            let got: Vec<_> = MarcXmlReader::new(r).collect();
            assert_eq!(got, expect, "capacity {cap}");
        }
    }
}
