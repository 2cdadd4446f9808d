#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for item in quire_marc::MarcJsonReader::new(data) {
        if let Ok(r) = item {
            let _ = quire_marc::json::to_string(&r.record);
        }
    }
});
