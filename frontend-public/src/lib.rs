#![recursion_limit = "512"]

//! The browser side of the public pages: hydrate the server-rendered page with one area's
//! routes only (the feature picks the area; see `app::bundles`).

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    #[cfg(feature = "careers")]
    leptos::mount::hydrate_body(app::CareersApp);
    #[cfg(feature = "portal")]
    leptos::mount::hydrate_body(app::PortalApp);
    #[cfg(feature = "account")]
    leptos::mount::hydrate_body(app::AccountApp);
}
