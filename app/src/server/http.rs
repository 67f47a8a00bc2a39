//! HTTP-level helpers: cookies, client address, cross-site request refusal.

use crate::error::AppError;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use std::net::SocketAddr;

/// Plain axum handlers (feeds, downloads, webhooks) return `AppResult<…>` too: the status follows
/// from the variant, the body is the user-facing message (internals were logged where they
/// happened).
impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let code =
            StatusCode::from_u16(self.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let message = match &self {
            AppError::Validation(errors) => errors
                .iter()
                .map(|e| e.message.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            other => other.to_string(),
        };
        (code, message).into_response()
    }
}

/// The name a cookie really has: over https it carries the `__Host-` prefix, so browsers
/// accept it only from this host, Secure, for path `/` (a neighbouring subdomain cannot plant
/// or overwrite it).
pub fn cookie_name(name: &str, secure: bool) -> String {
    if secure {
        format!("__Host-{name}")
    } else {
        name.to_string()
    }
}

/// Value of cookie `name` (as set by [`set_cookie`] with the same `secure`) in the request.
pub fn cookie(headers: &HeaderMap, name: &str, secure: bool) -> Option<String> {
    let name = cookie_name(name, secure);
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(cookie::Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_string())
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, Path=/; over https Secure and `__Host-`.
pub fn set_cookie(name: &str, value: &str, max_age_secs: i64, secure: bool) -> HeaderValue {
    let c = cookie::Cookie::build((cookie_name(name, secure), value))
        .path("/")
        .http_only(true)
        .same_site(cookie::SameSite::Lax)
        .max_age(cookie::time::Duration::seconds(max_age_secs))
        .secure(secure)
        .build();
    HeaderValue::from_str(&c.to_string()).expect("cookie names and values are header-safe")
}

/// The client's address: the connecting address, or, when that is one of the `trusted`
/// proxies, the right-most `X-Forwarded-For` entry that is not a trusted proxy (entries to its
/// left are whatever the client wrote, so they are never believed).
pub fn client_ip(parts: &http::request::Parts, trusted: &[std::net::IpAddr]) -> String {
    let Some(peer) = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ci| ci.0.ip())
    else {
        return "unknown".into();
    };
    forwarded_client(peer, &parts.headers, trusted).to_string()
}

fn forwarded_client(
    peer: std::net::IpAddr,
    headers: &HeaderMap,
    trusted: &[std::net::IpAddr],
) -> std::net::IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let hops: Vec<std::net::IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|h| h.trim().parse().ok())
        .collect();
    hops.into_iter()
        .rev()
        .find(|ip| !trusted.contains(ip))
        .unwrap_or(peer)
}

/// Whether a state-changing request may proceed: browsers tell us where a request comes from
/// with `Sec-Fetch-Site` and `Origin`; anything cross-site is refused. Requests without either
/// header do not come from a browser page (curl, mail clients' one-click unsubscribe) and pass.
pub fn allowed_origin(headers: &HeaderMap, public_origin: &str) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(site, "same-origin" | "none");
    }
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        if origin == public_origin {
            return true;
        }
        let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
        return match (origin.split_once("://"), host) {
            (Some((_, origin_host)), Some(host)) => origin_host == host,
            _ => false,
        };
    }
    true
}

/// The Content-Security-Policy of a page whose inline scripts carry `nonce`: scripts only from
/// those (and what they load), WebAssembly only where the page runs it (`wasm`: staff pages),
/// everything else from this origin; forms post only here, no plugins, no `<base>`, no framing
/// by other sites.
pub fn content_security_policy(nonce: &str, wasm: bool) -> String {
    let wasm = if wasm { " 'wasm-unsafe-eval'" } else { "" };
    format!(
        "default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic'{wasm}; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
         font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'self'"
    )
}

/// Middleware: staff, portal and API answers are never stored by browsers or proxies (they hold
/// candidates' data), and over https browsers are told to stay on https (HSTS).
pub async fn private_by_default(
    State(secure): State<bool>,
    req: Request<Body>,
    next: Next,
) -> Response {
    let private = {
        let p = req.uri().path();
        p.starts_with("/api/")
            || ["/app", "/admin", "/portal", "/approvals", "/login"]
                .iter()
                .any(|x| p == *x || p.strip_prefix(x).is_some_and(|r| r.starts_with('/')))
    };
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    if private && !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if secure {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    res
}

/// Middleware: refuse cross-site state-changing requests with 403.
pub async fn refuse_cross_site(
    State(public_origin): State<String>,
    req: Request<Body>,
    next: Next,
) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe && !allowed_origin(req.headers(), &public_origin) {
        tracing::warn!(path = %req.uri().path(), "refused a cross-site request");
        return (
            StatusCode::FORBIDDEN,
            "Cross-site requests are not allowed.",
        )
            .into_response();
    }
    next.run(req).await
}

/// A feature's plain HTTP routes (feeds, downloads, exports, tracking, webhooks, streams), with
/// their paths kept beside the router: the authorisation matrix reads [`Routes::paths`] and
/// fails on a route it does not classify, so no route ships without a decision on who may call it.
#[derive(Default)]
pub struct Routes {
    router: axum::Router<crate::server::AppState>,
    paths: Vec<&'static str>,
}

impl Routes {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `path` (axum's syntax, `{id}` for a parameter) answered by `handler`.
    pub fn route(
        mut self,
        path: &'static str,
        handler: axum::routing::MethodRouter<crate::server::AppState>,
    ) -> Self {
        self.router = self.router.route(path, handler);
        self.paths.push(path);
        self
    }

    /// Adds another feature's routes.
    pub fn merge(mut self, other: Routes) -> Self {
        self.router = self.router.merge(other.router);
        self.paths.extend(other.paths);
        self
    }

    /// Every path, in the order added.
    pub fn paths(&self) -> &[&'static str] {
        &self.paths
    }

    pub fn into_router(self) -> axum::Router<crate::server::AppState> {
        self.router
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn cookies_are_found_by_name() {
        let h = headers(&[("cookie", "a=1; ats_session=tok; b=2")]);
        assert_eq!(cookie(&h, "ats_session", false).as_deref(), Some("tok"));
        assert_eq!(cookie(&h, "missing", false), None);
        // Over https only the `__Host-` cookie counts: a planted plain one is ignored.
        assert_eq!(cookie(&h, "ats_session", true), None);
        let h = headers(&[("cookie", "ats_session=planted; __Host-ats_session=real")]);
        assert_eq!(cookie(&h, "ats_session", true).as_deref(), Some("real"));
    }

    #[test]
    fn set_cookies_are_safe() {
        let c = set_cookie("ats_session", "tok", 60, true);
        let c = c.to_str().unwrap();
        for part in [
            "__Host-ats_session=tok",
            "Path=/",
            "HttpOnly",
            "SameSite=Lax",
            "Max-Age=60",
            "Secure",
        ] {
            assert!(c.contains(part), "{c} lacks {part}");
        }
        assert!(
            !set_cookie("a", "b", 0, false)
                .to_str()
                .unwrap()
                .contains("Secure")
        );
    }

    #[test]
    fn cross_site_requests_are_refused() {
        let o = "http://127.0.0.1:3000";
        assert!(allowed_origin(
            &headers(&[("sec-fetch-site", "same-origin")]),
            o
        ));
        assert!(!allowed_origin(
            &headers(&[("sec-fetch-site", "cross-site")]),
            o
        ));
        assert!(!allowed_origin(
            &headers(&[("sec-fetch-site", "same-site")]),
            o
        ));
        assert!(allowed_origin(
            &headers(&[("origin", "http://127.0.0.1:3000")]),
            o
        ));
        assert!(!allowed_origin(
            &headers(&[("origin", "https://evil.example")]),
            o
        ));
        assert!(allowed_origin(
            &headers(&[
                ("origin", "http://localhost:3000"),
                ("host", "localhost:3000")
            ]),
            o
        ));
        assert!(allowed_origin(&headers(&[]), o));
    }
}

/// After a plain form post on a public page (they are not hydrated, see `crate::bundles`): back
/// to the page the form was on, with `done=<what>` in its query for the page to say what
/// happened ("Booked.", "Saved."). The page is the request's `Referer`, its path and query only
/// (never another site); `fallback` when the browser sent none.
pub fn back_with_done(done: &str, fallback: &str) {
    leptos_axum::redirect(&back_url(
        referer().as_deref(),
        &[],
        &[("done", done)],
        fallback,
    ));
}

/// After a plain form post (a browser without JavaScript) that worked: back to the page it was
/// on, as `back_with_done` finds it, without the query keys in `drop` (the state that led to the
/// form, such as the board's open "Move to" form) and with the pairs in `add` (such as the card
/// just moved, which the board keeps in view). A post sent by the hydrated page's own code is
/// left alone: a redirect would make that page navigate.
pub fn back_without(drop: &[&str], add: &[(&str, &str)], fallback: &str) {
    let plain = leptos::prelude::use_context::<http::request::Parts>().is_some_and(|parts| {
        parts
            .headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"))
    });
    if plain {
        leptos_axum::redirect(&back_url(referer().as_deref(), drop, add, fallback));
    }
}

fn referer() -> Option<String> {
    leptos::prelude::use_context::<http::request::Parts>().and_then(|parts| {
        parts
            .headers
            .get(header::REFERER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    })
}

/// `referer`'s path and query (without an earlier `done`, a form error's `__path`/`__err`, the
/// keys in `drop` or those of `add`), then the pairs in `add` (`done=<what>`, say).
fn back_url(referer: Option<&str>, drop: &[&str], add: &[(&str, &str)], fallback: &str) -> String {
    let local = referer
        .and_then(|r| r.split_once("://").map(|(_, rest)| rest))
        .and_then(|rest| rest.find('/').map(|i| &rest[i..]))
        .filter(|path| !path.starts_with("//"))
        .unwrap_or(fallback);
    let local = local.split('#').next().unwrap_or(local);
    let (path, query) = local.split_once('?').unwrap_or((local, ""));
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (k, v) in form_urlencoded::parse(query.as_bytes()) {
        if !matches!(&*k, "done" | "__path" | "__err")
            && !drop.contains(&&*k)
            && !add.iter().any(|(a, _)| *a == k)
        {
            out.append_pair(&k, &v);
        }
    }
    for (k, v) in add {
        out.append_pair(k, v);
    }
    let query = out.finish();
    if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{query}")
    }
}

#[cfg(test)]
mod back_tests {
    use super::back_url;

    #[test]
    fn a_form_goes_back_to_its_page_on_this_site_saying_what_was_done() {
        assert_eq!(
            back_url(
                Some("https://jobs.acme.test/schedule/t0k?tz=Asia%2FTokyo&done=moved"),
                &[],
                &[("done", "booked")],
                "/portal"
            ),
            "/schedule/t0k?tz=Asia%2FTokyo&done=booked"
        );
        assert_eq!(
            back_url(
                Some("http://h/portal?__path=%2Fapi%2Fx&__err=YQ#top"),
                &[],
                &[("done", "details")],
                "/"
            ),
            "/portal?done=details"
        );
        assert_eq!(
            back_url(None, &[], &[("done", "topics")], "/unsubscribe"),
            "/unsubscribe?done=topics"
        );
        // Only a path of this site: a referer without one, or a protocol-relative one, is not used.
        assert_eq!(
            back_url(Some("https://evil.test"), &[], &[("done", "x")], "/p"),
            "/p?done=x"
        );
        assert_eq!(
            back_url(Some("https://h//evil.test/a"), &[], &[("done", "x")], "/p"),
            "/p?done=x"
        );
        // The board's "Move to" form after the move: the filters stay, the open form goes.
        assert_eq!(
            back_url(
                Some("http://h/app/jobs/j1/board?tag=rust&move=a1&__err=x#move-a1"),
                &["move"],
                &[],
                "/app"
            ),
            "/app/jobs/j1/board?tag=rust"
        );
        assert_eq!(
            back_url(
                Some("http://h/app/jobs/j1/board?move=a1"),
                &["move"],
                &[],
                "/app"
            ),
            "/app/jobs/j1/board"
        );
        // …keeping the moved card in view: the last one moved, once.
        assert_eq!(
            back_url(
                Some("http://h/app/jobs/j1/board?all=applied&kept=a0&move=a1"),
                &["move"],
                &[("kept", "a1")],
                "/app"
            ),
            "/app/jobs/j1/board?all=applied&kept=a1"
        );
    }
}
