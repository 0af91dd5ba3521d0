//! The sandbox server: configuration, start-up and shutdown.

use std::fmt;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use aws_lc_rs::rand::{SecureRandom, SystemRandom};
use axum::Router;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::SandboxError;
use crate::handler::{AppState, handle};
use crate::jwe::{self, ResponseEncrypter};
use crate::jwt::{JwtCertificate, JwtVerifier};
use crate::record::{RecordedRequest, RequestLog};
use crate::signature::Verifier;
use crate::token::{Token, TokenStore};

/// A source of the current time, used to check the `Date` header and bearer token times.
pub type Clock = Arc<dyn Fn() -> SystemTime + Send + Sync>;

/// The merchant id used when none is configured.
pub const DEFAULT_MERCHANT_ID: &str = "sandbox_merchant";

/// The allowed difference between a request's `Date` header and the sandbox clock when
/// none is configured: 5 minutes in either direction.
pub const DEFAULT_DATE_TOLERANCE: Duration = Duration::from_secs(5 * 60);

/// Configures and starts a [`Sandbox`].
#[must_use = "a builder does nothing until `start` is awaited"]
pub struct SandboxBuilder {
    merchant_id: String,
    portfolio_id: Option<String>,
    key_id: Option<String>,
    shared_secret: Option<String>,
    encryption_key: Option<Vec<u8>>,
    jwt_certificate: Option<Vec<u8>>,
    date_tolerance: Duration,
    clock: Option<Clock>,
    bind_addr: SocketAddr,
    tokens: Vec<Token>,
}

impl Default for SandboxBuilder {
    fn default() -> Self {
        Self {
            merchant_id: DEFAULT_MERCHANT_ID.to_owned(),
            portfolio_id: None,
            key_id: None,
            shared_secret: None,
            encryption_key: None,
            jwt_certificate: None,
            date_tolerance: DEFAULT_DATE_TOLERANCE,
            clock: None,
            bind_addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            tokens: Vec::new(),
        }
    }
}

impl fmt::Debug for SandboxBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SandboxBuilder")
            .field("merchant_id", &self.merchant_id)
            .field("portfolio_id", &self.portfolio_id)
            .field("key_id", &self.key_id)
            .field("jwt_certificate", &self.jwt_certificate.is_some())
            .field("date_tolerance", &self.date_tolerance)
            .field("bind_addr", &self.bind_addr)
            .field("tokens", &self.tokens.len())
            .finish_non_exhaustive()
    }
}

impl SandboxBuilder {
    /// Sets the merchant id that requests must send in `v-c-merchant-id`.
    ///
    /// Default: [`DEFAULT_MERCHANT_ID`] (`sandbox_merchant`).
    pub fn merchant_id(mut self, merchant_id: impl Into<String>) -> Self {
        self.merchant_id = merchant_id.into();
        self
    }

    /// Sets the portfolio id of a meta key. Requests must then carry the portfolio id on
    /// the signing string's `v-c-merchant-id` line, while the header still carries the
    /// merchant id.
    ///
    /// Default: none, so the signing string carries the merchant id.
    pub fn portfolio_id(mut self, portfolio_id: impl Into<String>) -> Self {
        self.portfolio_id = Some(portfolio_id.into());
        self
    }

    /// Sets the key id that requests must send as `keyid` in the `Signature` header.
    ///
    /// Default: a random UUID chosen at start, available from [`Sandbox::key_id`].
    pub fn key_id(mut self, key_id: impl Into<String>) -> Self {
        self.key_id = Some(key_id.into());
        self
    }

    /// Sets the shared secret as base64 text, as the Business Center shows it. Requests
    /// are signed with the decoded bytes. [`start`](Self::start) fails with
    /// [`SandboxError::InvalidSharedSecret`] when it is not standard base64.
    ///
    /// Default: 32 random bytes, available from [`Sandbox::shared_secret`].
    pub fn shared_secret(mut self, shared_secret: impl Into<String>) -> Self {
        self.shared_secret = Some(shared_secret.into());
        self
    }

    /// Sets the RSA public key that responses are encrypted to, as SubjectPublicKeyInfo
    /// PEM (`BEGIN PUBLIC KEY`) or DER. [`start`](Self::start) fails with
    /// [`SandboxError::InvalidEncryptionKey`] when the key cannot be used.
    ///
    /// Default: a 2048-bit key pair generated at start, whose private key is available
    /// from [`Sandbox::decryption_key_pem`].
    pub fn encryption_key(mut self, public_key: impl AsRef<[u8]>) -> Self {
        self.encryption_key = Some(public_key.as_ref().to_vec());
        self
    }

    /// Sets the X.509 certificate, as PEM (`BEGIN CERTIFICATE`) or DER, whose RSA key
    /// verifies RS256 bearer tokens. Tokens must send its subject's `serialNumber`
    /// attribute (OID 2.5.4.5) as `kid`. [`start`](Self::start) fails with
    /// [`SandboxError::InvalidJwtCertificate`] when the certificate has no RSA key or not
    /// exactly one such attribute.
    ///
    /// With a meta key, this is the portfolio's certificate and tokens send the portfolio
    /// id as `iss`, see [`portfolio_id`](Self::portfolio_id).
    ///
    /// Default: none, so RS256 tokens receive `401`. HS256 tokens are always verified with
    /// the shared secret and the key id.
    pub fn jwt_certificate(mut self, pem_or_der: impl AsRef<[u8]>) -> Self {
        self.jwt_certificate = Some(pem_or_der.as_ref().to_vec());
        self
    }

    /// Sets the largest accepted difference, in either direction, between a request's
    /// `Date` header and the sandbox clock. Requests outside it receive `401`. For bearer
    /// tokens it is how far `iat` may be ahead of the clock.
    ///
    /// Default: [`DEFAULT_DATE_TOLERANCE`] (5 minutes).
    pub fn date_tolerance(mut self, tolerance: Duration) -> Self {
        self.date_tolerance = tolerance;
        self
    }

    /// Sets the clock that `Date` headers and bearer token times are checked against, so
    /// that tests can replay requests signed at a fixed time.
    ///
    /// Default: [`SystemTime::now`].
    pub fn clock(mut self, clock: impl Fn() -> SystemTime + Send + Sync + 'static) -> Self {
        self.clock = Some(Arc::new(clock));
        self
    }

    /// Sets the address to listen on.
    ///
    /// Default: `127.0.0.1:0`, a port chosen by the operating system.
    pub fn bind_addr(mut self, addr: SocketAddr) -> Self {
        self.bind_addr = addr;
        self
    }

    /// Adds a token to the store before the server starts. A later token with the same
    /// id replaces an earlier one.
    ///
    /// Default: no tokens.
    pub fn token(mut self, token: Token) -> Self {
        self.tokens.push(token);
        self
    }

    /// Adds several tokens, as [`token`](Self::token) does for one.
    pub fn tokens(mut self, tokens: impl IntoIterator<Item = Token>) -> Self {
        self.tokens.extend(tokens);
        self
    }

    /// Binds the listening socket and starts serving on the current tokio runtime.
    ///
    /// Generating the default RSA key pair runs on tokio's blocking thread pool.
    pub async fn start(self) -> Result<Sandbox, SandboxError> {
        let rng = SystemRandom::new();

        let key_id = match self.key_id {
            Some(key_id) => key_id,
            None => {
                let mut bytes = [0u8; 16];
                rng.fill(&mut bytes)
                    .map_err(|_| SandboxError::KeyGeneration)?;
                format_uuid_v4(&bytes)
            }
        };
        let shared_secret = match self.shared_secret {
            Some(secret) => secret,
            None => {
                let mut bytes = [0u8; 32];
                rng.fill(&mut bytes)
                    .map_err(|_| SandboxError::KeyGeneration)?;
                STANDARD.encode(bytes)
            }
        };
        let secret_bytes = STANDARD
            .decode(shared_secret.trim())
            .ok()
            .filter(|bytes| !bytes.is_empty())
            .ok_or(SandboxError::InvalidSharedSecret)?;

        let jwt_certificate = self
            .jwt_certificate
            .as_deref()
            .map(JwtCertificate::parse)
            .transpose()?;
        let jwt_certificate_kid = jwt_certificate
            .as_ref()
            .map(|certificate| certificate.serial_number().to_owned());

        let (public_key, decryption_key_pem) = match self.encryption_key {
            Some(input) => (jwe::parse_public_key(&input)?, None),
            None => {
                let pair = tokio::task::spawn_blocking(jwe::generate_key_pair)
                    .await
                    .map_err(|_| SandboxError::KeyGeneration)??;
                (pair.public_key, Some(pair.private_key_pem))
            }
        };
        let encryption_key_id = jwe::public_key_der(&public_key)
            .map(|der| jwe::key_id(&der))
            .ok_or_else(|| {
                SandboxError::InvalidEncryptionKey("the key cannot be encoded".into())
            })?;
        let encrypter = ResponseEncrypter::new(public_key)?;

        let tokens = TokenStore::new();
        for token in self.tokens {
            tokens.insert(token);
        }
        let log = RequestLog::default();
        let state = Arc::new(AppState {
            verifier: Verifier::new(
                self.merchant_id.clone(),
                self.portfolio_id.clone(),
                key_id.clone(),
                &secret_bytes,
                self.date_tolerance,
            ),
            jwt_verifier: JwtVerifier::new(
                self.merchant_id.clone(),
                self.portfolio_id.clone(),
                key_id.clone(),
                &secret_bytes,
                jwt_certificate,
                self.date_tolerance,
            ),
            clock: self.clock.unwrap_or_else(|| Arc::new(SystemTime::now)),
            tokens: tokens.clone(),
            log: log.clone(),
            encrypter,
            rng,
        });

        let listener =
            TcpListener::bind(self.bind_addr)
                .await
                .map_err(|source| SandboxError::Bind {
                    addr: self.bind_addr,
                    source,
                })?;
        let addr = listener.local_addr().map_err(|source| SandboxError::Bind {
            addr: self.bind_addr,
            source,
        })?;

        let app = Router::new().fallback(handle).with_state(state);
        let (shutdown_sender, shutdown_receiver) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    // A dropped sender also ends the server.
                    let _ = shutdown_receiver.await;
                })
                .await
        });
        tracing::info!(%addr, merchant_id = %self.merchant_id, "TMS sandbox listening");

        Ok(Sandbox {
            addr,
            base_url: format!("http://{addr}"),
            merchant_id: self.merchant_id,
            portfolio_id: self.portfolio_id,
            key_id,
            shared_secret,
            jwt_certificate_kid,
            decryption_key_pem,
            encryption_key_id,
            tokens,
            log,
            shutdown_sender: Some(shutdown_sender),
            task: Some(task),
        })
    }
}

/// A running sandbox server.
///
/// The server stops when [`shutdown`](Self::shutdown) is awaited or when the value is
/// dropped. Dropping only signals the stop: requests in flight finish in the background.
pub struct Sandbox {
    addr: SocketAddr,
    base_url: String,
    merchant_id: String,
    portfolio_id: Option<String>,
    key_id: String,
    shared_secret: String,
    jwt_certificate_kid: Option<String>,
    decryption_key_pem: Option<String>,
    encryption_key_id: String,
    tokens: TokenStore,
    log: RequestLog,
    shutdown_sender: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<io::Result<()>>>,
}

impl fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sandbox")
            .field("base_url", &self.base_url)
            .field("merchant_id", &self.merchant_id)
            .field("portfolio_id", &self.portfolio_id)
            .field("key_id", &self.key_id)
            .field("jwt_certificate_kid", &self.jwt_certificate_kid)
            .field("encryption_key_id", &self.encryption_key_id)
            .field("tokens", &self.tokens)
            .finish_non_exhaustive()
    }
}

impl Sandbox {
    /// Returns a builder with the default settings.
    pub fn builder() -> SandboxBuilder {
        SandboxBuilder::default()
    }

    /// Starts a sandbox with the default settings, as `Sandbox::builder().start()` does.
    pub async fn start() -> Result<Self, SandboxError> {
        Self::builder().start().await
    }

    /// Returns the base URL to send requests to, such as `http://127.0.0.1:40123`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Returns the address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Returns the merchant id that requests must send.
    pub fn merchant_id(&self) -> &str {
        &self.merchant_id
    }

    /// Returns the meta key's portfolio id, when one is configured.
    pub fn portfolio_id(&self) -> Option<&str> {
        self.portfolio_id.as_deref()
    }

    /// Returns the key id that requests must send.
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// Returns the shared secret as base64 text.
    pub fn shared_secret(&self) -> &str {
        &self.shared_secret
    }

    /// Returns the `kid` that RS256 bearer tokens must send: the `serialNumber` attribute
    /// of the configured JWT certificate's subject. Returns `None` when no certificate is
    /// configured.
    pub fn jwt_certificate_kid(&self) -> Option<&str> {
        self.jwt_certificate_kid.as_deref()
    }

    /// Returns the PKCS#8 PEM private key that decrypts responses, when the sandbox
    /// generated its key pair. Returns `None` when an encryption key was configured.
    pub fn decryption_key_pem(&self) -> Option<&str> {
        self.decryption_key_pem.as_deref()
    }

    /// Returns the `kid` of the response JWEs: 40 hex characters, the first 20 bytes of
    /// the SHA-256 of the public key's SubjectPublicKeyInfo DER.
    pub fn encryption_key_id(&self) -> &str {
        &self.encryption_key_id
    }

    /// Returns a handle to the token store, which stays usable while the server runs.
    pub fn tokens(&self) -> &TokenStore {
        &self.tokens
    }

    /// Returns a copy of the requests received so far, oldest first. At most
    /// [`MAX_RECORDED_REQUESTS`](crate::MAX_RECORDED_REQUESTS) are kept.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.log.snapshot()
    }

    /// Forgets the recorded requests.
    pub fn clear_requests(&self) {
        self.log.clear();
    }

    /// Stops accepting connections, waits for requests in flight to finish, and returns
    /// the server's error, if it failed.
    pub async fn shutdown(mut self) -> Result<(), SandboxError> {
        if let Some(sender) = self.shutdown_sender.take() {
            let _ = sender.send(());
        }
        let Some(task) = self.task.take() else {
            return Ok(());
        };
        let result = match task.await {
            Ok(result) => result.map_err(SandboxError::Server),
            Err(error) => Err(SandboxError::Server(io::Error::other(error))),
        };
        tracing::info!(addr = %self.addr, "TMS sandbox stopped");
        result
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(sender) = self.shutdown_sender.take() {
            let _ = sender.send(());
        }
    }
}

/// Formats 16 random bytes as a version 4 UUID.
pub(crate) fn format_uuid_v4(random: &[u8]) -> String {
    let mut bytes = [0u8; 16];
    for (target, source) in bytes.iter_mut().zip(random) {
        *target = *source;
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex = crate::token::hex(&bytes);
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_has_version_and_variant() {
        let uuid = format_uuid_v4(&[0xff; 16]);
        assert_eq!(uuid, "ffffffff-ffff-4fff-bfff-ffffffffffff");
        let uuid = format_uuid_v4(&[0; 16]);
        assert_eq!(uuid, "00000000-0000-4000-8000-000000000000");
    }
}
