//! The outbox and background-jobs pages.

use super::api::{RetryJob, list_dead_jobs, list_outbox};
use super::types::job_label;
use crate::components::PostForm;
use crate::components::{FormError, Loading, action_error, format_datetime, or_error, url_error};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn OutboxPage() -> impl IntoView {
    let query = use_query_map();
    let to = move || query.with(|q| q.get("to").unwrap_or_default());
    let outbox = Resource::new(to, list_outbox);
    view! {
        <Title text="Outbox"/>
        <h1>"Outbox"</h1>
        <form method="get" class="filters card" role="search">
            <label for="outbox-to">"Recipient email"</label>
            <input id="outbox-to" type="search" name="to" value=to/>
            <button type="submit" class="btn">"Filter"</button>
        </form>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                or_error(outbox.await.map(|o| view! {
                    <p class="muted">{if o.delivers {
                        "Mail is delivered over SMTP. Every message is also listed here with its delivery status."
                    } else {
                        "SMTP is not configured (set SMTP_URL): messages are kept here and not sent."
                    }}</p>
                    <ul class="outbox">
                        {o.mails.into_iter().map(|m| view! {
                            <li class="card outbox-mail" data-mail=m.id.clone()>
                                <details>
                                    <summary>
                                        <span class="outbox-subject">{m.subject.clone()}</span>
                                        <span class="muted small">" to "{m.to.clone()}" · "{format_datetime(&m.created_at)}" · "{m.kind.clone()}</span>
                                        " "<span class=format!("status status-{}", m.status)>{m.status.clone()}</span>
                                    </summary>
                                    {m.error.clone().map(|e| view! { <p class="field-error">{e}</p> })}
                                    {m.unsubscribe_url.clone().map(|u| view! { <p class="muted small">"List-Unsubscribe: "{u}</p> })}
                                    <pre class="preview-body">{m.body.clone()}</pre>
                                </details>
                            </li>
                        }).collect_view()}
                    </ul>
                }))
            })}
        </Suspense>
    }
}

/// Background tasks that failed for good, each with its error and a retry.
#[component]
pub fn DeadJobsPage() -> impl IntoView {
    let retry = ServerAction::<RetryJob>::new();
    let jobs = Resource::new(move || retry.version().get(), |_| list_dead_jobs());
    let err = action_error(retry);
    let url_err = url_error::<RetryJob>();
    view! {
        <Title text="Background jobs"/>
        <h1>"Background jobs that failed"</h1>
        <p class="muted">
            "Resume reading, CSV imports and Slack messages run in the background and are retried "
            "when something is temporarily wrong. These failed for good; the error says why. "
            "Retry one once its cause is fixed."
        </p>
        <FormError error=Signal::derive(move || crate::components::live(err).or_else(|| url_err.clone()))/>
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                or_error(jobs.await.map(|list| {
                    if list.is_empty() {
                        return view! { <p class="empty">"No failed background jobs."</p> }.into_any();
                    }
                    view! {
                        <ul class="dead-jobs">
                            {list.into_iter().map(|j| {
                                let id = j.id.clone();
                                view! {
                                <li class="card dead-job" data-job=j.id.clone()>
                                    <p>
                                        <strong>{job_label(&j.kind)}</strong>
                                        <span class="muted small">" · "{j.kind.clone()}" · queued "{format_datetime(&j.created_at)}" · "{j.attempts}" attempt(s)"</span>
                                    </p>
                                    <p class="field-error">{j.error.clone().unwrap_or_else(|| "No error was recorded.".into())}</p>
                                    <PostForm action=retry attr:class="inline">
                                        <input type="hidden" name="job_id" value=id/>
                                        <button type="submit" class="btn">"Retry"</button>
                                    </PostForm>
                                </li>
                            }}).collect_view()}
                        </ul>
                    }.into_any()
                }))
            })}
        </Transition>
    }
}
