//! Campaign pages and the public unsubscribe page.

use super::api::*;
use super::builder::{Autosave, SequenceEditor};
use super::types::*;
use crate::components::PostForm;
use crate::components::{
    Field, FormError, Loading, PublicHeader, TextArea, action_error, field_error, format_datetime,
    or_error,
};
use crate::error::AppError;
use crate::people::api::tag_counts;
use crate::people::types::TagCount;
use crate::templates::TOKEN_HINT;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

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
fn SequenceStart() -> impl IntoView {
    let create = ServerAction::<CreateSequence>::new();
    let err = action_error(create);
    let cap = ServerAction::<SetFrequencyCap>::new();
    let cap_err = action_error(cap);
    let choices = Resource::new(move || cap.version().get(), |_| get_builder_choices());
    view! {
        <section class="card">
            <h2>"New sequence"</h2>
            <p class="muted">"Emails, waits and conditions for a pool, a segment or a tag."</p>
            <PostForm action=create attr:class="form new-sequence">
                <div class="field">
                    <label for="seq-name">"Name"</label>
                    <input id="seq-name" name="name" aria-describedby="seq-name-hint"/>
                    <p class="hint" id="seq-name-hint">"Left empty, a template's name is used."</p>
                    <p class="field-error" role="alert">{move || field_error(err, "name").get()}</p>
                </div>
                <fieldset class="field starters">
                    <legend>"Start from"</legend>
                    <label class="starter" for="starter-blank">
                        <input type="radio" id="starter-blank" name="starter" value="" checked=true/>
                        <span><strong>"A blank sequence"</strong><span class="muted small">"Add the steps yourself."</span></span>
                    </label>
                    {super::starters::STARTERS.into_iter().map(|(k, name, about)| {
                        let id = format!("starter-{k}");
                        view! {
                            <label class="starter" for=id.clone()>
                                <input type="radio" id=id.clone() name="starter" value=k/>
                                <span><strong>{name}</strong><span class="muted small">{about}</span></span>
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
                <button type="submit" class="btn primary">"Create sequence"</button>
            </PostForm>
        </section>
        <section class="card">
            <h2>"Frequency cap"</h2>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let c = choices.await.unwrap_or_default();
                    view! {
                        <PostForm action=cap attr:class="inline-form">
                            <label for="cap-days">"At most one campaign email per person every"</label>
                            <input id="cap-days" name="days" type="number" min="0" max="90" value=c.frequency_cap_days.to_string()/>
                            <span>"days (0: no cap), across all campaigns"</span>
                            <button type="submit" class="btn">"Save"</button>
                        </PostForm>
                        <p class="field-error" role="alert">{move || field_error(cap_err, "days").get()}</p>
                    }
                })}
            </Suspense>
        </section>
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
                                        <td><span class=format!("status status-{}", c.status)>{c.status.as_str()}</span></td>
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
        <CrmReportSection/>
        <SequenceStart/>
        <section>
            <h2>"Quick campaign: one email to a tag"</h2>
            <Suspense fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    let tags = tags.await.unwrap_or_default();
                    view! {
                        <FormError error=crate::components::general_error(err)/>
                        <PostForm action=create attr:class="card form" attr:novalidate=true>
                            <CampaignFields tags=tags current=None err=err/>
                            <button type="submit" class="btn primary">"Save draft"</button>
                        </PostForm>
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
pub fn CampaignPage() -> impl IntoView {
    let params = use_params_map();
    let campaign_id = move || params.with(|p| p.get("id").unwrap_or_default());
    let update = ServerAction::<UpdateCampaign>::new();
    let send = ServerAction::<SendCampaign>::new();
    let settings = ServerAction::<SaveCampaignSettings>::new();
    let add = ServerAction::<AddStep>::new();
    let change = ServerAction::<ChangeStep>::new();
    let pause = ServerAction::<PauseCampaign>::new();
    let test = ServerAction::<SendTestEmail>::new();
    let version = move || {
        (
            update.version().get(),
            send.version().get(),
            settings.version().get(),
            add.version().get(),
            change.version().get(),
            pause.version().get(),
        )
    };
    let campaign = Resource::new(
        move || (campaign_id(), version()),
        |(id, _)| get_campaign(id),
    );
    let choices = Resource::new(|| (), |_| get_builder_choices());
    // The report and the preview are read here, not in their panels inside the `Suspend` below:
    // a resource created there is not matched with the server's data while hydrating, so the
    // browser read it again, and when the campaign had sent more meanwhile the page failed to
    // hydrate.
    let tick = RwSignal::new(0u32);
    let report = Resource::new(
        move || (campaign_id(), pause.version().get(), tick.get()),
        |(id, _, _)| get_campaign_report(id),
    );
    let query = use_query_map();
    let q = move |k: &'static str| query.with(|q| q.get(k).unwrap_or_default());
    // Read again when the audience or the steps change.
    let preview = Resource::new(
        move || {
            (
                campaign_id(),
                q("preview"),
                q("step"),
                q("variant"),
                version(),
            )
        },
        |(id, p, s, v, _)| preview_campaign(id, p, s, v),
    );
    let send_err = action_error(send);
    view! {
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                let choices = choices.await.unwrap_or_default();
                or_error(campaign.await.map(|c| {
                    let editable = c.status == "draft" || c.status == "paused";
                    let reach = c.reachable;
                    let cid = c.id.clone();
                    view! {
                        <Title text=c.name.clone()/>
                        <p class="crumbs"><a href="/app/campaigns">"Campaigns"</a>" / "{c.name.clone()}</p>
                        <div class="page-head">
                            <h1>{c.name.clone()}</h1>
                            <span class=format!("status status-{}", c.status)>{c.status.as_str()}</span>
                        </div>
                        <p class="audience-line">
                            "Audience: "{c.audience_label.clone()}": "
                            <strong class="reach">{c.reachable}</strong>" can be emailed"
                            {(c.unsubscribed > 0).then(|| format!(", {} unsubscribed (never emailed)", c.unsubscribed))}"."
                        </p>
                        {(c.status != "draft").then(|| view! { <CampaignReportView campaign_id=cid.clone() pause=pause status=c.status report tick/> })}
                        {editable.then(|| view! {
                            <div class="builder">
                                <div>
                                    <CampaignSettings detail=c.clone() choices=choices.clone() action=settings/>
                                    <SequenceEditor detail=c.clone() add=add change=change/>
                                </div>
                                <PreviewPanel detail=c.clone() preview test/>
                            </div>
                        })}
                        {(c.status == "draft").then(|| view! {
                            <section class="card send-box">
                                <h2>"Launch"</h2>
                                <FormError error=send_err/>
                                <p>{format!("Enrolls {} {} now. Each step goes out when it is due{}.", reach, if reach == 1 { "person" } else { "people" },
                                    if choices.frequency_cap_days > 0 { format!(", never more than one campaign email per person in {} days", choices.frequency_cap_days) } else { String::new() })}</p>
                                <PostForm action=send attr:class="inline">
                                    <input type="hidden" name="campaign_id" value=cid.clone()/>
                                    <button type="submit" class="btn primary" disabled=reach == 0>
                                        {format!("Send to {} {}", reach, if reach == 1 { "person" } else { "people" })}
                                    </button>
                                </PostForm>
                            </section>
                        })}
                    }
                }))
            })}
        </Transition>
    }
}

#[component]
fn CampaignSettings(
    detail: CampaignDetail,
    choices: BuilderChoices,
    action: ServerAction<SaveCampaignSettings>,
) -> impl IntoView {
    let err = action_error(action);
    let kind = RwSignal::new(detail.audience_kind.clone());
    let o = detail.options.clone();
    let aid = detail.audience_id.clone().unwrap_or_default();
    view! {
        <section class="card">
            <h2>"Audience and options"</h2>
            <FormError error=crate::components::general_error(err)/>
            <Autosave>
                <PostForm action=action attr:class="form settings-form">
                    <input type="hidden" name="campaign_id" value=detail.id.clone()/>
                    <Field label="Campaign name" name="name" required=true value=Some(detail.name.clone()) error=field_error(err, "name")/>
                    <fieldset class="field">
                        <legend>"Who receives it"</legend>
                        {[("tag", "People with a tag"), ("pool", "A pool"), ("segment", "A segment")].into_iter().map(|(v, l)| {
                            let id = format!("aud-{v}");
                            view! { <label for=id.clone()><input type="radio" id=id.clone() name="audience_kind" value=v checked=detail.audience_kind == v
                                on:change=move |_| kind.set(v.to_string())/>" "{l}</label> }
                        }).collect_view()}
                    </fieldset>
                    <div class="row">
                        <div class="field" class:dim=move || kind.get() != "tag">
                            <label for="f-audience_tag">"Tag"</label>
                            <select id="f-audience_tag" name="audience_tag">
                                <option value="">"Choose a tag"</option>
                                {choices.tags.iter().map(|(t, n)| view! { <option value=t.clone() selected=*t == detail.audience_tag>{format!("{t} ({n} people)")}</option> }).collect_view()}
                            </select>
                            <p class="field-error" role="alert">{move || field_error(err, "audience_tag").get()}</p>
                        </div>
                        <div class="field" class:dim=move || kind.get() != "pool">
                            <label for="f-audience_pool">"Pool"</label>
                            <select id="f-audience_pool" name="audience_pool">
                                <option value="">"Choose a pool"</option>
                                {choices.pools.iter().map(|(id, n)| view! { <option value=id.clone() selected=*id == aid>{n.clone()}</option> }).collect_view()}
                            </select>
                            <p class="field-error" role="alert">{move || field_error(err, "audience_pool").get()}</p>
                        </div>
                        <div class="field" class:dim=move || kind.get() != "segment">
                            <label for="f-audience_segment">"Segment"</label>
                            <select id="f-audience_segment" name="audience_segment">
                                <option value="">"Choose a segment"</option>
                                {choices.segments.iter().map(|(id, n)| view! { <option value=id.clone() selected=*id == aid>{n.clone()}</option> }).collect_view()}
                            </select>
                            <p class="field-error" role="alert">{move || field_error(err, "audience_segment").get()}</p>
                        </div>
                    </div>
                    <div class="field checkbox">
                        <input type="checkbox" id="f-auto" name="auto_enroll" value="on" checked=o.auto_enroll/>
                        <label for="f-auto">"Also enroll people who join the audience after launch"</label>
                    </div>
                    <div class="field">
                        <label for="f-job">"Warms people for a job (optional)"</label>
                        <select id="f-job" name="job">
                            <option value="">"No job"</option>
                            {choices.jobs.iter().map(|(id, t)| view! { <option value=id.clone() selected=o.job_id.as_deref() == Some(id.as_str())>{t.clone()}</option> }).collect_view()}
                        </select>
                        <p class="hint">"Used for {{job_title}}; applying ends the sequence."</p>
                    </div>
                    <div class="field">
                        <label for="f-topic">"Topic"</label>
                        <select id="f-topic" name="topic">
                            {TOPICS.iter().map(|(t, l)| view! { <option value=*t selected=o.topic == *t>{*l}</option> }).collect_view()}
                        </select>
                        <p class="hint">"People who turned this topic off on the unsubscribe page are skipped."</p>
                    </div>
                    <fieldset class="field send-window">
                        <legend>"Send window (in each person's time zone)"</legend>
                        <div class="field checkbox">
                            <input type="checkbox" id="f-window" name="use_send_window" value="on" checked=o.use_send_window/>
                            <label for="f-window">"Only send during these hours"</label>
                        </div>
                        <div class="days">
                            {[(1, "Mon"), (2, "Tue"), (3, "Wed"), (4, "Thu"), (5, "Fri"), (6, "Sat"), (7, "Sun")].into_iter().map(|(d, l)| {
                                let id = format!("day-{d}");
                                view! { <label for=id.clone()><input type="checkbox" id=id.clone() name="send_days[]" value=d.to_string() checked=o.send_days.contains(&d)/>" "{l}</label> }
                            }).collect_view()}
                        </div>
                        <div class="row">
                            <Field label="From hour" name="start_hour" kind="number" value=Some(o.start_hour.to_string()) error=Signal::derive(|| None::<String>)/>
                            <Field label="Until hour" name="end_hour" kind="number" value=Some(o.end_hour.to_string()) error=Signal::derive(|| None::<String>)/>
                        </div>
                        <p class="field-error" role="alert">{move || field_error(err, "send_window").get()}</p>
                    </fieldset>
                    <button type="submit" class="btn">"Save"</button>
                    <span class="saved" role="status">{move || matches!(action.value().get(), Some(Ok(()))).then_some("Saved.")}</span>
                </PostForm>
            </Autosave>
        </section>
    }
}

/// One email step as a chosen recipient sees it (HTML on a desktop or a phone, and the plain
/// text), and a test of it sent to oneself.
#[component]
fn PreviewPanel(
    detail: CampaignDetail,
    preview: Resource<Result<Preview, AppError>>,
    test: ServerAction<SendTestEmail>,
) -> impl IntoView {
    let query = use_query_map();
    let preview_for = move || query.with(|q| q.get("preview").unwrap_or_default());
    let step_for = move || query.with(|q| q.get("step").unwrap_or_default());
    let variant_for = move || query.with(|q| q.get("variant").unwrap_or_default());
    let width_for = move || query.with(|q| q.get("width").unwrap_or_default());
    let chosen = preview_for();
    let chosen_step = step_for();
    let test_err = action_error(test);
    let cid = detail.id.clone();
    let emails: Vec<(String, String)> = detail
        .steps
        .iter()
        .enumerate()
        .filter(|(_, s)| s.kind() == "email")
        .map(|(i, s)| (s.id().to_string(), format!("Step {}", i + 1)))
        .collect();
    view! {
        <section class="card">
            <h2>"Preview"</h2>
            <form method="get" class="inline-form">
                <label for="preview-person">"Preview for"</label>
                <select id="preview-person" name="preview">
                    {detail.sample.iter().map(|r| {
                        let sel = r.id == chosen;
                        view! { <option value=r.id.clone() selected=sel>{format!("{} <{}>", r.name, r.email)}</option> }
                    }).collect_view()}
                </select>
                <label for="preview-step">"Email"</label>
                <select id="preview-step" name="step">
                    {emails.into_iter().map(|(id, l)| {
                        let sel = id == chosen_step;
                        view! { <option value=id selected=sel>{l}</option> }
                    }).collect_view()}
                </select>
                <label for="preview-variant">"Variant"</label>
                <select id="preview-variant" name="variant">
                    <option value="A">"A"</option>
                    <option value="B" selected=variant_for() == "B">"B"</option>
                </select>
                <label for="preview-width">"Screen"</label>
                <select id="preview-width" name="width">
                    <option value="desktop">"Desktop"</option>
                    <option value="phone" selected=width_for() == "phone">"Phone"</option>
                </select>
                <button type="submit" class="btn">"Show"</button>
            </form>
            <Suspense fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    match preview.await {
                        Ok(p) => view! {
                            <div class="mail-preview card" aria-label="Email preview">
                                <p><span class="muted">"To: "</span><span class="preview-to">{p.to.clone()}</span></p>
                                <p><span class="muted">"Subject: "</span><strong class="preview-subject">{p.subject}</strong></p>
                                <div class="mail-frame" class:phone=move || width_for() == "phone">
                                    <iframe class="preview-html" sandbox="" srcdoc=p.html
                                        title=format!("The email as {} sees it", p.to)></iframe>
                                </div>
                                <details class="plain-text">
                                    <summary>"Plain-text version"</summary>
                                    <pre class="preview-body">{p.body}</pre>
                                </details>
                            </div>
                        }.into_any(),
                        Err(e) => view! { <p class="muted">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
            <PostForm action=test attr:class="inline-form test-send">
                <input type="hidden" name="campaign_id" value=cid/>
                <input type="hidden" name="person_id" value=preview_for/>
                <input type="hidden" name="step_id" value=step_for/>
                <input type="hidden" name="variant" value=variant_for/>
                <button type="submit" class="btn">"Send me a test"</button>
                <span class="saved" role="status">{move || match test.value().get() {
                    Some(Ok(to)) => format!("Test sent to {to}."),
                    _ => String::new(),
                }}</span>
            </PostForm>
            <FormError error=test_err/>
        </section>
    }
}

#[component]
fn CampaignReportView(
    campaign_id: String,
    pause: ServerAction<PauseCampaign>,
    status: CampaignStatus,
    report: Resource<Result<CampaignReport, AppError>>,
    tick: RwSignal<u32>,
) -> impl IntoView {
    // The tick drives the refresh, which only runs in the browser.
    #[cfg(not(feature = "hydrate"))]
    let _ = tick;
    let active = status == CampaignStatus::Active;
    let paused = status == CampaignStatus::Paused;
    // While the campaign runs, the figures refresh themselves every few seconds.
    #[cfg(feature = "hydrate")]
    if active {
        let handle = gloo_timers::callback::Interval::new(5_000, move || {
            tick.try_update(|t| *t += 1);
        });
        let handle = StoredValue::new_local(Some(handle));
        on_cleanup(move || {
            handle.update_value(|h| {
                if let Some(h) = h.take() {
                    h.cancel();
                }
            })
        });
    }
    view! {
        <section class="card report">
            <div class="page-head">
                <h2>"Report"</h2>
                {(active || paused).then(|| view! {
                    <PostForm action=pause attr:class="inline">
                        <input type="hidden" name="campaign_id" value=campaign_id.clone()/>
                        <input type="hidden" name="pause" value=if active { "true" } else { "false" }/>
                        <button type="submit" class="btn">{if active { "Pause" } else { "Resume" }}</button>
                    </PostForm>
                })}
            </div>
            <Transition fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    or_error(report.await.map(|r| view! {
                        <dl class="report-totals">
                            {[("Enrolled", r.enrolled), ("Sent", r.sent), ("Delivered", r.delivered), ("Opened", r.opened), ("Clicked", r.clicked),
                              ("Replied", r.replied), ("Applied", r.applied), ("Hired", r.hired), ("Unsubscribed", r.unsubscribed)].into_iter().map(|(l, v)| view! {
                                <div class=format!("total total-{}", l.to_lowercase())><dt>{l}</dt><dd>{v}</dd></div>
                            }).collect_view()}
                        </dl>
                        <p class="muted small">{format!("{} active, {} finished, {} stopped (unsubscribed, replied, applied or by a condition).", r.active, r.completed, r.stopped)}</p>
                        // Focusable: on a phone the table scrolls sideways, and keyboards must reach that too.
                        <table class="data-table step-report" tabindex="0" aria-label="Results per step">
                            <thead><tr>
                                <th scope="col">"Step"</th><th scope="col">"Variant"</th><th scope="col">"Sent"</th><th scope="col">"Queued"</th>
                                <th scope="col">"Failed"</th><th scope="col">"Opened"</th><th scope="col">"Clicked"</th><th scope="col">"Replied"</th>
                            </tr></thead>
                            <tbody>
                                {r.steps.into_iter().map(|s| view! {
                                    <tr data-step=s.step_id.clone()>
                                        <td>{format!("{}. {}", s.position, s.subject)}</td>
                                        <td>{s.variant.clone().unwrap_or_else(|| "—".into())}</td>
                                        <td class="sent">{s.sent}</td>
                                        <td>{s.queued}</td>
                                        <td>{s.failed}</td>
                                        <td class="opened">{s.opened}{(s.machine_opens > 0).then(|| view! {
                                            <span class="muted small" title="Opens right after delivery are usually mail servers or privacy proxies, not people.">
                                                {format!(" (+{} unreliable)", s.machine_opens)}</span>
                                        })}</td>
                                        <td class="clicked">{s.clicked}</td>
                                        <td>{s.replied}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        <p class="muted small">"Opens come from a tracking image, which many mail apps block or load automatically; treat them as a rough signal. Clicks and replies are reliable."</p>
                    }))
                })}
            </Transition>
        </section>
    }
}

#[component]
pub fn UnsubscribePage() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.with(|q| q.get("token").unwrap_or_default());
    let action = ServerAction::<Unsubscribe>::new();
    let topics = ServerAction::<SaveTopics>::new();
    // The choices were saved (`done=topics` after the form post, see
    // `crate::server::http::back_with_done`).
    let saved = move || query.with(|q| crate::components::form_done(q, "topics"));
    let (all_err, topics_err) = (action_error(action), action_error(topics));
    let failed = crate::components::general_error(Signal::derive(move || {
        crate::components::live(all_err).or_else(|| crate::components::live(topics_err))
    }));
    let info = Resource::new(
        move || (token(), action.version().get()),
        |(t, _)| get_unsubscribe_info(t),
    );
    view! {
        <Title text="Unsubscribe"/>
        <PublicHeader/>
        <main class="page narrow" id="content">
            <h1>"Unsubscribe"</h1>
            <FormError error=failed/>
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
                            <section class="card">
                                <h2>"Choose what we send to "{i.email_hint.clone()}</h2>
                                <PostForm action=topics attr:class="form topics-form">
                                    <input type="hidden" name="token" value=token()/>
                                    <fieldset>
                                        <legend>"Keep sending me:"</legend>
                                        {TOPICS.iter().map(|(t, l)| {
                                            let fid = format!("topic-{t}");
                                            let on = !i.topics.iter().any(|x| x == t);
                                            view! {
                                                <div class="field checkbox">
                                                    <input type="checkbox" id=fid.clone() name="keep[]" value=*t checked=on/>
                                                    <label for=fid>{*l}</label>
                                                </div>
                                            }
                                        }).collect_view()}
                                    </fieldset>
                                    <button type="submit" class="btn">"Save my choices"</button>
                                    <span class="saved" role="status">{move || saved().then_some("Saved. We will only send what you kept.")}</span>
                                </PostForm>
                            </section>
                            <section class="card">
                                <h2>"Or stop everything"</h2>
                                <p>"No more campaign emails of any kind. You will still hear from us about applications you make."</p>
                                <PostForm action=action attr:class="inline">
                                    <input type="hidden" name="token" value=token()/>
                                    <button type="submit" class="btn primary">"Unsubscribe from all"</button>
                                </PostForm>
                            </section>
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

/// The CRM report: pool growth per month (chart and table) and each campaign's funnel.
#[component]
fn CrmReportSection() -> impl IntoView {
    use crate::components::chart::{Bar, BarChart};
    let report = Resource::new(|| (), |_| get_crm_report());
    view! {
        <section class="card report crm-report" aria-labelledby="crm-report-title">
            <h2 id="crm-report-title">"Talent pool and campaigns, last 12 months"</h2>
            <Suspense fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    or_error(report.await.map(|r| {
                        let bars: Vec<Bar> = r.months.iter().map(|m| Bar {
                            label: m.month.clone(),
                            value: m.added_to_pools as f64,
                            text: m.added_to_pools.to_string(),
                        }).collect();
                        view! {
                            <p class="crm-pooled">{format!("{} people are in a talent pool now.", r.pooled_now)}</p>
                            <BarChart id="pool-growth" title="People added to talent pools per month" bars=bars/>
                            <div class="table-scroll">
                                <table class="data-table crm-months" tabindex="0" aria-label="Talent pool and engagement per month">
                                    <thead><tr>
                                        <th scope="col">"Month"</th><th scope="col">"Added to pools"</th>
                                        <th scope="col">"Opens"</th><th scope="col">"Clicks"</th>
                                        <th scope="col">"Replies"</th><th scope="col">"Applications"</th>
                                    </tr></thead>
                                    <tbody>
                                        {r.months.iter().map(|m| view! {
                                            <tr><td>{m.month.clone()}</td><td>{m.added_to_pools}</td><td>{m.opened}</td>
                                                <td>{m.clicked}</td><td>{m.replied}</td><td>{m.applied}</td></tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            <h3>"From campaign to hire"</h3>
                            {if r.campaigns.is_empty() {
                                view! { <p class="muted">"No campaign has been launched yet."</p> }.into_any()
                            } else {
                                view! {
                                    <div class="table-scroll">
                                        <table class="data-table campaign-funnel" tabindex="0" aria-label="People per campaign: enrolled, engaged, replied, applied, hired">
                                            <thead><tr>
                                                <th scope="col">"Campaign"</th><th scope="col">"Enrolled"</th>
                                                <th scope="col">"Opened or clicked"</th><th scope="col">"Replied"</th>
                                                <th scope="col">"Applied"</th><th scope="col">"Hired"</th>
                                            </tr></thead>
                                            <tbody>
                                                {r.campaigns.iter().map(|c| view! {
                                                    <tr>
                                                        <td><a href=format!("/app/campaigns/{}", c.id)>{c.name.clone()}</a></td>
                                                        <td>{c.enrolled}</td><td>{c.engaged}</td><td>{c.replied}</td>
                                                        <td>{c.applied}</td><td>{c.hired}</td>
                                                    </tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                }.into_any()
                            }}
                        }
                    }))
                })}
            </Suspense>
        </section>
    }
}
