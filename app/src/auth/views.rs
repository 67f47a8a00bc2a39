//! Sign-in page and the staff layout (navigation + access gate).

use super::api::{Login, Logout};
use super::types::{Role, StaffUser};
use crate::components::{Field, FormError, action_error, field_error};
use crate::error::AppError;
use leptos::prelude::*;
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
    let general =
        Signal::derive(move || err.get().filter(|e| !matches!(e, AppError::Validation(_))));
    let reset = move || query.with(|q| q.get("reset").as_deref() == Some("1"));
    view! {
        <main class="page narrow">
            <h1>"Staff sign in"</h1>
            <Show when=reset>
                <p class="banner banner-ok" role="status">"Your password was changed. Sign in with the new one."</p>
            </Show>
            <p class="muted">"Candidates: follow your application in the "<a href="/portal">"candidate portal"</a>"."</p>
            <FormError error=general/>
            <ActionForm action=login attr:class="card form" attr:novalidate=true>
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
            </ActionForm>
            <p><a href="/password/reset">"Forgot your password?"</a></p>
        </main>
    }
}

/// Navigation for staff, and the gate: signed-out visitors are sent to sign in.
#[component]
pub fn StaffLayout() -> impl IntoView {
    // Looked up each time the staff area is entered (e.g. right after signing in).
    let me = Resource::new(|| (), |_| super::api::me());
    let location = use_location();
    view! {
        <Suspense fallback=|| view! { <crate::components::Loading/> }>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(Some(user)) => view! { <StaffShell user=user/> }.into_any(),
                    Ok(None) | Err(AppError::Unauthenticated) => {
                        let here = location.pathname.get_untracked();
                        let search = location.search.get_untracked();
                        let full = if search.is_empty() { here } else { format!("{here}?{search}") };
                        let target = format!("/login?next={}", crate::components::urlencode(&full));
                        view! { <Redirect path=target/> }.into_any()
                    }
                    Err(e) => view! { <main class="page"><crate::components::ErrorPanel error=e/></main> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn StaffShell(user: StaffUser) -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    let role = user.role;
    let must_set_up = user.must_set_up_two_step;
    let location = use_location();
    provide_context(user.clone());
    view! {
        <header class="staff-header">
            <a class="brand" href="/app">"Acme Hiring"</a>
            <nav class="staff-nav" aria-label="Main">
                {role.sees_jobs().then(|| view! { <A href="/app" exact=true>"Jobs"</A> })}
                {role.uses_crm().then(|| view! { <A href="/app/people">"People"</A> })}
                {role.uses_crm().then(|| view! { <A href="/app/pools">"Pools"</A> })}
                {role.uses_crm().then(|| view! { <A href="/app/segments">"Segments"</A> })}
                {role.uses_crm().then(|| view! { <A href="/app/campaigns">"Campaigns"</A> })}
                {role.uses_crm().then(|| view! { <A href="/app/search">"Search"</A> })}
                {matches!(role, Role::Admin | Role::Recruiter | Role::HiringManager).then(|| view! { <A href="/app/approvals">"Approvals"</A> })}
                {role.reads_outbox().then(|| view! { <A href="/admin/outbox">"Outbox"</A> })}
                {role.reads_outbox().then(|| view! { <A href="/admin/jobs">"Background jobs"</A> })}
                {(role == Role::Admin).then(|| view! { <A href="/admin/staff">"Staff"</A> })}
            </nav>
            {role.uses_crm().then(|| view! { <crate::search::HeaderSearch/> })}
            <div class="who">
                <a class="who-name" href="/app/account" title="My account">{user.name.clone()}</a>
                <span class="role-badge">{role.label()}</span>
                <ActionForm action=logout attr:class="inline">
                    <button type="submit" class="btn link">"Sign out"</button>
                </ActionForm>
            </div>
        </header>
        <main class="page staff-page" id="content">
            {(role == Role::Interviewer).then(|| view! {
                <p class="banner">"Interviewers see the candidates they interview here once interviews are scheduled."</p>
            })}
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
    }
}

/// The signed-in staff member inside the staff layout.
pub fn use_staff() -> StaffUser {
    expect_context::<StaffUser>()
}
