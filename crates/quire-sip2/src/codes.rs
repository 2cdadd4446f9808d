//! SIP2 code tables as Rust types.
//!
//! Numeric codes keep unknown values in an `Unlisted` variant so nothing a
//! client sends is lost and nothing valid-looking is rejected.

use std::fmt;

macro_rules! numeric_code {
    (
        $(#[$meta:meta])*
        $name:ident, $repr:ty, $width:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $value:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// A value outside the standard table, kept as received.
            Unlisted($repr),
        }

        impl $name {
            /// Width of the code on the wire, in characters.
            pub const WIDTH: usize = $width;

            /// The numeric value of this code.
            pub fn value(self) -> $repr {
                match self {
                    $( $name::$variant => $value, )*
                    $name::Unlisted(v) => v,
                }
            }

            /// The code for a numeric value (unknown values become `Unlisted`).
            pub fn from_value(v: $repr) -> $name {
                match v {
                    $( $value => $name::$variant, )*
                    other => $name::Unlisted(other),
                }
            }

            /// Parses the zero-padded wire form; `None` unless it is exactly
            /// `WIDTH` ASCII digits.
            pub fn parse(s: &str) -> Option<$name> {
                if s.len() != $width || !s.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                s.parse::<$repr>().ok().map($name::from_value)
            }

            /// The zero-padded wire form. Out-of-range `Unlisted` values are
            /// clamped to the largest value that fits.
            pub fn code(self) -> String {
                let max: u32 = 10u32.pow($width) - 1;
                let v = u32::from(self.value()).min(max);
                format!("{:0width$}", v, width = $width)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.code())
            }
        }
    };
}

numeric_code! {
    /// Circulation status of an item (message 18, 2 digits).
    CirculationStatus, u8, 2 {
        /// `01` other.
        OtherStatus = 1,
        /// `02` on order.
        OnOrder = 2,
        /// `03` available.
        Available = 3,
        /// `04` charged.
        Charged = 4,
        /// `05` charged, not to be recalled until earliest recall date.
        ChargedNotRecallable = 5,
        /// `06` in process.
        InProcess = 6,
        /// `07` recalled.
        Recalled = 7,
        /// `08` waiting on hold shelf.
        WaitingOnHoldShelf = 8,
        /// `09` waiting to be re-shelved.
        WaitingToBeReshelved = 9,
        /// `10` in transit between library locations.
        InTransit = 10,
        /// `11` claimed returned.
        ClaimedReturned = 11,
        /// `12` lost.
        Lost = 12,
        /// `13` missing.
        Missing = 13,
    }
}

numeric_code! {
    /// Security marker of an item (message 18, 2 digits).
    SecurityMarker, u8, 2 {
        /// `00` other (RFID sites use this).
        OtherMarker = 0,
        /// `01` none.
        NoMarker = 1,
        /// `02` 3M Tattle-Tape.
        TattleTape = 2,
        /// `03` 3M Whisper Tape.
        WhisperTape = 3,
    }
}

numeric_code! {
    /// Fee type (BT in 12/30; fixed field in 18 and 37; 2 digits).
    FeeType, u8, 2 {
        /// `01` other/unknown.
        OtherFee = 1,
        /// `02` administrative.
        Administrative = 2,
        /// `03` damage.
        Damage = 3,
        /// `04` overdue.
        Overdue = 4,
        /// `05` processing.
        Processing = 5,
        /// `06` rental.
        Rental = 6,
        /// `07` replacement.
        Replacement = 7,
        /// `08` computer access charge.
        ComputerAccess = 8,
        /// `09` hold fee.
        HoldFee = 9,
    }
}

numeric_code! {
    /// Payment type (message 37, 2 digits).
    PaymentType, u8, 2 {
        /// `00` cash.
        Cash = 0,
        /// `01` VISA.
        Visa = 1,
        /// `02` credit card.
        CreditCard = 2,
    }
}

numeric_code! {
    /// Media type (CK, 3 digits).
    MediaType, u16, 3 {
        /// `000` other.
        OtherMedia = 0,
        /// `001` book.
        Book = 1,
        /// `002` magazine.
        Magazine = 2,
        /// `003` bound journal.
        BoundJournal = 3,
        /// `004` audio tape.
        AudioTape = 4,
        /// `005` video tape.
        VideoTape = 5,
        /// `006` CD/CD-ROM.
        CdRom = 6,
        /// `007` diskette.
        Diskette = 7,
        /// `008` book with diskette.
        BookWithDiskette = 8,
        /// `009` book with CD.
        BookWithCd = 9,
        /// `010` book with audio tape.
        BookWithAudioTape = 10,
    }
}

numeric_code! {
    /// Language (3 digits, messages 23/24/26/63/64). The SIP2 2.00 table
    /// ends at `027`; later values are kept as `Unlisted`.
    Language, u16, 3 {
        /// `000` unknown / default.
        Unknown = 0,
        /// `001` English.
        English = 1,
        /// `002` French.
        French = 2,
        /// `003` German.
        German = 3,
        /// `004` Italian.
        Italian = 4,
        /// `005` Dutch.
        Dutch = 5,
        /// `006` Swedish.
        Swedish = 6,
        /// `007` Finnish.
        Finnish = 7,
        /// `008` Spanish.
        Spanish = 8,
        /// `009` Danish.
        Danish = 9,
        /// `010` Portuguese.
        Portuguese = 10,
        /// `011` Canadian French.
        CanadianFrench = 11,
        /// `012` Norwegian.
        Norwegian = 12,
        /// `013` Hebrew.
        Hebrew = 13,
        /// `014` Japanese.
        Japanese = 14,
        /// `015` Russian.
        Russian = 15,
        /// `016` Arabic.
        Arabic = 16,
        /// `017` Polish.
        Polish = 17,
        /// `018` Greek.
        Greek = 18,
        /// `019` Chinese.
        Chinese = 19,
        /// `020` Korean.
        Korean = 20,
        /// `021` North American Spanish.
        NorthAmericanSpanish = 21,
        /// `022` Tamil.
        Tamil = 22,
        /// `023` Malay.
        Malay = 23,
        /// `024` United Kingdom (English).
        UnitedKingdom = 24,
        /// `025` Icelandic.
        Icelandic = 25,
        /// `026` Belgian.
        Belgian = 26,
        /// `027` Taiwanese.
        Taiwanese = 27,
    }
}

// The enum comes from a macro shared with tables that have no default.
#[allow(clippy::derivable_impls)]
impl Default for Language {
    fn default() -> Self {
        Language::Unknown
    }
}

impl Language {
    /// Maps an ISO 639-1/639-2 or BCP 47 language tag (`en`, `fr-CA`,
    /// `eng`, `vi`...) to the SIP2 code. Languages absent from the SIP2
    /// table (e.g. Vietnamese, Filipino) map to [`Language::Unknown`] (`000`).
    pub fn from_tag(tag: &str) -> Language {
        let t = tag.trim().to_ascii_lowercase().replace('_', "-");
        let mut parts = t.split('-');
        let lang = parts.next().unwrap_or_default();
        let region = parts.next().unwrap_or_default();
        match (lang, region) {
            ("en" | "eng", "gb" | "uk") => Language::UnitedKingdom,
            ("en" | "eng", _) => Language::English,
            ("fr" | "fre" | "fra", "ca") => Language::CanadianFrench,
            ("fr" | "fre" | "fra", "be") => Language::Belgian,
            ("fr" | "fre" | "fra", _) => Language::French,
            ("de" | "ger" | "deu", _) => Language::German,
            ("it" | "ita", _) => Language::Italian,
            ("nl" | "dut" | "nld", "be") => Language::Belgian,
            ("nl" | "dut" | "nld", _) => Language::Dutch,
            ("sv" | "swe", _) => Language::Swedish,
            ("fi" | "fin", _) => Language::Finnish,
            ("es" | "spa", "us" | "mx" | "419") => Language::NorthAmericanSpanish,
            ("es" | "spa", _) => Language::Spanish,
            ("da" | "dan", _) => Language::Danish,
            ("pt" | "por", _) => Language::Portuguese,
            ("no" | "nor" | "nb" | "nob" | "nn" | "nno", _) => Language::Norwegian,
            ("he" | "heb" | "iw", _) => Language::Hebrew,
            ("ja" | "jpn", _) => Language::Japanese,
            ("ru" | "rus", _) => Language::Russian,
            ("ar" | "ara", _) => Language::Arabic,
            ("pl" | "pol", _) => Language::Polish,
            ("el" | "gre" | "ell", _) => Language::Greek,
            ("zh" | "chi" | "zho", "tw") => Language::Taiwanese,
            ("zh" | "chi" | "zho", _) => Language::Chinese,
            ("ko" | "kor", _) => Language::Korean,
            ("ta" | "tam", _) => Language::Tamil,
            ("ms" | "may" | "msa", _) => Language::Malay,
            ("is" | "ice" | "isl", _) => Language::Icelandic,
            _ => Language::Unknown,
        }
    }
}

/// Hold mode (message 15, 1 character).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HoldMode {
    /// `+` place a hold.
    Add,
    /// `-` delete a hold.
    Delete,
    /// `*` change a hold.
    Change,
}

impl HoldMode {
    /// Parses `+`, `-` or `*`.
    pub fn from_char(c: char) -> Option<HoldMode> {
        match c {
            '+' => Some(HoldMode::Add),
            '-' => Some(HoldMode::Delete),
            '*' => Some(HoldMode::Change),
            _ => None,
        }
    }

    /// The wire character.
    pub fn as_char(self) -> char {
        match self {
            HoldMode::Add => '+',
            HoldMode::Delete => '-',
            HoldMode::Change => '*',
        }
    }
}

/// Hold type (BY, 1 digit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HoldType {
    /// `1` other.
    Other,
    /// `2` any copy of the title.
    AnyCopy,
    /// `3` a specific copy.
    SpecificCopy,
    /// `4` any copy at a given branch/sublocation.
    AnyCopyAtLocation,
}

impl HoldType {
    /// Parses `1`..`4`.
    pub fn parse(s: &str) -> Option<HoldType> {
        match s {
            "1" => Some(HoldType::Other),
            "2" => Some(HoldType::AnyCopy),
            "3" => Some(HoldType::SpecificCopy),
            "4" => Some(HoldType::AnyCopyAtLocation),
            _ => None,
        }
    }

    /// The wire digit.
    pub fn code(self) -> &'static str {
        match self {
            HoldType::Other => "1",
            HoldType::AnyCopy => "2",
            HoldType::SpecificCopy => "3",
            HoldType::AnyCopyAtLocation => "4",
        }
    }
}

/// Which item list a Patron Information request (63) asks for: the position
/// of the single `Y` in its 10-character summary field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SummaryList {
    /// Position 0: hold items (AS).
    HoldItems,
    /// Position 1: overdue items (AT).
    OverdueItems,
    /// Position 2: charged items (AU).
    ChargedItems,
    /// Position 3: fine items (AV).
    FineItems,
    /// Position 4: recall items (BU).
    RecallItems,
    /// Position 5: unavailable holds (CD).
    UnavailableHolds,
}

impl SummaryList {
    /// All lists in summary-position order.
    pub const ALL: [SummaryList; 6] = [
        SummaryList::HoldItems,
        SummaryList::OverdueItems,
        SummaryList::ChargedItems,
        SummaryList::FineItems,
        SummaryList::RecallItems,
        SummaryList::UnavailableHolds,
    ];

    /// Position in the summary field (0-5).
    pub fn position(self) -> usize {
        match self {
            SummaryList::HoldItems => 0,
            SummaryList::OverdueItems => 1,
            SummaryList::ChargedItems => 2,
            SummaryList::FineItems => 3,
            SummaryList::RecallItems => 4,
            SummaryList::UnavailableHolds => 5,
        }
    }

    /// The list for a summary position (0-5).
    pub fn from_position(p: usize) -> Option<SummaryList> {
        SummaryList::ALL.get(p).copied()
    }

    /// The variable-field code used in the 64 response for this list.
    pub fn field_code(self) -> &'static str {
        match self {
            SummaryList::HoldItems => "AS",
            SummaryList::OverdueItems => "AT",
            SummaryList::ChargedItems => "AU",
            SummaryList::FineItems => "AV",
            SummaryList::RecallItems => "BU",
            SummaryList::UnavailableHolds => "CD",
        }
    }

    /// The 10-character summary field requesting `list` (or none).
    pub fn summary_field(list: Option<SummaryList>) -> String {
        (0..10)
            .map(|i| {
                if list.map(|l| l.position()) == Some(i) {
                    'Y'
                } else {
                    ' '
                }
            })
            .collect()
    }
}

/// Alert type (CV extension in message 10).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AlertType {
    /// `00` unknown / other alert (also "no alert" for sorters that want CV always).
    Unknown,
    /// `01` hold for a patron at this library.
    HoldHere,
    /// `02` hold for a patron at another library (send in transit).
    HoldElsewhere,
    /// `03` hold for interlibrary loan.
    HoldIll,
    /// `04` send to another library, no hold (transfer / return home).
    Transfer,
    /// `98` data corrupted (Koha).
    DataCorrupted,
    /// `99` other: needs staff attention.
    Other,
    /// Any other value, verbatim.
    Custom(String),
}

impl AlertType {
    /// Parses the wire value.
    pub fn parse(s: &str) -> AlertType {
        match s {
            "00" => AlertType::Unknown,
            "01" => AlertType::HoldHere,
            "02" => AlertType::HoldElsewhere,
            "03" => AlertType::HoldIll,
            "04" => AlertType::Transfer,
            "98" => AlertType::DataCorrupted,
            "99" => AlertType::Other,
            other => AlertType::Custom(other.to_string()),
        }
    }

    /// The wire value.
    pub fn code(&self) -> &str {
        match self {
            AlertType::Unknown => "00",
            AlertType::HoldHere => "01",
            AlertType::HoldElsewhere => "02",
            AlertType::HoldIll => "03",
            AlertType::Transfer => "04",
            AlertType::DataCorrupted => "98",
            AlertType::Other => "99",
            AlertType::Custom(s) => s,
        }
    }
}

/// ISO 4217 currency code (3 characters, e.g. `USD`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Currency([u8; 3]);

impl Currency {
    /// US dollar.
    pub const USD: Currency = Currency(*b"USD");
    /// Euro.
    pub const EUR: Currency = Currency(*b"EUR");
    /// Pound sterling.
    pub const GBP: Currency = Currency(*b"GBP");
    /// Canadian dollar.
    pub const CAD: Currency = Currency(*b"CAD");

    /// A currency from exactly 3 printable ASCII characters (blanks allowed:
    /// some clients send `   ` for "unspecified").
    pub fn new(code: &str) -> Option<Currency> {
        let b = code.as_bytes();
        if b.len() == 3 && b.iter().all(|c| (0x20..0x7F).contains(c) && *c != b'|') {
            Some(Currency([b[0], b[1], b[2]]))
        } else {
            None
        }
    }

    /// The 3-character code.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("   ")
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// SC status code in message 99.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScStatusCode {
    /// `0` SC OK.
    Ok,
    /// `1` printer out of paper.
    PrinterOutOfPaper,
    /// `2` SC about to shut down.
    ShuttingDown,
}

impl ScStatusCode {
    /// Parses `0`, `1`, `2`.
    pub fn from_char(c: char) -> Option<ScStatusCode> {
        match c {
            '0' => Some(ScStatusCode::Ok),
            '1' => Some(ScStatusCode::PrinterOutOfPaper),
            '2' => Some(ScStatusCode::ShuttingDown),
            _ => None,
        }
    }

    /// The wire character.
    pub fn as_char(self) -> char {
        match self {
            ScStatusCode::Ok => '0',
            ScStatusCode::PrinterOutOfPaper => '1',
            ScStatusCode::ShuttingDown => '2',
        }
    }
}

/// A Y/N/U fixed field ("unknown" allowed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum YesNoUnknown {
    /// `Y`.
    Yes,
    /// `N`.
    No,
    /// `U`.
    #[default]
    Unknown,
}

impl YesNoUnknown {
    /// Parses `Y`/`N`/`U` (case-insensitive).
    pub fn from_char(c: char) -> Option<YesNoUnknown> {
        match c.to_ascii_uppercase() {
            'Y' => Some(YesNoUnknown::Yes),
            'N' => Some(YesNoUnknown::No),
            'U' => Some(YesNoUnknown::Unknown),
            _ => None,
        }
    }

    /// The wire character.
    pub fn as_char(self) -> char {
        match self {
            YesNoUnknown::Yes => 'Y',
            YesNoUnknown::No => 'N',
            YesNoUnknown::Unknown => 'U',
        }
    }
}

impl From<bool> for YesNoUnknown {
    fn from(b: bool) -> Self {
        if b {
            YesNoUnknown::Yes
        } else {
            YesNoUnknown::No
        }
    }
}

/// The 14 patron status flags (messages 24, 26, 64); `Y` = condition true.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct PatronStatus(u16);

impl PatronStatus {
    /// 0: charge privileges denied.
    pub const CHARGE_DENIED: PatronStatus = PatronStatus(1 << 0);
    /// 1: renewal privileges denied.
    pub const RENEWAL_DENIED: PatronStatus = PatronStatus(1 << 1);
    /// 2: recall privileges denied.
    pub const RECALL_DENIED: PatronStatus = PatronStatus(1 << 2);
    /// 3: hold privileges denied.
    pub const HOLD_DENIED: PatronStatus = PatronStatus(1 << 3);
    /// 4: card reported lost.
    pub const CARD_LOST: PatronStatus = PatronStatus(1 << 4);
    /// 5: too many items charged.
    pub const TOO_MANY_CHARGED: PatronStatus = PatronStatus(1 << 5);
    /// 6: too many items overdue.
    pub const TOO_MANY_OVERDUE: PatronStatus = PatronStatus(1 << 6);
    /// 7: too many renewals.
    pub const TOO_MANY_RENEWALS: PatronStatus = PatronStatus(1 << 7);
    /// 8: too many claims of items returned.
    pub const TOO_MANY_CLAIMS_RETURNED: PatronStatus = PatronStatus(1 << 8);
    /// 9: too many items lost.
    pub const TOO_MANY_LOST: PatronStatus = PatronStatus(1 << 9);
    /// 10: excessive outstanding fines.
    pub const EXCESSIVE_FINES: PatronStatus = PatronStatus(1 << 10);
    /// 11: excessive outstanding fees.
    pub const EXCESSIVE_FEES: PatronStatus = PatronStatus(1 << 11);
    /// 12: recall overdue.
    pub const RECALL_OVERDUE: PatronStatus = PatronStatus(1 << 12);
    /// 13: too many items billed.
    pub const TOO_MANY_BILLED: PatronStatus = PatronStatus(1 << 13);

    /// No flag set.
    pub const fn empty() -> PatronStatus {
        PatronStatus(0)
    }

    /// Every flag set.
    pub const fn all() -> PatronStatus {
        PatronStatus(0x3FFF)
    }

    /// The four "privileges denied" flags (charge, renewal, recall, hold).
    pub const fn privileges_denied() -> PatronStatus {
        PatronStatus(0b1111)
    }

    /// The raw bits (bit i = position i).
    pub const fn bits(self) -> u16 {
        self.0
    }

    /// From raw bits; bits above 13 are dropped.
    pub const fn from_bits_truncate(bits: u16) -> PatronStatus {
        PatronStatus(bits & 0x3FFF)
    }

    /// True when every flag of `other` is set.
    pub const fn contains(self, other: PatronStatus) -> bool {
        self.0 & other.0 == other.0
    }

    /// True when no flag is set.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Sets or clears the flags of `other`.
    pub fn set(&mut self, other: PatronStatus, value: bool) {
        if value {
            self.0 |= other.0;
        } else {
            self.0 &= !other.0;
        }
    }

    /// Parses the 14-character field: `Y`/`y` = set, anything else = clear.
    /// `None` if the field is not exactly 14 characters.
    pub fn parse(s: &str) -> Option<PatronStatus> {
        if s.chars().count() != 14 {
            return None;
        }
        let bits = s
            .chars()
            .enumerate()
            .filter(|(_, c)| *c == 'Y' || *c == 'y')
            .fold(0u16, |acc, (i, _)| acc | (1 << i));
        Some(PatronStatus(bits))
    }

    /// The 14-character field (`Y` or blank).
    pub fn field(self) -> String {
        (0..14)
            .map(|i| if self.0 & (1 << i) != 0 { 'Y' } else { ' ' })
            .collect()
    }
}

impl std::ops::BitOr for PatronStatus {
    type Output = PatronStatus;
    fn bitor(self, rhs: PatronStatus) -> PatronStatus {
        PatronStatus(self.0 | rhs.0)
    }
}

impl std::ops::BitOrAssign for PatronStatus {
    fn bitor_assign(&mut self, rhs: PatronStatus) {
        self.0 |= rhs.0;
    }
}

/// The 16 supported-message flags of BX in message 98.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SupportedMessages(pub [bool; 16]);

impl SupportedMessages {
    /// Index 0: patron status request (23).
    pub const PATRON_STATUS: usize = 0;
    /// Index 1: checkout (11).
    pub const CHECKOUT: usize = 1;
    /// Index 2: checkin (09).
    pub const CHECKIN: usize = 2;
    /// Index 3: block patron (01).
    pub const BLOCK_PATRON: usize = 3;
    /// Index 4: SC/ACS status (99/98).
    pub const STATUS: usize = 4;
    /// Index 5: request SC/ACS resend (97/96).
    pub const RESEND: usize = 5;
    /// Index 6: login (93).
    pub const LOGIN: usize = 6;
    /// Index 7: patron information (63).
    pub const PATRON_INFORMATION: usize = 7;
    /// Index 8: end patron session (35).
    pub const END_PATRON_SESSION: usize = 8;
    /// Index 9: fee paid (37).
    pub const FEE_PAID: usize = 9;
    /// Index 10: item information (17).
    pub const ITEM_INFORMATION: usize = 10;
    /// Index 11: item status update (19).
    pub const ITEM_STATUS_UPDATE: usize = 11;
    /// Index 12: patron enable (25).
    pub const PATRON_ENABLE: usize = 12;
    /// Index 13: hold (15).
    pub const HOLD: usize = 13;
    /// Index 14: renew (29).
    pub const RENEW: usize = 14;
    /// Index 15: renew all (65).
    pub const RENEW_ALL: usize = 15;

    /// Every message supported.
    pub const fn all() -> SupportedMessages {
        SupportedMessages([true; 16])
    }

    /// Parses 16 `Y`/`N` flags (anything but `Y`/`y` is "no"). Shorter or
    /// longer values are padded/truncated, since clients only read them.
    pub fn parse(s: &str) -> SupportedMessages {
        let mut flags = [false; 16];
        for (slot, c) in flags.iter_mut().zip(s.chars()) {
            *slot = c == 'Y' || c == 'y';
        }
        SupportedMessages(flags)
    }

    /// The 16-character field.
    pub fn field(self) -> String {
        self.0.iter().map(|&b| if b { 'Y' } else { 'N' }).collect()
    }
}

impl Default for SupportedMessages {
    fn default() -> Self {
        SupportedMessages::all()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn numeric_codes() {
        assert_eq!(
            CirculationStatus::parse("03"),
            Some(CirculationStatus::Available)
        );
        assert_eq!(
            CirculationStatus::parse("13"),
            Some(CirculationStatus::Missing)
        );
        assert_eq!(
            CirculationStatus::parse("42"),
            Some(CirculationStatus::Unlisted(42))
        );
        assert_eq!(CirculationStatus::parse("3"), None);
        assert_eq!(CirculationStatus::parse("0x"), None);
        assert_eq!(CirculationStatus::InTransit.code(), "10");
        assert_eq!(MediaType::BookWithCd.code(), "009");
        assert_eq!(MediaType::parse("010"), Some(MediaType::BookWithAudioTape));
        assert_eq!(SecurityMarker::TattleTape.code(), "02");
        assert_eq!(FeeType::parse("04"), Some(FeeType::Overdue));
        assert_eq!(PaymentType::parse("02"), Some(PaymentType::CreditCard));
        assert_eq!(MediaType::Unlisted(12345).code(), "999");
    }

    #[test]
    fn languages() {
        assert_eq!(Language::English.code(), "001");
        assert_eq!(Language::parse("027"), Some(Language::Taiwanese));
        assert_eq!(Language::parse("029"), Some(Language::Unlisted(29)));
        assert_eq!(Language::from_tag("en-GB"), Language::UnitedKingdom);
        assert_eq!(Language::from_tag("fr_CA"), Language::CanadianFrench);
        assert_eq!(Language::from_tag("vi"), Language::Unknown);
        assert_eq!(Language::from_tag("fil"), Language::Unknown);
        assert_eq!(Language::from_tag("tl"), Language::Unknown);
        assert_eq!(Language::from_tag("zh-TW"), Language::Taiwanese);
        assert_eq!(Language::from_tag("eng"), Language::English);
    }

    #[test]
    fn patron_status_field() {
        let s = PatronStatus::CHARGE_DENIED | PatronStatus::TOO_MANY_BILLED;
        assert_eq!(s.field(), "Y            Y");
        assert_eq!(PatronStatus::parse("Y            Y"), Some(s));
        assert_eq!(
            PatronStatus::parse("NNNNNNNNNNNNNN"),
            Some(PatronStatus::empty())
        );
        assert_eq!(PatronStatus::parse("short"), None);
        assert!(PatronStatus::all().contains(PatronStatus::privileges_denied()));
    }

    #[test]
    fn supported_messages_field() {
        let mut s = SupportedMessages::all();
        s.0[SupportedMessages::ITEM_STATUS_UPDATE] = false;
        s.0[SupportedMessages::PATRON_ENABLE] = false;
        assert_eq!(s.field(), "YYYYYYYYYYYNNYYY");
        assert_eq!(SupportedMessages::parse("YYYYYYYYYYYNNYYY"), s);
    }

    #[test]
    fn summary_positions() {
        assert_eq!(
            SummaryList::summary_field(Some(SummaryList::ChargedItems)),
            "  Y       "
        );
        assert_eq!(SummaryList::summary_field(None), "          ");
        assert_eq!(
            SummaryList::from_position(5),
            Some(SummaryList::UnavailableHolds)
        );
        assert_eq!(SummaryList::from_position(6), None);
        assert_eq!(SummaryList::FineItems.field_code(), "AV");
    }

    proptest! {
        #[test]
        fn patron_status_round_trip(bits in 0u16..0x4000) {
            let s = PatronStatus::from_bits_truncate(bits);
            prop_assert_eq!(PatronStatus::parse(&s.field()), Some(s));
        }

        #[test]
        fn media_type_round_trip(v in 0u16..1000) {
            let m = MediaType::from_value(v);
            prop_assert_eq!(MediaType::parse(&m.code()), Some(m));
        }

        #[test]
        fn code_parsers_never_panic(s in "\\PC{0,5}") {
            let _ = Language::parse(&s);
            let _ = CirculationStatus::parse(&s);
            let _ = Currency::new(&s);
            let _ = PatronStatus::parse(&s);
            let _ = Language::from_tag(&s);
        }
    }
}
