//! The CRM panel on a person's profile: consent, owner, engagement, pools, campaigns, likely
//! duplicates, and quick actions (add to a job or a pool, mark as replied).

use super::api::{UpdateCrm, get_crm_profile};
use super::types::CrmProfile;
use crate::campaigns::api::MarkReplied;
use crate::components::PostForm;
use crate::components::{Field, action_error, field_error, format_date};
use crate::pipeline::api::AddPersonToJob;
use crate::pools::api::AddToPool;
use leptos::prelude::*;

/// A person's CRM data and the panel's actions. The profile page makes it in its own body, not
/// inside its `Suspend`: a resource created there is not matched with the server's data while
/// hydrating, so the browser read it again, and when it had changed meanwhile (a reply marked,
/// a campaign sent) the page failed to hydrate. `None` for staff who do not use the CRM.
#[derive(Clone, Copy)]
pub struct Crm {
    update: ServerAction<UpdateCrm>,
    to_pool: ServerAction<AddToPool>,
    to_job: ServerAction<AddPersonToJob>,
    replied: ServerAction<MarkReplied>,
    data: Resource<Option<CrmProfile>>,
}

impl Crm {
    pub fn new(uses_crm: bool, person_id: impl Fn() -> String + Send + Sync + 'static) -> Self {
        let update = ServerAction::<UpdateCrm>::new();
        let to_pool = ServerAction::<AddToPool>::new();
        let to_job = ServerAction::<AddPersonToJob>::new();
        let replied = ServerAction::<MarkReplied>::new();
        let data = Resource::new(
            move || {
                (
                    person_id(),
                    update.version().get(),
                    to_pool.version().get(),
                    to_job.version().get(),
                    replied.version().get(),
                )
            },
            move |(id, ..)| async move {
                if uses_crm {
                    get_crm_profile(id).await.ok()
                } else {
                    None
                }
            },
        );
        Self {
            update,
            to_pool,
            to_job,
            replied,
            data,
        }
    }
}

/// The CRM panel on a person's profile.
#[component]
pub fn CrmPanel(crm: Crm, person_id: String) -> impl IntoView {
    let Crm {
        update,
        to_pool,
        to_job,
        replied,
        data,
    } = crm;
    let err = action_error(update);
    let job_err = action_error(to_job);
    let pool_err = action_error(to_pool);
    view! {
        <Transition fallback=|| ()>
            {move || {
                let person_id = person_id.clone();
                Suspend::new(async move {
                    data.await.map(|c| {
                        let p1 = person_id.clone();
                        let p2 = person_id.clone();
                        let p3 = person_id.clone();
                        let p4 = person_id.clone();
                        view! {
                            <section class="card crm-panel" aria-labelledby="crm-heading">
                                <h2 id="crm-heading">"Talent pool (CRM)"</h2>
                                <dl class="facts">
                                    <dt>"Consent"</dt><dd class="consent-line">{c.consent_status.clone()}{c.consent_at.as_deref().map(|d| format!(" since {}", format_date(d)))}{c.consent_basis.as_deref().map(|b| format!(" ({})", basis_label(b)))}</dd>
                                    <dt>"Owner"</dt><dd>{c.owner_name.clone().unwrap_or_else(|| "—".into())}</dd>
                                    <dt>"Last contacted"</dt><dd>{c.last_contacted_at.as_deref().map(format_date).unwrap_or_else(|| "never".into())}</dd>
                                    <dt>"Engagement"</dt><dd class="engagement">{c.engagement_score}</dd>
                                    {c.referred_by.clone().map(|r| view! { <dt>"Referred by"</dt><dd>{r}{c.referral_relationship.clone().map(|x| format!(" ({x})"))}</dd> })}
                                    {(!c.interests.is_empty()).then(|| view! { <dt>"Interests"</dt><dd>{c.interests.join(", ")}</dd> })}
                                    {(!c.unsubscribed_topics.is_empty()).then(|| view! { <dt>"Does not want"</dt><dd>{c.unsubscribed_topics.join(", ")}</dd> })}
                                    <dt>"Pools"</dt><dd>{if c.pools.is_empty() { "—".to_string() } else { c.pools.iter().map(|(_, n)| n.clone()).collect::<Vec<_>>().join(", ") }}</dd>
                                    <dt>"Campaigns"</dt><dd>{if c.campaigns.is_empty() { "—".to_string() } else { c.campaigns.iter().map(|(n, _, w)| format!("{n} ({w})")).collect::<Vec<_>>().join("; ") }}</dd>
                                </dl>
                                <ConsentLedger record=c.consent_record.clone()/>
                                <details>
                                    <summary>"Edit consent, owner, time zone"</summary>
                                    <PostForm action=update attr:class="form">
                                        <input type="hidden" name="person_id" value=p1/>
                                        <div class="row">
                                            <div class="field"><label for="f-consent-status">"Consent"</label>
                                                <select id="f-consent-status" name="consent">
                                                    {["unknown", "pending", "granted", "withdrawn"].into_iter().map(|v| view! { <option value=v selected=v == c.consent_status>{v}</option> }).collect_view()}
                                                </select></div>
                                            <div class="field"><label for="f-basis">"Basis"</label>
                                                <select id="f-basis" name="basis" aria-describedby="f-basis-error">
                                                    {[("", "none recorded"), ("consent", "consent"), ("legitimate_interest", "legitimate interest")].into_iter().map(|(v, l)| view! { <option value=v selected=c.consent_basis.as_deref().unwrap_or("") == v>{l}</option> }).collect_view()}
                                                </select>
                                                <p class="field-error" id="f-basis-error" role="alert">{move || field_error(err, "basis").get()}</p></div>
                                            <div class="field"><label for="f-owner">"Owner"</label>
                                                <select id="f-owner" name="owner">
                                                    <option value="">"Nobody"</option>
                                                    {c.staff.iter().map(|(id, n)| view! { <option value=id.clone() selected=c.owner_id.as_deref() == Some(id.as_str())>{n.clone()}</option> }).collect_view()}
                                                </select></div>
                                            <Field label="Time zone" name="timezone" value=c.timezone.clone() placeholder="Europe/Berlin" error=field_error(err, "timezone")/>
                                        </div>
                                        <button type="submit" class="btn">"Save"</button>
                                    </PostForm>
                                </details>
                                <div class="crm-actions">
                                    <PostForm action=to_job attr:class="inline-form">
                                        <input type="hidden" name="person_id" value=p2/>
                                        <label for="f-add-job">"Add to a job's pipeline"</label>
                                        <select id="f-add-job" name="job_id">
                                            <option value="">"Choose a job"</option>
                                            {c.jobs.iter().map(|(id, t)| view! { <option value=id.clone()>{t.clone()}</option> }).collect_view()}
                                        </select>
                                        <button type="submit" class="btn">"Add as sourced"</button>
                                    </PostForm>
                                    <p class="field-error" role="alert">{move || crate::components::live(job_err).map(|e| e.field_message("job_id").unwrap_or_else(|| e.to_string()))}</p>
                                    <PostForm action=to_pool attr:class="inline-form">
                                        <input type="hidden" name="person_ids[]" value=p3/>
                                        <label for="f-add-pool">"Add to a pool"</label>
                                        <select id="f-add-pool" name="pool_id">
                                            {c.all_pools.iter().map(|(id, n)| view! { <option value=id.clone()>{n.clone()}</option> }).collect_view()}
                                        </select>
                                        <button type="submit" class="btn">"Add"</button>
                                    </PostForm>
                                    <p class="field-error" role="alert">{move || crate::components::live(pool_err).map(|e| e.to_string())}</p>
                                    <PostForm action=replied attr:class="inline">
                                        <input type="hidden" name="person_id" value=p4/>
                                        <button type="submit" class="btn">"Mark as replied"</button>
                                    </PostForm>
                                </div>
                                {(!c.duplicates.is_empty()).then(|| view! {
                                    <div class="banner dup-banner">
                                        <p><strong>"Possible duplicates: "</strong></p>
                                        <ul class="plain">{c.duplicates.iter().map(|d| view! {
                                            <li><a href=format!("/app/people/{}", d.b.id)>{d.b.name.clone()}</a>
                                                {format!(" ({}%, {}) ", d.confidence, d.reasons.join(", "))}
                                                <a href=format!("/app/duplicates/merge?a={}&b={}", d.a.id, d.b.id)>"Compare and merge"</a></li>
                                        }).collect_view()}</ul>
                                    </div>
                                })}
                            </section>
                        }
                    })
                })
            }}
        </Transition>
    }
}

/// How a stored basis reads ("legitimate_interest" → "legitimate interest").
fn basis_label(b: &str) -> String {
    crate::privacy::types::Basis::read(Some(b))
        .map(|b| b.label().to_string())
        .unwrap_or_else(|| b.to_string())
}

/// The consent ledger on a profile: each answer with its basis, time, address and the notice
/// version and words the person read.
#[component]
fn ConsentLedger(record: Vec<crate::privacy::types::ConsentRecord>) -> impl IntoView {
    (!record.is_empty()).then(|| {
        view! {
            <details class="consent-ledger">
                <summary>{format!("Consent record ({})", record.len())}</summary>
                <ul class="plain">
                    {record.into_iter().map(|r| {
                        let what = format!(
                            "{}: {} ({})",
                            r.purpose,
                            if r.given { "given" } else { "withdrawn" },
                            r.basis
                        );
                        let meta = [
                            Some(crate::components::format_datetime(&r.at)),
                            Some(r.source.clone()),
                            r.notice_version.map(|v| format!("notice v{v}")),
                            r.ip.clone().map(|ip| format!("from {ip}")),
                        ]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" · ");
                        view! {
                            <li>
                                <strong>{what}</strong>
                                <span class="muted small">" "{meta}</span>
                                {(!r.wording.is_empty()).then(|| view! { <blockquote class="small">{r.wording.clone()}</blockquote> })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </details>
        }
    })
}
