//! The outbox page.

use super::api::list_outbox;
use crate::components::{Loading, format_datetime, or_error};
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
