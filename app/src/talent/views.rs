//! Referral and talent-community pages: refer someone (staff), join the talent community and
//! confirm the sign-up (public).

use super::api::*;
use crate::components::PostForm;
use crate::components::{
    Field, FormError, Loading, PublicHeader, TextArea, action_error, field_error, submit_multipart,
    url_error,
};
use crate::error::AppError;
use crate::people::types::{INTERESTS_LIST, RELATIONSHIPS};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use server_fn::ServerFn;

#[component]
pub fn ReferPage() -> impl IntoView {
    let result = RwSignal::new(url_error::<ReferPerson>());
    let pending = RwSignal::new(false);
    let fe = move |f: &'static str| {
        Signal::derive(move || result.get().and_then(|e| e.field_message(f)))
    };
    let jobs = Resource::new(|| (), |_| crate::jobs::api::list_open_jobs());
    view! {
        <Title text="Refer someone"/>
        <h1>"Refer someone"</h1>
        <p class="muted">"Know someone who would be great here? Tell us about them. We credit the referral to you."</p>
        <FormError error=crate::components::general_error(result.into())/>
        <form class="card form" method="post" action=ReferPerson::url() enctype="multipart/form-data" novalidate=true
            on:submit=move |ev| submit_multipart(ev, pending, result, refer_person)>
            <Field label="Their name" name="name" required=true error=fe("name")/>
            <Field label="Their email" name="email" kind="email" required=true error=fe("email")/>
            <Field label="Their phone" name="phone" kind="tel" hint="Optional" error=fe("phone")/>
            <div class="field">
                <label for="f-relationship">"How do you know them?"</label>
                <select id="f-relationship" name="relationship">
                    {RELATIONSHIPS.iter().map(|r| view! { <option value=*r>{*r}</option> }).collect_view()}
                </select>
                <p class="field-error" role="alert">{move || fe("relationship").get()}</p>
            </div>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let jobs = jobs.await.unwrap_or_default();
                    view! {
                        <div class="field">
                            <label for="f-job">"For a job (optional)"</label>
                            <select id="f-job" name="job">
                                <option value="">"No particular job"</option>
                                {jobs.into_iter().map(|j| view! { <option value=j.id.clone()>{j.title.clone()}</option> }).collect_view()}
                            </select>
                        </div>
                    }
                })}
            </Suspense>
            <TextArea label="Why them?" name="note" rows=4 error=fe("note")/>
            <Field label="Their resume" name="resume" kind="file" accept=".pdf,.docx" hint="Optional. PDF or DOCX, up to 10 MB." error=fe("resume")/>
            <button type="submit" class="btn primary" disabled=move || pending.get()>"Send referral"</button>
        </form>
    }
}

#[component]
pub fn TalentPage() -> impl IntoView {
    let signup = ServerAction::<TalentSignup>::new();
    let err = action_error(signup);
    let query = use_query_map();
    let sent = move || query.with(|q| q.get("sent").is_some());
    let notice = Resource::new(|| (), |_| crate::privacy::api::get_privacy_notice());
    view! {
        <Title text="Join our talent community"/>
        <PublicHeader/>
        <main class="page narrow" id="content">
            <h1>"Join our talent community"</h1>
            <Show when=sent fallback=move || view! {
                <p class="lead">"Not the right job today? Leave your details and we will write when something fits."</p>
                <FormError error=crate::components::general_error(err)/>
                <PostForm action=signup attr:class="card form" attr:novalidate=true>
                    <Field label="Full name" name="name" required=true autocomplete="name" error=field_error(err, "name")/>
                    <Field label="Email" name="email" kind="email" required=true autocomplete="email" error=field_error(err, "email")/>
                    <fieldset class="field interests">
                        <legend>"What interests you?"</legend>
                        {INTERESTS_LIST.iter().map(|i| {
                            let id = format!("interest-{}", i.to_lowercase().replace(' ', "-"));
                            view! { <label for=id.clone()><input type="checkbox" id=id.clone() name="interests[]" value=*i/>" "{*i}</label> }
                        }).collect_view()}
                    </fieldset>
                    <Suspense fallback=|| view! { <Loading/> }>
                        {move || Suspend::new(async move {
                            crate::components::or_error(notice.await.map(|n| {
                                let wording = n.pool_wording.clone();
                                view! {
                                    <div class="field checkbox">
                                        <input type="checkbox" id="f-consent" name="consent" value="on" aria-describedby="f-consent-error"/>
                                        <label for="f-consent">{wording}</label>
                                    </div>
                                    <p class="field-error" id="f-consent-error" role="alert">{move || field_error(err, "consent").get()}</p>
                                    <crate::privacy::views::NoticeSummary notice=n/>
                                }
                            }))
                        })}
                    </Suspense>
                    <button type="submit" class="btn primary">"Join"</button>
                </PostForm>
            }>
                <div class="banner banner-ok" role="status">"Thank you! Check your inbox: we sent a link to confirm your sign-up."</div>
            </Show>
        </main>
    }
}

/// `/talent/confirm?token=…`: where the emailed confirmation link lands. Opening it confirms
/// nothing (mail scanners open links); the button does. Works without JavaScript.
#[component]
pub fn TalentConfirmPage() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.with(|q| q.get("token").unwrap_or_default());
    let confirmed = move || query.with(|q| q.get("confirmed").as_deref() == Some("1"));
    let confirm = ServerAction::<ConfirmSignup>::new();
    let err = action_error(confirm);
    let name = Resource::new(
        move || (token(), confirmed()),
        |(t, done)| async move {
            if done {
                signup_name(t).await.map(Some)
            } else {
                Ok(None)
            }
        },
    );
    let failed = move |e: AppError| {
        view! {
            <h1>"We could not confirm this"</h1>
            <div class="banner banner-error" role="alert">{match e {
                AppError::Validation(_) => "This confirmation link is not valid.".to_string(),
                other => other.to_string(),
            }}</div>
            <p><a href="/talent">"Sign up again"</a></p>
        }
    };
    view! {
        <Title text="Confirm your sign-up"/>
        <PublicHeader/>
        <main class="page narrow" id="content">
            <Suspense fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    match (name.await, crate::components::live(err)) {
                        (_, Some(e)) => failed(e).into_any(),
                        (Ok(Some(first)), None) => view! {
                            <h1>{format!("Welcome, {first}!")}</h1>
                            <p class="lead">"You are in our talent community. We will write when a role fits you."</p>
                        }.into_any(),
                        (Ok(None), None) => view! {
                            <h1>"Join our talent community"</h1>
                            <div class="card">
                                <p>"Confirm that we may keep your details and write to you about roles that fit you."</p>
                                <PostForm action=confirm attr:class="form">
                                    <input type="hidden" name="token" value=token()/>
                                    <button type="submit" class="btn primary">"Confirm my sign-up"</button>
                                </PostForm>
                            </div>
                        }.into_any(),
                        (Err(e), None) => failed(e).into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}
