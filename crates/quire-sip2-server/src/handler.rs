//! SIP2 message → `Library` call → SIP2 reply. No business rules here: a
//! checkout is `Library::checkout`, a checkin `Library::checkin`, and so
//! on, with the device as the actor; refusals come back as translated
//! screen messages (AF) in the account's language.

use std::sync::Arc;

use chrono::{DateTime, Datelike, Timelike, Utc};
use chrono_tz::Tz;
use quire_domain::Locale;
use quire_domain::circ::blocks::sip2_patron_status_bits;
use quire_domain::circ::form::format_money;
use quire_i18n::Arg;
use quire_library::circulation::MONEY_DECIMALS;
use quire_library::fees::PatronRef;
use quire_library::holds::{CancelBy, HoldRequest};
use quire_library::sip2::{PatronAccount, Sip2Account};
use quire_library::{Ctx, Error, ErrorCode};
use quire_sip2::codes::{
    AlertType, CirculationStatus, Currency, FeeType, HoldMode, HoldType, Language, PatronStatus,
    SecurityMarker, SummaryList, SupportedMessages, YesNoUnknown,
};
use quire_sip2::request::{
    CheckinRequest, CheckoutRequest, FeePaidRequest, HoldRequest as SipHold,
    PatronInformationRequest, RenewRequest,
};
use quire_sip2::response::{
    AcsStatus, CheckinResponse, CheckoutResponse, Common, EndSessionResponse, FeePaidResponse,
    HoldResponse, ItemInformationResponse, ItemStatusUpdateResponse, LoginResponse,
    PatronEnableResponse, PatronInformationResponse, PatronStatusResponse, RenewAllResponse,
};
use quire_sip2::{Charset, ChecksumPolicy, Request, Response, SipDateTime, SipZone};

use crate::Shared;

/// Which messages this server answers with a real effect (the BX field of
/// 98): all sixteen of SIP2 2.00.
pub fn supported_messages() -> SupportedMessages {
    SupportedMessages::all()
}

/// Protocol settings that change once a device logged in.
#[derive(Debug, Clone, Copy)]
pub struct AccountSettings {
    pub charset: Charset,
    pub checksum: ChecksumPolicy,
}

/// The state of one connection above the protocol session.
pub struct Connection {
    shared: Arc<Shared>,
    account: Option<(Sip2Account, Ctx)>,
    locale: Locale,
    tz: Tz,
    new_account: Option<AccountSettings>,
    /// Patron PINs this connection has verified (card, PIN): a kiosk sends
    /// the PIN with every message of a patron session.
    verified_pins: Vec<(String, String)>,
}

fn sip_date(t: DateTime<Utc>, tz: Tz) -> SipDateTime {
    let l = t.with_timezone(&tz);
    SipDateTime::new(
        u16::try_from(l.year()).unwrap_or(0),
        u8::try_from(l.month()).unwrap_or(0),
        u8::try_from(l.day()).unwrap_or(0),
        u8::try_from(l.hour()).unwrap_or(0),
        u8::try_from(l.minute()).unwrap_or(0),
        u8::try_from(l.second()).unwrap_or(0),
        SipZone::Local,
    )
    .unwrap_or_else(SipDateTime::blank)
}

fn non_empty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn count(n: usize) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}

/// Entries `start..=end` (1-based, BP/BQ) of a list.
fn range(list: &[String], start: Option<u32>, end: Option<u32>) -> Vec<String> {
    let start = start.unwrap_or(1).max(1) as usize;
    let end = end.map_or(list.len(), |e| e as usize).min(list.len());
    if start > end {
        return Vec::new();
    }
    list.get(start - 1..end)
        .map(<[String]>::to_vec)
        .unwrap_or_default()
}

impl Connection {
    pub fn new(shared: Arc<Shared>) -> Connection {
        Connection {
            shared,
            account: None,
            locale: Locale::En,
            tz: chrono_tz::UTC,
            new_account: None,
            verified_pins: Vec::new(),
        }
    }

    /// Settings of an account that logged in since the last call.
    pub fn take_new_account(&mut self) -> Option<AccountSettings> {
        self.new_account.take()
    }

    /// A message in the device's language.
    pub fn text(&self, key: &str) -> String {
        self.shared.i18n.s(self.locale, key)
    }

    /// "Now" in the SIP2 date format, in the device branch's time zone.
    pub fn sip_now(&self) -> SipDateTime {
        sip_date(self.shared.lib.now(), self.tz)
    }

    fn date(&self, t: DateTime<Utc>) -> SipDateTime {
        sip_date(t, self.tz)
    }

    fn institution(&self) -> String {
        self.account
            .as_ref()
            .map(|(a, _)| a.row.institution.clone())
            .unwrap_or_default()
    }

    fn currency(&self) -> Option<Currency> {
        Currency::new(&self.shared.config.currency)
    }

    fn money(&self, minor: i64) -> String {
        format_money(minor, MONEY_DECIMALS)
    }

    /// The screen messages (AF) for a service error, in the device's language.
    fn explain(&self, e: &Error) -> Vec<String> {
        let i18n = &self.shared.i18n;
        if e.code == ErrorCode::Refused && !e.refusals.is_empty() {
            return e
                .refusals
                .iter()
                .map(|r| {
                    let args: Vec<(&str, Arg<'_>)> = r
                        .args
                        .iter()
                        .map(|(k, v)| (*k, Arg::Str(v.as_str())))
                        .collect();
                    i18n.t(self.locale, &format!("refusal-{}", r.code.as_str()), &args)
                })
                .collect();
        }
        if e.code == ErrorCode::Internal {
            tracing::error!(detail = %e.detail, "sip2 request failed");
        }
        let key = e.code.spec().sip2_screen.unwrap_or("sip2-invalid");
        vec![self.text(key)]
    }

    fn ctx(&self) -> Option<&Ctx> {
        self.account.as_ref().map(|(_, c)| c)
    }

    /// Answers one request (the session has checked checksum, login and
    /// parse already).
    pub async fn handle(&mut self, request: Request) -> Response {
        let now = self.sip_now();
        if let Request::Login(l) = &request {
            return self.login(&l.user_id, &l.password).await;
        }
        if let Request::ScStatus(_) = &request {
            return self.status(now);
        }
        let Some(ctx) = self.ctx().cloned() else {
            // A listener without a usable login-free account, or a failed 93.
            return Response::refusal(
                &request,
                &self.shared.i18n.s(self.locale, "sip2-login-required"),
                &now,
            )
            .unwrap_or(Response::RequestScResend);
        };
        match request {
            Request::PatronStatus(r) => {
                let acc = self
                    .shared
                    .lib
                    .patron_account(&ctx, &r.patron_id, non_empty(&r.patron_password))
                    .await;
                let (status, language, name, valid, pin, fee, screen) = match &acc {
                    Ok(a) => {
                        self.remember_pin(&r.patron_id, non_empty(&r.patron_password), a.pin_ok);
                        (
                            self.patron_status(a),
                            patron_language_of(a),
                            full_name(a),
                            Some(true),
                            a.pin_ok,
                            Some(self.money(a.balance_minor)),
                            self.pin_screen(a.pin_ok),
                        )
                    }
                    Err(e) => (
                        PatronStatus::all(),
                        Language::default(),
                        String::new(),
                        Some(false),
                        r.patron_password.as_ref().map(|_| false),
                        None,
                        self.explain(e),
                    ),
                };
                Response::PatronStatus(PatronStatusResponse {
                    patron_status: status,
                    language,
                    transaction_date: now,
                    institution_id: self.institution(),
                    patron_id: r.patron_id,
                    personal_name: name,
                    valid_patron: valid,
                    valid_patron_password: pin,
                    currency: fee.as_ref().and(self.currency()),
                    fee_amount: fee,
                    common: Common {
                        screen_message: screen,
                        ..Common::default()
                    },
                })
            }
            Request::PatronInformation(r) => self.patron_information(&ctx, r, now).await,
            Request::Checkout(r) => self.checkout(&ctx, r, now).await,
            Request::Checkin(r) => self.checkin(&ctx, r, now).await,
            Request::Renew(r) => self.renew(&ctx, r, now).await,
            Request::RenewAll(r) => {
                let mut renewed = Vec::new();
                let mut unrenewed = Vec::new();
                let mut screen = Vec::new();
                match self
                    .patron_for(&ctx, &r.patron_id, &r.patron_password)
                    .await
                {
                    Ok(acc) => {
                        for l in &acc.loans {
                            match self.shared.lib.renew(&ctx, &l.item_barcode).await {
                                Ok(_) => renewed.push(l.item_barcode.clone()),
                                Err(_) => unrenewed.push(l.item_barcode.clone()),
                            }
                        }
                    }
                    Err(e) => screen = self.explain(&e),
                }
                Response::RenewAll(RenewAllResponse {
                    ok: screen.is_empty(),
                    renewed_count: count(renewed.len()),
                    unrenewed_count: count(unrenewed.len()),
                    transaction_date: now,
                    institution_id: self.institution(),
                    renewed_items: renewed,
                    unrenewed_items: unrenewed,
                    common: Common {
                        screen_message: screen,
                        ..Common::default()
                    },
                })
            }
            Request::EndPatronSession(r) => {
                self.verified_pins.retain(|(card, _)| *card != r.patron_id);
                Response::EndSession(EndSessionResponse {
                    end_session: true,
                    transaction_date: now,
                    institution_id: self.institution(),
                    patron_id: r.patron_id,
                    common: Common::screen(self.shared.i18n.s(self.locale, "sip2-session-ended")),
                })
            }
            Request::FeePaid(r) => self.fee_paid(&ctx, r, now).await,
            Request::ItemInformation(r) => self.item_information(&ctx, &r.item_id, now).await,
            Request::ItemStatusUpdate(r) => {
                let mut resp = ItemStatusUpdateResponse {
                    ok: false,
                    transaction_date: now,
                    item_id: r.item_id.clone(),
                    title_id: None,
                    item_properties: None,
                    common: Common::default(),
                };
                match self
                    .shared
                    .lib
                    .set_item_sip2_properties(&ctx, &r.item_id, &r.item_properties)
                    .await
                {
                    Ok(info) => {
                        resp.ok = true;
                        resp.title_id = Some(info.title);
                        resp.item_properties = info.sip2_properties;
                    }
                    Err(e) => resp.common.screen_message = self.explain(&e),
                }
                Response::ItemStatusUpdate(resp)
            }
            Request::BlockPatron(r) => {
                // The device's report becomes a manual block; the reply is
                // a 24 with the patron's status after it.
                let blocked = self
                    .shared
                    .lib
                    .sip2_block_patron(&ctx, &r.patron_id, r.card_retained, &r.blocked_card_message)
                    .await;
                let acc = self
                    .shared
                    .lib
                    .patron_account(&ctx, &r.patron_id, None)
                    .await;
                let screen = match (&blocked, &acc) {
                    (Err(e), _) | (Ok(_), Err(e)) => self.explain(e),
                    (Ok(_), Ok(_)) => vec![self.shared.i18n.s(self.locale, "sip2-patron-blocked")],
                };
                Response::PatronStatus(PatronStatusResponse {
                    patron_status: acc
                        .as_ref()
                        .map_or(PatronStatus::all(), |a| self.patron_status(a)),
                    language: acc.as_ref().map(patron_language_of).unwrap_or_default(),
                    transaction_date: now,
                    institution_id: self.institution(),
                    personal_name: acc.as_ref().map(full_name).unwrap_or_default(),
                    valid_patron: Some(acc.is_ok()),
                    patron_id: r.patron_id,
                    common: Common {
                        screen_message: screen,
                        ..Common::default()
                    },
                    ..PatronStatusResponse::default()
                })
            }
            Request::PatronEnable(r) => {
                let enabled = match self.check_pin(&ctx, &r.patron_id, &r.patron_password).await {
                    Ok(()) => self
                        .shared
                        .lib
                        .sip2_enable_patron(&ctx, &r.patron_id)
                        .await
                        .map_err(|e| self.explain(&e)),
                    Err(screen) => Err(screen),
                };
                let acc = self
                    .shared
                    .lib
                    .patron_account(&ctx, &r.patron_id, non_empty(&r.patron_password))
                    .await;
                let screen = match (&enabled, &acc) {
                    (Err(screen), _) => screen.clone(),
                    (Ok(_), Err(e)) => self.explain(e),
                    (Ok(0), Ok(_)) => vec![
                        self.shared
                            .i18n
                            .s(self.locale, "sip2-patron-nothing-to-enable"),
                    ],
                    (Ok(_), Ok(_)) => vec![self.shared.i18n.s(self.locale, "sip2-patron-enabled")],
                };
                Response::PatronEnable(PatronEnableResponse {
                    patron_status: acc
                        .as_ref()
                        .map_or(PatronStatus::all(), |a| self.patron_status(a)),
                    language: acc.as_ref().map(patron_language_of).unwrap_or_default(),
                    transaction_date: now,
                    institution_id: self.institution(),
                    personal_name: acc.as_ref().map(full_name).unwrap_or_default(),
                    valid_patron: Some(acc.is_ok()),
                    valid_patron_password: acc.as_ref().ok().and_then(|a| a.pin_ok),
                    patron_id: r.patron_id,
                    common: Common {
                        screen_message: screen,
                        ..Common::default()
                    },
                })
            }
            Request::Hold(r) => self.hold(&ctx, r, now).await,
            // Handled before (login, status) or by the session (resend).
            Request::Login(_) | Request::ScStatus(_) | Request::RequestAcsResend => {
                Response::RequestScResend
            }
        }
    }

    async fn hold(&mut self, ctx: &Ctx, r: SipHold, now: SipDateTime) -> Response {
        let mut resp = HoldResponse {
            ok: false,
            available: false,
            transaction_date: now,
            expiration_date: None,
            queue_position: None,
            pickup_location: None,
            institution_id: self.institution(),
            patron_id: r.patron_id.clone(),
            item_id: r.item_id.clone(),
            title_id: r.title_id.clone(),
            common: Common::default(),
        };
        if let Err(screen) = self.check_pin(ctx, &r.patron_id, &r.patron_password).await {
            resp.common.screen_message = screen;
            return Response::Hold(resp);
        }
        let lib = &self.shared.lib;
        let item = non_empty(&r.item_id).map(str::to_owned);
        let pickup = non_empty(&r.pickup_location).map(str::to_owned);
        let not_needed_after = r
            .expiration_date
            .as_ref()
            .and_then(|d| d.parts())
            .and_then(|p| {
                chrono::NaiveDate::from_ymd_opt(
                    i32::from(p.year),
                    u32::from(p.month),
                    u32::from(p.day),
                )
            });
        // AJ names a title by its record number (the number in the OPAC's
        // record address); free-text titles cannot be matched safely.
        let title_record = non_empty(&r.title_id).and_then(|t| t.parse::<i64>().ok());
        let result = match r.mode {
            HoldMode::Add => {
                // Hold types 2 (any copy of the title) and 4 (any copy at a
                // branch, BS) with an item: a title-level hold on its record.
                let any_copy = matches!(
                    r.hold_type,
                    Some(HoldType::AnyCopy | HoldType::AnyCopyAtLocation)
                );
                let target = match (&item, title_record) {
                    (Some(i), _) if any_copy => match lib.item_info(ctx, i).await {
                        Ok(info) => Ok((Some(info.item.record_id), None)),
                        Err(e) => Err(e),
                    },
                    (Some(i), _) => Ok((None, Some(i.clone()))),
                    (None, Some(record)) => Ok((Some(record), None)),
                    (None, None) => {
                        let i18n = &self.shared.i18n;
                        resp.common.screen_message = vec![if non_empty(&r.title_id).is_some() {
                            i18n.s(self.locale, "sip2-hold-title-needs-number")
                        } else {
                            i18n.s(self.locale, "sip2-hold-needs-item")
                        }];
                        return Response::Hold(resp);
                    }
                };
                match target {
                    Ok((record_id, item)) => {
                        lib.place_hold(
                            ctx,
                            &HoldRequest {
                                patron: r.patron_id.clone(),
                                record_id,
                                item,
                                pickup,
                                not_needed_after,
                                ..HoldRequest::default()
                            },
                        )
                        .await
                    }
                    Err(e) => Err(e),
                }
            }
            HoldMode::Delete | HoldMode::Change => {
                let title = non_empty(&r.title_id);
                match lib.patron_holds(ctx, &r.patron_id, false).await {
                    Ok(holds) => {
                        let found = holds.into_iter().find(|h| match &item {
                            Some(i) => {
                                h.item_barcode.as_deref() == Some(i.as_str())
                                    || h.captured_item_barcode.as_deref() == Some(i.as_str())
                            }
                            None => match title_record {
                                Some(record) => h.level == "title" && h.hold.record_id == record,
                                None => title.is_some_and(|t| h.title == t),
                            },
                        });
                        match (found, r.mode) {
                            (None, _) => Err(Error::not_found("hold")),
                            (Some(h), HoldMode::Delete) => {
                                lib.cancel_hold(
                                    ctx,
                                    h.hold.id,
                                    CancelBy::Patron(&r.patron_id),
                                    None,
                                )
                                .await
                            }
                            (Some(h), _) => match &pickup {
                                Some(p) => lib.change_hold_pickup(ctx, h.hold.id, p).await,
                                None => Ok(h),
                            },
                        }
                    }
                    Err(e) => Err(e),
                }
            }
        };
        match result {
            Ok(v) => {
                resp.ok = true;
                resp.available = v.hold.status == "waiting";
                resp.queue_position = v.queue_position.and_then(|q| u32::try_from(q).ok());
                resp.pickup_location = Some(v.pickup_branch.clone());
                resp.title_id = Some(v.title.clone());
                resp.expiration_date = v.hold.expires_at.map(|t| self.date(t));
                resp.item_id = v.item_barcode.clone().or(resp.item_id);
                let i18n = &self.shared.i18n;
                resp.common.screen_message = vec![match r.mode {
                    HoldMode::Add => i18n.s(self.locale, "sip2-hold-placed"),
                    HoldMode::Delete => i18n.s(self.locale, "sip2-hold-cancelled"),
                    HoldMode::Change => i18n.s(self.locale, "sip2-hold-changed"),
                }];
            }
            Err(e) => resp.common.screen_message = self.explain(&e),
        }
        Response::Hold(resp)
    }

    /// Makes `account` this connection's device.
    fn use_account(&mut self, account: Sip2Account) {
        self.locale = account.locale;
        self.tz = account.timezone.parse().unwrap_or(chrono_tz::UTC);
        self.new_account = Some(AccountSettings {
            charset: match account.row.charset.as_str() {
                "iso-8859-1" => Charset::Latin1,
                "cp850" => Charset::Cp850,
                _ => Charset::Utf8,
            },
            checksum: if account.row.checksum_required {
                ChecksumPolicy::Require
            } else {
                ChecksumPolicy::VerifyIfPresent
            },
        });
        let ctx = account.ctx();
        self.account = Some((account, ctx));
        self.verified_pins.clear();
    }

    /// Binds the connection to the listener's "login not required"
    /// account (no 93 needed). Logs and leaves the connection unbound when
    /// the account is missing, disabled or requires a login.
    pub async fn bind_open_account(&mut self, login: &str) {
        match self.shared.lib.sip2_open_account(login).await {
            Ok(account) => {
                tracing::debug!(login = %account.row.login, "sip2 connection bound to a login-free account");
                self.use_account(account);
            }
            Err(e) => {
                tracing::warn!(login, reason = %e.detail, "sip2 listener account not usable; login required");
            }
        }
    }

    async fn login(&mut self, login: &str, password: &str) -> Response {
        match self.shared.lib.sip2_login(login, password).await {
            Ok(account) => {
                tracing::info!(login = %account.row.login, "sip2 device logged in");
                self.use_account(account);
                Response::Login(LoginResponse {
                    ok: true,
                    common: Common::default(),
                })
            }
            Err(e) => {
                tracing::warn!(login, reason = %e.detail, "sip2 login refused");
                // No account any more: default language and clock.
                self.account = None;
                self.locale = Locale::En;
                self.tz = chrono_tz::UTC;
                Response::Login(LoginResponse {
                    ok: false,
                    common: Common::default(),
                })
            }
        }
    }

    fn status(&self, now: SipDateTime) -> Response {
        let logged_in = self.account.is_some();
        Response::AcsStatus(AcsStatus {
            online: true,
            checkin_ok: logged_in,
            checkout_ok: logged_in,
            acs_renewal_policy: true,
            status_update_ok: logged_in,
            offline_ok: false,
            timeout_period: 10,
            retries_allowed: 3,
            date_time_sync: now,
            protocol_version: "2.00".into(),
            institution_id: self.institution(),
            library_name: Some(self.shared.config.library_name.clone()),
            supported_messages: supported_messages(),
            terminal_location: self
                .account
                .as_ref()
                .and_then(|(a, _)| a.row.location_code.clone()),
            common: Common::default(),
        })
    }

    fn patron_status(&self, a: &PatronAccount) -> PatronStatus {
        PatronStatus::from_bits_truncate(sip2_patron_status_bits(&a.blocks, a.max_loans_reached))
    }

    fn pin_screen(&self, pin_ok: Option<bool>) -> Vec<String> {
        if pin_ok == Some(false) {
            vec![self.shared.i18n.s(self.locale, "sip2-wrong-pin")]
        } else {
            Vec::new()
        }
    }

    fn remember_pin(&mut self, card: &str, pin: Option<&str>, ok: Option<bool>) {
        if let (Some(pin), Some(true)) = (pin, ok) {
            if self.verified_pins.len() >= 16 {
                self.verified_pins.remove(0);
            }
            self.verified_pins.push((card.to_owned(), pin.to_owned()));
        }
    }

    /// Checks the AD patron password when the device sent one; a wrong PIN
    /// stops the transaction.
    async fn check_pin(
        &mut self,
        ctx: &Ctx,
        card: &str,
        pin: &Option<String>,
    ) -> Result<(), Vec<String>> {
        let Some(pin) = non_empty(pin) else {
            return Ok(());
        };
        if self
            .verified_pins
            .iter()
            .any(|(c, p)| c == card && p == pin)
        {
            return Ok(());
        }
        match self.shared.lib.verify_patron_pin(ctx, card, pin).await {
            Ok(true) => {
                self.remember_pin(card, Some(pin), Some(true));
                Ok(())
            }
            Ok(false) => Err(vec![self.shared.i18n.s(self.locale, "sip2-wrong-pin")]),
            Err(e) => Err(self.explain(&e)),
        }
    }

    async fn patron_for(
        &mut self,
        ctx: &Ctx,
        card: &str,
        pin: &Option<String>,
    ) -> Result<PatronAccount, Error> {
        let acc = self
            .shared
            .lib
            .patron_account(ctx, card, non_empty(pin))
            .await?;
        if acc.pin_ok == Some(false) {
            return Err(Error::new(ErrorCode::BadCredentials, "wrong patron PIN"));
        }
        self.remember_pin(card, non_empty(pin), acc.pin_ok);
        Ok(acc)
    }

    async fn patron_information(
        &mut self,
        ctx: &Ctx,
        r: PatronInformationRequest,
        now: SipDateTime,
    ) -> Response {
        let institution_id = self.institution();
        let acc = match self
            .shared
            .lib
            .patron_account(ctx, &r.patron_id, non_empty(&r.patron_password))
            .await
        {
            Ok(a) => a,
            Err(e) => {
                return Response::PatronInformation(PatronInformationResponse {
                    patron_status: PatronStatus::all(),
                    transaction_date: now,
                    // Counts are numbers even for an unknown patron (some
                    // kiosks parse them unconditionally).
                    hold_items_count: Some(0),
                    overdue_items_count: Some(0),
                    charged_items_count: Some(0),
                    fine_items_count: Some(0),
                    recall_items_count: Some(0),
                    unavailable_holds_count: Some(0),
                    institution_id,
                    patron_id: r.patron_id,
                    valid_patron: Some(false),
                    valid_patron_password: r.patron_password.as_ref().map(|_| false),
                    common: Common {
                        screen_message: self.explain(&e),
                        ..Common::default()
                    },
                    ..PatronInformationResponse::default()
                });
            }
        };
        self.remember_pin(&r.patron_id, non_empty(&r.patron_password), acc.pin_ok);
        // Holds: waiting on the shelf (available) and the others.
        let holds = self
            .shared
            .lib
            .patron_holds(ctx, &r.patron_id, false)
            .await
            .unwrap_or_default();
        let label = |h: &quire_library::holds::HoldView| {
            h.captured_item_barcode
                .clone()
                .or_else(|| h.item_barcode.clone())
                .unwrap_or_else(|| h.title.clone())
        };
        let available_holds: Vec<String> = holds
            .iter()
            .filter(|h| h.hold.status == "waiting")
            .map(label)
            .collect();
        let unavailable_holds: Vec<String> = holds
            .iter()
            .filter(|h| h.hold.status != "waiting")
            .map(label)
            .collect();
        let charged: Vec<String> = acc.loans.iter().map(|l| l.item_barcode.clone()).collect();
        let overdue: Vec<String> = acc
            .loans
            .iter()
            .filter(|l| l.overdue)
            .map(|l| l.item_barcode.clone())
            .collect();
        // Lists only for the patron themself (no PIN sent, or the right one).
        let show = acc.pin_ok != Some(false);
        let pick = |which: SummaryList, list: &[String]| {
            if show && r.summary == Some(which) {
                range(list, r.start_item, r.end_item)
            } else {
                Vec::new()
            }
        };
        let options = self
            .account
            .as_ref()
            .map(|(a, _)| a.options.clone())
            .unwrap_or_default();
        let hidden = |code: &str| {
            options
                .hide_fields
                .iter()
                .any(|f| f.eq_ignore_ascii_case(code))
        };
        let p = &acc.patron;
        Response::PatronInformation(PatronInformationResponse {
            patron_status: self.patron_status(&acc),
            language: patron_language_of(&acc),
            transaction_date: now,
            hold_items_count: Some(count(available_holds.len())),
            overdue_items_count: Some(count(overdue.len())),
            charged_items_count: Some(count(charged.len())),
            fine_items_count: Some(count(acc.fine_items.len())),
            recall_items_count: Some(0),
            unavailable_holds_count: Some(count(unavailable_holds.len())),
            institution_id,
            personal_name: full_name(&acc),
            hold_items_limit: None,
            overdue_items_limit: acc
                .overdue_limit
                .map(|n| u16::try_from(n).unwrap_or(u16::MAX)),
            charged_items_limit: acc.loan_limit.map(|n| u16::try_from(n).unwrap_or(u16::MAX)),
            valid_patron: Some(true),
            valid_patron_password: acc.pin_ok,
            currency: self.currency(),
            fee_amount: Some(self.money(acc.balance_minor)),
            fee_limit: acc.balance_limit.map(|m| self.money(m)),
            hold_items: pick(SummaryList::HoldItems, &available_holds),
            overdue_items: pick(SummaryList::OverdueItems, &overdue),
            charged_items: pick(SummaryList::ChargedItems, &charged),
            fine_items: pick(SummaryList::FineItems, &acc.fine_items),
            recall_items: Vec::new(),
            unavailable_hold_items: pick(SummaryList::UnavailableHolds, &unavailable_holds),
            home_address: None,
            email: p.email.clone().filter(|_| show && !hidden("BE")),
            home_phone: p.phone.clone().filter(|_| show && !hidden("BF")),
            birth_date: None,
            patron_class: Some(p.category.clone()).filter(|_| !hidden("PC")),
            common: Common {
                screen_message: self.pin_screen(acc.pin_ok),
                ..Common::default()
            },
            patron_id: r.patron_id,
        })
    }

    async fn checkout(&mut self, ctx: &Ctx, r: CheckoutRequest, now: SipDateTime) -> Response {
        let mut resp = CheckoutResponse {
            ok: false,
            renewal_ok: false,
            magnetic_media: YesNoUnknown::Unknown,
            desensitize: YesNoUnknown::No,
            transaction_date: now,
            institution_id: self.institution(),
            patron_id: r.patron_id.clone(),
            item_id: r.item_id.clone(),
            ..CheckoutResponse::default()
        };
        if let Err(screen) = self.check_pin(ctx, &r.patron_id, &r.patron_password).await {
            resp.common.screen_message = screen;
            return Response::Checkout(resp);
        }
        if r.cancel == Some(true) {
            // BI: the device could not finish the checkout (e.g. the RFID
            // tag was not written): take the item back.
            return match self
                .shared
                .lib
                .checkin(ctx, &r.item_id, Some(self.branch()))
                .await
            {
                Ok(_) => {
                    resp.ok = true;
                    resp.common.screen_message =
                        vec![self.shared.i18n.s(self.locale, "sip2-checkout-cancelled")];
                    Response::Checkout(resp)
                }
                Err(e) => {
                    resp.common.screen_message = self.explain(&e);
                    Response::Checkout(resp)
                }
            };
        }
        let lib = &self.shared.lib;
        let result = match lib.checkout(ctx, &r.patron_id, &r.item_id, &[]).await {
            // The patron already has it: with the SC renewal policy on, a
            // second checkout is a renewal.
            Err(e)
                if r.sc_renewal_policy
                    && e.refusal_codes().first() == Some(&"item-on-loan-to-patron") =>
            {
                resp.renewal_ok = true;
                lib.renew(ctx, &r.item_id).await
            }
            other => other,
        };
        match result {
            Ok(loan) => {
                resp.ok = true;
                resp.desensitize = YesNoUnknown::Yes;
                resp.title_id = loan.title;
                resp.due_date = self.date(loan.loan.due_at).raw().to_owned();
                resp.common.screen_message = vec![self.shared.i18n.t(
                    self.locale,
                    "sip2-due",
                    &[("due", Arg::String(self.local_date(loan.loan.due_at)))],
                )];
            }
            Err(e) => {
                resp.renewal_ok = false;
                resp.common.screen_message = self.explain(&e);
                if let Ok(info) = lib.item_info(ctx, &r.item_id).await {
                    resp.title_id = info.title;
                }
            }
        }
        Response::Checkout(resp)
    }

    fn branch(&self) -> &str {
        self.account
            .as_ref()
            .map(|(a, _)| a.branch_code.as_str())
            .unwrap_or_default()
    }

    fn local_date(&self, t: DateTime<Utc>) -> String {
        t.with_timezone(&self.tz).format("%Y-%m-%d").to_string()
    }

    async fn checkin(&mut self, ctx: &Ctx, r: CheckinRequest, now: SipDateTime) -> Response {
        let lib = &self.shared.lib;
        let options = self
            .account
            .as_ref()
            .map(|(a, _)| a.options.clone())
            .unwrap_or_default();
        let mut resp = CheckinResponse {
            ok: false,
            resensitize: false,
            magnetic_media: YesNoUnknown::Unknown,
            alert: true,
            transaction_date: now,
            institution_id: self.institution(),
            item_id: r.item_id.clone(),
            ..CheckinResponse::default()
        };
        if r.cancel == Some(true) {
            // Undoing a checkin would need the previous borrower: not offered.
            resp.common.screen_message =
                vec![self.shared.i18n.s(self.locale, "sip2-not-supported")];
            return Response::Checkin(resp);
        }
        match lib.checkin(ctx, &r.item_id, Some(self.branch())).await {
            Ok(view) => {
                resp.ok = true;
                resp.resensitize = true;
                resp.patron_id = view.patron_barcode.clone();
                let alert = view.sip2_alert_type;
                resp.alert = alert.is_some();
                if options.extensions {
                    resp.alert_type = match alert {
                        Some(code) => Some(AlertType::parse(code)),
                        None if options.cv_on_success => Some(AlertType::Unknown),
                        None => None,
                    };
                    resp.destination_location = view.sip2_destination.clone();
                    if let Some(slip) = &view.hold {
                        resp.hold_patron_id = Some(slip.patron_barcode.clone());
                        resp.hold_patron_name = Some(slip.patron_name.clone());
                    }
                }
                let mut screen = Vec::new();
                if !view.was_on_loan {
                    screen.push(self.shared.i18n.s(self.locale, "sip2-not-on-loan"));
                }
                // A lost / claims-returned / missing item found: say so,
                // and ask for staff attention (CV 99) unless the route
                // already raises an alert.
                if let Some(line) =
                    resolution_screen(&self.shared.i18n, self.locale, &view.resolution)
                {
                    screen.push(line);
                    resp.alert = true;
                    if options.extensions && alert.is_none() {
                        resp.alert_type = Some(AlertType::Other);
                    }
                }
                match (view.route.as_str(), &view.transit_to) {
                    ("transit", Some(to)) => screen.push(self.shared.i18n.t(
                        self.locale,
                        "sip2-send-to",
                        &[("branch", Arg::Str(to))],
                    )),
                    ("hold-shelf", _) => {
                        screen.push(self.shared.i18n.s(self.locale, "sip2-hold-shelf"))
                    }
                    _ => {}
                }
                // The checkin's own reply carries the item facts and the
                // sort bin (of the account's branch, where it was checked in).
                let info = view.device;
                resp.title_id = Some(clip_title(info.title));
                resp.permanent_location = info.home_branch;
                if options.extensions {
                    resp.call_number = info.call_number;
                    resp.collection_code = info.location_code;
                }
                resp.sort_bin = info.sort_bin;
                resp.common.screen_message = screen;
            }
            Err(e) => {
                if options.extensions {
                    resp.alert_type = Some(AlertType::Other);
                }
                resp.common.screen_message = self.explain(&e);
            }
        }
        Response::Checkin(resp)
    }

    async fn renew(&mut self, ctx: &Ctx, r: RenewRequest, now: SipDateTime) -> Response {
        let item = r.item_id.clone().unwrap_or_default();
        let mut resp = CheckoutResponse {
            ok: false,
            renewal_ok: false,
            magnetic_media: YesNoUnknown::Unknown,
            desensitize: YesNoUnknown::Unknown,
            transaction_date: now,
            institution_id: self.institution(),
            patron_id: r.patron_id.clone(),
            item_id: item.clone(),
            ..CheckoutResponse::default()
        };
        let acc = match self.patron_for(ctx, &r.patron_id, &r.patron_password).await {
            Ok(a) => a,
            Err(e) => {
                resp.common.screen_message = self.explain(&e);
                return Response::Renew(resp);
            }
        };
        // The patron renews their own loans unless the device allows third parties.
        if !r.third_party_allowed && !acc.loans.iter().any(|l| l.item_barcode == item.trim()) {
            resp.common.screen_message =
                vec![self.shared.i18n.s(self.locale, "sip2-not-your-loan")];
            return Response::Renew(resp);
        }
        match self.shared.lib.renew(ctx, &item).await {
            Ok(loan) => {
                resp.ok = true;
                resp.renewal_ok = true;
                resp.title_id = loan.title;
                resp.due_date = self.date(loan.loan.due_at).raw().to_owned();
                resp.common.screen_message = vec![self.shared.i18n.t(
                    self.locale,
                    "sip2-due",
                    &[("due", Arg::String(self.local_date(loan.loan.due_at)))],
                )];
            }
            Err(e) => resp.common.screen_message = self.explain(&e),
        }
        Response::Renew(resp)
    }

    async fn fee_paid(&mut self, ctx: &Ctx, r: FeePaidRequest, now: SipDateTime) -> Response {
        let mut resp = FeePaidResponse {
            payment_accepted: false,
            transaction_date: now,
            institution_id: self.institution(),
            patron_id: r.patron_id.clone(),
            transaction_id: r.transaction_id.clone(),
            common: Common::default(),
        };
        if let Err(screen) = self.check_pin(ctx, &r.patron_id, &r.patron_password).await {
            resp.common.screen_message = screen;
            return Response::FeePaid(resp);
        }
        let currency_ok = r.currency.as_str().trim().is_empty()
            || self
                .currency()
                .is_some_and(|c| c.as_str() == r.currency.as_str());
        if !currency_ok {
            resp.common.screen_message = vec![self.shared.i18n.s(self.locale, "sip2-bad-amount")];
            return Response::FeePaid(resp);
        }
        // The desk's payment call: SIP2 payment type 00 cash, 01/02 cards.
        let method = match r.payment_type.code().as_str() {
            "00" => "cash",
            "01" | "02" => "card",
            _ => "other",
        };
        let note = format!(
            "SIP2 {}{}",
            self.account
                .as_ref()
                .map(|(a, _)| a.row.login.as_str())
                .unwrap_or_default(),
            r.transaction_id
                .as_deref()
                .map(|t| format!(", transaction {t}"))
                .unwrap_or_default()
        );
        match self
            .shared
            .lib
            .pay_fees(
                ctx,
                PatronRef::Barcode(&r.patron_id),
                &r.fee_amount,
                method,
                &note,
            )
            .await
        {
            Ok(posted) => {
                resp.payment_accepted = true;
                resp.common.screen_message = vec![self.shared.i18n.t(
                    self.locale,
                    "sip2-payment-received",
                    &[("amount", Arg::String(self.money(-posted.line.amount_minor)))],
                )];
            }
            Err(e) => resp.common.screen_message = self.explain(&e),
        }
        Response::FeePaid(resp)
    }

    async fn item_information(&mut self, ctx: &Ctx, item: &str, now: SipDateTime) -> Response {
        match self.shared.lib.item_info(ctx, item).await {
            Ok(info) => {
                let properties = self
                    .shared
                    .lib
                    .item_sip2_properties(ctx, info.item.id)
                    .await
                    .unwrap_or_default();
                let status = info
                    .sip2_status
                    .parse::<u8>()
                    .map(CirculationStatus::from_value)
                    .unwrap_or(CirculationStatus::OtherStatus);
                Response::ItemInformation(ItemInformationResponse {
                    circulation_status: status,
                    security_marker: SecurityMarker::OtherMarker,
                    fee_type: FeeType::OtherFee,
                    transaction_date: now,
                    hold_queue_length: Some(0),
                    due_date: info.due_at.map(|d| self.date(d).raw().to_owned()),
                    recall_date: None,
                    hold_pickup_date: None,
                    item_id: info.item.barcode.clone(),
                    title_id: info.title.clone(),
                    owner: Some(info.branch_code.clone()),
                    currency: None,
                    fee_amount: None,
                    media_type: None,
                    permanent_location: Some(info.branch_code.clone()),
                    current_location: Some(info.branch_code.clone()),
                    item_properties: properties,
                    collection_code: info.location_code.clone(),
                    call_number: info.item.call_number.clone(),
                    common: Common::default(),
                })
            }
            Err(e) => Response::ItemInformation(ItemInformationResponse {
                circulation_status: CirculationStatus::OtherStatus,
                security_marker: SecurityMarker::OtherMarker,
                fee_type: FeeType::OtherFee,
                transaction_date: now,
                hold_queue_length: None,
                due_date: None,
                recall_date: None,
                hold_pickup_date: None,
                item_id: item.to_owned(),
                title_id: String::new(),
                owner: None,
                currency: None,
                fee_amount: None,
                media_type: None,
                permanent_location: None,
                current_location: None,
                item_properties: None,
                collection_code: None,
                call_number: None,
                common: Common {
                    screen_message: self.explain(&e),
                    ..Common::default()
                },
            }),
        }
    }
}

fn full_name(a: &PatronAccount) -> String {
    format!("{} {}", a.patron.first_name, a.patron.last_name)
        .trim()
        .to_owned()
}

fn patron_language_of(a: &PatronAccount) -> Language {
    a.patron
        .preferred_locale
        .as_deref()
        .map(Language::from_tag)
        .unwrap_or_default()
}

/// Longest title (AJ) a checkin reply carries, in characters: the reply
/// must stay under 4096 bytes, and the encoder would drop the screen
/// messages (AF) before it shortens a free-text field.
const CHECKIN_TITLE_MAX: usize = 255;

/// The title cut to [`CHECKIN_TITLE_MAX`] characters (with "…").
fn clip_title(title: String) -> String {
    if title.chars().count() <= CHECKIN_TITLE_MAX {
        return title;
    }
    let mut t: String = title.chars().take(CHECKIN_TITLE_MAX - 1).collect();
    t.push('…');
    t
}

/// The screen message (AF) saying what a checkin resolved — a lost item
/// found (with the credit, if any), a claims-returned item found, a
/// missing item found — in the device's language; `None`: nothing.
pub fn resolution_screen(
    i18n: &quire_i18n::I18n,
    locale: Locale,
    r: &quire_library::loss::CheckinResolution,
) -> Option<String> {
    Some(match r.resolved.as_deref()? {
        "lost-found" if r.credit_minor > 0 => i18n.t(
            locale,
            "sip2-resolved-lost-credit",
            &[(
                "amount",
                Arg::String(format_money(r.credit_minor, MONEY_DECIMALS)),
            )],
        ),
        "lost-found" => i18n.s(locale, "sip2-resolved-lost-found"),
        "claims-returned-found" => i18n.s(locale, "sip2-resolved-claim-cleared"),
        "missing-found" => i18n.s(locale, "sip2-resolved-missing-found"),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The 10 reply of a checkin that resolved a mark, in every language:
    /// the AF line says what was resolved, and the whole reply stays under
    /// the 4096-byte limit even with a very long title.
    #[test]
    fn checkin_reply_reports_the_resolution() {
        let i18n = quire_i18n::I18n::load().unwrap();
        let at = DateTime::parse_from_rfc3339("2026-01-15T02:15:30Z")
            .unwrap()
            .with_timezone(&Utc);
        let mut lost = quire_library::loss::CheckinResolution::default();
        lost.resolved = Some("lost-found".into());
        lost.lost_found = Some("refund".into());
        lost.credit_minor = 40_000;
        let mut kept = quire_library::loss::CheckinResolution::default();
        kept.resolved = Some("lost-found".into());
        kept.lost_found = Some("keep".into());
        let mut claim = quire_library::loss::CheckinResolution::default();
        claim.resolved = Some("claims-returned-found".into());
        let mut missing = quire_library::loss::CheckinResolution::default();
        missing.resolved = Some("missing-found".into());
        assert_eq!(
            resolution_screen(
                &i18n,
                Locale::En,
                &quire_library::loss::CheckinResolution::default()
            ),
            None
        );
        let mut out = Vec::new();
        for locale in [Locale::En, Locale::Fil, Locale::Vi] {
            for (name, r, title) in [
                ("lost, refunded", &lost, "Noli me tángere".to_owned()),
                ("lost, kept", &kept, "Noli me tángere".to_owned()),
                ("claims returned", &claim, "Truyện Kiều".to_owned()),
                (
                    "missing, 4,800-character title",
                    &missing,
                    "Truyện Kiều ".repeat(400),
                ),
            ] {
                let line = resolution_screen(&i18n, locale, r).unwrap();
                let resp = CheckinResponse {
                    ok: true,
                    resensitize: true,
                    magnetic_media: YesNoUnknown::Unknown,
                    alert: true,
                    transaction_date: sip_date(at, chrono_tz::UTC),
                    institution_id: "QUIRE".into(),
                    item_id: "31234000012345".into(),
                    permanent_location: "MAIN".into(),
                    title_id: Some(clip_title(title)),
                    patron_id: Some("21234000000017".into()),
                    alert_type: Some(AlertType::Other),
                    common: Common {
                        screen_message: vec![line.clone()],
                        ..Common::default()
                    },
                    ..CheckinResponse::default()
                };
                let bytes = Response::Checkin(resp)
                    .builder()
                    .encode(&quire_sip2::FormatOptions {
                        max_len: quire_sip2::DEFAULT_MAX_MESSAGE_LEN,
                        error_detection: Some(Some(3)),
                        ..Default::default()
                    });
                assert!(
                    bytes.len() <= 4096,
                    "{locale} {name}: {} bytes",
                    bytes.len()
                );
                let text = String::from_utf8(bytes).unwrap();
                assert!(text.contains(&format!("|AF{line}|")), "{text}");
                out.push(format!("{locale} {name}: {}", text.trim_end()));
            }
        }
        insta::assert_snapshot!("checkin_resolution", out.join("\n"));
    }

    #[test]
    fn supported_messages_are_truthful() {
        let bx = supported_messages().field();
        assert_eq!(bx.len(), 16);
        // 23 11 09 01 99 97 93 63 35 37 17 19 25 15 29 65
        assert_eq!(bx, "YYYYYYYYYYYYYYYY");
    }

    #[test]
    fn ranges_are_one_based_and_clamped() {
        let l: Vec<String> = (1..=5).map(|i| i.to_string()).collect();
        assert_eq!(range(&l, None, None), l);
        assert_eq!(range(&l, Some(2), Some(3)), vec!["2", "3"]);
        assert_eq!(range(&l, Some(4), Some(99)), vec!["4", "5"]);
        assert_eq!(range(&l, Some(0), Some(1)), vec!["1"]);
        assert!(range(&l, Some(6), Some(9)).is_empty());
        assert!(range(&l, Some(3), Some(2)).is_empty());
    }

    #[test]
    fn dates_are_in_the_branch_time_zone() {
        let t = DateTime::parse_from_rfc3339("2026-01-15T23:30:05Z")
            .unwrap()
            .with_timezone(&Utc);
        let manila: Tz = "Asia/Manila".parse().unwrap();
        assert_eq!(sip_date(t, manila).raw(), "20260116    073005");
        assert_eq!(sip_date(t, chrono_tz::UTC).raw(), "20260115    233005");
    }
}
