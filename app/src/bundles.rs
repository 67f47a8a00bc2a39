//! Which pages run the WebAssembly app. Staff pages (`/app`, `/admin`) and the staff account
//! pages around them (sign-in, invitations, password reset, approval links: their next page is a
//! staff page, which needs the bundle anyway) hydrate with the staff bundle (`frontend`:
//! [`crate::StaffApp`], those routes only). Every page for candidates and the public (the
//! careers site, apply, talent sign-up, the portal, scheduling, offers, unsubscribe) is served as
//! HTML with plain forms and links, no WebAssembly: a candidate's phone downloads only the page
//! and `/enhance.js` (`public/enhance.js`, a few KB that keep typed input after an error, stop
//! double submits and pick the browser's time zone). Everything works without it.
//!
//! The server always renders [`crate::App`], every route. A staff page's link to a public page
//! loads that page in full (the staff bundle has no such route: `Missing` in the crate root).

/// Which routes a frame holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bundle {
    /// Every route: what the server renders.
    Full,
    /// Staff pages and staff sign-in only: what the browser hydrates.
    Staff,
}

/// Whether the page at `path` is hydrated (a staff page or staff sign-in) rather than served as
/// plain HTML.
pub fn hydrates(path: &str) -> bool {
    let under = |prefix: &str| {
        path.strip_prefix(prefix)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    };
    [
        "/app",
        "/admin",
        "/login",
        "/invite",
        "/password",
        "/approvals",
    ]
    .into_iter()
    .any(under)
}

/// Whether the page being rendered is hydrated: on the server, by the request's path (the shell
/// picks its scripts and the response its CSP by it); in the browser, always (only hydrated
/// pages run code there).
pub fn this_page_hydrates() -> bool {
    #[cfg(feature = "ssr")]
    {
        leptos::prelude::use_context::<http::request::Parts>()
            .is_none_or(|parts| hydrates(parts.uri.path()))
    }
    #[cfg(not(feature = "ssr"))]
    {
        true
    }
}

/// The public pages' script (served from the site root, see `public/`).
pub const ENHANCE_JS: &str = "/enhance.js";

#[cfg(test)]
mod tests {
    use super::hydrates;

    #[test]
    fn only_staff_pages_are_hydrated() {
        for path in [
            "/app",
            "/app/jobs/x/board",
            "/admin/staff",
            "/admin",
            "/login",
            "/password/reset",
            "/approvals/decide",
            "/invite",
        ] {
            assert!(hydrates(path), "{path}");
        }
        for path in [
            "/",
            "/jobs",
            "/jobs/rust-backend/applied",
            "/talent/renew",
            "/no-such-page",
            "/portal",
            "/portal/offers/o1",
            "/schedule/t0ken",
            "/apps",
            "/logins",
            "/administrator",
        ] {
            assert!(!hydrates(path), "{path}");
        }
    }
}
