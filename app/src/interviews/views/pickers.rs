//! The time pickers of an application's interviews page: free times as radio buttons, the
//! form that books one (a single interview or two back to back, with a room or without), and
//! the one that moves a booked interview.

use super::super::api::*;
use super::super::types::*;
use crate::components::PostForm;
use crate::components::{EmptyState, FormError, Loading, action_error, field_error};
use crate::error::AppError;
use leptos::prelude::*;

/// Moving an interview: its free times (the same panel) and the button that moves it.
#[component]
pub(super) fn MovePicker(
    choice: Resource<Result<Option<RescheduleChoice>, AppError>>,
    action: ServerAction<RescheduleInterview>,
) -> impl IntoView {
    let err = action_error(action);
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match choice.await {
                    Ok(None) => ().into_any(),
                    Err(e) => view! { <p class="banner banner-error" role="alert">{e.to_string()}</p> }.into_any(),
                    Ok(Some(c)) => {
                        let back = format!("/app/applications/{}", c.application_id);
                        view! {
                            <section class="card" id="move" aria-labelledby="move-title">
                                <h2 id="move-title">{format!("Move {}", c.name)}</h2>
                                <p class="muted">{format!("Now: {}. The panel stays the same; everyone gets the updated invitation.", c.when)}</p>
                                <FormError error=crate::components::general_error(err)/>
                                <p class="field-error" role="alert">{move || field_error(err, "starts_at").get()}</p>
                                {if c.slots.is_empty() {
                                    view! { <EmptyState title="No other time in the next 14 days suits the whole panel" hint="Cancel it and schedule a different panel instead."/> }.into_any()
                                } else {
                                    view! {
                                        <PostForm action=action attr:class="form slot-form">
                                            <input type="hidden" name="interview_id" value=c.interview_id.clone()/>
                                            <input type="hidden" name="sequence" value=c.sequence.to_string()/>
                                            <SlotRadios legend="Times when everyone is free".to_string() slots=c.slots.clone()/>
                                            <button type="submit" class="btn primary">"Move interview"</button>
                                            " "<a href=back class="btn">"Keep it"</a>
                                        </PostForm>
                                    }.into_any()
                                }}
                            </section>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// Free times as radio buttons (the first chosen), each with the panel's own times.
#[component]
fn SlotRadios(legend: String, slots: Vec<Slot>) -> impl IntoView {
    view! {
        <fieldset class="slots">
            <legend>{legend}</legend>
            {slots.into_iter().enumerate().map(|(i, s)| view! {
                <label class="slot">
                    <input type="radio" name="starts_at" value=s.starts_at checked=i == 0/>
                    <span class="slot-time">{s.label}</span>
                    {(!s.elsewhere.is_empty()).then(|| view! { <span class="muted small">{s.elsewhere.join(" · ")}</span> })}
                </label>
            }).collect_view()}
        </fieldset>
    }
}

/// The proposed times as a choice, and the button that books one.
#[component]
pub(super) fn SlotPicker(
    slots: Resource<Result<Option<Vec<Slot>>, AppError>>,
    app_id: String,
    #[prop(into)] plan_id: Signal<String>,
    #[prop(into)] panel: Signal<Vec<String>>,
    /// The interviews straight after, if any, and their panels (`N:staff`, see `loop_of`).
    #[prop(into)]
    then_plan: Signal<Vec<String>>,
    #[prop(into)] then_panel: Signal<Vec<String>>,
    /// The room, if one was chosen.
    #[prop(into)]
    room: Signal<String>,
    schedule: ServerAction<ScheduleInterview>,
    zone: String,
) -> impl IntoView {
    view! {
        <Transition fallback=|| view! { <Loading/> }>
            {move || {
                let app_id = app_id.clone();
                let zone = zone.clone();
                Suspend::new(async move {
                    match slots.await {
                        Ok(None) => view! { <p class="muted">"Choose the interview and its panel, then find times that suit everyone."</p> }.into_any(),
                        Err(e) => {
                            let text = ["interviewers", "plan_id", "then_plan_id", "then_interviewers", "room_id"]
                                .into_iter()
                                .find_map(|f| e.field_message(f))
                                .unwrap_or_else(|| e.to_string());
                            view! { <p class="banner banner-error" role="alert">{text}</p> }.into_any()
                        }
                        Ok(Some(list)) if list.is_empty() => view! {
                            <EmptyState title="No time in the next 14 days suits the whole panel"
                                hint="Try a smaller panel, or ask someone to widen their working hours."/>
                        }.into_any(),
                        Ok(Some(list)) => view! {
                            <PostForm action=schedule attr:class="form slot-form">
                                <input type="hidden" name="application_id" value=app_id.clone()/>
                                <input type="hidden" name="plan_id" value=plan_id.get_untracked()/>
                                {panel.get_untracked().into_iter().map(|p| view! { <input type="hidden" name="interviewers[]" value=p/> }).collect_view()}
                                {(!room.get_untracked().is_empty()).then(|| view! {
                                    <input type="hidden" name="room_id" value=room.get_untracked()/>
                                })}
                                {then_plan.get_untracked().into_iter().map(|p| view! { <input type="hidden" name="then_plan_id[]" value=p/> }).collect_view()}
                                {then_panel.get_untracked().into_iter().map(|p| view! { <input type="hidden" name="then_interviewers[]" value=p/> }).collect_view()}
                                {
                                    let n = 1 + then_plan.get_untracked().iter().filter(|t| !t.is_empty()).count();
                                    let (legend, button) = match n {
                                        1 => (format!("Times when everyone is free (your zone: {zone})"), "Schedule interview".to_string()),
                                        2 => (format!("Times for both interviews, back to back, when each panel is free (your zone: {zone})"), "Schedule both interviews".to_string()),
                                        n => (format!("Times for all {n} interviews, back to back, when each panel is free (your zone: {zone})"), format!("Schedule all {n} interviews")),
                                    };
                                    view! {
                                        <SlotRadios legend=legend slots=list/>
                                        <button type="submit" class="btn primary">{button}</button>
                                    }
                                }
                            </PostForm>
                        }.into_any(),
                    }
                })
            }}
        </Transition>
    }
}
