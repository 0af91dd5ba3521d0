//! Requests recorded by the sandbox for inspection in tests.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};

use axum::http::{HeaderMap, Method, StatusCode};

/// The maximum number of requests kept; the oldest are dropped first.
pub const MAX_RECORDED_REQUESTS: usize = 10_000;

/// A request as the sandbox received it, with the status of its response.
#[derive(Debug, Clone)]
pub struct RecordedRequest {
    /// The request method.
    pub method: Method,
    /// The path and query exactly as on the request line, still percent-encoded.
    pub path_and_query: String,
    /// All request headers.
    pub headers: HeaderMap,
    /// The body bytes, or an empty body when the request was rejected as too large.
    pub body: Vec<u8>,
    /// The status code of the response.
    pub status: StatusCode,
}

impl RecordedRequest {
    /// Returns a header's value when it is present once and is visible ASCII.
    pub fn header(&self, name: &str) -> Option<&str> {
        let mut values = self.headers.get_all(name).iter();
        let value = values.next()?;
        if values.next().is_some() {
            return None;
        }
        value.to_str().ok()
    }

    /// Parses the body as JSON.
    pub fn body_json(&self) -> Result<serde_json::Value, serde_json::Error> {
        serde_json::from_slice(&self.body)
    }
}

/// The shared list of recorded requests.
#[derive(Debug, Clone, Default)]
pub(crate) struct RequestLog {
    requests: Arc<Mutex<VecDeque<RecordedRequest>>>,
}

impl RequestLog {
    pub(crate) fn push(&self, request: RecordedRequest) {
        let mut requests = self.requests.lock().unwrap_or_else(PoisonError::into_inner);
        if requests.len() == MAX_RECORDED_REQUESTS {
            requests.pop_front();
        }
        requests.push_back(request);
    }

    pub(crate) fn snapshot(&self) -> Vec<RecordedRequest> {
        let requests = self.requests.lock().unwrap_or_else(PoisonError::into_inner);
        requests.iter().cloned().collect()
    }

    pub(crate) fn clear(&self) {
        let mut requests = self.requests.lock().unwrap_or_else(PoisonError::into_inner);
        requests.clear();
    }
}
