#![no_main]
//! Printing: breaking any call number over spine-label lines, folding any
//! text to the PDF base fonts, and reading a shelf from arbitrary scans
//! never panic and keep their limits.
use libfuzzer_sys::fuzz_target;
use quire_domain::callnumber::Scheme;
use quire_domain::shelf::out_of_order;
use quire_print::{spine_lines, to_winansi};

fuzz_target!(|data: &[u8]| {
    let Some((&head, rest)) = data.split_first() else {
        return;
    };
    let s = String::from_utf8_lossy(rest);
    let scheme = [Scheme::Lc, Scheme::Dewey, Scheme::Other][usize::from(head % 3)];
    let max_chars = usize::from(head >> 2) % 16;
    let max_lines = usize::from(head >> 4) % 9;
    let lines = spine_lines(scheme, &s, max_chars, max_lines);
    assert!(lines.len() <= max_lines.max(1));
    assert_eq!(to_winansi(&s).len(), s.chars().count());
    let flagged = out_of_order(rest);
    assert!(flagged.len() < rest.len().max(1));
});
