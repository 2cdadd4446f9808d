//! Shelf reading (inventory) as pure functions: which scanned books are out
//! of order, which expected books were not scanned, which scanned books
//! belong elsewhere or carry a status that says they cannot be on the shelf.
//!
//! Out-of-order detection keeps the longest non-decreasing subsequence of
//! the scanned sort keys in place and flags only the rest, so one book put
//! back in the wrong spot flags that one book, not half the shelf.

use crate::circ::status::ItemStatus;

/// Indices of `keys` that are *not* part of one longest non-decreasing
/// subsequence (ascending). Ties are in order (two copies with the same key
/// are never flagged against each other). O(n log n).
///
/// Among several longest subsequences the one ending with the smallest keys
/// is kept (patience sorting), which flags the book that jumped forward
/// rather than the books behind it.
pub fn out_of_order<K: Ord>(keys: &[K]) -> Vec<usize> {
    if keys.is_empty() {
        return Vec::new();
    }
    // tails[l] = index of the smallest tail of a non-decreasing subsequence of length l+1.
    let mut tails: Vec<usize> = Vec::new();
    let mut prev: Vec<Option<usize>> = vec![None; keys.len()];
    for (i, k) in keys.iter().enumerate() {
        // First tail strictly greater than k (non-decreasing: equal keys extend).
        let pos = tails.partition_point(|&t| keys[t] <= *k);
        prev[i] = if pos > 0 { Some(tails[pos - 1]) } else { None };
        if pos == tails.len() {
            tails.push(i);
        } else {
            tails[pos] = i;
        }
    }
    let mut keep = vec![false; keys.len()];
    let mut cur = tails.last().copied();
    while let Some(i) = cur {
        keep[i] = true;
        cur = prev[i];
    }
    keep.iter()
        .enumerate()
        .filter(|&(_, &k)| !k)
        .map(|(i, _)| i)
        .collect()
}

/// One item as the shelf reading sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShelfItem {
    pub barcode: String,
    /// Shelf-order key (`callnumber::sort_key`); items without a call
    /// number sort after every key.
    pub sort_key: Option<String>,
    pub status: ItemStatus,
}

impl ShelfItem {
    fn key(&self) -> (bool, &str, &str) {
        match &self.sort_key {
            Some(k) => (false, k.as_str(), self.barcode.as_str()),
            None => (true, "", self.barcode.as_str()),
        }
    }
}

/// Sorts items into shelf order (sort key, then barcode; no key last).
pub fn shelf_order(items: &mut [ShelfItem]) {
    items.sort_by(|a, b| a.key().cmp(&b.key()));
}

/// A scanned barcode, resolved by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scan {
    /// No item has this barcode.
    Unknown(String),
    /// An item of the section being read.
    InSection(ShelfItem),
    /// An item that belongs to another branch, location or call number range.
    Elsewhere(ShelfItem),
}

/// A scanned book out of order, and where it belongs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Misplaced {
    pub barcode: String,
    /// Position in the scan (0-based).
    pub scanned_at: usize,
    /// The neighbours it belongs between (in shelf order of the section;
    /// `None` at either end).
    pub after: Option<String>,
    pub before: Option<String>,
}

/// Whether an item with this status is expected on the shelf.
pub fn expected_on_shelf(status: ItemStatus) -> bool {
    matches!(status, ItemStatus::Available)
}

/// Statuses a book found on the shelf should not have (the loan, loss or
/// "missing" record is wrong): on loan, lost, missing, claimed returned,
/// long overdue, in transit, on the hold shelf, reshelving (on a cart).
pub fn wrong_status_on_shelf(status: ItemStatus) -> bool {
    !matches!(
        status,
        ItemStatus::Available | ItemStatus::Damaged | ItemStatus::InProcess
    )
}

/// The outcome of reading one section.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InventoryReport {
    /// Barcodes of every section item that was scanned (for the
    /// "last inventory" date).
    pub seen: Vec<String>,
    pub out_of_order: Vec<Misplaced>,
    /// Expected on the shelf (available) but not scanned, in shelf order.
    pub missing: Vec<ShelfItem>,
    /// Scanned, but shelved in another branch/location/range.
    pub elsewhere: Vec<ShelfItem>,
    /// Scanned, of this section, but recorded as on loan/lost/missing/….
    pub wrong_status: Vec<ShelfItem>,
    /// Scanned barcodes no item has.
    pub unknown: Vec<String>,
    /// Barcodes scanned more than once (reported once).
    pub duplicates: Vec<String>,
}

/// Reads a section: `section` is every item of the section (any order),
/// `scans` the scanned barcodes in the order the books stand.
pub fn read_shelf(section: &[ShelfItem], scans: &[Scan]) -> InventoryReport {
    let mut sorted = section.to_vec();
    shelf_order(&mut sorted);
    let mut report = InventoryReport::default();
    let mut seen = std::collections::HashSet::new();
    // Section items in scan order (first scan of each barcode).
    let mut in_scan: Vec<(usize, &ShelfItem)> = Vec::new();
    for (pos, s) in scans.iter().enumerate() {
        let barcode = match s {
            Scan::Unknown(b) => b,
            Scan::InSection(i) | Scan::Elsewhere(i) => &i.barcode,
        };
        if !seen.insert(barcode.clone()) {
            if !report.duplicates.contains(barcode) {
                report.duplicates.push(barcode.clone());
            }
            continue;
        }
        match s {
            Scan::Unknown(b) => report.unknown.push(b.clone()),
            Scan::Elsewhere(i) => report.elsewhere.push(i.clone()),
            Scan::InSection(i) => {
                report.seen.push(i.barcode.clone());
                if wrong_status_on_shelf(i.status) {
                    report.wrong_status.push(i.clone());
                }
                in_scan.push((pos, i));
            }
        }
    }
    let keys: Vec<_> = in_scan.iter().map(|(_, i)| i.key()).collect();
    for idx in out_of_order(&keys) {
        let (pos, item) = in_scan[idx];
        let at = sorted.iter().position(|s| s.barcode == item.barcode);
        let (after, before) = match at {
            Some(p) => (
                p.checked_sub(1)
                    .and_then(|q| sorted.get(q))
                    .map(|s| s.barcode.clone()),
                sorted.get(p + 1).map(|s| s.barcode.clone()),
            ),
            None => (None, None),
        };
        report.out_of_order.push(Misplaced {
            barcode: item.barcode.clone(),
            scanned_at: pos,
            after,
            before,
        });
    }
    report.missing = sorted
        .into_iter()
        .filter(|i| expected_on_shelf(i.status) && !seen.contains(&i.barcode))
        .collect();
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn item(b: &str, k: &str, s: ItemStatus) -> ShelfItem {
        ShelfItem {
            barcode: b.into(),
            sort_key: Some(k.into()),
            status: s,
        }
    }

    #[test]
    fn one_misplaced_book_flags_one_book() {
        // A book from the end put at the front flags only that book.
        assert_eq!(out_of_order(&[9, 1, 2, 3, 4, 5]), vec![0]);
        // A book from the front put at the end.
        assert_eq!(out_of_order(&[2, 3, 4, 5, 6, 1]), vec![5]);
        // One book in the middle.
        assert_eq!(out_of_order(&[1, 2, 7, 3, 4, 5, 6]), vec![2]);
        // Equal keys are in order.
        assert!(out_of_order(&[1, 1, 2, 2]).is_empty());
        assert!(out_of_order::<i32>(&[]).is_empty());
    }

    #[test]
    fn shelf_reading_reports_each_kind_of_problem() {
        use ItemStatus as S;
        let section = vec![
            item("A", "QA 0001", S::Available),
            item("B", "QA 0002", S::Available),
            item("C", "QA 0003", S::Available),
            item("D", "QA 0004", S::CheckedOut),
            item("E", "QA 0005", S::Available),
            item("F", "QA 0006", S::Available),
        ];
        let other = item("Z", "PR 0001", S::Available);
        let scans = vec![
            Scan::InSection(section[0].clone()),
            Scan::InSection(section[2].clone()),
            Scan::InSection(section[1].clone()),
            Scan::InSection(section[3].clone()),
            Scan::Elsewhere(other.clone()),
            Scan::InSection(section[5].clone()),
            Scan::Unknown("NOPE".into()),
            Scan::InSection(section[5].clone()),
        ];
        let r = read_shelf(&section, &scans);
        // C and B swapped: one of them is flagged, with its true neighbours.
        assert_eq!(r.out_of_order.len(), 1);
        let m = &r.out_of_order[0];
        assert!(m.barcode == "B" || m.barcode == "C", "{m:?}");
        if m.barcode == "C" {
            assert_eq!(
                (m.after.as_deref(), m.before.as_deref()),
                (Some("B"), Some("D"))
            );
        }
        assert_eq!(r.missing, vec![section[4].clone()]);
        assert_eq!(r.elsewhere, vec![other]);
        assert_eq!(r.wrong_status, vec![section[3].clone()]);
        assert_eq!(r.unknown, vec!["NOPE".to_owned()]);
        assert_eq!(r.duplicates, vec!["F".to_owned()]);
        assert_eq!(r.seen, vec!["A", "C", "B", "D", "F"]);
    }

    fn is_lnds(keys: &[u8], flagged: &[usize]) -> bool {
        let kept: Vec<u8> = keys
            .iter()
            .enumerate()
            .filter(|(i, _)| !flagged.contains(i))
            .map(|(_, k)| *k)
            .collect();
        kept.windows(2).all(|w| w[0] <= w[1])
    }

    /// Length of the longest non-decreasing subsequence, O(n²).
    fn lnds_len(keys: &[u8]) -> usize {
        let mut best = vec![1usize; keys.len()];
        for i in 0..keys.len() {
            for j in 0..i {
                if keys[j] <= keys[i] {
                    best[i] = best[i].max(best[j] + 1);
                }
            }
        }
        best.into_iter().max().unwrap_or(0)
    }

    proptest! {
        #[test]
        fn kept_books_are_in_order_and_as_many_as_possible(keys in proptest::collection::vec(0u8..40, 0..60)) {
            let flagged = out_of_order(&keys);
            prop_assert!(is_lnds(&keys, &flagged));
            prop_assert_eq!(keys.len() - flagged.len(), lnds_len(&keys));
            prop_assert!(flagged.windows(2).all(|w| w[0] < w[1]));
        }

        #[test]
        fn sorted_shelf_flags_nothing_and_one_move_flags_at_most_one(
            mut keys in proptest::collection::vec(0u16..1000, 1..80),
            from in 0usize..80, to in 0usize..80,
        ) {
            keys.sort();
            prop_assert!(out_of_order(&keys).is_empty());
            let from = from % keys.len();
            let to = to % keys.len();
            let k = keys.remove(from);
            keys.insert(to, k);
            prop_assert!(out_of_order(&keys).len() <= 1);
        }

        #[test]
        fn every_expected_item_is_seen_or_missing_or_not_expected(
            n in 0usize..30, picks in proptest::collection::vec(0usize..40, 0..40),
        ) {
            let section: Vec<ShelfItem> = (0..n)
                .map(|i| item(&format!("B{i}"), &format!("K{:03}", (i * 7) % 31), ItemStatus::Available))
                .collect();
            let scans: Vec<Scan> = picks
                .iter()
                .map(|&p| match section.get(p) {
                    Some(i) => Scan::InSection(i.clone()),
                    None => Scan::Unknown(format!("U{p}")),
                })
                .collect();
            let r = read_shelf(&section, &scans);
            for i in &section {
                let seen = r.seen.contains(&i.barcode);
                let missing = r.missing.iter().any(|m| m.barcode == i.barcode);
                prop_assert!(seen != missing);
            }
            for m in &r.out_of_order {
                prop_assert!(r.seen.contains(&m.barcode));
            }
        }
    }
}
