//! Measures signing, JWE decryption and whole calls against the local sandbox, and the heap
//! used per call, then prints the figures. Run it in release mode:
//!
//!     cargo run --release --example bench
//!
//! The heap figures come from a counting global allocator, so they cover every allocation of
//! the process: the client, reqwest, and the sandbox serving the same call.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime};

use cybersource_tms::auth::http_signature::{
    SigningInput, digest, http_date, signature, signature_header, signed_header_names,
    signing_string,
};
use cybersource_tms::{Client, DecryptionKey, Jwe, PaymentCredentialType};
use cybersource_tms_sandbox::{Sandbox, Token};

struct CountingAllocator;

static LIVE_BYTES: AtomicUsize = AtomicUsize::new(0);
static PEAK_BYTES: AtomicUsize = AtomicUsize::new(0);
static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded unchanged to the system allocator; the counters only
// observe sizes.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let pointer = unsafe { System.alloc(layout) };
        if !pointer.is_null() {
            let live = LIVE_BYTES.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK_BYTES.fetch_max(live, Ordering::Relaxed);
            ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        unsafe { System.dealloc(pointer, layout) };
        LIVE_BYTES.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

const TOKEN_ID: &str = "7030000000012345678";

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    bench_signing();

    let sandbox = Sandbox::builder()
        .token(Token::visa(TOKEN_ID))
        .start()
        .await?;
    let client = Client::builder()
        .environment(sandbox.base_url().parse()?)
        .http_signature(
            sandbox.merchant_id(),
            sandbox.key_id(),
            sandbox.shared_secret(),
        )
        .build()?;
    let key = DecryptionKey::from_pem_str(sandbox.decryption_key_pem().ok_or("no sandbox key")?)?;

    let jwe_text = {
        let response = client.payment_credentials(TOKEN_ID).send().await?;
        response
            .jwe()
            .ok_or("the sandbox answered without a JWE")?
            .as_str()
            .to_string()
    };
    bench_decryption(&jwe_text, &key)?;
    bench_sequential_calls(&client, &key).await?;
    bench_concurrent_calls(&client, &key).await?;
    bench_heap_per_call(&client, &key, &sandbox).await?;
    Ok(())
}

fn bench_signing() {
    const ITERATIONS: u32 = 200_000;
    let secret = [7u8; 32];
    let body = br#"{"paymentCredentialType":"CRYPTOGRAM","transactionType":"ECOM"}"#;

    let started = Instant::now();
    for _ in 0..ITERATIONS {
        let date = http_date(SystemTime::now()).unwrap_or_default();
        let digest = digest(body);
        let input = SigningInput {
            host: "apitest.cybersource.com",
            date: &date,
            method: "POST",
            path_and_query: "/tms/v2/tokens/7030000000012345678/payment-credentials",
            digest: Some(&digest),
            signing_merchant_id: "demo_merchant_01",
        };
        let signed = signature(&secret, &signing_string(&input));
        std::hint::black_box(signature_header(
            "key",
            signed_header_names(&input),
            &signed,
        ));
    }
    report(
        "HTTP Signature (date, digest, HMAC, header)",
        started.elapsed(),
        ITERATIONS,
    );
}

fn bench_decryption(jwe_text: &str, key: &DecryptionKey) -> Result<(), Box<dyn std::error::Error>> {
    const ITERATIONS: u32 = 2_000;
    let started = Instant::now();
    for _ in 0..ITERATIONS {
        let jwe = Jwe::parse(jwe_text)?;
        std::hint::black_box(jwe.decrypt(key)?);
    }
    report(
        "JWE parse + RSA-OAEP-256 (2048) + A256GCM + typed credentials",
        started.elapsed(),
        ITERATIONS,
    );
    Ok(())
}

async fn bench_sequential_calls(
    client: &Client,
    key: &DecryptionKey,
) -> Result<(), Box<dyn std::error::Error>> {
    const CALLS: u32 = 500;
    let mut latencies = Vec::with_capacity(CALLS as usize);
    let started = Instant::now();
    for _ in 0..CALLS {
        let call_started = Instant::now();
        one_call(client, key).await?;
        latencies.push(call_started.elapsed());
    }
    report(
        "call + decrypt, sequential, sandbox on loopback",
        started.elapsed(),
        CALLS,
    );
    latencies.sort();
    println!(
        "    latency p50 {:?}, p99 {:?}",
        latencies[latencies.len() / 2],
        latencies[latencies.len() * 99 / 100]
    );
    Ok(())
}

async fn bench_concurrent_calls(
    client: &Client,
    key: &DecryptionKey,
) -> Result<(), Box<dyn std::error::Error>> {
    const CALLS: u32 = 1_000;
    const IN_FLIGHT: u32 = 16;
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for worker in 0..IN_FLIGHT {
        let client = client.clone();
        let key = key.clone();
        tasks.spawn(async move {
            for _ in (worker..CALLS).step_by(IN_FLIGHT as usize) {
                one_call(&client, &key).await?;
            }
            Ok::<(), cybersource_tms::Error>(())
        });
    }
    while let Some(result) = tasks.join_next().await {
        result??;
    }
    report(
        "call + decrypt, 16 in flight, sandbox on loopback",
        started.elapsed(),
        CALLS,
    );
    Ok(())
}

async fn bench_heap_per_call(
    client: &Client,
    key: &DecryptionKey,
    sandbox: &Sandbox,
) -> Result<(), Box<dyn std::error::Error>> {
    const CALLS: usize = 1_000;
    // Warm up the connection pool and lazily built state before measuring.
    for _ in 0..20 {
        one_call(client, key).await?;
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    // The sandbox records every request. The record is emptied before and after measuring,
    // so the figures show the client and the server's transient work, not the record.
    sandbox.clear_requests();

    let live_before = LIVE_BYTES.load(Ordering::Relaxed);
    let allocations_before = ALLOCATIONS.load(Ordering::Relaxed);
    PEAK_BYTES.store(live_before, Ordering::Relaxed);
    for _ in 0..CALLS {
        one_call(client, key).await?;
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    sandbox.clear_requests();
    let live_after = LIVE_BYTES.load(Ordering::Relaxed);
    let allocations = ALLOCATIONS.load(Ordering::Relaxed) - allocations_before;

    println!("heap, {CALLS} sequential calls (client and sandbox in one process):");
    println!("    allocations per call: {}", allocations / CALLS);
    println!(
        "    peak above the start: {} KiB",
        (PEAK_BYTES.load(Ordering::Relaxed) - live_before) / 1024
    );
    println!(
        "    live heap change after all calls: {} bytes ({:.1} bytes per call)",
        live_after as i64 - live_before as i64,
        (live_after as f64 - live_before as f64) / CALLS as f64
    );
    println!("    live heap now: {} KiB", live_after / 1024);
    Ok(())
}

async fn one_call(client: &Client, key: &DecryptionKey) -> Result<(), cybersource_tms::Error> {
    let credentials = client
        .payment_credentials(TOKEN_ID)
        .payment_credential_type(PaymentCredentialType::Cryptogram)
        .send()
        .await?
        .decrypt(key)?;
    std::hint::black_box(credentials);
    Ok(())
}

fn report(what: &str, elapsed: Duration, iterations: u32) {
    let per_op = elapsed / iterations;
    let per_second = f64::from(iterations) / elapsed.as_secs_f64();
    println!("{what}: {per_op:?} per op, {per_second:.0} per second ({iterations} runs)");
}
