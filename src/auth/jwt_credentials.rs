//! JWT credentials for a client: the merchant, the signing key and the token format.

use std::path::Path;

use crate::auth::jwt::{HmacJwtKey, JwtKey, RsaJwtKey};
use crate::auth::{SharedSecret, check_header_token};
use crate::error::{Error, InvalidInput};
use crate::keys::Pkcs12Identity;

/// JWT credentials (`Authorization: Bearer`): RS256 with the certificate and key of the
/// merchant's PKCS#12 file, or HS256 with a REST shared secret key.
#[derive(Clone, Debug)]
pub struct JwtCredentials {
    pub(crate) merchant_id: String,
    pub(crate) portfolio_id: Option<String>,
    pub(crate) key: JwtKey,
    pub(crate) legacy: bool,
}

impl JwtCredentials {
    /// RS256 with the entry of `identity` (the PKCS#12 file from the Business Center) whose
    /// certificate CN equals `merchant_id`, compared case-insensitively.
    ///
    /// # Errors
    ///
    /// [`Error::Key`] naming the CNs found when no entry matches; [`Error::Jwt`] when the
    /// certificate has no `serialNumber` or its key is unusable; [`Error::InvalidInput`] for
    /// an invalid merchant id.
    pub fn rs256(merchant_id: impl Into<String>, identity: &Pkcs12Identity) -> Result<Self, Error> {
        let merchant_id = merchant_id.into();
        check_header_token("merchant id", &merchant_id)?;
        let key = rsa_key(identity, &merchant_id)?;
        Ok(Self {
            merchant_id,
            portfolio_id: None,
            key,
            legacy: false,
        })
    }

    /// RS256 with a key and certificate loaded separately, such as an encrypted PEM key
    /// ([`crate::RsaSigningKey`]) and the certificate's DER, paired by
    /// [`RsaJwtKey::from_signing_key`].
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an invalid merchant id.
    pub fn rs256_with_key(merchant_id: impl Into<String>, key: RsaJwtKey) -> Result<Self, Error> {
        let merchant_id = merchant_id.into();
        check_header_token("merchant id", &merchant_id)?;
        Ok(Self {
            merchant_id,
            portfolio_id: None,
            key: key.into(),
            legacy: false,
        })
    }

    /// RS256 from a PKCS#12 file; see [`JwtCredentials::rs256`].
    ///
    /// # Errors
    ///
    /// [`Error::Key`] naming the file for a missing file, a wrong password or another
    /// format, and the errors of [`JwtCredentials::rs256`].
    pub fn rs256_from_pkcs12_file(
        merchant_id: impl Into<String>,
        path: impl AsRef<Path>,
        password: &str,
    ) -> Result<Self, Error> {
        Self::rs256(merchant_id, &Pkcs12Identity::from_file(path, password)?)
    }

    /// RS256 with a meta key: the token is issued by `portfolio_id` with the certificate
    /// whose CN equals it, on behalf of the transacting `merchant_id`.
    ///
    /// # Errors
    ///
    /// As [`JwtCredentials::rs256`], for the portfolio's certificate.
    pub fn rs256_meta_key(
        merchant_id: impl Into<String>,
        portfolio_id: impl Into<String>,
        identity: &Pkcs12Identity,
    ) -> Result<Self, Error> {
        let merchant_id = merchant_id.into();
        let portfolio_id = portfolio_id.into();
        check_header_token("merchant id", &merchant_id)?;
        check_header_token("portfolio id", &portfolio_id)?;
        let key = rsa_key(identity, &portfolio_id)?;
        Ok(Self {
            merchant_id,
            portfolio_id: Some(portfolio_id),
            key,
            legacy: false,
        })
    }

    /// HS256 with the base64 shared secret of a REST shared secret key; `kid` is the key id.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an invalid merchant id or key id, or a secret that is not
    /// base64.
    pub fn hs256(
        merchant_id: impl Into<String>,
        key_id: impl Into<String>,
        shared_secret: &str,
    ) -> Result<Self, Error> {
        let merchant_id = merchant_id.into();
        let key_id = key_id.into();
        check_header_token("merchant id", &merchant_id)?;
        check_header_token("key id", &key_id)?;
        let key = HmacJwtKey::new(key_id, SharedSecret::from_base64(shared_secret)?)?;
        Ok(Self {
            merchant_id,
            portfolio_id: None,
            key: key.into(),
            legacy: false,
        })
    }

    /// Issues HS256 tokens as the portfolio `portfolio_id` (the `iss` claim) of a meta key.
    /// For RS256, use [`JwtCredentials::rs256_meta_key`], which also picks the portfolio's
    /// certificate.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an invalid portfolio id, or for RS256 credentials, whose
    /// certificate is the merchant's rather than the portfolio's.
    pub fn with_portfolio_id(mut self, portfolio_id: impl Into<String>) -> Result<Self, Error> {
        if matches!(self.key, JwtKey::Rsa(_)) {
            return Err(InvalidInput::InvalidCredential {
                name: "portfolio id",
                reason: "RS256 meta keys need the portfolio's certificate; build them with \
                         JwtCredentials::rs256_meta_key",
            }
            .into());
        }
        let portfolio_id = portfolio_id.into();
        check_header_token("portfolio id", &portfolio_id)?;
        self.portfolio_id = Some(portfolio_id);
        Ok(self)
    }

    /// Switches to the legacy token format (header `v-c-merchant-id` and `x5c`, `iat` as an
    /// HTTP date), for accounts that have not moved to the current one. RS256 only.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for HS256 credentials, which the legacy format does not have.
    pub fn legacy(mut self) -> Result<Self, Error> {
        if !matches!(self.key, JwtKey::Rsa(_)) {
            return Err(InvalidInput::InvalidCredential {
                name: "JWT format",
                reason: "the legacy format exists for RS256 only",
            }
            .into());
        }
        self.legacy = true;
        Ok(self)
    }

    /// Returns the transacting merchant id.
    pub fn merchant_id(&self) -> &str {
        &self.merchant_id
    }
}

fn rsa_key(identity: &Pkcs12Identity, common_name: &str) -> Result<JwtKey, Error> {
    let entry = identity.select(common_name)?;
    let key = RsaJwtKey::from_der(entry.private_key_pkcs8_der(), entry.certificate_der())?;
    Ok(key.into())
}
