//! Property tests: readers never panic on arbitrary bytes; read -> write ->
//! read is the identity for well-formed records in all three formats.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

use proptest::prelude::*;
use quire_marc::{
    Field, Iso2709Reader, Leader, MarcJsonReader, MarcXmlReader, Record, Subfield, Tag, iso2709,
    json, marc8, open_reader, xml,
};

fn value() -> impl Strategy<Value = String> {
    // Any text without C0 controls (XML cannot carry them and ISO 2709 uses
    // 1D-1F as delimiters), including non-ASCII and astral characters.
    proptest::collection::vec(
        prop_oneof![
            4 => proptest::char::range(' ', '~'),
            1 => proptest::char::range('\u{a0}', '\u{2fff}'),
            1 => proptest::char::range('\u{4e00}', '\u{9fff}'),
            1 => proptest::char::range('\u{1f300}', '\u{1f5ff}'),
        ],
        0..30,
    )
    .prop_map(|v| v.into_iter().collect())
}

fn tag(control: bool) -> impl Strategy<Value = Tag> {
    if control {
        "00[1-9]".prop_map(|s| Tag::parse(&s).unwrap()).boxed()
    } else {
        prop_oneof![
            9 => "(0[1-9][0-9]|[1-9][0-9]{2})",
            1 => "[A-Z]{3}",
        ]
        .prop_map(|s| Tag::parse(&s).unwrap())
        .boxed()
    }
}

fn indicator() -> impl Strategy<Value = char> {
    prop_oneof![
        Just(' '),
        proptest::char::range('0', '9'),
        proptest::char::range('a', 'z')
    ]
}

fn field() -> impl Strategy<Value = Field> {
    prop_oneof![
        (tag(true), value()).prop_map(|(t, v)| Field::control(t, v)),
        (
            tag(false),
            indicator(),
            indicator(),
            proptest::collection::vec(
                (
                    prop_oneof![
                        proptest::char::range('a', 'z'),
                        proptest::char::range('0', '9')
                    ],
                    value()
                ),
                1..5
            )
        )
            .prop_map(|(t, i1, i2, subs)| Field::data(
                t,
                i1,
                i2,
                subs.into_iter().map(|(c, v)| Subfield::new(c, v)).collect()
            )),
    ]
}

fn record() -> impl Strategy<Value = Record> {
    (
        "[acdn][acdefgijkmoprt][abcdims] a22     [ 1-8uz][ aciu][ abc]4500",
        proptest::collection::vec(field(), 1..15),
    )
        .prop_map(|(l, fields)| {
            let leader = format!("00000{l}");
            let (leader, _) = Leader::from_bytes_lossy(leader.as_bytes());
            Record { leader, fields }
        })
}

/// Leader positions recomputed by the ISO 2709 writer.
fn normalised(mut r: Record) -> Record {
    r.leader.0[0..5].copy_from_slice(b"00000");
    r.leader.0[12..17].copy_from_slice(b"00000");
    r
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn iso2709_round_trip(r in record()) {
        let bytes = iso2709::to_bytes(&r).unwrap();
        let back: Vec<_> = Iso2709Reader::new(&bytes[..]).collect();
        prop_assert_eq!(back.len(), 1);
        let rr = back[0].as_ref().unwrap();
        prop_assert!(rr.warnings.iter().all(|w| w.kind == quire_marc::WarningKind::Tag), "{:?}", rr.warnings);
        prop_assert_eq!(normalised(rr.record.clone()), normalised(r));
        prop_assert_eq!(&rr.raw, &bytes);
    }

    #[test]
    fn marcxml_round_trip(rs in proptest::collection::vec(record(), 1..4)) {
        let mut w = quire_marc::MarcXmlWriter::new(Vec::new()).unwrap();
        for r in &rs { w.write(r).unwrap(); }
        let bytes = w.finish().unwrap();
        let back: Vec<Record> = MarcXmlReader::new(&bytes[..]).map(|x| x.unwrap().record).collect();
        prop_assert_eq!(back, rs.clone());
        // and a single standalone record
        let one = xml::to_string(&rs[0]);
        let back: Vec<_> = open_reader(std::io::Cursor::new(one.into_bytes())).collect();
        prop_assert_eq!(&back[0].as_ref().unwrap().record, &rs[0]);
    }

    #[test]
    fn json_round_trip(rs in proptest::collection::vec(record(), 1..4)) {
        let mut w = quire_marc::MarcJsonWriter::new(Vec::new()).unwrap();
        for r in &rs { w.write(r).unwrap(); }
        let bytes = w.finish().unwrap();
        let back: Vec<Record> = MarcJsonReader::new(&bytes[..]).map(|x| x.unwrap().record).collect();
        prop_assert_eq!(back, rs.clone());
        let lines: String = rs.iter().map(|r| json::to_string(r) + "\n").collect();
        let back: Vec<Record> = open_reader(std::io::Cursor::new(lines.into_bytes())).map(|x| x.unwrap().record).collect();
        prop_assert_eq!(back, rs);
    }

    #[test]
    fn iso2709_reader_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        for r in Iso2709Reader::new(&bytes[..]).flatten() {
            // whatever was recovered must be writable or rejected cleanly
            let _ = iso2709::to_bytes(&r.record);
        }
    }

    #[test]
    fn iso2709_reader_survives_corrupted_records(r in record(), flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6)) {
        let mut bytes = iso2709::to_bytes(&r).unwrap();
        let good = bytes.clone();
        for (i, b) in flips {
            let i = i.index(bytes.len());
            bytes[i] = b;
        }
        bytes.extend_from_slice(&good);
        let items: Vec<_> = Iso2709Reader::new(&bytes[..]).collect();
        // The good record after the corrupted one is always found intact.
        let last = items.last().unwrap().as_ref().unwrap();
        prop_assert_eq!(normalised(last.record.clone()), normalised(r));
    }

    #[test]
    fn xml_reader_never_panics(s in "(<|>|/|record|leader|datafield|subfield|controlfield| tag=\"245\"| code=\"a\"|&amp;|&#x1F;|x| |\")*") {
        let _ = MarcXmlReader::new(s.as_bytes()).count();
    }

    #[test]
    fn json_reader_never_panics(bytes in proptest::collection::vec(prop_oneof![Just(b'{'), Just(b'}'), Just(b'['), Just(b']'), Just(b'"'), Just(b'\\'), Just(b':'), Just(b','), any::<u8>()], 0..200)) {
        let _ = MarcJsonReader::new(&bytes[..]).count();
    }

    #[test]
    fn open_reader_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = open_reader(std::io::Cursor::new(bytes)).count();
    }

    #[test]
    fn marc8_decode_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let d = marc8::decode(&bytes);
        // Every error points inside the input.
        prop_assert!(d.errors.iter().all(|e| e.offset < bytes.len()));
    }

    #[test]
    fn marc8_ascii_is_identity(s in "[ -%'-~]{0,80}") {
        let d = marc8::decode(s.as_bytes());
        prop_assert_eq!(d.text, s);
        prop_assert!(d.errors.is_empty());
    }
}

fn empty_read_record() -> quire_marc::ReadRecord {
    quire_marc::ReadRecord::default()
}

/// `read_into` with one reused buffer gives exactly what the iterator gives.
fn same_as_iterator(bytes: &[u8]) -> Result<(), TestCaseError> {
    let fresh: Vec<_> = Iso2709Reader::new(bytes).collect();
    let mut reader = Iso2709Reader::new(bytes);
    let mut rec = empty_read_record();
    let mut i = 0;
    while let Some(r) = reader.read_into(&mut rec) {
        match (&fresh[i], r) {
            (Ok(a), Ok(())) => prop_assert_eq!(a, &rec),
            (Err(a), Err(b)) => prop_assert_eq!(a, &b),
            (a, b) => prop_assert!(false, "{:?} vs {:?}", a, b),
        }
        i += 1;
    }
    prop_assert_eq!(i, fresh.len());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn read_into_reuse_matches_iterator(rs in proptest::collection::vec(record(), 1..6), junk in proptest::collection::vec(any::<u8>(), 0..40)) {
        let mut bytes = Vec::new();
        for (i, r) in rs.iter().enumerate() {
            bytes.extend(iso2709::to_bytes(r).unwrap());
            if i == 1 {
                bytes.extend_from_slice(&junk);
            }
        }
        same_as_iterator(&bytes)?;
    }
}

#[test]
fn read_into_reuse_matches_iterator_on_fixtures() {
    let Some(dir) = quire_testdata::fixture("marc") else {
        return;
    };
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_some_and(|e| e == "xml" || e == "tsv") {
            continue;
        }
        let bytes = std::fs::read(&p).unwrap();
        if let Err(e) = same_as_iterator(&bytes) {
            panic!("{}: {e}", p.display());
        }
    }
}
