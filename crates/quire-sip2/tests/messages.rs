//! One parse test per request message and one format snapshot per response
//! message. The messages are written for these tests (not copied from other
//! projects); the snapshot files are in `tests/snapshots/`.

// Test helpers outside #[test] functions may unwrap too.
#![allow(clippy::unwrap_used)]

use quire_sip2::codes::*;
use quire_sip2::request::*;
use quire_sip2::response::*;
use quire_sip2::{FormatOptions, ParseError, Request, Response, SipDateTime, SipZone};

const D1: &str = "20260115    101530";
const D2: &str = "20260205   Z235900";

fn d(s: &str) -> SipDateTime {
    SipDateTime::from_raw(s).unwrap()
}

fn parse(s: &str) -> Request {
    Request::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

#[test]
fn login_93() {
    let Request::Login(m) = parse("9300CNkiosk-3|COs3cret|CPBRANCH2|XXextra|AY5AZF000") else {
        panic!()
    };
    assert_eq!((m.uid_algorithm, m.pwd_algorithm), ('0', '0'));
    assert_eq!(
        (m.user_id.as_str(), m.password.as_str()),
        ("kiosk-3", "s3cret")
    );
    assert_eq!(m.location_code.as_deref(), Some("BRANCH2"));
    assert_eq!(m.extensions, vec![("XX".into(), "extra".into())]);
    assert_eq!(
        Request::parse("9300COpw|"),
        Err(ParseError::MissingField {
            command: "93".into(),
            code: "CN",
            name: "login user id"
        })
    );
}

#[test]
fn sc_status_99() {
    let Request::ScStatus(m) = parse("9910402.00") else {
        panic!()
    };
    assert_eq!(m.status, ScStatusCode::PrinterOutOfPaper);
    assert_eq!(m.max_print_width, 40);
    assert_eq!(m.protocol_version, "2.00");
    let e = Request::parse("9930402.00").unwrap_err();
    assert_eq!(
        e.to_string(),
        "message 99: status code (fixed, offset 2): invalid code \"3\""
    );
}

#[test]
fn resend_97() {
    assert_eq!(parse("97"), Request::RequestAcsResend);
    assert_eq!(parse("97AZFEF5"), Request::RequestAcsResend);
}

#[test]
fn patron_status_23() {
    let Request::PatronStatus(m) = parse(&format!("23001{D1}AOQUIRE|AA21234000000042|AC|AD9999|"))
    else {
        panic!()
    };
    assert_eq!(m.language, Language::English);
    assert_eq!(m.transaction_date.parts().unwrap().hour, 10);
    assert_eq!(m.institution_id, "QUIRE");
    assert_eq!(m.patron_id, "21234000000042");
    assert_eq!(m.terminal_password.as_deref(), Some(""));
    assert_eq!(m.patron_password.as_deref(), Some("9999"));
}

#[test]
fn patron_information_63() {
    let Request::PatronInformation(m) =
        parse(&format!("63002{D1}  Y       AOQUIRE|AAp1|BP5|BQ10|"))
    else {
        panic!()
    };
    assert_eq!(m.language, Language::French);
    assert_eq!(m.summary, Some(SummaryList::ChargedItems));
    assert_eq!((m.start_item, m.end_item), (Some(5), Some(10)));
    assert_eq!(m.patron_password, None);
    let e = Request::parse(&format!("63002{D1}          AOQUIRE|AAp1|BPfive|")).unwrap_err();
    assert_eq!(
        e.to_string(),
        "message 63: BP (start item): invalid value \"five\""
    );
}

#[test]
fn checkout_11() {
    let Request::Checkout(m) = parse(&format!(
        "11NY{D1}{D2}AOQUIRE|AAp1|ABi1|AC|CHprops|ADpin|BOY|BIN|"
    )) else {
        panic!()
    };
    assert!(!m.sc_renewal_policy && m.no_block);
    assert_eq!(m.nb_due_date.parts().unwrap().zone, SipZone::Utc);
    assert_eq!(m.item_id, "i1");
    assert_eq!(m.item_properties.as_deref(), Some("props"));
    assert_eq!((m.fee_acknowledged, m.cancel), (Some(true), Some(false)));
    let e = Request::parse(&format!("11NX{D1}{D2}AAp|ABi|")).unwrap_err();
    assert_eq!(
        e.to_string(),
        "message 11: no block (fixed, offset 3): expected Y or N, got 'X'"
    );
    let e = Request::parse(&format!("11NN{D1}AAp|ABi|")).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("message 11: nb due date (fixed, offset 22)"),
        "{e}"
    );
}

#[test]
fn checkin_09() {
    let Request::Checkin(m) = parse(&format!(
        "09N{D1}{}APBOOKDROP|AOQUIRE|ABi1|AC|BIY|",
        " ".repeat(18)
    )) else {
        panic!()
    };
    assert!(!m.no_block);
    assert!(m.return_date.is_blank());
    assert_eq!(m.current_location, "BOOKDROP");
    assert_eq!(m.cancel, Some(true));
    assert_eq!(
        Request::parse(&format!("09N{D1}{D1}APx|")),
        Err(ParseError::MissingField {
            command: "09".into(),
            code: "AB",
            name: "item identifier"
        })
    );
}

#[test]
fn block_patron_01() {
    let Request::BlockPatron(m) = parse(&format!("01Y{D1}AOQUIRE|ALCard left in slot|AAp1|AC|"))
    else {
        panic!()
    };
    assert!(m.card_retained);
    assert_eq!(m.blocked_card_message, "Card left in slot");
}

#[test]
fn end_patron_session_35_and_patron_enable_25() {
    let Request::EndPatronSession(m) = parse(&format!("35{D1}AOQUIRE|AAp1|")) else {
        panic!()
    };
    assert_eq!(m.patron_id, "p1");
    let Request::PatronEnable(m) = parse(&format!("25{D1}AOQUIRE|AAp2|ADpin|")) else {
        panic!()
    };
    assert_eq!(
        (m.patron_id.as_str(), m.patron_password.as_deref()),
        ("p2", Some("pin"))
    );
}

#[test]
fn fee_paid_37() {
    let Request::FeePaid(m) = parse(&format!(
        "37{D1}0401GBPBV3.50|AOQUIRE|AAp1|CGfine-17|BKrcpt-9|"
    )) else {
        panic!()
    };
    assert_eq!(m.fee_type, FeeType::Overdue);
    assert_eq!(m.payment_type, PaymentType::Visa);
    assert_eq!(m.currency, Currency::GBP);
    assert_eq!(m.fee_amount, "3.50");
    assert_eq!(m.fee_id.as_deref(), Some("fine-17"));
    assert_eq!(m.transaction_id.as_deref(), Some("rcpt-9"));
}

#[test]
fn item_information_17_and_status_update_19() {
    let Request::ItemInformation(m) = parse(&format!("17{D1}AOQUIRE|AB31234000567899|")) else {
        panic!()
    };
    assert_eq!(m.item_id, "31234000567899");
    let Request::ItemStatusUpdate(m) = parse(&format!("19{D1}AOQUIRE|ABi1|CHtag=1|")) else {
        panic!()
    };
    assert_eq!(m.item_properties, "tag=1");
}

#[test]
fn hold_15() {
    let Request::Hold(m) = parse(&format!("15*{D1}BW{D2}|BSEAST|BY2|AOQUIRE|AAp1|AJt1|")) else {
        panic!()
    };
    assert_eq!(m.mode, HoldMode::Change);
    assert_eq!(m.expiration_date.as_ref().map(|d| d.raw()), Some(D2));
    assert_eq!(m.pickup_location.as_deref(), Some("EAST"));
    assert_eq!(m.hold_type, Some(HoldType::AnyCopy));
    assert_eq!((m.item_id, m.title_id.as_deref()), (None, Some("t1")));
    let e = Request::parse(&format!("15?{D1}AAp|")).unwrap_err();
    assert_eq!(
        e.to_string(),
        "message 15: hold mode (fixed, offset 2): invalid code \"?\""
    );
    let e = Request::parse(&format!("15+{D1}BY7|AAp|")).unwrap_err();
    assert_eq!(
        e.to_string(),
        "message 15: BY (hold type): invalid value \"7\""
    );
}

#[test]
fn renew_29_and_renew_all_65() {
    let Request::Renew(m) = parse(&format!("29YN{D1}{}AOQUIRE|AAp1|ABi1|BON|", " ".repeat(18)))
    else {
        panic!()
    };
    assert!(m.third_party_allowed && !m.no_block);
    assert_eq!(m.item_id.as_deref(), Some("i1"));
    assert_eq!(m.fee_acknowledged, Some(false));
    let Request::RenewAll(m) = parse(&format!("65{D1}AOQUIRE|AAp1|AD|BOY|")) else {
        panic!()
    };
    assert_eq!(m.patron_password.as_deref(), Some(""));
    assert_eq!(m.fee_acknowledged, Some(true));
}

#[test]
fn unknown_and_wrong_direction() {
    assert_eq!(
        Request::parse("42foo"),
        Err(ParseError::UnknownCommand {
            command: "42".into()
        })
    );
    assert_eq!(
        Request::parse("é!"),
        Err(ParseError::UnknownCommand {
            command: "é!".into()
        })
    );
    assert_eq!(
        Request::parse("96AZFEF6"),
        Err(ParseError::WrongDirection {
            command: "96".into(),
            name: "Request SC Resend"
        })
    );
    assert_eq!(Request::parse(""), Err(ParseError::Empty));
    assert_eq!(Request::parse("AZ0000"), Err(ParseError::Empty));
    assert!(Request::parse("42").unwrap_err().is_unsupported());
}

// ---- response snapshots ----

fn fmt(r: &Response, seq: Option<u8>) -> String {
    let mut o = FormatOptions::default();
    if let Some(s) = seq {
        o = o.with_sequence(s);
    }
    let bytes = r.format(&o);
    let text = String::from_utf8(bytes.clone()).unwrap();
    // Parsing and formatting again gives the same bytes (values with `|` or
    // CR were sanitized on the first pass, so compare wire forms).
    let parsed = Response::parse(text.trim_end_matches('\r')).unwrap();
    assert_eq!(parsed.format(&o), bytes, "{text}");
    if r.builder_is_clean() {
        assert_eq!(&parsed, r);
    }
    text.replace('\r', "<CR>")
}

trait Clean {
    fn builder_is_clean(&self) -> bool;
}

impl Clean for Response {
    /// True when no value needs sanitizing (then parse(format(r)) == r).
    fn builder_is_clean(&self) -> bool {
        !format!("{self:?}").contains("\\r") && !format!("{self:?}").contains('|')
    }
}

fn common() -> Common {
    Common {
        screen_message: vec!["Thank you | come again\r\n".into()],
        print_line: vec!["Receipt line".into()],
        extensions: vec![("ZZ".into(), "vendor".into())],
    }
}

#[test]
fn snapshot_94_96() {
    insta::assert_snapshot!(
        "94",
        fmt(
            &Response::Login(LoginResponse {
                ok: true,
                common: Common::default()
            }),
            Some(0)
        )
    );
    insta::assert_snapshot!("96", fmt(&Response::RequestScResend, None));
}

#[test]
fn snapshot_98() {
    let mut bx = SupportedMessages::all();
    bx.0[SupportedMessages::FEE_PAID] = false;
    let r = Response::AcsStatus(AcsStatus {
        online: true,
        checkin_ok: true,
        checkout_ok: true,
        acs_renewal_policy: false,
        status_update_ok: false,
        offline_ok: true,
        timeout_period: 50,
        retries_allowed: 999,
        date_time_sync: d(D1),
        protocol_version: "2.00".into(),
        institution_id: "QUIRE".into(),
        library_name: Some("Quire Public Library".into()),
        supported_messages: bx,
        terminal_location: Some("Front desk".into()),
        common: common(),
    });
    insta::assert_snapshot!("98", fmt(&r, Some(1)));
}

#[test]
fn snapshot_24_26() {
    let r = Response::PatronStatus(PatronStatusResponse {
        patron_status: PatronStatus::CHARGE_DENIED | PatronStatus::EXCESSIVE_FINES,
        language: Language::English,
        transaction_date: d(D1),
        institution_id: "QUIRE".into(),
        patron_id: "21234000000042".into(),
        personal_name: "Ada Lovelace".into(),
        valid_patron: Some(true),
        valid_patron_password: Some(false),
        currency: Some(Currency::EUR),
        fee_amount: Some("12.00".into()),
        common: common(),
    });
    insta::assert_snapshot!("24", fmt(&r, Some(2)));
    let r = Response::PatronEnable(PatronEnableResponse {
        patron_status: PatronStatus::empty(),
        language: Language::Unknown,
        transaction_date: d(D1),
        institution_id: "QUIRE".into(),
        patron_id: "p1".into(),
        personal_name: "Grace Hopper".into(),
        valid_patron: Some(true),
        valid_patron_password: None,
        common: Common::default(),
    });
    insta::assert_snapshot!("26", fmt(&r, None));
}

fn patron_information() -> PatronInformationResponse {
    PatronInformationResponse {
        patron_status: PatronStatus::TOO_MANY_OVERDUE,
        language: Language::English,
        transaction_date: d(D1),
        hold_items_count: Some(1),
        overdue_items_count: Some(2),
        charged_items_count: Some(3),
        fine_items_count: Some(0),
        recall_items_count: None,
        unavailable_holds_count: Some(0),
        institution_id: "QUIRE".into(),
        patron_id: "21234000000042".into(),
        personal_name: "Ada Lovelace".into(),
        hold_items_limit: Some(10),
        overdue_items_limit: Some(5),
        charged_items_limit: Some(50),
        valid_patron: Some(true),
        valid_patron_password: Some(true),
        currency: Some(Currency::USD),
        fee_amount: Some("1.25".into()),
        fee_limit: Some("10.00".into()),
        charged_items: vec![
            "31234000567899".into(),
            "31234000567881".into(),
            "31234000567873".into(),
        ],
        home_address: Some("1 Analytical Way".into()),
        email: Some("ada@example.org".into()),
        home_phone: Some("555-0100".into()),
        patron_class: Some("ADULT".into()),
        common: Common::screen("You have overdue items"),
        ..PatronInformationResponse::default()
    }
}

#[test]
fn snapshot_64() {
    insta::assert_snapshot!(
        "64",
        fmt(&Response::PatronInformation(patron_information()), Some(3))
    );
}

#[test]
fn snapshot_64_truncated_to_fit() {
    // 500 charged items and a long screen message do not fit in 4095 bytes:
    // list entries are dropped from the end, nothing is cut mid-field.
    let mut p = patron_information();
    p.charged_items = (0..500).map(|i| format!("3123400{i:07}")).collect();
    p.charged_items_count = Some(500);
    p.common = Common::screen("x".repeat(100));
    let r = Response::PatronInformation(p);
    let bytes = r.format(&FormatOptions::default().with_sequence(4));
    assert!(bytes.len() <= 4095);
    assert!(
        bytes.len() > 4095 - 20,
        "should use the room: {}",
        bytes.len()
    );
    let text = String::from_utf8(bytes).unwrap();
    let Ok(Response::PatronInformation(back)) = Response::parse(text.trim_end_matches('\r')) else {
        panic!()
    };
    assert_eq!(back.charged_items_count, Some(500));
    let n = back.charged_items.len();
    assert!(n > 200 && n < 500, "{n}");
    assert_eq!(back.charged_items[n - 1], format!("3123400{:07}", n - 1));
    assert_eq!(back.common.screen_message, vec!["x".repeat(100)]);
    assert_eq!(back.email.as_deref(), Some("ada@example.org"));
}

#[test]
fn snapshot_12_30() {
    let c = CheckoutResponse {
        ok: true,
        renewal_ok: false,
        magnetic_media: YesNoUnknown::No,
        desensitize: YesNoUnknown::Yes,
        transaction_date: d(D1),
        institution_id: "QUIRE".into(),
        patron_id: "p1".into(),
        item_id: "31234000567899".into(),
        title_id: "The hobbit, or, There and back again".into(),
        due_date: D2.into(),
        fee_type: Some(FeeType::Rental),
        security_inhibit: Some(false),
        currency: Some(Currency::USD),
        fee_amount: Some("1.00".into()),
        media_type: Some(MediaType::Book),
        item_properties: None,
        transaction_id: Some("tx-1".into()),
        common: Common::default(),
    };
    insta::assert_snapshot!("12", fmt(&Response::Checkout(c.clone()), Some(5)));
    let r = CheckoutResponse {
        ok: false,
        renewal_ok: true,
        magnetic_media: YesNoUnknown::Unknown,
        common: Common::screen("Item has holds"),
        ..c
    };
    insta::assert_snapshot!("30", fmt(&Response::Renew(r), None));
}

#[test]
fn snapshot_10() {
    let r = Response::Checkin(CheckinResponse {
        ok: true,
        resensitize: true,
        magnetic_media: YesNoUnknown::No,
        alert: true,
        transaction_date: d(D1),
        institution_id: "QUIRE".into(),
        item_id: "31234000567899".into(),
        permanent_location: "MAIN".into(),
        title_id: Some("The hobbit".into()),
        sort_bin: Some("B3".into()),
        patron_id: Some("21234000000042".into()),
        media_type: Some(MediaType::BookWithCd),
        item_properties: None,
        collection_code: Some("JFIC".into()),
        call_number: Some("J TOL".into()),
        destination_location: Some("EAST".into()),
        alert_type: Some(AlertType::HoldElsewhere),
        hold_patron_id: Some("21234000000059".into()),
        hold_patron_name: Some("Lovelace, A.".into()),
        common: common(),
    });
    insta::assert_snapshot!("10", fmt(&r, Some(6)));
}

#[test]
fn snapshot_36_38_20() {
    let r = Response::EndSession(EndSessionResponse {
        end_session: true,
        transaction_date: d(D1),
        institution_id: "QUIRE".into(),
        patron_id: "p1".into(),
        common: Common::default(),
    });
    insta::assert_snapshot!("36", fmt(&r, Some(7)));
    let r = Response::FeePaid(FeePaidResponse {
        payment_accepted: true,
        transaction_date: d(D1),
        institution_id: "QUIRE".into(),
        patron_id: "p1".into(),
        transaction_id: Some("rcpt-9".into()),
        common: Common::default(),
    });
    insta::assert_snapshot!("38", fmt(&r, Some(8)));
    let r = Response::ItemStatusUpdate(ItemStatusUpdateResponse {
        ok: false,
        transaction_date: d(D1),
        item_id: "i1".into(),
        title_id: Some("t".into()),
        item_properties: Some("tag=1".into()),
        common: Common::screen("Not allowed"),
    });
    insta::assert_snapshot!("20", fmt(&r, Some(9)));
}

#[test]
fn snapshot_18() {
    let r = Response::ItemInformation(ItemInformationResponse {
        circulation_status: CirculationStatus::WaitingOnHoldShelf,
        security_marker: SecurityMarker::OtherMarker,
        fee_type: FeeType::OtherFee,
        transaction_date: d(D1),
        hold_queue_length: Some(2),
        due_date: None,
        recall_date: None,
        hold_pickup_date: Some(d(D2)),
        item_id: "31234000567899".into(),
        title_id: "Le Piège".into(),
        owner: Some("QUIRE".into()),
        currency: None,
        fee_amount: None,
        media_type: Some(MediaType::Book),
        permanent_location: Some("MAIN".into()),
        current_location: Some("HOLDSHELF".into()),
        item_properties: None,
        collection_code: Some("FIC".into()),
        call_number: Some("FIC TOL".into()),
        common: Common::default(),
    });
    insta::assert_snapshot!("18", fmt(&r, Some(0)));
}

#[test]
fn snapshot_16_66() {
    let r = Response::Hold(HoldResponse {
        ok: true,
        available: false,
        transaction_date: d(D1),
        expiration_date: Some(d(D2)),
        queue_position: Some(3),
        pickup_location: Some("EAST".into()),
        institution_id: "QUIRE".into(),
        patron_id: "p1".into(),
        item_id: None,
        title_id: Some("t1".into()),
        common: Common::default(),
    });
    insta::assert_snapshot!("16", fmt(&r, Some(1)));
    let r = Response::RenewAll(RenewAllResponse {
        ok: true,
        renewed_count: 2,
        unrenewed_count: 1,
        transaction_date: d(D1),
        institution_id: "QUIRE".into(),
        renewed_items: vec!["i1".into(), "i2".into()],
        unrenewed_items: vec!["i3".into()],
        common: Common::default(),
    });
    insta::assert_snapshot!("66", fmt(&r, None));
}

#[test]
fn snapshot_request_formats() {
    // Client side: requests formatted for a test SC or a bench tool.
    let r = Request::Checkout(CheckoutRequest {
        sc_renewal_policy: true,
        no_block: false,
        transaction_date: d(D1),
        nb_due_date: SipDateTime::blank(),
        institution_id: "QUIRE".into(),
        patron_id: "p1".into(),
        item_id: "i1".into(),
        terminal_password: Some(String::new()),
        item_properties: None,
        patron_password: None,
        fee_acknowledged: Some(true),
        cancel: None,
        extensions: vec![],
    });
    let text = String::from_utf8(r.format(&FormatOptions::default().with_sequence(2))).unwrap();
    insta::assert_snapshot!("req_11", text.replace('\r', "<CR>"));
}

#[test]
fn canonical_requests_format_back_exactly() {
    // Requests written in the documented field order with every fixed field
    // at its width: parse then format must give the same bytes.
    let blank = " ".repeat(18);
    let canonical = [
        "9300CNkiosk|COpw|CPMAIN|".to_string(),
        "9900302.00".to_string(),
        "97".to_string(),
        format!("23001{D1}AOQUIRE|AAp1|AC|ADpin|"),
        format!("63001{D1}    Y     AOQUIRE|AAp1|AC|ADpin|BP1|BQ20|"),
        format!("11YN{D1}{blank}AOQUIRE|AAp1|ABi1|AC|CHp|ADpin|BOY|BIN|"),
        format!("09N{D1}{D2}APDROP|AOQUIRE|ABi1|AC|CHp|BIN|"),
        format!("01N{D1}AOQUIRE|ALswallowed|AAp1|AC|"),
        format!("35{D1}AOQUIRE|AAp1|AC|ADpin|"),
        format!("37{D1}0600CADBV0.50|AOQUIRE|AAp1|AC|ADpin|CGf1|BKt1|"),
        format!("17{D1}AOQUIRE|ABi1|AC|"),
        format!("19{D1}AOQUIRE|ABi1|AC|CHprops|"),
        format!("25{D1}AOQUIRE|AAp1|AC|ADpin|"),
        format!("15+{D1}BW{D2}|BSEAST|BY3|AOQUIRE|AAp1|ADpin|ABi1|AJt1|AC|BON|"),
        format!("29NN{D1}{blank}AOQUIRE|AAp1|ADpin|ABi1|AJt1|AC|CHp|BOY|"),
        format!("65{D1}AOQUIRE|AAp1|ADpin|AC|BON|"),
    ];
    let mut commands = Vec::new();
    for msg in &canonical {
        let req = parse(msg);
        commands.push(req.command());
        let out = String::from_utf8(req.format(&FormatOptions::default())).unwrap();
        assert_eq!(out, format!("{msg}\r"));
        let out =
            String::from_utf8(req.format(&FormatOptions::default().with_sequence(7))).unwrap();
        assert_eq!(quire_sip2::find_trailer(out.trim_end()).sequence, Some(7));
        assert!(out.starts_with(msg.as_str()));
    }
    commands.sort();
    commands.dedup();
    assert_eq!(commands.len(), 16, "one of each request type");
}

#[test]
fn snapshot_refusals() {
    // The negative reply the session sends for each request when login is
    // required, built by `Response::refusal` from the request alone.
    let blank = " ".repeat(18);
    let requests = [
        "9300CNkiosk|COpw|".to_string(),
        "9900302.00".to_string(),
        format!("23001{D1}AOQUIRE|AAp1|"),
        format!("63001{D1}          AOQUIRE|AAp1|"),
        format!("11YN{D1}{blank}AOQUIRE|AAp1|ABi1|"),
        format!("09N{D1}{D2}APDROP|AOQUIRE|ABi1|"),
        format!("01N{D1}AOQUIRE|ALx|AAp1|"),
        format!("35{D1}AOQUIRE|AAp1|"),
        format!("37{D1}0600CADBV0.50|AOQUIRE|AAp1|BKt1|"),
        format!("17{D1}AOQUIRE|ABi1|"),
        format!("19{D1}AOQUIRE|ABi1|CHp|"),
        format!("25{D1}AOQUIRE|AAp1|"),
        format!("15+{D1}AOQUIRE|AAp1|AJt1|"),
        format!("29NN{D1}{blank}AOQUIRE|AAp1|ABi1|"),
        format!("65{D1}AOQUIRE|AAp1|"),
    ];
    let now = d("20260115    101545");
    let mut out = String::new();
    for r in &requests {
        let req = parse(r);
        let refusal = Response::refusal(&req, "Login required", &now).unwrap();
        let text = String::from_utf8(refusal.format(&FormatOptions::default())).unwrap();
        out.push_str(&format!("{} -> {}\n", req.command(), text.trim_end()));
    }
    assert!(Response::refusal(&Request::RequestAcsResend, "x", &now).is_none());
    insta::assert_snapshot!("refusals", out);
}
