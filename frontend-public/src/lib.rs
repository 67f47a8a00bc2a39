#![recursion_limit = "512"]

//! The browser side of the public pages: hydrate the server-rendered page with the public routes
//! only (the server sends this bundle for every path outside `/app` and `/admin`).

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::PublicApp);
}
