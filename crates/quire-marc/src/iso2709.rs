//! ISO 2709 (binary MARC 21) reading and writing.
//!
//! The reader streams over any [`Read`] with a bounded buffer, repairs what
//! it can (see [`parse_record`]) and yields [`BadRecord`] only when nothing
//! sensible remains.

use std::borrow::Cow;
use std::io::{self, Read, Write};

use crate::decode::{Encoding, choose_encoding, decode_value};
use crate::read::{
    BadRecord, BadRecordKind, ReadRecord, ReadResult, SourcePos, Warning, WarningKind,
};
use crate::record::{Field, Leader, Record, Subfield, Tag, parse_decimal};

/// Record terminator.
pub const RT: u8 = 0x1D;
/// Field terminator.
pub const FT: u8 = 0x1E;
/// Subfield delimiter.
pub const SD: u8 = 0x1F;

const CHUNK: usize = 64 * 1024;
/// Longest stretch scanned for a record terminator before giving up
/// (ISO 2709 records are at most 99,999 bytes).
const MAX_SCAN: usize = 1 << 20;

fn is_filler(b: u8) -> bool {
    matches!(b, b'\r' | b'\n' | b' ' | b'\t' | 0x00 | 0x1A | RT)
}

/// Streaming ISO 2709 reader. Iterate it to get one [`ReadResult`] per record.
pub struct Iso2709Reader<R> {
    inner: R,
    buf: Vec<u8>,
    start: usize,
    eof: bool,
    /// Absolute offset of `buf[start]`.
    offset: u64,
    index: usize,
    failed: bool,
}

impl<R: Read> Iso2709Reader<R> {
    /// Wraps a byte source. No buffering is needed on `inner`.
    pub fn new(inner: R) -> Self {
        Self::with_prefix(inner, Vec::new())
    }

    /// Like [`new`](Self::new) but with bytes already read from `inner`
    /// (used by format detection).
    pub(crate) fn with_prefix(inner: R, prefix: Vec<u8>) -> Self {
        Iso2709Reader {
            inner,
            buf: prefix,
            start: 0,
            eof: false,
            offset: 0,
            index: 0,
            failed: false,
        }
    }

    fn avail(&self) -> usize {
        self.buf.len() - self.start
    }

    /// Reads until at least `n` bytes are available or EOF.
    fn ensure(&mut self, n: usize) -> io::Result<()> {
        while self.avail() < n && !self.eof {
            if self.start > 0 && (self.start >= CHUNK || self.start * 2 > self.buf.len()) {
                self.buf.drain(..self.start);
                self.start = 0;
            }
            let len = self.buf.len();
            self.buf.resize(len + CHUNK, 0);
            let got = loop {
                match self.inner.read(&mut self.buf[len..]) {
                    Ok(k) => break Ok(k),
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => break Err(e),
                }
            };
            match got {
                Ok(k) => {
                    self.buf.truncate(len + k);
                    if k == 0 {
                        self.eof = true;
                    }
                }
                Err(e) => {
                    self.buf.truncate(len);
                    return Err(e);
                }
            }
        }
        Ok(())
    }

    fn consume(&mut self, n: usize) -> Vec<u8> {
        let v = self.buf[self.start..self.start + n].to_vec();
        self.start += n;
        self.offset += n as u64;
        v
    }

    /// Position of the first RT at or after `from` (relative to start).
    fn find_rt(&mut self, from: usize) -> io::Result<Option<usize>> {
        let mut searched = from;
        loop {
            let hay = &self.buf[self.start + searched.min(self.avail())..];
            if let Some(p) = memchr::memchr(RT, hay) {
                return Ok(Some(searched.min(self.avail()) + p));
            }
            searched = self.avail();
            if self.eof || searched >= MAX_SCAN {
                return Ok(None);
            }
            self.ensure(searched + CHUNK)?;
        }
    }

    fn io_error(&mut self, e: io::Error) -> BadRecord {
        self.failed = true;
        BadRecord {
            raw: Vec::new(),
            position: SourcePos {
                index: self.index,
                byte_offset: self.offset,
            },
            reason: format!("I/O error: {e}"),
            kind: BadRecordKind::Io,
        }
    }

    /// Reads the next record into `rec`, reusing its buffers (raw bytes,
    /// warnings, fields, subfield strings): the allocation-free fast path
    /// for bulk loading. Returns `None` at the end of input. On a bad
    /// record `rec` is left in an unspecified (but valid) state.
    pub fn read_into(&mut self, rec: &mut ReadRecord) -> Option<Result<(), BadRecord>> {
        if self.failed {
            return None;
        }
        match self.next_inner(rec) {
            Ok(r) => r,
            Err(e) => Some(Err(self.io_error(e))),
        }
    }

    fn next_inner(&mut self, rec: &mut ReadRecord) -> io::Result<Option<Result<(), BadRecord>>> {
        // 1. Skip filler between records.
        let mut skipped = 0usize;
        loop {
            self.ensure(1)?;
            if self.avail() == 0 {
                return Ok(None);
            }
            let s = &self.buf[self.start..];
            let mut n = s.iter().take_while(|&&b| is_filler(b)).count();
            // Blanks directly before something that is not a digit belong to
            // the record (a leader whose length field is blank).
            if n < s.len() && !s[n].is_ascii_digit() {
                n -= s[..n].iter().rev().take_while(|&&b| b == b' ').count();
            }
            if n == 0 {
                break;
            }
            // Only count as filler what is not just a doubled RT/newline.
            skipped += n;
            self.start += n;
            self.offset += n as u64;
        }
        let position = SourcePos {
            index: self.index,
            byte_offset: self.offset,
        };
        self.index += 1;
        let mut warnings = std::mem::take(&mut rec.warnings);
        warnings.clear();
        if skipped > 0 {
            warnings.push(Warning::new(
                WarningKind::Filler,
                format!("skipped {skipped} filler byte(s) (CR/LF, NUL, ^Z, blanks or empty records) before this record"),
            ));
        }

        // 2. Find the end of the record.
        self.ensure(5)?;
        let leader_len = if self.avail() >= 5 {
            parse_decimal(&self.buf[self.start..self.start + 5])
        } else {
            None
        };
        let mut take = None;
        if let Some(l) = leader_len.filter(|&l| l >= 25) {
            self.ensure(l)?;
            if self.avail() >= l && self.buf[self.start + l - 1] == RT {
                take = Some(l);
            }
        }
        let take = match take {
            Some(l) => l,
            None => {
                match self.find_rt(0)? {
                    Some(p) => {
                        let found = p + 1;
                        let s = &self.buf[self.start..self.start + found];
                        // Missing RT: the field terminator is followed directly by
                        // the next leader, at leader length - 1 (RT dropped) or at
                        // the leader length (RT overwritten).
                        let split = leader_len
                            .filter(|&l| l >= 26 && l < found)
                            .and_then(|l| {
                                [l - 1, l]
                                    .into_iter()
                                    .find(|&k| s[k - 1] == FT && looks_like_leader(&s[k..]))
                            })
                            .or_else(|| {
                                // Resynchronise: a complete record (a leader whose
                                // length ends exactly at this RT) hidden in the
                                // chunk behind a damaged terminator.
                                if leader_len == Some(found) {
                                    return None;
                                }
                                (1..found.saturating_sub(24)).find(|&k| {
                                    looks_like_leader(&s[k..])
                                        && parse_decimal(&s[k..k + 5]) == Some(found - k)
                                })
                            });
                        match (split, leader_len) {
                            (Some(k), _) => {
                                warnings.push(
                                    Warning::new(
                                        WarningKind::RecordTerminator,
                                        format!("record terminator missing or damaged: leader/00-04 says {leader_len:?} bytes, the next record starts at byte {k}"),
                                    )
                                    .at(k - 1),
                                );
                                k
                            }
                            (None, Some(l)) if l != found => {
                                warnings.push(Warning::new(
                                    WarningKind::RecordLength,
                                    format!("leader/00-04 says {l} bytes but the record terminator is at byte {p} ({found} bytes); using the terminator"),
                                ));
                                found
                            }
                            _ => found,
                        }
                    }
                    None => {
                        let rest = self.avail();
                        match leader_len {
                            Some(l) if l >= 25 && (l == rest || l == rest + 1) => {
                                warnings.push(Warning::new(
                                    WarningKind::RecordTerminator,
                                    "record terminator (0x1D) missing at end of input",
                                ));
                                rest
                            }
                            Some(l) if l >= 25 && l < rest => {
                                warnings.push(Warning::new(
                                WarningKind::RecordTerminator,
                                format!("no record terminator found; took {l} bytes as the leader says"),
                            ));
                                l
                            }
                            _ => {
                                let n = rest.min(MAX_SCAN);
                                let raw = self.consume(n);
                                let reason = if self.eof && n == rest {
                                    match leader_len {
                                        Some(l) => format!(
                                            "truncated record at end of input: leader says {l} bytes, only {n} present, no record terminator"
                                        ),
                                        None => format!(
                                            "{n} trailing byte(s) at end of input that do not form a record (no numeric leader, no record terminator)"
                                        ),
                                    }
                                } else {
                                    format!("no record terminator within {n} bytes; skipped them")
                                };
                                return Ok(Some(Err(BadRecord {
                                    raw,
                                    position,
                                    reason,
                                    kind: BadRecordKind::Malformed,
                                })));
                            }
                        }
                    }
                }
            }
        };
        rec.raw.clear();
        rec.raw
            .extend_from_slice(&self.buf[self.start..self.start + take]);
        self.start += take;
        self.offset += take as u64;
        let parsed = parse_record_into(&rec.raw, &mut warnings, &mut rec.record);
        rec.warnings = warnings;
        rec.position = position;
        Ok(Some(match parsed {
            Ok(()) => Ok(()),
            Err(reason) => Err(BadRecord {
                raw: std::mem::take(&mut rec.raw),
                position,
                reason,
                kind: BadRecordKind::Malformed,
            }),
        }))
    }
}

fn looks_like_leader(s: &[u8]) -> bool {
    s.len() >= 24 && s[..5].iter().all(u8::is_ascii_digit) && &s[20..22] == b"45"
}

impl<R: Read> Iterator for Iso2709Reader<R> {
    type Item = ReadResult;

    fn next(&mut self) -> Option<ReadResult> {
        let mut rec = ReadRecord::default();
        match self.read_into(&mut rec)? {
            Ok(()) => Some(Ok(rec)),
            Err(bad) => Some(Err(bad)),
        }
    }
}

/// Parses one complete ISO 2709 record (with or without its final 0x1D),
/// returning the record and its warnings, or the reason nothing usable
/// could be recovered.
pub fn parse_record(raw: &[u8]) -> Result<(Record, Vec<Warning>), String> {
    let mut w = Vec::new();
    let mut r = Record::default();
    parse_record_into(raw, &mut w, &mut r).map(|()| (r, w))
}

struct DirEntry {
    tag: Tag,
    len: Option<usize>,
    off: Option<usize>,
    at: usize,
}

fn preview(b: &[u8]) -> String {
    // Shown with `{:?}` by the callers, which escapes it once.
    String::from_utf8_lossy(&b[..b.len().min(30)]).into_owned()
}

fn parse_record_into(
    raw: &[u8],
    warnings: &mut Vec<Warning>,
    out: &mut Record,
) -> Result<(), String> {
    let body = match raw.last() {
        Some(&RT) => &raw[..raw.len() - 1],
        _ => raw,
    };
    if body.len() < 24 {
        return Err(format!(
            "only {} byte(s): too short for a 24-byte leader",
            body.len()
        ));
    }
    let (mut leader, fixed) = Leader::from_bytes_lossy(&body[..24]);
    if !fixed.is_empty() {
        warnings.push(
            Warning::new(
                WarningKind::Leader,
                format!("leader position(s) {fixed:?} held non-ASCII or control bytes; replaced by blanks"),
            )
            .at(fixed[0]),
        );
    }
    if leader.number_at(0, 5).is_none() {
        warnings.push(
            Warning::new(
                WarningKind::Leader,
                format!(
                    "leader/00-04 record length {:?} is not numeric",
                    &leader.as_str()[0..5]
                ),
            )
            .at(0),
        );
    }
    let leader_base = leader.number_at(12, 5);
    if leader_base.is_none() {
        warnings.push(
            Warning::new(
                WarningKind::Leader,
                format!(
                    "leader/12-16 base address {:?} is not numeric",
                    &leader.as_str()[12..17]
                ),
            )
            .at(12),
        );
    }

    // Directory entry layout from leader/20-22 (MARC 21: 4, 5, 0).
    let digit = |i: usize| char::from(leader.0[i]).to_digit(10).map(|d| d as usize);
    let (len_len, start_len) = match (digit(20), digit(21)) {
        (Some(l @ 1..=9), Some(s @ 1..=9)) => (l, s),
        _ => {
            warnings.push(
                Warning::new(
                    WarningKind::Leader,
                    format!(
                        "leader/20-21 {:?} do not give the directory layout; assuming 4 and 5",
                        &leader.as_str()[20..22]
                    ),
                )
                .at(20),
            );
            (4, 5)
        }
    };
    let impl_len = digit(22).unwrap_or_else(|| {
        warnings
            .push(Warning::new(WarningKind::Leader, "leader/22 is not a digit; assuming 0").at(22));
        0
    });
    let entry_len = 3 + len_len + start_len + impl_len;
    // Indicator count (leader/10, MARC 21: 2).
    let ind_count = match digit(10) {
        Some(n) => {
            if n != 2 {
                warnings.push(
                    Warning::new(WarningKind::Leader, format!("leader/10 indicator count is {n}, not 2; extra indicators are dropped, missing ones read as blank"))
                        .at(10),
                );
            }
            n
        }
        None => {
            warnings.push(
                Warning::new(
                    WarningKind::Leader,
                    "leader/10 indicator count is not a digit; assuming 2",
                )
                .at(10),
            );
            2
        }
    };

    // Directory.
    let mut entries: Vec<DirEntry> = Vec::new();
    let mut pos = 24;
    let data_start;
    loop {
        if pos >= body.len() {
            warnings.push(
                Warning::new(
                    WarningKind::Directory,
                    "directory runs to the end of the record (no field terminator)",
                )
                .at(pos),
            );
            data_start = body.len();
            break;
        }
        if body[pos] == FT {
            data_start = pos + 1;
            break;
        }
        let end = (pos + entry_len).min(body.len());
        let e = &body[pos..end];
        // Fast path: a well-formed entry (numeric tag, all-digit length/start).
        if e.len() == entry_len
            && e[..3].iter().all(u8::is_ascii_digit)
            && e[3..3 + len_len + start_len].iter().all(u8::is_ascii_digit)
        {
            entries.push(DirEntry {
                tag: Tag([e[0], e[1], e[2]]),
                len: parse_decimal(&e[3..3 + len_len]),
                off: parse_decimal(&e[3 + len_len..3 + len_len + start_len]),
                at: pos,
            });
            pos += entry_len;
            continue;
        }
        if let Some(ft) = e.iter().position(|&b| b == FT) {
            // Stray bytes before the terminator.
            warnings.push(
                Warning::new(
                    WarningKind::Directory,
                    format!(
                        "{ft} stray byte(s) {:?} before the directory terminator ignored",
                        preview(&e[..ft])
                    ),
                )
                .at(pos),
            );
            data_start = pos + ft + 1;
            break;
        }
        let plausible = e.len() == entry_len
            && e[..3].iter().all(|&b| b.is_ascii_graphic() || b == b' ')
            && !e.iter().any(|&b| b == SD || b == RT);
        if !plausible {
            let skip = usize::from(body[pos] < 0x20);
            warnings.push(
                Warning::new(
                    WarningKind::Directory,
                    format!(
                        "directory not terminated by 0x1E (found byte 0x{:02X}); data assumed to start at byte {}",
                        body[pos],
                        pos + skip
                    ),
                )
                .at(pos),
            );
            data_start = pos + skip;
            break;
        }
        let (tag, bad_tag) = Tag::from_bytes_lossy(&e[..3]);
        if bad_tag {
            warnings.push(
                Warning::new(
                    WarningKind::Tag,
                    format!("directory tag {:?} repaired", preview(&e[..3])),
                )
                .at(pos),
            );
        }
        let len = parse_decimal(&e[3..3 + len_len]);
        let off = parse_decimal(&e[3 + len_len..3 + len_len + start_len]);
        if len.is_none() || off.is_none() {
            warnings.push(
                Warning::new(
                    WarningKind::Directory,
                    format!(
                        "directory entry {:?} has a non-numeric length or offset",
                        preview(e)
                    ),
                )
                .tag(tag)
                .at(pos),
            );
        }
        entries.push(DirEntry {
            tag,
            len,
            off,
            at: pos,
        });
        pos += entry_len;
    }
    if let Some(b) = leader_base
        && b != data_start
    {
        warnings.push(
            Warning::new(
                WarningKind::Directory,
                format!(
                    "leader/12-16 base address is {b} but the directory ends at byte {}; using {data_start}",
                    data_start.saturating_sub(1)
                ),
            )
            .at(12),
        );
    }
    let broken = entries
        .iter()
        .filter(|e| {
            (e.len.is_none() || e.off.is_none()) && !e.tag.0.iter().all(u8::is_ascii_alphanumeric)
        })
        .count();
    if broken * 2 > entries.len() {
        return Err(format!(
            "directory unreadable: {broken} of {} entries have garbled tags and non-numeric lengths/offsets (leader {:?})",
            entries.len(),
            leader.as_str()
        ));
    }
    if entries.is_empty() {
        if body.len() > data_start {
            return Err(
                "no directory entries (the leader is followed by data but no usable directory)"
                    .to_owned(),
            );
        }
        warnings.push(Warning::new(
            WarningKind::Structure,
            "record has a leader but no fields",
        ));
        leader.0[9] = b'a';
        out.leader = leader;
        out.fields.clear();
        return Ok(());
    }
    let data = &body[data_start.min(body.len())..];

    // Locate field bytes: via the directory if every entry checks out,
    // otherwise by splitting the data area on field terminators.
    let mut first_bad = None;
    for e in &entries {
        let ok = match (e.len, e.off) {
            (Some(l), Some(o)) => l >= 1 && o + l <= data.len() && data[o + l - 1] == FT,
            _ => false,
        };
        if !ok {
            first_bad = Some(e);
            break;
        }
    }
    let mut spans: Vec<(usize, usize)> = Vec::with_capacity(entries.len());
    if let Some(bad) = first_bad {
        let mut segs = Vec::new();
        let mut s = 0;
        for (i, &b) in data.iter().enumerate() {
            if b == FT {
                segs.push((s, i));
                s = i + 1;
            }
        }
        if s < data.len() {
            segs.push((s, data.len()));
            warnings.push(
                Warning::new(
                    WarningKind::FieldBoundary,
                    "last field has no field terminator",
                )
                .at(data_start + s),
            );
        }
        warnings.push(
            Warning::new(
                WarningKind::FieldBoundary,
                format!(
                    "directory entry (length {:?}, offset {:?}) does not end on a field terminator; fields located by splitting the data area on 0x1E ({} entries, {} fields found)",
                    bad.len,
                    bad.off,
                    entries.len(),
                    segs.len()
                ),
            )
            .tag(bad.tag)
            .at(bad.at),
        );
        if segs.len() > entries.len() {
            for &(a, b) in &segs[entries.len()..] {
                warnings.push(
                    Warning::new(
                        WarningKind::FieldBoundary,
                        format!(
                            "field data {:?} has no directory entry; dropped",
                            preview(&data[a..b])
                        ),
                    )
                    .at(data_start + a),
                );
            }
        }
        if segs.len() < entries.len() {
            for e in &entries[segs.len()..] {
                warnings.push(
                    Warning::new(
                        WarningKind::FieldBoundary,
                        "directory entry has no field data; field dropped",
                    )
                    .tag(e.tag)
                    .at(e.at),
                );
            }
        }
        spans.extend(segs.into_iter().take(entries.len()));
    } else {
        for e in &entries {
            if let (Some(l), Some(o)) = (e.len, e.off) {
                spans.push((o, o + l - 1));
            }
        }
    }

    // Encoding.
    let (enc, enc_warning) = choose_encoding(leader.0[9], ind_count == 2, data);
    if let Some(w) = enc_warning {
        warnings.push(w.at(9));
    }
    if leader.0[9] != b'a' {
        leader.0[9] = b'a';
    }

    let cx = Cx {
        enc,
        // Validate UTF-8 once per record; values are then sliced from it.
        text: if enc == Encoding::Utf8 {
            std::str::from_utf8(data).ok()
        } else {
            None
        },
        data,
        data_start,
        ind_count,
    };
    let fields = &mut out.fields;
    let mut i = 0;
    for (e, &(a, b)) in entries.iter().zip(&spans) {
        let fb = &data[a..b];
        let base = data_start + a;
        if !e.tag.is_numeric() {
            warnings.push(
                Warning::new(WarningKind::Tag, "non-numeric tag kept")
                    .tag(e.tag)
                    .at(e.at),
            );
        }
        let subfielded_control = e.tag.is_control()
            && fb.len() > ind_count
            && fb[ind_count] == SD
            && !fb[..ind_count].contains(&SD);
        if subfielded_control {
            warnings.push(
                Warning::new(WarningKind::Tag, "control-field tag but the field has indicators and subfields; read as a data field")
                    .tag(e.tag)
                    .at(base),
            );
        }
        if e.tag.is_control() && !subfielded_control {
            let value = cx.value(fb, e.tag, base, warnings);
            set_control(fields, i, e.tag, &value);
        } else {
            parse_data_field(fields, i, e.tag, fb, &cx, base, warnings);
        }
        i += 1;
    }
    fields.truncate(i);
    out.leader = leader;
    Ok(())
}

/// Splits on the subfield delimiter using memchr (like `split`, but fast).
fn split_sd(s: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut start = 0;
    let mut ends = memchr::memchr_iter(SD, s).chain(std::iter::once(s.len()));
    std::iter::from_fn(move || {
        let end = ends.next()?;
        let part = &s[start..end];
        start = end + 1;
        Some(part)
    })
}

/// Per-record decoding context.
struct Cx<'a> {
    enc: Encoding,
    /// The whole data area when it is valid UTF-8.
    text: Option<&'a str>,
    data: &'a [u8],
    data_start: usize,
    /// Indicator count (leader/10).
    ind_count: usize,
}

impl<'a> Cx<'a> {
    /// Decodes a value; `base` is its record-relative offset.
    fn value(
        &self,
        bytes: &[u8],
        tag: Tag,
        base: usize,
        warnings: &mut Vec<Warning>,
    ) -> Cow<'a, str> {
        if let Some(t) = self.text
            && let Some(rel) = base.checked_sub(self.data_start)
            && self
                .data
                .get(rel..)
                .is_some_and(|d| std::ptr::eq(d.as_ptr(), bytes.as_ptr()))
            && let Some(s) = t.get(rel..rel + bytes.len())
        {
            return Cow::Borrowed(s);
        }
        Cow::Owned(decode_value(bytes, self.enc, tag, base, warnings))
    }
}

fn indicator(b: u8, which: u8, tag: Tag, at: usize, warnings: &mut Vec<Warning>) -> char {
    if b == b' ' || b.is_ascii_digit() || b.is_ascii_lowercase() {
        char::from(b)
    } else if b.is_ascii_graphic() {
        warnings.push(
            Warning::new(
                WarningKind::Indicator,
                format!(
                    "indicator {which} '{}' is not a digit, lowercase letter or blank; kept",
                    char::from(b)
                ),
            )
            .tag(tag)
            .at(at),
        );
        char::from(b)
    } else {
        warnings.push(
            Warning::new(
                WarningKind::Indicator,
                format!("indicator {which} is byte 0x{b:02X}; replaced by blank"),
            )
            .tag(tag)
            .at(at),
        );
        ' '
    }
}

fn parse_data_field(
    fields: &mut Vec<Field>,
    i: usize,
    tag: Tag,
    fb: &[u8],
    cx: &Cx<'_>,
    base: usize,
    warnings: &mut Vec<Warning>,
) {
    let enc = cx.enc;
    let ind_count = cx.ind_count;
    // Indicators: the first `ind_count` bytes, unless a subfield delimiter
    // comes first (missing indicators).
    // In UTF-8 records an indicator may be a multi-byte character (seen in
    // YAZ's test data): widen the indicator bytes to whole characters.
    let mut ind_chars: Vec<(char, usize, usize)> = Vec::new(); // (char, start, len)
    if enc == Encoding::Utf8 && fb.iter().take(ind_count).any(|&b| b >= 0x80) {
        let mut p = 0;
        while ind_chars.len() < ind_count && p < fb.len() && fb[p] != SD {
            let w = utf8_width(fb[p]);
            match fb
                .get(p..p + w)
                .and_then(|b| std::str::from_utf8(b).ok())
                .and_then(|s| s.chars().next())
            {
                Some(c) if w > 1 => {
                    ind_chars.push((c, p, w));
                    p += w;
                }
                _ => {
                    ind_chars.push((char::from(fb[p]), p, 1));
                    p += 1;
                }
            }
        }
    }
    if ind_chars.iter().any(|&(_, _, w)| w > 1) {
        warnings.push(
            Warning::new(
                WarningKind::Indicator,
                "indicator is a multi-byte UTF-8 character; kept",
            )
            .tag(tag)
            .at(base),
        );
        let pick = |i: usize| ind_chars.get(i).map_or(' ', |&(c, _, _)| c);
        let (ind1, ind2) = (pick(0), pick(1));
        let used: usize = ind_chars.iter().map(|&(_, _, w)| w).sum();
        if let Some(subfields) = data_slot(fields, i, tag, ind1, ind2) {
            finish_data_field(tag, subfields, &fb[used..], base + used, cx, warnings);
        }
        return;
    }
    let avail = fb.iter().take(ind_count).take_while(|&&b| b != SD).count();
    if avail < ind_count {
        warnings.push(
            Warning::new(
                WarningKind::Indicator,
                format!("data field has {avail} indicator byte(s) before its first subfield (expected {ind_count}); missing indicators set to blank"),
            )
            .tag(tag)
            .at(base),
        );
    }
    let ind1 = match avail {
        0 => ' ',
        _ => indicator(fb[0], 1, tag, base, warnings),
    };
    let ind2 = match avail {
        0 | 1 => ' ',
        _ => indicator(fb[1], 2, tag, base + 1, warnings),
    };
    if avail > 2 {
        warnings.push(
            Warning::new(
                WarningKind::Indicator,
                format!("extra indicator(s) {:?} dropped", preview(&fb[2..avail])),
            )
            .tag(tag)
            .at(base + 2),
        );
    }
    if let Some(subfields) = data_slot(fields, i, tag, ind1, ind2) {
        finish_data_field(tag, subfields, &fb[avail..], base + avail, cx, warnings);
    }
}

fn utf8_width(b: u8) -> usize {
    match b {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => 1,
    }
}

fn finish_data_field(
    tag: Tag,
    subfields: &mut Vec<Subfield>,
    rest: &[u8],
    rest_base: usize,
    cx: &Cx<'_>,
    warnings: &mut Vec<Warning>,
) {
    let mut k = 0;
    let mut parts = split_sd(rest);
    let mut pos = rest_base;
    if let Some(lead) = parts.next() {
        if !lead.is_empty() {
            warnings.push(
                Warning::new(
                    WarningKind::Subfield,
                    format!(
                        "{} byte(s) {:?} before the first subfield delimiter dropped",
                        lead.len(),
                        preview(lead)
                    ),
                )
                .tag(tag)
                .at(pos),
            );
        }
        pos += lead.len() + 1;
    }
    // A delimiter followed by ESC or a space is not a subfield: text was cut by
    // a stray 0x1F (seen in YAZ's CJK data). Drop the delimiter and join the
    // text to the previous subfield, so the escape sequence still applies.
    let mut pending: Option<(usize, std::borrow::Cow<'_, [u8]>)> = None;
    for part in parts {
        let here = pos;
        pos += part.len() + 1;
        if matches!(part.first(), Some(&0x1B | &b' '))
            && let Some((_, prev)) = pending.as_mut()
        {
            warnings.push(
                Warning::new(
                    WarningKind::Subfield,
                    "subfield delimiter followed by ESC or space dropped; text joined to the previous subfield",
                )
                .tag(tag)
                .at(here - 1),
            );
            prev.to_mut().extend_from_slice(part);
            continue;
        }
        if let Some((h, p)) = pending.take() {
            push_subfield(tag, cx, h, &p, subfields, &mut k, warnings);
        }
        pending = Some((here, std::borrow::Cow::Borrowed(part)));
    }
    if let Some((h, p)) = pending.take() {
        push_subfield(tag, cx, h, &p, subfields, &mut k, warnings);
    }
    subfields.truncate(k);
}

/// Makes `fields[i]` a data field with these tag/indicators (reusing its
/// subfield buffer when it already is one) and returns its subfields.
fn data_slot(
    fields: &mut Vec<Field>,
    i: usize,
    tag: Tag,
    ind1: char,
    ind2: char,
) -> Option<&mut Vec<Subfield>> {
    let fresh = Field::Data {
        tag,
        ind1,
        ind2,
        subfields: Vec::with_capacity(4),
    };
    match fields.get(i) {
        Some(Field::Data { .. }) => {}
        Some(Field::Control { .. }) => fields[i] = fresh,
        None => fields.push(fresh),
    }
    match fields.get_mut(i) {
        Some(Field::Data {
            tag: t,
            ind1: a,
            ind2: b,
            subfields,
        }) => {
            *t = tag;
            *a = ind1;
            *b = ind2;
            Some(subfields)
        }
        _ => None,
    }
}

/// Makes `fields[i]` a control field with this tag and value, reusing its
/// string buffer when possible.
fn set_control(fields: &mut Vec<Field>, i: usize, tag: Tag, v: &str) {
    match fields.get_mut(i) {
        Some(Field::Control { tag: t, value }) => {
            *t = tag;
            value.clear();
            value.push_str(v);
        }
        Some(f) => {
            *f = Field::Control {
                tag,
                value: v.to_owned(),
            }
        }
        None => fields.push(Field::Control {
            tag,
            value: v.to_owned(),
        }),
    }
}

/// Decodes one subfield (`part` = code byte(s) + value) and appends it.
fn push_subfield(
    tag: Tag,
    cx: &Cx<'_>,
    here: usize,
    part: &[u8],
    subfields: &mut Vec<Subfield>,
    k: &mut usize,
    warnings: &mut Vec<Warning>,
) {
    let Some(&c) = part.first() else {
        warnings.push(
            Warning::new(
                WarningKind::Subfield,
                "empty subfield (delimiter without code) dropped",
            )
            .tag(tag)
            .at(here - 1),
        );
        return;
    };
    let (code, vstart) = if c.is_ascii_alphanumeric() {
        (char::from(c), 1)
    } else if c.is_ascii_graphic() {
        warnings.push(
            Warning::new(
                WarningKind::Subfield,
                format!(
                    "subfield code '{}' is not a letter or digit; kept",
                    char::from(c)
                ),
            )
            .tag(tag)
            .at(here),
        );
        (char::from(c), 1)
    } else if c >= 0x80 {
        // A multi-byte UTF-8 character, or one 8-bit byte.
        let utf8 = part
            .utf8_chunks()
            .next()
            .and_then(|ch| ch.valid().chars().next());
        let (code, n) = match utf8 {
            Some(ch) if cx.enc == Encoding::Utf8 || !ch.is_ascii() => (ch, ch.len_utf8()),
            _ => (char::from(c), 1),
        };
        warnings.push(
            Warning::new(
                WarningKind::Subfield,
                format!("subfield code {code:?} is not ASCII; kept"),
            )
            .tag(tag)
            .at(here),
        );
        (code, n)
    } else {
        warnings.push(
            Warning::new(
                WarningKind::Subfield,
                format!("subfield code is control byte 0x{c:02X}; replaced by '?'"),
            )
            .tag(tag)
            .at(here),
        );
        ('?', 1)
    };
    let value = cx.value(&part[vstart..], tag, here + vstart, warnings);
    if let Some(sf) = subfields.get_mut(*k) {
        sf.code = code;
        sf.value.clear();
        sf.value.push_str(&value);
    } else {
        subfields.push(Subfield {
            code,
            value: value.into_owned(),
        });
    }
    *k += 1;
}

/// Why a record cannot be written as ISO 2709.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The record or a field exceeds the ISO 2709 size limits.
    #[error("{0}")]
    TooLong(String),
    /// A value contains a byte that would break the structure, or an
    /// indicator / subfield code is a control character.
    #[error("{0}")]
    Invalid(String),
    /// Underlying I/O error.
    #[error("I/O error: {0}")]
    Io(#[from] io::Error),
}

fn check_value(tag: Tag, v: &str) -> Result<(), WriteError> {
    if v.bytes().any(|b| b == RT || b == FT || b == SD) {
        return Err(WriteError::Invalid(format!(
            "field {tag}: value contains a MARC delimiter byte (0x1D/0x1E/0x1F)"
        )));
    }
    Ok(())
}

/// Appends an indicator or subfield code. Non-ASCII characters are written
/// as UTF-8 (the reader widens them back, as YAZ does); controls are refused.
fn push_char(out: &mut Vec<u8>, tag: Tag, what: &str, c: char) -> Result<(), WriteError> {
    if c.is_control() {
        return Err(WriteError::Invalid(format!(
            "field {tag}: {what} {c:?} is a control character"
        )));
    }
    out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
    Ok(())
}

/// Serialises a record as ISO 2709 / UTF-8: lengths, base address and
/// directory are computed, leader/09 is set to `a`, 10-11 to `22` and 20-23
/// to `4500`.
pub fn to_bytes(rec: &Record) -> Result<Vec<u8>, WriteError> {
    let mut data: Vec<u8> = Vec::with_capacity(1024);
    let mut dir: Vec<u8> = Vec::with_capacity(12 * rec.fields.len() + 1);
    for f in &rec.fields {
        let start = data.len();
        match f {
            Field::Control { tag, value } => {
                check_value(*tag, value)?;
                data.extend_from_slice(value.as_bytes());
            }
            Field::Data {
                tag,
                ind1,
                ind2,
                subfields,
            } => {
                push_char(&mut data, *tag, "indicator 1", *ind1)?;
                push_char(&mut data, *tag, "indicator 2", *ind2)?;
                for s in subfields {
                    check_value(*tag, &s.value)?;
                    data.push(SD);
                    push_char(&mut data, *tag, "subfield code", s.code)?;
                    data.extend_from_slice(s.value.as_bytes());
                }
            }
        }
        data.push(FT);
        let len = data.len() - start;
        if len > 9999 {
            return Err(WriteError::TooLong(format!(
                "field {} is {len} bytes (ISO 2709 limit 9999)",
                f.tag()
            )));
        }
        if start > 99999 {
            return Err(WriteError::TooLong(format!(
                "field {} starts at offset {start} (limit 99999)",
                f.tag()
            )));
        }
        dir.extend_from_slice(&f.tag().0);
        dir.extend_from_slice(format!("{len:04}{start:05}").as_bytes());
    }
    dir.push(FT);
    let base = 24 + dir.len();
    let total = base + data.len() + 1;
    if total > 99999 {
        return Err(WriteError::TooLong(format!(
            "record is {total} bytes (ISO 2709 limit 99999)"
        )));
    }
    let mut leader = rec.leader;
    leader.0[0..5].copy_from_slice(format!("{total:05}").as_bytes());
    leader.0[9] = b'a';
    leader.0[10..12].copy_from_slice(b"22");
    leader.0[12..17].copy_from_slice(format!("{base:05}").as_bytes());
    leader.0[20..24].copy_from_slice(b"4500");
    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(&leader.0);
    out.extend_from_slice(&dir);
    out.extend_from_slice(&data);
    out.push(RT);
    Ok(out)
}

/// Writes records as ISO 2709, one after another.
pub struct Iso2709Writer<W: Write> {
    out: W,
}

impl<W: Write> Iso2709Writer<W> {
    /// Wraps a byte sink (wrap it in a `BufWriter` for files).
    pub fn new(out: W) -> Self {
        Iso2709Writer { out }
    }
    /// Writes one record.
    pub fn write(&mut self, rec: &Record) -> Result<(), WriteError> {
        let b = to_bytes(rec)?;
        self.out.write_all(&b)?;
        Ok(())
    }
    /// Flushes and returns the sink.
    pub fn finish(mut self) -> Result<W, WriteError> {
        self.out.flush()?;
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Record {
        let mut r = Record::new();
        r.push(Field::control(Tag(*b"001"), "123"));
        r.push(Field::data(
            Tag(*b"245"),
            '1',
            '0',
            vec![
                Subfield::new('a', "Title :"),
                Subfield::new('b', "sub /"),
                Subfield::new('c', "by Zoë."),
            ],
        ));
        r
    }

    fn read_all(b: &[u8]) -> Vec<ReadResult> {
        Iso2709Reader::new(b).collect()
    }

    #[test]
    fn write_then_read() {
        let b = to_bytes(&sample()).unwrap();
        let total = b.len();
        assert_eq!(&b[0..5], format!("{total:05}").as_bytes());
        let got = read_all(&b);
        assert_eq!(got.len(), 1);
        let rr = got[0].as_ref().unwrap();
        assert!(rr.warnings.is_empty(), "{:?}", rr.warnings);
        assert_eq!(rr.record.fields, sample().fields);
        assert_eq!(rr.raw, b);
    }

    #[test]
    fn wrong_length_uses_terminator() {
        let mut b = to_bytes(&sample()).unwrap();
        b[0..5].copy_from_slice(b"00999");
        let got = read_all(&b);
        let rr = got[0].as_ref().unwrap();
        assert!(
            rr.warnings
                .iter()
                .any(|w| w.kind == WarningKind::RecordLength)
        );
        assert_eq!(rr.record.fields, sample().fields);
    }

    #[test]
    fn missing_terminator_between_records() {
        let one = to_bytes(&sample()).unwrap();
        let mut b = one[..one.len() - 1].to_vec();
        b.extend_from_slice(&one);
        let got = read_all(&b);
        assert_eq!(got.len(), 2);
        assert!(
            got[0]
                .as_ref()
                .unwrap()
                .warnings
                .iter()
                .any(|w| w.kind == WarningKind::RecordTerminator)
        );
        assert!(got[1].as_ref().unwrap().warnings.is_empty());
    }

    #[test]
    fn bad_offsets_fall_back_to_split() {
        let mut b = to_bytes(&sample()).unwrap();
        // Corrupt the 245 entry's offset.
        b[24 + 12 + 7..24 + 12 + 12].copy_from_slice(b"00001");
        let rr = read_all(&b).remove(0).unwrap();
        assert_eq!(rr.record.fields, sample().fields);
        assert!(
            rr.warnings
                .iter()
                .any(|w| w.kind == WarningKind::FieldBoundary)
        );
    }

    #[test]
    fn garbage_is_bad_record_and_reading_continues() {
        let mut b = b"hello world, not marc".to_vec();
        b.push(RT);
        b.extend(to_bytes(&sample()).unwrap());
        let got = read_all(&b);
        assert_eq!(got.len(), 2);
        assert!(got[0].is_err());
        assert_eq!(got[1].as_ref().unwrap().position.index, 1);
        assert_eq!(got[1].as_ref().unwrap().position.byte_offset, 22);
    }

    /// A source that hands out at most 3 bytes per read.
    struct Trickle<'a>(&'a [u8]);
    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = buf.len().min(3).min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    /// Fails after handing out `n` bytes.
    struct Failing<'a>(&'a [u8], usize);
    impl Read for Failing<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.1 == 0 {
                return Err(io::Error::other("disk on fire"));
            }
            let n = buf.len().min(self.1).min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            self.1 -= n;
            Ok(n)
        }
    }

    #[test]
    fn short_reads_and_io_errors() {
        let one = to_bytes(&sample()).unwrap();
        let mut b = one.clone();
        b.extend_from_slice(b"\r\n");
        b.extend_from_slice(&one);
        let expect = read_all(&b);
        let got: Vec<_> = Iso2709Reader::new(Trickle(&b)).collect();
        assert_eq!(got, expect);
        // An I/O error after the first record: one good record, then one
        // Io item, then the end.
        let got: Vec<_> = Iso2709Reader::new(Failing(&b, one.len() + 5)).collect();
        assert_eq!(got.len(), 2);
        assert!(got[0].is_ok());
        let bad = got[1].as_ref().unwrap_err();
        assert_eq!(bad.kind, BadRecordKind::Io);
        assert!(bad.reason.contains("disk on fire"));
    }

    #[test]
    fn missing_field_terminator_recovered() {
        let mut b = to_bytes(&sample()).unwrap();
        // Drop the FT that ends the last field (just before the RT).
        let n = b.len();
        b.remove(n - 2);
        let rr = read_all(&b).remove(0).unwrap();
        assert_eq!(rr.record.fields, sample().fields);
        assert!(
            rr.warnings
                .iter()
                .any(|w| w.kind == WarningKind::RecordLength)
        );
        assert!(
            rr.warnings
                .iter()
                .any(|w| w.kind == WarningKind::FieldBoundary
                    && w.message.contains("no field terminator"))
        );
    }

    #[test]
    fn blank_leader_length_is_not_filler() {
        let mut b = to_bytes(&sample()).unwrap();
        b[0..5].copy_from_slice(b"     ");
        let got = read_all(&b);
        assert_eq!(got.len(), 1);
        let rr = got[0].as_ref().unwrap();
        assert_eq!(rr.record.fields, sample().fields);
        assert!(rr.warnings.iter().any(|w| w.kind == WarningKind::Leader));
        assert_eq!(rr.raw, b);
    }

    #[test]
    fn writer_rejects_delimiters_and_long_fields() {
        let mut r = sample();
        r.push(Field::control(Tag(*b"005"), "a\x1eb"));
        assert!(matches!(to_bytes(&r), Err(WriteError::Invalid(_))));
        let mut r = sample();
        r.push(Field::data(
            Tag(*b"500"),
            ' ',
            ' ',
            vec![Subfield::new('a', "x".repeat(10_000))],
        ));
        assert!(matches!(to_bytes(&r), Err(WriteError::TooLong(_))));
    }
}
