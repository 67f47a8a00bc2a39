//! Generic UI pieces (no server functions here).

pub mod chart;
pub mod drag;
pub mod form;
pub mod shortcuts;
pub mod toast;
pub mod ui;

pub use form::PostForm;
pub use ui::{Avatar, Badge, Drawer, EmptyState, Modal, Skeleton, Tabs, TodoCard, Tone};

use crate::error::AppError;
use leptos::prelude::*;
use server_fn::ServerFn;

/// What public pages show of the brand: the company's name, the admin's colour (as the CSS
/// custom properties of `style/base.css`) and the careers introduction.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Branding {
    pub company: String,
    /// `--brand:#…;--brand-dark:#…;…` (built from a checked `#rrggbb`, nothing else).
    pub css: String,
    /// Empty: the page's own words.
    pub intro: String,
    /// The logo's path, when there is one.
    pub logo: Option<String>,
}

/// The company's name (`COMPANY_NAME`), known on every page at once: the server writes it into
/// the page and the browser reads it back (see `App`).
#[derive(Clone, Debug, Default)]
pub struct Company(pub String);

/// The company's name, e.g. for "… Careers" and "… Hiring" ("" when not provided).
pub fn use_company() -> String {
    use_context::<Company>().map(|c| c.0).unwrap_or_default()
}

/// Where the brand comes from: the app provides it (a server function of the admin feature),
/// so these generic pieces name no feature.
#[derive(Clone, Copy)]
pub struct BrandingSource(pub fn() -> BrandingFuture);

/// A load of the brand.
pub type BrandingFuture =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<Branding, AppError>> + Send>>;

/// The brand as this browser tab last loaded it (`App` provides one per page load). Moving from
/// one public page to another in the browser then shows the brand at once, instead of the
/// default colour for as long as the next page takes to ask the server again.
#[derive(Clone, Copy)]
pub struct BrandingCache(pub StoredValue<Option<Branding>>);

/// The brand, loading (for a public page).
pub fn use_branding() -> Resource<Result<Branding, AppError>> {
    let source = use_context::<BrandingSource>();
    let cache = use_context::<BrandingCache>();
    let brand = Resource::new(
        || (),
        move |_| async move {
            if let Some(known) = cache.and_then(|c| c.0.get_value()) {
                return Ok(known);
            }
            match source {
                Some(s) => (s.0)().await,
                None => Ok(Branding::default()),
            }
        },
    );
    // Remembered in the browser, also when the value came with the page (hydration).
    if let Some(cache) = cache {
        Effect::new(move || {
            if let Some(Ok(b)) = brand.get() {
                cache.0.set_value(Some(b));
            }
        });
    }
    brand
}

/// Header of the public pages (careers, portal), in the brand's colour and name.
#[component]
pub fn PublicHeader() -> impl IntoView {
    let brand = use_branding();
    let company = use_company();
    let name = if company.is_empty() {
        "Careers".to_string()
    } else {
        format!("{company} Careers")
    };
    let fallback_name = name.clone();
    view! {
        <header class="public-header">
            <Suspense fallback=move || view! { <a class="brand" href="/">{fallback_name.clone()}</a> }>
                {move || {
                    let name = name.clone();
                    Suspend::new(async move {
                    let b = brand.await.unwrap_or_default();
                    view! {
                        {(!b.css.is_empty()).then(|| view! {
                            // Light scheme only: the dark theme keeps colours made for dark backgrounds.
                            <style>{format!("@media (prefers-color-scheme: light) {{ :root {{ {} }} }}", b.css)}</style>
                        })}
                        <a class="brand" href="/">
                            {b.logo.clone().map(|src| view! { <img class="brand-logo" src=src alt="" height="32"/> })}
                            {name}
                        </a>
                    }
                })}}
            </Suspense>
            <nav aria-label="Main">
                <a href="/jobs">"Open jobs"</a>
                <a href="/portal">"My applications"</a>
            </nav>
        </header>
    }
}

/// The error of the last run of `action`, if it failed.
pub fn action_error<S>(action: ServerAction<S>) -> Signal<Option<AppError>>
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    let value = action.value();
    // Read with `try_get` throughout (see [`live`]): an action made by a part of a view that
    // was rebuilt is gone with it.
    Signal::derive(move || match value.try_get().flatten() {
        Some(Err(e)) => Some(e),
        _ => None,
    })
}

/// Errors of an action, with JavaScript (its value) or without (carried back in the URL).
pub fn action_or_url_error<S>(action: ServerAction<S>) -> Signal<Option<AppError>>
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    let from_url = url_error::<S>();
    let err = action_error(action);
    Signal::derive(move || live(err).or_else(|| from_url.clone()))
}

/// What an error signal a component was given holds now, or nothing once it is gone. Under a
/// `<Transition>`, the old view stays on screen while the new one loads, but what the view's
/// last build made (a derived signal passed as a prop) is disposed as soon as the build runs
/// again; an action that completes changes its value in that same moment, so the old view's
/// effects may read it once more before they are dropped. That old view is about to go:
/// showing no error there is right, a panic would stop the page.
pub fn live<T: Clone + Send + Sync + 'static>(error: Signal<Option<T>>) -> Option<T> {
    error.try_get().flatten()
}

/// The error for a form's banner: any but a validation error (each field shows its own).
pub fn general_error(err: Signal<Option<AppError>>) -> Signal<Option<AppError>> {
    Signal::derive(move || live(err).filter(|e| !matches!(e, AppError::Validation(_))))
}

/// The message for one field from an error signal.
pub fn field_error(err: Signal<Option<AppError>>, field: &'static str) -> Signal<Option<String>> {
    Signal::derive(move || live(err).and_then(|e| e.field_message(field)))
}

/// A labelled input with its error message beneath (linked for screen readers).
#[component]
pub fn Field(
    label: &'static str,
    name: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional_no_strip)] value: Option<String>,
    #[prop(optional)] required: bool,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] accept: Option<&'static str>,
    #[prop(optional)] placeholder: Option<&'static str>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let id = format!("f-{name}");
    let err_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described = if hint.is_some() {
        format!("{err_id} {hint_id}")
    } else {
        err_id.clone()
    };
    view! {
        <div class="field" class:has-error=move || live(error).is_some()>
            <label for=id.clone()>{label}{required.then_some(view! { <span class="req" aria-hidden="true">" *"</span> })}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            <input
                id=id
                name=name
                type=kind
                value=value
                required=required
                autocomplete=autocomplete
                accept=accept
                placeholder=placeholder
                aria-invalid=move || if live(error).is_some() { "true" } else { "false" }
                aria-describedby=described
            />
            <p class="field-error" id=err_id role="alert">{move || live(error)}</p>
        </div>
    }
}

/// A labelled textarea with its error message.
#[component]
pub fn TextArea(
    label: &'static str,
    name: &'static str,
    #[prop(optional_no_strip)] value: Option<String>,
    #[prop(optional)] required: bool,
    #[prop(default = 8)] rows: u32,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let id = format!("f-{name}");
    let err_id = format!("{id}-error");
    view! {
        <div class="field" class:has-error=move || live(error).is_some()>
            <label for=id.clone()>{label}{required.then_some(view! { <span class="req" aria-hidden="true">" *"</span> })}</label>
            {hint.map(|h| view! { <p class="hint">{h}</p> })}
            <textarea
                id=id
                name=name
                rows=rows
                required=required
                aria-invalid=move || if live(error).is_some() { "true" } else { "false" }
                aria-describedby=err_id.clone()
            >
                {value.unwrap_or_default()}
            </textarea>
            <p class="field-error" id=err_id role="alert">{move || live(error)}</p>
        </div>
    }
}

/// A banner for errors that belong to no single field.
#[component]
pub fn FormError(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    move || {
        live(error).map(|e| {
            let text = e.to_string();
            view! { <div class="banner banner-error" role="alert">{text}</div> }
        })
    }
}

/// A server-rendered page that shows an error answers with that error's status (404 for a job
/// that is not open, 403, 401, …), the same mapping as server functions. [`ErrorPanel`] calls
/// it; a page with its own error view calls it too. Does nothing in the browser.
pub fn error_status(error: &AppError) {
    #[cfg(feature = "ssr")]
    error.set_response_status(false);
    #[cfg(not(feature = "ssr"))]
    let _ = error;
}

/// Shown when a page's data failed to load.
#[component]
pub fn ErrorPanel(error: AppError) -> impl IntoView {
    error_status(&error);
    let signin = matches!(error, AppError::Unauthenticated);
    view! {
        <div class="banner banner-error" role="alert">
            <p>{error.to_string()}</p>
            {signin.then(|| view! { <p><a href="/login">"Sign in"</a></p> })}
        </div>
    }
}

/// Renders `Result<V, AppError>` from a resource: the view or an error panel.
pub fn or_error<V: IntoView + 'static>(r: Result<V, AppError>) -> AnyView {
    match r {
        Ok(v) => v.into_any(),
        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
    }
}

#[component]
pub fn Loading() -> impl IntoView {
    view! {
        <div class="loading" role="status">
            <span class="visually-hidden">"Loading…"</span>
            <Skeleton/>
        </div>
    }
}

/// "23 Nov 2026" from an RFC 3339 timestamp (server and browser render the same text).
pub fn format_date(rfc3339: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|d| day_month_year(&d))
        .unwrap_or_default()
}

/// "1 Feb 2027" from a day, "2027-02-01" (anything else as it is).
pub fn format_day(ymd: &str) -> String {
    chrono::NaiveDate::parse_from_str(ymd, "%Y-%m-%d")
        .map(|d| day_month_year(&d))
        .unwrap_or_else(|_| ymd.to_string())
}

/// "23 Nov 2026, 14:05 UTC".
pub fn format_datetime(rfc3339: &str) -> String {
    use chrono::Timelike;
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|d| {
            let d = d.with_timezone(&chrono::Utc);
            format!(
                "{}, {:02}:{:02} UTC",
                day_month_year(&d),
                d.hour(),
                d.minute()
            )
        })
        .unwrap_or_default()
}

/// "23 Nov 2026": what chrono's `%-d %b %Y` writes, built by hand so that the pages' WASM does
/// not carry chrono's format-string parser and writer (the board's bundle needs only this).
fn day_month_year(d: &impl chrono::Datelike) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "{} {} {:04}",
        d.day(),
        MONTHS[d.month0() as usize],
        d.year()
    )
}

/// `s` in lower case, for comparing names and labels. In the browser it is JavaScript's
/// `toLowerCase` (the same Unicode rules as Rust's `to_lowercase`), so that the pages' WASM does
/// not carry Rust's Unicode case tables; on the server, Rust's.
pub fn lowercase(s: &str) -> String {
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        String::from(js_sys::JsString::from(s).to_lower_case())
    }
    #[cfg(not(all(feature = "hydrate", not(feature = "ssr"))))]
    {
        s.to_lowercase()
    }
}

/// `s` in upper case, as [`lowercase`] (JavaScript's `toUpperCase` in the browser).
pub fn uppercase(s: &str) -> String {
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        String::from(js_sys::JsString::from(s).to_upper_case())
    }
    #[cfg(not(all(feature = "hydrate", not(feature = "ssr"))))]
    {
        s.to_uppercase()
    }
}

/// Paragraphs from plain text (text nodes only, never HTML).
pub fn paragraphs(text: &str) -> impl IntoView + use<> {
    text.split("\n\n")
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .map(|p| {
            let lines: Vec<String> = p.lines().map(str::to_string).collect();
            let n = lines.len();
            view! {
                <p>
                    {lines
                        .into_iter()
                        .enumerate()
                        .map(|(i, l)| view! { {l}{(i + 1 < n).then(|| view! { <br/> })} })
                        .collect_view()}
                </p>
            }
        })
        .collect_view()
}

/// Submits a multipart form in the background (with JavaScript); without it, the browser posts
/// the form to the server function and follows its redirect.
#[allow(unused_variables)]
pub fn submit_multipart<F, Fut, T>(
    ev: leptos::ev::SubmitEvent,
    pending: RwSignal<bool>,
    result: RwSignal<Option<AppError>>,
    send: F,
) where
    F: FnOnce(server_fn::codec::MultipartData) -> Fut + 'static,
    Fut: std::future::Future<Output = Result<T, AppError>> + 'static,
{
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let Some(form) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok())
        else {
            return;
        };
        let Ok(data) = web_sys::FormData::new_with_form(&form) else {
            return;
        };
        pending.set(true);
        leptos::task::spawn_local(async move {
            let r = send(data.into()).await;
            pending.set(false);
            result.set(r.err());
        });
    }
}

/// Characters left as they are in a query value: unreserved ones (RFC 3986) and `/`.
const QUERY_VALUE: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b'/');

/// Percent-encodes a string for use in a query value.
pub fn urlencode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, QUERY_VALUE).to_string()
}

/// Whether the last form post on this page did `what`: `done=what` in the query (put there by
/// `server::http::back_with_done`), and no later post failed (its error, `__err`, is added to
/// the same address).
pub fn form_done(query: &leptos_router::params::ParamsMap, what: &str) -> bool {
    query.get("done").as_deref() == Some(what) && query.get("__err").is_none()
}

/// The error a no-JavaScript form post of `S` brought back in the URL, if any.
pub fn url_error<S: ServerFn>() -> Option<AppError> {
    use_context::<leptos::server::ServerActionError>()
        .filter(|e| e.path() == S::PATH)
        .map(|e| server_fn::error::ServerFnUrlError::<AppError>::decode_err(e.err()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(urlencode("/app/jobs?x=1 2"), "/app/jobs%3Fx%3D1%202");
        assert_eq!(urlencode("rust-dev_1.0~"), "rust-dev_1.0~");
        assert_eq!(urlencode("é&"), "%C3%A9%26");
    }

    #[test]
    fn dates_format_the_same_everywhere() {
        assert_eq!(format_date("2026-11-03T10:00:00+00:00"), "3 Nov 2026");
        assert_eq!(
            format_datetime("2026-11-03T10:05:00Z"),
            "3 Nov 2026, 10:05 UTC"
        );
        assert_eq!(format_date("garbage"), "");
        assert_eq!(format_day("2027-02-01"), "1 Feb 2027");
        assert_eq!(format_day("next spring"), "next spring");
        // The same text as chrono's format strings, on every month and a day/time of one digit.
        for month in 1..=12 {
            let at = format!("2027-{month:02}-04T09:07:00+02:00");
            let d = chrono::DateTime::parse_from_rfc3339(&at).unwrap();
            assert_eq!(format_date(&at), d.format("%-d %b %Y").to_string());
            assert_eq!(
                format_datetime(&at),
                d.with_timezone(&chrono::Utc)
                    .format("%-d %b %Y, %H:%M UTC")
                    .to_string()
            );
        }
    }
}
