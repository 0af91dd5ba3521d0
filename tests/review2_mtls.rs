//! Temporary review tests: which client certificate is presented in the TLS handshake.

use std::sync::{Arc, Mutex};

use cybersource_tms::tls::ClientCertificate;
use cybersource_tms::{Client, Environment};
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, IsCa, Issuer, KeyPair, SanType,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::client::danger::HandshakeSignatureValid;
use tokio_rustls::rustls::crypto::{self, CryptoProvider};
use tokio_rustls::rustls::pki_types::{
    CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, UnixTime,
};
use tokio_rustls::rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use tokio_rustls::rustls::{
    DigitallySignedStruct, DistinguishedName as Dn, Error, ServerConfig, SignatureScheme,
};

type Seen = Arc<Mutex<Vec<(Vec<u8>, usize)>>>;

#[derive(Debug)]
struct Recorder {
    seen: Seen,
    provider: Arc<CryptoProvider>,
}

impl ClientCertVerifier for Recorder {
    fn root_hint_subjects(&self) -> &[Dn] {
        &[]
    }
    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> Result<ClientCertVerified, Error> {
        self.seen
            .lock()
            .unwrap()
            .push((end_entity.to_vec(), intermediates.len()));
        Ok(ClientCertVerified::assertion())
    }
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }
    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

struct Pki {
    ca_pem: String,
    server_chain: Vec<CertificateDer<'static>>,
    server_key: PrivateKeyDer<'static>,
    client_cert_pem: String,
    client_key_pem: String,
    other_key_pem: String,
}

fn pki() -> Pki {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.distinguished_name = DistinguishedName::new();
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "test CA");
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca_params, ca_key);
    let server_key = KeyPair::generate().unwrap();
    let mut server_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    server_params.subject_alt_names = vec![SanType::IpAddress([127, 0, 0, 1].into())];
    let server = server_params.signed_by(&server_key, &issuer).unwrap();
    let client_key = KeyPair::generate().unwrap();
    let mut client_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    client_params
        .distinguished_name
        .push(DnType::CommonName, "demo_merchant_01");
    let client = client_params.signed_by(&client_key, &issuer).unwrap();
    Pki {
        ca_pem: ca.pem(),
        server_chain: vec![server.der().clone()],
        server_key: PrivatePkcs8KeyDer::from(server_key.serialize_der()).into(),
        client_cert_pem: client.pem(),
        client_key_pem: client_key.serialize_pem(),
        other_key_pem: KeyPair::generate().unwrap().serialize_pem(),
    }
}

async fn server(pki: &Pki) -> (String, Seen) {
    let provider = Arc::new(crypto::aws_lc_rs::default_provider());
    let seen: Seen = Arc::default();
    let config = ServerConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_client_cert_verifier(Arc::new(Recorder {
            seen: seen.clone(),
            provider,
        }))
        .with_single_cert(pki.server_chain.clone(), pki.server_key.clone_key())
        .unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut stream) = acceptor.accept(stream).await else {
                    return;
                };
                let mut request = Vec::new();
                let mut buffer = [0u8; 4096];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buffer[..n]),
                    }
                }
                let _ = stream
                    .write_all(
                        b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
                    )
                    .await;
                let _ = stream.shutdown().await;
            });
        }
    });
    (format!("https://{address}"), seen)
}

fn der_of_pem(pem: &[u8]) -> Vec<u8> {
    pem_rfc7468::decode_vec(pem).unwrap().1
}

async fn present(pki: &Pki, certificate: ClientCertificate) -> Result<(Vec<u8>, usize), String> {
    let (base, seen) = server(pki).await;
    let client = Client::builder()
        .environment(Environment::BaseUrl(base))
        .http_signature(
            "demo_merchant_01",
            "00000000-1111-4222-8333-444444444444",
            "dGVzdC1vbmx5LXNoYXJlZC1zZWNyZXQtMzItYnl0ZXMhIQ==",
        )
        .root_certificate_pem(pki.ca_pem.as_bytes())
        .client_certificate(certificate)
        .build()
        .map_err(|e| format!("build: {e}"))?;
    let result = client
        .payment_credentials("7030000000012345678")
        .send()
        .await;
    let seen = seen.lock().unwrap().clone();
    seen.last()
        .cloned()
        .ok_or_else(|| format!("no certificate presented: {result:?}"))
}

#[tokio::test]
async fn review2_presented_certificates() {
    let pki = pki();
    let keys = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/keys");

    let pem = ClientCertificate::from_pem(
        pki.client_cert_pem.as_bytes(),
        pki.client_key_pem.as_bytes(),
    )
    .unwrap();
    let (cert, intermediates) = present(&pki, pem).await.unwrap();
    assert_eq!(cert, der_of_pem(pki.client_cert_pem.as_bytes()));
    eprintln!("PEM: presented the given certificate, {intermediates} intermediates");

    let p12 = ClientCertificate::from_pkcs12_file(
        format!("{keys}/key-a.p12"),
        "test-pass",
        Some("DEMO_MERCHANT_01"),
    )
    .unwrap();
    let (cert, _) = present(&pki, p12).await.unwrap();
    assert_eq!(
        cert,
        der_of_pem(&std::fs::read(format!("{keys}/key-a.cert.pem")).unwrap())
    );
    eprintln!("PKCS#12: presented key-a.cert.pem");

    let legacy =
        ClientCertificate::from_pkcs12_file(format!("{keys}/key-a.legacy.p12"), "test-pass", None)
            .unwrap();
    let (cert, _) = present(&pki, legacy).await.unwrap();
    assert_eq!(
        cert,
        der_of_pem(&std::fs::read(format!("{keys}/key-a.cert.pem")).unwrap())
    );

    let wrong_name = ClientCertificate::from_pkcs12_file(
        format!("{keys}/key-a.p12"),
        "test-pass",
        Some("someone_else"),
    );
    eprintln!(
        "PKCS#12 wrong name: {:?}",
        wrong_name.err().map(|e| e.to_string())
    );

    let mismatch =
        ClientCertificate::from_pem(pki.client_cert_pem.as_bytes(), pki.other_key_pem.as_bytes());
    match mismatch {
        Err(e) => eprintln!("mismatch rejected at load: {e}"),
        Ok(certificate) => eprintln!(
            "mismatch accepted at load; present: {:?}",
            present(&pki, certificate).await.map(|_| "presented")
        ),
    }

    // The same combined file for both arguments, as the docs allow.
    let combined = format!("{}{}", pki.client_key_pem, pki.client_cert_pem);
    let same = ClientCertificate::from_pem(combined.as_bytes(), combined.as_bytes()).unwrap();
    eprintln!(
        "same combined file twice: {:?}",
        present(&pki, same)
            .await
            .map(|(_, n)| format!("{n} intermediates"))
    );

    // A certificate file that also holds an older key, with the right key given separately.
    let stale = format!("{}{}", pki.client_cert_pem, pki.other_key_pem);
    let stale_cert =
        ClientCertificate::from_pem(stale.as_bytes(), pki.client_key_pem.as_bytes()).unwrap();
    eprintln!(
        "cert file with stale key, right key file: {:?}",
        present(&pki, stale_cert).await.map(|_| "presented")
    );

    // A key file with a public key block after the private key.
    let key_with_public = format!(
        "{}-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n",
        pki.client_key_pem
    );
    let with_public =
        ClientCertificate::from_pem(pki.client_cert_pem.as_bytes(), key_with_public.as_bytes());
    match with_public {
        Err(e) => eprintln!("key file with public key rejected at load: {e}"),
        Ok(certificate) => eprintln!(
            "key file with public key accepted at load; present: {:?}",
            present(&pki, certificate).await.map(|_| "presented")
        ),
    }
}
