//! Temporary review tests: per-call merchant ids under concurrency and request binding of
//! JWT claims, against a raw loopback server that records the bytes it receives.

use std::collections::HashSet;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::Poll;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use cybersource_tms::{
    Client, Environment, HttpSignatureCredentials, JwtCredentials, Pkcs12Identity,
};
use serde_json::Value;
use sha2_shim::sha256_b64;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

mod sha2_shim {
    pub fn sha256_b64(data: &[u8]) -> String {
        use base64::Engine as _;
        let d = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, data);
        base64::engine::general_purpose::STANDARD.encode(d.as_ref())
    }
}

#[derive(Debug, Clone)]
struct Raw {
    request_line: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Raw {
    fn header(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }
    fn target(&self) -> &str {
        self.request_line.split(' ').nth(1).unwrap()
    }
}

async fn serve(listener: TcpListener, log: Arc<Mutex<Vec<Raw>>>) {
    loop {
        let Ok((mut socket, _)) = listener.accept().await else {
            return;
        };
        let log = log.clone();
        tokio::spawn(async move {
            let mut buffer = Vec::new();
            loop {
                let mut chunk = [0u8; 8192];
                let header_end = loop {
                    if let Some(pos) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                        break pos;
                    }
                    let n = match socket.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => n,
                    };
                    buffer.extend_from_slice(&chunk[..n]);
                };
                let head = String::from_utf8_lossy(&buffer[..header_end]).into_owned();
                let mut lines = head.split("\r\n");
                let request_line = lines.next().unwrap().to_string();
                let headers: Vec<(String, String)> = lines
                    .map(|l| {
                        let (n, v) = l.split_once(':').unwrap();
                        (n.trim().to_string(), v.trim().to_string())
                    })
                    .collect();
                let length: usize = headers
                    .iter()
                    .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
                    .map(|(_, v)| v.parse().unwrap())
                    .unwrap_or(0);
                while buffer.len() < header_end + 4 + length {
                    let n = match socket.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => n,
                    };
                    buffer.extend_from_slice(&chunk[..n]);
                }
                let body = buffer[header_end + 4..header_end + 4 + length].to_vec();
                buffer.drain(..header_end + 4 + length);
                // Small random delay so that calls interleave.
                tokio::time::sleep(std::time::Duration::from_micros(
                    (body.len() as u64 * 7919) % 3000,
                ))
                .await;
                log.lock().unwrap().push(Raw {
                    request_line,
                    headers,
                    body,
                });
                let response = b"HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}";
                if socket.write_all(response).await.is_err() {
                    return;
                }
            }
        });
    }
}

async fn start(bind: &str) -> (String, Arc<Mutex<Vec<Raw>>>) {
    let listener = TcpListener::bind(bind).await.unwrap();
    let addr = listener.local_addr().unwrap();
    let log = Arc::new(Mutex::new(Vec::new()));
    tokio::spawn(serve(listener, log.clone()));
    (format!("http://{addr}"), log)
}

fn decode_segment(token: &str, index: usize) -> Value {
    let segment = token.split('.').nth(index).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(segment).unwrap()).unwrap()
}

fn key_file(name: &str) -> String {
    format!("{}/tests/vectors/keys/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// Checks that the JWT of each request matches the bytes of that request.
fn check_binding(
    raw: &Raw,
    base_host: &str,
    expected_merchant: Option<&str>,
    problems: &mut Vec<String>,
) -> Value {
    let auth = raw.header("authorization");
    assert_eq!(auth.len(), 1, "{raw:?}");
    let token = auth[0].strip_prefix("Bearer ").unwrap();
    let claims = decode_segment(token, 1);
    let host = raw.header("host");
    let merchant_header = raw.header("v-c-merchant-id");
    let mut problem = |what: String| problems.push(format!("{}: {what}", raw.target()));
    if host.len() != 1 || claims["request-host"] != host[0] {
        problem(format!(
            "request-host {} vs Host {:?}",
            claims["request-host"], host
        ));
    }
    if host.first().copied() != Some(base_host) {
        problem(format!("Host {:?} vs base {base_host}", host));
    }
    if claims["request-resource-path"] != raw.target() {
        problem(format!(
            "path claim {} vs target {}",
            claims["request-resource-path"],
            raw.target()
        ));
    }
    if claims["digest"] != sha256_b64(&raw.body) {
        problem("digest".into());
    }
    if merchant_header.len() != 1 || claims["v-c-merchant-id"] != merchant_header[0] {
        problem(format!(
            "merchant claim {} vs header {:?}",
            claims["v-c-merchant-id"], merchant_header
        ));
    }
    if let Some(expected) = expected_merchant {
        if merchant_header.first().copied() != Some(expected) {
            problem(format!(
                "merchant header {merchant_header:?}, expected {expected}"
            ));
        }
    }
    claims
}

/// Joins futures on the current task, so that they interleave without `spawn`.
async fn join_all_local<T>(futures: Vec<Pin<Box<dyn Future<Output = T> + '_>>>) -> Vec<T> {
    let mut futures: Vec<Option<Pin<Box<dyn Future<Output = T> + '_>>>> =
        futures.into_iter().map(Some).collect();
    let mut outputs: Vec<Option<T>> = (0..futures.len()).map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (i, slot) in futures.iter_mut().enumerate() {
            if let Some(f) = slot {
                match f.as_mut().poll(cx) {
                    Poll::Ready(v) => {
                        outputs[i] = Some(v);
                        *slot = None;
                    }
                    Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            Poll::Pending
        } else {
            Poll::Ready(())
        }
    })
    .await;
    outputs.into_iter().map(Option::unwrap).collect()
}

fn hs256_meta() -> JwtCredentials {
    JwtCredentials::hs256(
        "default_merchant",
        "00000000-1111-4222-8333-444444444444",
        "dGVzdC1vbmx5LXNoYXJlZC1zZWNyZXQtMzItYnl0ZXMhIQ==",
    )
    .unwrap()
    .with_portfolio_id("demo_portfolio_01")
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn review2_concurrent_merchant_ids_spawned() {
    let (base, log) = start("127.0.0.1:0").await;
    let client = Client::builder()
        .environment(Environment::BaseUrl(base.clone()))
        .jwt(hs256_meta())
        .build()
        .unwrap();
    let mut set = tokio::task::JoinSet::new();
    for i in 0..300 {
        let client = client.clone();
        set.spawn(async move {
            let mut call = client
                .payment_credentials(format!("tok{i:04}"))
                .client_correlation_id("x".repeat(i % 37));
            if i % 3 != 0 {
                call = call.merchant_id(format!("merchant_{i:04}"));
            }
            let _ = call.send().await;
        });
    }
    while set.join_next().await.is_some() {}
    let raws = log.lock().unwrap().clone();
    assert_eq!(raws.len(), 300);
    let host = base.strip_prefix("http://").unwrap();
    let mut problems = Vec::new();
    let mut jtis = HashSet::new();
    for raw in &raws {
        let i: usize = raw.target().split("tokens/tok").nth(1).unwrap()[..4]
            .parse()
            .unwrap();
        let expected = if i % 3 == 0 {
            "default_merchant".to_string()
        } else {
            format!("merchant_{i:04}")
        };
        let claims = check_binding(raw, host, Some(&expected), &mut problems);
        assert_eq!(claims["iss"], "demo_portfolio_01");
        assert!(
            jtis.insert(claims["jti"].as_str().unwrap().to_string()),
            "jti reused"
        );
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[tokio::test(flavor = "current_thread")]
async fn review2_concurrent_merchant_ids_same_task() {
    let (base, log) = start("127.0.0.1:0").await;
    let client = Client::builder()
        .environment(Environment::BaseUrl(base.clone()))
        .jwt(hs256_meta())
        .build()
        .unwrap();
    let futures: Vec<Pin<Box<dyn Future<Output = ()> + '_>>> = (0..200)
        .map(|i| {
            let client = &client;
            Box::pin(async move {
                let mut call = client
                    .payment_credentials_v3(format!("tok{i:04}"))
                    .client_correlation_id("y".repeat(i % 41));
                if i % 2 == 0 {
                    call = call.merchant_id(format!("merchant_{i:04}"));
                }
                let _ = call.send().await;
            }) as Pin<Box<dyn Future<Output = ()> + '_>>
        })
        .collect();
    join_all_local(futures).await;
    let raws = log.lock().unwrap().clone();
    assert_eq!(raws.len(), 200);
    let host = base.strip_prefix("http://").unwrap();
    let mut problems = Vec::new();
    for raw in &raws {
        let i: usize = raw.target().split("tokens/tok").nth(1).unwrap()[..4]
            .parse()
            .unwrap();
        let expected = if i % 2 == 1 {
            "default_merchant".to_string()
        } else {
            format!("merchant_{i:04}")
        };
        check_binding(raw, host, Some(&expected), &mut problems);
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn review2_http_signature_meta_concurrent() {
    let (base, log) = start("127.0.0.1:0").await;
    let credentials = HttpSignatureCredentials::new(
        "default_merchant",
        "00000000-1111-4222-8333-444444444444",
        "dGVzdC1vbmx5LXNoYXJlZC1zZWNyZXQtMzItYnl0ZXMhIQ==",
    )
    .unwrap()
    .with_portfolio_id("demo_portfolio_01")
    .unwrap();
    let client = Client::builder()
        .environment(Environment::BaseUrl(base.clone()))
        .credentials(credentials)
        .build()
        .unwrap();
    let mut set = tokio::task::JoinSet::new();
    for i in 0..200 {
        let client = client.clone();
        set.spawn(async move {
            let _ = client
                .payment_credentials(format!("tok{i:04}"))
                .merchant_id(format!("merchant_{i:04}"))
                .send()
                .await;
        });
    }
    while set.join_next().await.is_some() {}
    let raws = log.lock().unwrap().clone();
    let mut problems = Vec::new();
    for raw in &raws {
        let i: usize = raw.target().split("tokens/tok").nth(1).unwrap()[..4]
            .parse()
            .unwrap();
        let header = raw.header("v-c-merchant-id");
        if header != vec![format!("merchant_{i:04}").as_str()] {
            problems.push(format!("{i}: {header:?}"));
        }
        let digest = raw.header("digest");
        if digest
            != vec![
                format!(
                    "SHA-256={}",
                    STANDARD.encode(
                        aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, &raw.body).as_ref()
                    )
                )
                .as_str(),
            ]
        {
            problems.push(format!("{i}: digest {digest:?}"));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

async fn one_call_binding(base: String, host: &str) -> Vec<String> {
    let identity = Pkcs12Identity::from_file(key_file("key-a.p12"), "test-pass").unwrap();
    let (real_base, log) = (base.clone(), ());
    let _ = log;
    let client = Client::builder()
        .environment(Environment::BaseUrl(real_base))
        .jwt(JwtCredentials::rs256("demo_merchant_01", &identity).unwrap())
        .build()
        .unwrap();
    let _ = client
        .payment_credentials("70300000 0001/..%2F?#x")
        .send()
        .await;
    let _ = client.payment_credentials("Zü~!$&'()*+,;=:@").send().await;
    let _ = host;
    Vec::new()
}

#[tokio::test]
async fn review2_binding_with_prefix_port_ipv6() {
    for (bind, suffix) in [
        ("127.0.0.1:0", "/proxy/cyber%20source"),
        ("127.0.0.1:0", "/a/b/"),
        ("[::1]:0", ""),
        ("[::1]:0", "/p"),
    ] {
        let listener = match TcpListener::bind(bind).await {
            Ok(l) => l,
            Err(e) => {
                eprintln!("skip {bind}: {e}");
                continue;
            }
        };
        let addr = listener.local_addr().unwrap();
        let log = Arc::new(Mutex::new(Vec::new()));
        tokio::spawn(serve(listener, log.clone()));
        let base = format!("http://{addr}{suffix}");
        one_call_binding(base.clone(), "").await;
        let raws = log.lock().unwrap().clone();
        eprintln!("{base}: {} requests", raws.len());
        let mut problems = Vec::new();
        for raw in &raws {
            let claims = check_binding(
                raw,
                &addr.to_string(),
                Some("demo_merchant_01"),
                &mut problems,
            );
            eprintln!(
                "  target {} host {:?} claim path {} claim host {}",
                raw.target(),
                raw.header("host"),
                claims["request-resource-path"],
                claims["request-host"]
            );
        }
        assert!(problems.is_empty(), "{problems:#?}");
    }
}

#[tokio::test]
async fn review2_legacy_and_per_call_merchant_without_meta() {
    let (base, log) = start("127.0.0.1:0").await;
    let identity = Pkcs12Identity::from_file(key_file("key-b.p12"), "test-pass").unwrap();
    let legacy_meta =
        JwtCredentials::rs256_meta_key("demo_merchant_01", "demo_portfolio_01", &identity)
            .unwrap()
            .legacy()
            .unwrap();
    let client = Client::builder()
        .environment(Environment::BaseUrl(base.clone()))
        .jwt(legacy_meta)
        .build()
        .unwrap();
    let _ = client
        .payment_credentials("tok0001")
        .merchant_id("other_merchant")
        .send()
        .await;

    let identity_a = Pkcs12Identity::from_file(key_file("key-a.p12"), "test-pass").unwrap();
    let plain = JwtCredentials::rs256("demo_merchant_01", &identity_a).unwrap();
    let client = Client::builder()
        .environment(Environment::BaseUrl(base.clone()))
        .jwt(plain)
        .build()
        .unwrap();
    let _ = client
        .payment_credentials("tok0002")
        .merchant_id("other_merchant")
        .send()
        .await;

    for raw in log.lock().unwrap().iter() {
        let token = raw.header("authorization")[0]
            .strip_prefix("Bearer ")
            .unwrap()
            .to_string();
        eprintln!(
            "{}\n  header {}\n  claims {}\n  v-c-merchant-id {:?}",
            raw.target(),
            {
                let mut h = decode_segment(&token, 0);
                if h.get("x5c").is_some() {
                    h["x5c"] = Value::from("…");
                }
                h
            },
            decode_segment(&token, 1),
            raw.header("v-c-merchant-id")
        );
    }
}
