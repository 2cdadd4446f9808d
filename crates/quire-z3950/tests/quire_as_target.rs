#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Our encoder as a Z39.50 target, checked against a real client: the
//! responses built by `support/fake_server.rs` were sent to yaz-client
//! 5.34, which decoded and displayed every one of them (its output is in
//! fixtures/quire_target.yaz-client.out.txt). This test replays the
//! captured requests and requires byte-identical responses.

#[path = "support/fake_server.rs"]
mod fake_server;

use quire_z3950::{Apdu, pdu_length};

const CLIENT: &[u8] = include_bytes!("fixtures/quire_target.client.bin");
const SERVER: &[u8] = include_bytes!("fixtures/quire_target.server.bin");

fn split(mut rest: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    while !rest.is_empty() {
        let n = pdu_length(rest, 1 << 20)
            .expect("well-formed")
            .expect("complete");
        out.push(&rest[..n]);
        rest = &rest[n..];
    }
    out
}

#[test]
fn replayed_requests_give_the_bytes_yaz_client_accepted() {
    let requests = split(CLIENT);
    let kinds: Vec<u32> = requests
        .iter()
        .map(|b| Apdu::decode(b).expect("request").tag_number())
        .collect();
    // init, search, 5 presents, scan, delete, search, close
    assert_eq!(kinds, vec![20, 22, 24, 24, 24, 24, 24, 35, 26, 22, 48]);
    let mut ours = Vec::new();
    for b in requests {
        let req = Apdu::decode(b).expect("request");
        let resp = fake_server::respond(&req).expect("an answer");
        ours.extend(resp.encode());
    }
    assert_eq!(split(&ours).len(), 11);
    assert_eq!(ours, SERVER);
}
