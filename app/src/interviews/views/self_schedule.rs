//! `/schedule/:token`: the candidate chooses (or moves, or cancels) the time of their interview,
//! or of a loop of interviews back to back. Public,
//! works on a phone and without JavaScript; with it, the browser's time zone is used at first.

use crate::components::PostForm;
use crate::components::{EmptyState, FormError, Loading, PublicHeader, action_error, field_error};
use crate::error::AppError;
use crate::interviews::scheduling::*;
use crate::interviews::types::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// Slots grouped by day ("Mon 7 Dec"), each with its time ("09:00–10:00 GMT").
fn by_day(slots: &[Slot]) -> Vec<(String, Vec<(String, String)>)> {
    let mut out: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for s in slots {
        let (day, time) = s
            .label
            .split_once(", ")
            .map(|(d, t)| (d.to_string(), t.to_string()))
            .unwrap_or_else(|| (String::new(), s.label.clone()));
        match out.last_mut() {
            Some((d, list)) if *d == day => list.push((s.starts_at.clone(), time)),
            _ => out.push((day, vec![(s.starts_at.clone(), time)])),
        }
    }
    out
}

/// The free times as radio buttons, one group per day.
#[component]
fn SlotChoice(slots: Vec<Slot>) -> impl IntoView {
    view! {
        <div class="slot-days">
            {by_day(&slots).into_iter().enumerate().map(|(d, (day, times))| view! {
                <fieldset class="slot-day">
                    <legend>{day}</legend>
                    {times.into_iter().enumerate().map(|(i, (at, time))| view! {
                        <label class="slot">
                            <input type="radio" name="starts_at" value=at checked=d == 0 && i == 0 required=true/>
                            <span class="slot-time">{time}</span>
                        </label>
                    }).collect_view()}
                </fieldset>
            }).collect_view()}
        </div>
    }
}

#[component]
pub fn SchedulePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let token = move || params.with(|p| p.get("token").unwrap_or_default());
    let tz = move || query.with(|q| q.get("tz").filter(|z| !z.is_empty()));
    let book = ServerAction::<BookInterviewSlot>::new();
    let moved = ServerAction::<MoveBookedInterview>::new();
    let cancel = ServerAction::<CancelBookedInterview>::new();
    let page = Resource::new(
        move || {
            (
                token(),
                tz(),
                book.version().get(),
                moved.version().get(),
                cancel.version().get(),
            )
        },
        |(token, tz, ..)| scheduling_page(token, tz),
    );
    // The browser's own zone on a first visit: `public/enhance.js` adds `?tz=` (without
    // JavaScript, the link's zone, and a form to pick another).
    let book_err = action_error(book);
    let move_err = action_error(moved);
    let cancel_err = action_error(cancel);
    // What the last form post did (`done=`, see `crate::server::http::back_with_done`).
    let done = move |what: &str| query.with(|q| crate::components::form_done(q, what));
    view! {
        <Title text="Choose your interview time"/>
        <PublicHeader/>
        <main class="page narrow schedule-page" id="content">
            <Show when=move || done("booked")>
                <p class="banner banner-ok" role="status">"Booked. A calendar invitation is on its way to your inbox."</p>
            </Show>
            <Show when=move || done("moved")>
                <p class="banner banner-ok" role="status">"Moved. The updated invitation is on its way."</p>
            </Show>
            <Show when=move || done("cancelled")>
                <p class="banner banner-ok" role="status">"Cancelled. The panel and your recruiter have been told."</p>
            </Show>
            <FormError error=Signal::derive(move || crate::components::live(book_err).or(crate::components::live(move_err)).or(crate::components::live(cancel_err)).filter(|e| !matches!(e, AppError::Validation(_))))/>
            <p class="field-error" role="alert">{move || field_error(book_err, "starts_at").get().or(field_error(move_err, "starts_at").get())}</p>
            <Transition fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Err(e) => view! {
                            <h1>"Choose your interview time"</h1>
                            <p class="banner banner-error" role="alert">{e.to_string()}</p>
                        }.into_any(),
                        Ok(p) => {
                            let token = token();
                            let zone = p.time_zone.clone();
                            let many = !p.then.is_empty();
                            let (mine, move_label, cancel_label) = if many {
                                ("Your interviews", "Move my interviews", "Cancel my interviews")
                            } else {
                                ("Your interview", "Move my interview", "Cancel my interview")
                            };
                            view! {
                                <h1>{format!("{} with {}", p.title(), p.company)}</h1>
                                {if many {
                                    view! {
                                        <p class="lead">{format!("{}, for the {} role: {} interviews back to back, {} minutes in all, {}.", p.first_name, p.job_title, p.then.len() + 1, p.total_min(), p.format.label().to_lowercase())}</p>
                                        <ol class="loop-steps" aria-label="Interviews, in order">
                                            <li>{format!("{} · {} min · with {}", p.interview_name, p.duration_min, p.panel.join(", "))}</li>
                                            {p.then.iter().map(|s| view! {
                                                <li>{format!("{} · {} min · with {}", s.name, s.duration_min, s.panel.join(", "))}</li>
                                            }).collect_view()}
                                        </ol>
                                    }.into_any()
                                } else {
                                    view! {
                                        <p class="lead">{format!("{}, for the {} role: {} minutes, {}, with {}.", p.first_name, p.job_title, p.duration_min, p.format.label().to_lowercase(), p.panel.join(", "))}</p>
                                    }.into_any()
                                }}
                                {p.place.clone().map(|place| view! { <p class="schedule-place">"Where: "<strong>{place}</strong></p> })}
                                <form method="get" class="zone-form">
                                    <label for="tz">"Times in"</label>
                                    <select id="tz" name="tz">
                                        {p.zones.iter().map(|z| view! { <option value=z.clone() selected=*z == zone>{z.replace('_', " ")}</option> }).collect_view()}
                                    </select>
                                    <button type="submit" class="btn small">"Show times"</button>
                                </form>
                                {let cutoff = p.change_cutoff_hours;
                                match p.state {
                                    SchedulingState::Open { slots } if slots.is_empty() => view! {
                                        <EmptyState title="No time is free in the next two weeks"
                                            hint="Reply to the email with this link and your recruiter will find a time with you."/>
                                    }.into_any(),
                                    SchedulingState::Open { slots } => view! {
                                        <PostForm action=book attr:class="form slot-form">
                                            <input type="hidden" name="token" value=token.clone()/>
                                            <input type="hidden" name="time_zone" value=zone.clone()/>
                                            <SlotChoice slots/>
                                            <button type="submit" class="btn primary">"Book this time"</button>
                                        </PostForm>
                                    }.into_any(),
                                    SchedulingState::Booked { when, parts, location, sequence, can_change, change_until, slots } => view! {
                                        <section class="card booked" aria-labelledby="booked-title">
                                            <h2 id="booked-title">{mine}</h2>
                                            <p class="booked-when"><strong>{when}</strong></p>
                                            {(!parts.is_empty()).then(|| view! {
                                                <ol class="booked-parts">
                                                    {parts.into_iter().map(|part| view! { <li>{part}</li> }).collect_view()}
                                                </ol>
                                            })}
                                            {(!location.is_empty()).then(|| view! { <p>{location}</p> })}
                                            {if can_change {
                                                let token2 = token.clone();
                                                view! {
                                                    <p class="muted">{format!("You can move or cancel it here until {change_until}.")}</p>
                                                    <details class="move-booking">
                                                        <summary>"Move to another time"</summary>
                                                        {if slots.is_empty() {
                                                            view! { <p class="muted">"No other time is free in the next two weeks."</p> }.into_any()
                                                        } else {
                                                            view! {
                                                                <PostForm action=moved attr:class="form slot-form">
                                                                    <input type="hidden" name="token" value=token.clone()/>
                                                                    <input type="hidden" name="time_zone" value=zone.clone()/>
                                                                    <input type="hidden" name="sequence" value=sequence.to_string()/>
                                                                    <SlotChoice slots/>
                                                                    <button type="submit" class="btn primary">{move_label}</button>
                                                                </PostForm>
                                                            }.into_any()
                                                        }}
                                                    </details>
                                                    <PostForm action=cancel attr:class="inline">
                                                        <input type="hidden" name="token" value=token2/>
                                                        <button type="submit" class="btn danger">{cancel_label}</button>
                                                    </PostForm>
                                                }.into_any()
                                            } else {
                                                view! { <p class="muted">{format!("Changes here close {cutoff} hours before the interview. To change it now, reply to your invitation.")}</p> }.into_any()
                                            }}
                                        </section>
                                    }.into_any(),
                                    SchedulingState::Cancelled => view! {
                                        <p class="banner" role="status">"This interview is cancelled. Your recruiter has been told and will be in touch."</p>
                                    }.into_any(),
                                    SchedulingState::Closed { reason } => view! {
                                        <p class="banner banner-error" role="alert">{reason}</p>
                                    }.into_any(),
                                }}
                                <p class="muted small"><a href="/portal">"See all your applications and interviews"</a></p>
                            }.into_any()
                        }
                    }
                })}
            </Transition>
        </main>
    }
}
