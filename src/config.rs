//! Request destinations: CyberSource's named environments, or a base URL.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use reqwest::Url;

use crate::error::InvalidInput;

/// A CyberSource host, or any other base URL (a partner's white-label host, a proxy, or the
/// local sandbox).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Environment {
    /// `apitest.cybersource.com`, the default.
    #[default]
    Test,
    /// `api.cybersource.com`.
    Production,
    /// `api.in.cybersource.com`.
    ProductionIndia,
    /// `apitest.sa.cybersource.com`.
    TestSaudiArabia,
    /// `api.sa.cybersource.com`.
    ProductionSaudiArabia,
    /// `api-matest.cybersource.com`, which requires a TLS client certificate.
    MutualTlsTest,
    /// `api-ma.cybersource.com`, which requires a TLS client certificate.
    MutualTlsProduction,
    /// `apitest.visaacceptance.com`.
    VisaAcceptanceTest,
    /// `api.visaacceptance.com`.
    VisaAcceptanceProduction,
    /// Any `https://` base URL, or an `http://` URL on a loopback address (the sandbox). A
    /// path is kept as a prefix of the API paths.
    BaseUrl(String),
}

/// Every named environment with its name and host.
const NAMED: [(Environment, &str, &str); 9] = [
    (Environment::Test, "test", "apitest.cybersource.com"),
    (Environment::Production, "production", "api.cybersource.com"),
    (
        Environment::ProductionIndia,
        "production-india",
        "api.in.cybersource.com",
    ),
    (
        Environment::TestSaudiArabia,
        "test-saudi-arabia",
        "apitest.sa.cybersource.com",
    ),
    (
        Environment::ProductionSaudiArabia,
        "production-saudi-arabia",
        "api.sa.cybersource.com",
    ),
    (
        Environment::MutualTlsTest,
        "mtls-test",
        "api-matest.cybersource.com",
    ),
    (
        Environment::MutualTlsProduction,
        "mtls-production",
        "api-ma.cybersource.com",
    ),
    (
        Environment::VisaAcceptanceTest,
        "visa-acceptance-test",
        "apitest.visaacceptance.com",
    ),
    (
        Environment::VisaAcceptanceProduction,
        "visa-acceptance-production",
        "api.visaacceptance.com",
    ),
];

impl Environment {
    /// The names accepted by [`Environment::from_str`], such as `test` and `production`.
    pub const NAMES: [&str; 9] = [
        NAMED[0].1, NAMED[1].1, NAMED[2].1, NAMED[3].1, NAMED[4].1, NAMED[5].1, NAMED[6].1,
        NAMED[7].1, NAMED[8].1,
    ];

    /// Returns the name of a named environment, or `None` for a base URL.
    pub fn name(&self) -> Option<&'static str> {
        NAMED
            .iter()
            .find(|(environment, _, _)| environment == self)
            .map(|(_, name, _)| *name)
    }

    /// Returns the checked base URL of the environment, without a trailing slash.
    ///
    /// # Errors
    ///
    /// [`InvalidInput::InvalidBaseUrl`] for a [`Environment::BaseUrl`] that does not parse,
    /// uses plain `http://` on a host that is not a loopback address, or carries a user name,
    /// password, query or fragment.
    pub fn base_url(&self) -> Result<String, InvalidInput> {
        match self {
            Self::BaseUrl(url) => check_base_url(url),
            named => {
                let host = NAMED
                    .iter()
                    .find(|(environment, _, _)| environment == named)
                    .map_or("apitest.cybersource.com", |(_, _, host)| host);
                Ok(format!("https://{host}"))
            }
        }
    }
}

impl FromStr for Environment {
    type Err = InvalidInput;

    /// Parses an environment name (`test`, `production`, ...) or a base URL (any text with
    /// `://`), which is checked as [`Environment::base_url`] does.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        if text.contains("://") {
            return check_base_url(text).map(Self::BaseUrl);
        }
        NAMED
            .iter()
            .find(|(_, name, _)| name.eq_ignore_ascii_case(text))
            .map(|(environment, _, _)| environment.clone())
            .ok_or_else(|| InvalidInput::UnknownEnvironment {
                name: text.to_string(),
            })
    }
}

impl fmt::Display for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.name(), self) {
            (Some(name), _) => f.write_str(name),
            (None, Self::BaseUrl(url)) => f.write_str(url),
            (None, _) => f.write_str("unknown"),
        }
    }
}

fn check_base_url(text: &str) -> Result<String, InvalidInput> {
    let invalid = |reason: &str| InvalidInput::InvalidBaseUrl {
        reason: reason.to_string(),
    };
    let url = Url::parse(text).map_err(|error| InvalidInput::InvalidBaseUrl {
        reason: format!("it does not parse as a URL ({error})"),
    })?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("it contains a user name or password; remove them"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("it contains a query or fragment; remove them"));
    }
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(invalid(
                "plain http:// is allowed only for loopback addresses such as the sandbox on \
                 127.0.0.1; use https://",
            ));
        }
        _ => {
            return Err(invalid(
                "the scheme must be https:// (or http:// on loopback)",
            ));
        }
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(address)) => IpAddr::V4(address).is_loopback(),
        Some(url::Host::Ipv6(address)) => IpAddr::V6(address).is_loopback(),
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_to_hosts() {
        for name in Environment::NAMES {
            let environment: Environment = name.parse().unwrap();

            assert_eq!(environment.name(), Some(name));
            assert!(environment.base_url().unwrap().starts_with("https://"));
        }
        assert_eq!(
            "production"
                .parse::<Environment>()
                .unwrap()
                .base_url()
                .unwrap(),
            "https://api.cybersource.com"
        );
    }

    #[test]
    fn unknown_name_lists_known_names() {
        let error = "prod".parse::<Environment>().unwrap_err();

        assert!(error.to_string().contains("production-india"), "{error}");
    }

    #[test]
    fn http_allowed_only_on_loopback() {
        for url in [
            "http://127.0.0.1:8080",
            "http://[::1]:1",
            "http://localhost:9",
        ] {
            assert!(url.parse::<Environment>().is_ok(), "{url} was rejected");
        }
        for url in ["http://example.com", "http://10.0.0.1", "ftp://127.0.0.1"] {
            let error = url.parse::<Environment>().unwrap_err();

            assert!(
                matches!(error, InvalidInput::InvalidBaseUrl { .. }),
                "{url}: {error}"
            );
        }
        let upper = "HTTP://127.0.0.1:8080".parse::<Environment>().unwrap();
        assert_eq!(upper.base_url().unwrap(), "http://127.0.0.1:8080");
    }

    #[test]
    fn base_url_rejects_credentials_and_query() {
        for url in [
            "https://user:pw@example.com",
            "https://example.com/?a=1",
            "https://example.com/#x",
        ] {
            let error = url.parse::<Environment>().unwrap_err();

            assert!(!error.to_string().contains("pw"), "{error}");
        }
    }

    #[test]
    fn base_url_keeps_path_prefix() {
        let environment = Environment::BaseUrl("https://proxy.example.com/cybersource/".into());

        assert_eq!(
            environment.base_url().unwrap(),
            "https://proxy.example.com/cybersource"
        );
    }
}
