//! The example session of the protocol digest (§2.9 of protocols.md), whose
//! checksums were computed independently: requests are fed through the
//! session and the typed responses must come out byte for byte.

// Test helpers outside #[test] functions may unwrap too.
#![allow(clippy::unwrap_used)]

use quire_sip2::codes::{Currency, Language, PatronStatus, SupportedMessages, YesNoUnknown};
use quire_sip2::response::{AcsStatus, CheckoutResponse, LoginResponse, PatronInformationResponse};
use quire_sip2::{
    Action, Charset, FrameDecoder, Request, Response, Session, SessionConfig, SipDateTime,
};

fn date(s: &str) -> SipDateTime {
    SipDateTime::from_raw(s).unwrap()
}

#[test]
fn digest_example_session_byte_for_byte() {
    let input = concat!(
        "9300CNsc01|COsecret|CPMAIN|AY0AZF5C3\r",
        "9900302.00AY1AZFCA5\r",
        "6300020260115    101531          AOQUIRE|AA21234000000042|AD1234|AY2AZF117\r",
        "11YN20260115    101532                  AOQUIRE|AA21234000000042|AB31234000567899|AC|AY3AZECF8\r",
    );
    let expected = [
        "941AY0AZFDFD\r",
        "98YYYYNN01000320260115    1015302.00AOQUIRE|AMQuire Public Library|BXYYYYYYYYYYYNNYYY|AY1AZE564\r",
        "64              00020260115    101531000000000001000000000000AOQUIRE|AA21234000000042|AEAda Lovelace|BLY|CQY|BHUSD|BV0.00|AY2AZE1FD\r",
        "121NNY20260115    101532AOQUIRE|AA21234000000042|AB31234000567899|AJThe hobbit|AH20260205    235900|AY3AZE6AF\r",
    ];

    let mut decoder = FrameDecoder::new(4096, Charset::Utf8);
    // Feed in awkward chunks to exercise reassembly.
    for chunk in input.as_bytes().chunks(7) {
        decoder.feed(chunk);
    }
    let mut session = Session::new(SessionConfig::default());
    let now = date("20260115    101530");
    let mut replies = Vec::new();
    while let Some(frame) = decoder.next_frame() {
        let frame = frame.unwrap();
        let Action::Handle(request) = session.feed(&frame, &now) else {
            panic!("expected a request for the application");
        };
        let response = match request {
            Request::Login(l) => {
                assert_eq!(
                    (l.user_id.as_str(), l.password.as_str()),
                    ("sc01", "secret")
                );
                assert_eq!(l.location_code.as_deref(), Some("MAIN"));
                Response::Login(LoginResponse {
                    ok: true,
                    ..Default::default()
                })
            }
            Request::ScStatus(s) => {
                assert_eq!(s.max_print_width, 30);
                assert_eq!(s.protocol_version, "2.00");
                let mut bx = SupportedMessages::all();
                bx.0[SupportedMessages::ITEM_STATUS_UPDATE] = false;
                bx.0[SupportedMessages::PATRON_ENABLE] = false;
                Response::AcsStatus(AcsStatus {
                    online: true,
                    checkin_ok: true,
                    checkout_ok: true,
                    acs_renewal_policy: true,
                    status_update_ok: false,
                    offline_ok: false,
                    timeout_period: 10,
                    retries_allowed: 3,
                    date_time_sync: now.clone(),
                    protocol_version: "2.00".into(),
                    institution_id: "QUIRE".into(),
                    library_name: Some("Quire Public Library".into()),
                    supported_messages: bx,
                    terminal_location: None,
                    common: Default::default(),
                })
            }
            Request::PatronInformation(p) => {
                assert_eq!(p.summary, None);
                assert_eq!(p.patron_password.as_deref(), Some("1234"));
                Response::PatronInformation(PatronInformationResponse {
                    patron_status: PatronStatus::empty(),
                    language: Language::Unknown,
                    transaction_date: p.transaction_date.clone(),
                    hold_items_count: Some(0),
                    overdue_items_count: Some(0),
                    charged_items_count: Some(1),
                    fine_items_count: Some(0),
                    recall_items_count: Some(0),
                    unavailable_holds_count: Some(0),
                    institution_id: p.institution_id.clone(),
                    patron_id: p.patron_id.clone(),
                    personal_name: "Ada Lovelace".into(),
                    valid_patron: Some(true),
                    valid_patron_password: Some(true),
                    currency: Some(Currency::USD),
                    fee_amount: Some("0.00".into()),
                    ..Default::default()
                })
            }
            Request::Checkout(c) => Response::Checkout(CheckoutResponse {
                ok: true,
                renewal_ok: false,
                magnetic_media: YesNoUnknown::No,
                desensitize: YesNoUnknown::Yes,
                transaction_date: c.transaction_date.clone(),
                institution_id: c.institution_id.clone(),
                patron_id: c.patron_id.clone(),
                item_id: c.item_id.clone(),
                title_id: "The hobbit".into(),
                due_date: "20260205    235900".into(),
                ..Default::default()
            }),
            other => panic!("unexpected {other:?}"),
        };
        replies.push(String::from_utf8(session.respond(&response)).unwrap());
    }
    assert_eq!(replies, expected);

    // Each reply parses back to what was sent.
    for r in &replies {
        let parsed = Response::parse(r.trim_end_matches('\r')).unwrap();
        let mut opts = quire_sip2::FormatOptions::default();
        let seq = quire_sip2::find_trailer(r.trim_end_matches('\r'))
            .sequence
            .unwrap();
        opts = opts.with_sequence(seq);
        assert_eq!(String::from_utf8(parsed.format(&opts)).unwrap(), *r);
    }
    assert_eq!(session.login().unwrap().user_id, "sc01");
}

#[test]
fn digest_checkin_example_checksums() {
    // §2.2 worked example 2 and its response.
    let req = "09N20260115    10153020260115    101530APMAIN|AOQUIRE|AB31234000012345|AC|AY3AZEDEC";
    let Request::Checkin(c) = Request::parse(req).unwrap() else {
        panic!()
    };
    assert_eq!(
        quire_sip2::verify(req.as_bytes(), req),
        quire_sip2::ChecksumStatus::Valid
    );
    let resp = Response::Checkin(quire_sip2::response::CheckinResponse {
        ok: true,
        resensitize: true,
        magnetic_media: YesNoUnknown::No,
        alert: false,
        transaction_date: date("20260115    101531"),
        institution_id: c.institution_id,
        item_id: c.item_id,
        permanent_location: c.current_location,
        title_id: Some("The hobbit".into()),
        sort_bin: Some("04".into()),
        ..Default::default()
    });
    let out = resp.format(&quire_sip2::FormatOptions::default().with_sequence(3));
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "101YNN20260115    101531AOQUIRE|AB31234000012345|AQMAIN|AJThe hobbit|CL04|AY3AZEB26\r"
    );
}
