//! The client and its builder, and the call builder for the payment-credentials operations.

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderValue;

use crate::auth::{
    Authentication, Clock, HttpSignatureCredentials, JwtCredentials, SystemClock,
    check_header_token,
};
use crate::config::Environment;
use crate::error::{Error, InvalidInput};
use crate::exchange;
use crate::generated::Client as GeneratedClient;
use crate::hooks::{ClientSettings, ClientState};
use crate::request::{
    AuthenticatedIdentity, BillTo, DeviceInformation, MerchantInformation, OrderInformation,
    PaymentCredentialType, PaymentCredentialsRequest, ProfileId, TokenId, TransactionType,
};
use crate::response::{ApiVersion, CredentialsResponse, classify};
use crate::tls::ClientCertificate;

/// Default time to establish a connection, TLS included.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time for a whole call, from sending the request to the end of the response body.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default limit on a response body. A JWE with payment credentials is about 2 KiB.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 256 * 1024;
/// Default `User-Agent`: the SDK's name and version.
pub const DEFAULT_USER_AGENT: &str = concat!("cybersource-tms-rust/", env!("CARGO_PKG_VERSION"));

/// A client for the payment-credentials operations.
///
/// Cheap to clone (an `Arc`), `Send` and `Sync`; clones share one connection pool. Build it
/// once with [`Client::builder`] and reuse it.
#[derive(Clone, Debug)]
pub struct Client {
    generated: Arc<GeneratedClient>,
}

impl Client {
    /// Starts a [`ClientBuilder`].
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// Starts a v2 call, `POST /tms/v2/tokens/{tokenId}/payment-credentials`, for the token
    /// `token_id`. The id is checked when the call is sent.
    pub fn payment_credentials(&self, token_id: impl Into<String>) -> PaymentCredentialsCall<'_> {
        PaymentCredentialsCall::new(self, ApiVersion::V2, token_id.into())
    }

    /// Starts a v3 call, `POST /tms/v3/tokens/{tokenId}/payment-credentials`. v3 can also
    /// return the card number when the token has no network token.
    pub fn payment_credentials_v3(
        &self,
        token_id: impl Into<String>,
    ) -> PaymentCredentialsCall<'_> {
        PaymentCredentialsCall::new(self, ApiVersion::V3, token_id.into())
    }

    fn settings(&self) -> &ClientSettings {
        use progenitor_client::ClientInfo as _;
        self.generated.inner().settings()
    }
}

/// Builds a [`Client`]. Every setting has a default except the credentials.
#[derive(Debug)]
pub struct ClientBuilder {
    environment: Environment,
    authentication: Option<Result<Authentication, InvalidInput>>,
    connect_timeout: Duration,
    timeout: Option<Duration>,
    user_agent: String,
    max_response_bytes: usize,
    clock: Arc<dyn Clock>,
    http_client: Option<reqwest::Client>,
    client_certificate: Option<ClientCertificate>,
    root_certificates: Vec<Vec<u8>>,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            environment: Environment::default(),
            authentication: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: None,
            user_agent: DEFAULT_USER_AGENT.to_string(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            clock: Arc::new(SystemClock),
            http_client: None,
            client_certificate: None,
            root_certificates: Vec::new(),
        }
    }
}

impl ClientBuilder {
    /// Sets where requests go. Default: [`Environment::Test`].
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = environment;
        self
    }

    /// Sets HTTP Signature credentials: the merchant id, and the key id and base64 shared
    /// secret of a REST shared secret key. The secret is decoded by [`ClientBuilder::build`],
    /// which fails without echoing it when it is not base64. Required.
    pub fn http_signature(
        mut self,
        merchant_id: impl Into<String>,
        key_id: impl Into<String>,
        shared_secret: &str,
    ) -> Self {
        self.authentication = Some(
            HttpSignatureCredentials::new(merchant_id, key_id, shared_secret)
                .map(Authentication::HttpSignature),
        );
        self
    }

    /// Sets HTTP Signature credentials built beforehand, such as a meta key's. Replaces any
    /// credentials set before.
    pub fn credentials(mut self, credentials: HttpSignatureCredentials) -> Self {
        self.authentication = Some(Ok(Authentication::HttpSignature(credentials)));
        self
    }

    /// Authenticates with JWT (`Authorization: Bearer`) instead of HTTP Signature. Replaces
    /// any credentials set before.
    pub fn jwt(mut self, credentials: JwtCredentials) -> Self {
        self.authentication = Some(Ok(Authentication::Jwt(credentials)));
        self
    }

    /// Sets the time to establish a connection. Default: [`DEFAULT_CONNECT_TIMEOUT`] (10 s).
    /// Ignored with [`ClientBuilder::http_client`], whose own setting applies.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sets the time for a whole call. Default: [`DEFAULT_TIMEOUT`] (30 s). With
    /// [`ClientBuilder::http_client`] it applies per request too, in place of the reqwest
    /// client's own timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sets the `User-Agent` header. Default: [`DEFAULT_USER_AGENT`].
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Sets the largest response body read, in bytes; a larger one fails with
    /// [`Error::ResponseTooLarge`]. Default: [`DEFAULT_MAX_RESPONSE_BYTES`] (256 KiB).
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Sets the clock that dates and signs requests. Default: the system clock.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Uses an existing reqwest client (with its connection pool, proxy and TLS settings)
    /// instead of building one. Its connect timeout applies; see [`ClientBuilder::timeout`]
    /// for the total timeout. It must have a TLS feature enabled for `https://` hosts.
    ///
    /// The client this builder makes follows no redirects and sends no `Referer`, so that a
    /// signed request is never re-sent elsewhere. Build yours with
    /// `.redirect(reqwest::redirect::Policy::none())` and `.referer(false)` for the same.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Presents `certificate` in the TLS handshake, as the mutual-TLS hosts
    /// ([`Environment::MutualTlsTest`], [`Environment::MutualTlsProduction`]) require. Not
    /// combinable with [`ClientBuilder::http_client`]: give your own client the identity.
    pub fn client_certificate(mut self, certificate: ClientCertificate) -> Self {
        self.client_certificate = Some(certificate);
        self
    }

    /// Trusts the CA certificates in `pem` in addition to the system's roots, for a proxy or a
    /// test server with a private CA. Not combinable with [`ClientBuilder::http_client`].
    pub fn root_certificate_pem(mut self, pem: &[u8]) -> Self {
        self.root_certificates.push(pem.to_vec());
        self
    }

    /// Checks the settings and builds the client. Nothing is sent.
    ///
    /// Credentials are required: [`ClientBuilder::http_signature`],
    /// [`ClientBuilder::credentials`] or [`ClientBuilder::jwt`].
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for missing or invalid credentials, an invalid base URL, or a
    /// user agent that is not a valid header value.
    pub fn build(self) -> Result<Client, Error> {
        let authentication = self
            .authentication
            .ok_or(InvalidInput::MissingCredentials)??;
        let base_url = self.environment.base_url()?;
        let user_agent =
            HeaderValue::from_str(&self.user_agent).map_err(|_| InvalidInput::HttpClient {
                reason: "the user agent is not a valid header value".to_string(),
            })?;

        let timeout = self.timeout.unwrap_or(DEFAULT_TIMEOUT);
        let (http_client, request_timeout) = match self.http_client {
            Some(_) if self.client_certificate.is_some() || !self.root_certificates.is_empty() => {
                return Err(InvalidInput::HttpClient {
                    reason: "client_certificate and root_certificate_pem cannot be combined \
                             with http_client; configure them on your reqwest client"
                        .to_string(),
                }
                .into());
            }
            // The SDK bounds every call, so a caller's client without a timeout cannot hang.
            Some(client) => (client, Some(timeout)),
            None => {
                let mut builder = reqwest::Client::builder();
                if let Some(certificate) = &self.client_certificate {
                    builder = builder.identity(certificate.to_identity().map_err(|error| {
                        InvalidInput::HttpClient {
                            reason: format!(
                                "the TLS client certificate was rejected: {}",
                                crate::error::error_chain(&error)
                            ),
                        }
                    })?);
                }
                for pem in &self.root_certificates {
                    for certificate in
                        reqwest::Certificate::from_pem_bundle(pem).map_err(|error| {
                            InvalidInput::HttpClient {
                                reason: format!("a root certificate is not valid PEM: {error}"),
                            }
                        })?
                    {
                        builder = builder.add_root_certificate(certificate);
                    }
                }
                let client = builder
                    // reqwest 0.13 retries HTTP/2 refused streams by default. A POST here
                    // mints credentials, so the client sends each request exactly once.
                    .retry(reqwest::retry::never())
                    // A redirect would re-send the signed request and its body to another
                    // host, possibly over plain http.
                    .redirect(reqwest::redirect::Policy::none())
                    .referer(false)
                    .connect_timeout(self.connect_timeout)
                    .timeout(timeout)
                    .build()
                    .map_err(|error| InvalidInput::HttpClient {
                        reason: crate::error::error_chain(&error),
                    })?;
                (client, None)
            }
        };

        let state = ClientState::new(ClientSettings {
            authentication,
            clock: self.clock,
            user_agent,
            max_response_bytes: self.max_response_bytes,
            timeout,
            request_timeout,
        });
        Ok(Client {
            generated: Arc::new(GeneratedClient::new_with_client(
                &base_url,
                http_client,
                state,
            )),
        })
    }
}

/// One call of a payment-credentials operation, with a setter for every request field.
/// Nothing is sent until [`PaymentCredentialsCall::send`].
#[derive(Debug, Clone)]
#[must_use = "a call does nothing until send() is awaited"]
pub struct PaymentCredentialsCall<'a> {
    client: &'a Client,
    version: ApiVersion,
    token_id: String,
    profile_id: Option<String>,
    merchant_id: Option<String>,
    body: PaymentCredentialsRequest,
}

impl<'a> PaymentCredentialsCall<'a> {
    fn new(client: &'a Client, version: ApiVersion, token_id: String) -> Self {
        Self {
            client,
            version,
            token_id,
            profile_id: None,
            merchant_id: None,
            body: PaymentCredentialsRequest::default(),
        }
    }

    /// Sets the `profile-id` header (a TMS profile id). Not sent unless set.
    pub fn profile_id(mut self, profile_id: impl Into<String>) -> Self {
        self.profile_id = Some(profile_id.into());
        self
    }

    /// Sets the transacting merchant id of this call, in place of the credentials' merchant
    /// id. With a meta key, one client serves every merchant of the portfolio this way;
    /// without one, another merchant id fails with [`InvalidInput::MerchantWithoutMetaKey`].
    pub fn merchant_id(mut self, merchant_id: impl Into<String>) -> Self {
        self.merchant_id = Some(merchant_id.into());
        self
    }

    /// Replaces the whole request body.
    pub fn body(mut self, body: PaymentCredentialsRequest) -> Self {
        self.body = body;
        self
    }

    /// Sets `paymentCredentialType`.
    pub fn payment_credential_type(mut self, value: PaymentCredentialType) -> Self {
        self.body.payment_credential_type = Some(value);
        self
    }

    /// Sets `transactionType`.
    pub fn transaction_type(mut self, value: TransactionType) -> Self {
        self.body.transaction_type = Some(value);
        self
    }

    /// Sets `clientCorrelationId`.
    pub fn client_correlation_id(mut self, value: impl Into<String>) -> Self {
        self.body.client_correlation_id = Some(value.into());
        self
    }

    /// Sets `orderInformation`.
    pub fn order_information(mut self, value: OrderInformation) -> Self {
        self.body.order_information = Some(value);
        self
    }

    /// Sets `orderInformation.amountDetails`: the total as a decimal string and the ISO 4217
    /// currency code.
    pub fn amount(mut self, total_amount: impl Into<String>, currency: impl Into<String>) -> Self {
        let order = self
            .body
            .order_information
            .get_or_insert_with(Default::default);
        order.amount_details = Some(crate::request::AmountDetails {
            total_amount: Some(total_amount.into()),
            currency: Some(currency.into()),
        });
        self
    }

    /// Sets `orderInformation.billTo`.
    pub fn bill_to(mut self, value: BillTo) -> Self {
        let order = self
            .body
            .order_information
            .get_or_insert_with(Default::default);
        order.bill_to = Some(value);
        self
    }

    /// Sets `merchantInformation`.
    pub fn merchant_information(mut self, value: MerchantInformation) -> Self {
        self.body.merchant_information = Some(value);
        self
    }

    /// Sets `deviceInformation`.
    pub fn device_information(mut self, value: DeviceInformation) -> Self {
        self.body.device_information = Some(value);
        self
    }

    /// Adds one entry to `authenticatedIdentities`.
    pub fn authenticated_identity(mut self, value: AuthenticatedIdentity) -> Self {
        self.body.authenticated_identities.push(value);
        self
    }

    /// Returns the request body built so far.
    pub fn request_body(&self) -> &PaymentCredentialsRequest {
        &self.body
    }

    /// Checks the input, signs and sends the request, and reads the response. A POST is never
    /// retried: each call mints new credentials.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] before any I/O for an invalid token, profile or merchant id;
    /// [`Error::Timeout`] and [`Error::Transport`] when no complete response arrived;
    /// [`Error::Api`] for a documented error status; [`Error::UnexpectedResponse`] and
    /// [`Error::ResponseTooLarge`] for other answers; [`Error::Jwe`] when a 201 body is not a
    /// compact JWE.
    pub async fn send(self) -> Result<CredentialsResponse, Error> {
        let token_id = TokenId::new(self.token_id)?;
        let profile_id = self.profile_id.map(ProfileId::new).transpose()?;
        if let Some(merchant_id) = &self.merchant_id {
            check_header_token("merchant id", merchant_id)?;
            let authentication = &self.client.settings().authentication;
            if merchant_id != authentication.merchant_id() && !authentication.is_meta_key() {
                return Err(InvalidInput::MerchantWithoutMetaKey.into());
            }
        }
        let generated = &self.client.generated;

        let (result, exchange) = exchange::capture(self.merchant_id, async {
            match self.version {
                ApiVersion::V2 => {
                    let mut call = generated
                        .post_token_payment_credentials()
                        .token_id(token_id.as_str())
                        .body(self.body);
                    if let Some(profile_id) = &profile_id {
                        call = call.profile_id(profile_id.as_str());
                    }
                    call.send().await.map(drop)
                }
                ApiVersion::V3 => {
                    let mut call = generated
                        .post_token_payment_credentials_v3()
                        .token_id(token_id.as_str())
                        .body(self.body);
                    if let Some(profile_id) = &profile_id {
                        call = call.profile_id(profile_id.as_str());
                    }
                    call.send().await.map(drop)
                }
            }
        })
        .await;

        classify(self.version, result, exchange, self.client.settings())
    }
}
