#![no_main]
//! Z39.50 APDU decoder and framing: never panic; framing agrees with the
//! decoder; whatever decodes re-encodes to bytes that decode to the same APDU.
use libfuzzer_sys::fuzz_target;
use quire_z3950::{Apdu, pdu_length};

fuzz_target!(|data: &[u8]| {
    let framed = pdu_length(data, 1 << 20);
    if let Ok(Some(n)) = framed {
        assert!(n <= data.len());
    }
    if let Ok(apdu) = Apdu::decode(data) {
        assert_eq!(framed, Ok(Some(data.len())));
        let bytes = apdu.encode();
        assert_eq!(Apdu::decode(&bytes).as_ref(), Ok(&apdu));
    }
});
