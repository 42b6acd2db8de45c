//! Native timings of the decision pipeline's parts: `cargo bench --bench decide`. The same work as
//! `npm run bench` (bench/), without wasm, so the wasm overhead is visible. Fixtures (key, tokens,
//! policy, route corpus) come from bench/fixtures/native.json (bench/fixtures/generate-native.mjs);
//! the clock is pinned to the fixture's `nowMs`, so the tokens never expire.
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use edgeguard::decision::wire::read_input;
use edgeguard::decision::{Action, DecideContext, Guard, GuardOptions, RequestRecord};
use edgeguard::route::{canonicalize_path, RouteMatcher};
use edgeguard::token::{auth_from_claims, verify_token, CacheLimits, KeySet, TokenCache, VerifyOptions};
use serde_json::{json, Value};
use std::hint::black_box;

struct Fixture {
    jwt_key: String,
    now_ms: u64,
    tokens: Vec<String>,
    policy: Value,
    url: String,
    route_patterns: Vec<String>,
    route_paths: Vec<String>,
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .expect("an array in bench/fixtures/native.json")
        .iter()
        .map(|v| v.as_str().expect("a string").to_owned())
        .collect()
}

fn fixture() -> Fixture {
    let json: Value = serde_json::from_str(include_str!("../bench/fixtures/native.json")).expect("native.json is JSON");
    Fixture {
        jwt_key: json["jwtKey"].as_str().expect("jwtKey").to_owned(),
        now_ms: json["nowMs"].as_u64().expect("nowMs"),
        tokens: strings(&json["tokens"]),
        policy: json["policy"].clone(),
        url: json["url"].as_str().expect("url").to_owned(),
        route_patterns: strings(&json["routePatterns"]),
        route_paths: strings(&json["routePaths"]),
    }
}

fn request(fixture: &Fixture, token: &str) -> RequestRecord {
    RequestRecord {
        method: "GET".into(),
        url: fixture.url.clone(),
        headers: vec![
            ("authorization".into(), format!("Bearer {token}")),
            ("accept".into(), "application/json".into()),
        ],
    }
}

/// The record as js/guard-wire.js encodes it (src/decision/wire.rs): `<utf16 length>:<text>` items.
fn wire_bytes(request: &RequestRecord, now_ms: u64) -> Vec<u8> {
    let item = |text: &str| format!("{}:{text}", text.encode_utf16().count());
    let mut out = item(&request.method) + &item(&request.url) + &item(&request.headers.len().to_string());
    for (name, value) in &request.headers {
        out += &(item(name) + &item(value));
    }
    out += &(item(&now_ms.to_string()) + &item("0") + &item("0"));
    out.into_bytes()
}

fn guard(fixture: &Fixture) -> Guard {
    let options: GuardOptions =
        serde_json::from_value(json!({ "policy": fixture.policy, "jwtKey": fixture.jwt_key })).expect("guard options");
    Guard::new(options).unwrap_or_else(|errors| panic!("the bench policy is invalid: {errors:?}"))
}

fn decide(c: &mut Criterion) {
    let fixture = fixture();
    let keys = KeySet::from_pem(&fixture.jwt_key).expect("jwtKey");
    let options = VerifyOptions::at(fixture.now_ms);
    let context = DecideContext { now_ms: fixture.now_ms, ..Default::default() };
    let requests: Vec<RequestRecord> = fixture.tokens.iter().map(|t| request(&fixture, t)).collect();
    let mut group = c.benchmark_group("decide");

    let matcher = RouteMatcher::new(&fixture.route_patterns).expect("route patterns");
    let mut i = 0;
    group.bench_function("route match (50 patterns, per path)", |b| {
        b.iter(|| {
            i = (i + 1) % fixture.route_paths.len();
            matcher.matches(black_box(&fixture.route_paths[i]))
        })
    });

    for token in &fixture.tokens {
        assert!(verify_token(token, &keys, &options).is_ok(), "a fixture token does not verify");
    }
    let mut i = 0;
    group.bench_function("token verify (cold: RS256 + claims, no cache)", |b| {
        b.iter(|| {
            i = (i + 1) % fixture.tokens.len();
            verify_token(black_box(&fixture.tokens[i]), &keys, &options)
        })
    });

    let claims = verify_token(&fixture.tokens[0], &keys, &options).expect("fixture token");
    group.bench_function("session claims → Auth", |b| b.iter(|| auth_from_claims(black_box(&claims))));

    let path = fixture.url.splitn(4, '/').nth(3).map(|rest| format!("/{rest}")).expect("a path in the url");
    group.bench_function("canonical path", |b| b.iter(|| canonicalize_path(black_box(&path))));

    let mut cache = TokenCache::new(CacheLimits::default());
    for token in &fixture.tokens {
        cache.verify(token, &keys, &options).expect("cache fill");
    }
    let mut i = 0;
    group.bench_function("token cache hit", |b| {
        b.iter(|| {
            i = (i + 1) % fixture.tokens.len();
            cache.verify(black_box(&fixture.tokens[i]), &keys, &options)
        })
    });

    let first = guard(&fixture).decide(&requests[0], &context);
    assert_eq!(first.action, Action::Allow, "the bench request must be allowed: {first:?}");
    // A fresh guard per decision (built outside the timing): every token is one it has never seen.
    group.bench_function("full decide (cold token)", |b| {
        b.iter_batched(
            || guard(&fixture),
            |mut fresh| fresh.decide(black_box(&requests[0]), &context),
            BatchSize::SmallInput,
        )
    });

    let mut warm = guard(&fixture);
    for request in &requests {
        warm.decide(request, &context);
    }
    let mut i = 0;
    group.bench_function("full decide (warm: cache hit)", |b| {
        b.iter(|| {
            i = (i + 1) % requests.len();
            warm.decide(black_box(&requests[i]), &context)
        })
    });

    // What the wasm export does per call: the shim's wire bytes in, the Decision's JSON text out.
    let wires: Vec<Vec<u8>> = requests.iter().map(|r| wire_bytes(r, fixture.now_ms)).collect();
    let mut i = 0;
    group.bench_function("full decide from wire bytes to JSON (warm: cache hit)", |b| {
        b.iter(|| {
            i = (i + 1) % wires.len();
            let decision = match read_input(black_box(&wires[i])) {
                Ok(input) => warm.decide_wire(&input),
                Err(decision) => decision,
            };
            serde_json::to_string(&decision)
        })
    });
    group.finish();
}

criterion_group!(benches, decide);
criterion_main!(benches);
