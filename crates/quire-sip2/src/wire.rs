//! Low-level message reading and writing shared by requests and responses.

use crate::charset::Charset;
use crate::checksum::{append_trailer, find_trailer};
use crate::codes::{Language, PatronStatus, YesNoUnknown};
use crate::datetime::SipDateTime;
use crate::error::ParseError;

/// Default maximum size of a formatted message in bytes, CR terminator
/// included: every reply fits in one frame of less than 4,096 bytes.
pub const DEFAULT_MAX_REPLY_LEN: usize = 4095;

/// How to format (encode) a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatOptions {
    /// Output charset.
    pub charset: Charset,
    /// Maximum message size in bytes, CR terminator included. Long lists and
    /// screen messages are shortened to fit (see [`MessageBuilder::encode`]).
    pub max_len: usize,
    /// Error detection: `None` = off; `Some(seq)` = append `AY<seq>` (if
    /// `seq` is `Some`) and `AZ<checksum>`.
    pub error_detection: Option<Option<u8>>,
}

impl Default for FormatOptions {
    fn default() -> Self {
        FormatOptions {
            charset: Charset::Utf8,
            max_len: DEFAULT_MAX_REPLY_LEN,
            error_detection: None,
        }
    }
}

impl FormatOptions {
    /// Turns error detection on with sequence number `seq` (`AY<seq>AZxxxx`).
    pub fn with_sequence(mut self, seq: u8) -> Self {
        self.error_detection = Some(Some(seq % 10));
        self
    }

    /// Turns error detection on without a sequence number (`AZxxxx` only).
    pub fn with_checksum(mut self) -> Self {
        self.error_detection = Some(None);
        self
    }

    /// Sets the charset.
    pub fn with_charset(mut self, charset: Charset) -> Self {
        self.charset = charset;
        self
    }

    /// Sets the maximum size (CR included).
    pub fn with_max_len(mut self, max_len: usize) -> Self {
        self.max_len = max_len;
        self
    }
}

/// The body of a message split into command, fixed part and variable part.
pub(crate) struct Envelope<'a> {
    pub command: &'a str,
    /// Fixed and variable fields (error-detection trailer removed).
    pub body: &'a str,
}

pub(crate) fn envelope(text: &str) -> Result<Envelope<'_>, ParseError> {
    let trailer = find_trailer(text);
    let message = text.get(..trailer.start).unwrap_or(text);
    if message.is_empty() {
        return Err(ParseError::Empty);
    }
    let command = match message.get(..2) {
        Some(c) if c.bytes().all(|b| b.is_ascii_digit()) => c,
        _ => {
            let command: String = message.chars().take(2).collect();
            return Err(ParseError::UnknownCommand { command });
        }
    };
    Ok(Envelope {
        command,
        body: &message[2..],
    })
}

/// Reads fixed-width fields left to right.
pub(crate) struct Fixed<'a> {
    cmd: &'static str,
    text: &'a str,
    pos: usize,
}

impl<'a> Fixed<'a> {
    pub fn new(cmd: &'static str, text: &'a str) -> Fixed<'a> {
        Fixed { cmd, text, pos: 0 }
    }

    fn err(&self, name: &str, at: usize, reason: impl Into<String>) -> ParseError {
        // +2: offsets are counted from the start of the message.
        ParseError::malformed(
            self.cmd,
            format!("{name} (fixed, offset {})", at + 2),
            reason,
        )
    }

    pub fn take(&mut self, width: usize, name: &str) -> Result<&'a str, ParseError> {
        let start = self.pos;
        let got = self.text.get(start..start + width);
        match got {
            Some(s) if s.is_ascii() => {
                self.pos += width;
                Ok(s)
            }
            Some(_) => Err(self.err(name, start, "non-ASCII character in a fixed field")),
            None => {
                let avail = self.text.len().saturating_sub(start);
                if avail < width {
                    Err(self.err(
                        name,
                        start,
                        format!("expected {width} characters, message has {avail} left"),
                    ))
                } else {
                    Err(self.err(name, start, "non-ASCII character in a fixed field"))
                }
            }
        }
    }

    fn one(&mut self, name: &str) -> Result<(char, usize), ParseError> {
        let at = self.pos;
        let s = self.take(1, name)?;
        Ok((s.chars().next().unwrap_or(' '), at))
    }

    /// `Y`/`N` (case-insensitive); a blank counts as `N`.
    pub fn yn(&mut self, name: &str) -> Result<bool, ParseError> {
        let (c, at) = self.one(name)?;
        match c {
            'Y' | 'y' => Ok(true),
            'N' | 'n' | ' ' => Ok(false),
            other => Err(self.err(name, at, format!("expected Y or N, got {other:?}"))),
        }
    }

    pub fn ynu(&mut self, name: &str) -> Result<YesNoUnknown, ParseError> {
        let (c, at) = self.one(name)?;
        YesNoUnknown::from_char(c)
            .ok_or_else(|| self.err(name, at, format!("expected Y, N or U, got {c:?}")))
    }

    /// The `1`/`0` "ok" flags; `Y`/`N` tolerated.
    pub fn ok_flag(&mut self, name: &str) -> Result<bool, ParseError> {
        let (c, at) = self.one(name)?;
        match c {
            '1' | 'Y' | 'y' => Ok(true),
            '0' | 'N' | 'n' => Ok(false),
            other => Err(self.err(name, at, format!("expected 1 or 0, got {other:?}"))),
        }
    }

    pub fn char(&mut self, name: &str) -> Result<(char, usize), ParseError> {
        self.one(name)
    }

    pub fn date(&mut self, name: &str) -> Result<SipDateTime, ParseError> {
        let at = self.pos;
        let s = self.take(18, name)?;
        SipDateTime::from_raw(s).map_err(|e| self.err(name, at, e.0))
    }

    /// 3-digit language; blanks are read as `000`.
    pub fn language(&mut self) -> Result<Language, ParseError> {
        let at = self.pos;
        let s = self.take(3, "language")?;
        if s == "   " {
            return Ok(Language::Unknown);
        }
        Language::parse(s)
            .ok_or_else(|| self.err("language", at, format!("expected 3 digits, got {s:?}")))
    }

    pub fn patron_status(&mut self) -> Result<PatronStatus, ParseError> {
        let at = self.pos;
        let s = self.take(14, "patron status")?;
        PatronStatus::parse(s)
            .ok_or_else(|| self.err("patron status", at, "expected 14 characters"))
    }

    /// Fixed-width unsigned number (all digits).
    pub fn number(&mut self, width: usize, name: &str) -> Result<u16, ParseError> {
        let at = self.pos;
        let s = self.take(width, name)?;
        if s.bytes().all(|b| b.is_ascii_digit()) {
            s.parse()
                .map_err(|_| self.err(name, at, format!("number {s:?} out of range")))
        } else {
            Err(self.err(name, at, format!("expected {width} digits, got {s:?}")))
        }
    }

    /// 4-digit count or 4 blanks (unknown).
    pub fn count4(&mut self, name: &str) -> Result<Option<u16>, ParseError> {
        let at = self.pos;
        let s = self.take(4, name)?;
        if s == "    " {
            return Ok(None);
        }
        if s.bytes().all(|b| b.is_ascii_digit()) {
            s.parse()
                .map(Some)
                .map_err(|_| self.err(name, at, format!("count {s:?} out of range")))
        } else {
            Err(self.err(
                name,
                at,
                format!("expected 4 digits or 4 blanks, got {s:?}"),
            ))
        }
    }

    pub fn code<T>(
        &mut self,
        width: usize,
        name: &str,
        parse: impl Fn(&str) -> Option<T>,
    ) -> Result<T, ParseError> {
        let at = self.pos;
        let s = self.take(width, name)?;
        parse(s).ok_or_else(|| self.err(name, at, format!("invalid code {s:?}")))
    }

    /// The remaining (variable) part and its offset from the message start.
    pub fn rest(&self) -> (&'a str, usize) {
        (self.text.get(self.pos..).unwrap_or(""), self.pos + 2)
    }
}

/// Variable fields of a received message, consumed by code.
pub(crate) struct Fields {
    cmd: &'static str,
    items: Vec<(String, String)>,
    used: Vec<bool>,
}

impl Fields {
    /// Splits `XXvalue|` fields. Empty or blank segments (`||`, trailing
    /// spaces) are skipped; the final `|` may be missing. Codes must be two
    /// ASCII upper-case letters.
    pub fn parse(cmd: &'static str, text: &str, offset: usize) -> Result<Fields, ParseError> {
        let mut items = Vec::new();
        let mut pos = offset;
        for seg in text.split('|') {
            let seg_pos = pos;
            pos += seg.len() + 1;
            // Empty segments (`||`) and trailing padding are skipped.
            if seg.trim().is_empty() {
                continue;
            }
            let code = seg
                .get(..2)
                .filter(|c| c.bytes().all(|b| b.is_ascii_uppercase()));
            match code {
                Some(code) => items.push((code.to_string(), seg[2..].to_string())),
                None => {
                    let shown: String = seg.chars().take(12).collect();
                    return Err(ParseError::malformed(
                        cmd,
                        format!("variable field at offset {seg_pos}"),
                        format!("{shown:?} does not start with a two-letter upper-case field code"),
                    ));
                }
            }
        }
        let used = vec![false; items.len()];
        Ok(Fields { cmd, items, used })
    }

    /// The first unused occurrence of `code`.
    pub fn opt(&mut self, code: &str) -> Option<String> {
        let i = self
            .items
            .iter()
            .zip(&self.used)
            .position(|((c, _), used)| !used && c == code)?;
        self.used[i] = true;
        Some(self.items[i].1.clone())
    }

    pub fn or_empty(&mut self, code: &str) -> String {
        self.opt(code).unwrap_or_default()
    }

    pub fn req(&mut self, code: &'static str, name: &'static str) -> Result<String, ParseError> {
        self.opt(code).ok_or_else(|| ParseError::MissingField {
            command: self.cmd.to_string(),
            code,
            name,
        })
    }

    /// Every occurrence of a repeatable field.
    pub fn all(&mut self, code: &str) -> Vec<String> {
        let mut out = Vec::new();
        while let Some(v) = self.opt(code) {
            out.push(v);
        }
        out
    }

    /// Optional typed field; an empty value counts as absent.
    pub fn typed<T>(
        &mut self,
        code: &str,
        name: &str,
        parse: impl Fn(&str) -> Option<T>,
    ) -> Result<Option<T>, ParseError> {
        match self.opt(code) {
            None => Ok(None),
            Some(v) if v.is_empty() => Ok(None),
            Some(v) => parse(&v).map(Some).ok_or_else(|| {
                ParseError::malformed(
                    self.cmd,
                    format!("{code} ({name})"),
                    format!("invalid value {v:?}"),
                )
            }),
        }
    }

    /// Optional `Y`/`N` field.
    pub fn yn(&mut self, code: &str, name: &str) -> Result<Option<bool>, ParseError> {
        self.typed(code, name, |v| match v {
            "Y" | "y" => Some(true),
            "N" | "n" => Some(false),
            _ => None,
        })
    }

    /// Optional date field (18 characters).
    pub fn date(&mut self, code: &str, name: &str) -> Result<Option<SipDateTime>, ParseError> {
        self.typed(code, name, |v| SipDateTime::from_raw(v).ok())
    }

    /// Optional number field.
    pub fn number<T: std::str::FromStr>(
        &mut self,
        code: &str,
        name: &str,
    ) -> Result<Option<T>, ParseError> {
        self.typed(code, name, |v| {
            if v.bytes().all(|b| b.is_ascii_digit()) {
                v.parse().ok()
            } else {
                None
            }
        })
    }

    /// Fields not consumed, in order (extensions and duplicates).
    pub fn rest(self) -> Vec<(String, String)> {
        self.items
            .into_iter()
            .zip(self.used)
            .filter(|(_, used)| !used)
            .map(|(item, _)| item)
            .collect()
    }
}

/// How the size limit may shorten a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Free text: kept whenever possible, shortened only as a last resort.
    Normal,
    /// Structured value (date, number, code, flag): never shortened.
    Exact,
    /// One entry of a repeatable item list (AS, AT, AU, AV, BU, CD, BM, BN):
    /// dropped first, last entry first.
    ListItem,
    /// AG print line: dropped second.
    Print,
    /// AF screen message: shortened third.
    Screen,
}

#[derive(Debug, Clone)]
struct OutField {
    code: String,
    value: String,
    kind: Kind,
}

/// Removes what could break the frame: `|` is dropped, CR, LF and other
/// control characters become a space.
pub fn sanitize_value(value: &str) -> String {
    value
        .chars()
        .filter(|&c| c != '|')
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Builds one message: identifier and fixed fields, then variable fields in
/// the order added. Values are sanitized with [`sanitize_value`].
#[derive(Debug, Clone)]
pub struct MessageBuilder {
    fixed: String,
    fields: Vec<OutField>,
}

impl MessageBuilder {
    /// Starts a message with its 2-character identifier.
    pub fn new(command: &str) -> MessageBuilder {
        MessageBuilder {
            fixed: command.to_string(),
            fields: Vec::new(),
        }
    }

    /// Appends fixed text verbatim after forcing it to `width` ASCII
    /// characters (padded with blanks or cut; non-ASCII becomes `?`).
    pub fn fixed(&mut self, width: usize, text: &str) -> &mut Self {
        let mut n = 0;
        for c in text.chars().take(width) {
            let c = if c.is_ascii() && !c.is_ascii_control() && c != '|' {
                c
            } else {
                '?'
            };
            self.fixed.push(c);
            n += 1;
        }
        for _ in n..width {
            self.fixed.push(' ');
        }
        self
    }

    /// Appends a one-character fixed field.
    pub fn flag(&mut self, c: char) -> &mut Self {
        self.fixed(1, c.encode_utf8(&mut [0u8; 4]))
    }

    /// `Y`/`N` flag.
    pub fn yn(&mut self, b: bool) -> &mut Self {
        self.flag(if b { 'Y' } else { 'N' })
    }

    /// `1`/`0` flag.
    pub fn ok(&mut self, b: bool) -> &mut Self {
        self.flag(if b { '1' } else { '0' })
    }

    /// 18-character date.
    pub fn date(&mut self, d: &SipDateTime) -> &mut Self {
        self.fixed(18, d.raw())
    }

    /// 4-digit count (clamped to 9999) or 4 blanks.
    pub fn count4(&mut self, n: Option<u16>) -> &mut Self {
        match n {
            Some(n) => self.fixed(4, &format!("{:04}", n.min(9999))),
            None => self.fixed(4, "    "),
        }
    }

    fn push(&mut self, code: &str, value: &str, kind: Kind) {
        self.fields.push(OutField {
            code: code.to_string(),
            value: sanitize_value(value),
            kind,
        });
    }

    /// A field that is always sent (possibly empty).
    pub fn field(&mut self, code: &str, value: &str) -> &mut Self {
        self.push(code, value, Kind::Normal);
        self
    }

    /// A field sent only when present.
    pub fn opt(&mut self, code: &str, value: Option<&str>) -> &mut Self {
        if let Some(v) = value {
            self.push(code, v, Kind::Normal);
        }
        self
    }

    /// A structured field (date, number, code) that is always sent and is
    /// never shortened to fit the size limit.
    pub fn exact(&mut self, code: &str, value: &str) -> &mut Self {
        self.push(code, value, Kind::Exact);
        self
    }

    /// An optional structured field (see [`MessageBuilder::exact`]).
    pub fn opt_exact(&mut self, code: &str, value: Option<&str>) -> &mut Self {
        if let Some(v) = value {
            self.push(code, v, Kind::Exact);
        }
        self
    }

    /// Optional `Y`/`N` field.
    pub fn opt_yn(&mut self, code: &str, value: Option<bool>) -> &mut Self {
        self.opt_exact(code, value.map(|b| if b { "Y" } else { "N" }))
    }

    /// A repeatable item list; entries may be dropped to fit the size limit.
    pub fn list(&mut self, code: &str, values: &[String]) -> &mut Self {
        for v in values {
            self.push(code, v, Kind::ListItem);
        }
        self
    }

    /// A repeatable field that is never dropped for size.
    pub fn repeat(&mut self, code: &str, values: &[String]) -> &mut Self {
        for v in values {
            self.push(code, v, Kind::Normal);
        }
        self
    }

    /// Extension fields (code, value), sent as given.
    pub fn extensions(&mut self, ext: &[(String, String)]) -> &mut Self {
        for (c, v) in ext {
            let code: String = c
                .chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .take(2)
                .collect();
            if code.len() == 2 {
                self.push(&code, v, Kind::Normal);
            }
        }
        self
    }

    /// AF screen messages and AG print lines.
    pub fn screen_and_print(&mut self, screen: &[String], print: &[String]) -> &mut Self {
        for v in screen {
            self.push("AF", v, Kind::Screen);
        }
        for v in print {
            self.push("AG", v, Kind::Print);
        }
        self
    }

    /// Encodes the message, trailer and CR terminator.
    ///
    /// If the result would exceed `opts.max_len`, it is shortened without
    /// ever cutting inside a field: first list entries are dropped (last
    /// first), then AG print lines, then AF screen messages are shortened
    /// (whole characters) or dropped, and as a last resort the longest
    /// remaining free-text value is shortened. The fixed part and structured
    /// values (dates, numbers, codes) are never changed, so the result can
    /// only exceed the limit if those alone do.
    pub fn encode(&self, opts: &FormatOptions) -> Vec<u8> {
        let cs = opts.charset;
        let trailer_len = match opts.error_detection {
            None => 0,
            Some(None) => 6,
            Some(Some(_)) => 9,
        };
        let fixed_len = cs.encoded_len(&self.fixed);
        let mut fields = self.fields.clone();
        let field_len = |f: &OutField| 3 + cs.encoded_len(&f.value);
        let mut total = fixed_len + trailer_len + 1 + fields.iter().map(field_len).sum::<usize>();
        let max = opts.max_len;

        // 1. list entries, 2. print lines: drop from the end.
        for kind in [Kind::ListItem, Kind::Print] {
            while total > max {
                let Some(i) = fields.iter().rposition(|f| f.kind == kind) else {
                    break;
                };
                total -= field_len(&fields[i]);
                fields.remove(i);
            }
        }
        // 3. screen messages: shorten the last one, drop it if that is not enough.
        while total > max {
            let Some(i) = fields.iter().rposition(|f| f.kind == Kind::Screen) else {
                break;
            };
            let excess = total - max;
            let vlen = cs.encoded_len(&fields[i].value);
            if vlen > excess {
                let before = field_len(&fields[i]);
                fields[i].value = truncate_to(&fields[i].value, vlen - excess, cs);
                total = total - before + field_len(&fields[i]);
            } else {
                total -= field_len(&fields[i]);
                fields.remove(i);
            }
        }
        // 4. last resort: shorten the longest value.
        while total > max {
            let Some((i, _)) = fields
                .iter()
                .enumerate()
                .filter(|(_, f)| f.kind == Kind::Normal && !f.value.is_empty())
                .max_by_key(|(_, f)| cs.encoded_len(&f.value))
            else {
                break;
            };
            let excess = total - max;
            let vlen = cs.encoded_len(&fields[i].value);
            let before = field_len(&fields[i]);
            fields[i].value = truncate_to(&fields[i].value, vlen.saturating_sub(excess), cs);
            total = total - before + field_len(&fields[i]);
        }

        let mut out = Vec::with_capacity(total);
        cs.encode_into(&self.fixed, &mut out);
        for f in &fields {
            cs.encode_into(&f.code, &mut out);
            cs.encode_into(&f.value, &mut out);
            out.push(b'|');
        }
        if let Some(seq) = opts.error_detection {
            append_trailer(&mut out, seq);
        }
        out.push(b'\r');
        out
    }
}

/// The longest prefix of `s` (whole characters) of at most `max_bytes` encoded.
fn truncate_to(s: &str, max_bytes: usize, cs: Charset) -> String {
    let mut n = 0;
    let mut out = String::new();
    for c in s.chars() {
        let l = cs.char_len(c);
        if n + l > max_bytes {
            break;
        }
        n += l;
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_parse_and_consume() {
        let mut f = Fields::parse("63", "AOinst|AAp1|AUa|AUb|ZZext|AAdup", 31).unwrap();
        assert_eq!(f.opt("AO").as_deref(), Some("inst"));
        assert_eq!(f.opt("AA").as_deref(), Some("p1"));
        assert_eq!(f.all("AU"), vec!["a".to_string(), "b".to_string()]);
        assert!(f.opt("AD").is_none());
        assert_eq!(
            f.rest(),
            vec![
                ("ZZ".to_string(), "ext".to_string()),
                ("AA".to_string(), "dup".to_string())
            ]
        );
    }

    #[test]
    fn fields_skip_empty_and_blank_segments() {
        let mut f = Fields::parse("17", "|AOx||ABy|  ", 20).unwrap();
        assert_eq!(f.opt("AO").as_deref(), Some("x"));
        assert_eq!(f.opt("AB").as_deref(), Some("y"));
        assert!(f.rest().is_empty());
    }

    #[test]
    fn fields_reject_bad_codes_with_offset() {
        let e = Fields::parse("15", "3BSpickup|BY3|", 21).err();
        assert_eq!(
            e,
            Some(ParseError::malformed(
                "15",
                "variable field at offset 21",
                "\"3BSpickup\" does not start with a two-letter upper-case field code"
            ))
        );
    }

    #[test]
    fn fixed_reports_offsets() {
        let mut r = Fixed::new("99", "0231.23");
        assert!(r.char("status code").is_ok());
        assert!(r.number(3, "max print width").is_ok());
        let e = r.take(4, "protocol version").err();
        assert_eq!(
            e,
            Some(ParseError::malformed(
                "99",
                "protocol version (fixed, offset 6)",
                "expected 4 characters, message has 3 left"
            ))
        );
    }

    #[test]
    fn sanitize_strips_delimiters() {
        assert_eq!(sanitize_value("a|b\rc\nd\te"), "ab c d e");
    }

    #[test]
    fn builder_truncates_lists_then_screen_messages() {
        let mut b = MessageBuilder::new("64");
        b.fixed(4, "ABCD").field("AO", "x");
        let items: Vec<String> = (0..10).map(|i| format!("item{i:02}")).collect();
        b.list("AU", &items);
        b.screen_and_print(&["0123456789".to_string()], &["print".to_string()]);
        let full = b.encode(&FormatOptions::default());
        assert_eq!(
            String::from_utf8_lossy(&full),
            "64ABCDAOx|AUitem00|AUitem01|AUitem02|AUitem03|AUitem04|AUitem05|AUitem06|AUitem07|AUitem08|AUitem09|AF0123456789|AGprint|\r"
        );
        // Room for 2 list entries: AG is kept, later entries go first.
        let opts = FormatOptions::default().with_max_len(full.len() - 8 * 9);
        let out = b.encode(&opts);
        assert_eq!(
            String::from_utf8_lossy(&out),
            "64ABCDAOx|AUitem00|AUitem01|AF0123456789|AGprint|\r"
        );
        // Even less room: lists gone, print line gone, screen message shortened.
        let opts = FormatOptions::default().with_max_len(20);
        let out = b.encode(&opts);
        assert_eq!(String::from_utf8_lossy(&out), "64ABCDAOx|AF012345|\r");
        assert_eq!(out.len(), 20);
    }

    #[test]
    fn builder_last_resort_truncates_longest_value() {
        let mut b = MessageBuilder::new("94");
        b.flag('1').field("AO", &"x".repeat(100));
        let out = b.encode(&FormatOptions::default().with_max_len(30).with_sequence(1));
        assert_eq!(out.len(), 30);
        // 941 + AO + 14 x + | + AY1AZ + 4 hex + CR = 30.
        let text = String::from_utf8_lossy(&out[..out.len() - 1]).into_owned();
        assert!(text.starts_with(&format!("941AO{}|AY1AZ", "x".repeat(14))));
        assert_eq!(
            crate::checksum::verify(&out[..out.len() - 1], &text),
            crate::ChecksumStatus::Valid
        );
    }
}
