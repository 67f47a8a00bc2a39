//! Sign-in page and the staff layout (navigation + access gate).

use super::api::{Login, Logout};
use super::types::{Role, StaffUser};
use crate::components::PostForm;
use crate::components::{Field, FormError, action_error, field_error};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{A, Outlet, Redirect};
use leptos_router::hooks::{use_location, use_query_map};

#[component]
pub fn LoginPage() -> impl IntoView {
    // Created inside the router, so an error from a no-JavaScript post (carried back in the URL)
    // is picked up and shown.
    let login = ServerAction::<Login>::new();
    let query = use_query_map();
    let next = move || query.with(|q| q.get("next").unwrap_or_else(|| "/app".into()));
    let err = action_error(login);
    let general = crate::components::general_error(err);
    let reset = move || query.with(|q| q.get("reset").as_deref() == Some("1"));
    view! {
        <Title text="Sign in"/>
        <main class="page narrow" id="content">
            <h1>"Staff sign in"</h1>
            <Show when=reset>
                <p class="banner banner-ok" role="status">"Your password was changed. Sign in with the new one."</p>
            </Show>
            <p class="muted">"Candidates: follow your application in the "<a href="/portal">"candidate portal"</a>"."</p>
            <FormError error=general/>
            <PostForm action=login attr:class="card form" attr:novalidate=true>
                <input type="hidden" name="next" value=next/>
                <Field label="Email" name="email" kind="email" required=true autocomplete="username"
                    error=field_error(err, "email")/>
                <Field label="Password" name="password" kind="password" required=true
                    autocomplete="current-password" error=field_error(err, "password")/>
                // Asked for when the account has two-step sign-in on.
                {move || field_error(err, "code").get().map(|_| view! {
                    <Field label="Code from your authenticator app" name="code" required=true
                        autocomplete="one-time-code" hint="Or one of your recovery codes."
                        error=field_error(err, "code")/>
                })}
                <button type="submit" class="btn primary">"Sign in"</button>
            </PostForm>
            <p><a href="/password/reset">"Forgot your password?"</a></p>
        </main>
    }
}

/// Navigation for staff, and the gate: signed-out visitors are sent to sign in.
///
/// The shell and the page are built at once, not inside a Suspense: Leptos re-runs a Suspense's
/// children when its data arrives, so a page built there was built twice per request, and the
/// browser sometimes hydrated against the copy the server had abandoned. The server looks the
/// staff member up with the request ([`super::guard::staff_for_pages`]) and the page carries the
/// answer to the browser. Only a visit that starts in the browser (e.g. right after signing in)
/// asks the server, and nothing is hydrated then.
#[component]
pub fn StaffLayout() -> impl IntoView {
    let known = SharedValue::new(|| {
        #[cfg(feature = "ssr")]
        {
            use_context::<super::guard::PageStaff>().map(|p| p.0)
        }
        #[cfg(not(feature = "ssr"))]
        {
            None::<Result<Option<StaffUser>, AppError>>
        }
    })
    .into_inner();
    if let Some(found) = known {
        return gate(found);
    }
    let me = Resource::new(|| (), |_| super::api::me());
    view! {
        <Suspense fallback=|| view! { <crate::components::Loading/> }>
            {move || Suspend::new(async move { gate(me.await) })}
        </Suspense>
    }
    .into_any()
}

/// The shell for a signed-in staff member, a redirect to sign in otherwise.
fn gate(found: Result<Option<StaffUser>, AppError>) -> AnyView {
    match found {
        Ok(Some(user)) => view! { <StaffShell user=user/> }.into_any(),
        Ok(None) | Err(AppError::Unauthenticated) => {
            let location = use_location();
            let here = location.pathname.get_untracked();
            let search = location.search.get_untracked();
            let full = if search.is_empty() {
                here
            } else {
                format!("{here}?{search}")
            };
            let target = format!("/login?next={}", crate::components::urlencode(&full));
            view! { <Redirect path=target/> }.into_any()
        }
        Err(e) => {
            view! { <main class="page"><crate::components::ErrorPanel error=e/></main> }.into_any()
        }
    }
}

#[component]
fn StaffShell(user: StaffUser) -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    let role = user.role;
    let must_set_up = user.must_set_up_two_step;
    let location = use_location();
    provide_context(user.clone());
    let hiring =
        role.sees_jobs() || matches!(role, Role::Admin | Role::Recruiter | Role::HiringManager);
    let admin = role.reads_outbox() || role == Role::Admin;
    // On a phone the open menu covers the page: choosing a page in it closes it.
    let toggle = NodeRef::<leptos::html::Input>::new();
    let close_menu = move |_| {
        if let Some(el) = toggle.get_untracked() {
            el.set_checked(false);
        }
    };
    let product = match crate::components::use_company() {
        c if c.is_empty() => "Hiring".to_string(),
        c => format!("{c} Hiring"),
    };
    // Built apart and type-erased: one nested view type for the whole shell is too deep for
    // the compiler.
    let sidebar = view! {
        <aside class="sidebar">
            <a class="brand" href="/app">{product.clone()}</a>
            <nav class="staff-nav" aria-label="Main" on:click=close_menu>
                <p class="nav-section">"Hiring"</p>
                <ul class="plain">
                    {(role.sees_jobs() || role.uses_crm()).then(|| view! { <li><A href="/app" exact=true>"Home"</A></li> })}
                    {role.sees_jobs().then(|| view! { <li><A href="/app/jobs">"Jobs"</A></li> })}
                    {hiring.then(|| view! { <li><A href="/app/approvals">"Approvals"</A></li> })}
                    {role.sees_jobs().then(|| view! { <li><A href="/app/reports">"Reports"</A></li> })}
                    <li><A href="/app/interviews">"My interviews"</A></li>
                </ul>
                {role.uses_crm().then(|| view! {
                    <p class="nav-section">"Talent"</p>
                    <ul class="plain">
                        <li><A href="/app/people">"People"</A></li>
                        <li><A href="/app/search">"Search"</A></li>
                        <li><A href="/app/pools">"Pools"</A></li>
                        <li><A href="/app/segments">"Segments"</A></li>
                        <li><A href="/app/campaigns">"Campaigns"</A></li>
                    </ul>
                })}
                {admin.then(|| view! {
                    <p class="nav-section">"Admin"</p>
                    <ul class="plain">
                        {(role == Role::Admin).then(|| view! { <li><A href="/admin/staff">"Staff"</A></li> })}
                        {(role == Role::Admin).then(|| view! { <li><A href="/admin/rooms">"Rooms"</A></li> })}
                        {(role == Role::Admin).then(|| view! { <li><A href="/admin/brand">"Brand"</A></li> })}
                        {(role == Role::Admin).then(|| view! { <li><A href="/admin/audit">"Audit log"</A></li> })}
                        {(role == Role::Admin).then(|| view! { <li><A href="/admin/privacy">"Privacy requests"</A></li> })}
                        {role.reads_outbox().then(|| view! { <li><A href="/admin/outbox">"Outbox"</A></li> })}
                        {role.reads_outbox().then(|| view! { <li><A href="/admin/jobs">"Background jobs"</A></li> })}
                        {(role == Role::Admin).then(|| view! { <li><A href="/app/styleguide">"Design system"</A></li> })}
                    </ul>
                })}
            </nav>
        </aside>
    }
    .into_any();
    let topbar = view! {
        <header class="staff-header topbar">
            <label for="nav-toggle" class="btn nav-toggle-button" title="Menu">
                <span aria-hidden="true">"☰"</span><span class="visually-hidden">"Menu"</span>
            </label>
            <a class="brand topbar-brand" href="/app">{product}</a>
            {role.uses_crm().then(|| view! { <crate::search::HeaderSearch/> })}
            <crate::search::CommandPalette role=role/>
            <crate::components::shortcuts::KeyboardHelp/>
            <crate::home::notices::Notifications/>
            <div class="who">
                <crate::components::Avatar name=user.name.clone()/>
                <span class="who-text">
                    <a class="who-name" href="/app/account" title="My account">{user.name.clone()}</a>
                    <span class="role-badge">{role.label()}</span>
                </span>
                <PostForm action=logout attr:class="inline">
                    <button type="submit" class="btn link">"Sign out"</button>
                </PostForm>
            </div>
        </header>
    }
    .into_any();
    view! {
        <div class="app-shell">
        // The menu toggle is a checkbox so that it works without JavaScript too: on a phone it
        // opens the navigation over the page, on a laptop it folds the sidebar away.
        <input type="checkbox" id="nav-toggle" class="nav-toggle visually-hidden" node_ref=toggle/>
        {sidebar}
        <div class="app-main">
        {topbar}
        <main class="page staff-page" id="content">
            // Two-step sign-in is required and not set up yet: only the account page (nothing
            // else of the page loads).
            {if must_set_up {
                (move || if location.pathname.get() != "/app/account" {
                    view! { <Redirect path="/app/account"/> }.into_any()
                } else {
                    view! { <Outlet/> }.into_any()
                }).into_any()
            } else {
                view! { <Outlet/> }.into_any()
            }}
        </main>
        </div>
        </div>
    }
}

/// The signed-in staff member inside the staff layout.
pub fn use_staff() -> StaffUser {
    expect_context::<StaffUser>()
}
