//! Shared fixtures for the fuzz targets: a fixed verification key and an input splitter.

/// A fixed RSA-2048 SPKI key (its private half is not kept: nothing here can sign).
pub const JWT_KEY_PEM: &str = "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA1sPdSrRNhAdcsudIAKrE\n4Y8+Ml9Rjr+VbE/o3+eszevpw2kDDbmuC2gz1C7t1B4VBbUEwAq4xB5aACMcLFk7\nRIrip3JX00urUy7E+S8Oc3PnwgsU0XKcbRba9QqxDekXQH+fmoq/5Ujiq4Xzgoh6\niMbAEFeMBfl/dAg0KJov4c/XEtrVGscvVIMyXLbWFCjGrCveCezBNhgxp5YMpX94\nzWvNCHfKhVj4PhKJJG00jR8Pn3xVnnIpfHeR15kGLbDANpn8Ctyvws21Osd8zIeO\no3AW7dnMvGtaTRvltC8dx/Wat6xbhF7ia4f5ZqiZT7wVmcPRZPnnFn42S4sTAxhx\nQwIDAQAB\n-----END PUBLIC KEY-----\n";

/// 2025-01-01T00:00:00Z, the fixed clock of every target (milliseconds).
pub const NOW_MS: u64 = 1_735_689_600_000;

/// Splits fuzz input into at most `n` fields separated by 0xFF (a byte UTF-8 never contains), so
/// one input drives several string arguments; missing fields are empty.
pub fn fields(data: &[u8], n: usize) -> Vec<&[u8]> {
    let mut out: Vec<&[u8]> = data.splitn(n, |b| *b == 0xFF).collect();
    out.resize(n, &[]);
    out
}

/// A field as text, the way a JS string reaches the core (invalid UTF-8 replaced).
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The modulus of [`JWT_KEY_PEM`], big-endian hex.
pub const MODULUS_HEX: &str = "d6c3dd4ab44d84075cb2e74800aac4e18f3e325f518ebf956c4fe8dfe7accdebe9c369030db9ae0b6833d42eedd41e1505b504c00ab8c41e5a00231c2c593b448ae2a77257d34bab532ec4f92f0e7373e7c20b14d1729c6d16daf50ab10de917407f9f9a8abfe548e2ab85f382887a88c6c010578c05f97f740834289a2fe1cfd712dad51ac72f5483325cb6d61428c6ac2bde09ecc1361831a7960ca57f78cd6bcd0877ca8558f83e1289246d348d1f0f9f7c559e72297c7791d799062db0c03699fc0adcafc2cdb53ac77ccc878ea37016edd9ccbc6b5a4d1be5b42f1dc7f59ab7ac5b845ee26b87f966a8994fbc1599c3d164f9e7167e364b8b1303187143";

/// Per-input CPU budget (thread CPU time, so a busy machine does not cause false alarms):
/// libFuzzer's own `-timeout` counts whole seconds only. Override: EDGEGUARD_FUZZ_MAX_MS; with
/// EDGEGUARD_FUZZ_SHOW_CPU set, each budgeted part prints its time (to measure a replayed input).
/// 10 ms, the per-input limit, for everything a request pays.
pub fn within_budget<T>(run: impl Fn() -> T) -> T {
    within_budget_of(10, run)
}

/// The same with another default budget, for work done once at start-up (a policy load): its cost
/// is linear in the policy's size (~2 µs per pattern code unit natively, ~15x that under coverage
/// instrumentation), so a 4 KB fuzz input may legitimately take more than a request's 10 ms.
///
/// An input over budget is measured twice more and fails only if every run is over: on this
/// virtual machine the thread CPU clock also counts time the host steals from the vCPU (a 0.1 ms
/// input was once measured at over 10 ms while another job built), and a truly slow input is
/// slow every time.
pub fn within_budget_of<T>(default_ms: u64, run: impl Fn() -> T) -> T {
    static LIMIT_MS: std::sync::OnceLock<Option<u64>> = std::sync::OnceLock::new();
    let limit_ms = LIMIT_MS
        .get_or_init(|| std::env::var("EDGEGUARD_FUZZ_MAX_MS").ok().and_then(|v| v.parse::<u64>().ok()))
        .unwrap_or(default_ms);
    let limit = limit_ms * 1_000_000;
    let timed = || {
        let started = thread_cpu_ns();
        let out = run();
        (out, thread_cpu_ns().saturating_sub(started))
    };
    let (out, mut fastest) = timed();
    for _ in 0..2 {
        if fastest <= limit {
            break;
        }
        fastest = fastest.min(timed().1);
    }
    if std::env::var_os("EDGEGUARD_FUZZ_SHOW_CPU").is_some() {
        eprintln!("budgeted part: {} µs of CPU (budget {} µs)", fastest / 1000, limit / 1000);
    }
    assert!(fastest <= limit, "one input took {} µs of CPU at best of 3 runs (budget {} µs)", fastest / 1000, limit / 1000);
    out
}

fn thread_cpu_ns() -> u64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `ts` is a valid, writable timespec; CLOCK_THREAD_CPUTIME_ID is always supported on Linux.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    if rc != 0 {
        return 0;
    }
    (ts.tv_sec as u64).saturating_mul(1_000_000_000).saturating_add(ts.tv_nsec as u64)
}
