//! Property tests: parsers never panic, format → parse round trips.

// Test helpers outside #[test] functions may unwrap too.
#![allow(clippy::unwrap_used)]

use proptest::option;
use proptest::prelude::*;
use quire_sip2::codes::*;
use quire_sip2::request::*;
use quire_sip2::response::*;
use quire_sip2::{
    Action, Charset, FormatOptions, FrameDecoder, Request, Response, Session, SessionConfig,
    SipDateTime,
};

const VALUE: &str = "[A-Za-z0-9 .,:'$%éüß\u{4e2d}-]{0,12}";

fn value() -> impl Strategy<Value = String> {
    VALUE
}

fn opt_value() -> impl Strategy<Value = Option<String>> {
    option::of(value())
}

fn date() -> impl Strategy<Value = SipDateTime> {
    prop_oneof![
        Just(SipDateTime::blank()),
        (
            1900u16..2100,
            1u8..13,
            1u8..29,
            0u8..24,
            0u8..60,
            0u8..60,
            any::<bool>()
        )
            .prop_map(|(y, mo, d, h, mi, s, utc)| {
                let zone = if utc { SipZone::Utc } else { SipZone::Local };
                SipDateTime::new(y, mo, d, h, mi, s, zone).unwrap_or_default()
            }),
        "[ -{}~]{18}".prop_map(|s| SipDateTime::from_raw(&s).unwrap_or_default()),
    ]
}

use quire_sip2::SipZone;

fn extensions() -> impl Strategy<Value = Vec<(String, String)>> {
    proptest::collection::vec(("Z[A-Z]", value()), 0..3)
}

fn language() -> impl Strategy<Value = Language> {
    (0u16..1000).prop_map(Language::from_value)
}

fn currency() -> impl Strategy<Value = Currency> {
    "[A-Z ]{3}".prop_map(|s| Currency::new(&s).unwrap_or(Currency::USD))
}

fn summary() -> impl Strategy<Value = Option<SummaryList>> {
    option::of(
        (0usize..6).prop_map(|p| SummaryList::from_position(p).unwrap_or(SummaryList::HoldItems)),
    )
}

fn request() -> impl Strategy<Value = Request> {
    prop_oneof![
        (
            "[0-9A-Z]",
            "[0-9A-Z]",
            value(),
            value(),
            opt_value(),
            extensions()
        )
            .prop_map(|(u, p, user_id, password, location_code, extensions)| {
                Request::Login(LoginRequest {
                    uid_algorithm: u.chars().next().unwrap_or('0'),
                    pwd_algorithm: p.chars().next().unwrap_or('0'),
                    user_id,
                    password,
                    location_code,
                    extensions,
                })
            }),
        (0usize..3, 0u16..1000, "[0-9.]{4}", extensions()).prop_map(|(s, w, v, extensions)| {
            Request::ScStatus(ScStatusRequest {
                status: [
                    ScStatusCode::Ok,
                    ScStatusCode::PrinterOutOfPaper,
                    ScStatusCode::ShuttingDown,
                ][s],
                max_print_width: w,
                protocol_version: v,
                extensions,
            })
        }),
        Just(Request::RequestAcsResend),
        (
            language(),
            date(),
            value(),
            value(),
            opt_value(),
            opt_value(),
            extensions()
        )
            .prop_map(
                |(
                    language,
                    transaction_date,
                    institution_id,
                    patron_id,
                    terminal_password,
                    patron_password,
                    extensions,
                )| {
                    Request::PatronStatus(PatronStatusRequest {
                        language,
                        transaction_date,
                        institution_id,
                        patron_id,
                        terminal_password,
                        patron_password,
                        extensions,
                    })
                }
            ),
        (
            language(),
            date(),
            summary(),
            value(),
            value(),
            opt_value(),
            opt_value(),
            option::of(any::<u32>()),
            option::of(any::<u32>()),
            extensions()
        )
            .prop_map(
                |(
                    language,
                    transaction_date,
                    summary,
                    institution_id,
                    patron_id,
                    terminal_password,
                    patron_password,
                    start_item,
                    end_item,
                    extensions,
                )| {
                    Request::PatronInformation(PatronInformationRequest {
                        language,
                        transaction_date,
                        summary,
                        institution_id,
                        patron_id,
                        terminal_password,
                        patron_password,
                        start_item,
                        end_item,
                        extensions,
                    })
                }
            ),
        (
            (any::<bool>(), any::<bool>(), date(), date()),
            (
                value(),
                value(),
                value(),
                opt_value(),
                opt_value(),
                opt_value()
            ),
            (
                option::of(any::<bool>()),
                option::of(any::<bool>()),
                extensions()
            )
        )
            .prop_map(
                |(
                    (sc_renewal_policy, no_block, transaction_date, nb_due_date),
                    (
                        institution_id,
                        patron_id,
                        item_id,
                        terminal_password,
                        item_properties,
                        patron_password,
                    ),
                    (fee_acknowledged, cancel, extensions),
                )| {
                    Request::Checkout(CheckoutRequest {
                        sc_renewal_policy,
                        no_block,
                        transaction_date,
                        nb_due_date,
                        institution_id,
                        patron_id,
                        item_id,
                        terminal_password,
                        item_properties,
                        patron_password,
                        fee_acknowledged,
                        cancel,
                        extensions,
                    })
                }
            ),
        (
            (any::<bool>(), date(), date()),
            (value(), value(), value(), opt_value(), opt_value()),
            (option::of(any::<bool>()), extensions())
        )
            .prop_map(
                |(
                    (no_block, transaction_date, return_date),
                    (current_location, institution_id, item_id, terminal_password, item_properties),
                    (cancel, extensions),
                )| {
                    Request::Checkin(CheckinRequest {
                        no_block,
                        transaction_date,
                        return_date,
                        current_location,
                        institution_id,
                        item_id,
                        terminal_password,
                        item_properties,
                        cancel,
                        extensions,
                    })
                }
            ),
        (
            any::<bool>(),
            date(),
            value(),
            value(),
            value(),
            opt_value(),
            extensions()
        )
            .prop_map(
                |(
                    card_retained,
                    transaction_date,
                    institution_id,
                    blocked_card_message,
                    patron_id,
                    terminal_password,
                    extensions,
                )| {
                    Request::BlockPatron(BlockPatronRequest {
                        card_retained,
                        transaction_date,
                        institution_id,
                        blocked_card_message,
                        patron_id,
                        terminal_password,
                        extensions,
                    })
                }
            ),
        (
            any::<bool>(),
            date(),
            value(),
            value(),
            opt_value(),
            opt_value(),
            extensions()
        )
            .prop_map(
                |(
                    end,
                    transaction_date,
                    institution_id,
                    patron_id,
                    terminal_password,
                    patron_password,
                    extensions,
                )| {
                    let m = PatronSessionRequest {
                        transaction_date,
                        institution_id,
                        patron_id,
                        terminal_password,
                        patron_password,
                        extensions,
                    };
                    if end {
                        Request::EndPatronSession(m)
                    } else {
                        Request::PatronEnable(m)
                    }
                }
            ),
        (
            (date(), 0u8..100, 0u8..100, currency()),
            (
                value(),
                value(),
                value(),
                opt_value(),
                opt_value(),
                opt_value(),
                opt_value()
            ),
            extensions()
        )
            .prop_map(
                |(
                    (transaction_date, ft, pt, currency),
                    (
                        fee_amount,
                        institution_id,
                        patron_id,
                        terminal_password,
                        patron_password,
                        fee_id,
                        transaction_id,
                    ),
                    extensions,
                )| {
                    Request::FeePaid(FeePaidRequest {
                        transaction_date,
                        fee_type: FeeType::from_value(ft),
                        payment_type: PaymentType::from_value(pt),
                        currency,
                        fee_amount,
                        institution_id,
                        patron_id,
                        terminal_password,
                        patron_password,
                        fee_id,
                        transaction_id,
                        extensions,
                    })
                }
            ),
        (date(), value(), value(), opt_value(), extensions()).prop_map(
            |(transaction_date, institution_id, item_id, terminal_password, extensions)| {
                Request::ItemInformation(ItemInformationRequest {
                    transaction_date,
                    institution_id,
                    item_id,
                    terminal_password,
                    extensions,
                })
            }
        ),
        (date(), value(), value(), opt_value(), value(), extensions()).prop_map(
            |(
                transaction_date,
                institution_id,
                item_id,
                terminal_password,
                item_properties,
                extensions,
            )| {
                Request::ItemStatusUpdate(ItemStatusUpdateRequest {
                    transaction_date,
                    institution_id,
                    item_id,
                    terminal_password,
                    item_properties,
                    extensions,
                })
            }
        ),
        (
            (
                0usize..3,
                date(),
                option::of(date().prop_filter("non-blank", |d| !d.is_blank())),
                opt_value(),
                option::of(1usize..5)
            ),
            (
                value(),
                value(),
                opt_value(),
                opt_value(),
                opt_value(),
                opt_value()
            ),
            (option::of(any::<bool>()), extensions())
        )
            .prop_map(
                |(
                    (mode, transaction_date, expiration_date, pickup_location, hold_type),
                    (
                        institution_id,
                        patron_id,
                        patron_password,
                        item_id,
                        title_id,
                        terminal_password,
                    ),
                    (fee_acknowledged, extensions),
                )| {
                    Request::Hold(HoldRequest {
                        mode: [HoldMode::Add, HoldMode::Delete, HoldMode::Change][mode],
                        transaction_date,
                        expiration_date,
                        pickup_location,
                        hold_type: hold_type.and_then(|t| HoldType::parse(&t.to_string())),
                        institution_id,
                        patron_id,
                        patron_password,
                        item_id,
                        title_id,
                        terminal_password,
                        fee_acknowledged,
                        extensions,
                    })
                }
            ),
        (
            (any::<bool>(), any::<bool>(), date(), date()),
            (
                value(),
                value(),
                opt_value(),
                opt_value(),
                opt_value(),
                opt_value(),
                opt_value()
            ),
            (option::of(any::<bool>()), extensions())
        )
            .prop_map(
                |(
                    (third_party_allowed, no_block, transaction_date, nb_due_date),
                    (
                        institution_id,
                        patron_id,
                        patron_password,
                        item_id,
                        title_id,
                        terminal_password,
                        item_properties,
                    ),
                    (fee_acknowledged, extensions),
                )| {
                    Request::Renew(RenewRequest {
                        third_party_allowed,
                        no_block,
                        transaction_date,
                        nb_due_date,
                        institution_id,
                        patron_id,
                        patron_password,
                        item_id,
                        title_id,
                        terminal_password,
                        item_properties,
                        fee_acknowledged,
                        extensions,
                    })
                }
            ),
        (
            date(),
            value(),
            value(),
            opt_value(),
            opt_value(),
            option::of(any::<bool>()),
            extensions()
        )
            .prop_map(
                |(
                    transaction_date,
                    institution_id,
                    patron_id,
                    patron_password,
                    terminal_password,
                    fee_acknowledged,
                    extensions,
                )| {
                    Request::RenewAll(RenewAllRequest {
                        transaction_date,
                        institution_id,
                        patron_id,
                        patron_password,
                        terminal_password,
                        fee_acknowledged,
                        extensions,
                    })
                }
            ),
    ]
}

fn common() -> impl Strategy<Value = Common> {
    (
        proptest::collection::vec(value(), 0..3),
        proptest::collection::vec(value(), 0..2),
        extensions(),
    )
        .prop_map(|(screen_message, print_line, extensions)| Common {
            screen_message,
            print_line,
            extensions,
        })
}

fn response() -> impl Strategy<Value = Response> {
    let items = || proptest::collection::vec(value(), 0..4);
    prop_oneof![
        (any::<bool>(), common())
            .prop_map(|(ok, common)| Response::Login(LoginResponse { ok, common })),
        (
            (0u16..0x4000, language(), date()),
            proptest::collection::vec(option::of(0u16..10000), 6),
            (
                value(),
                value(),
                value(),
                option::of(0u16..10000),
                option::of(any::<bool>()),
                option::of(currency()),
                opt_value()
            ),
            (items(), items(), items(), items(), items(), items()),
            (opt_value(), opt_value(), opt_value(), opt_value(), common())
        )
            .prop_map(
                |(
                    (st, language, transaction_date),
                    counts,
                    (institution_id, patron_id, personal_name, limit, valid, currency, fee_amount),
                    (a, b, c, d, e, f),
                    (home_address, email, home_phone, patron_class, common),
                )| {
                    Response::PatronInformation(PatronInformationResponse {
                        patron_status: PatronStatus::from_bits_truncate(st),
                        language,
                        transaction_date,
                        hold_items_count: counts[0],
                        overdue_items_count: counts[1],
                        charged_items_count: counts[2],
                        fine_items_count: counts[3],
                        recall_items_count: counts[4],
                        unavailable_holds_count: counts[5],
                        institution_id,
                        patron_id,
                        personal_name,
                        hold_items_limit: limit,
                        overdue_items_limit: limit,
                        charged_items_limit: None,
                        valid_patron: valid,
                        valid_patron_password: valid.map(|v| !v),
                        currency,
                        fee_amount,
                        fee_limit: None,
                        hold_items: a,
                        overdue_items: b,
                        charged_items: c,
                        fine_items: d,
                        recall_items: e,
                        unavailable_hold_items: f,
                        home_address,
                        email,
                        home_phone,
                        birth_date: None,
                        patron_class,
                        common,
                    })
                }
            ),
        (
            (
                any::<bool>(),
                any::<bool>(),
                0usize..3,
                any::<bool>(),
                date()
            ),
            (
                value(),
                value(),
                value(),
                opt_value(),
                opt_value(),
                opt_value()
            ),
            (
                option::of(0u16..1000),
                opt_value(),
                opt_value(),
                opt_value(),
                option::of("0[0-4]|9[89]|[A-Z]{2}"),
                opt_value(),
                opt_value(),
                common()
            )
        )
            .prop_map(
                |(
                    (ok, resensitize, mm, alert, transaction_date),
                    (institution_id, item_id, permanent_location, title_id, sort_bin, patron_id),
                    (
                        media,
                        item_properties,
                        collection_code,
                        call_number,
                        alert_type,
                        hold_patron_id,
                        hold_patron_name,
                        common,
                    ),
                )| {
                    Response::Checkin(CheckinResponse {
                        ok,
                        resensitize,
                        magnetic_media: [
                            YesNoUnknown::Yes,
                            YesNoUnknown::No,
                            YesNoUnknown::Unknown,
                        ][mm],
                        alert,
                        transaction_date,
                        institution_id,
                        item_id,
                        permanent_location,
                        title_id,
                        sort_bin,
                        patron_id,
                        media_type: media.map(MediaType::from_value),
                        item_properties,
                        collection_code,
                        call_number,
                        destination_location: hold_patron_name.clone(),
                        alert_type: alert_type.map(|a| AlertType::parse(&a)),
                        hold_patron_id,
                        hold_patron_name,
                        common,
                    })
                }
            ),
        (
            (any::<bool>(), any::<bool>(), date()),
            (value(), value(), value(), value(), value()),
            (
                option::of(0u8..100),
                option::of(any::<bool>()),
                option::of(currency()),
                opt_value(),
                option::of(0u16..1000),
                opt_value(),
                opt_value(),
                common()
            )
        )
            .prop_map(
                |(
                    (ok, renewal_ok, transaction_date),
                    (institution_id, patron_id, item_id, title_id, due_date),
                    (
                        fee,
                        security_inhibit,
                        currency,
                        fee_amount,
                        media,
                        item_properties,
                        transaction_id,
                        common,
                    ),
                )| {
                    Response::Renew(CheckoutResponse {
                        ok,
                        renewal_ok,
                        magnetic_media: YesNoUnknown::Unknown,
                        desensitize: YesNoUnknown::from(ok),
                        transaction_date,
                        institution_id,
                        patron_id,
                        item_id,
                        title_id,
                        due_date,
                        fee_type: fee.map(FeeType::from_value),
                        security_inhibit,
                        currency,
                        fee_amount,
                        media_type: media.map(MediaType::from_value),
                        item_properties,
                        transaction_id,
                        common,
                    })
                }
            ),
        (
            any::<bool>(),
            0u16..10000,
            0u16..10000,
            date(),
            value(),
            items(),
            items(),
            common()
        )
            .prop_map(
                |(
                    ok,
                    renewed_count,
                    unrenewed_count,
                    transaction_date,
                    institution_id,
                    renewed_items,
                    unrenewed_items,
                    common,
                )| {
                    Response::RenewAll(RenewAllResponse {
                        ok,
                        renewed_count,
                        unrenewed_count,
                        transaction_date,
                        institution_id,
                        renewed_items,
                        unrenewed_items,
                        common,
                    })
                }
            ),
        (
            any::<bool>(),
            any::<bool>(),
            date(),
            option::of(date().prop_filter("non-blank", |d| !d.is_blank())),
            option::of(any::<u32>()),
            opt_value(),
            value(),
            value(),
            opt_value(),
            opt_value(),
            common()
        )
            .prop_map(
                |(
                    ok,
                    available,
                    transaction_date,
                    expiration_date,
                    queue_position,
                    pickup_location,
                    institution_id,
                    patron_id,
                    item_id,
                    title_id,
                    common,
                )| {
                    Response::Hold(HoldResponse {
                        ok,
                        available,
                        transaction_date,
                        expiration_date,
                        queue_position,
                        pickup_location,
                        institution_id,
                        patron_id,
                        item_id,
                        title_id,
                        common,
                    })
                }
            ),
    ]
}

fn unframe(bytes: &[u8], cs: Charset) -> String {
    assert_eq!(bytes.last(), Some(&b'\r'));
    cs.decode(&bytes[..bytes.len() - 1])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn request_format_parse_round_trip(req in request(), seq in option::of(0u8..10)) {
        let mut opts = FormatOptions::default();
        if let Some(s) = seq {
            opts = opts.with_sequence(s);
        }
        let bytes = req.format(&opts);
        let text = unframe(&bytes, Charset::Utf8);
        if seq.is_some() {
            prop_assert_eq!(quire_sip2::verify(&bytes[..bytes.len() - 1], &text), quire_sip2::ChecksumStatus::Valid);
        }
        prop_assert_eq!(Request::parse(&text), Ok(req));
    }

    #[test]
    fn response_format_parse_round_trip(resp in response(), seq in option::of(0u8..10)) {
        let mut opts = FormatOptions::default();
        if let Some(s) = seq {
            opts = opts.with_sequence(s);
        }
        let bytes = resp.format(&opts);
        let text = unframe(&bytes, Charset::Utf8);
        prop_assert_eq!(Response::parse(&text), Ok(resp));
    }

    #[test]
    fn formatted_responses_fit_and_never_break_the_frame(
        resp in response(),
        max in 20usize..400,
        cs in prop_oneof![Just(Charset::Utf8), Just(Charset::Latin1), Just(Charset::Cp850)],
        seq in option::of(0u8..10),
    ) {
        let mut opts = FormatOptions::default().with_max_len(max).with_charset(cs);
        if let Some(s) = seq {
            opts = opts.with_sequence(s);
        }
        let bytes = resp.format(&opts);
        // The fixed part and structured values (dates, codes, numbers: under
        // 100 bytes in these messages) are never cut; the limit holds
        // whenever they fit.
        let unlimited = resp.format(&FormatOptions::default().with_charset(cs));
        let fixed_len = unlimited.iter().position(|&b| b == b'|').unwrap_or(unlimited.len());
        if fixed_len + 100 + 10 <= max {
            prop_assert!(bytes.len() <= max, "{} > {}", bytes.len(), max);
        }
        // Exactly one CR, at the end.
        prop_assert_eq!(bytes.iter().filter(|&&b| b == b'\r' || b == b'\n').count(), 1);
        // Whatever was dropped, the rest still parses as the same message.
        let text = unframe(&bytes, cs);
        let parsed = Response::parse(&text);
        prop_assert!(parsed.is_ok(), "{:?}: {:?}", text, parsed);
        prop_assert_eq!(parsed.map(|r| r.command()), Ok(resp.command()));
    }

    #[test]
    fn request_parse_never_panics_on_strings(s in "\\PC{0,80}") {
        let _ = Request::parse(&s);
        let _ = Response::parse(&s);
    }

    #[test]
    fn request_parse_never_panics_on_plausible_messages(
        cmd in "[0-9]{2}",
        body in "[ 0-9A-Z|YN+*.-]{0,60}",
    ) {
        let s = format!("{cmd}{body}");
        let _ = Request::parse(&s);
        let _ = Response::parse(&s);
    }

    #[test]
    fn decoder_and_session_never_panic(data in proptest::collection::vec(any::<u8>(), 0..400), max in 1usize..200) {
        let mut d = FrameDecoder::new(max, Charset::Cp850);
        let mut s = Session::new(SessionConfig::default());
        let now = SipDateTime::blank();
        for item in d.decode(&data) {
            let action = match item {
                Ok(f) => s.feed(&f, &now),
                Err(e) => s.feed_error(e),
            };
            if let Action::Handle(_) = action {
                let _ = s.respond(&Response::Login(LoginResponse::default()));
            }
        }
    }

    #[test]
    fn session_hands_valid_requests_through(req in request(), seq in 0u8..10) {
        prop_assume!(req != Request::RequestAcsResend);
        let mut s = Session::new(SessionConfig { login_required: false, ..SessionConfig::default() });
        let bytes = req.format(&FormatOptions::default().with_sequence(seq));
        let frame = quire_sip2::Frame::from_bytes(bytes[..bytes.len() - 1].to_vec(), Charset::Utf8);
        let action = s.feed(&frame, &SipDateTime::blank());
        prop_assert_eq!(action, Action::Handle(req));
        let reply = s.respond(&Response::RequestScResend);
        let text = unframe(&reply, Charset::Utf8);
        prop_assert_eq!(quire_sip2::find_trailer(&text).sequence, Some(seq));
        prop_assert_eq!(quire_sip2::verify(&reply[..reply.len() - 1], &text), quire_sip2::ChecksumStatus::Valid);
        // A 97 now gets exactly the same bytes.
        let again = s.feed(&quire_sip2::Frame::from_bytes(b"97".to_vec(), Charset::Utf8), &SipDateTime::blank());
        prop_assert_eq!(again, Action::Reply { bytes: reply, reason: quire_sip2::session::ReplyReason::Resend });
    }

    #[test]
    fn truncated_valid_messages_never_panic(req in request(), cut in 0usize..200) {
        let bytes = req.format(&FormatOptions::default().with_sequence(1));
        let text = String::from_utf8_lossy(&bytes[..cut.min(bytes.len())]).into_owned();
        let _ = Request::parse(&text);
    }
}
