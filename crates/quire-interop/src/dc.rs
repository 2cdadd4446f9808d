//! MARC 21 → simple (unqualified) Dublin Core, after the Library of
//! Congress crosswalk (<https://www.loc.gov/marc/marc2dc.html>), with the
//! common compromise for names: 1XX → `creator`, 7XX → `contributor`.

use quire_marc::Record;
use quire_marc::bib;

/// The Dublin Core namespace.
pub const DC_NS: &str = "http://purl.org/dc/elements/1.1/";

/// The DC elements of a record, in crosswalk order: `(element, value)`.
pub fn dc_elements(rec: &Record) -> Vec<(&'static str, String)> {
    let s = bib::summarize(rec);
    let mut out: Vec<(&'static str, String)> = Vec::new();
    if let Some(t) = &s.title {
        out.push(("title", t.clone()));
    }
    for f in rec.fields("246") {
        let t: Vec<&str> = f.subfields_in("abnp").collect();
        if !t.is_empty() {
            out.push(("title", bib::trim_punctuation(&t.join(" "))));
        }
    }
    for a in &s.authors {
        out.push((
            if a.main_entry {
                "creator"
            } else {
                "contributor"
            },
            a.name.clone(),
        ));
    }
    for x in &s.subjects {
        if matches!(x.tag.as_str(), "651" | "662") {
            out.push(("coverage", x.heading.clone()));
        } else {
            out.push(("subject", x.heading.clone()));
        }
    }
    for d in s.summary.iter().chain(&s.contents).chain(&s.notes) {
        out.push(("description", d.clone()));
    }
    if let Some(p) = &s.publisher {
        out.push(("publisher", p.clone()));
    }
    if let Some(d) = s.date.clone().or_else(|| s.year.map(|y| y.to_string())) {
        out.push(("date", d));
    }
    out.push(("type", dc_type(rec).to_string()));
    if let Some(p) = &s.physical_description {
        out.push(("format", p.clone()));
    }
    for i in s.isbns.iter().filter(|i| !i.cancelled) {
        out.push(("identifier", format!("URN:ISBN:{}", i.value)));
    }
    for i in &s.issns {
        if i.kind == bib::IssnKind::Valid {
            out.push(("identifier", format!("URN:ISSN:{}", i.value)));
        }
    }
    if let Some(l) = &s.lccn {
        out.push(("identifier", format!("LCCN:{l}")));
    }
    for l in &s.links {
        out.push(("identifier", l.url.clone()));
    }
    for l in &s.languages {
        out.push(("language", l.clone()));
    }
    for f in rec.fields_matching("76X").chain(rec.fields_matching("77X")) {
        let t: Vec<&str> = f.subfields_in("ot").collect();
        if !t.is_empty() {
            out.push(("relation", t.join(" ")));
        }
    }
    for tag in ["506", "540"] {
        for f in rec.fields(tag) {
            if let Some(a) = f.subfield('a') {
                out.push(("rights", a.to_string()));
            }
        }
    }
    out
}

/// DCMI type from Leader/06 and /07.
pub fn dc_type(rec: &Record) -> &'static str {
    if matches!(rec.leader.bib_level(), 'c' | 's') && rec.leader.record_type() != 'a' {
        return "Collection";
    }
    match rec.leader.record_type() {
        'a' | 'c' | 'd' | 't' => "Text",
        'e' | 'f' | 'g' | 'k' => "Image",
        'i' | 'j' => "Sound",
        'm' => "Software",
        'p' => "Collection",
        'o' | 'r' => "PhysicalObject",
        _ => "Text",
    }
}

/// Appends the DC elements as `<dc:element>` children (prefix `dc` must be
/// bound by the caller).
pub fn write_dc_elements(out: &mut String, rec: &Record) {
    for (name, value) in dc_elements(rec) {
        out.push_str("<dc:");
        out.push_str(name);
        out.push('>');
        quire_marc::xml::escape_into(out, &value);
        out.push_str("</dc:");
        out.push_str(name);
        out.push('>');
    }
}

/// The record as an OAI `oai_dc:dc` element.
pub fn oai_dc(rec: &Record) -> String {
    let mut out = String::from(
        "<oai_dc:dc xmlns:oai_dc=\"http://www.openarchives.org/OAI/2.0/oai_dc/\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"http://www.openarchives.org/OAI/2.0/oai_dc/ http://www.openarchives.org/OAI/2.0/oai_dc.xsd\">",
    );
    write_dc_elements(&mut out, rec);
    out.push_str("</oai_dc:dc>");
    out
}

/// The record as an SRU `dc` record (`info:srw/schema/1/dc-v1.1`).
pub fn srw_dc(rec: &Record) -> String {
    let mut out = String::from(
        "<srw_dc:dc xmlns:srw_dc=\"info:srw/schema/1/dc-schema\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\">",
    );
    write_dc_elements(&mut out, rec);
    out.push_str("</srw_dc:dc>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use quire_marc::{Field, Subfield, Tag};

    fn tag(s: &str) -> Tag {
        Tag::parse(s).unwrap()
    }

    fn sample() -> Record {
        let mut r = Record::new();
        r.leader.set(6, 'a');
        r.leader.set(7, 'm');
        r.push(Field::control(tag("001"), "123"));
        r.push(Field::control(
            tag("008"),
            "850101s1985    enk           000 1 eng d",
        ));
        r.push(Field::data(
            tag("020"),
            ' ',
            ' ',
            vec![Subfield::new('a', "0140230416 (pbk.)")],
        ));
        r.push(Field::data(
            tag("100"),
            '1',
            ' ',
            vec![
                Subfield::new('a', "Austen, Jane,"),
                Subfield::new('d', "1775-1817."),
            ],
        ));
        r.push(Field::data(
            tag("245"),
            '1',
            '0',
            vec![
                Subfield::new('a', "Pride & prejudice /"),
                Subfield::new('c', "Jane Austen."),
            ],
        ));
        r.push(Field::data(
            tag("260"),
            ' ',
            ' ',
            vec![
                Subfield::new('a', "London :"),
                Subfield::new('b', "Penguin,"),
                Subfield::new('c', "1985."),
            ],
        ));
        r.push(Field::data(
            tag("650"),
            ' ',
            '0',
            vec![
                Subfield::new('a', "Courtship"),
                Subfield::new('v', "Fiction."),
            ],
        ));
        r.push(Field::data(
            tag("651"),
            ' ',
            '0',
            vec![
                Subfield::new('a', "England"),
                Subfield::new('v', "Fiction."),
            ],
        ));
        r.push(Field::data(
            tag("700"),
            '1',
            ' ',
            vec![Subfield::new('a', "Tanner, Tony.")],
        ));
        r
    }

    #[test]
    fn crosswalk_elements() {
        let els = dc_elements(&sample());
        let get = |n: &str| -> Vec<String> {
            els.iter()
                .filter(|(k, _)| *k == n)
                .map(|(_, v)| v.clone())
                .collect()
        };
        assert_eq!(get("title"), vec!["Pride & prejudice"]);
        assert_eq!(get("creator").len(), 1);
        assert!(get("creator")[0].starts_with("Austen, Jane"));
        assert_eq!(get("contributor"), vec!["Tanner, Tony"]);
        assert_eq!(get("coverage").len(), 1);
        assert_eq!(get("subject").len(), 1);
        assert_eq!(get("type"), vec!["Text"]);
        assert_eq!(get("language"), vec!["eng"]);
        assert!(get("identifier").iter().any(|i| i == "URN:ISBN:0140230416"));
    }

    #[test]
    fn oai_dc_snapshot() {
        insta::assert_snapshot!(oai_dc(&sample()));
    }

    #[test]
    fn escapes_markup() {
        let x = srw_dc(&sample());
        assert!(x.contains("Pride &amp; prejudice"));
        assert!(!x.contains("Pride & "));
    }
}
