//! Whole-policy checks that need the compiled rules: redirect loops (errors), shadowed rules and
//! public rules wider than they look (warnings).

use super::model::{Access, Policy, Rule};
use super::validate::Diagnostic;

pub(crate) fn lint_policy(policy: &Policy, errors: &mut Vec<Diagnostic>, warnings: &mut Vec<Diagnostic>) {
    check_redirect_target(policy, "$.signInUrl", Some(&policy.sign_in_url), errors);
    check_redirect_target(policy, "$.unauthorizedUrl", policy.unauthorized_url.as_ref(), errors);
    warn_uncovered_tasks_page(policy, warnings);
    warn_shadowed_rules(&policy.routes, warnings);
    warn_wide_public_rules(&policy.routes, warnings);
}

/// A same-origin redirect target must itself be public, or every signed-out visit loops.
fn check_redirect_target(policy: &Policy, path: &str, url: Option<&String>, errors: &mut Vec<Diagnostic>) {
    let Some(url) = url else { return };
    if !url.starts_with('/') {
        return; // another origin (e.g. Clerk's Account Portal): not ours to cover
    }
    match covering_rule(policy, pathname_of(url)) {
        Some(rule) if is_public(rule) => {}
        Some(rule) => errors.push(Diagnostic {
            path: path.into(),
            message: format!("\"{url}\" is covered by the non-public rule \"{}\": redirecting there would loop; add it to a public rule before that one", rule.name),
        }),
        None => errors.push(Diagnostic {
            path: path.into(),
            message: format!("\"{url}\" is covered by no rule, so the default denies it and redirecting there would loop; add it to a public rule"),
        }),
    }
}

/// Pending sessions are sent to `<signInUrl>/tasks` (as Clerk does); if no public rule covers it,
/// a pending user loops there. A warning, not an error: apps without session tasks never send one.
fn warn_uncovered_tasks_page(policy: &Policy, warnings: &mut Vec<Diagnostic>) {
    let url = &policy.sign_in_url;
    if !url.starts_with('/') {
        return;
    }
    let tasks = crate::decision::outcome::session_tasks_url(url);
    let pathname = pathname_of(&tasks);
    if !covering_rule(policy, pathname).is_some_and(is_public) {
        warnings.push(Diagnostic {
            path: "$.signInUrl".into(),
            message: format!(
                "pending sessions (sts: \"pending\") are sent to \"{pathname}\" like Clerk does, but no public rule covers it; match the sign-in page with \"{}(.*)\"",
                pathname_of(url).trim_end_matches('/')
            ),
        });
    }
}

/// The rule that decides `pathname` (the first that matches), if any.
fn covering_rule<'p>(policy: &'p Policy, pathname: &str) -> Option<&'p Rule> {
    policy.routes.iter().find(|rule| rule.matcher.matches(pathname))
}

fn is_public(rule: &Rule) -> bool {
    matches!(rule.access, Access::Public { .. })
}

/// The path of a same-origin URL (`/sign-in?x#y` → `/sign-in`).
fn pathname_of(url: &str) -> &str {
    url.split(['?', '#']).next().unwrap_or(url)
}

/// Sample paths a pattern surely matches, derived from its text: parameters get a sample value,
/// optional parts are dropped. Samples the pattern's own matcher rejects are discarded by callers.
fn sample_paths(pattern: &str) -> Vec<String> {
    let mut plain = String::with_capacity(pattern.len());
    let mut chars = pattern.chars().peekable();
    let mut depth = 0usize;
    while let Some(c) = chars.next() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            ':' => {
                while chars.peek().is_some_and(|c| c.is_alphanumeric() || *c == '_') {
                    chars.next();
                }
                plain.push_str("sample");
            }
            '{' | '}' | '?' | '*' | '+' | '\\' => {}
            _ => plain.push(c),
        }
    }
    let base = if plain.is_empty() { "/".to_string() } else { plain };
    let with_child = format!("{}/sample", base.trim_end_matches('/'));
    vec![base, with_child]
}

fn warn_shadowed_rules(rules: &[Rule], warnings: &mut Vec<Diagnostic>) {
    for (index, rule) in rules.iter().enumerate().skip(1) {
        let samples: Vec<String> = rule
            .patterns
            .iter()
            .flat_map(|p| sample_paths(p))
            .filter(|s| rule.matcher.matches(s))
            .collect();
        if samples.is_empty() {
            continue;
        }
        let mut shadowing: Vec<&str> = Vec::new();
        let all_shadowed = samples.iter().all(|sample| {
            match rules[..index].iter().find(|earlier| earlier.matcher.matches(sample)) {
                Some(earlier) => {
                    if !shadowing.contains(&earlier.name.as_str()) {
                        shadowing.push(&earlier.name);
                    }
                    true
                }
                None => false,
            }
        });
        if all_shadowed {
            warnings.push(Diagnostic {
                path: format!("$.routes[{index}]"),
                message: format!("rule \"{}\" looks shadowed by earlier rule(s) {}: the first matching rule wins, so it may never apply", rule.name, shadowing.join(", ")),
            });
        }
    }
}

const PROBE_ANYTHING: &str = "/edgeguard-probe-unlisted/x";
const PROBE_API: &str = "/api/edgeguard-probe-unlisted";
const PROBE_ADMIN: [&str; 2] = ["/admin", "/api/admin"];

fn warn_wide_public_rules(rules: &[Rule], warnings: &mut Vec<Diagnostic>) {
    for (index, rule) in rules.iter().enumerate() {
        if !is_public(rule) {
            continue;
        }
        let path = format!("$.routes[{index}].match");
        let message = if rule.matcher.matches(PROBE_ANYTHING) {
            Some("matches every path: this public rule turns default-deny into default-allow".to_string())
        } else if rule.matcher.matches(PROBE_API) {
            Some("makes every API route under /api public, including ones added later; list the public endpoints instead".to_string())
        } else {
            PROBE_ADMIN
                .iter()
                .find(|probe| rule.matcher.matches(probe))
                .map(|probe| format!("matches {probe}: an admin path is public"))
        };
        if let Some(message) = message {
            warnings.push(Diagnostic { path, message: format!("public rule \"{}\" {message}", rule.name) });
        }
    }
}
