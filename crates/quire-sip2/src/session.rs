//! Per-connection protocol state machine (pure: no I/O, no clock).
//!
//! Feed it each decoded [`Frame`]; it answers protocol-level matters itself
//! (bad checksum, resend, login required) and hands real requests to the
//! application, which answers with a [`Response`] that the session formats.

use std::fmt;

use crate::charset::Charset;
use crate::checksum::{ChecksumStatus, find_trailer, verify};
use crate::datetime::SipDateTime;
use crate::error::ParseError;
use crate::frame::{Frame, FrameError};
use crate::request::Request;
use crate::response::Response;
use crate::wire::{DEFAULT_MAX_REPLY_LEN, FormatOptions};

/// What to do with the AZ checksum of incoming messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ChecksumPolicy {
    /// Never check (error detection off for this account).
    Ignore,
    /// Check when present; a bad or malformed checksum gets a 96.
    #[default]
    VerifyIfPresent,
    /// Every message must carry a valid checksum; anything else gets a 96.
    Require,
}

/// Per-account protocol settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionConfig {
    /// A successful 93 Login is required before other requests.
    pub login_required: bool,
    /// With `login_required`, still hand 99 SC Status to the application
    /// before login (many SCs send 99 first).
    pub status_before_login: bool,
    /// Checksum handling.
    pub checksum: ChecksumPolicy,
    /// Charset used to format replies.
    pub charset: Charset,
    /// Maximum reply size in bytes, CR included.
    pub max_reply_len: usize,
    /// Answer a malformed or overlong message with 96 (request SC resend).
    /// When false such messages are ignored.
    pub resend_on_malformed: bool,
    /// After this many 96 replies in a row the session asks to close the
    /// connection (a client that keeps sending garbage).
    pub max_consecutive_resends: u32,
    /// AF screen message of the refusal sent when login is required.
    pub login_required_message: String,
}

impl Default for SessionConfig {
    fn default() -> Self {
        SessionConfig {
            login_required: true,
            status_before_login: true,
            checksum: ChecksumPolicy::VerifyIfPresent,
            charset: Charset::Utf8,
            max_reply_len: DEFAULT_MAX_REPLY_LEN,
            resend_on_malformed: true,
            max_consecutive_resends: 5,
            login_required_message: "Login required".to_string(),
        }
    }
}

/// Why a frame produced no reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IgnoreReason {
    /// Empty message.
    Empty,
    /// Unknown identifier, or a message that travels the other way (the
    /// parse error says which).
    Unsupported(ParseError),
    /// Malformed and `resend_on_malformed` is off.
    Malformed(ParseError),
    /// Overlong and `resend_on_malformed` is off.
    TooLong(FrameError),
}

/// Why the session wants the connection closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CloseReason {
    /// Too many consecutive unreadable messages.
    TooManyResends(u32),
}

impl fmt::Display for CloseReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CloseReason::TooManyResends(n) => {
                write!(f, "{n} consecutive unreadable messages")
            }
        }
    }
}

/// Why the session answered a frame by itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReplyReason {
    /// 96: checksum bad, malformed or missing (when required).
    BadChecksum(ChecksumStatus),
    /// 96: the message could not be parsed.
    Malformed(ParseError),
    /// 96: the message was too long.
    TooLong(FrameError),
    /// The last reply again, for a 97 (or a 96 if there was none).
    Resend,
    /// A refusal because login is required first.
    LoginRequired,
}

/// What the connection handler must do after feeding a frame.
// One Action per message, consumed at once: boxing the request buys nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Send these bytes (CR included).
    Reply {
        /// The encoded message.
        bytes: Vec<u8>,
        /// Why the session answered by itself.
        reason: ReplyReason,
    },
    /// Answer this request, then call [`Session::respond`].
    Handle(Request),
    /// Send nothing.
    Ignore(IgnoreReason),
    /// Send nothing and close the connection.
    Close(CloseReason),
}

/// The logged-in SIP account of a connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginInfo {
    /// CN login user id.
    pub user_id: String,
    /// CP location code, if sent.
    pub location_code: Option<String>,
}

#[derive(Debug, Clone)]
struct Pending {
    error_detection: Option<Option<u8>>,
    login: Option<LoginInfo>,
}

/// Per-connection SIP2 state: login, error-detection mode, last reply.
#[derive(Debug, Clone)]
pub struct Session {
    config: SessionConfig,
    login: Option<LoginInfo>,
    error_detection_seen: bool,
    last_reply: Option<Vec<u8>>,
    pending: Option<Pending>,
    consecutive_resends: u32,
}

impl Session {
    /// A new, not logged-in session.
    pub fn new(config: SessionConfig) -> Session {
        Session {
            config,
            login: None,
            error_detection_seen: false,
            last_reply: None,
            pending: None,
            consecutive_resends: 0,
        }
    }

    /// The current settings.
    pub fn config(&self) -> &SessionConfig {
        &self.config
    }

    /// Changes settings (e.g. once the login identified an account).
    pub fn config_mut(&mut self) -> &mut SessionConfig {
        &mut self.config
    }

    /// The logged-in account, if any.
    pub fn login(&self) -> Option<&LoginInfo> {
        self.login.as_ref()
    }

    /// Forgets the login (e.g. the account was disabled).
    pub fn logout(&mut self) {
        self.login = None;
    }

    /// True once any message carried AY/AZ.
    pub fn error_detection(&self) -> bool {
        self.error_detection_seen
    }

    /// The last reply sent (what a 97 gets again).
    pub fn last_reply(&self) -> Option<&[u8]> {
        self.last_reply.as_deref()
    }

    fn options(&self, error_detection: Option<Option<u8>>) -> FormatOptions {
        let error_detection = match error_detection {
            Some(ed) => Some(ed),
            None if self.config.checksum == ChecksumPolicy::Require => Some(None),
            None => None,
        };
        FormatOptions {
            charset: self.config.charset,
            max_len: self.config.max_reply_len,
            error_detection,
        }
    }

    fn resend(&mut self, reason: ReplyReason) -> Action {
        self.consecutive_resends += 1;
        if self.consecutive_resends > self.config.max_consecutive_resends {
            return Action::Close(CloseReason::TooManyResends(self.consecutive_resends));
        }
        let ed = if self.error_detection_seen {
            Some(None)
        } else {
            None
        };
        let bytes = Response::RequestScResend.format(&self.options(ed));
        Action::Reply { bytes, reason }
    }

    /// Reports a framing error (overlong message).
    pub fn feed_error(&mut self, error: FrameError) -> Action {
        if self.config.resend_on_malformed {
            self.resend(ReplyReason::TooLong(error))
        } else {
            Action::Ignore(IgnoreReason::TooLong(error))
        }
    }

    /// Feeds one received message. `now` is the transaction date used in
    /// replies the session builds itself.
    ///
    /// Order of checks: checksum (per policy) → parse → 97 resend → login
    /// gate → hand to the application.
    pub fn feed(&mut self, frame: &Frame, now: &SipDateTime) -> Action {
        let trailer = find_trailer(&frame.text);
        if trailer.error_detection() {
            self.error_detection_seen = true;
        }
        if self.config.checksum != ChecksumPolicy::Ignore {
            let status = verify(&frame.raw, &frame.text);
            let bad = match status {
                ChecksumStatus::Valid => false,
                ChecksumStatus::Absent => self.config.checksum == ChecksumPolicy::Require,
                ChecksumStatus::Invalid { .. } | ChecksumStatus::Malformed => true,
            };
            if bad {
                return self.resend(ReplyReason::BadChecksum(status));
            }
        }
        let request = match Request::parse(&frame.text) {
            Ok(r) => r,
            Err(ParseError::Empty) => return Action::Ignore(IgnoreReason::Empty),
            Err(e) if e.is_unsupported() => return Action::Ignore(IgnoreReason::Unsupported(e)),
            Err(e) => {
                return if self.config.resend_on_malformed {
                    self.resend(ReplyReason::Malformed(e))
                } else {
                    Action::Ignore(IgnoreReason::Malformed(e))
                };
            }
        };
        self.consecutive_resends = 0;
        let error_detection = if trailer.error_detection() {
            Some(trailer.sequence)
        } else {
            None
        };

        if request == Request::RequestAcsResend {
            return match &self.last_reply {
                Some(last) => Action::Reply {
                    bytes: last.clone(),
                    reason: ReplyReason::Resend,
                },
                None => {
                    let bytes = Response::RequestScResend.format(&self.options(
                        if self.error_detection_seen {
                            Some(None)
                        } else {
                            None
                        },
                    ));
                    Action::Reply {
                        bytes,
                        reason: ReplyReason::Resend,
                    }
                }
            };
        }

        let allowed = !self.config.login_required
            || self.login.is_some()
            || matches!(request, Request::Login(_))
            || (self.config.status_before_login && matches!(request, Request::ScStatus(_)));
        if !allowed
            && let Some(refusal) =
                Response::refusal(&request, &self.config.login_required_message, now)
        {
            let bytes = refusal.format(&self.options(error_detection));
            self.last_reply = Some(bytes.clone());
            return Action::Reply {
                bytes,
                reason: ReplyReason::LoginRequired,
            };
        }

        let login = match &request {
            Request::Login(l) => Some(LoginInfo {
                user_id: l.user_id.clone(),
                location_code: l.location_code.clone(),
            }),
            _ => None,
        };
        self.pending = Some(Pending {
            error_detection,
            login,
        });
        Action::Handle(request)
    }

    /// Formats the application's answer to the request last handed out by
    /// [`Session::feed`]: echoes its AY sequence number and appends AZ when
    /// it carried error detection, keeps the bytes for a later 97, and
    /// records a successful 94 login.
    pub fn respond(&mut self, response: &Response) -> Vec<u8> {
        let pending = self.pending.take();
        let error_detection = pending.as_ref().and_then(|p| p.error_detection);
        if let (
            Some(Pending {
                login: Some(info), ..
            }),
            Response::Login(r),
        ) = (&pending, response)
        {
            self.login = if r.ok { Some(info.clone()) } else { None };
        }
        let bytes = response.format(&self.options(error_detection));
        self.last_reply = Some(bytes.clone());
        bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::response::LoginResponse;

    fn frame(s: &str) -> Frame {
        Frame::from_bytes(s.as_bytes().to_vec(), Charset::Utf8)
    }

    fn now() -> SipDateTime {
        SipDateTime::from_raw("20260115    101530").unwrap()
    }

    fn reply_text(a: &Action) -> String {
        match a {
            Action::Reply { bytes, .. } => String::from_utf8_lossy(bytes).into_owned(),
            other => panic!("expected a reply, got {other:?}"),
        }
    }

    #[test]
    fn login_then_requests_with_sequence_echo() {
        let mut s = Session::new(SessionConfig::default());
        let a = s.feed(&frame("9300CNsc01|COsecret|CPMAIN|AY0AZF5C3"), &now());
        assert!(matches!(a, Action::Handle(Request::Login(_))));
        let out = s.respond(&Response::Login(LoginResponse {
            ok: true,
            ..Default::default()
        }));
        assert_eq!(out, b"941AY0AZFDFD\r".to_vec());
        assert_eq!(s.login().map(|l| l.user_id.as_str()), Some("sc01"));
        let a = s.feed(&frame("9900302.00AY1AZFCA5"), &now());
        assert!(matches!(a, Action::Handle(Request::ScStatus(_))));
    }

    #[test]
    fn failed_login_stays_logged_out() {
        let mut s = Session::new(SessionConfig::default());
        let _ = s.feed(&frame("9300CNsc01|COwrong|"), &now());
        let out = s.respond(&Response::Login(LoginResponse::default()));
        assert_eq!(out, b"940\r".to_vec());
        assert!(s.login().is_none());
    }

    #[test]
    fn bad_checksum_gets_96() {
        let mut s = Session::new(SessionConfig::default());
        let a = s.feed(&frame("9900401.00AY1AZAAAA"), &now());
        assert_eq!(reply_text(&a), "96AZFEF6\r");
        assert!(matches!(
            a,
            Action::Reply {
                reason: ReplyReason::BadChecksum(ChecksumStatus::Invalid {
                    expected: 0xFCA5,
                    found: 0xAAAA
                }),
                ..
            }
        ));
    }

    #[test]
    fn checksum_policy_ignore_and_require() {
        let mut s = Session::new(SessionConfig {
            checksum: ChecksumPolicy::Ignore,
            ..SessionConfig::default()
        });
        assert!(matches!(
            s.feed(&frame("9900401.00AY1AZAAAA"), &now()),
            Action::Handle(_)
        ));
        let mut s = Session::new(SessionConfig {
            checksum: ChecksumPolicy::Require,
            ..SessionConfig::default()
        });
        let a = s.feed(&frame("9900302.00"), &now());
        assert_eq!(reply_text(&a), "96AZFEF6\r");
    }

    #[test]
    fn resend_97_repeats_last_reply() {
        let mut s = Session::new(SessionConfig::default());
        let a = s.feed(&frame("97AZFEF5"), &now());
        // Nothing sent yet: ask the SC to resend instead.
        assert_eq!(reply_text(&a), "96AZFEF6\r");
        let _ = s.feed(&frame("9300CNa|COb|"), &now());
        let first = s.respond(&Response::Login(LoginResponse {
            ok: true,
            ..Default::default()
        }));
        let a = s.feed(&frame("97"), &now());
        assert_eq!(
            a,
            Action::Reply {
                bytes: first,
                reason: ReplyReason::Resend
            }
        );
    }

    #[test]
    fn login_required_gate() {
        let mut s = Session::new(SessionConfig::default());
        let a = s.feed(&frame("1720060110    215612AOUWOLS|AB1565921879|"), &now());
        assert_eq!(
            reply_text(&a),
            "18010001".to_string() + "20260115    101530AB1565921879|AJ|AFLogin required|\r"
        );
        // 99 before login is allowed by default...
        assert!(matches!(
            s.feed(&frame("9900302.00"), &now()),
            Action::Handle(_)
        ));
        // ...but not when configured otherwise.
        s.config_mut().status_before_login = false;
        let a = s.feed(&frame("9900302.00AY4AZFCA2"), &now());
        assert!(reply_text(&a).starts_with("98NNNNNN000999"));
        assert!(reply_text(&a).contains("|AY4AZ"));
        // Without the login requirement everything is handed over.
        let mut s = Session::new(SessionConfig {
            login_required: false,
            ..SessionConfig::default()
        });
        assert!(matches!(
            s.feed(&frame("1720060110    215612AOUWOLS|AB1565921879|"), &now()),
            Action::Handle(Request::ItemInformation(_))
        ));
    }

    #[test]
    fn unknown_and_malformed() {
        let mut s = Session::new(SessionConfig {
            login_required: false,
            ..SessionConfig::default()
        });
        assert!(matches!(
            s.feed(&frame("XXgarbage"), &now()),
            Action::Ignore(IgnoreReason::Unsupported(ParseError::UnknownCommand { .. }))
        ));
        assert!(matches!(
            s.feed(&frame("98YYYYNN"), &now()),
            Action::Ignore(IgnoreReason::Unsupported(ParseError::WrongDirection { .. }))
        ));
        let a = s.feed(&frame("990231.23"), &now());
        assert_eq!(reply_text(&a), "96\r");
        assert!(matches!(
            a,
            Action::Reply {
                reason: ReplyReason::Malformed(_),
                ..
            }
        ));
        s.config_mut().resend_on_malformed = false;
        assert!(matches!(
            s.feed(&frame("990231.23"), &now()),
            Action::Ignore(IgnoreReason::Malformed(_))
        ));
    }

    #[test]
    fn too_many_resends_closes() {
        let mut s = Session::new(SessionConfig {
            max_consecutive_resends: 2,
            ..SessionConfig::default()
        });
        assert!(matches!(
            s.feed(&frame("99x"), &now()),
            Action::Reply { .. }
        ));
        assert!(matches!(
            s.feed_error(FrameError::TooLong {
                len: 9000,
                max: 4096
            }),
            Action::Reply { .. }
        ));
        assert_eq!(
            s.feed(&frame("99x"), &now()),
            Action::Close(CloseReason::TooManyResends(3))
        );
        // A good message resets the counter.
        let mut s = Session::new(SessionConfig {
            max_consecutive_resends: 1,
            ..SessionConfig::default()
        });
        assert!(matches!(
            s.feed(&frame("99x"), &now()),
            Action::Reply { .. }
        ));
        assert!(matches!(
            s.feed(&frame("9900302.00"), &now()),
            Action::Handle(_)
        ));
        assert!(matches!(
            s.feed(&frame("99x"), &now()),
            Action::Reply { .. }
        ));
    }

    #[test]
    fn replies_use_account_charset() {
        let mut s = Session::new(SessionConfig {
            login_required: false,
            charset: Charset::Latin1,
            ..SessionConfig::default()
        });
        let _ = s.feed(&frame("9300CNa|COb|"), &now());
        let out = s.respond(&Response::Login(LoginResponse {
            ok: true,
            common: crate::response::Common::screen("Café"),
        }));
        assert_eq!(out, b"941AFCaf\xE9|\r".to_vec());
    }
}
