//! The candidate portal page.

use super::api::*;
use super::types::*;
use crate::components::PostForm;
use crate::components::{
    Field, FormError, Loading, PublicHeader, action_error, field_error, format_date,
    format_datetime,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn PortalPage() -> impl IntoView {
    let withdraw = ServerAction::<WithdrawApplication>::new();
    let ask = ServerAction::<crate::reviews::api::RequestHumanReview>::new();
    let logout = ServerAction::<PortalLogout>::new();
    let data = Resource::new(
        move || {
            (
                withdraw.version().get(),
                logout.version().get(),
                ask.version().get(),
            )
        },
        |_| my_portal(),
    );
    let privacy = crate::privacy::views::MyPrivacy::load();
    view! {
        <Title text="My applications"/>
        <PublicHeader/>
        <main class="page narrow" id="content">
            <Suspense fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(Some(d)) => view! { <Applications data=d withdraw=withdraw logout=logout ask=ask privacy/> }.into_any(),
                        Ok(None) => view! { <RequestLink/> }.into_any(),
                        Err(e) => view! { <crate::components::ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

#[component]
fn RequestLink() -> impl IntoView {
    let request = ServerAction::<RequestPortalLink>::new();
    let err = action_error(request);
    let query = use_query_map();
    let link_problem = move || {
        query.with(|q| match q.get("link").as_deref() {
            Some("expired") => {
                Some("That link has expired. Enter your email and we will send a new one.")
            }
            Some("invalid") | Some("error") => {
                Some("That link is not valid. Enter your email and we will send a new one.")
            }
            Some("used") => Some(
                "That link was used already, or a newer one was sent. Enter your email and we will send a new one.",
            ),
            _ => None,
        })
    };
    // Sent: `?sent=1`, where the form post's answer leads (the portal is not hydrated).
    let sent = move || query.with(|q| q.get("sent").as_deref() == Some("1"));
    view! {
        <h1>"Follow your applications"</h1>
        {move || link_problem().map(|m| view! { <div class="banner banner-error" role="alert">{m}</div> })}
        <p>"Enter your email address. We will email you a link that shows your applications, where they stand and what comes next, and everything we hold about you, with what you can do about it."</p>
        <Show when=sent fallback=move || view! {
            <FormError error=crate::components::general_error(err)/>
            <PostForm action=request attr:class="card form" attr:novalidate=true>
                <Field label="Email" name="email" kind="email" required=true autocomplete="email"
                    error=field_error(err, "email")/>
                <button type="submit" class="btn primary">"Email me a link"</button>
            </PostForm>
        }>
            <div class="banner banner-ok" role="status">
                "If we hold data about that address, a sign-in link is on its way. It works once, within 24 hours."
            </div>
        </Show>
    }
}

#[component]
fn Applications(
    data: PortalData,
    withdraw: ServerAction<WithdrawApplication>,
    logout: ServerAction<PortalLogout>,
    ask: ServerAction<crate::reviews::api::RequestHumanReview>,
    privacy: crate::privacy::views::MyPrivacy,
) -> impl IntoView {
    let err = action_error(withdraw);
    view! {
        <div class="page-head">
            <h1>"Hello, " {data.first_name.clone()}</h1>
            <PostForm action=logout attr:class="inline">
                <button type="submit" class="btn link">"Sign out"</button>
            </PostForm>
        </div>
        <p class="muted">"Signed in as " {data.email.clone()}</p>
        <FormError error=err/>
        {if data.applications.is_empty() {
            view! { <p class="empty">"You have no applications yet. See the "<a href="/jobs">"open jobs"</a>"."</p> }.into_any()
        } else {
            data.applications.into_iter().map(|a| {
                let status_class = format!("status status-{}", a.status);
                let id = a.id.clone();
                view! {
                    <article class="card portal-app" data-application=a.id.clone()>
                        <div class="page-head">
                            <h2>{a.job_title.clone()}</h2>
                            <span class=status_class>{a.status_line.clone()}</span>
                        </div>
                        <p class="muted small">"Applied " {format_date(&a.applied_at)}</p>
                        {a.offer.clone().map(|o| view! {
                            <p class="banner portal-offer" class:banner-ok=o.open>
                                {format!("Your offer: {}. ", o.label)}
                                <a class="btn small" class:primary=o.open href=o.href>{if o.open { "Read your offer" } else { "See the offer" }}</a>
                            </p>
                        })}
                        {a.to_schedule.iter().map(|t| view! {
                            <p class="banner portal-schedule">
                                {format!("Choose a time for your {}. ", t.name)}
                                <a class="btn primary small" href=t.href.clone()>"Choose a time"</a>
                            </p>
                        }).collect_view()}
                        {(!a.interviews.is_empty()).then(|| view! {
                            <h3>"Your interviews"</h3>
                            <ul class="plain portal-interviews">
                                {a.interviews.iter().map(|iv| {
                                    let link = iv.location.starts_with("https://");
                                    view! {
                                        <li class="portal-interview">
                                            <strong>{iv.name.clone()}</strong>
                                            <p><time datetime=iv.starts_at.clone()>{iv.when.clone()}</time>" · "{iv.format.clone()}</p>
                                            {(!iv.location.is_empty()).then(|| if link {
                                                view! { <p><a href=iv.location.clone() rel="noopener noreferrer">"Join the video call"</a></p> }.into_any()
                                            } else {
                                                view! { <p>{iv.location.clone()}</p> }.into_any()
                                            })}
                                            <p class="muted small">"With "{iv.with.join(", ")}</p>
                                            <p class="portal-interview-actions">
                                                <a class="btn small" href=format!("/portal/interviews/{}/invite.ics", iv.id) download="interview.ics" rel="external">"Add to calendar (.ics)"</a>
                                                {iv.change_href.clone().map(|h| view! { " "<a class="btn small" href=h>"Move or cancel"</a> })}
                                            </p>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        })}
                        <h3>"Timeline"</h3>
                        <ol class="timeline">
                            {a.timeline.iter().map(|e| view! {
                                <li><time datetime=e.at.clone()>{format_datetime(&e.at)}</time>" "<span>{e.text.clone()}</span></li>
                            }).collect_view()}
                        </ol>
                        <crate::reviews::views::AskForReview application_id=id.clone() state=a.review.clone() ask=ask/>
                        {a.can_withdraw.then(|| view! {
                            <details class="withdraw">
                                <summary>"Withdraw this application"</summary>
                                <p>"We will stop considering you for this job. This cannot be undone, but you can apply again to other jobs."</p>
                                <PostForm action=withdraw attr:class="inline">
                                    <input type="hidden" name="application_id" value=id.clone()/>
                                    <button type="submit" class="btn danger">"Yes, withdraw my application"</button>
                                </PostForm>
                            </details>
                        })}
                    </article>
                }
            }).collect_view().into_any()
        }}
        <crate::privacy::views::PrivacyCentre privacy open=data.erasure_requested.clone()/>
    }
}

/// `/portal/signin?token=…`: where an emailed portal link lands. Opening it signs nobody in;
/// the button does (a same-site POST), so a mail scanner or another site cannot use the link up
/// or sign a browser in. Works without JavaScript.
#[component]
pub fn PortalSignInPage() -> impl IntoView {
    let sign_in = ServerAction::<PortalSignIn>::new();
    let query = use_query_map();
    let token = move || query.with(|q| q.get("token").unwrap_or_default());
    view! {
        <Title text="Follow your application"/>
        <PublicHeader/>
        <main class="page narrow" id="content">
            <h1>"Follow your application"</h1>
            <div class="card">
                <p>"This link signs you in to see your applications, their status and next steps. It works once."</p>
                <PostForm action=sign_in attr:class="form">
                    <input type="hidden" name="token" value=token/>
                    <button type="submit" class="btn primary">"Continue to my applications"</button>
                </PostForm>
            </div>
        </main>
    }
}
