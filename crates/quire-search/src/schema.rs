//! The tantivy schema and the mapping of a [`BibDoc`] onto it.

use tantivy::TantivyDocument;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STRING, Schema, TextFieldIndexing, TextOptions,
};

use crate::analysis::{STEM_ANALYZER, TEXT_ANALYZER, normalize_key};
use crate::doc::BibDoc;
use crate::ident::{compact_identifier, normalize_lccn};

/// Version of the schema and of the analysis chain. Bump it whenever a
/// change means documents must be re-indexed; an index written with another
/// version reports [`crate::Error::NeedsRebuild`].
pub const SCHEMA_VERSION: u32 = 1;

/// Separates the sort key from the display form in browse terms. Keys only
/// contain letters, digits and spaces (or, for call numbers, the sort keys
/// given by the caller, from which control characters are removed), so this
/// sorts before any key continuation: `dune` < `dune messiah`.
pub(crate) const BROWSE_SEP: char = '\u{1}';

/// Longest browse/sort key kept, in bytes.
const MAX_KEY_BYTES: usize = 512;

/// Handles of every field of the schema.
#[derive(Debug, Clone)]
pub(crate) struct Fields {
    pub id: Field,
    pub title: Field,
    pub title_stem: Field,
    pub title_key: Field,
    pub subtitle: Field,
    pub other_title: Field,
    pub author: Field,
    pub author_key: Field,
    pub subject: Field,
    pub subject_stem: Field,
    pub subject_key: Field,
    pub subject_facet: Field,
    pub series: Field,
    pub series_key: Field,
    pub publisher: Field,
    pub place: Field,
    pub notes: Field,
    pub notes_stem: Field,
    pub isbn: Field,
    pub issn: Field,
    pub lccn: Field,
    pub control: Field,
    pub other_id: Field,
    pub callnumber: Field,
    pub callnumber_key: Field,
    pub year: Field,
    pub language: Field,
    pub format: Field,
    pub branch: Field,
    pub avail_branch: Field,
    pub available_count: Field,
    pub suppressed: Field,
    pub browse_title: Field,
    pub browse_author: Field,
    pub browse_subject: Field,
    pub browse_callnumber: Field,
    pub title_sort: Field,
    pub author_sort: Field,
    pub updated_at: Field,
    pub item_count: Field,
}

/// Field names used for fast-field access by name.
pub(crate) mod names {
    pub const ID: &str = "id";
    pub const TITLE_SORT: &str = "title_sort";
    pub const AUTHOR_SORT: &str = "author_sort";
    pub const YEAR: &str = "year";
    pub const LANGUAGE: &str = "language";
    pub const FORMAT: &str = "format";
    pub const BRANCH: &str = "branch";
    pub const SUBJECT_FACET: &str = "subject_facet";
    pub const AVAILABLE_COUNT: &str = "available_count";
    pub const ITEM_COUNT: &str = "item_count";
}

fn text(analyzer: &str) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analyzer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    )
}

/// Builds the schema and returns it with the field handles.
pub(crate) fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let t = || text(TEXT_ANALYZER);
    let s = || text(STEM_ANALYZER);
    let fields = Fields {
        id: b.add_i64_field(names::ID, INDEXED | FAST),
        title: b.add_text_field("title", t()),
        title_stem: b.add_text_field("title_stem", s()),
        title_key: b.add_text_field("title_key", STRING),
        subtitle: b.add_text_field("subtitle", t()),
        other_title: b.add_text_field("other_title", t()),
        author: b.add_text_field("author", t()),
        author_key: b.add_text_field("author_key", STRING),
        subject: b.add_text_field("subject", t()),
        subject_stem: b.add_text_field("subject_stem", s()),
        subject_key: b.add_text_field("subject_key", STRING),
        subject_facet: b.add_text_field(names::SUBJECT_FACET, STRING | FAST),
        series: b.add_text_field("series", t()),
        series_key: b.add_text_field("series_key", STRING),
        publisher: b.add_text_field("publisher", t()),
        place: b.add_text_field("place", t()),
        notes: b.add_text_field("notes", t()),
        notes_stem: b.add_text_field("notes_stem", s()),
        isbn: b.add_text_field("isbn", STRING),
        issn: b.add_text_field("issn", STRING),
        lccn: b.add_text_field("lccn", STRING),
        control: b.add_text_field("control", STRING),
        other_id: b.add_text_field("other_id", STRING),
        callnumber: b.add_text_field("callnumber", t()),
        callnumber_key: b.add_text_field("callnumber_key", STRING),
        year: b.add_i64_field(names::YEAR, INDEXED | FAST),
        language: b.add_text_field(names::LANGUAGE, STRING | FAST),
        format: b.add_text_field(names::FORMAT, STRING | FAST),
        branch: b.add_text_field(names::BRANCH, STRING | FAST),
        avail_branch: b.add_text_field("avail_branch", STRING),
        available_count: b.add_u64_field(names::AVAILABLE_COUNT, INDEXED | FAST),
        suppressed: b.add_u64_field("suppressed", INDEXED),
        browse_title: b.add_text_field("browse_title", STRING),
        browse_author: b.add_text_field("browse_author", STRING),
        browse_subject: b.add_text_field("browse_subject", STRING),
        browse_callnumber: b.add_text_field("browse_callnumber", STRING),
        title_sort: b.add_text_field(names::TITLE_SORT, FAST),
        author_sort: b.add_text_field(names::AUTHOR_SORT, FAST),
        updated_at: b.add_i64_field("updated_at", FAST),
        item_count: b.add_u64_field(names::ITEM_COUNT, FAST),
    };
    (b.build(), fields)
}

/// Truncates `s` to at most `max` bytes on a char boundary.
pub(crate) fn truncate(mut s: String, max: usize) -> String {
    if s.len() > max {
        let mut cut = max;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
    }
    s
}

/// Key of a whole value as used for exact matching, sorting and browsing.
pub(crate) fn key(text: &str) -> String {
    truncate(normalize_key(text), MAX_KEY_BYTES)
}

/// Normalised code value (language, format, branch): trimmed, lowercased.
pub(crate) fn code(text: &str) -> String {
    text.trim().to_lowercase()
}

/// Display value cleaned of control characters and surrounding blanks.
pub(crate) fn clean_display(text: &str) -> String {
    let cleaned: String = text.chars().filter(|c| !c.is_control()).collect();
    truncate(cleaned.trim().to_string(), MAX_KEY_BYTES)
}

/// A browse term: `key SEP display`.
pub(crate) fn browse_term(key: &str, display: &str) -> String {
    format!("{key}{BROWSE_SEP}{}", clean_display(display))
}

/// Call-number sort key as given by the caller, cleaned of control
/// characters; falls back to the folded display form when empty.
pub(crate) fn callnumber_sort_key(given: Option<&str>, display: &str) -> String {
    let cleaned = given.map(clean_display).unwrap_or_default();
    if cleaned.is_empty() {
        key(display)
    } else {
        cleaned
    }
}

fn add_all(doc: &mut TantivyDocument, fields: &[Field], values: &[String]) {
    for v in values {
        let v = v.trim();
        if !v.is_empty() {
            for &f in fields {
                doc.add_text(f, v);
            }
        }
    }
}

fn add_keys(doc: &mut TantivyDocument, field: Field, values: impl IntoIterator<Item = String>) {
    for k in values {
        if !k.is_empty() {
            doc.add_text(field, k);
        }
    }
}

/// Maps a [`BibDoc`] to a tantivy document.
pub(crate) fn to_document(f: &Fields, d: &BibDoc) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_i64(f.id, d.record_id);

    add_all(
        &mut doc,
        &[f.title, f.title_stem],
        std::slice::from_ref(&d.title),
    );
    add_all(
        &mut doc,
        &[f.subtitle, f.title_stem],
        std::slice::from_ref(&d.subtitle),
    );
    add_all(&mut doc, &[f.other_title, f.title_stem], &d.other_titles);
    let title_key = key(&d.title);
    let full_key = key(&format!("{} {}", d.title, d.subtitle));
    add_keys(&mut doc, f.title_key, [title_key.clone()]);
    if full_key != title_key {
        add_keys(&mut doc, f.title_key, [full_key]);
    }
    add_keys(&mut doc, f.title_key, d.other_titles.iter().map(|t| key(t)));

    add_all(&mut doc, &[f.author], &d.authors);
    add_keys(&mut doc, f.author_key, d.authors.iter().map(|a| key(a)));

    add_all(&mut doc, &[f.subject, f.subject_stem], &d.subjects);
    add_keys(&mut doc, f.subject_key, d.subjects.iter().map(|s| key(s)));
    add_keys(
        &mut doc,
        f.subject_facet,
        d.subjects.iter().map(|s| clean_display(s)),
    );

    add_all(&mut doc, &[f.series], &d.series);
    add_keys(&mut doc, f.series_key, d.series.iter().map(|s| key(s)));
    add_all(&mut doc, &[f.publisher], &d.publisher);
    add_all(&mut doc, &[f.place], &d.place);
    for group in [&d.notes, &d.summary, &d.contents] {
        add_all(&mut doc, &[f.notes, f.notes_stem], group);
    }

    add_keys(
        &mut doc,
        f.isbn,
        d.isbns.iter().map(|i| compact_identifier(i)),
    );
    add_keys(
        &mut doc,
        f.issn,
        d.issns.iter().map(|i| compact_identifier(i)),
    );
    add_keys(&mut doc, f.lccn, d.lccn.iter().map(|l| normalize_lccn(l)));
    add_keys(
        &mut doc,
        f.control,
        d.control_number.iter().map(|c| c.trim().to_string()),
    );
    add_keys(
        &mut doc,
        f.other_id,
        d.other_identifiers.iter().map(|c| key(c)),
    );

    add_all(&mut doc, &[f.callnumber], &d.call_numbers);
    add_keys(
        &mut doc,
        f.callnumber_key,
        d.call_numbers.iter().map(|c| key(c)),
    );

    if let Some(y) = d.year {
        doc.add_i64(f.year, i64::from(y));
    }
    add_keys(&mut doc, f.language, d.languages.iter().map(|l| code(l)));
    add_keys(&mut doc, f.format, [code(&d.format)]);
    add_keys(&mut doc, f.branch, d.branches.iter().map(|b| code(b)));
    add_keys(
        &mut doc,
        f.avail_branch,
        d.available_branches.iter().map(|b| code(b)),
    );
    doc.add_u64(f.available_count, u64::from(d.available_count));
    doc.add_u64(f.suppressed, u64::from(d.suppressed));

    // Sort values.
    let title_sort = if d.title_sort.trim().is_empty() {
        title_key
    } else {
        key(&d.title_sort)
    };
    if !title_sort.is_empty() {
        doc.add_text(f.title_sort, &title_sort);
    }
    if let Some(a) = d.authors.first().map(|a| key(a)).filter(|a| !a.is_empty()) {
        doc.add_text(f.author_sort, a);
    }
    doc.add_i64(f.updated_at, d.updated_at);
    doc.add_u64(f.item_count, u64::from(d.item_count));

    // Browse terms: only for records the public may see.
    if !d.suppressed {
        if !title_sort.is_empty() {
            doc.add_text(f.browse_title, browse_term(&title_sort, &d.title));
        }
        for a in &d.authors {
            let k = key(a);
            if !k.is_empty() {
                doc.add_text(f.browse_author, browse_term(&k, a));
            }
        }
        for s in &d.subjects {
            let k = key(s);
            if !k.is_empty() {
                doc.add_text(f.browse_subject, browse_term(&k, s));
            }
        }
        for (i, c) in d.call_numbers.iter().enumerate() {
            let k = callnumber_sort_key(d.call_number_sort_keys.get(i).map(String::as_str), c);
            if !k.is_empty() {
                doc.add_text(f.browse_callnumber, browse_term(&k, c));
            }
        }
    }
    doc
}
