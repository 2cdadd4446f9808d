//! The 008 (fixed-length data elements) of MARC 21 bibliographic records,
//! per material configuration: which material a record is (from leader/06
//! type of record and leader/07 bibliographic level, as the standard says),
//! the labelled positions of each configuration with their allowed codes,
//! the undefined positions, splitting a 008 into its parts and checking it.
//!
//! Source: MARC 21 Format for Bibliographic Data, 008 — All Materials and
//! 008/18-34 for Books (BK), Continuing Resources (CR), Computer Files (CF),
//! Maps (MP), Music (MU), Visual Materials (VM) and Mixed Materials (MX).
//!
//! # Errors and warnings
//! * **Error** (the record is not saved): the 008 is not 40 characters
//!   (`f008-length`), or a position holds a character that is no code in
//!   any position of any configuration — anything outside printable ASCII
//!   (`f008-character`). Such a value cannot be right whatever the material.
//! * **Warning** (saved once the cataloger confirms): a code that is not
//!   among the position's allowed values (`position-value`, the message
//!   names the position and lists the allowed values), a character other
//!   than blank or fill (`|`) in an undefined position
//!   (`position-undefined`). Real records carry obsolete codes (LoC records
//!   from decades of practice) and must stay editable.
//!
//! Nothing here panics on any input.

use crate::edit::{Issue, Place, Severity};

/// The material configuration that decides the 008/18-34 layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Material {
    /// Language material / manuscript language material, monographic (BK).
    Books,
    /// Continuing resources (CR).
    Serials,
    /// Cartographic material (MP).
    Maps,
    /// Notated music and sound recordings (MU).
    Music,
    /// Computer files (CF).
    Computer,
    /// Visual materials (VM).
    Visual,
    /// Mixed materials (MX).
    Mixed,
}

/// Every material, in order.
pub const MATERIALS: &[Material] = &[
    Material::Books,
    Material::Serials,
    Material::Maps,
    Material::Music,
    Material::Computer,
    Material::Visual,
    Material::Mixed,
];

impl Material {
    /// Stable name (`books`, `serials` …).
    pub fn as_str(self) -> &'static str {
        match self {
            Material::Books => "books",
            Material::Serials => "serials",
            Material::Maps => "maps",
            Material::Music => "music",
            Material::Computer => "computer",
            Material::Visual => "visual",
            Material::Mixed => "mixed",
        }
    }

    /// From leader/06 (type of record) and leader/07 (bibliographic level):
    /// `a`/`t` are books unless leader/07 is `b`, `i` or `s` (continuing
    /// resources; for `t` too, as the 008 configuration table has it only
    /// for `a` — a manuscript serial is still books); `c d i j` music; `e f`
    /// maps; `g k o r` visual; `m` computer files; `p` mixed. An unknown
    /// type falls back to books.
    pub fn of(record_type: char, bib_level: char) -> Material {
        match record_type {
            'a' if matches!(bib_level, 'b' | 'i' | 's') => Material::Serials,
            'a' | 't' => Material::Books,
            'e' | 'f' => Material::Maps,
            'c' | 'd' | 'i' | 'j' => Material::Music,
            'm' => Material::Computer,
            'g' | 'k' | 'o' | 'r' => Material::Visual,
            'p' => Material::Mixed,
            _ => Material::Books,
        }
    }

    /// The material of a leader (24 characters; shorter is read leniently).
    pub fn of_leader(leader: &str) -> Material {
        let mut c = leader.chars().skip(6);
        Material::of(c.next().unwrap_or('a'), c.next().unwrap_or('m'))
    }
}

/// A labelled position (or range) of the leader or the 008.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Position {
    /// First character position (0-based).
    pub start: usize,
    /// Number of characters.
    pub len: usize,
    /// Label key suffix (`ldr-06`, `f008-books-23` …).
    pub key: &'static str,
    /// Allowed values of each character (`' '` is blank; `|` = no attempt
    /// to code). With `digits`: the characters allowed besides digits.
    /// Empty (and no `codes`, not `digits`): free text.
    pub allowed: &'static str,
    /// Digits, plus the characters in `allowed`; all `|` is always allowed.
    pub digits: bool,
    /// The value labels are translated (`<key>-<code>`).
    pub labelled: bool,
    /// For multi-character coded positions: the allowed whole values.
    #[serde(skip)]
    pub codes: &'static [&'static str],
}

pub(crate) const fn pos(
    start: usize,
    len: usize,
    key: &'static str,
    allowed: &'static str,
) -> Position {
    Position {
        start,
        len,
        key,
        allowed,
        digits: false,
        labelled: false,
        codes: &[],
    }
}

const fn digits(start: usize, len: usize, key: &'static str, also: &'static str) -> Position {
    Position {
        digits: true,
        ..pos(start, len, key, also)
    }
}

const fn codes(
    start: usize,
    len: usize,
    key: &'static str,
    list: &'static [&'static str],
) -> Position {
    Position {
        codes: list,
        ..pos(start, len, key, "")
    }
}

impl Position {
    /// Whether `part` (the characters at this position) is an allowed value.
    pub fn accepts(&self, part: &[char]) -> bool {
        if part.len() != self.len {
            return false;
        }
        if !self.codes.is_empty() {
            let s: String = part.iter().collect();
            return self.codes.contains(&s.as_str());
        }
        if self.digits {
            return part.iter().all(|c| *c == '|')
                || part
                    .iter()
                    .all(|c| c.is_ascii_digit() || self.allowed.contains(*c));
        }
        self.allowed.is_empty() || part.iter().all(|c| self.allowed.contains(*c))
    }

    /// The allowed values for a message: `#, a, b, |` (blank as `#`),
    /// `0–9, u, #` for digit positions, empty for free text.
    pub fn allowed_text(&self) -> String {
        let show = |c: char| if c == ' ' { '#' } else { c };
        if !self.codes.is_empty() {
            return self
                .codes
                .iter()
                .map(|c| c.chars().map(show).collect::<String>())
                .collect::<Vec<_>>()
                .join(", ");
        }
        let mut parts: Vec<String> = Vec::new();
        if self.digits {
            parts.push("0–9".into());
        }
        parts.extend(self.allowed.chars().map(|c| show(c).to_string()));
        if self.digits && !self.allowed.contains('|') {
            parts.push("|".repeat(self.len));
        }
        parts.join(", ")
    }

    /// `06` or `07-10`.
    pub fn range(&self) -> String {
        if self.len > 1 {
            format!("{:02}-{:02}", self.start, self.start + self.len - 1)
        } else {
            format!("{:02}", self.start)
        }
    }
}

// ---- 008/00-17 and 35-39: all materials ----

const HEAD: &[Position] = &[
    digits(0, 6, "f008-00", " "),
    pos(6, 1, "f008-06", "bcdeikmnpqrstu|"),
    digits(7, 4, "f008-07", "u "),
    digits(11, 4, "f008-11", "u "),
    pos(15, 3, "f008-15", ""),
];

const TAIL: &[Position] = &[
    pos(35, 3, "f008-35", ""),
    pos(38, 1, "f008-38", " dorsx|"),
    pos(39, 1, "f008-39", " cdu|"),
];

const GOVT: &str = " acfilmosuz|";
const FORM_OF_ITEM: &str = " abcdfoqrs|";
const AUDIENCE: &str = " abcdefgj|";

// ---- 008/18-34 per configuration ----

const BOOKS: &[Position] = &[
    pos(18, 4, "f008-books-18", " abcdefghijklmop|"),
    pos(22, 1, "f008-books-22", AUDIENCE),
    pos(23, 1, "f008-books-23", FORM_OF_ITEM),
    pos(24, 4, "f008-books-24", " abcdefgijklmnopqrstuvwyz256|"),
    pos(28, 1, "f008-books-28", GOVT),
    pos(29, 1, "f008-books-29", "01|"),
    pos(30, 1, "f008-books-30", "01|"),
    pos(31, 1, "f008-books-31", "01|"),
    pos(33, 1, "f008-books-33", "01defhijmpsu|"),
    pos(34, 1, "f008-books-34", " abcd|"),
];

const SERIAL_CONTENTS: &str = " abcdefghiklmnopqrstuvwyz56|";

const SERIALS: &[Position] = &[
    pos(18, 1, "f008-serials-18", " abcdefghijkmqstuwz|"),
    pos(19, 1, "f008-serials-19", " nrux|"),
    pos(21, 1, "f008-serials-21", " dglmnpw|"),
    pos(22, 1, "f008-serials-22", " abcdefhoqrs|"),
    pos(23, 1, "f008-serials-23", FORM_OF_ITEM),
    pos(24, 1, "f008-serials-24", SERIAL_CONTENTS),
    pos(25, 3, "f008-serials-25", SERIAL_CONTENTS),
    pos(28, 1, "f008-serials-28", GOVT),
    pos(29, 1, "f008-serials-29", "01|"),
    pos(33, 1, "f008-serials-33", " abcdefghijklmnopqrstuvwxyz|"),
    pos(34, 1, "f008-serials-34", "012|"),
];

const PROJECTIONS: &[&str] = &[
    "  ", "aa", "ab", "ac", "ad", "ae", "af", "ag", "am", "an", "ap", "au", "az", "ba", "bb", "bc",
    "bd", "be", "bf", "bg", "bh", "bi", "bj", "bk", "bl", "bo", "br", "bs", "bu", "bz", "ca", "cb",
    "cc", "ce", "cp", "cu", "cz", "da", "db", "dc", "dd", "de", "df", "dg", "dh", "dl", "zz", "||",
];

const MAPS: &[Position] = &[
    pos(18, 4, "f008-maps-18", " abcdefgijkmz|"),
    codes(22, 2, "f008-maps-22", PROJECTIONS),
    pos(25, 1, "f008-maps-25", "abcdefguz|"),
    pos(28, 1, "f008-maps-28", GOVT),
    pos(29, 1, "f008-maps-29", FORM_OF_ITEM),
    pos(31, 1, "f008-maps-31", "01|"),
    pos(33, 2, "f008-maps-33", " ejklnoprz|"),
];

const COMPOSITIONS: &[&str] = &[
    "an", "bd", "bg", "bl", "bt", "ca", "cb", "cc", "cg", "ch", "cl", "cn", "co", "cp", "cr", "cs",
    "ct", "cy", "cz", "df", "dv", "fg", "fl", "fm", "ft", "gm", "hy", "jz", "mc", "md", "mi", "mo",
    "mp", "mr", "ms", "mu", "mz", "nc", "nn", "op", "or", "ov", "pg", "pm", "po", "pp", "pr", "ps",
    "pt", "pv", "rc", "rd", "rg", "ri", "rp", "rq", "sd", "sg", "sn", "sp", "st", "su", "sy", "tc",
    "tl", "ts", "uu", "vi", "vr", "wz", "za", "zz", "||",
];

const MUSIC: &[Position] = &[
    codes(18, 2, "f008-music-18", COMPOSITIONS),
    pos(20, 1, "f008-music-20", "abcdeghijklmnpuz|"),
    pos(21, 1, "f008-music-21", " defnu|"),
    pos(22, 1, "f008-music-22", AUDIENCE),
    pos(23, 1, "f008-music-23", FORM_OF_ITEM),
    pos(24, 6, "f008-music-24", " abcdefghikrsz|"),
    pos(30, 2, "f008-music-30", " abcdefghijklmnoprstz|"),
    pos(33, 1, "f008-music-33", " abcnu|"),
];

const COMPUTER: &[Position] = &[
    pos(22, 1, "f008-computer-22", AUDIENCE),
    pos(23, 1, "f008-computer-23", " oq|"),
    pos(26, 1, "f008-computer-26", "abcdefghijmuz|"),
    pos(28, 1, "f008-computer-28", GOVT),
];

const VISUAL: &[Position] = &[
    // 000 = more than 999 minutes, 001-999, nnn not applicable, --- unknown.
    digits(18, 3, "f008-visual-18", "-n"),
    pos(22, 1, "f008-visual-22", AUDIENCE),
    pos(28, 1, "f008-visual-28", GOVT),
    pos(29, 1, "f008-visual-29", FORM_OF_ITEM),
    pos(33, 1, "f008-visual-33", "abcdfgiklmnopqrstvwz|"),
    pos(34, 1, "f008-visual-34", "aclnuz|"),
];

const MIXED: &[Position] = &[pos(23, 1, "f008-mixed-23", FORM_OF_ITEM)];

/// The labelled 008/18-34 positions of a material.
pub fn material_positions(m: Material) -> &'static [Position] {
    match m {
        Material::Books => BOOKS,
        Material::Serials => SERIALS,
        Material::Maps => MAPS,
        Material::Music => MUSIC,
        Material::Computer => COMPUTER,
        Material::Visual => VISUAL,
        Material::Mixed => MIXED,
    }
}

/// The 008 positions of a material, in order (all-materials head, material
/// specific, all-materials tail).
pub fn layout(m: Material) -> Vec<Position> {
    HEAD.iter()
        .chain(material_positions(m))
        .chain(TAIL)
        .copied()
        .collect()
}

/// The undefined 008 positions of a material (blank or fill `|` only), as
/// (start, length) ranges in order.
pub fn undefined(m: Material) -> Vec<(usize, usize)> {
    let mut covered = [false; 40];
    for p in layout(m) {
        for slot in covered.iter_mut().skip(p.start).take(p.len) {
            *slot = true;
        }
    }
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (i, c) in covered.iter().enumerate() {
        if *c {
            continue;
        }
        match out.last_mut() {
            Some((s, l)) if *s + *l == i => *l += 1,
            _ => out.push((i, 1)),
        }
    }
    out
}

/// One part of a split 008.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// The labelled position, or `None` for an undefined range (or, for a
    /// value longer than 40 characters, the excess).
    pub position: Option<Position>,
    /// First character position (0-based).
    pub start: usize,
    /// The characters there (shorter than the position when the 008 is).
    pub value: String,
}

/// Splits a 008 into consecutive parts covering every character: the
/// labelled positions of `m` and the undefined ranges between them, then
/// any characters past position 39. Joining the values gives the input.
pub fn split(value: &str, m: Material) -> Vec<Part> {
    let chars: Vec<char> = value.chars().collect();
    let mut bounds: Vec<(usize, usize, Option<Position>)> = layout(m)
        .into_iter()
        .map(|p| (p.start, p.len, Some(p)))
        .chain(undefined(m).into_iter().map(|(s, l)| (s, l, None)))
        .collect();
    bounds.sort_by_key(|b| b.0);
    bounds.push((40, chars.len().saturating_sub(40), None));
    bounds
        .into_iter()
        .filter_map(|(start, len, position)| {
            let part: String = chars.iter().skip(start).take(len).collect();
            (!part.is_empty() || position.is_some()).then_some(Part {
                position,
                start,
                value: part,
            })
        })
        .collect()
}

/// The concatenation of the parts (the inverse of [`split`]).
pub fn join(parts: &[Part]) -> String {
    parts.iter().map(|p| p.value.as_str()).collect()
}

fn shown(part: &[char]) -> String {
    part.iter()
        .map(|c| if *c == ' ' { '#' } else { *c })
        .collect()
}

/// Checks a 008 for a material: length, characters, each position's
/// codes, undefined positions. Issues are placed with [`Place::Fixed008`]
/// and the position's first character.
pub fn check(value: &str, m: Material) -> Vec<Issue> {
    let chars: Vec<char> = value.chars().collect();
    let mut out = Vec::new();
    if chars.len() != 40 {
        out.push(Issue::new(
            Severity::Error,
            Place::Fixed008(None),
            "f008-length",
            Some(chars.len().to_string()),
        ));
        return out;
    }
    if let Some(i) = chars.iter().position(|c| !(' '..='~').contains(c)) {
        out.push(Issue::new(
            Severity::Error,
            Place::Fixed008(Some(i)),
            "f008-character",
            Some(format!("{i:02}")),
        ));
        return out;
    }
    for p in layout(m) {
        let Some(part) = chars.get(p.start..p.start + p.len) else {
            continue;
        };
        if !p.accepts(part) {
            out.push(
                Issue::new(
                    Severity::Warning,
                    Place::Fixed008(Some(p.start)),
                    "position-value",
                    Some(shown(part)),
                )
                .with_allowed(p.allowed_text()),
            );
        }
    }
    for (start, len) in undefined(m) {
        let Some(part) = chars.get(start..start + len) else {
            continue;
        };
        if part.iter().any(|c| *c != ' ' && *c != '|') {
            let range = if len > 1 {
                format!("{start:02}-{:02}", start + len - 1)
            } else {
                format!("{start:02}")
            };
            out.push(
                Issue::new(
                    Severity::Warning,
                    Place::Fixed008(Some(start)),
                    "position-undefined",
                    Some(range),
                )
                .with_allowed("#, |".into()),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOOK: &str = "850101s1985    nyua   j      000 1 eng d";

    fn codes_of(issues: &[Issue]) -> Vec<(&'static str, Option<usize>)> {
        issues
            .iter()
            .map(|i| {
                (
                    i.code,
                    match i.place {
                        Place::Fixed008(p) => p,
                        _ => None,
                    },
                )
            })
            .collect()
    }

    #[test]
    fn material_from_leader_follows_the_configuration_table() {
        let cases = [
            ("am", Material::Books),
            ("tm", Material::Books),
            ("ac", Material::Books),
            ("as", Material::Serials),
            ("ai", Material::Serials),
            ("ab", Material::Serials),
            ("em", Material::Maps),
            ("fm", Material::Maps),
            ("cm", Material::Music),
            ("dm", Material::Music),
            ("im", Material::Music),
            ("jm", Material::Music),
            ("mm", Material::Computer),
            ("gm", Material::Visual),
            ("km", Material::Visual),
            ("om", Material::Visual),
            ("rm", Material::Visual),
            ("pc", Material::Mixed),
        ];
        for (l, m) in cases {
            let mut c = l.chars();
            let (t, b) = (c.next().unwrap_or(' '), c.next().unwrap_or(' '));
            assert_eq!(Material::of(t, b), m, "{l}");
            assert_eq!(
                Material::of_leader(&format!("00000n{l} a2200000 i 4500")),
                m
            );
        }
    }

    #[test]
    fn every_layout_covers_40_positions_without_overlap() {
        for m in MATERIALS {
            let mut seen = [0u8; 40];
            for p in layout(*m) {
                for s in seen.iter_mut().skip(p.start).take(p.len) {
                    *s += 1;
                }
            }
            for (s, l) in undefined(*m) {
                for x in seen.iter_mut().skip(s).take(l) {
                    *x += 1;
                }
            }
            assert!(seen.iter().all(|n| *n == 1), "{m:?}: {seen:?}");
            let keys: Vec<_> = layout(*m).iter().map(|p| p.key).collect();
            let mut dedup = keys.clone();
            dedup.dedup();
            assert_eq!(keys, dedup, "{m:?}");
        }
        assert_eq!(undefined(Material::Books), vec![(32, 1)]);
        assert_eq!(undefined(Material::Computer)[0], (18, 4));
        assert_eq!(undefined(Material::Mixed), vec![(18, 5), (24, 11)]);
    }

    #[test]
    fn a_good_book_008_has_no_issues() {
        assert_eq!(check(BOOK, Material::Books), vec![]);
    }

    #[test]
    fn wrong_codes_are_warnings_naming_position_and_allowed_values() {
        // 008/23 form of item "x" is not a code for books.
        let v: String = BOOK
            .chars()
            .enumerate()
            .map(|(i, c)| if i == 23 { 'x' } else { c })
            .collect();
        let issues = check(&v, Material::Books);
        assert_eq!(codes_of(&issues), vec![("position-value", Some(23))]);
        assert_eq!(issues[0].severity, Severity::Warning);
        assert_eq!(issues[0].arg.as_deref(), Some("x"));
        assert_eq!(
            issues[0].allowed.as_deref(),
            Some("#, a, b, c, d, f, o, q, r, s, |")
        );
    }

    #[test]
    fn each_material_checks_its_own_positions() {
        // A map: relief "a", projection "bb", type "a", index "0".
        let map = "850101s1985    nyua   bb a     0   eng d";
        assert_eq!(map.len(), 40);
        assert_eq!(check(map, Material::Maps), vec![]);
        // The same string is wrong as music: composition "a " is no code.
        let music = check(map, Material::Music);
        assert!(codes_of(&music).contains(&("position-value", Some(18))));
        // Projection must be one of the two-letter codes.
        let bad_proj = map.replacen("bb", "qq", 1);
        assert_eq!(
            codes_of(&check(&bad_proj, Material::Maps)),
            vec![("position-value", Some(22))]
        );
        // Visual: running time digits, "nnn" or "---".
        let video = "850101s1985    nyu120 g          vleng d";
        assert_eq!(video.len(), 40);
        assert_eq!(check(video, Material::Visual), vec![]);
        let bad_time = video.replacen("120", "1h2", 1);
        assert_eq!(
            codes_of(&check(&bad_time, Material::Visual)),
            vec![("position-value", Some(18))]
        );
        // Computer file: 26 type of file; 18-21 undefined.
        let cf = "850101s1985    nyu        d        eng d";
        assert_eq!(cf.len(), 40);
        assert_eq!(check(cf, Material::Computer), vec![]);
        let junk = "850101s1985    nyuXX      d        eng d";
        assert_eq!(
            codes_of(&check(junk, Material::Computer)),
            vec![("position-undefined", Some(18))]
        );
    }

    #[test]
    fn length_and_characters_are_errors() {
        let short = check("850101s1985", Material::Books);
        assert_eq!(codes_of(&short), vec![("f008-length", None)]);
        assert_eq!(short[0].severity, Severity::Error);
        let v: String = BOOK
            .chars()
            .enumerate()
            .map(|(i, c)| if i == 30 { 'é' } else { c })
            .collect();
        let bad = check(&v, Material::Books);
        assert_eq!(codes_of(&bad), vec![("f008-character", Some(30))]);
        assert_eq!(bad[0].severity, Severity::Error);
    }

    #[test]
    fn split_names_the_parts() {
        let parts = split(BOOK, Material::Books);
        let keys: Vec<_> = parts
            .iter()
            .map(|p| p.position.map(|x| x.key).unwrap_or("-"))
            .collect();
        assert_eq!(keys[0..3], ["f008-00", "f008-06", "f008-07"]);
        assert!(keys.contains(&"-"), "32 is undefined for books");
        let date1 = parts
            .iter()
            .find(|p| p.start == 7)
            .map(|p| p.value.as_str());
        assert_eq!(date1, Some("1985"));
        assert_eq!(join(&parts), BOOK);
    }

    proptest::proptest! {
        #[test]
        fn check_and_split_never_panic(v in "\\PC{0,60}", t in "[a-z ]", b in "[a-z ]") {
            let m = Material::of_leader(&format!("000000{t}{b}"));
            let _ = check(&v, m);
            proptest::prop_assert_eq!(join(&split(&v, m)), v);
        }

        #[test]
        fn split_round_trips_for_every_material(v in "[ -~]{40}") {
            for m in MATERIALS {
                let parts = split(&v, *m);
                proptest::prop_assert_eq!(join(&parts), v.clone());
                let starts: Vec<usize> = parts.iter().map(|p| p.start).collect();
                let mut sorted = starts.clone();
                sorted.sort_unstable();
                proptest::prop_assert_eq!(starts, sorted);
                // Only code warnings: every character is printable ASCII.
                proptest::prop_assert!(check(&v, *m).iter().all(|i| i.severity == Severity::Warning));
            }
        }
    }
}
