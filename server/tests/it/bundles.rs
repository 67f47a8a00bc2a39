//! Which WASM bundle a page's hydration script loads (`app::bundles`): each public area its own,
//! staff pages the full one; and the full one everywhere while the area bundles are missing or
//! older than it (a site built by `cargo leptos` alone).

use crate::common::*;
use std::path::Path;
use std::time::{Duration, SystemTime};

/// A site folder with empty bundle files, each written at `age` before now.
fn site_with(files: &[(&str, Duration)]) -> std::path::PathBuf {
    let site = temp_dir("bundles");
    let pkg = site.join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    for (name, age) in files {
        let f = std::fs::File::create(pkg.join(name)).unwrap();
        f.set_modified(SystemTime::now() - *age).unwrap();
    }
    site
}

async fn spawn_on(site: &Path) -> TestApp {
    let smtp = Smtp::start();
    let config = test_config(&smtp);
    let mut options = server::test_leptos_options();
    options.site_root = site.to_string_lossy().into_owned().into();
    spawn_site(config, smtp, options).await
}

/// The bundle the page preloads and hydrates with (`<link rel="modulepreload" href="/pkg/NAME.js">`).
fn bundle_of(html: &str) -> String {
    let scripts: Vec<&str> = html
        .split("\"/pkg/")
        .skip(1)
        .filter_map(|rest| rest.split_once('"').map(|(file, _)| file))
        .filter_map(|file| file.strip_suffix(".js"))
        .collect();
    assert_eq!(scripts.len(), 1, "one script: {scripts:?}");
    scripts[0].to_string()
}

#[tokio::test]
async fn each_public_area_loads_its_own_bundle_and_staff_pages_the_full_one() {
    let hour = Duration::from_secs(3600);
    let site = site_with(&[
        ("ats.wasm", hour),
        ("ats-careers.wasm", Duration::ZERO),
        ("ats-portal.wasm", Duration::ZERO),
        ("ats-account.wasm", Duration::ZERO),
    ]);
    let t = spawn_on(&site).await;
    let visitor = t.client();
    for (path, bundle) in [
        ("/", "ats-careers"),
        ("/jobs", "ats-careers"),
        ("/jobs/rust-backend", "ats-careers"),
        ("/talent", "ats-careers"),
        ("/no-such-page", "ats-careers"),
        ("/portal/signin", "ats-portal"),
        ("/login", "ats-account"),
        ("/password/reset", "ats-account"),
    ] {
        assert_eq!(bundle_of(&t.text(&visitor, path).await), bundle, "{path}");
    }
    let recruiter = t.signed_in("recruiter@acme.test").await;
    for path in ["/app", "/app/jobs/rust-backend/board", "/jobs"] {
        let want = if path == "/jobs" {
            "ats-careers"
        } else {
            "ats"
        };
        assert_eq!(bundle_of(&t.text(&recruiter, path).await), want, "{path}");
    }
    t.stop().await;
}

#[tokio::test]
async fn while_an_area_bundle_is_stale_every_page_loads_the_full_one() {
    // The careers bundle predates the full one (`cargo leptos build` alone rebuilt that).
    let site = site_with(&[
        ("ats.wasm", Duration::ZERO),
        ("ats-careers.wasm", Duration::from_secs(3600)),
        ("ats-portal.wasm", Duration::ZERO),
        ("ats-account.wasm", Duration::ZERO),
    ]);
    let t = spawn_on(&site).await;
    let visitor = t.client();
    for path in ["/jobs", "/portal/signin", "/login"] {
        assert_eq!(bundle_of(&t.text(&visitor, path).await), "ats", "{path}");
    }
    t.stop().await;
}

#[tokio::test]
async fn without_area_bundles_every_page_loads_the_full_one() {
    let site = site_with(&[("ats.wasm", Duration::ZERO)]);
    let t = spawn_on(&site).await;
    let visitor = t.client();
    for path in ["/jobs", "/portal/signin", "/login"] {
        assert_eq!(bundle_of(&t.text(&visitor, path).await), "ats", "{path}");
    }
    t.stop().await;
}
