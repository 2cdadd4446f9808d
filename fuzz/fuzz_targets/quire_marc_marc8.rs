#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let d = quire_marc::marc8::decode(data);
    assert!(d.errors.iter().all(|e| e.offset < data.len()));
});
