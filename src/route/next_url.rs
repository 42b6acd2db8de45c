//! The pathname Next.js middleware sees (`req.nextUrl.pathname`), which is what Clerk matches.

use std::borrow::Cow;

/// NextURL without basePath/i18n config (Next's `getNextPathnameInfo` with `parseData`): a
/// `/_next/data/<build>/<page>.json` request is seen as the page's own path. Everything else is
/// unchanged. Apply it to the URL's pathname before `RouteMatcher::matches`, as Clerk gets it.
pub fn next_url_pathname(pathname: &str) -> Cow<'_, str> {
    let Some(rest) = pathname.strip_prefix("/_next/data/") else {
        return Cow::Borrowed(pathname);
    };
    let Some(rest) = rest.strip_suffix(".json") else {
        return Cow::Borrowed(pathname);
    };
    let mut parts = rest.split('/');
    let _build_id = parts.next();
    let page: Vec<&str> = parts.collect();
    if page.first() == Some(&"index") {
        return Cow::Owned("/".to_string());
    }
    Cow::Owned(format!("/{}", page.join("/")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_routes_map_to_their_page() {
        assert_eq!(next_url_pathname("/_next/data/b/admin.json"), "/admin");
        assert_eq!(next_url_pathname("/_next/data/b/admin/x.json"), "/admin/x");
        assert_eq!(next_url_pathname("/_next/data/b/index.json"), "/");
        assert_eq!(next_url_pathname("/_next/data/b.json"), "/");
        assert_eq!(
            next_url_pathname("/_next/static/x.js"),
            "/_next/static/x.js"
        );
        assert_eq!(next_url_pathname("/admin"), "/admin");
    }
}
