//! The SC side, for tests, SC emulators and bench tools: formats requests
//! with a cycling `AY` sequence number and checks the responses.

use crate::charset::Charset;
use crate::checksum::{ChecksumStatus, find_trailer, verify};
use crate::error::ParseError;
use crate::frame::Frame;
use crate::request::Request;
use crate::response::Response;
use crate::wire::FormatOptions;

/// What can be wrong with a response, seen from the SC.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientError {
    /// The checksum is wrong, malformed or (with error detection on) missing.
    Checksum(ChecksumStatus),
    /// The response echoes another sequence number.
    Sequence {
        /// The number sent.
        sent: u8,
        /// The number received (`None` if absent).
        received: Option<u8>,
    },
    /// The response does not parse.
    Parse(ParseError),
}

/// A minimal SC: numbers requests 0-9 cyclically when error detection is on.
#[derive(Debug, Clone)]
pub struct ScClient {
    charset: Charset,
    error_detection: bool,
    next_seq: u8,
    last_seq: Option<u8>,
}

impl ScClient {
    /// A client that sends with `charset`, with or without `AY`/`AZ`.
    pub fn new(charset: Charset, error_detection: bool) -> ScClient {
        ScClient {
            charset,
            error_detection,
            next_seq: 0,
            last_seq: None,
        }
    }

    /// Formats `request` (CR included), using the next sequence number.
    pub fn request(&mut self, request: &Request) -> Vec<u8> {
        let mut opts = FormatOptions::default().with_charset(self.charset);
        if self.error_detection {
            opts = opts.with_sequence(self.next_seq);
            self.last_seq = Some(self.next_seq);
            self.next_seq = (self.next_seq + 1) % 10;
        } else {
            self.last_seq = None;
        }
        request.format(&opts)
    }

    /// Checks and parses a received response frame.
    pub fn response(&self, frame: &Frame) -> Result<Response, ClientError> {
        let status = verify(&frame.raw, &frame.text);
        match status {
            ChecksumStatus::Valid => {}
            ChecksumStatus::Absent if !self.error_detection => {}
            other => return Err(ClientError::Checksum(other)),
        }
        if let Some(sent) = self.last_seq {
            let received = find_trailer(&frame.text).sequence;
            // 96 carries no sequence number.
            if received != Some(sent) && !frame.text.starts_with("96") {
                return Err(ClientError::Sequence { sent, received });
            }
        }
        Response::parse(&frame.text).map_err(ClientError::Parse)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::ScStatusCode;
    use crate::request::ScStatusRequest;
    use crate::response::LoginResponse;
    use crate::session::{Action, Session, SessionConfig};
    use crate::{FrameDecoder, SipDateTime};

    #[test]
    fn client_and_session_talk() {
        let mut client = ScClient::new(Charset::Utf8, true);
        let mut session = Session::new(SessionConfig {
            login_required: false,
            ..SessionConfig::default()
        });
        let mut to_server = FrameDecoder::default();
        let mut to_client = FrameDecoder::default();
        let status = Request::ScStatus(ScStatusRequest {
            status: ScStatusCode::Ok,
            max_print_width: 40,
            protocol_version: "2.00".into(),
            extensions: vec![],
        });
        for round in 0..12u8 {
            to_server.feed(&client.request(&status));
            let frame = to_server.next_frame().unwrap().unwrap();
            assert_eq!(
                find_trailer(&frame.text).sequence,
                Some(round % 10),
                "{}",
                frame.text
            );
            let Action::Handle(_) = session.feed(&frame, &SipDateTime::blank()) else {
                panic!()
            };
            // Any response will do for the round trip.
            to_client.feed(&session.respond(&Response::Login(LoginResponse::default())));
            let reply = to_client.next_frame().unwrap().unwrap();
            assert!(matches!(client.response(&reply), Ok(Response::Login(_))));
        }
    }

    #[test]
    fn client_rejects_bad_replies() {
        let mut client = ScClient::new(Charset::Utf8, true);
        let _ = client.request(&Request::RequestAcsResend);
        let f = |s: &str| Frame::from_bytes(s.as_bytes().to_vec(), Charset::Utf8);
        assert_eq!(
            client.response(&f("940")),
            Err(ClientError::Checksum(ChecksumStatus::Absent))
        );
        assert_eq!(
            client.response(&f("941AY5AZFDF8")),
            Err(ClientError::Sequence {
                sent: 0,
                received: Some(5)
            })
        );
        assert!(client.response(&f("941AY0AZFDFD")).is_ok());
        assert!(client.response(&f("96AZFEF6")).is_ok());
    }
}
