#![recursion_limit = "512"]

//! The browser side of the staff pages: hydrate the server-rendered page with the staff routes
//! (public pages are not hydrated; see `app::bundles`).

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::StaffApp);
}
