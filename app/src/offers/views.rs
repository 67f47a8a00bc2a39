//! The offer card on an application page (staff) and the offer page of the candidate portal.
//! Both work without JavaScript: every action is a plain form post.

use super::api::*;
use super::types::*;
use crate::components::PostForm;
use crate::components::{
    Badge, EmptyState, Field, FormError, Loading, PublicHeader, TextArea, Tone, action_error,
    field_error, format_datetime, or_error, paragraphs,
};
use crate::error::AppError;
use crate::pipeline::api::BulkAction;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

fn tone(s: OfferStatus) -> Tone {
    match s {
        OfferStatus::Accepted => Tone::Ok,
        OfferStatus::Sent => Tone::Brand,
        OfferStatus::PendingApproval => Tone::Warn,
        OfferStatus::Rejected | OfferStatus::Declined | OfferStatus::Withdrawn => Tone::Danger,
        OfferStatus::Superseded => Tone::Neutral,
    }
}

/// The offer card: its versions with their approval chains, the form to make or revise one,
/// withdrawal, and, once the job is filled, the candidates still in process.
#[component]
pub fn OfferPanel(application_id: String) -> impl IntoView {
    let make = ServerAction::<MakeOffer>::new();
    let withdraw = ServerAction::<WithdrawOffer>::new();
    let reject = ServerAction::<BulkAction>::new();
    let app_id = application_id.clone();
    let data = Resource::new(
        move || {
            (
                make.version().get(),
                withdraw.version().get(),
                reject.version().get(),
            )
        },
        move |_| application_offer(app_id.clone()),
    );
    view! {
        <section class="card offer-card" id="offer" aria-labelledby="offer-title">
            <h2 id="offer-title">"Offer"</h2>
            <Transition fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    or_error(data.await.map(|d| view! { <OfferBody d make withdraw reject/> }))
                })}
            </Transition>
        </section>
    }
}

#[component]
fn OfferBody(
    d: ApplicationOffers,
    make: ServerAction<MakeOffer>,
    withdraw: ServerAction<WithdrawOffer>,
    reject: ServerAction<BulkAction>,
) -> impl IntoView {
    let current = d.versions.first().cloned();
    let earlier: Vec<OfferView> = d.versions.iter().skip(1).cloned().collect();
    let can_revise = d.can_manage
        && current
            .as_ref()
            .is_none_or(|c| c.status.after(OfferAction::Revise).is_some());
    let can_withdraw = d.can_manage
        && current
            .as_ref()
            .is_some_and(|c| c.status.after(OfferAction::Withdraw).is_some());
    let first = current.is_none();
    view! {
        {match current.clone() {
            None => view! {
                <EmptyState title="No offer yet"
                    hint="Make the offer below: it goes to its approvers first, then to the candidate, who accepts in their portal."/>
            }.into_any(),
            Some(c) => view! { <CurrentOffer c/> }.into_any(),
        }}
        {d.filled.clone().filter(|_| d.can_manage).map(|(hires, headcount, open)| view! {
            <StillInProcess job_id=d.job_id.clone() hires headcount open action=reject/>
        })}
        {(can_withdraw).then(|| {
            let id = current.as_ref().map(|c| c.id.clone()).unwrap_or_default();
            let err = crate::components::action_or_url_error(withdraw);
            view! {
                <details class="offer-withdraw">
                    <summary class="btn">"Withdraw offer…"</summary>
                    <PostForm action=withdraw attr:class="form">
                        <input type="hidden" name="offer_id" value=id/>
                        <Reason id="withdraw-reason" label="Why do you withdraw it?" value=String::new() error=field_error(err, "reason")/>
                        <FormError error=crate::components::general_error(err)/>
                        <button type="submit" class="btn danger">"Withdraw offer"</button>
                    </PostForm>
                </details>
            }
        })}
        {can_revise.then(|| view! { <OfferForm d=d.clone() first make/> })}
        {(!earlier.is_empty()).then(|| view! {
            <details class="offer-history">
                <summary>{format!("Earlier versions ({})", earlier.len())}</summary>
                <ul class="plain">
                    {earlier.into_iter().map(|v| view! {
                        <li>
                            <strong>{format!("Version {}", v.version)}</strong>" "
                            <Badge tone=tone(v.status)>{v.status.label()}</Badge>
                            <span class="muted small">{format!(" · {}", terms(&v))}</span>
                        </li>
                    }).collect_view()}
                </ul>
            </details>
        })}
    }
}

/// The newest version: terms, where its approval stands, the candidate's answer, the letter.
#[component]
fn CurrentOffer(c: OfferView) -> impl IntoView {
    view! {
        <div class="offer-current" data-status=c.status.as_str()>
            <p>
                <Badge tone=tone(c.status)>{c.status.label()}</Badge>
                <span class="muted small">{format!(" · version {} · made {}", c.version, format_datetime(&c.created_at))}</span>
            </p>
            <p class="offer-terms"><strong>{terms(&c)}</strong></p>
            {(!c.steps.is_empty()).then(|| view! {
                <ol class="approval-steps" aria-label="Approvals">
                    {c.steps.iter().map(|s| {
                        let state = match s.status.as_str() {
                            "approved" => format!("approved{}", s.decided_via.as_deref().map(|v| format!(" ({})", via(v))).unwrap_or_default()),
                            "rejected" => format!("rejected: {}", s.reason.clone().unwrap_or_default()),
                            "pending" => "deciding now".to_string(),
                            "waiting" => "waits for the previous approver".to_string(),
                            other => other.to_string(),
                        };
                        view! { <li data-step=s.status.clone()><strong>{s.approver_name.clone()}</strong>{format!(": {state}")}</li> }
                    }).collect_view()}
                </ol>
            })}
            {c.accepted_name.clone().map(|n| view! {
                <p class="banner banner-ok offer-signed" role="status">
                    {format!(
                        "Accepted {}, signed “{n}”{}.",
                        c.responded_at.as_deref().map(format_datetime).unwrap_or_default(),
                        c.accepted_ip.as_deref().filter(|ip| !ip.is_empty()).map(|ip| format!(" from {ip}")).unwrap_or_default()
                    )}
                </p>
            })}
            {c.decline_reason.clone().map(|r| view! { <p class="banner banner-error">{format!("Declined: {r}")}</p> })}
            {c.withdraw_reason.clone().map(|r| view! { <p class="banner">{format!("Withdrawn: {r}")}</p> })}
            <details class="offer-letter">
                <summary>"Offer letter"</summary>
                <div class="letter">{paragraphs(&c.letter)}</div>
            </details>
        </div>
    }
}

/// A `reason` field with an id of its own (an application page holds several reason fields).
#[component]
fn Reason(
    id: &'static str,
    label: &'static str,
    value: String,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let err_id = format!("{id}-error");
    view! {
        <div class="field" class:has-error=move || error.get().is_some()>
            <label for=id>{label}<span class="req" aria-hidden="true">" *"</span></label>
            <textarea id=id name="reason" rows="3" required=true aria-describedby=err_id.clone()
                aria-invalid=move || if error.get().is_some() { "true" } else { "false" }>{value}</textarea>
            <p class="field-error" id=err_id role="alert">{move || error.get()}</p>
        </div>
    }
}

fn via(v: &str) -> &'static str {
    match v {
        "link" => "by email or Slack link",
        _ => "in the app",
    }
}

/// The offer form (a new offer, or a revision that asks for approval again).
#[component]
fn OfferForm(d: ApplicationOffers, first: bool, make: ServerAction<MakeOffer>) -> impl IntoView {
    let err = crate::components::action_or_url_error(make);
    let draft = d.draft.clone();
    let period = draft.period.clone();
    // A first offer's form is open where offers are made; elsewhere it waits behind its button.
    // Once it carries an error it stays open, so the messages are seen (also without JavaScript).
    let open_first = first && d.at_offer_stage;
    view! {
        <details class="offer-make" open=move || open_first || crate::components::live(err).is_some()>
            <summary class="btn" class:primary=first>{if first { "Make an offer" } else { "Revise the offer…" }}</summary>
            <PostForm action=make attr:class="form offer-form">
                <input type="hidden" name="application_id" value=d.application_id.clone()/>
                {(!first).then(|| view! { <p class="muted">"A revision is a new version: the current one is replaced and the approvers decide again."</p> })}
                <div class="row">
                    <Field label="Base salary" name="base_salary" value=Some(draft.base_salary.clone()) required=true error=field_error(err, "base_salary")/>
                    <Field label="Currency" name="currency" value=Some(draft.currency.clone()) required=true error=field_error(err, "currency")/>
                    <div class="field">
                        <label for="f-period">"Per"</label>
                        <select id="f-period" name="period">
                            {[("YEAR", "year"), ("MONTH", "month"), ("HOUR", "hour")].into_iter().map(|(v, l)| view! {
                                <option value=v selected=period == v>{l}</option>
                            }).collect_view()}
                        </select>
                    </div>
                </div>
                <div class="row">
                    <Field label="Bonus" name="bonus" value=Some(draft.bonus.clone()) placeholder="e.g. 10% of base" error=field_error(err, "bonus")/>
                    <Field label="Equity" name="equity" value=Some(draft.equity.clone()) placeholder="e.g. 0.05% over 4 years" error=field_error(err, "equity")/>
                    <Field label="Start date" name="start_date" kind="date" value=Some(draft.start_date.clone()) required=true error=field_error(err, "start_date")/>
                </div>
                <fieldset class="field approver-choice">
                    <legend>"Approvers, in order"</legend>
                    {d.approvers.iter().map(|a| view! {
                        <label class="check">
                            <input type="checkbox" name="approvers[]" value=a.id.clone() checked=a.checked/>
                            {a.name.clone()}
                        </label>
                    }).collect_view()}
                    <p class="field-error" role="alert">{move || field_error(err, "approvers").get()}</p>
                </fieldset>
                <TextArea label="Offer letter" name="letter" rows=14 value=Some(draft.letter.clone()) required=true
                    hint="Tokens: {{first_name}}, {{full_name}}, {{job_title}}, {{company}}, {{salary}}, {{bonus}}, {{equity}}, {{start_date}}, {{hiring_manager}}."
                    error=field_error(err, "letter")/>
                <FormError error=crate::components::general_error(err)/>
                <button type="submit" class="btn primary">"Send for approval"</button>
            </PostForm>
        </details>
    }
}

/// The rejection reason proposed for those still in process once the job is filled.
const FILLED_REASON: &str = "The role has been filled";

/// Once the job is filled: the candidates still in process, to be told rather than left waiting.
#[component]
fn StillInProcess(
    job_id: String,
    hires: i64,
    headcount: i64,
    open: Vec<StillOpen>,
    action: ServerAction<BulkAction>,
) -> impl IntoView {
    let err = action_error(action);
    let done = move || action.value().get().and_then(|r| r.ok()).map(|r| r.message);
    view! {
        <div class="offer-filled" role="status" aria-labelledby="filled-title">
            <h3 id="filled-title">{format!("The job is filled: {hires} of {headcount} hired")}</h3>
            {move || done().map(|m| view! { <p class="banner banner-ok" role="status">{m}</p> })}
            {if open.is_empty() {
                view! { <p class="muted">"Nobody else is still in process."</p> }.into_any()
            } else {
                view! {
                    <p>{format!("{} candidate(s) are still in process. Let them know rather than leave them waiting:", open.len())}</p>
                    <PostForm action=action attr:class="form still-open">
                        <input type="hidden" name="job_id" value=job_id/>
                        <input type="hidden" name="action" value="reject"/>
                        <input type="hidden" name="send_email" value="on"/>
                        <input type="hidden" name="subject" value="Your application for {{job_title}}"/>
                        <input type="hidden" name="body" value="Dear {{first_name}},\n\nThank you for your interest in {{job_title}} at {{company}}. The position has now been filled, so we are closing your application.\n\nWe would be glad to hear from you again: {{jobs_url}}\n\nThe {{company}} hiring team"/>
                        <fieldset class="field">
                            <legend>"Still in process"</legend>
                            {open.into_iter().map(|o| view! {
                                <label class="check">
                                    <input type="checkbox" name="ids[]" value=o.application_id checked=true/>
                                    {o.name}<span class="muted small">{format!(" · {}", o.stage)}</span>
                                </label>
                            }).collect_view()}
                        </fieldset>
                        <div class="field" class:has-error=move || field_error(err, "reason").get().is_some()>
                            <label for="filled-reason">"Reason (kept on each application)"</label>
                            <select id="filled-reason" name="reason" aria-describedby="filled-reason-error">
                                {crate::pipeline::types::REJECTION_REASONS.iter().map(|r| view! {
                                    <option value=*r selected=*r == FILLED_REASON>{*r}</option>
                                }).collect_view()}
                            </select>
                            <p class="field-error" id="filled-reason-error" role="alert">{move || field_error(err, "reason").get()}</p>
                        </div>
                        <FormError error=crate::components::general_error(err)/>
                        <button type="submit" class="btn danger">"Reject the selected and email them"</button>
                    </PostForm>
                }.into_any()
            }}
        </div>
    }
}

/// `/portal/offers/:id`: the candidate reads the letter (printable) and accepts or declines.
#[component]
pub fn PortalOfferPage() -> impl IntoView {
    let params = use_params_map();
    let offer_id = move || params.with(|p| p.get("id").unwrap_or_default());
    let accept = ServerAction::<AcceptOffer>::new();
    let decline = ServerAction::<DeclineOffer>::new();
    let data = Resource::new(
        move || (offer_id(), accept.version().get(), decline.version().get()),
        |(id, _, _)| portal_offer(id),
    );
    view! {
        <Title text="Your offer"/>
        <PublicHeader/>
        <main class="page narrow offer-page" id="content">
            <Suspense fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(o) => view! { <PortalOfferView o accept decline/> }.into_any(),
                        Err(AppError::Unauthenticated) => view! {
                            <h1>"Your offer"</h1>
                            <p>"Sign in to the candidate portal to read your offer: we email you a link."</p>
                            <a class="btn primary" href="/portal">"Sign in"</a>
                        }.into_any(),
                        Err(e) => view! { <crate::components::ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

#[component]
fn PortalOfferView(
    o: CandidateOffer,
    accept: ServerAction<AcceptOffer>,
    decline: ServerAction<DeclineOffer>,
) -> impl IntoView {
    let accept_err = crate::components::action_or_url_error(accept);
    let decline_err = crate::components::action_or_url_error(decline);
    let open = o.can_respond();
    let id1 = o.id.clone();
    let id2 = o.id.clone();
    let name_hint = format!("Type it as on the offer: {}", o.full_name);
    view! {
        <Title text=format!("Your offer: {}", o.job_title)/>
        <p class="crumbs no-print"><a href="/portal">"My applications"</a>" / Offer"</p>
        <h1>{format!("Your offer: {}", o.job_title)}</h1>
        {match o.status {
            OfferStatus::Accepted => view! {
                <p class="banner banner-ok" role="status">{format!(
                    "You accepted this offer{}, signed “{}”. Welcome to {}! We will be in touch about your first day.",
                    o.responded_at.as_deref().map(|t| format!(" on {}", format_datetime(t))).unwrap_or_default(),
                    o.accepted_name.clone().unwrap_or_default(),
                    o.company
                )}</p>
            }.into_any(),
            OfferStatus::Declined => view! {
                <p class="banner" role="status">{format!("You declined this offer: {}", o.decline_reason.clone().unwrap_or_default())}</p>
            }.into_any(),
            OfferStatus::Sent => ().into_any(),
            _ => view! { <p class="banner" role="status">"This offer was withdrawn or replaced: it can no longer be accepted."</p> }.into_any(),
        }}
        <p class="offer-terms"><strong>{o.summary.clone()}</strong></p>
        <article class="letter card" aria-label="Offer letter">{paragraphs(&o.letter)}</article>
        <p class="muted small no-print">"To keep a copy, print this page or save it as PDF from your browser's print dialog."</p>
        {open.then(|| view! {
            <section class="card no-print" aria-labelledby="accept-title">
                <h2 id="accept-title">"Accept the offer"</h2>
                <PostForm action=accept attr:class="form">
                    <input type="hidden" name="offer_id" value=id1/>
                    <div class="field" class:has-error=move || field_error(accept_err, "full_name").get().is_some()>
                        <label for="f-full_name">"Your full name, as your signature"<span class="req" aria-hidden="true">" *"</span></label>
                        <p class="hint" id="f-full_name-hint">{name_hint}</p>
                        <input id="f-full_name" name="full_name" type="text" required=true autocomplete="name"
                            aria-describedby="f-full_name-error f-full_name-hint"
                            aria-invalid=move || if field_error(accept_err, "full_name").get().is_some() { "true" } else { "false" }/>
                        <p class="field-error" id="f-full_name-error" role="alert">{move || field_error(accept_err, "full_name").get()}</p>
                    </div>
                    <p class="muted small">"By accepting you sign this letter electronically. We record your typed name, the time and your network address."</p>
                    <FormError error=crate::components::general_error(accept_err)/>
                    <button type="submit" class="btn primary">"Accept offer"</button>
                </PostForm>
            </section>
            <details class="card no-print offer-decline" open=move || crate::components::live(decline_err).is_some()>
                <summary>"Decline the offer…"</summary>
                <PostForm action=decline attr:class="form">
                    <input type="hidden" name="offer_id" value=id2/>
                    <TextArea label="Why do you decline? The team reads it." name="reason" rows=3 required=true error=field_error(decline_err, "reason")/>
                    <FormError error=crate::components::general_error(decline_err)/>
                    <button type="submit" class="btn danger">"Decline offer"</button>
                </PostForm>
            </details>
        })}
    }
}
