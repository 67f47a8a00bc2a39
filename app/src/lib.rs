//! Acme Hiring: applicant tracking and candidate CRM in one product.
//!
//! Each feature area holds its wire types, server functions, (ssr-only) repository and views.

#![recursion_limit = "512"]

pub mod admin;
pub mod anonymity;
pub mod approvals;
pub mod audit;
pub mod auth;
pub mod bundles;
pub mod campaigns;
pub mod careers;
pub mod components;
pub mod dedupe;
#[cfg(feature = "ssr")]
pub mod demo;
pub mod domain;
pub mod error;
pub mod home;
pub mod imports;
pub mod interviews;
pub mod jobs;
pub mod offers;
pub mod people;
pub mod pipeline;
pub mod pools;
pub mod portal;
pub mod privacy;
pub mod reports;
pub mod reviews;
pub mod screening;
pub mod search;
pub mod segments;
#[cfg(feature = "ssr")]
pub mod server;
pub mod staff;
#[cfg(feature = "ssr")]
pub mod startup;
pub mod talent;
pub mod templates;
#[cfg(all(test, feature = "ssr"))]
pub mod testing;

use auth::{LoginPage, StaffLayout};
use bundles::Bundle;
use leptos::prelude::*;
use leptos_meta::{Meta, MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::{
    MatchNestedRoutes, SsrMode,
    components::{ParentRoute, Route, RouteChildren, Router, Routes, RoutesProps},
    path,
};

/// The document around every page. Staff pages load their bundle and hydrate; public pages
/// are plain HTML with one small script (see [`bundles`]).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let bundle = bundles::this_page_bundle();
    let hydrate = bundle.is_some();
    let scripts = bundle.map(|b| b.scripts(options.clone()));
    let nonce = leptos::nonce::use_nonce().map(|n| n.to_string());
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light dark"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                {scripts.map(|scripts| view! {
                    <AutoReload options/>
                    <HydrationScripts options=scripts/>
                })}
                {(!hydrate).then(|| view! { <script src=bundles::ENHANCE_JS nonce=nonce defer=true></script> })}
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Every page of the product: what the server renders.
#[component]
pub fn App() -> impl IntoView {
    frame(
        (
            careers_routes(),
            portal_routes(),
            account_routes(),
            staff_routes(),
        ),
        Bundle::Full,
    )
}

/// The staff pages and staff sign-in alone: what the browser hydrates (the crate `frontend`).
/// The same frame and routes as `App`, so the server's HTML of such a page hydrates exactly;
/// public pages are never hydrated (see [`bundles`]).
#[component]
pub fn StaffApp() -> impl IntoView {
    frame((account_routes(), staff_routes()), Bundle::Staff)
}

/// A job's board alone, in the staff frame: what the browser hydrates on a board (the crate
/// `frontend` with the feature `board`). The same frame and route as `App`'s, so the server's
/// HTML hydrates exactly; every other page is loaded in full from a board (see [`bundles`]).
#[component]
pub fn BoardApp() -> impl IntoView {
    frame(board_routes(), Bundle::Board)
}

fn careers_routes() -> impl MatchNestedRoutes + Clone + Send + 'static {
    view! {
        <Route path=path!("/") view=Home ssr=SsrMode::Async/>
        <Route path=path!("/jobs") view=careers::CareersPage ssr=SsrMode::Async/>
        <Route path=path!("/jobs/:id") view=careers::JobPage ssr=SsrMode::Async/>
        <Route path=path!("/jobs/:id/applied") view=careers::AppliedPage ssr=SsrMode::Async/>
        <Route path=path!("/unsubscribe") view=campaigns::UnsubscribePage ssr=SsrMode::Async/>
        <Route path=path!("/talent") view=talent::TalentPage ssr=SsrMode::Async/>
        <Route path=path!("/privacy") view=privacy::PrivacyNoticePage ssr=SsrMode::Async/>
        <Route path=path!("/talent/renew") view=privacy::RenewConsentPage ssr=SsrMode::Async/>
        <Route path=path!("/talent/confirm") view=talent::TalentConfirmPage ssr=SsrMode::Async/>
    }
    .into_inner()
}

fn portal_routes() -> impl MatchNestedRoutes + Clone + Send + 'static {
    view! {
        <Route path=path!("/portal") view=portal::PortalPage ssr=SsrMode::Async/>
        <Route path=path!("/portal/signin") view=portal::PortalSignInPage ssr=SsrMode::Async/>
        <Route path=path!("/schedule/:token") view=interviews::SchedulePage ssr=SsrMode::Async/>
        <Route path=path!("/portal/offers/:id") view=offers::PortalOfferPage ssr=SsrMode::Async/>
    }
    .into_inner()
}

fn account_routes() -> impl MatchNestedRoutes + Clone + Send + 'static {
    view! {
        <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async/>
        <Route path=path!("/approvals/decide") view=approvals::ApprovalLinkPage ssr=SsrMode::Async/>
        <Route path=path!("/invite") view=staff::InvitePage ssr=SsrMode::Async/>
        <Route path=path!("/password/reset") view=staff::ResetPasswordPage ssr=SsrMode::Async/>
    }
    .into_inner()
}

/// The board's route as in [`staff_routes`] (keep the two, and `bundles::is_board`, in step).
fn board_routes() -> impl MatchNestedRoutes + Clone + Send + 'static {
    view! {
        <ParentRoute path=path!("/app") view=StaffLayout ssr=SsrMode::Async>
            <Route path=path!("jobs/:id/board") view=pipeline::BoardPage ssr=SsrMode::Async/>
        </ParentRoute>
    }
    .into_inner()
}

fn staff_routes() -> impl MatchNestedRoutes + Clone + Send + 'static {
    view! {
        <ParentRoute path=path!("/app") view=StaffLayout ssr=SsrMode::Async>
            <Route path=path!("") view=StaffHome ssr=SsrMode::Async/>
            <Route path=path!("jobs") view=jobs::JobsPage ssr=SsrMode::Async/>
            <Route path=path!("jobs/new") view=jobs::NewJobPage ssr=SsrMode::Async/>
            <Route path=path!("account") view=staff::AccountPage ssr=SsrMode::Async/>
            <Route path=path!("jobs/:id") view=jobs::JobDetailPage ssr=SsrMode::Async/>
            <Route path=path!("jobs/:id/board") view=pipeline::BoardPage ssr=SsrMode::Async/>
            <Route path=path!("jobs/:id/plan") view=interviews::PlanPage ssr=SsrMode::Async/>
            <Route path=path!("jobs/:id/screening") view=screening::JobScreeningPage ssr=SsrMode::Async/>
            <Route path=path!("applications/:id") view=interviews::ApplicationInterviewsPage ssr=SsrMode::Async/>
            <Route path=path!("interviews") view=interviews::MyInterviewsPage ssr=SsrMode::Async/>
            <Route path=path!("interviews/:id") view=interviews::InterviewPage ssr=SsrMode::Async/>
            <Route path=path!("approvals") view=approvals::ApprovalsPage ssr=SsrMode::Async/>
            <Route path=path!("reports") view=reports::ReportsPage ssr=SsrMode::Async/>
            <Route path=path!("search") view=search::SearchPage ssr=SsrMode::Async/>
            <Route path=path!("people") view=people::PeoplePage ssr=SsrMode::Async/>
            <Route path=path!("people/:id") view=people::PersonPage ssr=SsrMode::Async/>
            <Route path=path!("campaigns") view=campaigns::CampaignsPage ssr=SsrMode::Async/>
            <Route path=path!("campaigns/:id") view=campaigns::CampaignPage ssr=SsrMode::Async/>
            <Route path=path!("pools") view=pools::PoolsPage ssr=SsrMode::Async/>
            <Route path=path!("pools/:id") view=pools::PoolPage ssr=SsrMode::Async/>
            <Route path=path!("segments") view=segments::SegmentsPage ssr=SsrMode::Async/>
            <Route path=path!("segments/:id") view=segments::SegmentPage ssr=SsrMode::Async/>
            <Route path=path!("duplicates") view=dedupe::DuplicatesPage ssr=SsrMode::Async/>
            <Route path=path!("duplicates/merge") view=dedupe::MergePage ssr=SsrMode::Async/>
            <Route path=path!("imports/new") view=imports::ImportNewPage ssr=SsrMode::Async/>
            <Route path=path!("imports/:id") view=imports::ImportPage ssr=SsrMode::Async/>
            <Route path=path!("refer") view=talent::ReferPage ssr=SsrMode::Async/>
            <Route path=path!("styleguide") view=admin::StyleguidePage ssr=SsrMode::Async/>
        </ParentRoute>
        <ParentRoute path=path!("/admin") view=StaffLayout ssr=SsrMode::Async>
            <Route path=path!("outbox") view=admin::OutboxPage ssr=SsrMode::Async/>
            <Route path=path!("jobs") view=admin::DeadJobsPage ssr=SsrMode::Async/>
            <Route path=path!("staff") view=staff::StaffPage ssr=SsrMode::Async/>
            <Route path=path!("rooms") view=interviews::RoomsPage ssr=SsrMode::Async/>
            <Route path=path!("brand") view=admin::BrandPage ssr=SsrMode::Async/>
            <Route path=path!("audit") view=audit::AuditPage ssr=SsrMode::Async/>
            <Route path=path!("privacy") view=privacy::PrivacyRequestsPage ssr=SsrMode::Async/>
        </ParentRoute>
    }
    .into_inner()
}

/// What every page has around its route: the stylesheet, the title's format, the company's name
/// and brand, toasts, and the hydration marker the browser tests wait for.
fn frame<Defs>(routes: Defs, bundle: Bundle) -> impl IntoView
where
    Defs: MatchNestedRoutes + Clone + Send + 'static,
{
    provide_meta_context();
    components::toast::Toasts::provide();
    // The company's name, written into the page by the server and read back by the browser, so
    // titles and headers have it at once.
    let company = SharedValue::new(|| {
        #[cfg(feature = "ssr")]
        {
            use_context::<server::AppState>()
                .map(|s| s.config.company_name.clone())
                .unwrap_or_default()
        }
        #[cfg(not(feature = "ssr"))]
        {
            String::new()
        }
    })
    .into_inner();
    provide_context(components::Company(company.clone()));
    // Public pages show the brand an admin set (the generic header asks through this).
    provide_context(components::BrandingSource(|| {
        Box::pin(admin::public_brand())
    }));
    provide_context(components::BrandingCache(StoredValue::new(None)));
    // Marks the page as interactive once hydrated (end-to-end tests wait for it).
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });

    view! {
        <Stylesheet id="leptos" href="/pkg/ats.css"/>
        <Title formatter=move |t: String| match (t.is_empty(), company.is_empty()) {
            (true, true) => "Careers".to_string(),
            (true, false) => format!("{company} Careers"),
            (false, true) => t,
            (false, false) => format!("{t} · {company}"),
        }/>
        <a class="skip-link" href="#content">"Skip to content"</a>
        <Router>
            {Routes(
                RoutesProps::builder()
                    .fallback(move || view! { <Missing bundle/> })
                    .children(RouteChildren::to_children(move || routes))
                    .build(),
            )}
        </Router>
        <components::toast::ToastRegion/>
    }
}

/// The staff landing page fits the role: jobs for recruiters, people for sourcers.
#[component]
fn StaffHome() -> impl IntoView {
    let user = auth::views::use_staff();
    if user.role.sees_jobs() {
        view! { <home::HomeDashboard/> }.into_any()
    } else if user.role.uses_crm() {
        view! { <home::SourcerHomePage/> }.into_any()
    } else {
        view! { <interviews::MyInterviewsPage/> }.into_any()
    }
}

#[component]
fn Home() -> impl IntoView {
    let brand = components::use_branding();
    view! {
        <components::PublicHeader/>
        <main class="page narrow" id="content">
            <Suspense fallback=|| view! { <h1>"Work with us"</h1> }>
                {move || Suspend::new(async move {
                    let b = brand.await.unwrap_or_default();
                    let company = if b.company.is_empty() { "us".to_string() } else { b.company.clone() };
                    let intro = if b.intro.is_empty() {
                        "We build tools people love. See what we are hiring for, apply in two minutes, and follow your application online.".to_string()
                    } else {
                        b.intro.clone()
                    };
                    view! {
                        <Title text=format!("Work at {company}")/>
                        <Meta name="description" content=format!("Work at {company}: see the jobs we are hiring for, apply in two minutes, and follow your application online.")/>
                        <h1>{format!("Work at {company}")}</h1>
                        <div class="lead">{components::paragraphs(&intro)}</div>
                        <p class="actions">
                            <a class="btn primary" href="/jobs">"See open jobs"</a>
                            <a class="btn" href="/portal">"Follow my application"</a>
                        </p>
                        <p class="muted">{format!("{} staff: ", if b.company.is_empty() { "Our" } else { b.company.as_str() })}<a href="/login">"sign in"</a>"."</p>
                    }
                })}
            </Suspense>
        </main>
    }
}

/// No route matches. In the browser a page its bundle does not hold (a public page in the staff
/// bundle, any page but a board in the board's) is not missing, only not loaded: the browser
/// fetches it in full (a link, the back button or a sign-out's redirect).
#[component]
fn Missing(bundle: Bundle) -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let path = location.pathname.get_untracked();
    if !bundle.holds(&path) {
        #[cfg(feature = "hydrate")]
        {
            let (search, hash) = (
                location.search.get_untracked(),
                location.hash.get_untracked(),
            );
            let mut href = path;
            if !search.is_empty() {
                href = format!("{href}?{search}");
            }
            if !hash.is_empty() {
                href = format!("{href}#{}", hash.trim_start_matches('#'));
            }
            // This page is no longer the hydrated one: the next is, once it has loaded.
            if let Some(body) = document().body() {
                let _ = body.remove_attribute("data-hydrated");
            }
            let _ = window().location().replace(&href);
        }
        return ().into_any();
    }
    view! { <NotFound/> }.into_any()
}

#[component]
fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
            res.set_status(http::StatusCode::NOT_FOUND);
        }
    }
    view! {
        <components::PublicHeader/>
        <Title text="Page not found"/>
        <main class="page narrow" id="content">
            <h1>"Page not found"</h1>
            <p>"That page does not exist. Try the "<a href="/jobs">"open jobs"</a>"."</p>
        </main>
    }
}
