#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for item in quire_marc::MarcXmlReader::new(data) {
        if let Ok(r) = item {
            let _ = quire_marc::xml::to_string(&r.record);
        }
    }
});
