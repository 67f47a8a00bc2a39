//! Campaign pages and the public unsubscribe page.

use super::api::*;
use super::types::*;
use crate::components::{
    Field, FormError, Loading, PublicHeader, TextArea, action_error, field_error, format_datetime,
    or_error,
};
use crate::error::AppError;
use crate::people::api::tag_counts;
use crate::people::types::TagCount;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

const TOKEN_HINT: &str = "Personalise with {{first_name}}, {{last_name}}, {{full_name}}, {{email}} and {{company}}. An unsubscribe link is added to every message.";

#[component]
fn CampaignFields(
    tags: Vec<TagCount>,
    current: Option<CampaignDetail>,
    #[prop(into)] err: Signal<Option<AppError>>,
) -> impl IntoView {
    let c = current.clone();
    let tag = c
        .as_ref()
        .map(|c| c.audience_tag.clone())
        .unwrap_or_default();
    view! {
        <Field label="Campaign name" name="name" required=true value=c.as_ref().map(|c| c.name.clone())
            hint="Only your team sees this." error=field_error(err, "name")/>
        <div class="field">
            <label for="f-audience_tag">"Audience: people tagged"</label>
            <select id="f-audience_tag" name="audience_tag"
                aria-invalid=move || if field_error(err, "audience_tag").get().is_some() { "true" } else { "false" }>
                <option value="" selected=tag.is_empty()>"Choose a tag"</option>
                {tags.into_iter().map(|t| {
                    let sel = t.tag == tag;
                    view! { <option value=t.tag.clone() selected=sel>{format!("{} ({} people)", t.tag, t.count)}</option> }
                }).collect_view()}
            </select>
            <p class="field-error" role="alert">{move || field_error(err, "audience_tag").get()}</p>
        </div>
        <Field label="Subject" name="subject" required=true value=c.as_ref().map(|c| c.subject.clone())
            error=field_error(err, "subject")/>
        <TextArea label="Message" name="body" required=true rows=10 value=c.as_ref().map(|c| c.body.clone())
            hint=TOKEN_HINT error=field_error(err, "body")/>
    }
}

#[component]
pub fn CampaignsPage() -> impl IntoView {
    let create = ServerAction::<CreateCampaign>::new();
    let err = action_error(create);
    let campaigns = Resource::new(|| (), |_| list_campaigns());
    let tags = Resource::new(|| (), |_| tag_counts());
    view! {
        <Title text="Campaigns"/>
        <h1>"Campaigns"</h1>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                or_error(campaigns.await.map(|list| {
                    if list.is_empty() {
                        return view! { <p class="empty">"No campaigns yet."</p> }.into_any();
                    }
                    view! {
                        <table class="data-table">
                            <thead><tr><th scope="col">"Name"</th><th scope="col">"Audience"</th><th scope="col">"Status"</th><th scope="col">"Recipients"</th><th scope="col">"Sent"</th></tr></thead>
                            <tbody>
                                {list.into_iter().map(|c| view! {
                                    <tr>
                                        <td><a href=format!("/app/campaigns/{}", c.id)>{c.name.clone()}</a></td>
                                        <td><span class="tag">{c.audience_tag.clone()}</span></td>
                                        <td><span class=format!("status status-{}", c.status)>{c.status.clone()}</span></td>
                                        <td>{c.recipients}</td>
                                        <td>{c.sent_at.as_deref().map(format_datetime).unwrap_or_default()}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                }))
            })}
        </Suspense>
        <section>
            <h2>"New campaign"</h2>
            <Suspense fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    let tags = tags.await.unwrap_or_default();
                    view! {
                        <FormError error=Signal::derive(move || err.get().filter(|e| !matches!(e, AppError::Validation(_))))/>
                        <ActionForm action=create attr:class="card form" attr:novalidate=true>
                            <CampaignFields tags=tags current=None err=err/>
                            <button type="submit" class="btn primary">"Save draft"</button>
                        </ActionForm>
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
pub fn CampaignPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let campaign_id = move || params.with(|p| p.get("id").unwrap_or_default());
    let preview_for = move || query.with(|q| q.get("preview").unwrap_or_default());
    let update = ServerAction::<UpdateCampaign>::new();
    let send = ServerAction::<SendCampaign>::new();
    let campaign = Resource::new(
        move || (campaign_id(), update.version().get(), send.version().get()),
        |(id, _, _)| get_campaign(id),
    );
    let preview = Resource::new(
        move || (campaign_id(), preview_for(), update.version().get()),
        |(id, p, _)| preview_campaign(id, p),
    );
    let tags = Resource::new(|| (), |_| tag_counts());
    let update_err = action_error(update);
    let send_err = action_error(send);
    view! {
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                let tags = tags.await.unwrap_or_default();
                or_error(campaign.await.map(|c| {
                    let draft = c.status == "draft";
                    let cid = c.id.clone();
                    let cid2 = c.id.clone();
                    let cid3 = c.id.clone();
                    let chosen = preview_for();
                    let reach = c.reachable;
                    let sample = c.sample.clone();
                    let current = c.clone();
                    view! {
                        <Title text=c.name.clone()/>
                        <p class="crumbs"><a href="/app/campaigns">"Campaigns"</a>" / "{c.name.clone()}</p>
                        <div class="page-head">
                            <h1>{c.name.clone()}</h1>
                            <span class=format!("status status-{}", c.status)>{c.status.clone()}</span>
                        </div>
                        <p class="audience-line">
                            "Audience: people tagged "<span class="tag">{c.audience_tag.clone()}</span>": "
                            <strong class="reach">{c.reachable}</strong>" can be emailed"
                            {(c.unsubscribed > 0).then(|| format!(", {} unsubscribed (never emailed)", c.unsubscribed))}"."
                        </p>
                        {if draft {
                            view! {
                                <section>
                                    <h2>"Message"</h2>
                                    <FormError error=Signal::derive(move || update_err.get().filter(|e| !matches!(e, AppError::Validation(_))))/>
                                    <ActionForm action=update attr:class="card form" attr:novalidate=true>
                                        <input type="hidden" name="campaign_id" value=cid.clone()/>
                                        <CampaignFields tags=tags current=Some(current) err=update_err/>
                                        <button type="submit" class="btn">"Save draft"</button>
                                        <span class="saved" role="status">{move || matches!(update.value().get(), Some(Ok(()))).then_some("Saved.")}</span>
                                    </ActionForm>
                                </section>
                                <section>
                                    <h2>"Preview"</h2>
                                    <form method="get" class="inline-form">
                                        <label for="preview-person">"Preview for"</label>
                                        <select id="preview-person" name="preview">
                                            {sample.iter().map(|r| {
                                                let sel = r.id == chosen;
                                                view! { <option value=r.id.clone() selected=sel>{format!("{} <{}>", r.name, r.email)}</option> }
                                            }).collect_view()}
                                        </select>
                                        <button type="submit" class="btn">"Show"</button>
                                    </form>
                                    <Suspense fallback=|| view! { <Loading/> }>
                                        {move || Suspend::new(async move {
                                            match preview.await {
                                                Ok(p) => view! {
                                                    <div class="mail-preview card" aria-label="Email preview">
                                                        <p><span class="muted">"To: "</span><span class="preview-to">{p.to}</span></p>
                                                        <p><span class="muted">"Subject: "</span><strong class="preview-subject">{p.subject}</strong></p>
                                                        <pre class="preview-body">{p.body}</pre>
                                                    </div>
                                                }.into_any(),
                                                Err(e) => view! { <p class="muted">{e.to_string()}</p> }.into_any(),
                                            }
                                        })}
                                    </Suspense>
                                </section>
                                <section class="card send-box">
                                    <h2>"Send"</h2>
                                    <FormError error=send_err/>
                                    <p>{format!("This emails {} {} now. It cannot be undone.", reach, if reach == 1 { "person" } else { "people" })}</p>
                                    <ActionForm action=send attr:class="inline">
                                        <input type="hidden" name="campaign_id" value=cid2.clone()/>
                                        <button type="submit" class="btn primary" disabled=reach == 0>
                                            {format!("Send to {} people", reach)}
                                        </button>
                                    </ActionForm>
                                </section>
                            }.into_any()
                        } else {
                            let _ = cid3;
                            view! {
                                <section class="card">
                                    <h2>"Sent"</h2>
                                    <dl class="facts">
                                        <dt>"Sent"</dt><dd>{c.sent_at.as_deref().map(format_datetime).unwrap_or_else(|| "sending…".into())}</dd>
                                        <dt>"Recipients"</dt><dd class="recipients">{c.recipients}</dd>
                                        <dt>"Delivered"</dt><dd class="delivered">{c.delivered}</dd>
                                        <dt>"Skipped (unsubscribed)"</dt><dd>{c.skipped}</dd>
                                    </dl>
                                    <h3>"Subject"</h3><p>{c.subject.clone()}</p>
                                    <h3>"Message"</h3><pre class="preview-body">{c.body.clone()}</pre>
                                </section>
                            }.into_any()
                        }}
                    }
                }))
            })}
        </Transition>
    }
}

#[component]
pub fn UnsubscribePage() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.with(|q| q.get("token").unwrap_or_default());
    let action = ServerAction::<Unsubscribe>::new();
    let info = Resource::new(
        move || (token(), action.version().get()),
        |(t, _)| get_unsubscribe_info(t),
    );
    view! {
        <Title text="Unsubscribe"/>
        <PublicHeader/>
        <main class="page narrow" id="content">
            <h1>"Unsubscribe"</h1>
            <Suspense fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    match info.await {
                        Ok(i) if i.already => view! {
                            <div class="banner banner-ok" role="status">
                                {format!("You are unsubscribed. We will not send campaign emails to {} again.", i.email_hint)}
                            </div>
                            <p class="muted">"You will still hear from us about applications you make."</p>
                        }.into_any(),
                        Ok(i) => view! {
                            <p>{format!("Stop receiving talent-community emails at {}?", i.email_hint)}</p>
                            <ActionForm action=action attr:class="inline">
                                <input type="hidden" name="token" value=token()/>
                                <button type="submit" class="btn primary">"Unsubscribe"</button>
                            </ActionForm>
                        }.into_any(),
                        Err(_) => view! {
                            <div class="banner banner-error" role="alert">"This unsubscribe link is not valid. Please use the link from the latest email you received."</div>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}
