#![recursion_limit = "512"]

//! The browser side of the staff pages: hydrate the server-rendered page with the staff routes,
//! or, built with the feature `board` (the cargo-leptos project `board`), with a job's board
//! alone (public pages are not hydrated; see `app::bundles`).

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    #[cfg(not(feature = "board"))]
    leptos::mount::hydrate_body(app::StaffApp);
    #[cfg(feature = "board")]
    leptos::mount::hydrate_body(app::BoardApp);
}
