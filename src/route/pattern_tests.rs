//! Tests of `pattern` (a file of their own: the module passed 600 lines).

use super::*;
use crate::route::repetition_limit::expanded_positions;

const PATTERNS: &[&str] = &[
    "/", "/about", "/admin(.*)", "/api/admin(.*)", "/sign-in(.*)", "/org/:slug(.*)", "/:id", "(.*)", "/a|b", "/a(.+)", "/a/(.*)/b", "/(\\w*)", "/x([^/]*)",
    "/K(.*)", "/s", "/files/:path*", "/org/:slug", "/x(\\d{2,})", "(\\S+)", "/:a(\\d+)", "/:a(\\d*)", "/x/:y?", "/(a|b)c", "/ſ", "/é(.*)", "/{a}b", "/[a-z]+", "/a\\.b", "/:a/:b", "/api/:x+", "/a(b)?c", "/(\\d{2,3})", "/x{0}y",
];

fn paths() -> Vec<String> {
    let mut paths: Vec<String> = ["", "/", "/About", "/ABOUT/", "/admin", "/Admin/users", "/adm", "/api/admin/x", "/sign-in#x",
        "/org/acme/x", "/k", "/K/x", "/\u{212a}/x", "/S", "/\u{17f}", "/é", "/É/x", "/ab", "/bc", "/a.b", "/aXb", "/files/a/b", "/x", "/x/1", "/12", "/123", "/1234", "/xy", "/a/b", "/api/x/y", "/abc", "/ac"]
        .iter()
        .map(|p| p.to_string())
        .collect();
    // Every pattern's prefix, cut and bent at each position.
    let mut state = 0x9e37_79b9u64;
    for _ in 0..400 {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let base = paths[(state >> 33) as usize % paths.len()].clone();
        let cut = (state >> 17) as usize % (base.len() + 1);
        let mut path: String = base.chars().take(cut).collect();
        path.push(['a', 'Z', '/', '-', 'é', '\u{212a}', '?', '#', '\n', '\r', '\u{2028}', '\u{2029}', '😀', '\u{85}'][(state >> 9) as usize % 14]);
        if (state >> 5).is_multiple_of(3) {
            path.push_str(["x", "%0A", "%E2%80%A8", "/", "😀y", "\u{2029}z"][(state >> 40) as usize % 6]);
        }
        paths.push(path);
    }
    paths
}

#[test]
fn a_repeated_pattern_is_compiled_once() {
    let texts = ["/a", "/b", "/a", "/a(.*)", "/b", "/a", "/a(.*)", "/a("];
    assert_eq!(repeated_texts(&texts), [false, false, true, false, true, true, true, false]);
    let matcher = RouteMatcher::new(&texts[..7]).expect("valid patterns");
    assert_eq!((matcher.len(), matcher.patterns.len() + matcher.automata.len()), (7, 3));
}

#[test]
fn the_prefilter_never_changes_an_answer() {
    for pattern in PATTERNS {
        let Ok(compiled) = compile(pattern) else { continue };
        let Ok(regex) = compile_pattern(pattern) else { continue };
        for path in paths() {
            let Ok(prepared) = PreparedPath::new(&path) else { continue };
            assert_eq!(
                compiled.is_match(&prepared),
                regex.is_match(&prepared.haystack),
                "{pattern} on {path}"
            );
        }
    }
}

#[test]
fn wildcard_tails_are_recognised_only_where_they_are_exact() {
    let tail = |pattern: &str| match compile(pattern).map(|c| c.rest) {
        Ok(Rest::Tail { repeat: Some((set, 0)), optional: None }) => Some(set),
        _ => None,
    };
    let dot = tail("/admin(.*)").expect("`/admin(.*)` is a prefix and a wildcard");
    assert!(!dot.contains(0x0A) && !dot.contains(0x0D) && !dot.contains(0x2028) && !dot.contains(0x2029));
    assert!(dot.contains(u32::from(b'/')) && dot.contains(0xD83D), "`.` takes every other unit, lone surrogates too");
    assert!(tail("(.*)").is_some() && tail("/api/admin(.*)").is_some() && tail("/org/:slug(.*)").is_some());
    for pattern in ["/admin", "/a(.*)b", "/a(.+)", "/é(.*)", "/a/(.*)/b", "/(a|b)(.*)", "/files/:path*"] {
        assert!(tail(pattern).is_none(), "{pattern}");
    }
}

#[test]
fn prefixes_stop_at_the_first_non_literal() {
    let length = |pattern: &str| compile(pattern).map(|c| c.prefix.len()).unwrap_or(usize::MAX);
    assert_eq!(length("/admin(.*)"), "/admin".len());
    assert_eq!(length("/org/:slug(.*)"), "/org/".len());
    assert_eq!(length("/:id"), 1);
    assert_eq!(length("(.*)"), 0);
    assert_eq!(length("/é(.*)"), 1, "a set with non-ASCII members ends the prefix");
    let bounds = |pattern: &str| compile(pattern).ok().and_then(|c| c.lengths);
    assert_eq!(bounds("/"), Some((1, Some(2))), "`/` and an optional trailing `/`, `#` or `?`");
    assert_eq!(bounds("/admin(.*)"), Some((6, None)));
    let admin = compile("/admin").map(|c| c.prefix).unwrap_or_default();
    let a = admin.get(1).copied().unwrap_or(0);
    assert!(a & (1 << b'a') != 0 && a & (1 << b'A') != 0 && a.count_ones() == 2, "case-folded as the regex is");
}

#[test]
fn literal_patterns_need_no_regex() {
    let optional = |pattern: &str| matches!(compile(pattern).map(|c| c.rest), Ok(Rest::Tail { repeat: None, .. }));
    for pattern in ["/", "/about", "/sign-in", "/api/webhooks/clerk"] {
        assert!(optional(pattern), "{pattern}");
    }
    for pattern in ["/a(b)?c", "/é", "/:id", "/(a|b)", "/x/:y?"] {
        assert!(!optional(pattern), "{pattern}");
    }
}

#[test]
fn counted_repetition_may_not_blow_up_a_pattern() {
    let refused = |pattern: &str| compile(pattern).err().and_then(|e| e.unsupported);
    for pattern in ["/:id([0-9a-f]{64})", "/(\\d{4})/(\\d{2})", "/x([a-z]{1,100})"] {
        assert_eq!(refused(pattern), None, "{pattern}");
    }
    for pattern in ["/(\\S{999})", "/((?:a{30}){30})", "/((?:(?:a{10}){10}){10})", "/x(a{200,})", "/x((?:a{2,}b?){99})"] {
        let construct = refused(pattern).unwrap_or_default();
        assert!(construct.starts_with("counted repetition expanding"), "{pattern}: {construct:?}");
    }
    assert_eq!(refused("/x(a{1001})").as_deref(), Some("counted repetition above 1000"));
    // Without counted repetition no pattern comes near the limit, however many parameters.
    let mut long = String::new();
    while long.len() < 250 {
        long.push_str(["/:a+", "/:b*", "{/:c}?", "/:d?", "/(.*)", "-:e", "((?:(?:x+)+)*)"][long.len() % 7]);
        let units = long.encode_utf16().count();
        let (ast, _) = parse_pattern(&long).expect("a parameter list parses");
        assert!(expanded_positions(&ast) <= max_positions(units) / 2, "{long}");
    }
}

/// The automaton and the regex give one answer, over generated patterns and paths; most
/// patterns take the automaton (or a simple tail), and exponential ones keep the regex.
#[test]
fn the_automaton_answers_as_the_regex() {
    const PIECES: &[&str] = &[
        "/a", "/B", "-", ".", "é", "ſ", "K", "/", ":id", ":x?", ":x*", ":x+", ":n(\\d+)", ":c([a-z]{2,3})", "{/:y}?", "{-:z}*",
        "(.*)", "(\\w+)", "(a|bc)", "([^/]+)", "(\\S{3})", "((?:ab)+)", "(k?s*)", "(\\d{0,2}x)", ":v(\\D)", "/api", "{/:w}+",
        "(\\d{2,})", "([ab]{0,3})", "(a{1,2}b?)", "(\\w{0,})", "(b{0}a)", "(c{1,1})", "((?:a|1){2,3})",
        "(a$)", "(^/)", "(x|$)", "(.*$)", "((?:a$)?b?)", "($)", "(^)", "(b$|c)", "((?:^)?a)", "((?:$|^)*)",
        "(\\b)", "(a\\b)", "(\\Ba)", "(\\b\\w+)", "(x\\B)", "(.\\b.)", "((?:\\b|-)*)", "(\\B$)", "(^\\b)",
    ];
    const PATH_PIECES: &[&str] = &[
        "/", "a", "B", "-", ".", "é", "É", "ſ", "s", "S", "K", "\u{212a}", "1", "22", "/x/", "#", "?", "%", "😀", "\n", "ab", "/api", "k", "bc", "x",
    ];
    let mut next = crate::test_rng::xorshift32(0x2545_f491);
    let (mut automata, mut simple, mut regexes) = (0, 0, 0);
    for _ in 0..600 {
        let pattern: String = (0..(next() % 5 + 1)).map(|_| PIECES[next() as usize % PIECES.len()]).collect();
        // Mostly rooted like a route; a group may also open the pattern, so `^` can hold inside.
        let pattern = if pattern.starts_with('/') || (pattern.starts_with('(') && next().is_multiple_of(3)) { pattern } else { format!("/{pattern}") };
        let (Ok(compiled), Ok(regex)) = (compile(&pattern), compile_pattern(&pattern)) else { continue };
        match compiled.rest {
            Rest::Dfa(_) => automata += 1,
            Rest::Tail { .. } => simple += 1,
            Rest::Regex(_) => regexes += 1,
        }
        for _ in 0..60 {
            let path: String = (0..(next() % 7)).map(|_| PATH_PIECES[next() as usize % PATH_PIECES.len()]).collect();
            let Ok(prepared) = PreparedPath::new(&path) else { continue };
            assert_eq!(compiled.is_match(&prepared), regex.is_match(&prepared.haystack), "{pattern} on {path:?}");
        }
    }
    assert!(automata > 300 && simple > 20, "automata {automata}, simple tails {simple}, regexes {regexes}");
    for pattern in ["/x((?:a|b)*a(?:a|b){12})", "/((?:a|b)*a(?:a|b){10})"] {
        let compiled = compile(pattern).unwrap_or_else(|error| panic!("{pattern}: {error}"));
        assert!(matches!(compiled.rest, Rest::Regex(_)), "{pattern} keeps the regex");
    }
}

/// A long list (simple tails as automata too, folded, sharing classes of units) answers as its
/// patterns one by one, each alone in a short list (a tail check, an automaton or the regex).
#[test]
fn a_long_list_answers_as_its_patterns_one_by_one() {
    let mut next = crate::test_rng::xorshift32(0x0dd_ba11);
    let valid: Vec<&str> = PATTERNS.iter().copied().filter(|pattern| RouteMatcher::new(&[pattern]).is_ok()).collect();
    let singles: Vec<RouteMatcher> = valid.iter().filter_map(|pattern| RouteMatcher::new(&[pattern]).ok()).collect();
    let prepared: Vec<PreparedPath> = paths().iter().filter_map(|path| PreparedPath::new(path).ok()).collect();
    for _ in 0..60 {
        let chosen: Vec<usize> = (0..(AUTOMATA_FROM + next() as usize % 24)).map(|_| next() as usize % valid.len()).collect();
        let list: Vec<&str> = chosen.iter().map(|&index| valid[index]).collect();
        let matcher = RouteMatcher::new(&list).expect("valid patterns");
        let repeating_tails = matcher.patterns.iter().filter(|pattern| matches!(pattern.rest, Rest::Tail { repeat: Some(_), .. }));
        assert_eq!(repeating_tails.count(), 0, "{list:?}: tails that repeat as automata");
        for path in &prepared {
            let one_by_one = chosen.iter().any(|&index| singles[index].matches_prepared(path));
            assert_eq!(matcher.matches_prepared(path), one_by_one, "{list:?} on {:?}", path.haystack);
        }
    }
}
