//! The top bar's notifications: what waits for the signed-in staff member, wherever they are
//! (approvals, scorecards to write, candidates asking for a human review, campaign replies to
//! answer), each a link to where it is done. Loaded in the browser once the page is interactive;
//! without JavaScript the staff home lists the same.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One thing waiting for me.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Notice {
    /// approval, scorecard, review or reply.
    pub kind: String,
    pub text: String,
    pub href: String,
}

/// How many of each kind are listed at most.
#[cfg(feature = "ssr")]
const PER_KIND: usize = 5;

#[server]
pub async fn my_notices() -> Result<Vec<Notice>, AppError> {
    let user = crate::auth::guard::require_staff().await?;
    let st = crate::server::state()?;
    let db = &st.db;
    let me = surrealdb::types::RecordId::new("staff", user.id.as_str());
    let mut out = Vec::new();
    for step in crate::approvals::repo::inbox(db, &me)
        .await?
        .iter()
        .take(PER_KIND)
    {
        out.push(Notice {
            kind: "approval".into(),
            text: format!("Your approval: {}", step.job_title),
            href: "/app/approvals".into(),
        });
    }
    let zone =
        crate::interviews::slots::zone(&crate::interviews::repo::time_zone_of(db, &me).await?);
    let mine = crate::interviews::repo::mine(db, &me, chrono::Utc::now(), zone).await?;
    for iv in mine.to_do.iter().take(PER_KIND) {
        out.push(Notice {
            kind: "scorecard".into(),
            text: format!("Scorecard to write: {} with {}", iv.name, iv.person_name),
            href: format!("/app/interviews/{}", iv.id),
        });
    }
    if user.role.manages_jobs() {
        for r in crate::reviews::repo::open(db).await?.iter().take(PER_KIND) {
            out.push(Notice {
                kind: "review".into(),
                text: format!(
                    "{} asks for a human review ({})",
                    r.person_name, r.job_title
                ),
                href: format!("/app/applications/{}", r.application_id),
            });
        }
    }
    if user.role.uses_crm() {
        let replies =
            super::sourcer_repo::replies_waiting(db, chrono::Utc::now(), PER_KIND).await?;
        for r in replies {
            out.push(Notice {
                kind: "reply".into(),
                text: format!("{} replied to a campaign", r.name),
                href: format!("/app/people/{}", r.person_id),
            });
        }
    }
    Ok(out)
}

/// The bell in the top bar: a count, and the list when opened (Escape or a click elsewhere
/// closes it). Appears once the page is interactive.
#[component]
pub fn Notifications() -> impl IntoView {
    let ready = RwSignal::new(false);
    Effect::new(move |_| ready.set(true));
    let open = RwSignal::new(false);
    // Fetched into a plain signal, not a resource: a resource read here would hold the whole
    // staff shell in its Suspense while it reloads (and take focus from the bell).
    let notices = RwSignal::new(None::<Result<Vec<Notice>, AppError>>);
    let load = move || {
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move { notices.set(Some(my_notices().await)) });
    };
    Effect::new(move |_| load());
    let count = move || notices.get().and_then(|r| r.ok()).map_or(0, |v| v.len());
    let toggle = move |_| {
        let now = !open.get_untracked();
        open.set(now);
        if now {
            load();
            crate::components::ui::focus_when_shown("notices-panel");
        }
    };
    move || {
        ready.get().then(|| {
            view! {
                <div class="notices" on:focusout=move |ev: leptos::ev::FocusEvent| {
                    if open.get_untracked() && !crate::components::ui::focus_stays_inside(&ev) {
                        open.set(false);
                    }
                } on:keydown=move |ev| if ev.key() == "Escape" && open.get_untracked() {
                    ev.stop_propagation();
                    open.set(false);
                    crate::components::ui::focus_when_shown("notices-button");
                }>
                    <button type="button" id="notices-button" class="btn link notices-button"
                        aria-expanded=move || if open.get() { "true" } else { "false" }
                        aria-controls="notices-panel" on:click=toggle
                        aria-label=move || match count() {
                            0 => "Notifications: nothing waits for you".to_string(),
                            1 => "Notifications: 1 thing waits for you".to_string(),
                            n => format!("Notifications: {n} things wait for you"),
                        }>
                        // A drawn bell: the emoji needs a colour-emoji font, which many
                        // machines (and browsers in CI) lack, and then shows as an empty box.
                        <svg class="icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
                            <path d="M12 3a6 6 0 0 0-6 6v3.6L4.3 15.4A1 1 0 0 0 5.2 17h13.6a1 1 0 0 0 .9-1.6L18 12.6V9a6 6 0 0 0-6-6z M9.5 19a2.5 2.5 0 0 0 5 0z"
                                fill="none" stroke="currentColor" stroke-width="1.8" stroke-linejoin="round"/>
                        </svg>
                        {move || (count() > 0).then(|| view! { <span class="notices-count" aria-hidden="true">{count()}</span> })}
                    </button>
                    <div id="notices-panel" class="notices-panel" role="region" aria-label="Notifications" tabindex="-1"
                        hidden=move || !open.get()>
                        <h2 class="notices-title">"Waiting for you"</h2>
                        {move || match notices.get() {
                            None => view! { <p class="muted small">"Loading…"</p> }.into_any(),
                            Some(Err(e)) => view! { <p class="muted small">{e.to_string()}</p> }.into_any(),
                            Some(Ok(v)) if v.is_empty() => view! { <p class="muted small">"Nothing waits for you."</p> }.into_any(),
                            Some(Ok(v)) => view! {
                                <ul class="plain notices-list">
                                    {v.into_iter().map(|n| view! {
                                        <li data-kind=n.kind.clone()>
                                            <a href=n.href.clone() on:click=move |_| open.set(false)>{n.text.clone()}</a>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            }.into_any(),
                        }}
                    </div>
                </div>
            }
        })
    }
}
