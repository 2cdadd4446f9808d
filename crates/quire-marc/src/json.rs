//! MARC-in-JSON (the code4lib / Ross Singer format used by pymarc, marc4j,
//! MARC::Record::MiJ).
//!
//! ```json
//! {"leader":"00000nam a2200000 a 4500",
//!  "fields":[{"001":"123"},
//!            {"245":{"ind1":"1","ind2":"0","subfields":[{"a":"Title"}]}}]}
//! ```
//!
//! The reader accepts a JSON array of records, one record per line, or
//! records simply concatenated. It splits the input into top-level objects
//! itself (tracking strings and nesting), so a bad record is reported with
//! its bytes and reading goes on with the next one.

use std::io::{self, BufRead, Write};

use serde_json::Value;

use crate::read::{
    BadRecord, BadRecordKind, ReadRecord, ReadResult, SourcePos, Warning, WarningKind,
};
use crate::record::{Field, Leader, Record, Subfield, Tag};

const MAX_RECORD_BYTES: usize = 16 << 20;

/// Streaming MARC-in-JSON reader; iterate it for one [`ReadResult`] per record.
pub struct MarcJsonReader<R: BufRead> {
    inner: R,
    offset: u64,
    index: usize,
    /// Inside a top-level `[...]`.
    in_array: bool,
    done: bool,
}

enum Scan {
    /// A complete object (or junk) was collected.
    Value(Vec<u8>, u64),
    Junk(Vec<u8>, u64, String),
    Eof,
}

impl<R: BufRead> MarcJsonReader<R> {
    /// Wraps a buffered byte source.
    pub fn new(inner: R) -> Self {
        MarcJsonReader {
            inner,
            offset: 0,
            index: 0,
            in_array: false,
            done: false,
        }
    }

    fn peek(&mut self) -> io::Result<Option<u8>> {
        Ok(self.inner.fill_buf()?.first().copied())
    }

    fn bump(&mut self) {
        self.inner.consume(1);
        self.offset += 1;
    }

    fn scan(&mut self) -> io::Result<Scan> {
        // Skip separators.
        loop {
            match self.peek()? {
                None => return Ok(Scan::Eof),
                Some(b) if b.is_ascii_whitespace() || b == b',' => self.bump(),
                Some(0xEF) if self.offset == 0 => {
                    // UTF-8 BOM
                    self.bump();
                    if self.peek()? == Some(0xBB) {
                        self.bump();
                        if self.peek()? == Some(0xBF) {
                            self.bump();
                        }
                    }
                }
                Some(b'[') if !self.in_array => {
                    self.in_array = true;
                    self.bump();
                }
                Some(b']') if self.in_array => {
                    self.in_array = false;
                    self.bump();
                }
                Some(_) => break,
            }
        }
        let start = self.offset;
        let mut raw = Vec::new();
        if self.peek()? != Some(b'{') {
            // Junk up to the next '{' at line start or anywhere.
            while let Some(b) = self.peek()? {
                if b == b'{' {
                    break;
                }
                raw.push(b);
                self.bump();
            }
            let shown = String::from_utf8_lossy(&raw[..raw.len().min(40)]).into_owned();
            return Ok(Scan::Junk(
                raw,
                start,
                format!("expected a JSON object, found {shown:?}"),
            ));
        }
        let mut depth = 0usize;
        let mut in_str = false;
        let mut esc = false;
        loop {
            let buf = self.inner.fill_buf()?;
            if buf.is_empty() {
                return Ok(Scan::Junk(
                    raw,
                    start,
                    "unexpected end of input inside a JSON object".to_owned(),
                ));
            }
            let mut used = 0;
            let mut complete = false;
            while used < buf.len() {
                if in_str {
                    if esc {
                        esc = false;
                        used += 1;
                        continue;
                    }
                    // Jump to the next quote or backslash.
                    match memchr::memchr2(b'"', b'\\', &buf[used..]) {
                        None => used = buf.len(),
                        Some(p) => {
                            used += p;
                            if buf[used] == b'\\' {
                                esc = true;
                            } else {
                                in_str = false;
                            }
                            used += 1;
                        }
                    }
                    continue;
                }
                let b = buf[used];
                used += 1;
                match b {
                    b'"' => in_str = true,
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            complete = true;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            raw.extend_from_slice(&buf[..used]);
            self.inner.consume(used);
            self.offset += used as u64;
            if complete {
                return Ok(Scan::Value(raw, start));
            }
            if raw.len() > MAX_RECORD_BYTES {
                return Ok(Scan::Junk(
                    raw,
                    start,
                    format!("JSON object larger than {MAX_RECORD_BYTES} bytes"),
                ));
            }
        }
    }
}

impl<R: BufRead> Iterator for MarcJsonReader<R> {
    type Item = ReadResult;

    fn next(&mut self) -> Option<ReadResult> {
        if self.done {
            return None;
        }
        let index = self.index;
        let scanned = match self.scan() {
            Ok(s) => s,
            Err(e) => {
                self.done = true;
                return Some(Err(BadRecord {
                    raw: Vec::new(),
                    position: SourcePos {
                        index,
                        byte_offset: self.offset,
                    },
                    reason: format!("I/O error: {e}"),
                    kind: BadRecordKind::Io,
                }));
            }
        };
        self.index += 1;
        Some(match scanned {
            Scan::Eof => {
                self.done = true;
                return None;
            }
            Scan::Junk(raw, off, reason) => Err(BadRecord {
                raw,
                position: SourcePos {
                    index,
                    byte_offset: off,
                },
                reason,
                kind: BadRecordKind::Malformed,
            }),
            Scan::Value(raw, off) => {
                let position = SourcePos {
                    index,
                    byte_offset: off,
                };
                match parse_record(&raw) {
                    Ok((record, warnings)) => Ok(ReadRecord {
                        record,
                        warnings,
                        position,
                        raw,
                    }),
                    Err(reason) => Err(BadRecord {
                        raw,
                        position,
                        reason,
                        kind: BadRecordKind::Malformed,
                    }),
                }
            }
        })
    }
}

fn one_char(v: Option<&Value>, what: &str, tag: Tag, w: &mut Vec<Warning>) -> char {
    match v.and_then(Value::as_str) {
        Some(s) => {
            let mut it = s.chars();
            match (it.next(), it.next()) {
                (Some(c), None) => c,
                (None, _) => {
                    w.push(
                        Warning::new(
                            WarningKind::Structure,
                            format!("{what} is empty; using blank"),
                        )
                        .tag(tag),
                    );
                    ' '
                }
                (Some(c), Some(_)) => {
                    w.push(
                        Warning::new(
                            WarningKind::Structure,
                            format!("{what} {s:?} longer than one character; using {c:?}"),
                        )
                        .tag(tag),
                    );
                    c
                }
            }
        }
        None => {
            w.push(
                Warning::new(
                    WarningKind::Structure,
                    format!("{what} missing or not a string; using blank"),
                )
                .tag(tag),
            );
            ' '
        }
    }
}

fn tag_of(k: &str, w: &mut Vec<Warning>) -> Tag {
    match Tag::parse(k) {
        Some(t) => t,
        None => {
            let (t, _) = Tag::from_bytes_lossy(k.as_bytes());
            w.push(
                Warning::new(
                    WarningKind::Tag,
                    format!("tag {k:?} is not three ASCII characters; read as {t}"),
                )
                .tag(t),
            );
            t
        }
    }
}

/// Parses one MARC-in-JSON record from its bytes.
pub fn parse_record(raw: &[u8]) -> Result<(Record, Vec<Warning>), String> {
    crate::json_de::parse(raw)
}

/// Converts an already parsed MARC-in-JSON value into a record (same
/// leniency and warnings as [`parse_record`], which skips the `Value`).
pub fn from_value(v: &Value) -> Result<(Record, Vec<Warning>), String> {
    let obj = v
        .as_object()
        .ok_or("a MARC-in-JSON record must be a JSON object")?;
    let mut w = Vec::new();
    let leader = match obj.get("leader").and_then(Value::as_str) {
        Some(s) => {
            let (mut l, fixed) = Leader::from_bytes_lossy(s.as_bytes());
            if s.len() != 24 || !fixed.is_empty() {
                w.push(Warning::new(
                    WarningKind::Leader,
                    format!("leader {s:?} is not 24 ASCII characters; padded/repaired"),
                ));
            }
            l.0[9] = b'a';
            l
        }
        None => {
            w.push(Warning::new(
                WarningKind::Leader,
                "no \"leader\" string; default leader used",
            ));
            Leader::default()
        }
    };
    let fields_v = match obj.get("fields") {
        Some(Value::Array(a)) => a,
        Some(_) => return Err("\"fields\" is not an array".to_owned()),
        None => return Err("no \"fields\" array".to_owned()),
    };
    let mut fields = Vec::with_capacity(fields_v.len());
    for (i, f) in fields_v.iter().enumerate() {
        let Some(fo) = f.as_object() else {
            w.push(Warning::new(
                WarningKind::Structure,
                format!("fields[{i}] is not an object; dropped"),
            ));
            continue;
        };
        if fo.len() != 1 {
            w.push(Warning::new(
                WarningKind::Structure,
                format!(
                    "fields[{i}] has {} keys (expected 1); each key read as a field",
                    fo.len()
                ),
            ));
        }
        for (k, fv) in fo {
            let tag = tag_of(k, &mut w);
            match fv {
                Value::String(s) => fields.push(Field::Control {
                    tag,
                    value: s.clone(),
                }),
                Value::Object(d) => {
                    let ind1 = one_char(d.get("ind1"), "ind1", tag, &mut w);
                    let ind2 = one_char(d.get("ind2"), "ind2", tag, &mut w);
                    let mut subfields = Vec::new();
                    match d.get("subfields") {
                        Some(Value::Array(sa)) => {
                            for s in sa {
                                let Some(so) = s.as_object() else {
                                    w.push(
                                        Warning::new(
                                            WarningKind::Subfield,
                                            "subfield is not an object; dropped",
                                        )
                                        .tag(tag),
                                    );
                                    continue;
                                };
                                for (code, val) in so {
                                    let mut it = code.chars();
                                    let c = match (it.next(), it.next()) {
                                        (Some(c), None) => c,
                                        _ => {
                                            w.push(Warning::new(WarningKind::Subfield, format!("subfield code {code:?} is not one character; using '?'")).tag(tag));
                                            '?'
                                        }
                                    };
                                    let value = match val {
                                        Value::String(s) => s.clone(),
                                        other => {
                                            w.push(Warning::new(WarningKind::Subfield, format!("subfield {c} value is not a string; converted")).tag(tag));
                                            other.to_string()
                                        }
                                    };
                                    subfields.push(Subfield { code: c, value });
                                }
                            }
                        }
                        _ => w.push(
                            Warning::new(
                                WarningKind::Subfield,
                                "data field without a \"subfields\" array",
                            )
                            .tag(tag),
                        ),
                    }
                    fields.push(Field::Data {
                        tag,
                        ind1,
                        ind2,
                        subfields,
                    });
                }
                other => {
                    w.push(Warning::new(WarningKind::Structure, format!("field value {other} is neither a string nor an object; converted to a control field")).tag(tag));
                    fields.push(Field::Control {
                        tag,
                        value: other.to_string(),
                    });
                }
            }
        }
    }
    Ok((Record { leader, fields }, w))
}

fn push_str(out: &mut String, s: &str) {
    out.push_str(&serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_owned()));
}

/// Appends one record as compact MARC-in-JSON (`{"leader":...,"fields":[...]}`).
pub fn write_record_into(out: &mut String, rec: &Record) {
    let mut leader = rec.leader;
    leader.0[9] = b'a';
    out.push_str("{\"leader\":");
    push_str(out, leader.as_str());
    out.push_str(",\"fields\":[");
    for (i, f) in rec.fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('{');
        push_str(out, f.tag().as_str());
        out.push(':');
        match f {
            Field::Control { value, .. } => push_str(out, value),
            Field::Data {
                ind1,
                ind2,
                subfields,
                ..
            } => {
                out.push_str("{\"ind1\":");
                push_str(out, ind1.encode_utf8(&mut [0; 4]));
                out.push_str(",\"ind2\":");
                push_str(out, ind2.encode_utf8(&mut [0; 4]));
                out.push_str(",\"subfields\":[");
                for (j, s) in subfields.iter().enumerate() {
                    if j > 0 {
                        out.push(',');
                    }
                    out.push('{');
                    push_str(out, s.code.encode_utf8(&mut [0; 4]));
                    out.push(':');
                    push_str(out, &s.value);
                    out.push('}');
                }
                out.push_str("]}");
            }
        }
        out.push('}');
    }
    out.push_str("]}");
}

/// One record as a compact MARC-in-JSON string.
pub fn to_string(rec: &Record) -> String {
    let mut s = String::with_capacity(1024);
    write_record_into(&mut s, rec);
    s
}

/// Streaming writer producing a JSON array of records, one per line.
pub struct MarcJsonWriter<W: Write> {
    out: W,
    buf: String,
    count: usize,
}

impl<W: Write> MarcJsonWriter<W> {
    /// Writes the opening `[`.
    pub fn new(mut out: W) -> io::Result<Self> {
        out.write_all(b"[")?;
        Ok(MarcJsonWriter {
            out,
            buf: String::new(),
            count: 0,
        })
    }
    /// Writes one record.
    pub fn write(&mut self, rec: &Record) -> io::Result<()> {
        self.buf.clear();
        if self.count > 0 {
            self.buf.push(',');
        }
        self.buf.push('\n');
        write_record_into(&mut self.buf, rec);
        self.count += 1;
        self.out.write_all(self.buf.as_bytes())
    }
    /// Writes the closing `]`, flushes and returns the sink.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.write_all(b"\n]\n")?;
        self.out.flush()?;
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REC: &str = r#"{"leader":"00000nam a2200000 a 4500","fields":[{"001":"1"},{"245":{"ind1":"1","ind2":"0","subfields":[{"a":"T {x} \"q\" ]"},{"c":"Zoë"}]}}]}"#;

    #[test]
    fn array_lines_and_concatenated() {
        for input in [
            format!("[{REC},\n{REC}]"),
            format!("{REC}\n{REC}\n"),
            format!("{REC}{REC}"),
        ] {
            let got: Vec<_> = MarcJsonReader::new(input.as_bytes()).collect();
            assert_eq!(got.len(), 2, "{input}");
            let r = got[1].as_ref().unwrap();
            assert_eq!(
                r.record.first("245").unwrap().subfield('a'),
                Some("T {x} \"q\" ]")
            );
            assert_eq!(r.position.index, 1);
            assert_eq!(r.raw, REC.as_bytes());
        }
    }

    #[test]
    fn bad_object_then_good() {
        let input = format!("{{\"leader\":1}}\n{REC}");
        let got: Vec<_> = MarcJsonReader::new(input.as_bytes()).collect();
        assert_eq!(got.len(), 2);
        assert!(got[0].as_ref().unwrap_err().reason.contains("fields"));
        assert!(got[1].is_ok());
    }

    #[test]
    fn write_read_back() {
        let (r, w) = parse_record(REC.as_bytes()).unwrap();
        assert!(w.is_empty(), "{w:?}");
        let mut jw = MarcJsonWriter::new(Vec::new()).unwrap();
        jw.write(&r).unwrap();
        jw.write(&r).unwrap();
        let bytes = jw.finish().unwrap();
        let back: Vec<_> = MarcJsonReader::new(&bytes[..])
            .map(|x| x.unwrap().record)
            .collect();
        assert_eq!(back, vec![r.clone(), r]);
        let v: Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(v.as_array().unwrap().len(), 2);
    }

    #[test]
    fn snapshot_single_record() {
        let (r, _) = parse_record(REC.as_bytes()).unwrap();
        insta::assert_snapshot!(to_string(&r), @r#"{"leader":"00000nam a2200000 a 4500","fields":[{"001":"1"},{"245":{"ind1":"1","ind2":"0","subfields":[{"a":"T {x} \"q\" ]"},{"c":"Zoë"}]}}]}"#);
    }

    #[test]
    fn direct_and_value_paths_agree() {
        let odd = r#"{"leader":"short","x":[1,{"a":2}],"fields":[{"001":"1"},7,{"245":{"ind1":"10","subfields":[{"a":"t","b":3},"x",{"cc":"y"}]}},{"500":{"ind1":" ","ind2":" "}},{"650":12},{"AB":"z","CD":"w"}]}"#;
        let direct = parse_record(odd.as_bytes()).unwrap();
        let v: Value = serde_json::from_str(odd).unwrap();
        let via_value = from_value(&v).unwrap();
        assert_eq!(direct.0, via_value.0);
        let mut a: Vec<String> = direct.1.iter().map(ToString::to_string).collect();
        let mut b: Vec<String> = via_value.1.iter().map(ToString::to_string).collect();
        a.sort();
        b.sort();
        assert_eq!(a, b);
        assert!(parse_record(b"[1,2]").is_err());
        assert!(
            parse_record(br#"{"fields":{}}"#)
                .unwrap_err()
                .contains("fields")
        );
        assert!(parse_record(br#"{"leader":"x","fields":[1"#).is_err());
    }

    #[test]
    fn tiny_buffers_give_the_same_records() {
        let input = format!("[{REC},\n{REC}]");
        let expect: Vec<_> = MarcJsonReader::new(input.as_bytes()).collect();
        for cap in [1, 2, 3, 7, 64] {
            let r = std::io::BufReader::with_capacity(cap, input.as_bytes());
            let got: Vec<_> = MarcJsonReader::new(r).collect();
            assert_eq!(got, expect, "capacity {cap}");
        }
    }
}
