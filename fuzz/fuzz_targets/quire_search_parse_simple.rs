//! The OPAC search-box parser and the query compiler must accept any text.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use quire_search::{BibDoc, Query, SearchIndex, SearchRequest};

fn index() -> &'static SearchIndex {
    static INDEX: OnceLock<SearchIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let idx = SearchIndex::in_memory().expect("in-memory index");
        idx.upsert(&[BibDoc {
            record_id: 1,
            title: "Tiếng Việt cơ bản".into(),
            authors: vec!["Nguyễn, Văn Đức".into()],
            isbns: vec!["9780306406157".into()],
            year: Some(2012),
            ..BibDoc::default()
        }])
        .expect("upsert");
        idx.commit(1).expect("commit");
        idx
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let query = Query::parse_simple(&text);
    let mut req = SearchRequest::new(query);
    req.facets = true;
    // Errors are allowed (they are values); panics are not.
    let _ = index().search(&req);
});
