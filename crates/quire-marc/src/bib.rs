//! Bibliographic helpers: pure functions over a [`Record`] that pull out
//! what the search index and the screens need. [`summarize`] does all of
//! them at once.
//!
//! Conventions: values are trimmed of ISBD punctuation (`trim_punctuation`);
//! identifiers are *not* validated or normalised here beyond splitting off
//! qualifiers such as `(pbk.)` (validation lives in the identifier crate).

use crate::record::{Field, Record};

/// Coarse material format, from leader/06-07, 007 and 008.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MaterialFormat {
    /// Printed language material (leader/06 `a`, monographic).
    Book,
    /// Online/electronic language material (008/23 `o`/`q`/`s` or 007 `cr`).
    EBook,
    /// Serial or integrating resource (leader/07 `b`, `i`, `s`).
    Serial,
    /// Cartographic material (leader/06 `e`, `f`).
    Map,
    /// Notated music (leader/06 `c`, `d`).
    Score,
    /// Nonmusical sound recording, e.g. audiobook (leader/06 `i`).
    SoundRecording,
    /// Musical sound recording (leader/06 `j`).
    MusicRecording,
    /// Projected medium: film, video, DVD (leader/06 `g`).
    Video,
    /// Kit (leader/06 `o`).
    Kit,
    /// Computer file (leader/06 `m`).
    ComputerFile,
    /// 2-D graphic or 3-D artifact (leader/06 `k`, `r`).
    VisualMaterial,
    /// Manuscript language material (leader/06 `t`).
    Manuscript,
    /// Mixed materials (leader/06 `p`).
    Mixed,
    /// Anything else (authority, holdings, unknown codes).
    Other,
}

/// A personal, corporate or meeting name from 1XX/7XX.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Name {
    /// Display form (name subfields joined, punctuation trimmed).
    pub name: String,
    /// Relator terms (`$e`, `$j`) and codes (`$4`).
    pub roles: Vec<String>,
    /// Personal (X00), corporate (X10) or meeting (X11).
    pub kind: NameKind,
    /// True for the 1XX main entry.
    pub main_entry: bool,
}

/// Kind of name heading.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NameKind {
    /// X00
    Personal,
    /// X10
    Corporate,
    /// X11
    Meeting,
}

/// A subject heading from 6XX.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subject {
    /// Tag (`650`, `600`, ...).
    pub tag: String,
    /// Heading with subdivisions joined by ` -- `.
    pub heading: String,
    /// Thesaurus: from ind2 (`lcsh`, `lcac`, `mesh`, `nal`, `cash`, `rvm`)
    /// or `$2` when ind2 is `7`; `None` when unspecified.
    pub thesaurus: Option<String>,
}

/// A series statement (490) or series added entry (8XX).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Series {
    /// Tag (`490`, `830`, ...).
    pub tag: String,
    /// Series title (for 800-811: name and `$t` title).
    pub title: String,
    /// Volume/numbering (`$v`).
    pub volume: Option<String>,
}

/// One publication/production statement (260 or 264).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Publication {
    /// Tag (`260` or `264`).
    pub tag: String,
    /// 264 ind2 (`0` production, `1` publication, `2` distribution,
    /// `3` manufacture, `4` copyright); `None` for 260.
    pub function: Option<char>,
    /// `$a`
    pub place: Option<String>,
    /// `$b`
    pub publisher: Option<String>,
    /// `$c`
    pub date: Option<String>,
}

/// An ISBN as recorded (020).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Isbn {
    /// The number with qualifiers removed (not validated).
    pub value: String,
    /// Qualifier such as `pbk.` (from a parenthesised suffix or `$q`).
    pub qualifier: Option<String>,
    /// True for `$z` (cancelled/invalid).
    pub cancelled: bool,
}

/// Status of an ISSN from 022.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IssnKind {
    /// `$a`
    Valid,
    /// `$l` ISSN-L
    Linking,
    /// `$y` incorrect
    Incorrect,
    /// `$z` cancelled
    Cancelled,
}

/// An ISSN as recorded (022).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issn {
    /// The number (trimmed, not validated).
    pub value: String,
    /// Which subfield it came from.
    pub kind: IssnKind,
}

/// Classification scheme of a call number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CallNumberScheme {
    /// 050 (Library of Congress)
    Lc,
    /// 090 (local LC-type)
    LocalLc,
    /// 082 (Dewey)
    Dewey,
    /// 092 (local Dewey)
    LocalDewey,
}

/// A call number from 050/082/090/092.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallNumber {
    /// Scheme, from the tag.
    pub scheme: CallNumberScheme,
    /// `$a` and `$b` joined with a space (`QA76.73.R87 K53 2018`).
    pub value: String,
}

/// An electronic location (856).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    /// `$u`
    pub url: String,
    /// Link text: `$y`, else `$3`, else `$z`.
    pub text: Option<String>,
    /// ind2: `0` resource, `1` version, `2` related resource.
    pub relationship: char,
}

/// Everything the index and the screens need from a bibliographic record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BibSummary {
    /// 245 $a $b $n $p, punctuation trimmed.
    pub title: Option<String>,
    /// Sort form of the title: non-filing characters (245 ind2) skipped,
    /// lower-cased, punctuation removed, spaces collapsed.
    pub sort_title: Option<String>,
    /// 245 $c.
    pub responsibility: Option<String>,
    /// 100/110/111 then 700/710/711.
    pub authors: Vec<Name>,
    /// 6XX.
    pub subjects: Vec<Subject>,
    /// 490 and 800/810/811/830.
    pub series: Vec<Series>,
    /// All 264 and 260 statements, in record order.
    pub publications: Vec<Publication>,
    /// Preferred place (264 _1, else 260, else any 264).
    pub place: Option<String>,
    /// Preferred publisher.
    pub publisher: Option<String>,
    /// Preferred date string as recorded.
    pub date: Option<String>,
    /// Year from 008/07-10, else the first plausible year in 264/260 $c.
    pub year: Option<i32>,
    /// Language codes: 008/35-37 then 041 $a (packed codes split).
    pub languages: Vec<String>,
    /// Material format.
    pub format: MaterialFormat,
    /// 020.
    pub isbns: Vec<Isbn>,
    /// 022.
    pub issns: Vec<Issn>,
    /// 010 $a (trimmed, not normalised).
    pub lccn: Option<String>,
    /// 050, 082, 090, 092.
    pub call_numbers: Vec<CallNumber>,
    /// 250 $a $b.
    pub edition: Option<String>,
    /// 300 $a $b $c $e.
    pub physical_description: Option<String>,
    /// 5XX other than 505 and 520.
    pub notes: Vec<String>,
    /// 505.
    pub contents: Vec<String>,
    /// 520.
    pub summary: Vec<String>,
    /// 856.
    pub links: Vec<Link>,
}

/// Builds the whole summary.
pub fn summarize(rec: &Record) -> BibSummary {
    let publications = publications(rec);
    let preferred = preferred_publication(&publications);
    BibSummary {
        title: title(rec),
        sort_title: sort_title(rec),
        responsibility: responsibility(rec),
        authors: authors(rec),
        subjects: subjects(rec),
        series: series(rec),
        place: preferred.and_then(|p| p.place.clone()),
        publisher: preferred.and_then(|p| p.publisher.clone()),
        date: preferred.and_then(|p| p.date.clone()),
        year: year(rec),
        publications,
        languages: languages(rec),
        format: format(rec),
        isbns: isbns(rec),
        issns: issns(rec),
        lccn: lccn(rec),
        call_numbers: call_numbers(rec),
        edition: edition(rec),
        physical_description: physical_description(rec),
        notes: notes(rec),
        contents: contents(rec),
        summary: summary(rec),
        links: links(rec),
    }
}

/// Removes trailing ISBD punctuation (` /`, ` :`, ` ;`, ` =`, `,`) and a
/// final period when the last word has at least three characters (so
/// `Smith, J.` and `Seuss, Dr.` keep theirs, as in traject), and
/// surrounding whitespace.
pub fn trim_punctuation(s: &str) -> String {
    let mut t = s.trim();
    loop {
        let before = t;
        t = t.trim_end_matches([' ', '/', ':', ';', '=', ',']);
        if let Some(stripped) = t.strip_suffix('.') {
            let last_word = stripped.rsplit([' ', '.', ',']).next().unwrap_or("");
            if last_word.chars().count() > 2 {
                t = stripped;
            }
        }
        if t == before {
            break;
        }
    }
    t.trim().to_owned()
}

fn join_subfields(f: &Field, codes: &str) -> Option<String> {
    let parts: Vec<&str> = f
        .subfields_in(codes)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    if parts.is_empty() {
        None
    } else {
        Some(trim_punctuation(&parts.join(" ")))
    }
}

/// 245 $a $b $n $p.
pub fn title(rec: &Record) -> Option<String> {
    rec.first("245").and_then(|f| join_subfields(f, "abnp"))
}

/// Sort title: 245 $a $b $n $p with the number of leading characters given
/// by ind2 (0-9) skipped, lower-cased, punctuation removed.
pub fn sort_title(rec: &Record) -> Option<String> {
    let f = rec.first("245")?;
    let raw: Vec<&str> = f.subfields_in("abnp").collect();
    if raw.is_empty() {
        return None;
    }
    let full = raw.join(" ");
    let skip = f
        .indicators()
        .and_then(|(_, i2)| i2.to_digit(10))
        .unwrap_or(0) as usize;
    let rest: String = full.chars().skip(skip).collect();
    Some(sort_key(&rest))
}

/// Normalises a string for sorting: lower case, letters/digits kept,
/// everything else folded to single spaces.
pub fn sort_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        } else {
            space = true;
        }
    }
    out
}

/// 245 $c.
pub fn responsibility(rec: &Record) -> Option<String> {
    rec.first("245").and_then(|f| join_subfields(f, "c"))
}

/// Names from 100/110/111/700/710/711.
pub fn authors(rec: &Record) -> Vec<Name> {
    let mut out = Vec::new();
    for tag in ["100", "110", "111", "700", "710", "711"] {
        let (kind, codes) = match &tag[1..] {
            "00" => (NameKind::Personal, "abcdq"),
            "10" => (NameKind::Corporate, "abcdn"),
            _ => (NameKind::Meeting, "acdenq"),
        };
        for f in rec.fields(tag) {
            let Some(name) = join_subfields(f, codes) else {
                continue;
            };
            let role_codes = if kind == NameKind::Meeting {
                "j4"
            } else {
                "e4"
            };
            let roles = f
                .subfields_in(role_codes)
                .map(trim_punctuation)
                .filter(|r| !r.is_empty())
                .collect();
            out.push(Name {
                name,
                roles,
                kind,
                main_entry: tag.starts_with('1'),
            });
        }
    }
    out
}

/// Subject headings from all 6XX fields.
pub fn subjects(rec: &Record) -> Vec<Subject> {
    let mut out = Vec::new();
    for f in rec.fields_matching("6XX") {
        let mut main = Vec::new();
        let mut subdivisions = Vec::new();
        for s in f.subfield_list() {
            let v = s.value.trim();
            if v.is_empty() {
                continue;
            }
            match s.code {
                'v' | 'x' | 'y' | 'z' => subdivisions.push(trim_punctuation(v)),
                c if c.is_ascii_lowercase() => main.push(v),
                _ => {}
            }
        }
        if main.is_empty() && subdivisions.is_empty() {
            continue;
        }
        let mut heading = trim_punctuation(&main.join(" "));
        for sd in subdivisions {
            if !heading.is_empty() {
                heading.push_str(" -- ");
            }
            heading.push_str(&sd);
        }
        let thesaurus = match f.indicators().map(|i| i.1) {
            Some('0') => Some("lcsh".to_owned()),
            Some('1') => Some("lcac".to_owned()),
            Some('2') => Some("mesh".to_owned()),
            Some('3') => Some("nal".to_owned()),
            Some('5') => Some("cash".to_owned()),
            Some('6') => Some("rvm".to_owned()),
            Some('7') => f.subfield('2').map(|s| s.trim().to_owned()),
            _ => None,
        };
        out.push(Subject {
            tag: f.tag().as_str().to_owned(),
            heading,
            thesaurus,
        });
    }
    out
}

/// Series from 490 and 800/810/811/830.
pub fn series(rec: &Record) -> Vec<Series> {
    let mut out = Vec::new();
    for f in rec.fields("490") {
        if let Some(title) = join_subfields(f, "a") {
            out.push(Series {
                tag: "490".to_owned(),
                title,
                volume: join_subfields(f, "v"),
            });
        }
    }
    for (tag, codes) in [
        ("800", "abcdqt"),
        ("810", "abt"),
        ("811", "acdnt"),
        ("830", "anp"),
    ] {
        for f in rec.fields(tag) {
            if let Some(title) = join_subfields(f, codes) {
                out.push(Series {
                    tag: tag.to_owned(),
                    title,
                    volume: join_subfields(f, "v"),
                });
            }
        }
    }
    out
}

/// All 260 and 264 statements in record order.
pub fn publications(rec: &Record) -> Vec<Publication> {
    rec.fields
        .iter()
        .filter(|f| matches!(f.tag().as_str(), "260" | "264"))
        .map(|f| Publication {
            tag: f.tag().as_str().to_owned(),
            function: if f.tag().as_str() == "264" {
                f.indicators().map(|i| i.1)
            } else {
                None
            },
            place: join_subfields(f, "a"),
            publisher: join_subfields(f, "b"),
            date: join_subfields(f, "c"),
        })
        .collect()
}

fn preferred_publication(p: &[Publication]) -> Option<&Publication> {
    p.iter()
        .find(|x| x.tag == "264" && x.function == Some('1'))
        .or_else(|| p.iter().find(|x| x.tag == "260"))
        .or_else(|| p.first())
}

/// First plausible year (1000-2999) in a free-text date such as `c1999.`
/// or `[1998?]`.
pub fn year_in_text(s: &str) -> Option<i32> {
    let b = s.as_bytes();
    (0..b.len().saturating_sub(3)).find_map(|i| {
        let w = &b[i..i + 4];
        let boundary_before = i == 0 || !b[i - 1].is_ascii_digit();
        let boundary_after = b.get(i + 4).is_none_or(|c| !c.is_ascii_digit());
        if boundary_before
            && boundary_after
            && w.iter().all(u8::is_ascii_digit)
            && (w[0] == b'1' || w[0] == b'2')
        {
            std::str::from_utf8(w).ok()?.parse().ok()
        } else {
            None
        }
    })
}

/// Year: 008/07-10 when it is exact (`1998`) or names a decade (`199u`
/// -> 1990); when it is vaguer (`19uu`) the first year in 264 _1 $c, 260 $c
/// or any 264 $c wins, and only then the century (`19uu` -> 1900).
pub fn year(rec: &Record) -> Option<i32> {
    let mut vague = None;
    if let Some(f008) = rec.first("008").and_then(Field::control_value)
        && let Some(d) = f008.get(7..11)
    {
        let digits = d.trim_end_matches('u');
        if (2..=4).contains(&digits.len())
            && digits.bytes().all(|c| c.is_ascii_digit())
            && !digits.starts_with('0')
            && let Ok(y) = format!("{digits:0<4}").parse::<i32>()
            && y >= 1000
        {
            if digits.len() >= 3 {
                return Some(y);
            }
            vague = Some(y);
        }
    }
    let p = publications(rec);
    let ordered = p
        .iter()
        .filter(|x| x.tag == "264" && x.function == Some('1'))
        .chain(p.iter().filter(|x| x.tag == "260"))
        .chain(p.iter().filter(|x| x.tag == "264"));
    for x in ordered {
        if let Some(y) = x.date.as_deref().and_then(year_in_text) {
            return Some(y);
        }
    }
    vague
}

/// Language codes: 008/35-37 (when three letters), then 041 $a, with
/// packed values like `engfre` split into three-letter codes. Deduplicated,
/// lower-cased, in order.
pub fn languages(rec: &Record) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |c: &str| {
        let c = c.trim().to_ascii_lowercase();
        if c.len() == 3 && c.bytes().all(|b| b.is_ascii_lowercase()) && !out.contains(&c) {
            out.push(c);
        }
    };
    if let Some(code) = rec
        .first("008")
        .and_then(Field::control_value)
        .and_then(|v| v.get(35..38))
    {
        push(code);
    }
    for f in rec.fields("041") {
        for v in f.subfields('a') {
            let v = v.trim();
            if v.len() > 3 && v.len() % 3 == 0 && v.is_ascii() {
                for i in (0..v.len()).step_by(3) {
                    push(&v[i..i + 3]);
                }
            } else {
                push(v);
            }
        }
    }
    out
}

/// Material format from leader/06-07, 007 and 008/23.
pub fn format(rec: &Record) -> MaterialFormat {
    let l = &rec.leader;
    let online = || {
        rec.fields("007")
            .any(|f| f.control_value().is_some_and(|v| v.starts_with("cr")))
            || rec
                .first("008")
                .and_then(Field::control_value)
                .and_then(|v| v.chars().nth(23))
                .is_some_and(|c| matches!(c, 'o' | 'q' | 's'))
    };
    match l.record_type() {
        'a' | 't' => {
            if matches!(l.bib_level(), 'b' | 'i' | 's') {
                MaterialFormat::Serial
            } else if l.record_type() == 't' {
                MaterialFormat::Manuscript
            } else if online() {
                MaterialFormat::EBook
            } else {
                MaterialFormat::Book
            }
        }
        'c' | 'd' => MaterialFormat::Score,
        'e' | 'f' => MaterialFormat::Map,
        'g' => MaterialFormat::Video,
        'i' => MaterialFormat::SoundRecording,
        'j' => MaterialFormat::MusicRecording,
        'k' | 'r' => MaterialFormat::VisualMaterial,
        'm' => MaterialFormat::ComputerFile,
        'o' => MaterialFormat::Kit,
        'p' => MaterialFormat::Mixed,
        _ => MaterialFormat::Other,
    }
}

/// Splits `0394800168 (pbk.)` into the number and the qualifier.
fn split_qualifier(s: &str) -> (String, Option<String>) {
    let s = s.trim();
    let cut = s.find([' ', '(', ':', ';']).unwrap_or(s.len());
    let value = s[..cut].trim().to_owned();
    let q = s[cut..]
        .trim()
        .trim_start_matches([':', ';'])
        .trim()
        .trim_start_matches('(')
        .trim_end_matches(')')
        .trim();
    (value, (!q.is_empty()).then(|| q.to_owned()))
}

/// ISBNs from 020 $a (valid as recorded) and $z (cancelled), qualifiers
/// split off; `$q` supplies the qualifier when there is none in the value.
pub fn isbns(rec: &Record) -> Vec<Isbn> {
    let mut out = Vec::new();
    for f in rec.fields("020") {
        let q = f.subfield('q').map(trim_punctuation);
        for s in f.subfield_list() {
            let cancelled = match s.code {
                'a' => false,
                'z' => true,
                _ => continue,
            };
            let (value, qualifier) = split_qualifier(&s.value);
            if value.is_empty() {
                continue;
            }
            out.push(Isbn {
                value,
                qualifier: qualifier.or_else(|| q.clone()),
                cancelled,
            });
        }
    }
    out
}

/// ISSNs from 022 ($a, $l, $y, $z).
pub fn issns(rec: &Record) -> Vec<Issn> {
    let mut out = Vec::new();
    for f in rec.fields("022") {
        for s in f.subfield_list() {
            let kind = match s.code {
                'a' => IssnKind::Valid,
                'l' => IssnKind::Linking,
                'y' => IssnKind::Incorrect,
                'z' => IssnKind::Cancelled,
                _ => continue,
            };
            let (value, _) = split_qualifier(&s.value);
            if !value.is_empty() {
                out.push(Issn { value, kind });
            }
        }
    }
    out
}

/// 010 $a, trimmed (the LCCN crate normalises).
pub fn lccn(rec: &Record) -> Option<String> {
    rec.first_subfield("010", 'a')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// Call numbers from 050, 090 (LC) and 082, 092 (Dewey); `$a` and `$b`
/// joined. Repeated `$a` in 050 are alternatives: each becomes an entry.
pub fn call_numbers(rec: &Record) -> Vec<CallNumber> {
    let mut out = Vec::new();
    for (tag, scheme) in [
        ("050", CallNumberScheme::Lc),
        ("090", CallNumberScheme::LocalLc),
        ("082", CallNumberScheme::Dewey),
        ("092", CallNumberScheme::LocalDewey),
    ] {
        for f in rec.fields(tag) {
            let b = f.subfield('b').map(str::trim).filter(|s| !s.is_empty());
            for a in f.subfields('a') {
                let a = a.trim();
                if a.is_empty() {
                    continue;
                }
                let value = match b {
                    Some(b) => format!("{a} {b}"),
                    None => a.to_owned(),
                };
                out.push(CallNumber { scheme, value });
            }
        }
    }
    out
}

/// 250 $a $b.
pub fn edition(rec: &Record) -> Option<String> {
    rec.first("250").and_then(|f| join_subfields(f, "ab"))
}

/// 300 $a $b $c $e.
pub fn physical_description(rec: &Record) -> Option<String> {
    rec.first("300").and_then(|f| join_subfields(f, "abce"))
}

fn note_text(f: &Field) -> Option<String> {
    let parts: Vec<&str> = f
        .subfield_list()
        .iter()
        .filter(|s| s.code.is_ascii_lowercase())
        .map(|s| s.value.trim())
        .filter(|s| !s.is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// General notes: all 5XX except 505 (contents) and 520 (summary).
pub fn notes(rec: &Record) -> Vec<String> {
    rec.fields_matching("5XX")
        .filter(|f| !matches!(f.tag().as_str(), "505" | "520"))
        .filter_map(note_text)
        .collect()
}

/// Contents notes (505), basic or enhanced.
pub fn contents(rec: &Record) -> Vec<String> {
    rec.fields("505").filter_map(note_text).collect()
}

/// Summaries (520 $a $b).
pub fn summary(rec: &Record) -> Vec<String> {
    rec.fields("520")
        .filter_map(|f| join_subfields(f, "ab"))
        .collect()
}

/// Links from 856 $u.
pub fn links(rec: &Record) -> Vec<Link> {
    let mut out = Vec::new();
    for f in rec.fields("856") {
        let text = f
            .subfield('y')
            .or_else(|| f.subfield('3'))
            .or_else(|| f.subfield('z'))
            .map(trim_punctuation);
        let relationship = f.indicators().map_or(' ', |i| i.1);
        for u in f.subfields('u') {
            let u = u.trim();
            if !u.is_empty() {
                out.push(Link {
                    url: u.to_owned(),
                    text: text.clone(),
                    relationship,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{Leader, Subfield, Tag};
    use proptest::prelude::*;

    fn df(tag: &str, i1: char, i2: char, subs: &[(char, &str)]) -> Field {
        Field::data(
            Tag::parse(tag).unwrap(),
            i1,
            i2,
            subs.iter().map(|(c, v)| Subfield::new(*c, *v)).collect(),
        )
    }

    fn cf(tag: &str, v: &str) -> Field {
        Field::control(Tag::parse(tag).unwrap(), v)
    }

    fn sample() -> Record {
        Record {
            leader: Leader(*b"00000cam a2200000 i 4500"),
            fields: vec![
                cf("001", "123"),
                cf("008", "180102s2018    nyua   j      000 1 eng d"),
                df("010", ' ', ' ', &[('a', "  2017046530")]),
                df(
                    "020",
                    ' ',
                    ' ',
                    &[('a', "9780316484725 (hardcover)"), ('z', "0316484725")],
                ),
                df("020", ' ', ' ', &[('a', "0394800168"), ('q', "pbk.")]),
                df("022", ' ', ' ', &[('a', "0148-2076"), ('y', "0148-2075")]),
                df("041", '1', ' ', &[('a', "engfre"), ('h', "ger")]),
                df("050", '0', '0', &[('a', "PZ7.1.S33"), ('b', "Ho 2018")]),
                df("082", '0', '4', &[('a', "[Fic]"), ('2', "23")]),
                df("100", '1', ' ', &[('a', "Smith, J."), ('e', "author.")]),
                df(
                    "245",
                    '1',
                    '4',
                    &[
                        ('a', "The hobbit :"),
                        ('b', "there and back again /"),
                        ('c', "J.R.R. Tolkien."),
                    ],
                ),
                df("250", ' ', ' ', &[('a', "First edition.")]),
                df(
                    "264",
                    ' ',
                    '1',
                    &[
                        ('a', "New York :"),
                        ('b', "Little, Brown,"),
                        ('c', "[2018]"),
                    ],
                ),
                df("264", ' ', '4', &[('c', "©2017")]),
                df(
                    "300",
                    ' ',
                    ' ',
                    &[
                        ('a', "310 pages :"),
                        ('b', "illustrations ;"),
                        ('c', "22 cm"),
                    ],
                ),
                df("490", '1', ' ', &[('a', "Middle-earth ;"), ('v', "1")]),
                df("500", ' ', ' ', &[('a', "Includes index.")]),
                df("505", '0', ' ', &[('a', "Ch. 1 -- Ch. 2.")]),
                df("520", ' ', ' ', &[('a', "A hobbit goes on an adventure.")]),
                df("650", ' ', '0', &[('a', "Dragons"), ('v', "Fiction.")]),
                df("650", ' ', '7', &[('a', "Wizards."), ('2', "fast")]),
                df(
                    "700",
                    '1',
                    ' ',
                    &[
                        ('a', "Baynes, Pauline,"),
                        ('d', "1922-2008,"),
                        ('e', "illustrator."),
                    ],
                ),
                df("830", ' ', '0', &[('a', "Middle-earth."), ('v', "1")]),
                df(
                    "856",
                    '4',
                    '1',
                    &[('u', "https://example.org/h"), ('y', "Online version")],
                ),
            ],
        }
    }

    #[test]
    fn summary_of_sample() {
        let s = summarize(&sample());
        assert_eq!(
            s.title.as_deref(),
            Some("The hobbit : there and back again")
        );
        assert_eq!(s.sort_title.as_deref(), Some("hobbit there and back again"));
        assert_eq!(s.responsibility.as_deref(), Some("J.R.R. Tolkien"));
        assert_eq!(s.authors.len(), 2);
        assert_eq!(s.authors[0].name, "Smith, J.");
        assert_eq!(s.authors[0].roles, vec!["author"]);
        assert!(s.authors[0].main_entry);
        assert_eq!(s.authors[1].name, "Baynes, Pauline, 1922-2008");
        assert_eq!(s.subjects[0].heading, "Dragons -- Fiction");
        assert_eq!(s.subjects[0].thesaurus.as_deref(), Some("lcsh"));
        assert_eq!(s.subjects[1].thesaurus.as_deref(), Some("fast"));
        assert_eq!(s.series.len(), 2);
        assert_eq!(s.series[0].volume.as_deref(), Some("1"));
        assert_eq!(s.publisher.as_deref(), Some("Little, Brown"));
        assert_eq!(s.place.as_deref(), Some("New York"));
        assert_eq!(s.date.as_deref(), Some("[2018]"));
        assert_eq!(s.year, Some(2018));
        assert_eq!(s.languages, vec!["eng", "fre"]);
        assert_eq!(s.format, MaterialFormat::Book);
        assert_eq!(s.isbns[0].value, "9780316484725");
        assert_eq!(s.isbns[0].qualifier.as_deref(), Some("hardcover"));
        assert!(s.isbns[1].cancelled);
        assert_eq!(s.isbns[2].qualifier.as_deref(), Some("pbk"));
        assert_eq!(s.issns[1].kind, IssnKind::Incorrect);
        assert_eq!(s.lccn.as_deref(), Some("2017046530"));
        assert_eq!(s.call_numbers[0].value, "PZ7.1.S33 Ho 2018");
        assert_eq!(s.call_numbers[1].scheme, CallNumberScheme::Dewey);
        assert_eq!(s.edition.as_deref(), Some("First edition"));
        assert_eq!(
            s.physical_description.as_deref(),
            Some("310 pages : illustrations ; 22 cm")
        );
        assert_eq!(s.notes, vec!["Includes index."]);
        assert_eq!(s.contents, vec!["Ch. 1 -- Ch. 2."]);
        assert_eq!(s.summary, vec!["A hobbit goes on an adventure"]);
        assert_eq!(s.links[0].text.as_deref(), Some("Online version"));
        assert_eq!(s.links[0].relationship, '1');
    }

    #[test]
    fn formats() {
        let mut r = sample();
        r.fields.push(cf("007", "cr |n|||||||||"));
        assert_eq!(format(&r), MaterialFormat::EBook);
        r.leader.0[7] = b's';
        assert_eq!(format(&r), MaterialFormat::Serial);
        for (t, f) in [
            (b'j', MaterialFormat::MusicRecording),
            (b'i', MaterialFormat::SoundRecording),
            (b'g', MaterialFormat::Video),
            (b'e', MaterialFormat::Map),
            (b'c', MaterialFormat::Score),
            (b'm', MaterialFormat::ComputerFile),
            (b'o', MaterialFormat::Kit),
            (b'k', MaterialFormat::VisualMaterial),
            (b'p', MaterialFormat::Mixed),
            (b'z', MaterialFormat::Other),
        ] {
            r.leader.0[6] = t;
            assert_eq!(format(&r), f);
        }
    }

    #[test]
    fn years() {
        let mut r = sample();
        r.fields[1] = cf("008", "180102s199u    nyua   j      000 1 eng d");
        assert_eq!(year(&r), Some(1990));
        r.fields[1] = cf("008", "180102nuuuuuuuunyua   j      000 1 eng d");
        assert_eq!(year(&r), Some(2018)); // from 264 _1 $c [2018]
        assert_eq!(year_in_text("c1999."), Some(1999));
        assert_eq!(year_in_text("12345"), None);
        assert_eq!(year_in_text("[n.d.]"), None);
    }

    #[test]
    fn punctuation() {
        assert_eq!(trim_punctuation("Title /"), "Title");
        assert_eq!(trim_punctuation("Smith, J."), "Smith, J.");
        assert_eq!(trim_punctuation("Fiction."), "Fiction");
        assert_eq!(trim_punctuation("Seuss, Dr."), "Seuss, Dr.");
        assert_eq!(trim_punctuation("a ; b :"), "a ; b");
    }

    proptest! {
        #[test]
        fn sort_key_is_idempotent_and_clean(s in "\\PC{0,40}") {
            let k = sort_key(&s);
            prop_assert_eq!(sort_key(&k), k.clone());
            prop_assert!(!k.starts_with(' ') && !k.ends_with(' ') && !k.contains("  "));
        }

        #[test]
        fn helpers_never_panic(tag in "[0-9]{3}", i2 in proptest::char::any(), v in "\\PC{0,30}") {
            let mut r = sample();
            r.fields.push(df(&tag, ' ', i2, &[('a', v.as_str()), ('c', v.as_str())]));
            r.fields.push(cf("008", &v));
            let _ = summarize(&r);
            let _ = trim_punctuation(&v);
            let _ = year_in_text(&v);
        }
    }
}
