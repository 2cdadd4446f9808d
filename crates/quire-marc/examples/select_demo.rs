//! Builds Quire's demo catalog from the Library of Congress "BooksAll 2016
//! part 01" file (250,000 public-domain MARC 21 records, shipped in the
//! pymarc 5.4.0 sdist; fetch it with `shared/data/fetch-loc-books.sh`).
//!
//! ```text
//! cargo run --release -p quire-marc --example select_demo -- \
//!     /work/shared-cache/BooksAll.2016.part01.utf8 crates/quire/demo
//! ```
//!
//! Writes into the output directory:
//! * `catalog.mrc` — the selected records, re-serialised by quire-marc
//!   (ISO 2709, UTF-8, leader/09 `a`);
//! * `items.tsv` — the copies the demo creates for those records;
//! * `patrons.tsv` — the demo patrons;
//! * the distribution tables between the markers in `README.md` (when the
//!   file exists), also printed on stdout.
//!
//! The selection is deterministic: records are chosen per category in a
//! fixed order, ranked by a preference score (ISBN, LC class number, original
//! script, ...) and then by a seeded FNV-1a hash of the 001, so a re-run on
//! the same source gives byte-identical files.

use std::collections::{BTreeMap, HashSet};
use std::error::Error;
use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use quire_domain::callnumber::{self, Kind, Scheme};
use quire_domain::ident::BarcodeScheme;
use quire_marc::bib::{self, CallNumberScheme, MaterialFormat};
use quire_marc::{Iso2709Reader, Iso2709Writer, ReadRecord, Record};
use unicode_normalization::UnicodeNormalization;

/// Seed mixed into every hash: change it to draw a different (still
/// deterministic) sample.
const SEED: &str = "quire-demo-2026";
/// Institution code in the demo barcodes (`3` + this + sequence + check).
const INSTITUTION: u16 = 1001;
/// Records larger than this are skipped (keeps the file small and the
/// screens readable).
const MAX_RECORD_BYTES: usize = 4000;

const PHILIPPINE_LANGS: &[&str] = &[
    "tgl", "fil", "ceb", "ilo", "hil", "pag", "war", "bik", "pam", "phi",
];

/// What the selector needs to know about one record.
#[derive(Clone, Debug)]
struct Info {
    index: usize,
    hash: u64,
    lang: String,
    /// leader/06-07
    kind: String,
    format: MaterialFormat,
    /// 008/22 for books, blank otherwise.
    audience: char,
    /// 008/33 for books, blank otherwise.
    lit_form: char,
    /// 008/24-27 for books.
    contents: String,
    has_isbn: bool,
    /// 050 that parses as an LC classification number.
    has_lc: bool,
    has_dewey: bool,
    has_880: bool,
    subj_philippines: bool,
    subj_vietnam: bool,
}

impl Info {
    fn is_book_like(&self) -> bool {
        matches!(self.kind.as_bytes().first(), Some(b'a' | b't'))
    }
    fn is_children(&self) -> bool {
        self.is_book_like() && matches!(self.audience, 'a' | 'b' | 'c' | 'j')
    }
    fn is_fiction(&self) -> bool {
        self.is_book_like() && matches!(self.lit_form, '1' | 'f' | 'j')
    }
    fn is_reference(&self) -> bool {
        self.is_book_like() && self.contents.contains(['d', 'e'])
    }
    /// 0 is best: missing ISBN, missing LC class number each cost one.
    fn base_rank(&self) -> u8 {
        u8::from(!self.has_isbn) + u8::from(!self.has_lc)
    }
    fn script_rank(&self) -> u8 {
        self.base_rank() + 2 * u8::from(!self.has_880)
    }
}

/// A selection category: a name, a quota and a predicate returning the
/// candidate's rank (lower is better) or `None`.
struct Category {
    name: &'static str,
    quota: usize,
    rank: fn(&Info) -> Option<u8>,
}

fn lang_cat(info: &Info, code: &str, script: bool) -> Option<u8> {
    (info.lang == code && info.kind == "am").then(|| {
        if script {
            info.script_rank()
        } else {
            info.base_rank()
        }
    })
}

fn categories() -> Vec<Category> {
    vec![
        Category {
            name: "Vietnamese-language",
            quota: 60,
            rank: |i| (i.lang == "vie").then(|| i.base_rank()),
        },
        Category {
            name: "Philippine-language",
            quota: usize::MAX,
            rank: |i| PHILIPPINE_LANGS.contains(&i.lang.as_str()).then_some(0),
        },
        Category {
            name: "English, about the Philippines",
            quota: 15,
            rank: |i| (i.lang == "eng" && i.subj_philippines).then(|| i.base_rank()),
        },
        Category {
            name: "English, about Vietnam",
            quota: 10,
            rank: |i| (i.lang == "eng" && i.subj_vietnam).then(|| i.base_rank()),
        },
        Category {
            name: "Mixed materials (leader/06 p)",
            quota: 5,
            rank: |i| i.kind.starts_with('p').then(|| i.base_rank()),
        },
        Category {
            name: "Manuscript language material (leader/06 t)",
            quota: 3,
            rank: |i| i.kind.starts_with('t').then(|| i.base_rank()),
        },
        Category {
            name: "Collections and parts (leader/07 a, c, d)",
            quota: 5,
            rank: |i| {
                (i.kind.starts_with('a') && i.kind != "am").then(|| {
                    // The rarest level (subunit, one record) first, then
                    // collections and component parts mixed by hash.
                    if i.kind == "ad" { 0 } else { 1 + i.base_rank() }
                })
            },
        },
        Category {
            name: "Serials, maps, scores, sound recordings, video",
            quota: 12,
            rank: |i| {
                matches!(
                    i.format,
                    MaterialFormat::Serial
                        | MaterialFormat::Map
                        | MaterialFormat::Score
                        | MaterialFormat::SoundRecording
                        | MaterialFormat::MusicRecording
                        | MaterialFormat::Video
                )
                .then(|| i.base_rank())
            },
        },
        Category {
            name: "English reference (dictionaries, encyclopedias)",
            quota: 10,
            rank: |i| {
                (i.lang == "eng" && i.kind == "am" && i.is_reference()).then(|| i.base_rank())
            },
        },
        Category {
            name: "English children's",
            quota: 26,
            rank: |i| (i.lang == "eng" && i.kind == "am" && i.is_children()).then(|| i.base_rank()),
        },
        Category {
            name: "Spanish children's",
            quota: 4,
            rank: |i| (i.lang == "spa" && i.kind == "am" && i.is_children()).then(|| i.base_rank()),
        },
        Category {
            name: "English fiction",
            quota: 30,
            rank: |i| (i.lang == "eng" && i.kind == "am" && i.is_fiction()).then(|| i.base_rank()),
        },
        Category {
            name: "English non-fiction",
            quota: 45,
            rank: |i| (i.lang == "eng" && i.kind == "am").then(|| i.base_rank()),
        },
        Category {
            name: "Spanish",
            quota: 10,
            rank: |i| lang_cat(i, "spa", false),
        },
        Category {
            name: "French",
            quota: 8,
            rank: |i| lang_cat(i, "fre", false),
        },
        Category {
            name: "German",
            quota: 8,
            rank: |i| lang_cat(i, "ger", false),
        },
        Category {
            name: "Chinese (with 880)",
            quota: 6,
            rank: |i| lang_cat(i, "chi", true),
        },
        Category {
            name: "Japanese (with 880)",
            quota: 6,
            rank: |i| lang_cat(i, "jpn", true),
        },
        Category {
            name: "Korean (with 880)",
            quota: 5,
            rank: |i| lang_cat(i, "kor", true),
        },
        Category {
            name: "Russian (with 880)",
            quota: 6,
            rank: |i| lang_cat(i, "rus", true),
        },
        Category {
            name: "Arabic (with 880)",
            quota: 5,
            rank: |i| lang_cat(i, "ara", true),
        },
        Category {
            name: "Hebrew (with 880)",
            quota: 5,
            rank: |i| lang_cat(i, "heb", true),
        },
        Category {
            name: "Italian",
            quota: 3,
            rank: |i| lang_cat(i, "ita", false),
        },
        Category {
            name: "Portuguese",
            quota: 3,
            rank: |i| lang_cat(i, "por", false),
        },
        Category {
            name: "Indonesian",
            quota: 3,
            rank: |i| lang_cat(i, "ind", false),
        },
        Category {
            name: "Thai (with 880)",
            quota: 2,
            rank: |i| lang_cat(i, "tha", true),
        },
    ]
}

/// Seeded 64-bit FNV-1a followed by the MurmurHash3 finaliser (FNV alone
/// keeps neighbouring control numbers close together).
fn fnv1a(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in SEED.bytes().chain([0]).chain(s.bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

fn char_at(s: &str, pos: usize) -> char {
    s.as_bytes().get(pos).map_or(' ', |&b| char::from(b))
}

fn lc_class(rec: &Record) -> Option<String> {
    bib::call_numbers(rec)
        .into_iter()
        .filter(|c| c.scheme == CallNumberScheme::Lc)
        .find(|c| {
            callnumber::parse(Scheme::Lc, &c.value).is_ok_and(|p| p.kind() == Kind::Classification)
        })
        .map(|c| c.value)
}

/// 082 $a shortened the way a public library would: segments (separated
/// by LoC's `/` segmentation marks) are kept while the number has at most
/// four decimals — the first segment always; prime marks (`'`) and
/// anything after the number (LoC's ` s` for "classed as a series") dropped.
fn dewey_class(rec: &Record) -> Option<String> {
    let a = rec.first_subfield("082", 'a')?.split_whitespace().next()?;
    let mut out = String::new();
    for (n, seg) in a.split('/').enumerate() {
        let seg: String = seg.chars().filter(|c| *c != '\'').collect();
        let candidate = format!("{out}{seg}");
        let decimals = candidate.split_once('.').map_or(0, |(_, d)| d.len());
        if n > 0 && decimals > 4 {
            break;
        }
        out = candidate;
    }
    let out = out.trim().to_owned();
    callnumber::parse(Scheme::Dewey, &out)
        .is_ok_and(|p| p.kind() == Kind::Classification)
        .then_some(out)
}

fn info_of(index: usize, rec: &Record) -> Option<Info> {
    let cn = rec.control_number()?.trim();
    if cn.is_empty() || rec.first("245").is_none() {
        return None;
    }
    let f008 = rec
        .first("008")
        .and_then(|f| f.control_value())
        .unwrap_or("");
    let kind: String = [
        char_at(rec.leader.as_str(), 6),
        char_at(rec.leader.as_str(), 7),
    ]
    .iter()
    .collect();
    let book_like = matches!(kind.as_bytes().first(), Some(b'a' | b't'));
    let subjects: Vec<String> = rec
        .fields("650")
        .chain(rec.fields("651"))
        .map(|f| f.subfield_list().iter().map(|s| s.value.as_str()).collect())
        .collect();
    Some(Info {
        index,
        hash: fnv1a(cn),
        lang: f008.get(35..38).unwrap_or("").to_owned(),
        format: bib::format(rec),
        audience: if book_like { char_at(f008, 22) } else { ' ' },
        lit_form: if book_like { char_at(f008, 33) } else { ' ' },
        contents: if book_like {
            f008.get(24..28).unwrap_or("").to_owned()
        } else {
            String::new()
        },
        kind,
        has_isbn: bib::isbns(rec).iter().any(|i| !i.cancelled),
        has_lc: lc_class(rec).is_some(),
        has_dewey: dewey_class(rec).is_some(),
        has_880: rec.first("880").is_some(),
        subj_philippines: subjects.iter().any(|s| s.contains("Philippines")),
        subj_vietnam: subjects.iter().any(|s| s.contains("Vietnam")),
    })
}

/// Lower-case ASCII folding (Vietnamese and Spanish diacritics, đ).
fn ascii_fold(s: &str) -> String {
    s.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .map(|c| match c {
            'đ' | 'Đ' => 'd',
            c => c.to_ascii_lowercase(),
        })
        .filter(char::is_ascii)
        .collect()
}

/// Surname for cutters and local call numbers (upper-case ASCII, letters,
/// digits and single spaces): the main entry before its first comma, else
/// the first filing word of the title.
fn filing_word(rec: &Record) -> String {
    let from_name = ["100", "110", "111"]
        .iter()
        .find_map(|t| rec.first_subfield(t, 'a'))
        .and_then(|a| a.split(',').next())
        .map(|s| s.trim_end_matches(['.', ' ']).to_owned());
    let word = from_name.filter(|w| !w.trim().is_empty()).or_else(|| {
        bib::sort_title(rec).and_then(|t| t.split_whitespace().next().map(str::to_owned))
    });
    let folded: String = ascii_fold(&word.unwrap_or_default())
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    let words: Vec<&str> = folded.split_whitespace().take(3).collect();
    if words.is_empty() {
        "ANON".to_owned()
    } else {
        words.join(" ").to_ascii_uppercase()
    }
}

/// A copy to create.
struct Placement {
    branch: &'static str,
    location: &'static str,
    item_type: &'static str,
}

fn placements(info: &Info, category: &str) -> Vec<Placement> {
    let p = |branch, location, item_type| Placement {
        branch,
        location,
        item_type,
    };
    // 1, 2 or 3 copies: about 55 % / 30 % / 15 %.
    let copies = match (info.hash >> 8) % 20 {
        0..=10 => 1,
        11..=16 => 2,
        _ => 3,
    };
    let alt = (info.hash >> 16).is_multiple_of(2);
    let mut v = match info.format {
        MaterialFormat::Video => vec![p("MAIN", "STACKS", "DVD"), p("NORTH", "STACKS", "DVD")],
        MaterialFormat::Serial => vec![p("MAIN", "STACKS", "SERIAL")],
        // Manuscripts and archival mixed materials do not circulate.
        _ if matches!(info.kind.as_bytes().first(), Some(b't' | b'p')) => {
            vec![p("MAIN", "REF", "REF")]
        }
        _ if info.lang == "vie" && info.is_children() => vec![
            p("SAIGON", "VIET", "CHILD"),
            p("SAIGON", "VIET", "CHILD"),
            p("MAIN", "CHILD", "CHILD"),
        ],
        _ if info.lang == "vie" => vec![
            p("SAIGON", "VIET", "BOOK"),
            p("SAIGON", "VIET", "BOOK"),
            p("MAIN", "STACKS", "BOOK"),
        ],
        _ if category.starts_with("English reference") => vec![p("MAIN", "REF", "REF")],
        _ if info.is_children() => {
            if alt {
                vec![
                    p("MAIN", "CHILD", "CHILD"),
                    p("NORTH", "CHILD", "CHILD"),
                    p("MAIN", "CHILD", "CHILD"),
                ]
            } else {
                vec![
                    p("NORTH", "CHILD", "CHILD"),
                    p("MAIN", "CHILD", "CHILD"),
                    p("NORTH", "CHILD", "CHILD"),
                ]
            }
        }
        _ if info.is_reference() => vec![p("MAIN", "REF", "REF"), p("NORTH", "STACKS", "BOOK")],
        _ if info.subj_vietnam => vec![
            p("SAIGON", "STACKS", "BOOK"),
            p("MAIN", "STACKS", "BOOK"),
            p("SAIGON", "STACKS", "BOOK"),
        ],
        _ if alt => vec![
            p("MAIN", "STACKS", "BOOK"),
            p("NORTH", "STACKS", "BOOK"),
            p("MAIN", "STACKS", "BOOK"),
        ],
        _ => vec![
            p("NORTH", "STACKS", "BOOK"),
            p("MAIN", "STACKS", "BOOK"),
            p("NORTH", "STACKS", "BOOK"),
        ],
    };
    v.truncate(copies);
    v
}

/// Call number and scheme (`lc`, `dewey`, `local`) for one copy. The public
/// branch and children's rooms shelve by Dewey when there is an 082, the
/// others by LC when there is a usable 050; local numbers only when neither.
fn call_number(rec: &Record, info: &Info, pl: &Placement) -> (String, &'static str) {
    let child = pl.location == "CHILD" || (pl.location == "VIET" && pl.item_type == "CHILD");
    let prefer_dewey = pl.branch == "NORTH" || child;
    let lc = lc_class(rec);
    let dewey = dewey_class(rec).map(|d| {
        let cutter: String = filing_word(rec)
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(3)
            .collect();
        let j = if child { "J " } else { "" };
        format!("{j}{d} {cutter}")
    });
    let chosen = if prefer_dewey {
        dewey.map(|d| (d, "dewey")).or(lc.map(|l| (l, "lc")))
    } else {
        lc.map(|l| (l, "lc")).or(dewey.map(|d| (d, "dewey")))
    };
    chosen.unwrap_or_else(|| {
        let j = if child { "J " } else { "" };
        let class = if info.is_fiction() {
            "FIC".to_owned()
        } else if info.lang == "eng" || info.lang.is_empty() {
            "GEN".to_owned()
        } else {
            info.lang.to_ascii_uppercase()
        };
        (format!("{j}{class} {}", filing_word(rec)), "local")
    })
}

/// TSV cell escaping (backslash conventions of shared/data/README.md).
fn tsv(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() && (c as u32) < 0x80 => {
                let _ = write!(out, "\\x{:02X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// (first name, last name, category, home branch, preferred language, birth date)
/// Vietnamese names: family name in `last_name`, middle + given name in
/// `first_name` (displayed family-name first by the UI).
const PATRONS: &[(&str, &str, &str, &str, &str, &str)] = &[
    (
        "Maria Clara",
        "Dela Cruz",
        "ADULT",
        "MAIN",
        "fil",
        "1985-03-14",
    ),
    (
        "Jose",
        "Rizal Mercado",
        "ADULT",
        "MAIN",
        "fil",
        "1979-06-19",
    ),
    ("Andres", "Bonifacio", "ADULT", "NORTH", "fil", "1990-11-30"),
    ("Gabriela", "Silang", "ADULT", "NORTH", "fil", "1988-03-19"),
    ("Ligaya", "Manalo", "ADULT", "MAIN", "en", "1993-08-02"),
    ("Ramon", "Villanueva", "ADULT", "NORTH", "fil", "1975-01-27"),
    (
        "Rosalinda",
        "Bautista",
        "ADULT",
        "MAIN",
        "fil",
        "1982-12-05",
    ),
    ("Teodoro", "Aquino", "SENIOR", "MAIN", "fil", "1948-09-11"),
    ("Corazon", "Sumulong", "SENIOR", "NORTH", "en", "1951-01-25"),
    ("Lourdes", "Mendoza", "SENIOR", "MAIN", "fil", "1955-04-08"),
    ("Paolo", "Garcia", "STUDENT", "MAIN", "en", "2005-07-21"),
    (
        "Kristine Joy",
        "Ramos",
        "STUDENT",
        "NORTH",
        "fil",
        "2006-02-14",
    ),
    (
        "Mark Anthony",
        "Soriano",
        "STUDENT",
        "MAIN",
        "en",
        "2004-10-03",
    ),
    (
        "Angelica",
        "Navarro",
        "STUDENT",
        "NORTH",
        "fil",
        "2007-05-29",
    ),
    ("Miguel", "Santiago", "CHILD", "MAIN", "fil", "2016-06-12"),
    ("Isabela", "Castillo", "CHILD", "NORTH", "fil", "2017-09-01"),
    ("Dalisay", "Macaraeg", "CHILD", "NORTH", "fil", "2018-01-20"),
    (
        "Juan Carlos",
        "Pascual",
        "CHILD",
        "MAIN",
        "en",
        "2019-04-17",
    ),
    ("Amihan", "Reyes", "STAFF", "MAIN", "fil", "1984-05-23"),
    ("Jose", "Santos", "STAFF", "NORTH", "fil", "1991-10-09"),
    ("Văn Hùng", "Nguyễn", "ADULT", "SAIGON", "vi", "1980-02-16"),
    ("Thị Mai", "Trần", "ADULT", "SAIGON", "vi", "1987-07-07"),
    ("Minh Tuấn", "Lê", "ADULT", "SAIGON", "vi", "1992-09-02"),
    ("Thị Hồng", "Phạm", "ADULT", "SAIGON", "vi", "1978-04-30"),
    ("Quốc Bảo", "Hoàng", "ADULT", "SAIGON", "vi", "1995-12-24"),
    ("Thị Thu", "Võ", "ADULT", "MAIN", "vi", "1989-08-19"),
    ("Văn Đức", "Đặng", "SENIOR", "SAIGON", "vi", "1946-03-03"),
    ("Thị Lựu", "Bùi", "SENIOR", "SAIGON", "vi", "1953-10-10"),
    ("Gia Huy", "Đỗ", "STUDENT", "SAIGON", "vi", "2006-11-15"),
    ("Ngọc Anh", "Huỳnh", "STUDENT", "SAIGON", "vi", "2005-01-08"),
    ("Bảo Châu", "Phan", "CHILD", "SAIGON", "vi", "2017-02-28"),
    ("Minh Khôi", "Vũ", "CHILD", "SAIGON", "vi", "2016-08-26"),
    ("An Nhiên", "Nguyễn", "CHILD", "SAIGON", "vi", "2020-05-05"),
    ("Thị Lan", "Nguyễn", "STAFF", "SAIGON", "vi", "1986-06-01"),
    ("Văn Minh", "Trần", "STAFF", "SAIGON", "vi", "1999-03-27"),
    ("Margaret", "Thompson", "ADULT", "MAIN", "en", "1972-11-02"),
    ("David", "Okafor", "ADULT", "NORTH", "en", "1983-04-16"),
    ("Emily", "Carter", "STUDENT", "MAIN", "en", "2004-09-09"),
    ("Harold", "Whitfield", "SENIOR", "MAIN", "en", "1944-12-12"),
    ("Sophie", "Martin", "CHILD", "MAIN", "en", "2018-10-31"),
];

fn write_patrons(path: &Path) -> Result<usize, Box<dyn Error>> {
    let scheme = BarcodeScheme::codabar14(2, INSTITUTION)?;
    let mut out = BufWriter::new(File::create(path)?);
    writeln!(
        out,
        "barcode\tpin\tfirst_name\tlast_name\tcategory\thome_branch\temail\tphone\tpreferred_language\tbirth_date"
    )?;
    let mut emails = HashSet::new();
    for (n, (first, last, category, branch, lang, birth)) in PATRONS.iter().enumerate() {
        let seq = n as u64 + 1;
        let barcode = scheme.generate(seq)?;
        let pin = format!("{:04}", fnv1a(&barcode) % 10_000);
        let given = ascii_fold(first).replace(' ', "");
        let family = ascii_fold(last).replace(' ', "");
        let mut email = format!("{given}.{family}@demo.quire.invalid");
        let mut k = 2;
        while !emails.insert(email.clone()) {
            email = format!("{given}.{family}{k}@demo.quire.invalid");
            k += 1;
        }
        let line = 100 + seq;
        let phone = if *branch == "SAIGON" {
            format!("+84 90 555 0{line:03}")
        } else {
            format!("+63 917 555 0{line:03}")
        };
        writeln!(
            out,
            "{barcode}\t{pin}\t{}\t{}\t{category}\t{branch}\t{email}\t{phone}\t{lang}\t{birth}",
            tsv(first),
            tsv(last)
        )?;
    }
    out.flush()?;
    Ok(PATRONS.len())
}

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(source), Some(out_dir)) = (args.next(), args.next()) else {
        eprintln!("usage: select_demo BooksAll.2016.part01.utf8 OUTPUT_DIR");
        std::process::exit(2);
    };
    let out_dir = PathBuf::from(out_dir);

    // Pass 1: classify every usable record.
    let mut infos: Vec<Info> = Vec::new();
    let (mut total, mut bad, mut warned, mut skipped) = (0usize, 0usize, 0usize, 0usize);
    let mut reader = Iso2709Reader::new(std::io::BufReader::new(File::open(&source)?));
    let mut rr = ReadRecord::default();
    while let Some(res) = reader.read_into(&mut rr) {
        let index = total;
        total += 1;
        if res.is_err() {
            bad += 1;
            continue;
        }
        if !rr.warnings.is_empty() {
            warned += 1;
            continue;
        }
        if rr.raw.len() > MAX_RECORD_BYTES || rr.record.leader.record_status() == 'd' {
            skipped += 1;
            continue;
        }
        match info_of(index, &rr.record) {
            Some(i) => infos.push(i),
            None => skipped += 1,
        }
    }
    eprintln!(
        "read {total} records: {bad} unreadable, {warned} with warnings, {skipped} skipped (no 001/245, deleted, > {MAX_RECORD_BYTES} bytes), {} candidates",
        infos.len()
    );

    // Selection, category by category.
    let cats = categories();
    let mut chosen: Vec<(usize, usize)> = Vec::new(); // (info position, category)
    let mut taken: HashSet<usize> = HashSet::new();
    for (ci, cat) in cats.iter().enumerate() {
        let mut cands: Vec<(u8, u64, usize)> = infos
            .iter()
            .enumerate()
            .filter(|(pos, _)| !taken.contains(pos))
            .filter_map(|(pos, i)| (cat.rank)(i).map(|r| (r, i.hash, pos)))
            .collect();
        cands.sort_unstable();
        for (_, _, pos) in cands.into_iter().take(cat.quota) {
            taken.insert(pos);
            chosen.push((pos, ci));
        }
    }

    // Pass 2: fetch the chosen records.
    let wanted: BTreeMap<usize, usize> = chosen
        .iter()
        .enumerate()
        .map(|(order, (pos, _))| (infos[*pos].index, order))
        .collect();
    let mut records: Vec<Option<Record>> = vec![None; chosen.len()];
    let mut reader = Iso2709Reader::new(std::io::BufReader::new(File::open(&source)?));
    let mut index = 0usize;
    let mut identical = 0usize;
    while let Some(res) = reader.read_into(&mut rr) {
        if res.is_ok()
            && let Some(&order) = wanted.get(&index)
        {
            if quire_marc::iso2709::to_bytes(&rr.record)? == rr.raw {
                identical += 1;
            }
            records[order] = Some(rr.record.clone());
        }
        index += 1;
    }
    let records: Vec<Record> = records
        .into_iter()
        .collect::<Option<Vec<_>>>()
        .ok_or("a selected record was not found in the second pass")?;

    std::fs::create_dir_all(&out_dir)?;
    let mut w = Iso2709Writer::new(BufWriter::new(File::create(out_dir.join("catalog.mrc"))?));
    for r in &records {
        w.write(r)?;
    }
    w.finish()?.flush()?;

    // Items.
    let item_scheme = BarcodeScheme::codabar14(3, INSTITUTION)?;
    let mut items = BufWriter::new(File::create(out_dir.join("items.tsv"))?);
    writeln!(
        items,
        "record_control_number\tbarcode\tbranch\tlocation\titem_type\tcall_number\tcall_number_scheme"
    )?;
    let mut seq = 0u64;
    let mut by_place: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_scheme: BTreeMap<&str, usize> = BTreeMap::new();
    for ((pos, ci), rec) in chosen.iter().zip(&records) {
        let info = &infos[*pos];
        let cn = rec.control_number().unwrap_or("").trim();
        for pl in placements(info, cats[*ci].name) {
            seq += 1;
            let barcode = item_scheme.generate(seq)?;
            let (call, scheme) = call_number(rec, info, &pl);
            *by_place
                .entry(format!(
                    "{} / {} / {}",
                    pl.branch, pl.location, pl.item_type
                ))
                .or_default() += 1;
            *by_scheme.entry(scheme).or_default() += 1;
            writeln!(
                items,
                "{}\t{barcode}\t{}\t{}\t{}\t{}\t{scheme}",
                tsv(cn),
                pl.branch,
                pl.location,
                pl.item_type,
                tsv(&call)
            )?;
        }
    }
    items.flush()?;
    let patrons = write_patrons(&out_dir.join("patrons.tsv"))?;

    // Distribution report.
    let selected: Vec<&Info> = chosen.iter().map(|(pos, _)| &infos[*pos]).collect();
    let mut md = String::new();
    let _ = writeln!(
        md,
        "{} records ({} byte-identical to the source after quire-marc's re-serialisation), {seq} items, {patrons} patrons.\n",
        records.len(),
        identical
    );
    let _ = writeln!(md, "| Category | Records |\n|---|---:|");
    for (ci, cat) in cats.iter().enumerate() {
        let n = chosen.iter().filter(|(_, c)| *c == ci).count();
        let _ = writeln!(md, "| {} | {n} |", cat.name);
    }
    let mut tables: Vec<(&str, BTreeMap<String, usize>)> = Vec::new();
    let count = |f: &dyn Fn(&Info) -> String| {
        let mut m = BTreeMap::new();
        for i in &selected {
            *m.entry(f(i)).or_default() += 1;
        }
        m
    };
    tables.push(("Language (008/35-37)", count(&|i| i.lang.clone())));
    tables.push(("Leader/06-07", count(&|i| i.kind.clone())));
    tables.push(("Format (quire-marc)", count(&|i| format!("{:?}", i.format))));
    tables.push((
        "Audience (008/22)",
        count(&|i| match i.audience {
            ' ' => "blank".to_owned(),
            c => c.to_string(),
        }),
    ));
    tables.push((
        "Has",
        count(&|_| "records".to_owned())
            .into_iter()
            .chain([
                (
                    "ISBN (020)".to_owned(),
                    selected.iter().filter(|i| i.has_isbn).count(),
                ),
                (
                    "LC class number (050)".to_owned(),
                    selected.iter().filter(|i| i.has_lc).count(),
                ),
                (
                    "Dewey (082)".to_owned(),
                    selected.iter().filter(|i| i.has_dewey).count(),
                ),
                (
                    "original script (880)".to_owned(),
                    selected.iter().filter(|i| i.has_880).count(),
                ),
                (
                    "fiction (008/33 1, f, j)".to_owned(),
                    selected.iter().filter(|i| i.is_fiction()).count(),
                ),
                (
                    "subject Philippines".to_owned(),
                    selected.iter().filter(|i| i.subj_philippines).count(),
                ),
                (
                    "subject Vietnam".to_owned(),
                    selected.iter().filter(|i| i.subj_vietnam).count(),
                ),
            ])
            .collect(),
    ));
    tables.push((
        "Items: branch / location / type",
        by_place.into_iter().collect(),
    ));
    tables.push((
        "Items: call number scheme",
        by_scheme
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
    ));
    for (title, m) in tables {
        let _ = writeln!(md, "\n| {title} | Count |\n|---|---:|");
        let mut rows: Vec<_> = m.into_iter().collect();
        rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        for (k, v) in rows {
            let _ = writeln!(md, "| {k} | {v} |");
        }
    }
    print!("{md}");

    let readme = out_dir.join("README.md");
    if let Ok(text) = std::fs::read_to_string(&readme) {
        const BEGIN: &str = "<!-- distribution:begin -->";
        const END: &str = "<!-- distribution:end -->";
        if let (Some(b), Some(e)) = (text.find(BEGIN), text.find(END))
            && b < e
        {
            let new = format!("{}{BEGIN}\n{md}{}", &text[..b], &text[e..]);
            std::fs::write(&readme, new)?;
            eprintln!("updated the distribution in {}", readme.display());
        }
    }
    Ok(())
}
