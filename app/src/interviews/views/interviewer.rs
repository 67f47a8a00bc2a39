//! The interviewer's pages: My interviews (with their working hours) and one interview with its
//! kit and scorecard.

use super::{InterviewLine, location_view};
use crate::components::PostForm;
use crate::components::{
    Badge, EmptyState, Field, FormError, Loading, TextArea, Tone, action_error, field_error,
    or_error,
};
use crate::interviews::api::*;
use crate::interviews::types::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// The caller's zone and working day: recruiters only get times inside it.
#[component]
fn WorkingHoursForm() -> impl IntoView {
    let save = ServerAction::<SaveWorkingHours>::new();
    let hours = Resource::new(move || save.version().get(), |_| my_working_hours());
    let err = action_error(save);
    let saved = move || matches!(save.value().get(), Some(Ok(())));
    view! {
        <details class="card working-hours">
            <summary>"Your working hours"</summary>
            <Show when=saved>
                <p class="banner banner-ok" role="status">"Working hours saved."</p>
            </Show>
            <Transition fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    or_error(hours.await.map(|h| {
                        let current = h.time_zone.clone();
                        view! {
                            <p class="muted">{format!("Interviews are proposed on weekdays between {} and {} ({}).", h.start, h.end, h.time_zone)}</p>
                            <PostForm action=save attr:class="form inline-form">
                                <div class="field">
                                    <label for="f-time_zone">"Time zone"</label>
                                    <select id="f-time_zone" name="time_zone">
                                        {h.zones.iter().map(|z| view! { <option value=z.clone() selected=*z == current>{z.clone()}</option> }).collect_view()}
                                    </select>
                                    <p class="field-error" role="alert">{move || field_error(err, "time_zone").get()}</p>
                                </div>
                                <Field label="From" name="start" kind="time" value=Some(h.start.clone()) error=field_error(err, "start")/>
                                <Field label="To" name="end" kind="time" value=Some(h.end.clone()) error=field_error(err, "end")/>
                                <Field label="Your calendar (iCalendar address, optional)" name="busy_feed_url" kind="url"
                                    value=Some(h.busy_feed_url.clone())
                                    hint="Its busy times are kept free of interviews. In Google Calendar: Settings, your calendar, \"Secret address in iCal format\"."
                                    error=field_error(err, "busy_feed_url")/>
                                {h.busy_feed_status.clone().map(|s| view! { <p class="muted small feed-status">{s}</p> })}
                                <button type="submit" class="btn">"Save working hours"</button>
                            </PostForm>
                        }
                    }))
                })}
            </Transition>
        </details>
    }
}

/// `/app/interviews`: what the signed-in person interviews for.
#[component]
pub fn MyInterviewsPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| my_interviews());
    view! {
        <Title text="My interviews"/>
        <div class="page-head"><h1>"My interviews"</h1></div>
        <WorkingHoursForm/>
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                or_error(list.await.map(|m| {
                    let nothing = m.to_do.is_empty() && m.upcoming.is_empty() && m.past.is_empty();
                    view! {
                        {nothing.then(|| view! {
                            <EmptyState title="No interviews yet"
                                hint="Interviews you are on appear here once a recruiter schedules them, with the candidate's resume and the interview kit."/>
                        })}
                        {(!m.to_do.is_empty()).then(|| view! {
                            <section class="card" aria-labelledby="todo-h">
                                <h2 id="todo-h">"Scorecards to write"</h2>
                                <ul class="plain interview-list">{m.to_do.into_iter().map(|iv| view! { <InterviewLine iv show_candidate=true/> }).collect_view()}</ul>
                            </section>
                        })}
                        {(!m.upcoming.is_empty()).then(|| view! {
                            <section class="card" aria-labelledby="up-h">
                                <h2 id="up-h">"Upcoming"</h2>
                                <ul class="plain interview-list">{m.upcoming.into_iter().map(|iv| view! { <InterviewLine iv show_candidate=true/> }).collect_view()}</ul>
                            </section>
                        })}
                        {(!m.past.is_empty()).then(|| view! {
                            <section class="card" aria-labelledby="past-h">
                                <h2 id="past-h">"Done"</h2>
                                <ul class="plain interview-list">{m.past.into_iter().map(|iv| view! { <InterviewLine iv show_candidate=true/> }).collect_view()}</ul>
                            </section>
                        })}
                    }
                }))
            })}
        </Transition>
    }
}

/// Someone's scorecard, read only.
#[component]
fn ScorecardView(card: Scorecard, attributes: Vec<String>) -> impl IntoView {
    view! {
        <article class="scorecard" data-scorecard=card.interviewer_id.clone()>
            <h3>{card.interviewer_name.clone()}" "
                {card.recommendation.map(|r| view! { <span class=r.css()>{r.label()}</span> })}
            </h3>
            <dl class="facts">
                {attributes.iter().enumerate().map(|(i, a)| {
                    let r = card.ratings.get(i).copied().flatten();
                    view! {
                        <dt>{a.clone()}</dt>
                        <dd>{r.map(|r| r.label()).unwrap_or("—")}</dd>
                    }
                }).collect_view()}
            </dl>
            {(!card.notes.is_empty()).then(|| view! { <pre class="notes">{card.notes.clone()}</pre> })}
        </article>
    }
}

/// The scorecard form: a rating per attribute, notes, a recommendation; draft or submit.
#[component]
fn ScorecardForm(
    interview_id: String,
    attributes: Vec<String>,
    mine: Scorecard,
    save: ServerAction<SaveScorecard>,
) -> impl IntoView {
    let err = action_error(save);
    // Drafts are saved as one types (a pause of a second), by an action of its own: the page
    // does not reload, so nothing typed is lost and the focus stays put.
    let autosave = ServerAction::<SaveScorecard>::new();
    let autosave_state = move || match autosave.value().get() {
        _ if autosave.pending().get() => "Saving draft…".to_string(),
        Some(Ok(())) => "Draft saved.".to_string(),
        Some(Err(e)) => format!("Draft not saved: {e}"),
        None => String::new(),
    };
    #[cfg(feature = "hydrate")]
    let timer: StoredValue<Option<gloo_timers::callback::Timeout>, LocalStorage> =
        StoredValue::new_local(None);
    // Submitting (or saving by hand) replaces a draft save still waiting.
    #[cfg(feature = "hydrate")]
    let on_submit = move |_: web_sys::SubmitEvent| timer.set_value(None);
    #[cfg(not(feature = "hydrate"))]
    let on_submit = |_: leptos::ev::SubmitEvent| {};
    #[cfg(feature = "hydrate")]
    let on_edit = {
        let interview_id = interview_id.clone();
        let n = attributes.len();
        move |ev: web_sys::Event| {
            use wasm_bindgen::JsCast;
            let Some(form) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|e| e.closest("form").ok().flatten())
                .and_then(|f| f.dyn_into::<web_sys::HtmlFormElement>().ok())
            else {
                return;
            };
            let interview_id = interview_id.clone();
            timer.set_value(Some(gloo_timers::callback::Timeout::new(
                1_000,
                move || {
                    let Ok(data) = web_sys::FormData::new_with_form(&form) else {
                        return;
                    };
                    let field = |k: &str| data.get(k).as_string();
                    let ratings = (0..n)
                        .filter_map(|i| {
                            let k = format!("a{i}");
                            field(&format!("ratings[{k}]")).map(|v| (k, v))
                        })
                        .collect();
                    autosave.dispatch(SaveScorecard {
                        interview_id,
                        ratings: Some(ratings),
                        notes: field("notes").unwrap_or_default(),
                        recommendation: field("recommendation"),
                        intent: "draft".into(),
                    });
                },
            )));
        }
    };
    #[cfg(feature = "hydrate")]
    let on_change = on_edit.clone();
    #[cfg(not(feature = "hydrate"))]
    let (on_edit, on_change) = (|_: leptos::ev::Event| {}, |_: leptos::ev::Event| {});
    view! {
        <div class="scorecard-wrap" on:input=on_edit on:change=on_change on:submit=on_submit>
        <p class="autosave muted small" role="status" aria-live="polite">{autosave_state}</p>
        <PostForm action=save attr:class="form scorecard-form" attr:id="scorecard">
            <input type="hidden" name="interview_id" value=interview_id/>
            {attributes.iter().enumerate().map(|(i, a)| {
                let current = mine.ratings.get(i).copied().flatten();
                let name = format!("ratings[a{i}]");
                view! {
                    <fieldset class="rating-choice">
                        <legend>{a.clone()}</legend>
                        {Rating::ALL.iter().map(|r| {
                            let value = (*r as i64).to_string();
                            view! {
                                <label class="check">
                                    <input type="radio" name=name.clone() value=value checked=current == Some(*r)/>
                                    {r.label()}
                                </label>
                            }
                        }).collect_view()}
                    </fieldset>
                }
            }).collect_view()}
            <p class="field-error" role="alert">{move || field_error(err, "ratings").get()}</p>
            <TextArea label="Notes (evidence: what the candidate said and did)" name="notes" rows=6 value=Some(mine.notes.clone()) error=field_error(err, "notes")/>
            <fieldset class="rating-choice">
                <legend>"Overall recommendation"</legend>
                {Rating::ALL.iter().map(|r| {
                    let value = (*r as i64).to_string();
                    view! {
                        <label class="check">
                            <input type="radio" name="recommendation" value=value checked=mine.recommendation == Some(*r)/>
                            {r.label()}
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <p class="field-error" role="alert">{move || field_error(err, "recommendation").get()}</p>
            <FormError error=crate::components::general_error(err)/>
            <p class="actions">
                <button type="submit" class="btn" name="intent" value="draft">"Save draft"</button>
                <button type="submit" class="btn primary" name="intent" value="submit">"Submit scorecard"</button>
            </p>
        </PostForm>
        </div>
    }
}

/// `/app/interviews/:id`: the interview, its kit, the candidate, the scorecard.
#[component]
pub fn InterviewPage() -> impl IntoView {
    let params = use_params_map();
    let iv_id = move || params.with(|p| p.get("id").unwrap_or_default());
    let save = ServerAction::<SaveScorecard>::new();
    let detail = Resource::new(
        move || (iv_id(), save.version().get()),
        |(id, _)| get_interview(id),
    );
    let saved = move || matches!(save.value().get(), Some(Ok(())));
    view! {
        <Title text="Interview"/>
        <Show when=saved>
            <p class="banner banner-ok" role="status">"Scorecard saved."</p>
        </Show>
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                or_error(detail.await.map(|d| {
                    let iv = d.interview.clone();
                    let attributes = d.attributes.clone();
                    let mine = d.mine.clone();
                    view! {
                        <Title text=format!("{} with {}", iv.name, iv.person_name)/>
                        <p class="crumbs"><a href="/app/interviews">"My interviews"</a>" / "{iv.person_name.clone()}</p>
                        <div class="page-head">
                            <h1>{format!("{} with {}", iv.name, iv.person_name)}</h1>
                            {iv.cancelled.then(|| view! { <Badge tone=Tone::Danger>"Cancelled"</Badge> })}
                        </div>
                        <p class="lead">
                            <time datetime=iv.starts_at.clone()>{iv.when.clone()}</time>" · "{iv.format.label()}" · "
                            {location_view(iv.format, iv.location.clone())}
                        </p>
                        <p class="muted">{iv.job_title.clone()}" · panel: "{iv.panel.iter().map(|p| p.name.clone()).collect::<Vec<_>>().join(", ")}</p>
                        <div class="profile-grid">
                            <section class="card">
                                <h2>"The candidate"</h2>
                                <p><strong>{iv.person_name.clone()}</strong></p>
                                {d.candidate_headline.clone().map(|h| view! { <p>{h}</p> })}
                                {(!d.candidate_skills.is_empty()).then(|| view! {
                                    <p>{d.candidate_skills.iter().map(|s| view! { <span class="tag skill">{s.clone()}</span> }).collect_view()}</p>
                                })}
                                {match d.resume_url.clone() {
                                    Some(u) => view! { <p><a class="btn" href=u target="_blank" rel="noopener">"Read the resume"</a></p> }.into_any(),
                                    None => view! { <p class="muted">"No resume on file."</p> }.into_any(),
                                }}
                            </section>
                            <section class="card kit">
                                <h2>"Interview kit"</h2>
                                <h3>"Rate"</h3>
                                <ul class="tag-list">{d.attributes.iter().map(|a| view! { <li class="tag">{a.clone()}</li> }).collect_view()}</ul>
                                {(!d.questions.is_empty()).then(|| view! {
                                    <h3>"Ask"</h3>
                                    <ol class="questions">{d.questions.iter().map(|q| view! { <li>{q.clone()}</li> }).collect_view()}</ol>
                                })}
                                {(!d.guidance.is_empty()).then(|| view! { <h3>"Guidance"</h3><p class="muted">{d.guidance.clone()}</p> })}
                            </section>
                        </div>
                        {mine.map(|m| {
                            let submitted = m.status == CardStatus::Submitted;
                            view! {
                                <section class="card" aria-labelledby="mine-h">
                                    <h2 id="mine-h">"Your scorecard"</h2>
                                    {if submitted || iv.cancelled {
                                        view! { <ScorecardView card=m attributes=attributes.clone()/> }.into_any()
                                    } else {
                                        view! { <ScorecardForm interview_id=iv.id.clone() attributes=attributes.clone() mine=m save/> }.into_any()
                                    }}
                                </section>
                            }
                        })}
                        <section class="card" aria-labelledby="others-h">
                            <h2 id="others-h">"The panel's scorecards"</h2>
                            {match d.others.clone() {
                                None => view! {
                                    <p class="muted" id="others-hidden">{format!(
                                        "{} of the other interviewers submitted. Their scorecards are hidden until you submit yours, so that your ratings are your own.",
                                        d.others_submitted
                                    )}</p>
                                }.into_any(),
                                Some(list) if list.is_empty() => view! { <p class="muted">"No one else has submitted yet."</p> }.into_any(),
                                Some(list) => view! {
                                    <div class="scorecards">
                                        {list.into_iter().map(|c| view! { <ScorecardView card=c attributes=attributes.clone()/> }).collect_view()}
                                    </div>
                                }.into_any(),
                            }}
                        </section>
                    }
                }))
            })}
        </Transition>
    }
}
