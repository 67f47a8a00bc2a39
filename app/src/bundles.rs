//! Which pages run the WebAssembly app, and which bundle of it. Staff pages (`/app`, `/admin`)
//! and the staff account pages around them (sign-in, invitations, password reset, approval links:
//! their next page is a staff page, which needs the bundle anyway) hydrate with the staff bundle
//! (`frontend`: [`crate::StaffApp`], those routes only). A job's pipeline board, the page
//! recruiters keep open all day and the heaviest to load, hydrates with a bundle of its own
//! (`frontend` with the feature `board`: [`crate::BoardApp`], the staff frame and the board
//! only): see [`Bundle::Board`]. Every page for candidates and the public (the careers site,
//! apply, talent sign-up, the portal, scheduling, offers, unsubscribe) is served as HTML with
//! plain forms and links, no WebAssembly: a candidate's phone downloads only the page and
//! `/enhance.js` (`public/enhance.js`, a few KB that keep typed input after an error, stop double
//! submits and pick the browser's time zone). Everything works without it.
//!
//! The server always renders [`crate::App`], every route. A page's link to a page its bundle does
//! not hold loads that page in full, with that page's bundle (`Missing` in the crate root).

/// Which routes a frame holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bundle {
    /// Every route: what the server renders.
    Full,
    /// Staff pages and staff sign-in only: what the browser hydrates on them.
    Staff,
    /// A job's board alone, in the staff frame (`/app/jobs/<id>/board`): what the browser
    /// hydrates there. Built by the cargo-leptos project `board` (the workspace's Cargo.toml)
    /// into [`BOARD_PKG_DIR`] under the site's package directory, with the same file names.
    Board,
}

/// Where the board's bundle is, under the site's package directory (`/pkg/board/ats.wasm`); the
/// project `board` in the workspace's Cargo.toml writes it there.
pub const BOARD_PKG_DIR: &str = "board";

impl Bundle {
    /// Whether this bundle has the route of `path` (the browser loads any other page in full).
    pub fn holds(self, path: &str) -> bool {
        match self {
            Bundle::Full => true,
            Bundle::Staff => hydrates(path),
            Bundle::Board => is_board(path),
        }
    }

    /// The options the page's hydration scripts are written with: this bundle's files.
    pub fn scripts(
        self,
        mut options: leptos::prelude::LeptosOptions,
    ) -> leptos::prelude::LeptosOptions {
        if self == Bundle::Board {
            options.site_pkg_dir = format!("{}/{BOARD_PKG_DIR}", options.site_pkg_dir).into();
        }
        options
    }
}

/// The bundle the page at `path` hydrates with; `None` for the public pages (plain HTML).
pub fn bundle_of(path: &str) -> Option<Bundle> {
    if is_board(path) {
        Some(Bundle::Board)
    } else if hydrates(path) {
        Some(Bundle::Staff)
    } else {
        None
    }
}

/// Whether `path` is a job's pipeline board, `/app/jobs/<id>/board`.
fn is_board(path: &str) -> bool {
    let Some(rest) = path.strip_prefix("/app/jobs/") else {
        return false;
    };
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    matches!(rest.split_once('/'), Some((id, "board")) if !id.is_empty())
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
    this_page_bundle().is_some()
}

/// The bundle the page being rendered hydrates with, by the request's path (without a request,
/// the staff bundle). In the browser, some bundle (only hydrated pages run code there), which
/// one is not known here: the frame's [`Bundle`] says.
pub fn this_page_bundle() -> Option<Bundle> {
    #[cfg(feature = "ssr")]
    {
        match leptos::prelude::use_context::<http::request::Parts>() {
            Some(parts) => bundle_of(parts.uri.path()),
            None => Some(Bundle::Staff),
        }
    }
    #[cfg(not(feature = "ssr"))]
    {
        Some(Bundle::Staff)
    }
}

/// The public pages' script (served from the site root, see `public/`).
pub const ENHANCE_JS: &str = "/enhance.js";

#[cfg(test)]
mod tests {
    use super::{Bundle, bundle_of, hydrates};

    #[test]
    fn a_board_hydrates_with_its_own_bundle_and_holds_only_boards() {
        for path in ["/app/jobs/x/board", "/app/jobs/rust-backend/board/"] {
            assert_eq!(bundle_of(path), Some(Bundle::Board), "{path}");
            assert!(
                Bundle::Board.holds(path) && Bundle::Staff.holds(path),
                "{path}"
            );
        }
        for path in [
            "/app/jobs/x",
            "/app/jobs/x/plan",
            "/app/jobs//board",
            "/app/jobs/x/board/more",
            "/app/jobs/board",
            "/app",
        ] {
            assert_eq!(bundle_of(path), Some(Bundle::Staff), "{path}");
            assert!(!Bundle::Board.holds(path), "{path}");
        }
        for path in ["/jobs/x/board", "/portal", "/"] {
            assert_eq!(bundle_of(path), None, "{path}");
            assert!(
                !Bundle::Board.holds(path) && !Bundle::Staff.holds(path),
                "{path}"
            );
        }
    }

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
