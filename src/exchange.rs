//! The record of one HTTP exchange: status, headers of interest and the body, read once under
//! the size limit.
//!
//! progenitor's generated `send()` drops the HTTP status when an error body does not decode
//! (an HTML page from a proxy, an empty body), and reads error bodies with no size limit. The
//! `exec` hook therefore reads every body itself, records the exchange in a task-local slot
//! set up by the facade's call, and hands progenitor a rebuilt response. The facade then
//! decides from the record, so the status is never lost.

use std::cell::RefCell;

use bytes::{Bytes, BytesMut};
use reqwest::StatusCode;

/// The response header with CyberSource's request id, for support cases.
pub(crate) const CORRELATION_ID: &str = "v-c-correlation-id";
/// The response header with the transaction id.
pub(crate) const UNIQUE_TRANSACTION_ID: &str = "uniqueTransactionID";

/// The status, headers of interest and body of one response.
#[derive(Debug, Clone)]
pub(crate) struct Exchange {
    pub status: StatusCode,
    pub content_type: Option<String>,
    pub correlation_id: Option<String>,
    pub unique_transaction_id: Option<String>,
    pub body: Bytes,
    /// The body was over the limit; `body` holds only what was read before stopping.
    pub too_large: bool,
}

/// The per-call data shared with the hooks: the merchant id in, the exchange out.
#[derive(Default)]
struct CallSlot {
    /// The transacting merchant id set on the call, which the `pre` hook signs for.
    merchant_id: Option<String>,
    /// The exchange recorded by the `exec` hook.
    exchange: Option<Exchange>,
}

tokio::task_local! {
    static CURRENT: RefCell<CallSlot>;
}

/// Runs `call` with `merchant_id` available to [`call_merchant_id`], and returns its output
/// with the exchange that `read_and_record` recorded during it, if a response arrived.
pub(crate) async fn capture<F: Future>(
    merchant_id: Option<String>,
    call: F,
) -> (F::Output, Option<Exchange>) {
    let slot = CallSlot {
        merchant_id,
        exchange: None,
    };
    CURRENT
        .scope(RefCell::new(slot), async {
            let output = call.await;
            let exchange = CURRENT.with(|slot| slot.borrow_mut().exchange.take());
            (output, exchange)
        })
        .await
}

/// Returns the merchant id set on the current call, if any.
pub(crate) fn call_merchant_id() -> Option<String> {
    CURRENT
        .try_with(|slot| slot.borrow().merchant_id.clone())
        .ok()
        .flatten()
}

/// Reads the body of `response` once, stopping after `limit` bytes, records the exchange for
/// [`capture`], and returns an equivalent response that serves the body from memory.
pub(crate) async fn read_and_record(
    mut response: reqwest::Response,
    limit: usize,
) -> reqwest::Result<reqwest::Response> {
    let status = response.status();
    let headers = response.headers().clone();
    let version = response.version();

    let mut body = BytesMut::new();
    let mut too_large = false;
    while let Some(chunk) = response.chunk().await? {
        if body.len() + chunk.len() > limit {
            too_large = true;
            break;
        }
        body.extend_from_slice(&chunk);
    }
    let body = body.freeze();

    let header_text = |name: &str| {
        headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .map(str::to_string)
    };
    let exchange = Exchange {
        status,
        content_type: header_text(reqwest::header::CONTENT_TYPE.as_str()),
        correlation_id: header_text(CORRELATION_ID),
        unique_transaction_id: header_text(UNIQUE_TRANSACTION_ID),
        body: body.clone(),
        too_large,
    };
    // Outside `capture` (a caller of the generated client directly) there is no slot, and the
    // rebuilt response alone is returned.
    let _ = CURRENT.try_with(|slot| slot.borrow_mut().exchange = Some(exchange));

    let mut rebuilt = http::Response::new(body);
    *rebuilt.status_mut() = status;
    *rebuilt.headers_mut() = headers;
    *rebuilt.version_mut() = version;
    Ok(reqwest::Response::from(rebuilt))
}
