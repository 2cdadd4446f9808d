#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Command-line tools that need no library.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

fn sort(scheme: &str, input: &str, keys: bool) -> (String, String) {
    let mut args = vec!["call-number", "sort", "--scheme", scheme];
    if keys {
        args.push("--keys");
    }
    let mut child = Command::new(common::BIN)
        .args(&args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn call_numbers_come_out_in_shelf_order() {
    let (out, err) = sort(
        "lc",
        "QA76.9 .D3 1999\nQA76 .A1\nnot a call number\nQA76.73 .R87 2020\nPS3545.I345 Z5\n",
        false,
    );
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        vec![
            "PS3545.I345 Z5",
            "QA76 .A1",
            "QA76.73 .R87 2020",
            "QA76.9 .D3 1999",
            "not a call number"
        ]
    );
    assert!(
        err.contains("line 3") && err.contains("not a valid call number"),
        "{err}"
    );
    let (out, _) = sort("dewey", "823.914 ROW\n005.133 KER\n823.9 ADA\n", true);
    let lines: Vec<_> = out.lines().collect();
    assert_eq!(lines.len(), 3);
    assert!(
        lines[0].ends_with("\t005.133 KER") && lines[2].ends_with("\t823.914 ROW"),
        "{out}"
    );
}

/// Groups of the shared reference orders with no documented disagreement
/// (see quire-domain's callnumber tests for the groups whose sources
/// contradict each other).
fn check_group(file: &str, scheme: &str, wanted_group: &str) {
    let Some((header, rows)) = quire_testdata::read_tsv(file) else {
        return;
    };
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (cn, rank, group) = (col("call_number"), col("expected_sort_rank"), col("group"));
    let mut expected: Vec<(i64, String)> = rows
        .iter()
        .filter(|r| String::from_utf8_lossy(&r[group]) == wanted_group)
        .map(|r| {
            (
                String::from_utf8_lossy(&r[rank]).parse().unwrap(),
                String::from_utf8_lossy(&r[cn]).into_owned(),
            )
        })
        .collect();
    assert!(!expected.is_empty(), "{file}: no group {wanted_group}");
    expected.sort();
    let mut shuffled: Vec<&str> = expected.iter().map(|(_, c)| c.as_str()).collect();
    shuffled.reverse();
    let (out, _) = sort(scheme, &(shuffled.join("\n") + "\n"), true);
    let got: Vec<(&str, &str)> = out.lines().map(|l| l.split_once('\t').unwrap()).collect();
    assert_eq!(got.len(), expected.len());
    let rank_of = |c: &str| {
        expected
            .iter()
            .find(|(_, e)| e.trim() == c)
            .map(|(r, _)| *r)
            .unwrap()
    };
    // Shelf order: a pair may only come out against the reference order when
    // Quire deliberately gives both the same key (punctuation-only variants,
    // documented in quire-domain's call-number tests).
    for w in got.windows(2) {
        let (a, b) = ((w[0].0, rank_of(w[0].1)), (w[1].0, rank_of(w[1].1)));
        assert!(
            a.1 <= b.1 || a.0 == b.0,
            "{wanted_group}: {:?} before {:?}",
            w[0],
            w[1]
        );
    }
}

#[test]
fn real_call_numbers_sort_like_the_reference_orders() {
    check_group(
        "callnumbers/dewey_order.tsv",
        "dewey",
        "stanford.testDeweyShelfKey",
    );
    check_group("callnumbers/lc_order.tsv", "lc", "stanford.testLCShelfKey");
    check_group(
        "callnumbers/lc_order.tsv",
        "lc",
        "lcsort.test_dueber_gem_examples.1",
    );
}

#[test]
fn a_request_cpu_that_cannot_be_used_stops_the_server_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    for (value, says) in [
        ("nonsense", "expected auto, off or a CPU number"),
        ("100000", "--request-cpu 100000"),
    ] {
        let (ok, _, err) = common::cli(
            dir.path(),
            None,
            &["serve", "--http", "127.0.0.1:0", "--request-cpu", value],
        );
        assert!(!ok, "--request-cpu {value} was accepted");
        assert!(err.contains(says), "--request-cpu {value}: {err}");
    }
}

/// The CPUs a thread of `pid` may run on, by thread name (Linux /proc).
#[cfg(target_os = "linux")]
fn thread_cpus(pid: u32) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for t in std::fs::read_dir(format!("/proc/{pid}/task"))
        .unwrap()
        .flatten()
    {
        let comm = std::fs::read_to_string(t.path().join("comm")).unwrap_or_default();
        let status = std::fs::read_to_string(t.path().join("status")).unwrap_or_default();
        if let Some(cpus) = status
            .lines()
            .find_map(|l| l.strip_prefix("Cpus_allowed_list:"))
        {
            out.push((comm.trim().to_owned(), cpus.trim().to_owned()));
        }
    }
    out
}

/// On SQLite the threads that serve requests share one CPU, and the search
/// index's threads get every CPU (see `quire_library::cpu`).
#[cfg(target_os = "linux")]
#[tokio::test]
async fn sqlite_request_threads_share_one_cpu_and_index_threads_use_all() {
    let all = std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .find_map(|l| {
            l.strip_prefix("Cpus_allowed_list:")
                .map(|s| s.trim().to_owned())
        })
        .unwrap();
    if all.chars().all(|c| c.is_ascii_digit()) {
        eprintln!("one CPU only ({all}): nothing is pinned, skipped");
        return;
    }
    let mut server = common::Server::prepare(quire_store::Backend::Sqlite).await;
    server.start("serve");
    let pid = server.pid().unwrap();
    // The index loop takes the index writer within a second of starting.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let threads = loop {
        let t = thread_cpus(pid);
        if t.iter().any(|(n, _)| n.starts_with("thrd-tantivy")) {
            break t;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no index writer thread: {t:?}"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    let workers: Vec<&String> = threads
        .iter()
        .filter(|(n, _)| n.starts_with("tokio-runtime") || n.starts_with("sqlx-sqlite"))
        .map(|(_, c)| c)
        .collect();
    assert!(workers.len() >= 2, "{threads:?}");
    let pinned = workers[0];
    assert!(
        pinned.chars().all(|c| c.is_ascii_digit()),
        "one CPU: {threads:?}"
    );
    assert!(workers.iter().all(|c| *c == pinned), "{threads:?}");
    let index_threads = ["thrd-tantivy", "segment_updater", "merge_thread"];
    for (name, cpus) in threads
        .iter()
        .filter(|(n, _)| index_threads.iter().any(|p| n.starts_with(p)))
    {
        assert_eq!(cpus, &all, "{name} should use every CPU: {threads:?}");
    }
}
