//! SIP2 (3M Standard Interchange Protocol 2.00) for Quire: wire codec and
//! per-connection session logic. Pure: no sockets, no async runtime, no
//! database, no clock.
//!
//! * [`frame`]: split a byte stream into messages ([`FrameDecoder`]).
//! * [`checksum`](mod@checksum): `AY` sequence numbers and `AZ` checksums.
//! * [`request`]: typed SC → ACS messages ([`Request`]), parse and format.
//! * [`response`]: typed ACS → SC messages ([`Response`]), format and parse.
//! * [`session`]: the per-connection state machine ([`Session`]).
//! * [`codes`]: code tables (circulation status, media type, language...).
//! * [`client`]: the SC side ([`client::ScClient`]) for tests and bench tools.
//!
//! A server loop looks like this:
//!
//! ```
//! use quire_sip2::{Action, Charset, FrameDecoder, Response, Session, SessionConfig, SipDateTime};
//! use quire_sip2::response::LoginResponse;
//!
//! let mut decoder = FrameDecoder::new(4096, Charset::Utf8);
//! let mut session = Session::new(SessionConfig::default());
//! let now = SipDateTime::from_raw("20260115    101530").unwrap();
//! decoder.feed(b"9300CNsc01|COsecret|CPMAIN|AY0AZF5C3\r");
//! let mut sent = Vec::new();
//! while let Some(frame) = decoder.next_frame() {
//!     let action = match frame {
//!         Ok(frame) => session.feed(&frame, &now),
//!         Err(e) => session.feed_error(e),
//!     };
//!     match action {
//!         Action::Reply { bytes, .. } => sent.extend(bytes),
//!         Action::Handle(_request) => {
//!             // ... the application decides ...
//!             let answer = Response::Login(LoginResponse { ok: true, ..Default::default() });
//!             sent.extend(session.respond(&answer));
//!         }
//!         Action::Ignore(_) => {}
//!         Action::Close(_) => break,
//!     }
//! }
//! assert_eq!(sent, b"941AY0AZFDFD\r");
//! ```

#![warn(missing_docs)]

pub mod charset;
pub mod checksum;
pub mod client;
pub mod codes;
pub mod datetime;
pub mod error;
pub mod frame;
pub mod request;
pub mod response;
pub mod session;
pub mod wire;

pub use charset::Charset;
pub use checksum::{ChecksumStatus, Trailer, checksum, find_trailer, verify};
pub use datetime::{DueDateFormat, SipDateTime, SipZone};
pub use error::ParseError;
pub use frame::{DEFAULT_MAX_MESSAGE_LEN, Frame, FrameDecoder, FrameError};
pub use request::Request;
pub use response::Response;
pub use session::{Action, ChecksumPolicy, Session, SessionConfig};
pub use wire::{DEFAULT_MAX_REPLY_LEN, FormatOptions, MessageBuilder};
