//! RouteMatcher: Clerk's createRouteMatcher semantics on hand-picked cases (the broad proof is
//! the differential test tests/js/route-diff.test.mjs against the real Clerk).

use std::time::{Duration, Instant};

use edgeguard::route::RouteMatcher;

fn matcher(patterns: &[&str]) -> RouteMatcher {
    RouteMatcher::new(patterns).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn clerk_semantics() {
    let admin = matcher(&["/admin(.*)"]);
    for path in [
        "/admin",
        "/admin/",
        "/ADMIN/x",
        "//admin",
        "/%61dmin",
        "/adminx",
        "/admin%2Fx",
    ] {
        assert!(admin.matches(path), "{path}");
    }
    for path in ["/", "/x/admin", "/%2561dmin", "/ad%6Din%"] {
        assert!(!admin.matches(path), "{path}");
    }
    assert!(
        admin.try_matches("/admin%").is_err(),
        "a malformed escape is Clerk's MalformedURLError"
    );

    let params = matcher(&["/org/:slug", "/files/:path*", "/:locale(en|fr)?/about"]);
    assert!(params.matches("/org/acme") && params.matches("/org/acme/"));
    assert!(!params.matches("/org/acme/x") && !params.matches("/org"));
    assert!(params.matches("/files") && params.matches("/files/a/b/c"));
    assert!(
        params.matches("/about") && params.matches("/FR/about") && !params.matches("/de/about")
    );
}

#[test]
fn case_folding_is_ecmascript_non_unicode() {
    let m = matcher(&["/café", "/k", "/s"]);
    assert!(m.matches("/CAF%C3%89"));
    assert!(
        !m.matches("/%E2%84%AA"),
        "Kelvin sign does not fold onto k without the u flag"
    );
    assert!(!m.matches("/%C5%BF"), "long s does not fold onto s");
}

#[test]
fn empty_entries_are_dropped_and_an_empty_matcher_never_decodes() {
    let m = matcher(&["", ""]);
    assert!(m.is_empty());
    assert_eq!(m.try_matches("/%"), Ok(false));
}

#[test]
fn invalid_patterns_fail_with_clerks_message() {
    for (pattern, tail) in [
        ("/api/*", "Unexpected MODIFIER at 5, expected END"),
        ("/:", "Missing parameter name at 1"),
        ("/(a", "Unbalanced pattern at 1"),
        ("/:id(a(b))", "Capturing groups are not allowed at 6"),
        ("/:id(?a)", "Pattern cannot start with \"?\" at 5"),
        (
            "/:id([)",
            "Invalid regular expression: /^(?:\\/([))[\\/#\\?]?$/i: Unterminated group",
        ),
    ] {
        let error = RouteMatcher::new(&[pattern]).expect_err(pattern);
        assert_eq!(error.pattern, pattern);
        assert!(
            error
                .message
                .starts_with(&format!("Invalid path: {pattern}.\n")),
            "{}",
            error.message
        );
        assert!(
            error.message.ends_with(tail),
            "{pattern}: {}",
            error.message
        );
        assert_eq!(error.unsupported, None);
    }
}

#[test]
fn constructs_that_cannot_match_identically_are_refused() {
    for (pattern, construct) in [
        ("/:id((?<=a)b)", "lookbehind"),
        ("/:a/:b(\\1)", "backreference"),
        ("/:from-to-:to", "lookahead"),
        ("/:id(a{1001})", "counted repetition"),
    ] {
        let error = RouteMatcher::new(&[pattern]).expect_err(pattern);
        let named = error.unsupported.unwrap_or_default();
        assert!(named.starts_with(construct), "{pattern}: {named}");
    }
    // One-character separators compile: the lookahead becomes a set difference.
    assert!(matcher(&["/:a-:b"]).matches("/x-y"));
}

#[test]
fn a_64k_path_is_matched_in_linear_time() {
    let patterns = [
        "/",
        "/admin(.*)",
        "/api/:path*",
        "/org/:slug(.*)",
        "/:locale(en|fr)?/dashboard(.*)",
        "/files/:id(\\d+)",
    ];
    let m = matcher(&patterns);
    let long = format!("/{}", "a/".repeat(32 * 1024));
    let encoded = format!("/admin/{}", "%2e%2e/".repeat(9000));
    let started = Instant::now();
    assert!(!m.matches(&long));
    assert!(m.matches(&format!("/admin{long}")));
    assert!(m.matches(&encoded));
    assert!(!m.matches(&format!("/files/{}", "1".repeat(65536)).replace("11", "1a")));
    assert!(
        started.elapsed() < Duration::from_secs(if cfg!(debug_assertions) { 10 } else { 1 }),
        "{:?}",
        started.elapsed()
    );
}
