//! End-to-end tests of the index on a small realistic corpus.

use crate::*;

fn book(id: i64, title: &str, authors: &[&str], subjects: &[&str], year: i32) -> BibDoc {
    BibDoc {
        record_id: id,
        title: title.into(),
        authors: authors.iter().map(|s| s.to_string()).collect(),
        subjects: subjects.iter().map(|s| s.to_string()).collect(),
        year: Some(year),
        format: "book".into(),
        languages: vec!["eng".into()],
        item_count: 1,
        available_count: 1,
        branches: vec!["main".into()],
        available_branches: vec!["main".into()],
        ..BibDoc::default()
    }
}

fn corpus() -> Vec<BibDoc> {
    let mut docs = vec![
        book(1, "Dune", &["Herbert, Frank"], &["Science fiction"], 1965),
        book(
            2,
            "Dune Messiah",
            &["Herbert, Frank"],
            &["Science fiction"],
            1969,
        ),
        book(
            3,
            "Children of Dune",
            &["Herbert, Frank"],
            &["Science fiction"],
            1976,
        ),
        book(
            4,
            "The Science of Arrakis",
            &["Grazier, Kevin R."],
            &["Herbert, Frank. Dune", "Science in literature"],
            2008,
        ),
        book(
            5,
            "Noli me tángere",
            &["Rizal, José, 1861-1896"],
            &["Philippines -- History -- Fiction"],
            1887,
        ),
        book(
            6,
            "Rizal without the overcoat",
            &["Ocampo, Ambeth R."],
            &["Rizal, José, 1861-1896"],
            1990,
        ),
        book(
            7,
            "Tiếng Việt cơ bản",
            &["Nguyễn, Văn Đức"],
            &["Vietnamese language -- Textbooks"],
            2012,
        ),
        book(8, "東京大学の歴史", &["田中"], &["東京大学"], 2001),
        book(
            9,
            "Running libraries",
            &["Smith, Jane"],
            &["Libraries -- Administration"],
            2015,
        ),
    ];
    docs[6].languages = vec!["vie".into()];
    docs[6].format = "ebook".into();
    docs[6].available_count = 0;
    docs[6].available_branches.clear();
    docs[6].branches = vec!["north".into()];
    docs[4].languages = vec!["spa".into(), "tgl".into()];
    docs[0].isbns = vec!["0306406152".into(), "9780306406157".into()];
    docs[0].issns = vec!["0378-5955".into()];
    docs[0].lccn = Some("n78-89035".into());
    docs[0].control_number = Some("ocm12345".into());
    docs[0].call_numbers = vec!["PS3558.E63 D8 1965".into()];
    docs[0].call_number_sort_keys = vec!["PS 3558.E63 D8 1965".into()];
    docs[1].call_numbers = vec!["PS3558.E63 D83 1969".into()];
    docs[1].call_number_sort_keys = vec!["PS 3558.E63 D83 1969".into()];
    docs[8].call_numbers = vec!["Z678 .S65 2015".into()];
    docs[8].call_number_sort_keys = vec!["Z 678 S65 2015".into()];
    docs[8].series = vec!["Library management series".into()];
    docs[8].publisher = vec!["ALA Editions".into()];
    docs[8].notes = vec!["Includes bibliographical references.".into()];
    docs
}

fn index() -> SearchIndex {
    let idx = SearchIndex::in_memory().unwrap();
    idx.upsert(&corpus()).unwrap();
    idx.commit(9).unwrap();
    idx
}

fn ids(idx: &SearchIndex, q: Query) -> Vec<i64> {
    let mut req = SearchRequest::new(q);
    req.limit = 100;
    idx.search(&req)
        .unwrap()
        .hits
        .iter()
        .map(|h| h.record_id)
        .collect()
}

fn simple(idx: &SearchIndex, text: &str) -> Vec<i64> {
    ids(idx, Query::parse_simple(text))
}

#[test]
fn dune_ranks_known_item_first() {
    let idx = index();
    let got = simple(&idx, "dune");
    assert_eq!(
        got,
        [1, 2, 3, 4],
        "exact title, then title prefix, then title word, then subject"
    );
    assert_eq!(simple(&idx, "children of dune")[0], 3);
    assert_eq!(simple(&idx, "DUNE MESSIAH")[0], 2);
}

#[test]
fn author_match_outranks_subject_match() {
    let idx = index();
    let got = simple(&idx, "rizal");
    assert_eq!(got.len(), 2);
    // Record 6 has "Rizal" in its title *and* as subject, record 5 has it as
    // author: the title word wins (it is the more specific known item) …
    assert_eq!(got, [6, 5]);
    // … but by author, only the author counts.
    assert_eq!(
        ids(&idx, Query::term(Field::Author, "rizal", MatchMode::Words)),
        [5]
    );
    assert_eq!(
        ids(&idx, Query::term(Field::Subject, "rizal", MatchMode::Words)),
        [6]
    );
    // A subject-only mention ranks below an author match.
    let mut extra = book(
        10,
        "Philippine essays",
        &["Someone, Else"],
        &["Rizal, José, 1861-1896"],
        2000,
    );
    extra.record_id = 10;
    idx.upsert(&[extra]).unwrap();
    idx.commit(10).unwrap();
    let got = simple(&idx, "rizal jose");
    let pos = |id| got.iter().position(|&x| x == id).unwrap();
    assert!(pos(5) < pos(10), "author before subject-only: {got:?}");
}

#[test]
fn folding_makes_vietnamese_forgiving() {
    let idx = index();
    for q in [
        "tieng viet",
        "Tiếng Việt",
        "TIẾNG VIỆT",
        "tiếng viet co ban",
        "nguyen van duc",
    ] {
        assert_eq!(simple(&idx, q), [7], "{q}");
    }
    assert_eq!(simple(&idx, "noli me tangere"), [5]);
    assert_eq!(simple(&idx, "jose rizal noli"), [5]);
}

#[test]
fn cjk_search_by_bigrams() {
    let idx = index();
    assert_eq!(simple(&idx, "東京大学"), [8]);
    assert_eq!(simple(&idx, "大学"), [8]);
    assert_eq!(simple(&idx, "歴史"), [8]);
    assert!(simple(&idx, "京都").is_empty());
}

#[test]
fn stemming_finds_other_forms_but_exact_ranks_higher() {
    let idx = index();
    assert_eq!(simple(&idx, "library"), [9]);
    assert_eq!(simple(&idx, "run"), [9]);
    assert_eq!(
        ids(
            &idx,
            Query::term(Field::Title, "running library", MatchMode::Phrase)
        ),
        [9]
    );
}

#[test]
fn identifiers_in_any_form() {
    let idx = index();
    for q in [
        "0306406152",
        "0-306-40615-2",
        "978-0-306-40615-7",
        "9780306406157",
        "isbn:0306406152",
    ] {
        assert_eq!(simple(&idx, q), [1], "{q}");
    }
    assert_eq!(
        ids(
            &idx,
            Query::term(Field::Isbn, "0 306 40615 2", MatchMode::Exact)
        ),
        [1]
    );
    assert_eq!(
        ids(&idx, Query::term(Field::Issn, "03785955", MatchMode::Exact)),
        [1]
    );
    assert_eq!(simple(&idx, "0378-5955"), [1]);
    assert_eq!(
        ids(
            &idx,
            Query::term(Field::Lccn, "n 78-89035", MatchMode::Exact)
        ),
        [1]
    );
    assert_eq!(simple(&idx, "n78-89035"), [1]);
    assert_eq!(
        ids(
            &idx,
            Query::term(Field::ControlNumber, "ocm12345", MatchMode::Exact)
        ),
        [1]
    );
    assert_eq!(
        ids(&idx, Query::term(Field::Isbn, "978030", MatchMode::Prefix)),
        [1]
    );
}

#[test]
fn isbn10_only_in_index_found_by_isbn13_query() {
    let idx = SearchIndex::in_memory().unwrap();
    let mut d = book(1, "Only ten", &[], &[], 2000);
    d.isbns = vec!["080442957X".into()];
    idx.upsert(&[d]).unwrap();
    idx.commit(1).unwrap();
    assert_eq!(simple(&idx, "978-0-8044-2957-3"), [1]);
    assert_eq!(simple(&idx, "0-8044-2957-x"), [1]);
}

#[test]
fn field_queries_and_modes() {
    let idx = index();
    let t = |f, s: &str, m| ids(&idx, Query::term(f, s, m));
    assert_eq!(t(Field::Title, "dune", MatchMode::Exact), [1]);
    let mut starts = t(Field::Title, "dune", MatchMode::StartsWith);
    starts.sort();
    assert_eq!(starts, [1, 2]);
    assert_eq!(t(Field::Title, "mess", MatchMode::Prefix), [2]);
    assert_eq!(t(Field::Title, "of du", MatchMode::Prefix), [3]);
    assert_eq!(
        t(Field::Author, "herbert, frank", MatchMode::Exact).len(),
        3
    );
    assert_eq!(t(Field::Author, "rizal", MatchMode::StartsWith), [5]);
    assert_eq!(
        t(Field::Series, "library management", MatchMode::Phrase),
        [9]
    );
    assert_eq!(t(Field::Publisher, "ala", MatchMode::Words), [9]);
    assert_eq!(t(Field::CallNumber, "Z678", MatchMode::StartsWith), [9]);
    assert_eq!(t(Field::CallNumber, "ps3558", MatchMode::Words).len(), 2);
    assert_eq!(t(Field::Year, "1887", MatchMode::Exact), [5]);
    assert_eq!(t(Field::Language, "VIE", MatchMode::Exact), [7]);
    assert_eq!(t(Field::Format, "ebook", MatchMode::Exact), [7]);
    assert_eq!(t(Field::Branch, "north", MatchMode::Exact), [7]);
    assert_eq!(simple(&idx, "bibliographical references"), [9]);
    assert!(t(Field::Year, "not a year", MatchMode::Exact).is_empty());
    assert!(t(Field::Title, "...", MatchMode::Words).is_empty());
}

#[test]
fn booleans() {
    let idx = index();
    let dune = || Query::term(Field::Title, "dune", MatchMode::Words);
    let messiah = || Query::term(Field::Title, "messiah", MatchMode::Words);
    let mut got = ids(&idx, Query::Not(Box::new(dune()), Box::new(messiah())));
    got.sort();
    assert_eq!(got, [1, 3]);
    assert_eq!(ids(&idx, Query::And(vec![dune(), messiah()])), [2]);
    let mut got = ids(
        &idx,
        Query::Or(vec![
            messiah(),
            Query::term(Field::Author, "rizal", MatchMode::Words),
        ]),
    );
    got.sort();
    assert_eq!(got, [2, 5]);
    assert!(ids(&idx, Query::Or(vec![])).is_empty());
    assert_eq!(ids(&idx, Query::And(vec![])).len(), 9);
    assert_eq!(
        ids(
            &idx,
            Query::YearRange {
                from: Some(1960),
                to: Some(1969)
            }
        )
        .len(),
        2
    );
    assert_eq!(
        ids(
            &idx,
            Query::YearRange {
                from: None,
                to: Some(1900)
            }
        ),
        [5]
    );
    assert_eq!(
        ids(
            &idx,
            Query::YearRange {
                from: None,
                to: None
            }
        )
        .len(),
        9
    );
    let mut deep = Query::All;
    for _ in 0..100 {
        deep = Query::And(vec![deep]);
    }
    let err = idx.search(&SearchRequest::new(deep)).unwrap_err();
    assert!(matches!(err, Error::QueryTooDeep { .. }), "{err}");
}

#[test]
fn filters_and_facets() {
    let idx = index();
    let mut req = SearchRequest::new(Query::All);
    req.facets = true;
    req.limit = 100;
    let res = idx.search(&req).unwrap();
    assert_eq!(res.total, 9);
    assert_eq!(
        res.facets.format,
        [("book".to_string(), 8), ("ebook".to_string(), 1)]
    );
    assert_eq!(res.facets.language[0], ("eng".to_string(), 7));
    assert!(res.facets.language.contains(&("tgl".to_string(), 1)));
    assert_eq!(res.facets.year_ranges[0], ("2010-2019".to_string(), 2));
    assert_eq!(
        res.facets.year_ranges.last().unwrap(),
        &("1880-1889".to_string(), 1)
    );
    assert_eq!(res.facets.subject[0], ("Science fiction".to_string(), 3));
    assert_eq!(
        res.facets.branch,
        [("main".to_string(), 8), ("north".to_string(), 1)]
    );
    assert_eq!(
        res.facets.availability,
        [("available".to_string(), 8), ("unavailable".to_string(), 1)]
    );

    let run = |filters: Vec<Filter>| {
        let mut r = SearchRequest::new(Query::All);
        r.filters = filters;
        r.limit = 100;
        let mut got: Vec<i64> = idx
            .search(&r)
            .unwrap()
            .hits
            .iter()
            .map(|h| h.record_id)
            .collect();
        got.sort();
        got
    };
    assert_eq!(run(vec![Filter::Format("ebook".into())]), [7]);
    assert_eq!(
        run(vec![
            Filter::Format("ebook".into()),
            Filter::Language("tgl".into())
        ]),
        Vec::<i64>::new()
    );
    assert_eq!(
        run(vec![
            Filter::Language("tgl".into()),
            Filter::Language("vie".into())
        ]),
        [5, 7]
    );
    assert_eq!(
        run(vec![Filter::YearRange {
            from: Some(2000),
            to: None
        }]),
        [4, 7, 8, 9]
    );
    assert_eq!(
        run(vec![Filter::Subject("Science fiction".into())]),
        [1, 2, 3]
    );
    assert_eq!(run(vec![Filter::Branch("north".into())]), [7]);
    assert_eq!(run(vec![Filter::AvailableOnly]).len(), 8);
    assert_eq!(
        run(vec![Filter::AvailableAt("north".into())]),
        Vec::<i64>::new()
    );
    assert_eq!(run(vec![Filter::AvailableAt("MAIN".into())]).len(), 8);

    // Facets follow the query.
    let mut req = SearchRequest::new(Query::parse_simple("dune"));
    req.facets = true;
    let res = idx.search(&req).unwrap();
    assert_eq!(res.facets.format, [("book".to_string(), 4)]);
    assert_eq!(res.facets.year_ranges.len(), 3);
    // Filters do not change relevance order.
    let mut req = SearchRequest::new(Query::parse_simple("dune"));
    req.filters = vec![Filter::Format("book".into())];
    let got: Vec<i64> = idx
        .search(&req)
        .unwrap()
        .hits
        .iter()
        .map(|h| h.record_id)
        .collect();
    assert_eq!(got, [1, 2, 3, 4]);
}

#[test]
fn sorting_and_paging() {
    let idx = index();
    let run = |sort, offset, limit| {
        let mut r = SearchRequest::new(Query::parse_simple("dune"));
        r.sort = sort;
        r.offset = offset;
        r.limit = limit;
        let res = idx.search(&r).unwrap();
        (
            res.total,
            res.hits.iter().map(|h| h.record_id).collect::<Vec<_>>(),
        )
    };
    assert_eq!(run(SortOrder::Title, 0, 10).1, [3, 1, 2, 4]);
    assert_eq!(run(SortOrder::DateNewest, 0, 10).1, [4, 3, 2, 1]);
    assert_eq!(run(SortOrder::DateOldest, 0, 10).1, [1, 2, 3, 4]);
    assert_eq!(run(SortOrder::Author, 0, 10).1[0], 4);
    assert_eq!(run(SortOrder::DateOldest, 1, 2), (4, vec![2, 3]));
    assert_eq!(run(SortOrder::Relevance, 3, 10), (4, vec![4]));
    assert_eq!(run(SortOrder::Relevance, 0, 0), (4, vec![]));
    assert_eq!(run(SortOrder::Relevance, 10_000_000, 10), (4, vec![]));
}

#[test]
fn title_sort_uses_given_filing_form() {
    let idx = SearchIndex::in_memory().unwrap();
    let mut a = book(1, "The Zebra", &[], &[], 2000);
    a.title_sort = "Zebra".into();
    let b = book(2, "Mango", &[], &[], 2000);
    let mut c = book(3, "An Apple", &[], &[], 2000);
    c.title_sort = "Apple".into();
    idx.upsert(&[a, b, c]).unwrap();
    idx.commit(1).unwrap();
    let mut r = SearchRequest::new(Query::All);
    r.sort = SortOrder::Title;
    let got: Vec<i64> = idx
        .search(&r)
        .unwrap()
        .hits
        .iter()
        .map(|h| h.record_id)
        .collect();
    assert_eq!(got, [3, 2, 1]);
}

#[test]
fn suppressed_records_are_hidden() {
    let idx = index();
    let mut d = book(
        20,
        "Secret Dune draft",
        &["Herbert, Frank"],
        &["Drafts"],
        1960,
    );
    d.suppressed = true;
    idx.upsert(&[d]).unwrap();
    idx.commit(20).unwrap();
    assert!(!simple(&idx, "dune").contains(&20));
    assert!(!idx.doc_ids_for(&Query::All).unwrap().contains(&20));
    let mut r = SearchRequest::new(Query::parse_simple("secret"));
    r.include_suppressed = true;
    assert_eq!(idx.search(&r).unwrap().hits[0].record_id, 20);
    let browse = idx.browse(BrowseField::Subject, "drafts", 0, 5).unwrap();
    assert!(browse.iter().all(|e| e.sort_key != "drafts"), "{browse:?}");
    assert_eq!(idx.count(), 10);
}

#[test]
fn upsert_replaces_and_delete_removes() {
    let idx = index();
    let mut d = book(1, "Dune (revised)", &["Herbert, Frank"], &[], 1965);
    d.title = "Dune, revised edition".into();
    idx.upsert(&[d.clone(), d]).unwrap();
    idx.commit(11).unwrap();
    assert_eq!(idx.count(), 9);
    assert_eq!(simple(&idx, "revised"), [1]);
    idx.delete(&[1, 2, 999]).unwrap();
    idx.commit(12).unwrap();
    assert_eq!(idx.count(), 7);
    assert!(simple(&idx, "messiah").is_empty());
    assert_eq!(
        idx.doc_ids_for(&Query::parse_simple("dune")).unwrap(),
        [3, 4]
    );
    // Uncommitted changes can be rolled back.
    idx.delete(&[3]).unwrap();
    idx.rollback().unwrap();
    idx.commit(13).unwrap();
    assert_eq!(
        idx.doc_ids_for(&Query::parse_simple("dune")).unwrap(),
        [3, 4]
    );
    // clear() + re-add in one commit.
    idx.clear().unwrap();
    idx.upsert(&[book(50, "Fresh start", &[], &[], 2020)])
        .unwrap();
    idx.commit(14).unwrap();
    assert_eq!(idx.doc_ids_for(&Query::All).unwrap(), [50]);
    assert_eq!(idx.last_watermark().unwrap(), Some(14));
}

#[test]
fn doc_ids_for_returns_all_matches_sorted() {
    let idx = index();
    assert_eq!(
        idx.doc_ids_for(&Query::All).unwrap(),
        (1..=9).collect::<Vec<_>>()
    );
    assert_eq!(
        idx.doc_ids_for(&Query::term(
            Field::Subject,
            "science fiction",
            MatchMode::Phrase
        ))
        .unwrap(),
        [1, 2, 3]
    );
}

#[test]
fn browse_lists_neighbours() {
    let idx = index();
    let authors = idx.browse(BrowseField::Author, "ocampo", 2, 3).unwrap();
    let keys: Vec<&str> = authors.iter().map(|e| e.sort_key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "herbert frank",
            "nguyen van duc",
            "ocampo ambeth r",
            "rizal jose 1861 1896",
            "smith jane"
        ]
    );
    assert_eq!(authors[0].count, 3);
    assert_eq!(authors[0].term, "Herbert, Frank");
    assert_eq!(authors[3].term, "Rizal, José, 1861-1896");

    let start = BrowseField::Author.start_key("Ocampo");
    assert_eq!(authors.iter().filter(|e| e.sort_key < start).count(), 2);

    let titles = idx.browse(BrowseField::Title, "dune", 1, 3).unwrap();
    let terms: Vec<&str> = titles.iter().map(|e| e.term.as_str()).collect();
    assert_eq!(
        terms,
        [
            "Children of Dune",
            "Dune",
            "Dune Messiah",
            "Noli me tángere"
        ]
    );

    // Starting point between entries, and beyond the end.
    let subjects = idx.browse(BrowseField::Subject, "s", 0, 2).unwrap();
    assert_eq!(subjects[0].term, "Science fiction");
    assert_eq!(subjects[0].count, 3);
    // Keys sort by code point: CJK headings come after Latin ones.
    let tail = idx.browse(BrowseField::Subject, "zzzz", 0, 5).unwrap();
    assert_eq!(tail.len(), 1);
    assert_eq!(tail[0].term, "東京大学");
    assert_eq!(
        idx.browse(BrowseField::Subject, "zzzz", 2, 5)
            .unwrap()
            .len(),
        3
    );
    // From the start.
    assert_eq!(
        idx.browse(BrowseField::Title, "", 5, 1).unwrap()[0].term,
        "Children of Dune"
    );

    let shelf = idx
        .browse(BrowseField::CallNumber, "PS 3558.E63 D83", 1, 5)
        .unwrap();
    let terms: Vec<&str> = shelf.iter().map(|e| e.term.as_str()).collect();
    assert_eq!(
        terms,
        [
            "PS3558.E63 D8 1965",
            "PS3558.E63 D83 1969",
            "Z678 .S65 2015"
        ]
    );
}

#[test]
fn browse_merges_segments_and_ignores_deleted() {
    let idx = SearchIndex::in_memory().unwrap();
    for (i, name) in ["Adams, Ann", "Baker, Bob", "Clark, Cy"].iter().enumerate() {
        idx.upsert(&[book(i as i64 + 1, "T", &[name], &[], 2000)])
            .unwrap();
        idx.commit(i as u64).unwrap(); // one segment each
    }
    idx.upsert(&[
        book(10, "T", &["Baker, Bob"], &[], 2000),
        book(11, "T", &["BAKER, BOB"], &[], 2000),
    ])
    .unwrap();
    idx.commit(5).unwrap();
    let got = idx.browse(BrowseField::Author, "b", 5, 5).unwrap();
    assert_eq!(got.len(), 3);
    assert_eq!(got[1].sort_key, "baker bob");
    assert_eq!(got[1].count, 3);
    assert_eq!(got[1].term, "Baker, Bob");
    idx.delete(&[1]).unwrap();
    idx.commit(6).unwrap();
    let got = idx.browse(BrowseField::Author, "", 0, 5).unwrap();
    assert_eq!(got[0].sort_key, "baker bob");
}

#[test]
fn watermark_survives_reopen_and_crash() {
    let dir = std::env::temp_dir().join(format!("quire-search-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    {
        let idx = SearchIndex::open(&dir).unwrap();
        assert_eq!(idx.last_watermark().unwrap(), None);
        idx.upsert(&corpus()).unwrap();
        idx.commit(42).unwrap();
        // Uncommitted work, then a "crash" (drop without commit).
        idx.upsert(&[book(100, "Lost in the crash", &[], &[], 2020)])
            .unwrap();
        idx.close_writer().unwrap();
    }
    {
        let idx = SearchIndex::open(&dir).unwrap();
        assert_eq!(idx.last_watermark().unwrap(), Some(42));
        assert_eq!(idx.count(), 9);
        assert!(simple(&idx, "crash").is_empty());
        assert_eq!(simple(&idx, "tieng viet"), [7]);
    }
    // A schema version change is reported, and open_or_recreate rebuilds.
    std::fs::write(
        dir.join("quire-search-version.json"),
        r#"{"schema_version":0}"#,
    )
    .unwrap();
    let err = SearchIndex::open(&dir).unwrap_err();
    assert!(matches!(err, Error::NeedsRebuild { .. }), "{err}");
    assert!(err.to_string().contains("rebuilt"));
    let (idx, recreated) = SearchIndex::open_or_recreate(&dir).unwrap();
    assert!(recreated);
    assert_eq!(idx.count(), 0);
    assert_eq!(idx.last_watermark().unwrap(), None);
    drop(idx);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn refuses_foreign_directory() {
    let dir = std::env::temp_dir().join(format!("quire-search-foreign-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("precious.txt"), "do not delete").unwrap();
    assert!(matches!(
        SearchIndex::open(&dir),
        Err(Error::NotAnIndex { .. })
    ));
    assert!(matches!(
        SearchIndex::open_or_recreate(&dir),
        Err(Error::NotAnIndex { .. })
    ));
    assert!(dir.join("precious.txt").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn concurrent_readers_while_writing() {
    let idx = std::sync::Arc::new(index());
    let readers: Vec<_> = (0..4)
        .map(|_| {
            let idx = idx.clone();
            std::thread::spawn(move || {
                for _ in 0..20 {
                    let n = idx
                        .search(&SearchRequest::new(Query::parse_simple("dune")))
                        .unwrap()
                        .total;
                    assert!(n >= 4);
                }
            })
        })
        .collect();
    for i in 0..5 {
        idx.upsert(&[book(100 + i, "Dune fan fiction", &[], &[], 2020)])
            .unwrap();
        idx.commit(100 + i as u64).unwrap();
    }
    for r in readers {
        r.join().unwrap();
    }
    assert_eq!(simple(&idx, "fan fiction").len(), 5);
}

mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn any_user_text_searches_without_error(s in any::<String>()) {
            let idx = SearchIndex::in_memory().unwrap();
            idx.upsert(&[book(1, &s, &[&s], &[&s], 2000)]).unwrap();
            idx.commit(1).unwrap();
            let mut req = SearchRequest::new(Query::parse_simple(&s));
            req.facets = true;
            idx.search(&req).unwrap();
            for field in [BrowseField::Title, BrowseField::Author, BrowseField::CallNumber] {
                idx.browse(field, &s, 3, 3).unwrap();
            }
            for mode in [MatchMode::Words, MatchMode::Phrase, MatchMode::Exact, MatchMode::Prefix, MatchMode::StartsWith] {
                for field in [Field::Any, Field::Title, Field::Isbn, Field::Year, Field::CallNumber] {
                    idx.search(&SearchRequest::new(Query::term(field, s.clone(), mode))).unwrap();
                }
            }
        }

        #[test]
        fn a_title_is_found_by_its_own_words(words in proptest::collection::vec("[a-zA-Zàéîõüđ]{2,10}", 1..5)) {
            let title = words.join(" ");
            let idx = SearchIndex::in_memory().unwrap();
            idx.upsert(&[book(1, &title, &[], &[], 2000), book(2, "zzqq other", &[], &[], 2000)]).unwrap();
            idx.commit(1).unwrap();
            let got = simple(&idx, &crate::analysis::fold(&title).to_uppercase());
            prop_assert_eq!(got, vec![1]);
            let exact = ids(&idx, Query::term(Field::Title, title.clone(), MatchMode::Exact));
            prop_assert_eq!(exact, vec![1]);
        }
    }
}

/// Real LoC records (UTF-8 MARC samples in the shared fixtures): every title
/// must be found by its words typed without diacritics and in upper case,
/// in the romanised (245) and the vernacular (880) form.
mod real_records {
    use super::*;

    /// Minimal ISO 2709 walk for the test only: (tag, data) of each field.
    fn fields(record: &[u8]) -> Vec<(String, Vec<u8>)> {
        let mut out = Vec::new();
        let Some(base) = record
            .get(12..17)
            .and_then(|b| std::str::from_utf8(b).ok())
            .and_then(|s| s.parse::<usize>().ok())
        else {
            return out;
        };
        let mut pos = 24;
        while pos + 12 <= record.len() && record[pos] != 0x1E {
            let entry = &record[pos..pos + 12];
            let tag = String::from_utf8_lossy(&entry[..3]).to_string();
            let len: usize = std::str::from_utf8(&entry[3..7]).unwrap().parse().unwrap();
            let start: usize = std::str::from_utf8(&entry[7..12]).unwrap().parse().unwrap();
            if let Some(data) = record.get(base + start..base + start + len) {
                out.push((tag, data.to_vec()));
            }
            pos += 12;
        }
        out
    }

    fn subfields(data: &[u8], codes: &[u8]) -> String {
        data.split(|&b| b == 0x1F)
            .skip(1)
            .filter(|s| !s.is_empty() && codes.contains(&s[0]))
            .map(|s| {
                String::from_utf8_lossy(&s[1..])
                    .trim_end_matches(['\u{1E}', ' ', '/', ':', ';', '.', ','])
                    .to_string()
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn load(name: &str) -> Option<Vec<BibDoc>> {
        let path = quire_testdata::fixture(&format!("marc/{name}"))?;
        let bytes = std::fs::read(path).unwrap();
        let mut docs = Vec::new();
        for (i, rec) in bytes
            .split(|&b| b == 0x1D)
            .filter(|r| r.len() > 24)
            .enumerate()
        {
            let mut d = BibDoc {
                record_id: i as i64 + 1,
                format: "book".into(),
                ..BibDoc::default()
            };
            for (tag, data) in fields(rec) {
                match tag.as_str() {
                    "245" => {
                        d.title = subfields(&data, b"a");
                        d.subtitle = subfields(&data, b"b");
                    }
                    "100" | "700" => d.authors.push(subfields(&data, b"a")),
                    "650" | "651" | "600" => d.subjects.push(subfields(&data, b"axyz")),
                    "880" => {
                        // Vernacular field: $6 says which field it pairs with.
                        let link = subfields(&data, b"6");
                        if link.starts_with("245") {
                            d.other_titles.push(subfields(&data, b"ab"));
                        } else if link.starts_with("100") || link.starts_with("700") {
                            d.authors.push(subfields(&data, b"a"));
                        }
                    }
                    _ => {}
                }
            }
            docs.push(d);
        }
        Some(docs)
    }

    fn check(name: &str) {
        let Some(docs) = load(name) else { return };
        assert!(docs.len() >= 20, "{name}: {} records", docs.len());
        let idx = SearchIndex::in_memory().unwrap();
        idx.upsert(&docs).unwrap();
        idx.commit(1).unwrap();
        let mut checked = 0;
        for d in &docs {
            for title in std::iter::once(&d.title).chain(&d.other_titles) {
                if crate::analysis::analyze(title).is_empty() {
                    continue;
                }
                let typed = crate::analysis::fold(title).to_uppercase();
                let mut req =
                    SearchRequest::new(Query::term(Field::Title, typed.clone(), MatchMode::Words));
                req.limit = 10;
                let hits: Vec<i64> = idx
                    .search(&req)
                    .unwrap()
                    .hits
                    .iter()
                    .map(|h| h.record_id)
                    .collect();
                assert!(
                    hits.contains(&d.record_id),
                    "{name}: {title:?} typed as {typed:?} not found: {hits:?}"
                );
                // The exact title is the first hit for a keyword search.
                let res = idx
                    .search(&SearchRequest::new(Query::parse_simple(title)))
                    .unwrap();
                let first = res.hits.first().map(|h| h.record_id);
                let same_title = docs
                    .iter()
                    .filter(|o| &o.title == title || o.other_titles.contains(title))
                    .count();
                if same_title == 1 {
                    assert_eq!(first, Some(d.record_id), "{name}: {title:?}");
                }
                checked += 1;
            }
        }
        assert!(
            checked >= docs.len(),
            "{name}: only {checked} titles checked"
        );
    }

    #[test]
    fn vietnamese() {
        check("loc__books2016_vietnamese.mrc");
    }

    #[test]
    fn cjk() {
        check("loc__books2016_cjk.mrc");
    }

    #[test]
    fn arabic() {
        check("loc__books2016_arabic.mrc");
    }

    #[test]
    fn hebrew() {
        check("loc__books2016_hebrew.mrc");
    }

    #[test]
    fn cyrillic() {
        check("loc__books2016_cyrillic.mrc");
    }
}

#[test]
fn subject_facet_top_values_exact_with_many_distinct_values() {
    let idx = SearchIndex::in_memory().unwrap();
    let docs: Vec<BibDoc> = (0..2500)
        .map(|i| {
            let mut subjects = vec![format!("Unique subject {i}")];
            if i % 2 == 0 {
                subjects.push("Common".into());
            }
            if i % 5 == 0 {
                subjects.push("Less common".into());
            }
            book(
                i,
                "T",
                &[],
                &subjects.iter().map(String::as_str).collect::<Vec<_>>(),
                2000,
            )
        })
        .collect();
    idx.upsert(&docs).unwrap();
    idx.commit(1).unwrap();
    let mut req = SearchRequest::new(Query::All);
    req.facets = true;
    let res = idx.search(&req).unwrap();
    assert_eq!(res.facets.subject.len(), SUBJECT_FACET_LIMIT);
    assert_eq!(res.facets.subject[0], ("Common".to_string(), 1250));
    assert_eq!(res.facets.subject[1], ("Less common".to_string(), 500));
    assert_eq!(res.facets.subject[2].1, 1);
}
