//! Requests: messages from the SC (self-check, sorter...) to the ACS.

use crate::codes::{
    Currency, FeeType, HoldMode, HoldType, Language, PaymentType, ScStatusCode, SummaryList,
};
use crate::datetime::SipDateTime;
use crate::error::ParseError;
use crate::wire::{Fields, Fixed, FormatOptions, MessageBuilder, envelope};

/// Extension fields: unknown variable fields (and repeated non-repeatable
/// ones), in the order received, as (code, value).
pub type Extensions = Vec<(String, String)>;

/// 93 Login.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginRequest {
    /// UID algorithm (`0` = plain text).
    pub uid_algorithm: char,
    /// PWD algorithm (`0` = plain text).
    pub pwd_algorithm: char,
    /// CN login user id.
    pub user_id: String,
    /// CO login password.
    pub password: String,
    /// CP location code.
    pub location_code: Option<String>,
    /// Unknown fields.
    pub extensions: Extensions,
}

/// 99 SC Status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScStatusRequest {
    /// Status code.
    pub status: ScStatusCode,
    /// Maximum print width (3 digits).
    pub max_print_width: u16,
    /// Protocol version (4 characters, e.g. `2.00`).
    pub protocol_version: String,
    /// Unknown fields.
    pub extensions: Extensions,
}

/// 23 Patron Status Request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatronStatusRequest {
    /// Language.
    pub language: Language,
    /// Transaction date.
    pub transaction_date: SipDateTime,
    /// AO institution id.
    pub institution_id: String,
    /// AA patron identifier.
    pub patron_id: String,
    /// AC terminal password.
    pub terminal_password: Option<String>,
    /// AD patron password (absent = not to be checked).
    pub patron_password: Option<String>,
    /// Unknown fields.
    pub extensions: Extensions,
}

/// 63 Patron Information.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatronInformationRequest {
    /// Language.
    pub language: Language,
    /// Transaction date.
    pub transaction_date: SipDateTime,
    /// Which item list is requested (the `Y` in the summary field).
    pub summary: Option<SummaryList>,
    /// AO institution id.
    pub institution_id: String,
    /// AA patron identifier.
    pub patron_id: String,
    /// AC terminal password.
    pub terminal_password: Option<String>,
    /// AD patron password.
    pub patron_password: Option<String>,
    /// BP start item (1-based).
    pub start_item: Option<u32>,
    /// BQ end item (1-based, inclusive).
    pub end_item: Option<u32>,
    /// Unknown fields.
    pub extensions: Extensions,
}

/// 11 Checkout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckoutRequest {
    /// SC renewal policy: the SC may renew via checkout.
    pub sc_renewal_policy: bool,
    /// No block: the SC already did this offline; the ACS must accept.
    pub no_block: bool,
    /// Transaction date.
    pub transaction_date: SipDateTime,
    /// Due date used for an offline transaction (blank otherwise).
    pub nb_due_date: SipDateTime,
    /// AO institution id.
    pub institution_id: String,
    /// AA patron identifier.
    pub patron_id: String,
    /// AB item identifier.
    pub item_id: String,
    /// AC terminal password.
    pub terminal_password: Option<String>,
    /// CH item properties.
    pub item_properties: Option<String>,
    /// AD patron password.
    pub patron_password: Option<String>,
    /// BO fee acknowledged.
    pub fee_acknowledged: Option<bool>,
    /// BI cancel (undo the previous checkout).
    pub cancel: Option<bool>,
    /// Unknown fields.
    pub extensions: Extensions,
}

/// 09 Checkin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckinRequest {
    /// No block (offline transaction).
    pub no_block: bool,
    /// Transaction date.
    pub transaction_date: SipDateTime,
    /// Return date (backdating, e.g. book drop).
    pub return_date: SipDateTime,
    /// AP current location.
    pub current_location: String,
    /// AO institution id.
    pub institution_id: String,
    /// AB item identifier.
    pub item_id: String,
    /// AC terminal password.
    pub terminal_password: Option<String>,
    /// CH item properties.
    pub item_properties: Option<String>,
    /// BI cancel.
    pub cancel: Option<bool>,
    /// Unknown fields.
    pub extensions: Extensions,
}

/// 01 Block Patron (answered with a 24).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockPatronRequest {
    /// Card retained by the device.
    pub card_retained: bool,
    /// Transaction date.
    pub transaction_date: SipDateTime,
    /// AO institution id.
    pub institution_id: String,
    /// AL blocked card message.
    pub blocked_card_message: String,
    /// AA patron identifier.
    pub patron_id: String,
    /// AC terminal password.
    pub terminal_password: Option<String>,
    /// Unknown fields.
    pub extensions: Extensions,
}

/// 35 End Patron Session, 25 Patron Enable: same layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatronSessionRequest {
    /// Transaction date.
    pub transaction_date: SipDateTime,
    /// AO institution id.
    pub institution_id: String,
    /// AA patron identifier.
    pub patron_id: String,
    /// AC terminal password.
    pub terminal_password: Option<String>,
    /// AD patron password.
    pub patron_password: Option<String>,
    /// Unknown fields.
    pub extensions: Extensions,
}

/// 37 Fee Paid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeePaidRequest {
    /// Transaction date.
    pub transaction_date: SipDateTime,
    /// Fee type.
    pub fee_type: FeeType,
    /// Payment type.
    pub payment_type: PaymentType,
    /// Currency.
    pub currency: Currency,
    /// BV fee amount (decimal text such as `3.50`).
    pub fee_amount: String,
    /// AO institution id.
    pub institution_id: String,
    /// AA patron identifier.
    pub patron_id: String,
    /// AC terminal password.
    pub terminal_password: Option<String>,
    /// AD patron password.
    pub patron_password: Option<String>,
    /// CG fee identifier (which fine).
    pub fee_id: Option<String>,
    /// BK transaction id (payment reference).
    pub transaction_id: Option<String>,
    /// Unknown fields.
    pub extensions: Extensions,
}

/// 17 Item Information.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemInformationRequest {
    /// Transaction date.
    pub transaction_date: SipDateTime,
    /// AO institution id.
    pub institution_id: String,
    /// AB item identifier.
    pub item_id: String,
    /// AC terminal password.
    pub terminal_password: Option<String>,
    /// Unknown fields.
    pub extensions: Extensions,
}

/// 19 Item Status Update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemStatusUpdateRequest {
    /// Transaction date.
    pub transaction_date: SipDateTime,
    /// AO institution id.
    pub institution_id: String,
    /// AB item identifier.
    pub item_id: String,
    /// AC terminal password.
    pub terminal_password: Option<String>,
    /// CH item properties (empty if absent).
    pub item_properties: String,
    /// Unknown fields.
    pub extensions: Extensions,
}

/// 15 Hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoldRequest {
    /// Hold mode.
    pub mode: HoldMode,
    /// Transaction date.
    pub transaction_date: SipDateTime,
    /// BW expiration date.
    pub expiration_date: Option<SipDateTime>,
    /// BS pickup location.
    pub pickup_location: Option<String>,
    /// BY hold type.
    pub hold_type: Option<HoldType>,
    /// AO institution id.
    pub institution_id: String,
    /// AA patron identifier.
    pub patron_id: String,
    /// AD patron password.
    pub patron_password: Option<String>,
    /// AB item identifier.
    pub item_id: Option<String>,
    /// AJ title identifier.
    pub title_id: Option<String>,
    /// AC terminal password.
    pub terminal_password: Option<String>,
    /// BO fee acknowledged.
    pub fee_acknowledged: Option<bool>,
    /// Unknown fields.
    pub extensions: Extensions,
}

/// 29 Renew.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenewRequest {
    /// Third party allowed (may renew an item charged to someone else).
    pub third_party_allowed: bool,
    /// No block (offline transaction).
    pub no_block: bool,
    /// Transaction date.
    pub transaction_date: SipDateTime,
    /// Due date of an offline renewal (blank otherwise).
    pub nb_due_date: SipDateTime,
    /// AO institution id.
    pub institution_id: String,
    /// AA patron identifier.
    pub patron_id: String,
    /// AD patron password.
    pub patron_password: Option<String>,
    /// AB item identifier.
    pub item_id: Option<String>,
    /// AJ title identifier.
    pub title_id: Option<String>,
    /// AC terminal password.
    pub terminal_password: Option<String>,
    /// CH item properties.
    pub item_properties: Option<String>,
    /// BO fee acknowledged.
    pub fee_acknowledged: Option<bool>,
    /// Unknown fields.
    pub extensions: Extensions,
}

/// 65 Renew All.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenewAllRequest {
    /// Transaction date.
    pub transaction_date: SipDateTime,
    /// AO institution id.
    pub institution_id: String,
    /// AA patron identifier.
    pub patron_id: String,
    /// AD patron password.
    pub patron_password: Option<String>,
    /// AC terminal password.
    pub terminal_password: Option<String>,
    /// BO fee acknowledged.
    pub fee_acknowledged: Option<bool>,
    /// Unknown fields.
    pub extensions: Extensions,
}

/// Any SC → ACS message of SIP2 2.00.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// 93 Login.
    Login(LoginRequest),
    /// 99 SC Status.
    ScStatus(ScStatusRequest),
    /// 97 Request ACS Resend.
    RequestAcsResend,
    /// 23 Patron Status Request.
    PatronStatus(PatronStatusRequest),
    /// 63 Patron Information.
    PatronInformation(PatronInformationRequest),
    /// 11 Checkout.
    Checkout(CheckoutRequest),
    /// 09 Checkin.
    Checkin(CheckinRequest),
    /// 01 Block Patron.
    BlockPatron(BlockPatronRequest),
    /// 35 End Patron Session.
    EndPatronSession(PatronSessionRequest),
    /// 37 Fee Paid.
    FeePaid(FeePaidRequest),
    /// 17 Item Information.
    ItemInformation(ItemInformationRequest),
    /// 19 Item Status Update.
    ItemStatusUpdate(ItemStatusUpdateRequest),
    /// 25 Patron Enable.
    PatronEnable(PatronSessionRequest),
    /// 15 Hold.
    Hold(HoldRequest),
    /// 29 Renew.
    Renew(RenewRequest),
    /// 65 Renew All.
    RenewAll(RenewAllRequest),
}

/// Name of a SIP2 message identifier and whether the SC sends it.
pub fn message_name(command: &str) -> Option<(&'static str, bool)> {
    Some(match command {
        "93" => ("Login", true),
        "94" => ("Login Response", false),
        "99" => ("SC Status", true),
        "98" => ("ACS Status", false),
        "97" => ("Request ACS Resend", true),
        "96" => ("Request SC Resend", false),
        "23" => ("Patron Status Request", true),
        "24" => ("Patron Status Response", false),
        "63" => ("Patron Information", true),
        "64" => ("Patron Information Response", false),
        "11" => ("Checkout", true),
        "12" => ("Checkout Response", false),
        "09" => ("Checkin", true),
        "10" => ("Checkin Response", false),
        "01" => ("Block Patron", true),
        "35" => ("End Patron Session", true),
        "36" => ("End Session Response", false),
        "37" => ("Fee Paid", true),
        "38" => ("Fee Paid Response", false),
        "17" => ("Item Information", true),
        "18" => ("Item Information Response", false),
        "19" => ("Item Status Update", true),
        "20" => ("Item Status Update Response", false),
        "25" => ("Patron Enable", true),
        "26" => ("Patron Enable Response", false),
        "15" => ("Hold", true),
        "16" => ("Hold Response", false),
        "29" => ("Renew", true),
        "30" => ("Renew Response", false),
        "65" => ("Renew All", true),
        "66" => ("Renew All Response", false),
        _ => return None,
    })
}

fn parse_patron_session(cmd: &'static str, body: &str) -> Result<PatronSessionRequest, ParseError> {
    let mut r = Fixed::new(cmd, body);
    let transaction_date = r.date("transaction date")?;
    let (rest, off) = r.rest();
    let mut f = Fields::parse(cmd, rest, off)?;
    Ok(PatronSessionRequest {
        transaction_date,
        institution_id: f.or_empty("AO"),
        patron_id: f.req("AA", "patron identifier")?,
        terminal_password: f.opt("AC"),
        patron_password: f.opt("AD"),
        extensions: f.rest(),
    })
}

impl Request {
    /// Parses a decoded message (terminator stripped; an `AY`/`AZ` trailer,
    /// if any, is ignored here: check it with [`crate::checksum::verify`]).
    pub fn parse(text: &str) -> Result<Request, ParseError> {
        let env = envelope(text)?;
        let body = env.body;
        match env.command {
            "93" => {
                let mut r = Fixed::new("93", body);
                let (uid_algorithm, _) = r.char("UID algorithm")?;
                let (pwd_algorithm, _) = r.char("PWD algorithm")?;
                let (rest, off) = r.rest();
                let mut f = Fields::parse("93", rest, off)?;
                Ok(Request::Login(LoginRequest {
                    uid_algorithm,
                    pwd_algorithm,
                    user_id: f.req("CN", "login user id")?,
                    password: f.req("CO", "login password")?,
                    location_code: f.opt("CP"),
                    extensions: f.rest(),
                }))
            }
            "99" => {
                let mut r = Fixed::new("99", body);
                let status = r.code(1, "status code", |s| {
                    s.chars().next().and_then(ScStatusCode::from_char)
                })?;
                let max_print_width = r.number(3, "max print width")?;
                let protocol_version = r.take(4, "protocol version")?.to_string();
                let (rest, off) = r.rest();
                let f = Fields::parse("99", rest, off)?;
                Ok(Request::ScStatus(ScStatusRequest {
                    status,
                    max_print_width,
                    protocol_version,
                    extensions: f.rest(),
                }))
            }
            "97" => {
                // Anything after the identifier is ignored.
                Ok(Request::RequestAcsResend)
            }
            "23" => {
                let mut r = Fixed::new("23", body);
                let language = r.language()?;
                let transaction_date = r.date("transaction date")?;
                let (rest, off) = r.rest();
                let mut f = Fields::parse("23", rest, off)?;
                Ok(Request::PatronStatus(PatronStatusRequest {
                    language,
                    transaction_date,
                    institution_id: f.or_empty("AO"),
                    patron_id: f.req("AA", "patron identifier")?,
                    terminal_password: f.opt("AC"),
                    patron_password: f.opt("AD"),
                    extensions: f.rest(),
                }))
            }
            "63" => {
                let mut r = Fixed::new("63", body);
                let language = r.language()?;
                let transaction_date = r.date("transaction date")?;
                let summary_text = r.take(10, "summary")?;
                let summary = summary_text
                    .chars()
                    .position(|c| c == 'Y' || c == 'y')
                    .and_then(SummaryList::from_position);
                let (rest, off) = r.rest();
                let mut f = Fields::parse("63", rest, off)?;
                Ok(Request::PatronInformation(PatronInformationRequest {
                    language,
                    transaction_date,
                    summary,
                    institution_id: f.or_empty("AO"),
                    patron_id: f.req("AA", "patron identifier")?,
                    terminal_password: f.opt("AC"),
                    patron_password: f.opt("AD"),
                    start_item: f.number("BP", "start item")?,
                    end_item: f.number("BQ", "end item")?,
                    extensions: f.rest(),
                }))
            }
            "11" => {
                let mut r = Fixed::new("11", body);
                let sc_renewal_policy = r.yn("SC renewal policy")?;
                let no_block = r.yn("no block")?;
                let transaction_date = r.date("transaction date")?;
                let nb_due_date = r.date("nb due date")?;
                let (rest, off) = r.rest();
                let mut f = Fields::parse("11", rest, off)?;
                Ok(Request::Checkout(CheckoutRequest {
                    sc_renewal_policy,
                    no_block,
                    transaction_date,
                    nb_due_date,
                    institution_id: f.or_empty("AO"),
                    patron_id: f.req("AA", "patron identifier")?,
                    item_id: f.req("AB", "item identifier")?,
                    terminal_password: f.opt("AC"),
                    item_properties: f.opt("CH"),
                    patron_password: f.opt("AD"),
                    fee_acknowledged: f.yn("BO", "fee acknowledged")?,
                    cancel: f.yn("BI", "cancel")?,
                    extensions: f.rest(),
                }))
            }
            "09" => {
                let mut r = Fixed::new("09", body);
                let no_block = r.yn("no block")?;
                let transaction_date = r.date("transaction date")?;
                let return_date = r.date("return date")?;
                let (rest, off) = r.rest();
                let mut f = Fields::parse("09", rest, off)?;
                Ok(Request::Checkin(CheckinRequest {
                    no_block,
                    transaction_date,
                    return_date,
                    current_location: f.or_empty("AP"),
                    institution_id: f.or_empty("AO"),
                    item_id: f.req("AB", "item identifier")?,
                    terminal_password: f.opt("AC"),
                    item_properties: f.opt("CH"),
                    cancel: f.yn("BI", "cancel")?,
                    extensions: f.rest(),
                }))
            }
            "01" => {
                let mut r = Fixed::new("01", body);
                let card_retained = r.yn("card retained")?;
                let transaction_date = r.date("transaction date")?;
                let (rest, off) = r.rest();
                let mut f = Fields::parse("01", rest, off)?;
                Ok(Request::BlockPatron(BlockPatronRequest {
                    card_retained,
                    transaction_date,
                    institution_id: f.or_empty("AO"),
                    blocked_card_message: f.or_empty("AL"),
                    patron_id: f.req("AA", "patron identifier")?,
                    terminal_password: f.opt("AC"),
                    extensions: f.rest(),
                }))
            }
            "35" => Ok(Request::EndPatronSession(parse_patron_session("35", body)?)),
            "25" => Ok(Request::PatronEnable(parse_patron_session("25", body)?)),
            "37" => {
                let mut r = Fixed::new("37", body);
                let transaction_date = r.date("transaction date")?;
                let fee_type = r.code(2, "fee type", FeeType::parse)?;
                let payment_type = r.code(2, "payment type", PaymentType::parse)?;
                let currency = r.code(3, "currency type", Currency::new)?;
                let (rest, off) = r.rest();
                let mut f = Fields::parse("37", rest, off)?;
                Ok(Request::FeePaid(FeePaidRequest {
                    transaction_date,
                    fee_type,
                    payment_type,
                    currency,
                    fee_amount: f.req("BV", "fee amount")?,
                    institution_id: f.or_empty("AO"),
                    patron_id: f.req("AA", "patron identifier")?,
                    terminal_password: f.opt("AC"),
                    patron_password: f.opt("AD"),
                    fee_id: f.opt("CG"),
                    transaction_id: f.opt("BK"),
                    extensions: f.rest(),
                }))
            }
            "17" => {
                let mut r = Fixed::new("17", body);
                let transaction_date = r.date("transaction date")?;
                let (rest, off) = r.rest();
                let mut f = Fields::parse("17", rest, off)?;
                Ok(Request::ItemInformation(ItemInformationRequest {
                    transaction_date,
                    institution_id: f.or_empty("AO"),
                    item_id: f.req("AB", "item identifier")?,
                    terminal_password: f.opt("AC"),
                    extensions: f.rest(),
                }))
            }
            "19" => {
                let mut r = Fixed::new("19", body);
                let transaction_date = r.date("transaction date")?;
                let (rest, off) = r.rest();
                let mut f = Fields::parse("19", rest, off)?;
                Ok(Request::ItemStatusUpdate(ItemStatusUpdateRequest {
                    transaction_date,
                    institution_id: f.or_empty("AO"),
                    item_id: f.req("AB", "item identifier")?,
                    terminal_password: f.opt("AC"),
                    item_properties: f.or_empty("CH"),
                    extensions: f.rest(),
                }))
            }
            "15" => {
                let mut r = Fixed::new("15", body);
                let mode = r.code(1, "hold mode", |s| {
                    s.chars().next().and_then(HoldMode::from_char)
                })?;
                let transaction_date = r.date("transaction date")?;
                let (rest, off) = r.rest();
                let mut f = Fields::parse("15", rest, off)?;
                Ok(Request::Hold(HoldRequest {
                    mode,
                    transaction_date,
                    expiration_date: f.date("BW", "expiration date")?,
                    pickup_location: f.opt("BS"),
                    hold_type: f.typed("BY", "hold type", HoldType::parse)?,
                    institution_id: f.or_empty("AO"),
                    patron_id: f.req("AA", "patron identifier")?,
                    patron_password: f.opt("AD"),
                    item_id: f.opt("AB"),
                    title_id: f.opt("AJ"),
                    terminal_password: f.opt("AC"),
                    fee_acknowledged: f.yn("BO", "fee acknowledged")?,
                    extensions: f.rest(),
                }))
            }
            "29" => {
                let mut r = Fixed::new("29", body);
                let third_party_allowed = r.yn("third party allowed")?;
                let no_block = r.yn("no block")?;
                let transaction_date = r.date("transaction date")?;
                let nb_due_date = r.date("nb due date")?;
                let (rest, off) = r.rest();
                let mut f = Fields::parse("29", rest, off)?;
                Ok(Request::Renew(RenewRequest {
                    third_party_allowed,
                    no_block,
                    transaction_date,
                    nb_due_date,
                    institution_id: f.or_empty("AO"),
                    patron_id: f.req("AA", "patron identifier")?,
                    patron_password: f.opt("AD"),
                    item_id: f.opt("AB"),
                    title_id: f.opt("AJ"),
                    terminal_password: f.opt("AC"),
                    item_properties: f.opt("CH"),
                    fee_acknowledged: f.yn("BO", "fee acknowledged")?,
                    extensions: f.rest(),
                }))
            }
            "65" => {
                let mut r = Fixed::new("65", body);
                let transaction_date = r.date("transaction date")?;
                let (rest, off) = r.rest();
                let mut f = Fields::parse("65", rest, off)?;
                Ok(Request::RenewAll(RenewAllRequest {
                    transaction_date,
                    institution_id: f.or_empty("AO"),
                    patron_id: f.req("AA", "patron identifier")?,
                    patron_password: f.opt("AD"),
                    terminal_password: f.opt("AC"),
                    fee_acknowledged: f.yn("BO", "fee acknowledged")?,
                    extensions: f.rest(),
                }))
            }
            other => match message_name(other) {
                Some((name, false)) => Err(ParseError::WrongDirection {
                    command: other.to_string(),
                    name,
                }),
                _ => Err(ParseError::UnknownCommand {
                    command: other.to_string(),
                }),
            },
        }
    }

    /// The 2-digit message identifier.
    pub fn command(&self) -> &'static str {
        match self {
            Request::Login(_) => "93",
            Request::ScStatus(_) => "99",
            Request::RequestAcsResend => "97",
            Request::PatronStatus(_) => "23",
            Request::PatronInformation(_) => "63",
            Request::Checkout(_) => "11",
            Request::Checkin(_) => "09",
            Request::BlockPatron(_) => "01",
            Request::EndPatronSession(_) => "35",
            Request::FeePaid(_) => "37",
            Request::ItemInformation(_) => "17",
            Request::ItemStatusUpdate(_) => "19",
            Request::PatronEnable(_) => "25",
            Request::Hold(_) => "15",
            Request::Renew(_) => "29",
            Request::RenewAll(_) => "65",
        }
    }

    /// The message's name.
    pub fn name(&self) -> &'static str {
        message_name(self.command()).map(|(n, _)| n).unwrap_or("")
    }

    /// The message as a [`MessageBuilder`] (client side: SC emulators, tests,
    /// bench tools). Fields are written in the documented order, extensions last.
    pub fn builder(&self) -> MessageBuilder {
        let mut b = MessageBuilder::new(self.command());
        match self {
            Request::Login(m) => {
                b.flag(m.uid_algorithm).flag(m.pwd_algorithm);
                b.field("CN", &m.user_id)
                    .field("CO", &m.password)
                    .opt("CP", m.location_code.as_deref())
                    .extensions(&m.extensions);
            }
            Request::ScStatus(m) => {
                b.flag(m.status.as_char())
                    .fixed(3, &format!("{:03}", m.max_print_width.min(999)))
                    .fixed(4, &m.protocol_version)
                    .extensions(&m.extensions);
            }
            Request::RequestAcsResend => {}
            Request::PatronStatus(m) => {
                b.fixed(3, &m.language.code()).date(&m.transaction_date);
                b.field("AO", &m.institution_id)
                    .field("AA", &m.patron_id)
                    .opt("AC", m.terminal_password.as_deref())
                    .opt("AD", m.patron_password.as_deref())
                    .extensions(&m.extensions);
            }
            Request::PatronInformation(m) => {
                b.fixed(3, &m.language.code())
                    .date(&m.transaction_date)
                    .fixed(10, &SummaryList::summary_field(m.summary));
                b.field("AO", &m.institution_id)
                    .field("AA", &m.patron_id)
                    .opt("AC", m.terminal_password.as_deref())
                    .opt("AD", m.patron_password.as_deref())
                    .opt_exact("BP", m.start_item.map(|n| n.to_string()).as_deref())
                    .opt_exact("BQ", m.end_item.map(|n| n.to_string()).as_deref())
                    .extensions(&m.extensions);
            }
            Request::Checkout(m) => {
                b.yn(m.sc_renewal_policy)
                    .yn(m.no_block)
                    .date(&m.transaction_date)
                    .date(&m.nb_due_date);
                b.field("AO", &m.institution_id)
                    .field("AA", &m.patron_id)
                    .field("AB", &m.item_id)
                    .opt("AC", m.terminal_password.as_deref())
                    .opt("CH", m.item_properties.as_deref())
                    .opt("AD", m.patron_password.as_deref())
                    .opt_yn("BO", m.fee_acknowledged)
                    .opt_yn("BI", m.cancel)
                    .extensions(&m.extensions);
            }
            Request::Checkin(m) => {
                b.yn(m.no_block)
                    .date(&m.transaction_date)
                    .date(&m.return_date);
                b.field("AP", &m.current_location)
                    .field("AO", &m.institution_id)
                    .field("AB", &m.item_id)
                    .opt("AC", m.terminal_password.as_deref())
                    .opt("CH", m.item_properties.as_deref())
                    .opt_yn("BI", m.cancel)
                    .extensions(&m.extensions);
            }
            Request::BlockPatron(m) => {
                b.yn(m.card_retained).date(&m.transaction_date);
                b.field("AO", &m.institution_id)
                    .field("AL", &m.blocked_card_message)
                    .field("AA", &m.patron_id)
                    .opt("AC", m.terminal_password.as_deref())
                    .extensions(&m.extensions);
            }
            Request::EndPatronSession(m) | Request::PatronEnable(m) => {
                b.date(&m.transaction_date);
                b.field("AO", &m.institution_id)
                    .field("AA", &m.patron_id)
                    .opt("AC", m.terminal_password.as_deref())
                    .opt("AD", m.patron_password.as_deref())
                    .extensions(&m.extensions);
            }
            Request::FeePaid(m) => {
                b.date(&m.transaction_date)
                    .fixed(2, &m.fee_type.code())
                    .fixed(2, &m.payment_type.code())
                    .fixed(3, m.currency.as_str());
                b.field("BV", &m.fee_amount)
                    .field("AO", &m.institution_id)
                    .field("AA", &m.patron_id)
                    .opt("AC", m.terminal_password.as_deref())
                    .opt("AD", m.patron_password.as_deref())
                    .opt("CG", m.fee_id.as_deref())
                    .opt("BK", m.transaction_id.as_deref())
                    .extensions(&m.extensions);
            }
            Request::ItemInformation(m) => {
                b.date(&m.transaction_date);
                b.field("AO", &m.institution_id)
                    .field("AB", &m.item_id)
                    .opt("AC", m.terminal_password.as_deref())
                    .extensions(&m.extensions);
            }
            Request::ItemStatusUpdate(m) => {
                b.date(&m.transaction_date);
                b.field("AO", &m.institution_id)
                    .field("AB", &m.item_id)
                    .opt("AC", m.terminal_password.as_deref())
                    .field("CH", &m.item_properties)
                    .extensions(&m.extensions);
            }
            Request::Hold(m) => {
                b.flag(m.mode.as_char()).date(&m.transaction_date);
                b.opt_exact("BW", m.expiration_date.as_ref().map(|d| d.raw()))
                    .opt("BS", m.pickup_location.as_deref())
                    .opt_exact("BY", m.hold_type.map(|t| t.code()))
                    .field("AO", &m.institution_id)
                    .field("AA", &m.patron_id)
                    .opt("AD", m.patron_password.as_deref())
                    .opt("AB", m.item_id.as_deref())
                    .opt("AJ", m.title_id.as_deref())
                    .opt("AC", m.terminal_password.as_deref())
                    .opt_yn("BO", m.fee_acknowledged)
                    .extensions(&m.extensions);
            }
            Request::Renew(m) => {
                b.yn(m.third_party_allowed)
                    .yn(m.no_block)
                    .date(&m.transaction_date)
                    .date(&m.nb_due_date);
                b.field("AO", &m.institution_id)
                    .field("AA", &m.patron_id)
                    .opt("AD", m.patron_password.as_deref())
                    .opt("AB", m.item_id.as_deref())
                    .opt("AJ", m.title_id.as_deref())
                    .opt("AC", m.terminal_password.as_deref())
                    .opt("CH", m.item_properties.as_deref())
                    .opt_yn("BO", m.fee_acknowledged)
                    .extensions(&m.extensions);
            }
            Request::RenewAll(m) => {
                b.date(&m.transaction_date);
                b.field("AO", &m.institution_id)
                    .field("AA", &m.patron_id)
                    .opt("AD", m.patron_password.as_deref())
                    .opt("AC", m.terminal_password.as_deref())
                    .opt_yn("BO", m.fee_acknowledged)
                    .extensions(&m.extensions);
            }
        }
        b
    }

    /// Formats the request (CR terminator included).
    pub fn format(&self, opts: &FormatOptions) -> Vec<u8> {
        self.builder().encode(opts)
    }
}
