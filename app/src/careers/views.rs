//! Careers pages: the list of open jobs, one job with the application form, the thank-you page.

use super::api::Apply;
use crate::components::{Field, FormError, Loading, PublicHeader, format_date, paragraphs};
use crate::error::AppError;
use crate::jobs::api::{get_public_job, list_open_jobs};
use crate::jobs::types::{PublicJob, place_line};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;
use server_fn::ServerFn;

fn job_meta(j: &PublicJob) -> String {
    [
        j.department.clone(),
        place_line(&j.location, j.remote),
        j.employment_type.label().to_string(),
    ]
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join(" · ")
}

#[component]
pub fn CareersPage() -> impl IntoView {
    let jobs = Resource::new(|| (), |_| list_open_jobs());
    let brand = crate::components::use_branding();
    view! {
        <Title text="Open jobs"/>
        <PublicHeader/>
        <main class="page" id="content">
            <h1>"Open jobs"</h1>
            // The company's own words above the jobs, when an admin wrote them.
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let b = brand.await.unwrap_or_default();
                    let company = if b.company.is_empty() { "us".to_string() } else { b.company.clone() };
                    view! {
                        <Meta name="description" content=format!("Open jobs at {company}. Apply online and follow your application.")/>
                        {(!b.intro.is_empty()).then(|| view! { <div class="careers-intro">{paragraphs(&b.intro)}</div> })}
                    }
                })}
            </Suspense>
            <Suspense fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    crate::components::or_error(jobs.await.map(|jobs| {
                        if jobs.is_empty() {
                            return view! { <p class="empty">"We have no open jobs right now. Please check back soon."</p> }.into_any();
                        }
                        view! {
                            <ul class="careers-list">
                                {jobs.into_iter().map(|j| {
                                    let href = format!("/jobs/{}", j.id);
                                    let meta = job_meta(&j);
                                    view! {
                                        <li class="card careers-item">
                                            <h2><a href=href>{j.title.clone()}</a></h2>
                                            <p class="muted">{meta}</p>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }))
                })}
            </Suspense>
            <section class="card talent-invite">
                <h2>"Not the right job today?"</h2>
                <p>"Join our talent community and we will write when a role fits you."</p>
                <a class="btn" href="/talent">"Join the talent community"</a>
            </section>
        </main>
    }
}

#[component]
pub fn JobPage() -> impl IntoView {
    let params = use_params_map();
    let job_id = move || params.with(|p| p.get("id").unwrap_or_default());
    let job = Resource::new(job_id, get_public_job);
    let questions = crate::screening::questions_of(job_id);
    let notice = Resource::new(|| (), |_| crate::privacy::api::get_privacy_notice());
    let brand = crate::components::use_branding();
    view! {
        <PublicHeader/>
        <main class="page narrow" id="content">
            <Suspense fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    let notice = notice.await.ok();
                    let company = brand.await.map(|b| b.company).unwrap_or_default();
                    match job.await {
                        Ok(j) => {
                            let meta = job_meta(&j);
                            let posted = j.published_at.as_deref().map(format_date).unwrap_or_default();
                            let json_ld = j.json_ld.clone();
                            let summary = description_summary(&format!("{}. {}", meta, j.description));
                            view! {
                                <Title text=j.title.clone()/>
                                // What search engines and link previews (Slack, LinkedIn, …) show.
                                <Meta name="description" content=summary.clone()/>
                                <Meta property="og:type" content="website"/>
                                <Meta property="og:title" content=if company.is_empty() { j.title.clone() } else { format!("{} at {company}", j.title) }/>
                                <Meta property="og:description" content=summary/>
                                <Meta name="twitter:card" content="summary"/>
                                // schema.org JobPosting for search engines. The JSON is escaped so that it
                                // contains no <, > or & (see jobs::feeds::script_safe_json).
                                <script type="application/ld+json">{json_ld}</script>
                                <p class="crumbs"><a href="/jobs">"Open jobs"</a></p>
                                <article class="job-posting">
                                    <h1>{j.title.clone()}</h1>
                                    <p class="muted">{meta}</p>
                                    <p class="muted small">"Posted "{posted}</p>
                                    <div class="prose">{paragraphs(&j.description)}</div>
                                </article>
                                <ApplyForm job_id=j.id.clone() title=j.title.clone() notice=notice questions/>
                            }.into_any()
                        }
                        Err(e @ AppError::NotFound) => view! {
                            {crate::components::error_status(&e)}
                            <Title text="Job not found"/>
                            <h1>"This job is not open"</h1>
                            <p>"It may have been filled or closed. See the "<a href="/jobs">"open jobs"</a>"."</p>
                        }.into_any(),
                        Err(e) => view! { <crate::components::ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

/// The application form: a plain form post to the server function. An error comes back in the
/// URL (the page's script, `public/enhance.js`, puts the typed input back); success goes to the
/// "applied" page.
#[component]
fn ApplyForm(
    job_id: String,
    title: String,
    notice: Option<crate::privacy::types::PrivacyNotice>,
    questions: crate::screening::Questions,
) -> impl IntoView {
    let result = crate::components::url_error::<Apply>();
    let fe = {
        let result = result.clone();
        move |f: &'static str| {
            let message = result.as_ref().and_then(|e| e.field_message(f));
            Signal::derive(move || message.clone())
        }
    };
    let general = result.filter(|e| !matches!(e, AppError::Validation(_)));
    view! {
        <section class="card apply" aria-labelledby="apply-heading">
            <h2 id="apply-heading">"Apply for " {title}</h2>
            <FormError error=Signal::derive(move || general.clone())/>
            <form method="post" action=Apply::url() enctype="multipart/form-data" novalidate=true class="form">
                <input type="hidden" name="job_id" value=job_id.clone()/>
                <Field label="Full name" name="name" required=true autocomplete="name" error=fe("name")/>
                <Field label="Email" name="email" kind="email" required=true autocomplete="email"
                    hint="We send your confirmation and a link to follow your application here."
                    error=fe("email")/>
                <Field label="Phone" name="phone" kind="tel" autocomplete="tel" hint="Optional" error=fe("phone")/>
                <Field label="Resume" name="resume" kind="file" required=true
                    accept=".pdf,.docx,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                    hint="PDF or Word (DOCX), up to 10 MB." error=fe("resume")/>
                <crate::screening::ScreeningQuestions questions/>
                <SelfIdentification/>
                {notice.map(|n| {
                    let wording = n.pool_wording.clone();
                    view! {
                        <div class="field checkbox talent-pool-consent">
                            <input type="checkbox" id="f-talent-pool" name="talent_pool" value="yes"/>
                            <label for="f-talent-pool">{wording}</label>
                        </div>
                        <crate::privacy::views::NoticeSummary notice=n/>
                    }
                })}
                <button type="submit" class="btn primary" data-sending-label="Sending…">"Submit application"</button>
            </form>
        </section>
    }
}

#[component]
pub fn AppliedPage() -> impl IntoView {
    let params = use_params_map();
    let query = leptos_router::hooks::use_query_map();
    let job_id = move || params.with(|p| p.get("id").unwrap_or_default());
    let job = Resource::new(job_id, get_public_job);
    let resume_note = move || {
        query.with(|q| match q.get("resume").as_deref() {
            Some("encrypted") => Some("We could not read the text of your resume because it is password-protected. That is fine: your application went through and we will open the file ourselves."),
            Some("corrupt") => Some("We could not read the text of your resume; the file may be damaged. Your application went through. If you can, send a fresh copy when we contact you."),
            Some("empty") => Some("Your resume has no text we could read (it may be a scanned image). Your application went through and we will look at the file ourselves."),
            _ => None,
        })
    };
    view! {
        <Title text="Application received"/>
        <PublicHeader/>
        <main class="page narrow" id="content">
            <h1>"Thank you, your application is in"</h1>
            {move || resume_note().map(|m| view! { <div class="banner" role="status">{m}</div> })}
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    job.await.ok().map(|j| view! { <p class="lead">"We received your application for " <strong>{j.title}</strong> "."</p> })
                })}
            </Suspense>
            <p>"We have emailed you a confirmation with a link to your candidate portal, where you can follow each step and withdraw at any time."</p>
            <p class="actions"><a class="btn" href="/jobs">"See other open jobs"</a><a class="btn" href="/portal">"Candidate portal"</a></p>
        </main>
    }
}

/// The first ~155 characters of a text, cut at a word, for a meta description.
fn description_summary(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= 155 {
        return flat;
    }
    let cut: String = flat.chars().take(155).collect();
    let at_word = cut.rfind(' ').map(|i| &cut[..i]).unwrap_or(&cut);
    format!("{}…", at_word.trim_end_matches([',', '.', ';', ':']))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_description_summary_is_short_and_ends_at_a_word() {
        assert_eq!(
            super::description_summary("Design  things.\nWell."),
            "Design things. Well."
        );
        let long = "word ".repeat(60);
        let s = super::description_summary(&long);
        assert!(s.chars().count() <= 156, "{s}");
        assert!(s.ends_with("word…"), "{s}");
    }
}

/// The optional self-identification questions at the end of the application form.
#[component]
fn SelfIdentification() -> impl IntoView {
    use crate::reports::types::{DECLINED, SELF_ID};
    view! {
        <fieldset class="self-id">
            <legend>"Voluntary self-identification (optional)"</legend>
            <p class="hint">"We check that our hiring treats everyone fairly. Your answers are kept apart from your application: the people who review it never see them, and they are only ever counted together with others'. Not answering changes nothing."</p>
            {SELF_ID.iter().map(|q| {
                let id = format!("self-id-{}", q.name);
                view! {
                    <div class="field">
                        <label for=id.clone()>{q.label}</label>
                        <select id=id name=q.name>
                            <option value=DECLINED selected=true>"I decline to answer"</option>
                            {q.options.iter().map(|(v, l)| view! { <option value=*v>{*l}</option> }).collect_view()}
                        </select>
                    </div>
                }
            }).collect_view()}
        </fieldset>
    }
}
