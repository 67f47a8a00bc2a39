//! The admin queue of privacy requests, and the portal's "erase my data" section.

use super::api::{
    AnswerPrivacyRequest, CorrectMyDetails, RequestErasure, SaveMyConsent, SavePrivacyNotice,
    SaveRetention, get_privacy_notice, get_retention, list_privacy_requests, my_privacy,
};
use super::types::{PrivacyNotice, PrivacyRequest, deadline_label};
use crate::components::PostForm;
use crate::components::ui::{Badge, EmptyState, Tone};
use crate::components::{
    Field, FormError, Loading, action_error, field_error, format_date, or_error, url_error,
};
use leptos::prelude::*;
use leptos_meta::Title;

fn deadline_tone(days_left: i64) -> Tone {
    match days_left {
        d if d < 0 => Tone::Danger,
        d if d <= 7 => Tone::Warn,
        _ => Tone::Neutral,
    }
}

#[component]
fn OpenRequest(r: PrivacyRequest, answer: ServerAction<AnswerPrivacyRequest>) -> impl IntoView {
    let err = action_error(answer);
    let note_id = format!("decline-note-{}", r.id);
    let (id, id_erase, id_decline) = (r.id.clone(), r.id.clone(), r.id.clone());
    let profile = format!("/app/people/{}", r.person_id);
    let erase_label = format!("Erase everything about {}", r.person_name);
    view! {
        <li class="card privacy-request" data-request=id>
            <p class="privacy-request-head">
                <a href=profile><strong>{r.person_name.clone()}</strong></a>
                " asked for erasure on "{format_date(&r.requested_at)}" "
                <Badge tone=deadline_tone(r.days_left)>{deadline_label(r.days_left)}</Badge>
            </p>
            <details class="privacy-erase">
                <summary>"Erase now…"</summary>
                <p class="muted small">
                    "Removes their name, contact details, resumes, notes, scorecard notes, emails, "
                    "pool memberships and timelines, and the personal data in the audit log. "
                    "Applications stay as anonymous counts for reports. This cannot be undone."
                </p>
                <PostForm action=answer>
                    <input type="hidden" name="request_id" value=id_erase/>
                    <input type="hidden" name="decision" value="erase"/>
                    <button type="submit" class="btn danger">{erase_label}</button>
                </PostForm>
            </details>
            <details class="privacy-decline">
                <summary>"Decline…"</summary>
                <PostForm action=answer>
                    <input type="hidden" name="request_id" value=id_decline/>
                    <input type="hidden" name="decision" value="decline"/>
                    <label for=note_id.clone()>"Why the data is kept"</label>
                    <textarea id=note_id name="note" rows="2"></textarea>
                    {move || field_error(err, "note").get().map(|m| view! { <p class="field-error">{m}</p> })}
                    <button type="submit" class="btn">"Decline the request"</button>
                </PostForm>
            </details>
        </li>
    }
}

/// Admin → Privacy requests.
#[component]
pub fn PrivacyRequestsPage() -> impl IntoView {
    let answer = ServerAction::<AnswerPrivacyRequest>::new();
    let queue = Resource::new(move || answer.version().get(), |_| list_privacy_requests());
    let err = action_error(answer);
    let url_err = url_error::<AnswerPrivacyRequest>();
    view! {
        <Title text="Privacy requests"/>
        <h1>"Privacy requests"</h1>
        <p class="muted">
            "Candidates ask for their data to be erased from their portal. Answer each within 30 "
            "days: erase it, or decline with the reason the data must be kept."
        </p>
        <FormError error=Signal::derive(move || crate::components::live(err).filter(|e| e.field_message("note").is_none()).or_else(|| url_err.clone()))/>
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                or_error(queue.await.map(|q| view! {
                    <h2>"Open"</h2>
                    {if q.open.is_empty() {
                        view! { <EmptyState title="No open requests" hint="Requests from the candidate portal appear here."/> }.into_any()
                    } else {
                        view! {
                            <ul class="plain privacy-requests">
                                {q.open.into_iter().map(|r| view! { <OpenRequest r=r answer=answer/> }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                    <h2>"Answered"</h2>
                    {if q.answered.is_empty() {
                        view! { <p class="muted">"None yet."</p> }.into_any()
                    } else {
                        view! {
                            <div class="table-scroll">
                                <table class="data-table privacy-answered" tabindex="0" aria-label="Answered privacy requests">
                                    <thead>
                                        <tr>
                                            <th scope="col">"Person"</th>
                                            <th scope="col">"Asked"</th>
                                            <th scope="col">"Answer"</th>
                                            <th scope="col">"By"</th>
                                            <th scope="col">"Details"</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {q.answered.into_iter().map(|r| view! {
                                            <tr data-request=r.id.clone()>
                                                <td>{r.person_name.clone()}</td>
                                                <td>{format_date(&r.requested_at)}</td>
                                                <td>
                                                    <Badge tone=if r.status == "done" { Tone::Ok } else { Tone::Neutral }>
                                                        {if r.status == "done" { "Erased" } else { "Declined" }}
                                                    </Badge>
                                                    " "{r.decided_at.as_deref().map(format_date).unwrap_or_default()}
                                                </td>
                                                <td>{r.decided_by.clone().unwrap_or_default()}</td>
                                                <td class="small">{r.note.clone().unwrap_or_default()}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any()
                    }}
                }))
            })}
        </Transition>
        <NoticeSection/>
        <RetentionSection/>
        <RegionsSection/>
        <section class="card data-export" aria-labelledby="data-export-title">
            <h2 id="data-export-title">"Your company's data"</h2>
            <p class="muted">
                "Everything in one JSON file in an open, documented format (see the README): "
                "people, applications, jobs, stages, timelines, interviews, scorecards, offers, "
                "pools, campaigns, the audit log and files. "
                <code>"server import FILE"</code>" restores it into an empty database."
            </p>
            <p><a href="/admin/export.json" download="" rel="external" class="btn">"Download the whole database (JSON)"</a></p>
        </section>
    }
}

/// The privacy notice the public forms show: admins publish a new version; earlier versions
/// stay, since each person's consent points at the one they read.
#[component]
fn NoticeSection() -> impl IntoView {
    let save = ServerAction::<SavePrivacyNotice>::new();
    let err = action_error(save);
    let notice = Resource::new(move || save.version().get(), |_| get_privacy_notice());
    view! {
        <section class="card privacy-notice-admin" aria-labelledby="notice-title">
            <h2 id="notice-title">"Privacy notice"</h2>
            <p class="muted">
                "The application and talent-community forms show the summary and ask the "
                "talent-pool question separately; the full notice is at "<a href="/privacy">"/privacy"</a>". "
                "Saving publishes a new version. Each answer records the version the person read."
            </p>
            <Transition fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    or_error(notice.await.map(|n| {
                        let by = if n.author_name.is_empty() { String::new() } else { format!(" by {}", n.author_name) };
                        view! {
                            <p class="notice-version" role="status">
                                {format!("Version {} in force since {}{by}.", n.version, format_date(&n.published_at))}
                            </p>
                            <FormError error=crate::components::general_error(err)/>
                            <PostForm action=save attr:class="form" attr:novalidate=true>
                                <crate::components::TextArea label="Summary beside the forms" name="summary" rows=4
                                    value=Some(n.summary.clone()) required=true error=field_error(err, "summary")/>
                                <crate::components::TextArea label="Talent-pool question" name="pool_wording" rows=2
                                    value=Some(n.pool_wording.clone()) required=true
                                    hint="The words of the separate, optional checkbox."
                                    error=field_error(err, "pool_wording")/>
                                <crate::components::TextArea label="Full notice" name="body" rows=14
                                    value=Some(n.body.clone()) required=true
                                    hint="A blank line starts a new section; a section's first line is its heading."
                                    error=field_error(err, "body")/>
                                <button type="submit" class="btn primary">{format!("Publish version {}", n.version + 1)}</button>
                            </PostForm>
                        }
                    }))
                })}
            </Transition>
        </section>
    }
}

/// The notice's summary beside a public form, with a link to the full text and the version
/// shown (sent with the form, so the answer records what was read).
#[component]
pub fn NoticeSummary(notice: PrivacyNotice) -> impl IntoView {
    view! {
        <input type="hidden" name="notice_version" value=notice.version.to_string()/>
        <p class="privacy-notice-summary small">
            {notice.summary}" "
            <a href="/privacy" target="_blank">"Read the full privacy notice"</a>"."
        </p>
    }
}

/// `/privacy`: the privacy notice in force, for everyone (works without JavaScript).
#[component]
pub fn PrivacyNoticePage() -> impl IntoView {
    let notice = Resource::new(|| (), |_| get_privacy_notice());
    view! {
        <Title text="Privacy notice"/>
        <crate::components::PublicHeader/>
        <main class="page narrow" id="content">
            <h1>"Privacy notice"</h1>
            <Suspense fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    or_error(notice.await.map(|n| view! {
                        <p class="muted small notice-version">{format!("Version {}, published {}.", n.version, format_date(&n.published_at))}</p>
                        <p class="lead">{n.summary.clone()}</p>
                        <div class="prose privacy-notice-body">
                            {n.body.split("\n\n").map(|block| {
                                let block = block.trim().to_string();
                                match block.split_once('\n') {
                                    Some((head, rest)) => view! { <h2>{head.to_string()}</h2><p>{rest.to_string()}</p> }.into_any(),
                                    None => view! { <p>{block}</p> }.into_any(),
                                }
                            }).collect_view()}
                        </div>
                        <p>"Already applied? See, download, correct or erase your data in the "<a href="/portal">"candidate portal"</a>"."</p>
                    }))
                })}
            </Suspense>
        </main>
    }
}

/// What the re-consent rule would do now.
fn reconsent_line(months: Option<i64>, asking: usize, lapsing: usize) -> String {
    let ask = match months {
        None => "Talent-pool consent is not renewed.".to_string(),
        Some(m) => format!(
            "Consent older than {m} months is renewed: {asking} {} to ask now.",
            if asking == 1 { "person" } else { "people" }
        ),
    };
    if lapsing > 0 {
        format!("{ask} {lapsing} did not answer in time and leave the pool at the next run.")
    } else {
        ask
    }
}

/// Regions with their own retention: the countries they cover and their periods.
#[component]
fn RegionsSection() -> impl IntoView {
    use super::api::{RemoveRegionPolicy, SaveRegionPolicy};
    let save = ServerAction::<SaveRegionPolicy>::new();
    let remove = ServerAction::<RemoveRegionPolicy>::new();
    let err = action_error(save);
    let data = Resource::new(
        move || (save.version().get(), remove.version().get()),
        |_| get_retention(),
    );
    view! {
        <section class="card retention-regions" aria-labelledby="regions-title">
            <h2 id="regions-title">"Retention by region"</h2>
            <p class="muted">
                "A region has its own periods for the people whose location ends with one of its "
                "countries (for example “Berlin, Germany”)."
            </p>
            <FormError error=crate::components::general_error(err)/>
            <Transition fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    or_error(data.await.map(|r| view! {
                        <ul class="plain region-policies">
                            {r.regions.into_iter().map(|g| {
                                let label = format!("Remove the {} policy", g.name);
                                let (k1, k2) = (g.key.clone(), g.key.clone());
                                let erase = g.closed_applicants_months.map(|m| format!("closed applicants erased after {m} months ({} due now)", g.preview_total)).unwrap_or_else(|| "closed applicants kept".into());
                                let renew = g.reconsent_months.map(|m| format!("consent renewed after {m} months, {} days to answer ({} to ask now)", g.grace_days, g.reconsent_total)).unwrap_or_else(|| "consent not renewed".into());
                                view! {
                                    <li class="region-policy" data-region=k1>
                                        <strong>{g.name.clone()}</strong>
                                        <span class="muted small">" · "{g.countries.join(", ")}</span>
                                        <p class="small">{format!("{erase}; {renew}.")}</p>
                                        <PostForm action=remove attr:class="inline">
                                            <input type="hidden" name="key" value=k2/>
                                            <button type="submit" class="btn" aria-label=label>"Remove"</button>
                                        </PostForm>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }))
                })}
            </Transition>
            <details class="add-region">
                <summary>"Add a region"</summary>
                <PostForm action=save attr:class="form" attr:novalidate=true>
                    <Field label="Region" name="name" placeholder="European Union" error=field_error(err, "name")/>
                    <Field label="Countries" name="countries" placeholder="Germany, France, Spain" error=field_error(err, "countries")/>
                    <Field label="Erase closed applicants after (months)" name="months" kind="number" error=field_error(err, "months")/>
                    <Field label="Renew talent-pool consent after (months)" name="reconsent_months" kind="number" error=field_error(err, "reconsent_months")/>
                    <Field label="Days to answer a renewal email" name="grace_days" kind="number" value=Some("30".to_string()) error=field_error(err, "grace_days")/>
                    <button type="submit" class="btn primary">"Add the region"</button>
                </PostForm>
            </details>
        </section>
    }
}

/// `/talent/renew?token=…`: where a renewal email's link lands. Opening it changes nothing
/// (mail scanners open links); a button answers. Works without JavaScript.
#[component]
pub fn RenewConsentPage() -> impl IntoView {
    use super::api::{RenewConsent, renewal_name};
    let query = leptos_router::hooks::use_query_map();
    let token = move || query.with(|q| q.get("token").unwrap_or_default());
    let done = move || query.with(|q| q.get("done"));
    let answer = ServerAction::<RenewConsent>::new();
    let err = action_error(answer);
    let url_err = url_error::<RenewConsent>();
    let name = Resource::new(token, |t| async move {
        if t.is_empty() {
            Ok(None)
        } else {
            renewal_name(t).await.map(Some)
        }
    });
    view! {
        <Title text="Your place in our talent pool"/>
        <crate::components::PublicHeader/>
        <main class="page narrow" id="content">
            {move || match done().as_deref() {
                Some("stayed") => view! {
                    <h1>"Thank you"</h1>
                    <p class="banner banner-ok" role="status">"You stay in our talent pool. We will write when a role fits you."</p>
                }.into_any(),
                Some(_) => view! {
                    <h1>"You have left the talent pool"</h1>
                    <p class="banner banner-ok" role="status">"We will not write to you about other roles. Applications you have with us go on as before."</p>
                }.into_any(),
                None => {
                    let url_err = url_err.clone();
                    view! {
                    <Suspense fallback=|| view! { <Loading/> }>
                        {move || {
                            let url_err = url_err.clone();
                            Suspend::new(async move {
                            match (name.await, crate::components::live(err).or(url_err)) {
                                (_, Some(e)) | (Err(e), None) => view! {
                                    <h1>"We could not use this link"</h1>
                                    <div class="banner banner-error" role="alert">{match e {
                                        crate::error::AppError::Validation(_) => "This link is not valid.".to_string(),
                                        other => other.to_string(),
                                    }}</div>
                                    <p><a href="/portal">"Candidate portal"</a></p>
                                }.into_any(),
                                (Ok(first), None) => {
                                    let t1 = token();
                                    let t2 = token();
                                    view! {
                                        <h1>{format!("Hi {}, do you want to stay in our talent pool?", first.unwrap_or_default())}</h1>
                                        <p class="lead">"We keep your details and write to you about roles that fit you, as long as you want."</p>
                                        <div class="actions">
                                            <PostForm action=answer attr:class="inline">
                                                <input type="hidden" name="token" value=t1/>
                                                <input type="hidden" name="stay" value="yes"/>
                                                <button type="submit" class="btn primary">"Keep me in the talent pool"</button>
                                            </PostForm>
                                            <PostForm action=answer attr:class="inline">
                                                <input type="hidden" name="token" value=t2/>
                                                <input type="hidden" name="stay" value="no"/>
                                                <button type="submit" class="btn">"Remove me"</button>
                                            </PostForm>
                                        </div>
                                    }.into_any()
                                }
                            }
                        })}}
                    </Suspense>
                }.into_any()
                }
            }}
        </main>
    }
}

/// The retention policy: how long closed applicants are kept, who it would erase now, and what
/// it erased.
#[component]
fn RetentionSection() -> impl IntoView {
    let save = ServerAction::<SaveRetention>::new();
    let err = action_error(save);
    let retention = Resource::new(move || save.version().get(), |_| get_retention());
    view! {
        <section class="card retention" aria-labelledby="retention-title">
            <h2 id="retention-title">"Retention"</h2>
            <p class="muted">
                "Applicants whose applications all ended (rejected or withdrawn), who gave no "
                "talent-pool consent and about whom nothing happened for this many months are "
                "erased automatically, within ten minutes of becoming due. Talent-pool members "
                "are emailed to renew their consent; who does not answer in time leaves the pool "
                "(and is erased when no open application keeps them). This policy covers "
                "everyone no region below covers."
            </p>
            <Transition fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    or_error(retention.await.map(|r| {
                        let months = r.closed_applicants_months.map(|m| m.to_string()).unwrap_or_default();
                        view! {
                            <PostForm action=save attr:class="form inline-form" attr:novalidate=true>
                                <label for="retention-months">"Erase closed applicants after (months)"</label>
                                <input id="retention-months" name="months" type="number" min="1" max="120"
                                    inputmode="numeric" value=months placeholder="Off"
                                    aria-describedby="retention-months-help"/>
                                <p id="retention-months-help" class="muted small">"Leave empty to keep everyone."</p>
                                {move || field_error(err, "months").get().map(|m| view! { <p class="field-error">{m}</p> })}
                                <label for="reconsent-months">"Ask talent-pool members to renew their consent after (months)"</label>
                                <input id="reconsent-months" name="reconsent_months" type="number" min="1" max="120"
                                    inputmode="numeric" value=r.reconsent_months.map(|m| m.to_string()).unwrap_or_default() placeholder="Never"/>
                                {move || field_error(err, "reconsent_months").get().map(|m| view! { <p class="field-error">{m}</p> })}
                                <label for="grace-days">"Remove those who do not answer after (days)"</label>
                                <input id="grace-days" name="grace_days" type="number" min="1" max="365"
                                    inputmode="numeric" value=r.grace_days.to_string()/>
                                {move || field_error(err, "grace_days").get().map(|m| view! { <p class="field-error">{m}</p> })}
                                <button type="submit" class="btn">"Save"</button>
                            </PostForm>
                            <p class="reconsent-preview muted">{reconsent_line(r.reconsent_months, r.reconsent_total, r.lapsing_total)}</p>
                            {match r.closed_applicants_months {
                                None => view! { <p class="retention-preview">"Off: nobody is erased automatically."</p> }.into_any(),
                                Some(m) => view! {
                                    <p class="retention-preview" role="status">
                                        {match r.preview_total {
                                            0 => format!("With {m} months, nobody is due now."),
                                            1 => format!("With {m} months, 1 person is due now:"),
                                            n => format!("With {m} months, {n} people are due now:"),
                                        }}
                                    </p>
                                    <ul class="retention-due">
                                        {r.preview.into_iter().map(|p| view! {
                                            <li><a href=format!("/app/people/{}", p.id)>{p.name}</a>
                                                {p.last_activity.map(|a| view! { <span class="muted small">" · last activity "{format_date(&a)}</span> })}
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                }.into_any(),
                            }}
                            {(!r.runs.is_empty()).then(|| view! {
                                <h3>"Recent runs"</h3>
                                <ul class="retention-runs">
                                    {r.runs.into_iter().map(|run| view! {
                                        <li>{format!("{}{}: {}", format_date(&run.at), run.region.as_deref().map(|g| format!(" ({g})")).unwrap_or_default(), run.summary())}</li>
                                    }).collect_view()}
                                </ul>
                            })}
                        }
                    }))
                })}
            </Transition>
        </section>
    }
}

/// The candidate's own data and the privacy centre's actions, made by the portal page in its
/// own body: a resource created inside the page's `Suspend` is not matched with the server's
/// data while hydrating, so the browser read it again (and the page failed to hydrate when it
/// had changed meanwhile).
#[derive(Clone, Copy)]
pub struct MyPrivacy {
    details: ServerAction<CorrectMyDetails>,
    consent: ServerAction<SaveMyConsent>,
    request: ServerAction<RequestErasure>,
    mine: Resource<Result<crate::privacy::types::PrivacyCentreData, crate::error::AppError>>,
}

impl MyPrivacy {
    pub fn load() -> Self {
        let details = ServerAction::<CorrectMyDetails>::new();
        let consent = ServerAction::<SaveMyConsent>::new();
        let request = ServerAction::<RequestErasure>::new();
        let mine = Resource::new(
            move || (details.version().get(), consent.version().get()),
            |_| my_privacy(),
        );
        Self {
            details,
            consent,
            request,
            mine,
        }
    }
}

/// The portal's privacy centre: download everything, correct contact details, choose what we
/// may contact them about, and ask for erasure (or see that request's deadline).
#[component]
pub fn PrivacyCentre(privacy: MyPrivacy, open: Option<PrivacyRequest>) -> impl IntoView {
    let MyPrivacy {
        details,
        consent,
        request,
        mine,
    } = privacy;
    let details_err = action_error(details);
    let consent_err = action_error(consent);
    let err = action_error(request);
    // What the last form post saved (`done=`, see `crate::server::http::back_with_done`).
    let query = leptos_router::hooks::use_query_map();
    let saved = move |what: &str| query.with(|q| crate::components::form_done(q, what));
    // The open request as the server read it: the portal is not hydrated (see `crate::bundles`),
    // so a new request shows after the form's post has come back to this page.
    let asked = move || open.clone();
    view! {
        <section class="card portal-privacy" aria-labelledby="portal-privacy-title">
            <h2 id="portal-privacy-title">"Your data"</h2>
            <p>
                <a href="/portal/my-data.json" download="my-data.json" rel="external" class="btn small">
                    "Download everything we hold about you (JSON)"
                </a>
            </p>
            <Transition fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    or_error(mine.await.map(|m| view! {
                        <h3>"Your details"</h3>
                        <PostForm action=details attr:class="form privacy-details" attr:novalidate=true>
                            <Field label="First name" name="first_name" required=true autocomplete="given-name"
                                value=Some(m.first_name.clone()) error=field_error(details_err, "first_name")/>
                            <Field label="Last name" name="last_name" autocomplete="family-name"
                                value=Some(m.last_name.clone()) error=field_error(details_err, "last_name")/>
                            <Field label="Phone" name="phone" kind="tel" autocomplete="tel"
                                value=Some(m.phone.clone()) error=field_error(details_err, "phone")/>
                            <Field label="Location" name="location" autocomplete="address-level2"
                                value=Some(m.location.clone()) error=field_error(details_err, "location")/>
                            <p class="muted small">{format!("You sign in with {}; to change it, apply or reply from the new address.", m.email)}</p>
                            <button type="submit" class="btn">"Save my details"</button>
                            {move || saved("details").then(|| view! { <p role="status" class="saved">"Saved."</p> })}
                        </PostForm>
                        <h3>"What we may contact you about"</h3>
                        <PostForm action=consent attr:class="form privacy-consent">
                            <FormError error=consent_err/>
                            <label class="check">
                                <input type="checkbox" name="talent_pool" value="yes" checked=m.talent_pool/>
                                " Keep me in the talent pool and tell me about roles that may fit me"
                            </label>
                            {m.topics.into_iter().map(|(topic, label, on)| view! {
                                <label class="check">
                                    <input type="checkbox" name="keep[]" value=topic checked=on/>
                                    " "{label}
                                </label>
                            }).collect_view()}
                            <button type="submit" class="btn">"Save my choices"</button>
                            {move || saved("consent").then(|| view! { <p role="status" class="saved">"Saved."</p> })}
                        </PostForm>
                    }))
                })}
            </Transition>
            <h3>"Erase your data"</h3>
            {move || match asked() {
                Some(r) => view! {
                    <p role="status" class="privacy-asked">
                        {format!(
                            "You asked us to erase your data on {}. We will do so by {}.",
                            format_date(&r.requested_at),
                            format_date(&r.due_at)
                        )}
                    </p>
                }.into_any(),
                None => view! {
                    <p>
                        "You can ask us to erase everything we hold about you: your profile, "
                        "resumes, messages and notes. Your applications then remain only as "
                        "anonymous numbers, and this portal stops working for you."
                    </p>
                    <PostForm action=request attr:class="form privacy-erasure">
                        <label class="check">
                            <input type="checkbox" name="confirm" value="yes"/>
                            " I want my data erased"
                        </label>
                        {move || field_error(err, "confirm").get().map(|m| view! { <p class="field-error">{m}</p> })}
                        <button type="submit" class="btn">"Ask us to erase my data"</button>
                    </PostForm>
                }.into_any(),
            }}
        </section>
    }
}
