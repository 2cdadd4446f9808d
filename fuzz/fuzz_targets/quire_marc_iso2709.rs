#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for item in quire_marc::Iso2709Reader::new(data) {
        if let Ok(r) = item {
            // Anything recovered must serialise or be rejected cleanly, and
            // a serialised record must read back identically.
            if let Ok(bytes) = quire_marc::iso2709::to_bytes(&r.record) {
                let back: Vec<_> = quire_marc::Iso2709Reader::new(&bytes[..]).collect();
                assert_eq!(back.len(), 1);
                let _ = quire_marc::bib::summarize(&r.record);
            }
        }
    }
});
