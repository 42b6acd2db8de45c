//! Route patterns and paths: compiling any pattern list is an error or a matcher, matching any
//! path never panics, and canonicalisation is idempotent (canonical(canonical(p)) = canonical(p)).
#![no_main]

use edgeguard::route::{canonicalize_path, next_url_pathname, RouteMatcher};
use edgeguard_fuzz::{fields, text, within_budget, within_budget_of};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| run(data));

fn run(data: &[u8]) {
    let parts = fields(data, 2);
    let patterns_text = text(parts[0]);
    let patterns: Vec<&str> = patterns_text.split('\n').collect();
    let path = text(parts[1]);
    // Compiling is done once, when the policy (or createRouteMatcher) loads: the load-time budget,
    // as policy_validate. What every request pays — canonicalising and matching — gets 10 ms.
    let matcher = within_budget_of(50, || RouteMatcher::new(&patterns));
    within_budget(|| {
        if let Ok(canonical) = canonicalize_path(&path) {
            assert_eq!(canonicalize_path(&canonical).as_deref(), Ok(canonical.as_str()), "canonicalisation is not idempotent for {path:?}");
        }
        let next_path = next_url_pathname(&path);
        if let Ok(matcher) = &matcher {
            let _ = matcher.try_matches(&path);
            let _ = matcher.matches(&next_path);
            if let Ok(canonical) = canonicalize_path(&next_path) {
                let _ = matcher.matches(&canonical);
            }
        }
    });
}
