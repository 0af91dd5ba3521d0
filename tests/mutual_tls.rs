//! Mutual TLS against a local TLS server on 127.0.0.1 that requires a client certificate
//! signed by its test CA, as CyberSource's `api-ma` hosts do.

use std::sync::Arc;

use cybersource_tms::tls::ClientCertificate;
use cybersource_tms::{Client, Environment, Error};
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, IsCa, Issuer, KeyPair, SanType,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::rustls::server::WebPkiClientVerifier;
use tokio_rustls::rustls::{RootCertStore, ServerConfig, crypto};

const SECRET: &str = "dGVzdC1vbmx5LXNoYXJlZC1zZWNyZXQtMzItYnl0ZXMhIQ==";

/// A test CA with a server certificate for 127.0.0.1 and a client certificate.
struct TestPki {
    ca_pem: String,
    server_chain: Vec<CertificateDer<'static>>,
    server_key: PrivateKeyDer<'static>,
    ca_der: CertificateDer<'static>,
    client_certificate_pem: String,
    client_key_pem: String,
}

fn test_pki() -> TestPki {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.distinguished_name = DistinguishedName::new();
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "test CA");
    let ca_certificate = ca_params.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca_params, ca_key);

    let server_key = KeyPair::generate().unwrap();
    let mut server_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    server_params.subject_alt_names = vec![SanType::IpAddress([127, 0, 0, 1].into())];
    let server_certificate = server_params.signed_by(&server_key, &issuer).unwrap();

    let client_key = KeyPair::generate().unwrap();
    let mut client_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    client_params.distinguished_name = DistinguishedName::new();
    client_params
        .distinguished_name
        .push(DnType::CommonName, "demo_merchant_01");
    let client_certificate = client_params.signed_by(&client_key, &issuer).unwrap();

    TestPki {
        ca_pem: ca_certificate.pem(),
        ca_der: ca_certificate.der().clone(),
        server_chain: vec![server_certificate.der().clone()],
        server_key: PrivatePkcs8KeyDer::from(server_key.serialize_der()).into(),
        client_certificate_pem: client_certificate.pem(),
        client_key_pem: client_key.serialize_pem(),
    }
}

/// Starts a TLS server that requires a client certificate from the test CA and responds to
/// every request with 404 and a TMS error body. Returns its base URL.
async fn start_server(pki: &TestPki) -> String {
    let provider = Arc::new(crypto::aws_lc_rs::default_provider());
    let mut roots = RootCertStore::empty();
    roots.add(pki.ca_der.clone()).unwrap();
    let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .build()
        .unwrap();
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_client_cert_verifier(verifier)
        .with_single_cert(pki.server_chain.clone(), pki.server_key.clone_key())
        .unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();

    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                // A handshake without a valid client certificate fails here.
                let Ok(mut stream) = acceptor.accept(stream).await else {
                    return;
                };
                let mut request = Vec::new();
                let mut buffer = [0u8; 4096];
                while !request.windows(4).any(|window| window == b"\r\n\r\n") {
                    match stream.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(read) => request.extend_from_slice(&buffer[..read]),
                    }
                }
                let body = r#"{"errors":[{"type":"notFound","message":"Token not found"}]}"#;
                let response = format!(
                    "HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = stream.write_all(response.as_bytes()).await;
                let _ = stream.shutdown().await;
            });
        }
    });
    format!("https://{address}")
}

fn client_builder(base_url: String, pki: &TestPki) -> cybersource_tms::ClientBuilder {
    Client::builder()
        .environment(Environment::BaseUrl(base_url))
        .http_signature(
            "demo_merchant_01",
            "00000000-1111-4222-8333-444444444444",
            SECRET,
        )
        .root_certificate_pem(pki.ca_pem.as_bytes())
}

#[tokio::test]
async fn client_certificate_completes_handshake() {
    let pki = test_pki();
    let base_url = start_server(&pki).await;
    let certificate = ClientCertificate::from_pem(
        pki.client_certificate_pem.as_bytes(),
        pki.client_key_pem.as_bytes(),
    )
    .unwrap();
    let client = client_builder(base_url, &pki)
        .client_certificate(certificate)
        .build()
        .unwrap();

    let error = client
        .payment_credentials("7030000000012345678")
        .send()
        .await
        .unwrap_err();

    // The server responded over the mutually authenticated connection.
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404), "{error:?}");
}

#[tokio::test]
async fn missing_client_certificate_fails_handshake() {
    let pki = test_pki();
    let base_url = start_server(&pki).await;
    let client = client_builder(base_url, &pki).build().unwrap();

    let error = client
        .payment_credentials("7030000000012345678")
        .send()
        .await
        .unwrap_err();

    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
}

#[tokio::test]
async fn pkcs12_client_certificate_loads() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/keys/key-a.p12");

    let certificate = ClientCertificate::from_pkcs12_file(path, "test-pass", None).unwrap();

    let client = Client::builder()
        .environment(Environment::MutualTlsTest)
        .http_signature(
            "demo_merchant_01",
            "00000000-1111-4222-8333-444444444444",
            SECRET,
        )
        .client_certificate(certificate.clone())
        .build();
    assert!(client.is_ok(), "{client:?}");
    assert!(
        !format!("{certificate:?}").contains("PRIVATE"),
        "{certificate:?}"
    );
}

#[test]
fn client_certificate_rejects_missing_parts() {
    let pki = test_pki();

    let no_certificate =
        ClientCertificate::from_pem(pki.client_key_pem.as_bytes(), pki.client_key_pem.as_bytes());
    let no_key = ClientCertificate::from_pem(
        pki.client_certificate_pem.as_bytes(),
        pki.client_certificate_pem.as_bytes(),
    );

    assert!(
        no_certificate
            .unwrap_err()
            .to_string()
            .contains("CERTIFICATE")
    );
    assert!(no_key.unwrap_err().to_string().contains("PRIVATE KEY"));
}

#[test]
fn client_certificate_with_own_http_client_is_rejected() {
    let pki = test_pki();
    let certificate = ClientCertificate::from_pem(
        pki.client_certificate_pem.as_bytes(),
        pki.client_key_pem.as_bytes(),
    )
    .unwrap();

    let error = Client::builder()
        .http_signature(
            "demo_merchant_01",
            "00000000-1111-4222-8333-444444444444",
            SECRET,
        )
        .http_client(reqwest::Client::new())
        .client_certificate(certificate)
        .build()
        .unwrap_err();

    assert!(error.to_string().contains("http_client"), "{error}");
}

#[test]
fn client_certificate_rejects_mismatched_key() {
    let pki = test_pki();
    let other_key = KeyPair::generate().unwrap().serialize_pem();

    let error =
        ClientCertificate::from_pem(pki.client_certificate_pem.as_bytes(), other_key.as_bytes())
            .unwrap_err();

    assert_eq!(error.kind(), cybersource_tms::KeyErrorKind::Invalid);
    assert!(error.to_string().contains("does not belong"), "{error}");
}

#[tokio::test]
async fn key_beside_certificates_is_ignored() {
    let pki = test_pki();
    let base_url = start_server(&pki).await;
    let stale_key = KeyPair::generate().unwrap().serialize_pem();
    let chain_with_stale_key = format!("{}{stale_key}", pki.client_certificate_pem);
    let certificate = ClientCertificate::from_pem(
        chain_with_stale_key.as_bytes(),
        pki.client_key_pem.as_bytes(),
    )
    .unwrap();
    let client = client_builder(base_url, &pki)
        .client_certificate(certificate)
        .build()
        .unwrap();

    let error = client
        .payment_credentials("7030000000012345678")
        .send()
        .await
        .unwrap_err();

    assert_eq!(error.status().map(|s| s.as_u16()), Some(404), "{error:?}");
}

#[test]
fn encrypted_key_files_load() {
    let keys = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/keys");
    let certificate = format!("{keys}/key-a.cert.pem");

    for key in ["key-a.pkcs8-encrypted.pem", "key-a.pkcs1-encrypted.pem"] {
        let loaded = ClientCertificate::from_encrypted_pem_files(
            &certificate,
            format!("{keys}/{key}"),
            "test-pass",
        );
        assert!(loaded.is_ok(), "{key}: {loaded:?}");
    }
    let wrong = ClientCertificate::from_encrypted_pem_files(
        &certificate,
        format!("{keys}/key-a.pkcs8-encrypted.pem"),
        "wrong",
    )
    .unwrap_err();
    assert_eq!(wrong.kind(), cybersource_tms::KeyErrorKind::WrongPassword);
    assert!(
        wrong.to_string().contains("key-a.pkcs8-encrypted.pem"),
        "{wrong}"
    );
}
