//! Which WASM bundle a page loads. Candidates should not download the recruiters' app: the
//! careers site, the portal and the sign-in pages each hydrate with a bundle that holds only
//! their own routes (`CareersApp`, `PortalApp`, `AccountApp` in the crate root, built by
//! `frontend-public` with one feature each); staff pages (`/app`, `/admin`) with the full `App`.
//! The server always renders `App`; a page's bundle hydrates exactly its part of it. A page of
//! another bundle, reached by a link, the back button or a redirect, loads in full.

use leptos::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bundle {
    /// Every route: staff pages.
    Full,
    /// The careers site: home, jobs, a job and its apply form, talent sign-up, privacy notice.
    Careers,
    /// The candidate's portal: applications, offers, scheduling, signing in to it.
    Portal,
    /// Staff accounts outside the app: sign-in, invitations, password reset, approval links.
    Account,
}

impl Bundle {
    pub const PUBLIC: [Bundle; 3] = [Bundle::Careers, Bundle::Portal, Bundle::Account];

    /// The bundle's files are `{output_name}{suffix}.js` and `.wasm`.
    pub fn suffix(self) -> &'static str {
        match self {
            Bundle::Full => "",
            Bundle::Careers => "-careers",
            Bundle::Portal => "-portal",
            Bundle::Account => "-account",
        }
    }

    /// The bundle that serves a path (a path no route matches goes to the careers site's).
    pub fn for_path(path: &str) -> Bundle {
        let under = |prefix: &str| {
            path.strip_prefix(prefix)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        };
        if under("/app") || under("/admin") {
            Bundle::Full
        } else if under("/portal") || under("/schedule") {
            Bundle::Portal
        } else if under("/login") || under("/invite") || under("/password") || under("/approvals") {
            Bundle::Account
        } else {
            Bundle::Careers
        }
    }
}

/// Whether the public areas' bundles can be served: every one sits beside the full bundle and
/// none is older (a site built by `cargo leptos` alone has only the full one). Checked once,
/// when the server's router is built ([`PublicBundles::check`]), and handed to the shell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PublicBundles(bool);

impl PublicBundles {
    /// Looks at the site folder of `options`; logs a warning when the public bundles are missing
    /// or stale, since every page then loads the full one.
    #[cfg(feature = "ssr")]
    pub fn check(options: &LeptosOptions) -> PublicBundles {
        let pkg = std::path::Path::new(&*options.site_root).join(&*options.site_pkg_dir);
        let modified = |bundle: Bundle| {
            std::fs::metadata(pkg.join(format!("{}{}.wasm", options.output_name, bundle.suffix())))
                .and_then(|m| m.modified())
                .ok()
        };
        let built = modified(Bundle::Full).is_some_and(|full| {
            Bundle::PUBLIC
                .iter()
                .all(|b| modified(*b).is_some_and(|t| t >= full))
        });
        if !built {
            tracing::warn!(
                "the public pages' bundles in {} are missing or older than the full one: every \
                 page loads the full one (scripts/lib.sh build_site builds them)",
                pkg.display()
            );
        }
        PublicBundles(built)
    }

    /// The options the page's hydration scripts are written from: the request's bundle, when
    /// the public ones are built, else the full one (which hydrates every page).
    pub fn options_for_request(self, options: LeptosOptions) -> LeptosOptions {
        if !self.0 {
            return options;
        }
        #[cfg(feature = "ssr")]
        {
            let bundle = use_context::<http::request::Parts>()
                .map_or(Bundle::Full, |parts| Bundle::for_path(parts.uri.path()));
            if bundle != Bundle::Full {
                let mut options = options;
                options.output_name = format!("{}{}", options.output_name, bundle.suffix()).into();
                return options;
            }
        }
        options
    }
}

#[cfg(test)]
mod tests {
    use super::Bundle;

    #[test]
    fn each_path_has_the_bundle_of_its_area() {
        let cases = [
            ("/", Bundle::Careers),
            ("/jobs", Bundle::Careers),
            ("/jobs/rust-backend/applied", Bundle::Careers),
            ("/talent/renew", Bundle::Careers),
            ("/no-such-page", Bundle::Careers),
            ("/application", Bundle::Careers),
            ("/portal", Bundle::Portal),
            ("/portal/offers/o1", Bundle::Portal),
            ("/schedule/t0ken", Bundle::Portal),
            ("/portals", Bundle::Careers),
            ("/login", Bundle::Account),
            ("/password/reset", Bundle::Account),
            ("/approvals/decide", Bundle::Account),
            ("/app", Bundle::Full),
            ("/app/jobs/x/board", Bundle::Full),
            ("/admin/staff", Bundle::Full),
            ("/apps", Bundle::Careers),
            ("/administrator", Bundle::Careers),
        ];
        for (path, bundle) in cases {
            assert_eq!(Bundle::for_path(path), bundle, "{path}");
        }
    }
}
