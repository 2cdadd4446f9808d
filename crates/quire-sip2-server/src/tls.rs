//! SIP2 over TLS (rustls with the ring provider): the certificate and key
//! are read from PEM files at start-up, with an error that names the file
//! and says what is wrong with it; each accepted connection does its TLS
//! handshake (bounded in time) and then runs the same session as plain TCP.

use std::path::Path;
use std::sync::Arc;

use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::pki_types::pem::{self, PemObject};
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::rustls::{self, ServerConfig};

/// Why the TLS settings cannot be used. The message names the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsError(pub String);

impl std::fmt::Display for TlsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TlsError {}

fn read(what: &str, path: &Path) -> Result<Vec<u8>, TlsError> {
    std::fs::read(path).map_err(|e| {
        TlsError(format!(
            "cannot read the SIP2 TLS {what} file {}: {e}",
            path.display()
        ))
    })
}

fn pem_problem(what: &str, path: &Path, e: &pem::Error) -> TlsError {
    TlsError(format!(
        "the SIP2 TLS {what} file {} is not valid PEM: {e}",
        path.display()
    ))
}

/// The certificate chain (leaf first) in a PEM file.
pub fn read_certificates(path: &Path) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    let bytes = read("certificate", path)?;
    let certs = CertificateDer::pem_slice_iter(&bytes)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| pem_problem("certificate", path, &e))?;
    if certs.is_empty() {
        return Err(TlsError(format!(
            "the SIP2 TLS certificate file {} holds no certificate (expected a \
             \"-----BEGIN CERTIFICATE-----\" block)",
            path.display()
        )));
    }
    Ok(certs)
}

/// The private key (PKCS#8, PKCS#1 or SEC1) in a PEM file.
pub fn read_private_key(path: &Path) -> Result<PrivateKeyDer<'static>, TlsError> {
    let bytes = read("key", path)?;
    PrivateKeyDer::from_pem_slice(&bytes).map_err(|e| match e {
        pem::Error::NoItemsFound => TlsError(format!(
            "the SIP2 TLS key file {} holds no private key (expected a \
             \"-----BEGIN PRIVATE KEY-----\" block)",
            path.display()
        )),
        other => pem_problem("key", path, &other),
    })
}

/// A TLS server configuration from PEM files; checks that the key belongs
/// to the certificate.
pub fn server_config(cert: &Path, key: &Path) -> Result<Arc<ServerConfig>, TlsError> {
    let certs = read_certificates(cert)?;
    let private = read_private_key(key)?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| TlsError(format!("TLS set-up failed: {e}")))?
        .with_no_client_auth()
        .with_single_cert(certs, private)
        .map_err(|e| {
            TlsError(format!(
                "the SIP2 TLS key {} does not fit the certificate {}: {e}",
                key.display(),
                cert.display()
            ))
        })?;
    Ok(Arc::new(config))
}

/// An acceptor from PEM files.
pub fn acceptor(cert: &Path, key: &Path) -> Result<TlsAcceptor, TlsError> {
    Ok(TlsAcceptor::from(server_config(cert, key)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, body: &str) -> std::path::PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, body).unwrap();
        p
    }

    fn tmp(name: &str) -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("quire-sip2-tls-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn a_missing_file_is_named() {
        let d = tmp("missing");
        let e = server_config(&d.join("nope.pem"), &d.join("key.pem")).unwrap_err();
        assert!(
            e.0.contains("certificate file") && e.0.contains("nope.pem"),
            "{e}"
        );
    }

    #[test]
    fn files_without_pem_blocks_are_explained() {
        let d = tmp("empty");
        let cert = write(&d, "cert.pem", "not a certificate\n");
        let key = write(&d, "key.pem", "not a key\n");
        let e = read_certificates(&cert).unwrap_err();
        assert!(e.0.contains("holds no certificate"), "{e}");
        let e = read_private_key(&key).unwrap_err();
        assert!(e.0.contains("holds no private key"), "{e}");
        let broken = write(
            &d,
            "broken.pem",
            "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n",
        );
        let e = read_certificates(&broken).unwrap_err();
        assert!(e.0.contains("not valid PEM"), "{e}");
    }
}
