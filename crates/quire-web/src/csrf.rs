//! CSRF tokens: an HMAC of the session token (or, before login, of a random
//! per-browser cookie) under a per-installation key. Forms carry it in a
//! hidden `_csrf` field; htmx and scripts send it as `X-CSRF-Token`.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

pub fn token(key: &[u8; 32], binding: &str) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable_mac());
    mac.update(b"quire-csrf\0");
    mac.update(binding.as_bytes());
    URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

// HMAC accepts keys of any length; this is never reached.
fn unreachable_mac() -> Hmac<Sha256> {
    <Hmac<Sha256> as Mac>::new_from_slice(&[0u8; 32]).unwrap_or_else(|_| std::process::abort())
}

pub fn verify(key: &[u8; 32], binding: &str, presented: &str) -> bool {
    let expected = token(key, binding);
    expected.as_bytes().ct_eq(presented.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    #[test]
    fn tokens_bind_to_key_and_session() {
        let k1 = [1u8; 32];
        let k2 = [2u8; 32];
        let t = super::token(&k1, "sess:abc");
        assert!(super::verify(&k1, "sess:abc", &t));
        assert!(!super::verify(&k1, "sess:abd", &t));
        assert!(!super::verify(&k2, "sess:abc", &t));
        assert!(!super::verify(&k1, "sess:abc", ""));
    }
}
