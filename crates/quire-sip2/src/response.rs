//! Responses: messages from the ACS (Quire) to the SC.

use crate::codes::{
    AlertType, CirculationStatus, Currency, FeeType, Language, MediaType, PatronStatus,
    SecurityMarker, SupportedMessages, YesNoUnknown,
};
use crate::datetime::SipDateTime;
use crate::error::ParseError;
use crate::request::{Extensions, Request, message_name};
use crate::wire::{Fields, Fixed, FormatOptions, MessageBuilder, envelope};

/// AF screen messages, AG print lines and extension fields, which every
/// response may carry.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Common {
    /// AF screen messages (shortened to fit the size limit if needed).
    pub screen_message: Vec<String>,
    /// AG print lines (dropped to fit the size limit if needed).
    pub print_line: Vec<String>,
    /// Extension fields (code, value), written after the standard fields.
    pub extensions: Extensions,
}

impl Common {
    /// Only a screen message.
    pub fn screen(message: impl Into<String>) -> Common {
        Common {
            screen_message: vec![message.into()],
            ..Common::default()
        }
    }

    fn write(&self, b: &mut MessageBuilder) {
        b.extensions(&self.extensions)
            .screen_and_print(&self.screen_message, &self.print_line);
    }

    fn read(mut f: Fields) -> Common {
        let screen_message = f.all("AF");
        let print_line = f.all("AG");
        Common {
            screen_message,
            print_line,
            extensions: f.rest(),
        }
    }
}

/// 94 Login Response.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LoginResponse {
    /// Login accepted.
    pub ok: bool,
    /// AF/AG/extensions.
    pub common: Common,
}

/// 98 ACS Status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcsStatus {
    /// On-line status.
    pub online: bool,
    /// Checkin allowed.
    pub checkin_ok: bool,
    /// Checkout allowed.
    pub checkout_ok: bool,
    /// ACS renewal policy (the SC may renew via checkout).
    pub acs_renewal_policy: bool,
    /// Item status update allowed.
    pub status_update_ok: bool,
    /// Off-line operation allowed.
    pub offline_ok: bool,
    /// Timeout period in tenths of a second (`000` off-line, `999` unknown).
    pub timeout_period: u16,
    /// Retries allowed (`999` unknown).
    pub retries_allowed: u16,
    /// Date/time sync.
    pub date_time_sync: SipDateTime,
    /// Protocol version (4 characters).
    pub protocol_version: String,
    /// AO institution id.
    pub institution_id: String,
    /// AM library name.
    pub library_name: Option<String>,
    /// BX supported messages.
    pub supported_messages: SupportedMessages,
    /// AN terminal location.
    pub terminal_location: Option<String>,
    /// AF/AG/extensions.
    pub common: Common,
}

/// 24 Patron Status Response (also the answer to 01 Block Patron).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PatronStatusResponse {
    /// The 14 status flags.
    pub patron_status: PatronStatus,
    /// Language.
    pub language: Language,
    /// Transaction date.
    pub transaction_date: SipDateTime,
    /// AO institution id.
    pub institution_id: String,
    /// AA patron identifier.
    pub patron_id: String,
    /// AE personal name.
    pub personal_name: String,
    /// BL valid patron.
    pub valid_patron: Option<bool>,
    /// CQ valid patron password.
    pub valid_patron_password: Option<bool>,
    /// BH currency.
    pub currency: Option<Currency>,
    /// BV fee amount.
    pub fee_amount: Option<String>,
    /// AF/AG/extensions.
    pub common: Common,
}

/// 64 Patron Information Response.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PatronInformationResponse {
    /// The 14 status flags.
    pub patron_status: PatronStatus,
    /// Language.
    pub language: Language,
    /// Transaction date.
    pub transaction_date: SipDateTime,
    /// Hold items count (`None` = 4 blanks, unknown).
    pub hold_items_count: Option<u16>,
    /// Overdue items count.
    pub overdue_items_count: Option<u16>,
    /// Charged items count.
    pub charged_items_count: Option<u16>,
    /// Fine items count.
    pub fine_items_count: Option<u16>,
    /// Recall items count.
    pub recall_items_count: Option<u16>,
    /// Unavailable holds count.
    pub unavailable_holds_count: Option<u16>,
    /// AO institution id.
    pub institution_id: String,
    /// AA patron identifier.
    pub patron_id: String,
    /// AE personal name.
    pub personal_name: String,
    /// BZ hold items limit.
    pub hold_items_limit: Option<u16>,
    /// CA overdue items limit.
    pub overdue_items_limit: Option<u16>,
    /// CB charged items limit.
    pub charged_items_limit: Option<u16>,
    /// BL valid patron.
    pub valid_patron: Option<bool>,
    /// CQ valid patron password.
    pub valid_patron_password: Option<bool>,
    /// BH currency.
    pub currency: Option<Currency>,
    /// BV fee amount.
    pub fee_amount: Option<String>,
    /// CC fee limit.
    pub fee_limit: Option<String>,
    /// AS hold items.
    pub hold_items: Vec<String>,
    /// AT overdue items.
    pub overdue_items: Vec<String>,
    /// AU charged items.
    pub charged_items: Vec<String>,
    /// AV fine items.
    pub fine_items: Vec<String>,
    /// BU recall items.
    pub recall_items: Vec<String>,
    /// CD unavailable hold items.
    pub unavailable_hold_items: Vec<String>,
    /// BD home address.
    pub home_address: Option<String>,
    /// BE e-mail address.
    pub email: Option<String>,
    /// BF home phone.
    pub home_phone: Option<String>,
    /// PB birth date (Envisionware extension).
    pub birth_date: Option<String>,
    /// PC patron class (Envisionware extension).
    pub patron_class: Option<String>,
    /// AF/AG/extensions.
    pub common: Common,
}

/// 12 Checkout Response and 30 Renew Response (same layout).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CheckoutResponse {
    /// Ok (`1`/`0`).
    pub ok: bool,
    /// Renewal ok: this was a renewal.
    pub renewal_ok: bool,
    /// Magnetic media.
    pub magnetic_media: YesNoUnknown,
    /// Desensitize.
    pub desensitize: YesNoUnknown,
    /// Transaction date.
    pub transaction_date: SipDateTime,
    /// AO institution id.
    pub institution_id: String,
    /// AA patron identifier.
    pub patron_id: String,
    /// AB item identifier.
    pub item_id: String,
    /// AJ title identifier.
    pub title_id: String,
    /// AH due date (free text; format is an account setting).
    pub due_date: String,
    /// BT fee type.
    pub fee_type: Option<FeeType>,
    /// CI security inhibit.
    pub security_inhibit: Option<bool>,
    /// BH currency.
    pub currency: Option<Currency>,
    /// BV fee amount.
    pub fee_amount: Option<String>,
    /// CK media type.
    pub media_type: Option<MediaType>,
    /// CH item properties.
    pub item_properties: Option<String>,
    /// BK transaction id.
    pub transaction_id: Option<String>,
    /// AF/AG/extensions.
    pub common: Common,
}

/// 10 Checkin Response.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CheckinResponse {
    /// Ok (`1`/`0`).
    pub ok: bool,
    /// Resensitize.
    pub resensitize: bool,
    /// Magnetic media.
    pub magnetic_media: YesNoUnknown,
    /// Alert (set whenever `alert_type` is present, unless the account says otherwise).
    pub alert: bool,
    /// Transaction date.
    pub transaction_date: SipDateTime,
    /// AO institution id.
    pub institution_id: String,
    /// AB item identifier.
    pub item_id: String,
    /// AQ permanent location.
    pub permanent_location: String,
    /// AJ title identifier.
    pub title_id: Option<String>,
    /// CL sort bin.
    pub sort_bin: Option<String>,
    /// AA patron identifier (who had the item).
    pub patron_id: Option<String>,
    /// CK media type.
    pub media_type: Option<MediaType>,
    /// CH item properties.
    pub item_properties: Option<String>,
    /// CR collection code (3M extension).
    pub collection_code: Option<String>,
    /// CS call number (3M extension).
    pub call_number: Option<String>,
    /// CT destination location (3M extension).
    pub destination_location: Option<String>,
    /// CV alert type (3M extension).
    pub alert_type: Option<AlertType>,
    /// CY hold patron id (3M extension).
    pub hold_patron_id: Option<String>,
    /// DA hold patron name (3M extension).
    pub hold_patron_name: Option<String>,
    /// AF/AG/extensions.
    pub common: Common,
}

/// 36 End Session Response.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EndSessionResponse {
    /// End session.
    pub end_session: bool,
    /// Transaction date.
    pub transaction_date: SipDateTime,
    /// AO institution id.
    pub institution_id: String,
    /// AA patron identifier.
    pub patron_id: String,
    /// AF/AG/extensions.
    pub common: Common,
}

/// 38 Fee Paid Response.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FeePaidResponse {
    /// Payment accepted.
    pub payment_accepted: bool,
    /// Transaction date.
    pub transaction_date: SipDateTime,
    /// AO institution id.
    pub institution_id: String,
    /// AA patron identifier.
    pub patron_id: String,
    /// BK transaction id.
    pub transaction_id: Option<String>,
    /// AF/AG/extensions.
    pub common: Common,
}

/// 18 Item Information Response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemInformationResponse {
    /// Circulation status.
    pub circulation_status: CirculationStatus,
    /// Security marker.
    pub security_marker: SecurityMarker,
    /// Fee type.
    pub fee_type: FeeType,
    /// Transaction date.
    pub transaction_date: SipDateTime,
    /// CF hold queue length.
    pub hold_queue_length: Option<u32>,
    /// AH due date (free text).
    pub due_date: Option<String>,
    /// CJ recall date.
    pub recall_date: Option<SipDateTime>,
    /// CM hold pickup date.
    pub hold_pickup_date: Option<SipDateTime>,
    /// AB item identifier.
    pub item_id: String,
    /// AJ title identifier.
    pub title_id: String,
    /// BG owner.
    pub owner: Option<String>,
    /// BH currency.
    pub currency: Option<Currency>,
    /// BV fee amount.
    pub fee_amount: Option<String>,
    /// CK media type.
    pub media_type: Option<MediaType>,
    /// AQ permanent location.
    pub permanent_location: Option<String>,
    /// AP current location.
    pub current_location: Option<String>,
    /// CH item properties.
    pub item_properties: Option<String>,
    /// CR collection code (extension).
    pub collection_code: Option<String>,
    /// CS call number (extension).
    pub call_number: Option<String>,
    /// AF/AG/extensions.
    pub common: Common,
}

/// 20 Item Status Update Response.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ItemStatusUpdateResponse {
    /// Item properties ok (`1`/`0`).
    pub ok: bool,
    /// Transaction date.
    pub transaction_date: SipDateTime,
    /// AB item identifier.
    pub item_id: String,
    /// AJ title identifier.
    pub title_id: Option<String>,
    /// CH item properties.
    pub item_properties: Option<String>,
    /// AF/AG/extensions.
    pub common: Common,
}

/// 26 Patron Enable Response.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PatronEnableResponse {
    /// The 14 status flags.
    pub patron_status: PatronStatus,
    /// Language.
    pub language: Language,
    /// Transaction date.
    pub transaction_date: SipDateTime,
    /// AO institution id.
    pub institution_id: String,
    /// AA patron identifier.
    pub patron_id: String,
    /// AE personal name.
    pub personal_name: String,
    /// BL valid patron.
    pub valid_patron: Option<bool>,
    /// CQ valid patron password.
    pub valid_patron_password: Option<bool>,
    /// AF/AG/extensions.
    pub common: Common,
}

/// 16 Hold Response.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HoldResponse {
    /// Ok (`1`/`0`).
    pub ok: bool,
    /// Available: the item is on the shelf now.
    pub available: bool,
    /// Transaction date.
    pub transaction_date: SipDateTime,
    /// BW expiration date.
    pub expiration_date: Option<SipDateTime>,
    /// BR queue position.
    pub queue_position: Option<u32>,
    /// BS pickup location.
    pub pickup_location: Option<String>,
    /// AO institution id.
    pub institution_id: String,
    /// AA patron identifier.
    pub patron_id: String,
    /// AB item identifier.
    pub item_id: Option<String>,
    /// AJ title identifier.
    pub title_id: Option<String>,
    /// AF/AG/extensions.
    pub common: Common,
}

/// 66 Renew All Response.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RenewAllResponse {
    /// Ok (`1`/`0`).
    pub ok: bool,
    /// Renewed count.
    pub renewed_count: u16,
    /// Unrenewed count.
    pub unrenewed_count: u16,
    /// Transaction date.
    pub transaction_date: SipDateTime,
    /// AO institution id.
    pub institution_id: String,
    /// BM renewed items.
    pub renewed_items: Vec<String>,
    /// BN unrenewed items.
    pub unrenewed_items: Vec<String>,
    /// AF/AG/extensions.
    pub common: Common,
}

/// Any ACS → SC message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Response {
    /// 94 Login Response.
    Login(LoginResponse),
    /// 98 ACS Status.
    AcsStatus(AcsStatus),
    /// 96 Request SC Resend.
    RequestScResend,
    /// 24 Patron Status Response (answers 23 and 01).
    PatronStatus(PatronStatusResponse),
    /// 64 Patron Information Response.
    PatronInformation(PatronInformationResponse),
    /// 12 Checkout Response.
    Checkout(CheckoutResponse),
    /// 10 Checkin Response.
    Checkin(CheckinResponse),
    /// 36 End Session Response.
    EndSession(EndSessionResponse),
    /// 38 Fee Paid Response.
    FeePaid(FeePaidResponse),
    /// 18 Item Information Response.
    ItemInformation(ItemInformationResponse),
    /// 20 Item Status Update Response.
    ItemStatusUpdate(ItemStatusUpdateResponse),
    /// 26 Patron Enable Response.
    PatronEnable(PatronEnableResponse),
    /// 16 Hold Response.
    Hold(HoldResponse),
    /// 30 Renew Response.
    Renew(CheckoutResponse),
    /// 66 Renew All Response.
    RenewAll(RenewAllResponse),
}

fn num_text<T: ToString>(n: Option<T>) -> Option<String> {
    n.map(|v| v.to_string())
}

fn limit_text(n: Option<u16>) -> Option<String> {
    n.map(|v| format!("{:04}", v.min(9999)))
}

fn write_checkout(b: &mut MessageBuilder, m: &CheckoutResponse) {
    b.ok(m.ok)
        .yn(m.renewal_ok)
        .flag(m.magnetic_media.as_char())
        .flag(m.desensitize.as_char())
        .date(&m.transaction_date);
    b.field("AO", &m.institution_id)
        .field("AA", &m.patron_id)
        .field("AB", &m.item_id)
        .field("AJ", &m.title_id)
        .field("AH", &m.due_date)
        .opt_exact("BT", m.fee_type.map(|t| t.code()).as_deref())
        .opt_yn("CI", m.security_inhibit)
        .opt_exact("BH", m.currency.as_ref().map(|c| c.as_str()))
        .opt("BV", m.fee_amount.as_deref())
        .opt_exact("CK", m.media_type.map(|t| t.code()).as_deref())
        .opt("CH", m.item_properties.as_deref())
        .opt("BK", m.transaction_id.as_deref());
    m.common.write(b);
}

fn read_checkout(cmd: &'static str, body: &str) -> Result<CheckoutResponse, ParseError> {
    let mut r = Fixed::new(cmd, body);
    let ok = r.ok_flag("ok")?;
    let renewal_ok = r.yn("renewal ok")?;
    let magnetic_media = r.ynu("magnetic media")?;
    let desensitize = r.ynu("desensitize")?;
    let transaction_date = r.date("transaction date")?;
    let (rest, off) = r.rest();
    let mut f = Fields::parse(cmd, rest, off)?;
    Ok(CheckoutResponse {
        ok,
        renewal_ok,
        magnetic_media,
        desensitize,
        transaction_date,
        institution_id: f.or_empty("AO"),
        patron_id: f.or_empty("AA"),
        item_id: f.or_empty("AB"),
        title_id: f.or_empty("AJ"),
        due_date: f.or_empty("AH"),
        fee_type: f.typed("BT", "fee type", FeeType::parse)?,
        security_inhibit: f.yn("CI", "security inhibit")?,
        currency: f.typed("BH", "currency", Currency::new)?,
        fee_amount: f.opt("BV"),
        media_type: f.typed("CK", "media type", MediaType::parse)?,
        item_properties: f.opt("CH"),
        transaction_id: f.opt("BK"),
        common: Common::read(f),
    })
}

impl Response {
    /// The 2-digit message identifier.
    pub fn command(&self) -> &'static str {
        match self {
            Response::Login(_) => "94",
            Response::AcsStatus(_) => "98",
            Response::RequestScResend => "96",
            Response::PatronStatus(_) => "24",
            Response::PatronInformation(_) => "64",
            Response::Checkout(_) => "12",
            Response::Checkin(_) => "10",
            Response::EndSession(_) => "36",
            Response::FeePaid(_) => "38",
            Response::ItemInformation(_) => "18",
            Response::ItemStatusUpdate(_) => "20",
            Response::PatronEnable(_) => "26",
            Response::Hold(_) => "16",
            Response::Renew(_) => "30",
            Response::RenewAll(_) => "66",
        }
    }

    /// The message as a [`MessageBuilder`]: fixed fields at their exact
    /// widths, then variable fields in the documented order, extensions,
    /// AF and AG last.
    pub fn builder(&self) -> MessageBuilder {
        let mut b = MessageBuilder::new(self.command());
        match self {
            Response::Login(m) => {
                b.ok(m.ok);
                m.common.write(&mut b);
            }
            Response::AcsStatus(m) => {
                b.yn(m.online)
                    .yn(m.checkin_ok)
                    .yn(m.checkout_ok)
                    .yn(m.acs_renewal_policy)
                    .yn(m.status_update_ok)
                    .yn(m.offline_ok)
                    .fixed(3, &format!("{:03}", m.timeout_period.min(999)))
                    .fixed(3, &format!("{:03}", m.retries_allowed.min(999)))
                    .date(&m.date_time_sync)
                    .fixed(4, &m.protocol_version);
                b.field("AO", &m.institution_id)
                    .opt("AM", m.library_name.as_deref())
                    .exact("BX", &m.supported_messages.field())
                    .opt("AN", m.terminal_location.as_deref());
                m.common.write(&mut b);
            }
            Response::RequestScResend => {}
            Response::PatronStatus(m) => {
                b.fixed(14, &m.patron_status.field())
                    .fixed(3, &m.language.code())
                    .date(&m.transaction_date);
                b.field("AO", &m.institution_id)
                    .field("AA", &m.patron_id)
                    .field("AE", &m.personal_name)
                    .opt_yn("BL", m.valid_patron)
                    .opt_yn("CQ", m.valid_patron_password)
                    .opt_exact("BH", m.currency.as_ref().map(|c| c.as_str()))
                    .opt("BV", m.fee_amount.as_deref());
                m.common.write(&mut b);
            }
            Response::PatronInformation(m) => {
                b.fixed(14, &m.patron_status.field())
                    .fixed(3, &m.language.code())
                    .date(&m.transaction_date)
                    .count4(m.hold_items_count)
                    .count4(m.overdue_items_count)
                    .count4(m.charged_items_count)
                    .count4(m.fine_items_count)
                    .count4(m.recall_items_count)
                    .count4(m.unavailable_holds_count);
                b.field("AO", &m.institution_id)
                    .field("AA", &m.patron_id)
                    .field("AE", &m.personal_name)
                    .opt_exact("BZ", limit_text(m.hold_items_limit).as_deref())
                    .opt_exact("CA", limit_text(m.overdue_items_limit).as_deref())
                    .opt_exact("CB", limit_text(m.charged_items_limit).as_deref())
                    .opt_yn("BL", m.valid_patron)
                    .opt_yn("CQ", m.valid_patron_password)
                    .opt_exact("BH", m.currency.as_ref().map(|c| c.as_str()))
                    .opt("BV", m.fee_amount.as_deref())
                    .opt("CC", m.fee_limit.as_deref())
                    .list("AS", &m.hold_items)
                    .list("AT", &m.overdue_items)
                    .list("AU", &m.charged_items)
                    .list("AV", &m.fine_items)
                    .list("BU", &m.recall_items)
                    .list("CD", &m.unavailable_hold_items)
                    .opt("BD", m.home_address.as_deref())
                    .opt("BE", m.email.as_deref())
                    .opt("BF", m.home_phone.as_deref())
                    .opt("PB", m.birth_date.as_deref())
                    .opt("PC", m.patron_class.as_deref());
                m.common.write(&mut b);
            }
            Response::Checkout(m) | Response::Renew(m) => write_checkout(&mut b, m),
            Response::Checkin(m) => {
                b.ok(m.ok)
                    .yn(m.resensitize)
                    .flag(m.magnetic_media.as_char())
                    .yn(m.alert)
                    .date(&m.transaction_date);
                b.field("AO", &m.institution_id)
                    .field("AB", &m.item_id)
                    .field("AQ", &m.permanent_location)
                    .opt("AJ", m.title_id.as_deref())
                    .opt("CL", m.sort_bin.as_deref())
                    .opt("AA", m.patron_id.as_deref())
                    .opt_exact("CK", m.media_type.map(|t| t.code()).as_deref())
                    .opt("CH", m.item_properties.as_deref())
                    .opt("CR", m.collection_code.as_deref())
                    .opt("CS", m.call_number.as_deref())
                    .opt("CT", m.destination_location.as_deref())
                    .opt_exact("CV", m.alert_type.as_ref().map(|a| a.code()))
                    .opt("CY", m.hold_patron_id.as_deref())
                    .opt("DA", m.hold_patron_name.as_deref());
                m.common.write(&mut b);
            }
            Response::EndSession(m) => {
                b.yn(m.end_session).date(&m.transaction_date);
                b.field("AO", &m.institution_id).field("AA", &m.patron_id);
                m.common.write(&mut b);
            }
            Response::FeePaid(m) => {
                b.yn(m.payment_accepted).date(&m.transaction_date);
                b.field("AO", &m.institution_id)
                    .field("AA", &m.patron_id)
                    .opt("BK", m.transaction_id.as_deref());
                m.common.write(&mut b);
            }
            Response::ItemInformation(m) => {
                b.fixed(2, &m.circulation_status.code())
                    .fixed(2, &m.security_marker.code())
                    .fixed(2, &m.fee_type.code())
                    .date(&m.transaction_date);
                b.opt_exact("CF", num_text(m.hold_queue_length).as_deref())
                    .opt("AH", m.due_date.as_deref())
                    .opt_exact("CJ", m.recall_date.as_ref().map(|d| d.raw()))
                    .opt_exact("CM", m.hold_pickup_date.as_ref().map(|d| d.raw()))
                    .field("AB", &m.item_id)
                    .field("AJ", &m.title_id)
                    .opt("BG", m.owner.as_deref())
                    .opt_exact("BH", m.currency.as_ref().map(|c| c.as_str()))
                    .opt("BV", m.fee_amount.as_deref())
                    .opt_exact("CK", m.media_type.map(|t| t.code()).as_deref())
                    .opt("AQ", m.permanent_location.as_deref())
                    .opt("AP", m.current_location.as_deref())
                    .opt("CH", m.item_properties.as_deref())
                    .opt("CR", m.collection_code.as_deref())
                    .opt("CS", m.call_number.as_deref());
                m.common.write(&mut b);
            }
            Response::ItemStatusUpdate(m) => {
                b.ok(m.ok).date(&m.transaction_date);
                b.field("AB", &m.item_id)
                    .opt("AJ", m.title_id.as_deref())
                    .opt("CH", m.item_properties.as_deref());
                m.common.write(&mut b);
            }
            Response::PatronEnable(m) => {
                b.fixed(14, &m.patron_status.field())
                    .fixed(3, &m.language.code())
                    .date(&m.transaction_date);
                b.field("AO", &m.institution_id)
                    .field("AA", &m.patron_id)
                    .field("AE", &m.personal_name)
                    .opt_yn("BL", m.valid_patron)
                    .opt_yn("CQ", m.valid_patron_password);
                m.common.write(&mut b);
            }
            Response::Hold(m) => {
                b.ok(m.ok).yn(m.available).date(&m.transaction_date);
                b.opt_exact("BW", m.expiration_date.as_ref().map(|d| d.raw()))
                    .opt_exact("BR", num_text(m.queue_position).as_deref())
                    .opt("BS", m.pickup_location.as_deref())
                    .field("AO", &m.institution_id)
                    .field("AA", &m.patron_id)
                    .opt("AB", m.item_id.as_deref())
                    .opt("AJ", m.title_id.as_deref());
                m.common.write(&mut b);
            }
            Response::RenewAll(m) => {
                b.ok(m.ok)
                    .count4(Some(m.renewed_count))
                    .count4(Some(m.unrenewed_count))
                    .date(&m.transaction_date);
                b.field("AO", &m.institution_id)
                    .list("BM", &m.renewed_items)
                    .list("BN", &m.unrenewed_items);
                m.common.write(&mut b);
            }
        }
        b
    }

    /// Formats the response: exact fixed widths, sanitized values, the
    /// `AY`/`AZ` trailer when `opts.error_detection` is set, CR terminator;
    /// shortened to `opts.max_len` bytes if needed.
    pub fn format(&self, opts: &FormatOptions) -> Vec<u8> {
        self.builder().encode(opts)
    }

    /// Parses a response (client side: SC emulators, tests, bench tools).
    pub fn parse(text: &str) -> Result<Response, ParseError> {
        let env = envelope(text)?;
        let body = env.body;
        match env.command {
            "94" => {
                let mut r = Fixed::new("94", body);
                let ok = r.ok_flag("ok")?;
                let (rest, off) = r.rest();
                Ok(Response::Login(LoginResponse {
                    ok,
                    common: Common::read(Fields::parse("94", rest, off)?),
                }))
            }
            "98" => {
                let mut r = Fixed::new("98", body);
                let online = r.yn("on-line status")?;
                let checkin_ok = r.yn("checkin ok")?;
                let checkout_ok = r.yn("checkout ok")?;
                let acs_renewal_policy = r.yn("ACS renewal policy")?;
                let status_update_ok = r.yn("status update ok")?;
                let offline_ok = r.yn("off-line ok")?;
                let timeout_period = r.number(3, "timeout period")?;
                let retries_allowed = r.number(3, "retries allowed")?;
                let date_time_sync = r.date("date/time sync")?;
                let protocol_version = r.take(4, "protocol version")?.to_string();
                let (rest, off) = r.rest();
                let mut f = Fields::parse("98", rest, off)?;
                Ok(Response::AcsStatus(AcsStatus {
                    online,
                    checkin_ok,
                    checkout_ok,
                    acs_renewal_policy,
                    status_update_ok,
                    offline_ok,
                    timeout_period,
                    retries_allowed,
                    date_time_sync,
                    protocol_version,
                    institution_id: f.or_empty("AO"),
                    library_name: f.opt("AM"),
                    supported_messages: SupportedMessages::parse(&f.or_empty("BX")),
                    terminal_location: f.opt("AN"),
                    common: Common::read(f),
                }))
            }
            "96" => Ok(Response::RequestScResend),
            "24" => {
                let mut r = Fixed::new("24", body);
                let patron_status = r.patron_status()?;
                let language = r.language()?;
                let transaction_date = r.date("transaction date")?;
                let (rest, off) = r.rest();
                let mut f = Fields::parse("24", rest, off)?;
                Ok(Response::PatronStatus(PatronStatusResponse {
                    patron_status,
                    language,
                    transaction_date,
                    institution_id: f.or_empty("AO"),
                    patron_id: f.or_empty("AA"),
                    personal_name: f.or_empty("AE"),
                    valid_patron: f.yn("BL", "valid patron")?,
                    valid_patron_password: f.yn("CQ", "valid patron password")?,
                    currency: f.typed("BH", "currency", Currency::new)?,
                    fee_amount: f.opt("BV"),
                    common: Common::read(f),
                }))
            }
            "64" => {
                let mut r = Fixed::new("64", body);
                let patron_status = r.patron_status()?;
                let language = r.language()?;
                let transaction_date = r.date("transaction date")?;
                let hold_items_count = r.count4("hold items count")?;
                let overdue_items_count = r.count4("overdue items count")?;
                let charged_items_count = r.count4("charged items count")?;
                let fine_items_count = r.count4("fine items count")?;
                let recall_items_count = r.count4("recall items count")?;
                let unavailable_holds_count = r.count4("unavailable holds count")?;
                let (rest, off) = r.rest();
                let mut f = Fields::parse("64", rest, off)?;
                Ok(Response::PatronInformation(PatronInformationResponse {
                    patron_status,
                    language,
                    transaction_date,
                    hold_items_count,
                    overdue_items_count,
                    charged_items_count,
                    fine_items_count,
                    recall_items_count,
                    unavailable_holds_count,
                    institution_id: f.or_empty("AO"),
                    patron_id: f.or_empty("AA"),
                    personal_name: f.or_empty("AE"),
                    hold_items_limit: f.number("BZ", "hold items limit")?,
                    overdue_items_limit: f.number("CA", "overdue items limit")?,
                    charged_items_limit: f.number("CB", "charged items limit")?,
                    valid_patron: f.yn("BL", "valid patron")?,
                    valid_patron_password: f.yn("CQ", "valid patron password")?,
                    currency: f.typed("BH", "currency", Currency::new)?,
                    fee_amount: f.opt("BV"),
                    fee_limit: f.opt("CC"),
                    hold_items: f.all("AS"),
                    overdue_items: f.all("AT"),
                    charged_items: f.all("AU"),
                    fine_items: f.all("AV"),
                    recall_items: f.all("BU"),
                    unavailable_hold_items: f.all("CD"),
                    home_address: f.opt("BD"),
                    email: f.opt("BE"),
                    home_phone: f.opt("BF"),
                    birth_date: f.opt("PB"),
                    patron_class: f.opt("PC"),
                    common: Common::read(f),
                }))
            }
            "12" => Ok(Response::Checkout(read_checkout("12", body)?)),
            "30" => Ok(Response::Renew(read_checkout("30", body)?)),
            "10" => {
                let mut r = Fixed::new("10", body);
                let ok = r.ok_flag("ok")?;
                let resensitize = r.yn("resensitize")?;
                let magnetic_media = r.ynu("magnetic media")?;
                let alert = r.yn("alert")?;
                let transaction_date = r.date("transaction date")?;
                let (rest, off) = r.rest();
                let mut f = Fields::parse("10", rest, off)?;
                Ok(Response::Checkin(CheckinResponse {
                    ok,
                    resensitize,
                    magnetic_media,
                    alert,
                    transaction_date,
                    institution_id: f.or_empty("AO"),
                    item_id: f.or_empty("AB"),
                    permanent_location: f.or_empty("AQ"),
                    title_id: f.opt("AJ"),
                    sort_bin: f.opt("CL"),
                    patron_id: f.opt("AA"),
                    media_type: f.typed("CK", "media type", MediaType::parse)?,
                    item_properties: f.opt("CH"),
                    collection_code: f.opt("CR"),
                    call_number: f.opt("CS"),
                    destination_location: f.opt("CT"),
                    alert_type: f.typed("CV", "alert type", |v| Some(AlertType::parse(v)))?,
                    hold_patron_id: f.opt("CY"),
                    hold_patron_name: f.opt("DA"),
                    common: Common::read(f),
                }))
            }
            "36" => {
                let mut r = Fixed::new("36", body);
                let end_session = r.yn("end session")?;
                let transaction_date = r.date("transaction date")?;
                let (rest, off) = r.rest();
                let mut f = Fields::parse("36", rest, off)?;
                Ok(Response::EndSession(EndSessionResponse {
                    end_session,
                    transaction_date,
                    institution_id: f.or_empty("AO"),
                    patron_id: f.or_empty("AA"),
                    common: Common::read(f),
                }))
            }
            "38" => {
                let mut r = Fixed::new("38", body);
                let payment_accepted = r.yn("payment accepted")?;
                let transaction_date = r.date("transaction date")?;
                let (rest, off) = r.rest();
                let mut f = Fields::parse("38", rest, off)?;
                Ok(Response::FeePaid(FeePaidResponse {
                    payment_accepted,
                    transaction_date,
                    institution_id: f.or_empty("AO"),
                    patron_id: f.or_empty("AA"),
                    transaction_id: f.opt("BK"),
                    common: Common::read(f),
                }))
            }
            "18" => {
                let mut r = Fixed::new("18", body);
                let circulation_status =
                    r.code(2, "circulation status", CirculationStatus::parse)?;
                let security_marker = r.code(2, "security marker", SecurityMarker::parse)?;
                let fee_type = r.code(2, "fee type", FeeType::parse)?;
                let transaction_date = r.date("transaction date")?;
                let (rest, off) = r.rest();
                let mut f = Fields::parse("18", rest, off)?;
                Ok(Response::ItemInformation(ItemInformationResponse {
                    circulation_status,
                    security_marker,
                    fee_type,
                    transaction_date,
                    hold_queue_length: f.number("CF", "hold queue length")?,
                    due_date: f.opt("AH"),
                    recall_date: f.date("CJ", "recall date")?,
                    hold_pickup_date: f.date("CM", "hold pickup date")?,
                    item_id: f.or_empty("AB"),
                    title_id: f.or_empty("AJ"),
                    owner: f.opt("BG"),
                    currency: f.typed("BH", "currency", Currency::new)?,
                    fee_amount: f.opt("BV"),
                    media_type: f.typed("CK", "media type", MediaType::parse)?,
                    permanent_location: f.opt("AQ"),
                    current_location: f.opt("AP"),
                    item_properties: f.opt("CH"),
                    collection_code: f.opt("CR"),
                    call_number: f.opt("CS"),
                    common: Common::read(f),
                }))
            }
            "20" => {
                let mut r = Fixed::new("20", body);
                let ok = r.ok_flag("item properties ok")?;
                let transaction_date = r.date("transaction date")?;
                let (rest, off) = r.rest();
                let mut f = Fields::parse("20", rest, off)?;
                Ok(Response::ItemStatusUpdate(ItemStatusUpdateResponse {
                    ok,
                    transaction_date,
                    item_id: f.or_empty("AB"),
                    title_id: f.opt("AJ"),
                    item_properties: f.opt("CH"),
                    common: Common::read(f),
                }))
            }
            "26" => {
                let mut r = Fixed::new("26", body);
                let patron_status = r.patron_status()?;
                let language = r.language()?;
                let transaction_date = r.date("transaction date")?;
                let (rest, off) = r.rest();
                let mut f = Fields::parse("26", rest, off)?;
                Ok(Response::PatronEnable(PatronEnableResponse {
                    patron_status,
                    language,
                    transaction_date,
                    institution_id: f.or_empty("AO"),
                    patron_id: f.or_empty("AA"),
                    personal_name: f.or_empty("AE"),
                    valid_patron: f.yn("BL", "valid patron")?,
                    valid_patron_password: f.yn("CQ", "valid patron password")?,
                    common: Common::read(f),
                }))
            }
            "16" => {
                let mut r = Fixed::new("16", body);
                let ok = r.ok_flag("ok")?;
                let available = r.yn("available")?;
                let transaction_date = r.date("transaction date")?;
                let (rest, off) = r.rest();
                let mut f = Fields::parse("16", rest, off)?;
                Ok(Response::Hold(HoldResponse {
                    ok,
                    available,
                    transaction_date,
                    expiration_date: f.date("BW", "expiration date")?,
                    queue_position: f.number("BR", "queue position")?,
                    pickup_location: f.opt("BS"),
                    institution_id: f.or_empty("AO"),
                    patron_id: f.or_empty("AA"),
                    item_id: f.opt("AB"),
                    title_id: f.opt("AJ"),
                    common: Common::read(f),
                }))
            }
            "66" => {
                let mut r = Fixed::new("66", body);
                let ok = r.ok_flag("ok")?;
                let renewed_count = r.count4("renewed count")?.unwrap_or(0);
                let unrenewed_count = r.count4("unrenewed count")?.unwrap_or(0);
                let transaction_date = r.date("transaction date")?;
                let (rest, off) = r.rest();
                let mut f = Fields::parse("66", rest, off)?;
                Ok(Response::RenewAll(RenewAllResponse {
                    ok,
                    renewed_count,
                    unrenewed_count,
                    transaction_date,
                    institution_id: f.or_empty("AO"),
                    renewed_items: f.all("BM"),
                    unrenewed_items: f.all("BN"),
                    common: Common::read(f),
                }))
            }
            other => match message_name(other) {
                Some((name, true)) => Err(ParseError::WrongDirection {
                    command: other.to_string(),
                    name,
                }),
                _ => Err(ParseError::UnknownCommand {
                    command: other.to_string(),
                }),
            },
        }
    }

    /// A negative answer to `request` carrying `message` as AF screen
    /// message, built from the request alone (identifiers echoed). Used by
    /// the session for "login required"; useful to the application for any
    /// refusal. `now` is the transaction date to send. `None` for 97, which
    /// has no reply of its own.
    pub fn refusal(request: &Request, message: &str, now: &SipDateTime) -> Option<Response> {
        let common = Common::screen(message);
        let denied = PatronStatus::privileges_denied();
        Some(match request {
            Request::RequestAcsResend => return None,
            Request::Login(_) => Response::Login(LoginResponse { ok: false, common }),
            Request::ScStatus(_) => Response::AcsStatus(AcsStatus {
                online: false,
                checkin_ok: false,
                checkout_ok: false,
                acs_renewal_policy: false,
                status_update_ok: false,
                offline_ok: false,
                timeout_period: 0,
                retries_allowed: 999,
                date_time_sync: now.clone(),
                protocol_version: "2.00".to_string(),
                institution_id: String::new(),
                library_name: None,
                supported_messages: SupportedMessages::all(),
                terminal_location: None,
                common,
            }),
            Request::PatronStatus(m) => Response::PatronStatus(PatronStatusResponse {
                patron_status: denied,
                language: m.language,
                transaction_date: now.clone(),
                institution_id: m.institution_id.clone(),
                patron_id: m.patron_id.clone(),
                valid_patron: Some(false),
                common,
                ..PatronStatusResponse::default()
            }),
            Request::BlockPatron(m) => Response::PatronStatus(PatronStatusResponse {
                patron_status: denied,
                transaction_date: now.clone(),
                institution_id: m.institution_id.clone(),
                patron_id: m.patron_id.clone(),
                valid_patron: Some(false),
                common,
                ..PatronStatusResponse::default()
            }),
            Request::PatronInformation(m) => {
                Response::PatronInformation(PatronInformationResponse {
                    patron_status: denied,
                    language: m.language,
                    transaction_date: now.clone(),
                    institution_id: m.institution_id.clone(),
                    patron_id: m.patron_id.clone(),
                    valid_patron: Some(false),
                    hold_items_count: Some(0),
                    overdue_items_count: Some(0),
                    charged_items_count: Some(0),
                    fine_items_count: Some(0),
                    recall_items_count: Some(0),
                    unavailable_holds_count: Some(0),
                    common,
                    ..PatronInformationResponse::default()
                })
            }
            Request::Checkout(m) => Response::Checkout(CheckoutResponse {
                ok: false,
                magnetic_media: YesNoUnknown::Unknown,
                desensitize: YesNoUnknown::No,
                transaction_date: now.clone(),
                institution_id: m.institution_id.clone(),
                patron_id: m.patron_id.clone(),
                item_id: m.item_id.clone(),
                common,
                ..CheckoutResponse::default()
            }),
            Request::Renew(m) => Response::Renew(CheckoutResponse {
                ok: false,
                magnetic_media: YesNoUnknown::Unknown,
                desensitize: YesNoUnknown::No,
                transaction_date: now.clone(),
                institution_id: m.institution_id.clone(),
                patron_id: m.patron_id.clone(),
                item_id: m.item_id.clone().unwrap_or_default(),
                title_id: m.title_id.clone().unwrap_or_default(),
                common,
                ..CheckoutResponse::default()
            }),
            Request::Checkin(m) => Response::Checkin(CheckinResponse {
                ok: false,
                magnetic_media: YesNoUnknown::Unknown,
                alert: true,
                transaction_date: now.clone(),
                institution_id: m.institution_id.clone(),
                item_id: m.item_id.clone(),
                common,
                ..CheckinResponse::default()
            }),
            Request::EndPatronSession(m) => Response::EndSession(EndSessionResponse {
                end_session: false,
                transaction_date: now.clone(),
                institution_id: m.institution_id.clone(),
                patron_id: m.patron_id.clone(),
                common,
            }),
            Request::PatronEnable(m) => Response::PatronEnable(PatronEnableResponse {
                patron_status: denied,
                transaction_date: now.clone(),
                institution_id: m.institution_id.clone(),
                patron_id: m.patron_id.clone(),
                valid_patron: Some(false),
                common,
                ..PatronEnableResponse::default()
            }),
            Request::FeePaid(m) => Response::FeePaid(FeePaidResponse {
                payment_accepted: false,
                transaction_date: now.clone(),
                institution_id: m.institution_id.clone(),
                patron_id: m.patron_id.clone(),
                transaction_id: m.transaction_id.clone(),
                common,
            }),
            Request::ItemInformation(m) => Response::ItemInformation(ItemInformationResponse {
                circulation_status: CirculationStatus::OtherStatus,
                security_marker: SecurityMarker::OtherMarker,
                fee_type: FeeType::OtherFee,
                transaction_date: now.clone(),
                hold_queue_length: None,
                due_date: None,
                recall_date: None,
                hold_pickup_date: None,
                item_id: m.item_id.clone(),
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
                common,
            }),
            Request::ItemStatusUpdate(m) => Response::ItemStatusUpdate(ItemStatusUpdateResponse {
                ok: false,
                transaction_date: now.clone(),
                item_id: m.item_id.clone(),
                common,
                ..ItemStatusUpdateResponse::default()
            }),
            Request::Hold(m) => Response::Hold(HoldResponse {
                ok: false,
                available: false,
                transaction_date: now.clone(),
                institution_id: m.institution_id.clone(),
                patron_id: m.patron_id.clone(),
                item_id: m.item_id.clone(),
                title_id: m.title_id.clone(),
                common,
                ..HoldResponse::default()
            }),
            Request::RenewAll(m) => Response::RenewAll(RenewAllResponse {
                ok: false,
                transaction_date: now.clone(),
                institution_id: m.institution_id.clone(),
                common,
                ..RenewAllResponse::default()
            }),
        })
    }
}
