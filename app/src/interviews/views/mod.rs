//! Structured hiring pages: a job's interview plan, an application's interviews (scheduling and
//! the debrief), an interviewer's list, and one interview with its kit and scorecard. Every form
//! is a plain form underneath, so each page works without JavaScript. The interviewer's pages
//! are in `interviewer.rs`.

mod interviewer;
mod pickers;
mod rooms;
mod self_schedule;

pub use interviewer::{InterviewPage, MyInterviewsPage};
use pickers::{MovePicker, SlotPicker};
pub use rooms::RoomsPage;
pub use self_schedule::SchedulePage;

use super::api::*;
use super::types::*;
use crate::components::PostForm;
use crate::components::{
    Badge, EmptyState, Field, FormError, Loading, TextArea, Tone, action_error, field_error,
    or_error,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

pub(super) fn format_badge(f: Format) -> impl IntoView {
    view! { <Badge tone=Tone::Neutral>{f.label()}</Badge> }
}

pub(super) fn card_badge(s: CardStatus) -> impl IntoView {
    let tone = match s {
        CardStatus::Submitted => Tone::Ok,
        CardStatus::Draft => Tone::Brand,
        CardStatus::Pending => Tone::Warn,
    };
    view! { <Badge tone=tone>{s.label()}</Badge> }
}

/// The location line: a link for a video call, text otherwise.
pub(super) fn location_view(format: Format, location: String) -> impl IntoView {
    if location.is_empty() {
        return view! { <span class="muted">"No location set"</span> }.into_any();
    }
    if format == Format::Video && location.starts_with("http") {
        view! { <a href=location.clone() rel="noopener noreferrer" target="_blank">{location.clone()}</a> }
            .into_any()
    } else {
        view! { <span>{location}</span> }.into_any()
    }
}

/// One interview of a plan, with its kit.
#[component]
fn PlanCard(
    item: PlanInterview,
    can_edit: bool,
    remove: ServerAction<RemovePlanInterview>,
) -> impl IntoView {
    let id = item.id.clone();
    let name = item.name.clone();
    view! {
        <article class="card plan-item" data-plan=item.id.clone()>
            <div class="plan-head">
                <h3>{item.name.clone()}</h3>
                {format_badge(item.format)}
                <span class="muted small">{format!("{} min", item.duration_min)}</span>
            </div>
            <p class="small">{location_view(item.format, item.location.clone())}</p>
            <h4>"Focus attributes"</h4>
            <ul class="tag-list">
                {item.attributes.iter().map(|a| view! { <li class="tag">{a.clone()}</li> }).collect_view()}
            </ul>
            {(!item.questions.is_empty()).then(|| view! {
                <h4>"Questions"</h4>
                <ol class="questions">{item.questions.iter().map(|q| view! { <li>{q.clone()}</li> }).collect_view()}</ol>
            })}
            {(!item.guidance.is_empty()).then(|| view! {
                <h4>"Guidance"</h4>
                <p class="muted">{item.guidance.clone()}</p>
            })}
            {can_edit.then(|| view! {
                <PostForm action=remove attr:class="inline">
                    <input type="hidden" name="plan_id" value=id.clone()/>
                    <button type="submit" class="btn small danger" aria-label=format!("Remove {name}")>"Remove"</button>
                </PostForm>
            })}
        </article>
    }
}

/// `/app/jobs/:id/plan`: the interviews of each stage, their kits, and the forms to change them.
#[component]
pub fn PlanPage() -> impl IntoView {
    let params = use_params_map();
    let job_id = move || params.with(|p| p.get("id").unwrap_or_default());
    let add = ServerAction::<AddPlanInterview>::new();
    let remove = ServerAction::<RemovePlanInterview>::new();
    let copy = ServerAction::<CopyPlan>::new();
    let plan = Resource::new(
        move || {
            (
                job_id(),
                add.version().get(),
                remove.version().get(),
                copy.version().get(),
            )
        },
        |(id, ..)| get_plan(id),
    );
    let add_err = action_error(add);
    let copy_err = action_error(copy);
    let remove_err = action_error(remove);
    // Outside the page's Suspend, which is rebuilt when the change reloads the plan.
    let copied = move || match copy.value().get() {
        Some(Ok(n)) => Some(format!("Copied {n} interviews.")),
        _ => None,
    };
    view! {
        // The page's title while its data (re)loads; the job's name refines it below.
        <Title text="Interview plan"/>
        {move || copied().map(|text| view! { <p class="banner banner-ok" role="status">{text}</p> })}
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                or_error(plan.await.map(|p| {
                    let job_href = format!("/app/jobs/{}", p.job_id);
                    let can_edit = p.can_edit;
                    let stages = p.stages.clone();
                    let job_for_form = p.job_id.clone();
                    let job_for_copy = p.job_id.clone();
                    let copy_from = p.copy_from.clone();
                    let empty = p.interviews.is_empty();
                    view! {
                        <Title text=format!("Interview plan · {}", p.job_title)/>
                        <p class="crumbs"><a href="/app/jobs">"Jobs"</a>" / "<a href=job_href.clone()>{p.job_title.clone()}</a>" / Interview plan"</p>
                        <div class="page-head"><h1>"Interview plan"</h1></div>
                        <p class="lead">"Each stage's interviews and their kits: what interviewers rate, what they ask, and how. Scheduled interviews keep the kit they were booked with."</p>
                        <FormError error=remove_err/>
                        {empty.then(|| view! {
                            <EmptyState title="No interviews planned yet"
                                hint="Add the interviews of each stage below, or copy the plan of a similar job."/>
                        })}
                        {p.stages.iter().map(|s| {
                            let items: Vec<PlanInterview> = p.interviews.iter().filter(|i| i.stage == s.id).cloned().collect();
                            (!items.is_empty()).then(|| view! {
                                <section class="plan-stage" aria-label=s.name.clone()>
                                    <h2>{s.name.clone()}</h2>
                                    <div class="plan-items">
                                        {items.into_iter().map(|item| view! { <PlanCard item can_edit remove/> }).collect_view()}
                                    </div>
                                </section>
                            })
                        }).collect_view()}
                        {can_edit.then(|| view! {
                            <section class="card">
                                <h2>"Add an interview"</h2>
                                <PostForm action=add attr:class="form" attr:id="add-interview">
                                    <input type="hidden" name="job_id" value=job_for_form.clone()/>
                                    <div class="field" class:has-error=move || field_error(add_err, "stage").get().is_some()>
                                        <label for="f-stage">"Stage"</label>
                                        <select id="f-stage" name="stage">
                                            {stages.iter().map(|s| view! { <option value=s.id.clone()>{s.name.clone()}</option> }).collect_view()}
                                        </select>
                                        <p class="field-error" role="alert">{move || field_error(add_err, "stage").get()}</p>
                                    </div>
                                    <Field label="Name" name="name" required=true placeholder="Technical interview" error=field_error(add_err, "name")/>
                                    <Field label="Minutes" name="duration_min" kind="number" value=Some("45".to_string()) required=true error=field_error(add_err, "duration_min")/>
                                    <div class="field">
                                        <label for="f-format">"Format"</label>
                                        <select id="f-format" name="format">
                                            {Format::ALL.iter().map(|f| view! { <option value=f.as_str()>{f.label()}</option> }).collect_view()}
                                        </select>
                                        <p class="field-error" role="alert">{move || field_error(add_err, "format").get()}</p>
                                    </div>
                                    <Field label="Location or video link" name="location" hint="A video link (https://…), a phone arrangement, or an address and room." error=field_error(add_err, "location")/>
                                    <TextArea label="Focus attributes (one per line)" name="attributes" rows=4 required=true hint="What interviewers rate, e.g. Rust ownership model, Communication." error=field_error(add_err, "attributes")/>
                                    <TextArea label="Questions (one per line)" name="questions" rows=4 error=field_error(add_err, "questions")/>
                                    <TextArea label="Guidance for interviewers" name="guidance" rows=3 error=field_error(add_err, "guidance")/>
                                    <FormError error=crate::components::general_error(add_err)/>
                                    <button type="submit" class="btn primary">"Add interview"</button>
                                </PostForm>
                            </section>
                            {(!copy_from.is_empty()).then(|| view! {
                                <section class="card">
                                    <h2>"Copy another job's plan"</h2>
                                    <PostForm action=copy attr:class="inline-form">
                                        <input type="hidden" name="job_id" value=job_for_copy.clone()/>
                                        <label for="f-from">"Copy from"</label>
                                        <select id="f-from" name="from_job_id">
                                            {copy_from.iter().map(|j| view! {
                                                <option value=j.id.clone()>{format!("{} ({} interviews)", j.title, j.interviews)}</option>
                                            }).collect_view()}
                                        </select>
                                        <button type="submit" class="btn">"Copy plan"</button>
                                    </PostForm>
                                    <p class="field-error" role="alert">{move || field_error(copy_err, "from_job_id").get()}</p>
                                </section>
                            })}
                        })}
                    }
                }))
            })}
        </Transition>
    }
}

/// An interview as a row of a list.
#[component]
pub(super) fn InterviewLine(
    iv: Interview,
    #[prop(optional)] show_candidate: bool,
    #[prop(optional)] cancel: Option<ServerAction<CancelInterview>>,
) -> impl IntoView {
    let href = format!("/app/interviews/{}", iv.id);
    let id = iv.id.clone();
    let summary = iv.feedback_summary();
    view! {
        <li class="interview-line" class:cancelled=iv.cancelled data-interview=iv.id.clone()>
            <div class="interview-main">
                <a href=href class="interview-name">
                    {if show_candidate { format!("{} · {}", iv.person_name, iv.name) } else { iv.name.clone() }}
                </a>
                {iv.cancelled.then(|| view! { <Badge tone=Tone::Danger>"Cancelled"</Badge> })}
                {format_badge(iv.format)}
                <p class="small"><time datetime=iv.starts_at.clone()>{iv.when.clone()}</time>
                    {show_candidate.then(|| view! { <span class="muted">" · "{iv.job_title.clone()}</span> })}
                    {(!iv.location.is_empty()).then(|| view! { <span class="muted interview-place">" · "{iv.location.clone()}</span> })}
                </p>
                <ul class="panel-list" aria-label="Panel">
                    {iv.panel.iter().map(|p| view! {
                        <li>
                            <span class="panelist">{p.name.clone()}</span>
                            <span class="muted small">{format!(" · {}", p.local_time)}</span>" "
                            {card_badge(p.scorecard)}
                        </li>
                    }).collect_view()}
                </ul>
            </div>
            <div class="interview-side">
                <span class="muted small">{summary}</span>
                {cancel.filter(|_| !iv.cancelled && !iv.past).map(|action| view! {
                    <a class="btn small" href=format!("?move={id}#move")>"Move"</a>
                    <PostForm action=action attr:class="inline">
                        <input type="hidden" name="interview_id" value=id.clone()/>
                        <button type="submit" class="btn small danger">"Cancel interview"</button>
                    </PostForm>
                })}
            </div>
        </li>
    }
}

/// The debrief: attributes × interviewers, and each recommendation.
#[component]
fn DebriefTable(d: Debrief) -> impl IntoView {
    if d.columns.is_empty() {
        return view! {
            <EmptyState title="No scorecards submitted yet"
                hint="Ratings appear here, side by side, as interviewers submit their scorecards."/>
        }
        .into_any();
    }
    let tally = d.tally();
    view! {
        <p><strong>{tally}</strong></p>
        <div class="table-scroll" tabindex="0" role="region" aria-label="Debrief">
            <table class="debrief">
                <thead>
                    <tr>
                        <th scope="col">"Attribute"</th>
                        {d.columns.iter().map(|c| view! { <th scope="col">{c.clone()}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {d.attributes.iter().enumerate().map(|(i, a)| view! {
                        <tr>
                            <th scope="row">{a.clone()}</th>
                            {d.cells[i].iter().map(|c| rating_cell(*c)).collect_view()}
                        </tr>
                    }).collect_view()}
                    <tr class="recommendation-row">
                        <th scope="row">"Recommendation"</th>
                        {d.recommendations.iter().map(|c| rating_cell(*c)).collect_view()}
                    </tr>
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

fn rating_cell(r: Option<Rating>) -> impl IntoView {
    match r {
        Some(r) => view! { <td class=r.css() title=r.label()><span aria-hidden="true">{r.mark()}" "</span>{r.label()}</td> }.into_any(),
        None => view! { <td class="muted">"—"</td> }.into_any(),
    }
}

/// `/app/applications/:id`: one application's interviews, scheduling and debrief.
#[component]
pub fn ApplicationInterviewsPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let app_id = move || params.with(|p| p.get("id").unwrap_or_default());
    let chosen_plan = move || query.with(|q| q.get("plan").unwrap_or_default());
    let chosen_panel = move || query.with(|q| q.get_all("panel").unwrap_or_default());
    // More interviews straight after the first, each with its own panel (optional): `then`
    // in order, and `then_panel` as `N:staff` for the N-th of them (from 0).
    let chosen_then = move || query.with(|q| q.get_all("then").unwrap_or_default());
    let chosen_then_panel = move || query.with(|q| q.get_all("then_panel").unwrap_or_default());
    // How many interviews the loop chosen holds.
    let loop_len = move || 1 + chosen_then().iter().filter(|t| !t.is_empty()).count();
    // A room for an on-site interview (optional).
    let chosen_room = move || query.with(|q| q.get("room").unwrap_or_default());
    // What the slot picker reads, made here: made in the view below, they would be disposed
    // when the view is rebuilt, while the old picker's pending search still reads them.
    let picked = (
        Signal::derive(chosen_plan),
        Signal::derive(chosen_panel),
        Signal::derive(chosen_then),
        Signal::derive(chosen_then_panel),
        Signal::derive(chosen_room),
    );
    let schedule = ServerAction::<ScheduleInterview>::new();
    let cancel = ServerAction::<CancelInterview>::new();
    let reschedule = ServerAction::<RescheduleInterview>::new();
    let send_link = ServerAction::<crate::interviews::scheduling::SendSchedulingLink>::new();
    let decide = ServerAction::<DecideApplication>::new();
    let link_err = action_error(send_link);
    let moving = move || query.with(|q| q.get("move").unwrap_or_default());
    let data = Resource::new(
        move || {
            (
                app_id(),
                schedule.version().get(),
                cancel.version().get(),
                reschedule.version().get(),
                decide.version().get(),
            )
        },
        |(id, ..)| application_interviews(id),
    );
    let screening = crate::screening::Screening::new(app_id);
    let move_choice = Resource::new(
        move || (moving(), reschedule.version().get()),
        |(iv, _)| async move {
            if iv.is_empty() {
                Ok(None)
            } else {
                reschedule_slots(iv).await.map(Some)
            }
        },
    );
    let slots = Resource::new(
        move || {
            (
                app_id(),
                chosen_plan(),
                chosen_panel(),
                (chosen_then(), chosen_then_panel(), chosen_room()),
                schedule.version().get(),
            )
        },
        |(id, plan, panel, (then, then_panel, room), _)| async move {
            if plan.is_empty() {
                Ok(None)
            } else {
                let room = (!room.is_empty()).then_some(room);
                propose_slots(id, plan, Some(panel), Some(then), Some(then_panel), room)
                    .await
                    .map(Some)
            }
        },
    );
    let schedule_err = action_error(schedule);
    let cancel_err = action_error(cancel);
    // Outside the page's Suspend, which is rebuilt when the booking reloads the page's data.
    let scheduled = move || matches!(schedule.value().get(), Some(Ok(_)));
    let moved = move || matches!(reschedule.value().get(), Some(Ok(_)));
    // Moved: back to the list (the banner above says so).
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move |_| {
        if moved() {
            navigate(
                &format!("/app/applications/{}", app_id()),
                leptos_router::NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });
    view! {
        <Title text="Interviews"/>
        <Show when=scheduled>
            <p class="banner banner-ok" role="status">{move || match loop_len() {
                1 => "Interview scheduled. The panel and the candidate have their calendar invitations.".to_string(),
                2 => "Both interviews scheduled, back to back. Each panel and the candidate have their calendar invitations.".to_string(),
                n => format!("All {n} interviews scheduled, back to back. Each panel and the candidate have their calendar invitations."),
            }}</p>
        </Show>
        {move || send_link.value().get().and_then(Result::ok).map(|email| view! {
            <p class="banner banner-ok" role="status">{format!("Scheduling link sent to {email}. They choose a time the whole panel has free; you will see it here.")}</p>
        })}
        <Show when=moved>
            <p class="banner banner-ok" role="status">"Interview moved. Everyone has the updated invitation."</p>
        </Show>
        <MovePicker choice=move_choice action=reschedule/>
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                or_error(data.await.map(|a| {
                    let person_href = format!("/app/people/{}", a.person_id);
                    let board_href = format!("/app/jobs/{}/board", a.job_id);
                    let plan_href = format!("/app/jobs/{}/plan", a.job_id);
                    let can_schedule = a.can_schedule;
                    let plan = a.plan.clone();
                    let staff = a.staff.clone();
                    let rooms = a.rooms.clone();
                    let app_id = a.application_id.clone();
                    let zone = a.viewer_time_zone.clone();
                    let interviews = a.interviews.clone();
                    let no_plan = a.plan.is_empty();
                    view! {
                        <Title text=format!("Interviews · {}", a.person_name)/>
                        <p class="crumbs"><a href="/app/people">"People"</a>" / "<a href=person_href.clone()>{a.person_name.clone()}</a>" / Interviews"</p>
                        <div class="page-head">
                            <h1>{format!("{}: interviews", a.person_name)}</h1>
                        </div>
                        <p class="lead"><a href=board_href>{a.job_title.clone()}</a>" · "{a.stage_name.clone()}</p>
                        <crate::screening::ScreeningPanel screening/>
                        <section class="card">
                            <h2>"Interviews"</h2>
                            <FormError error=cancel_err/>
                            {if interviews.is_empty() {
                                view! { <EmptyState title="No interviews yet" hint="Schedule the first one below: the app finds times that suit the whole panel."/> }.into_any()
                            } else {
                                view! {
                                    <ul class="plain interview-list">
                                        {interviews.into_iter().map(|iv| {
                                            let c = can_schedule.then_some(cancel);
                                            match c {
                                                Some(c) => view! { <InterviewLine iv cancel=c/> }.into_any(),
                                                None => view! { <InterviewLine iv/> }.into_any(),
                                            }
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                        </section>
                        {can_schedule.then(|| {
                            let plan = plan.clone();
                            let staff = staff.clone();
                            let rooms = rooms.clone();
                            let app_id = app_id.clone();
                            let zone = zone.clone();
                            view! {
                                <section class="card" id="schedule">
                                    <h2>"Schedule an interview"</h2>
                                    {if no_plan {
                                        view! {
                                            <EmptyState title="This job has no interview plan yet"
                                                hint="Plan the job's interviews first; each comes with its kit.">
                                                <a class="btn" href=plan_href.clone()>"Plan interviews"</a>
                                            </EmptyState>
                                        }.into_any()
                                    } else {
                                        view! {
                                            <form method="get" class="form schedule-find" action="#schedule">
                                                <div class="field">
                                                    <label for="f-plan">"Interview"</label>
                                                    <select id="f-plan" name="plan">
                                                        {plan.iter().map(|p| {
                                                            let selected = p.id == chosen_plan();
                                                            view! { <option value=p.id.clone() selected=selected>{format!("{} · {} · {} min", p.stage_name, p.name, p.duration_min)}</option> }
                                                        }).collect_view()}
                                                    </select>
                                                </div>
                                                <fieldset class="field panel-choice">
                                                    <legend>"Panel"</legend>
                                                    {staff.iter().map(|s| {
                                                        let checked = chosen_panel().contains(&s.id);
                                                        view! {
                                                            <label class="check">
                                                                <input type="checkbox" name="panel" value=s.id.clone() checked=checked/>
                                                                {s.name.clone()}<span class="muted small">{format!(" · {}", s.time_zone)}</span>
                                                            </label>
                                                        }
                                                    }).collect_view()}
                                                </fieldset>
                                                {(!rooms.is_empty()).then(|| view! {
                                                    <div class="field">
                                                        <label for="f-room">"Room"</label>
                                                        <select id="f-room" name="room">
                                                            <option value="" selected=chosen_room().is_empty()>"No room (a call, or the plan's own place)"</option>
                                                            {rooms.iter().map(|r| {
                                                                let selected = r.id == chosen_room();
                                                                view! { <option value=r.id.clone() selected=selected>{r.label()}</option> }
                                                            }).collect_view()}
                                                        </select>
                                                    </div>
                                                })}
                                                <details class="field then-choice" open={loop_len() > 1}>
                                                    <summary>"Add a second interview straight after"</summary>
                                                    // One more choice than made so far, up to a loop of four: a
                                                    // third appears once a second is chosen ("Find times").
                                                    {(0..loop_len().min(3)).map(|i| {
                                                        let current = chosen_then().get(i).cloned().unwrap_or_default();
                                                        let (label, legend) = if i == 0 {
                                                            ("Then".to_string(), "Its panel".to_string())
                                                        } else {
                                                            (format!("Interview {}", i + 2), format!("Panel of interview {}", i + 2))
                                                        };
                                                        let select_id = format!("f-then-{i}");
                                                        view! {
                                                            <div class="then-part">
                                                                <label for=select_id.clone()>{label}</label>
                                                                <select id=select_id name="then">
                                                                    <option value="" selected=current.is_empty()>"Nothing after"</option>
                                                                    {plan.iter().map(|p| {
                                                                        let selected = p.id == current;
                                                                        view! { <option value=p.id.clone() selected=selected>{format!("{} · {} · {} min", p.stage_name, p.name, p.duration_min)}</option> }
                                                                    }).collect_view()}
                                                                </select>
                                                                <fieldset class="panel-choice">
                                                                    <legend>{legend}</legend>
                                                                    {staff.iter().map(|s| {
                                                                        let value = format!("{i}:{}", s.id);
                                                                        let checked = chosen_then_panel().contains(&value);
                                                                        view! {
                                                                            <label class="check">
                                                                                <input type="checkbox" name="then_panel" value=value checked=checked/>
                                                                                {s.name.clone()}<span class="muted small">{format!(" · {}", s.time_zone)}</span>
                                                                            </label>
                                                                        }
                                                                    }).collect_view()}
                                                                </fieldset>
                                                            </div>
                                                        }
                                                    }).collect_view()}
                                                </details>
                                                <button type="submit" class="btn">"Find times"</button>
                                            </form>
                                            <SlotPicker slots app_id=app_id.clone() plan_id=picked.0 panel=picked.1
                                                then_plan=picked.2 then_panel=picked.3
                                                room=picked.4 schedule zone=zone.clone()/>
                                            {let app_id = app_id.clone(); move || { let app_id = app_id.clone(); (!chosen_plan().is_empty() && !chosen_panel().is_empty()).then(move || view! {
                                                <PostForm action=send_link attr:class="form send-link">
                                                    <input type="hidden" name="application_id" value=app_id/>
                                                    <input type="hidden" name="plan_id" value=chosen_plan()/>
                                                    {chosen_panel().into_iter().map(|p| view! { <input type="hidden" name="interviewers[]" value=p/> }).collect_view()}
                                                    {(!chosen_room().is_empty()).then(|| view! { <input type="hidden" name="room_id" value=chosen_room()/> })}
                                                    {chosen_then().into_iter().map(|p| view! { <input type="hidden" name="then_plan_id[]" value=p/> }).collect_view()}
                                                    {chosen_then_panel().into_iter().map(|p| view! { <input type="hidden" name="then_interviewers[]" value=p/> }).collect_view()}
                                                    <p class="muted">{match (loop_len(), chosen_room().is_empty()) {
                                                        (1, true) => "Or let the candidate choose: they get a link to pick any of these times themselves, and can move it later.".to_string(),
                                                        (1, false) => "Or let the candidate choose: they get a link to pick any of these times (when the room is free too), and can move it later.".to_string(),
                                                        (2, _) => "Or let the candidate choose: they get a link to pick any of these times for both interviews, back to back, and can move them later.".to_string(),
                                                        (n, _) => format!("Or let the candidate choose: they get a link to pick any of these times for all {n} interviews, back to back, and can move them later."),
                                                    }}</p>
                                                    <button type="submit" class="btn">"Send the candidate a scheduling link"</button>
                                                    <FormError error=link_err/>
                                                </PostForm>
                                            })}}
                                            <FormError error=crate::components::general_error(schedule_err)/>
                                            <p class="field-error" role="alert">{move || field_error(schedule_err, "starts_at").get()}</p>
                                            <p class="field-error" role="alert">{move || field_error(schedule_err, "interviewers").get()}</p>
                                        }.into_any()
                                    }}
                                </section>
                            }
                        })}
                        <section class="card">
                            <h2>"Debrief"</h2>
                            <DebriefTable d=a.debrief.clone()/>
                            <DecisionPanel app_id=a.application_id.clone() decisions=a.decisions.clone() can_decide=a.can_decide next=a.next_stage_name.clone() action=decide/>
                        </section>
                    }
                }))
            })}
        </Transition>
        // Outside the page's Transition: its resource is created once with the page, not inside
        // a Suspend (resources made there did not hydrate, and the page stopped working).
        <crate::offers::OfferPanel application_id=app_id()/>
    }
}

/// The hiring decisions so far, and the form to take one (advance or reject, with a reason).
#[component]
fn DecisionPanel(
    app_id: String,
    decisions: Vec<Decision>,
    can_decide: bool,
    next: Option<String>,
    action: ServerAction<DecideApplication>,
) -> impl IntoView {
    let err = action_error(action);
    view! {
        <div class="decisions" aria-labelledby="decision-title">
            <h3 id="decision-title">"Decision"</h3>
            {(!decisions.is_empty()).then(|| view! {
                <ul class="plain decision-list">
                    {decisions.into_iter().map(|d| {
                        let (tone, word) = if d.decision == "advance" { (Tone::Ok, "Advance") } else { (Tone::Danger, "Reject") };
                        view! {
                            <li class="decision">
                                <Badge tone=tone>{word}</Badge>" "
                                <strong>{d.by.clone()}</strong>
                                <span class="muted small">{format!(" · at {} · {}", d.stage_name, crate::components::format_datetime(&d.at))}</span>
                                <p>{d.reason.clone()}</p>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
            {can_decide.then(|| view! {
                <PostForm action=action attr:class="form decision-form">
                    <input type="hidden" name="application_id" value=app_id.clone()/>
                    <fieldset class="field rating-choice">
                        <legend>"After the debrief"</legend>
                        {next.clone().map(|n| view! {
                            <label class="check"><input type="radio" name="decision" value="advance" required=true/>{format!("Advance to {n}")}</label>
                        })}
                        <label class="check"><input type="radio" name="decision" value="reject" required=true/>"Reject"</label>
                    </fieldset>
                    <p class="field-error" role="alert">{move || field_error(err, "decision").get()}</p>
                    <TextArea label="Reason" name="reason" rows=3 required=true error=field_error(err, "reason")/>
                    <FormError error=crate::components::general_error(err)/>
                    <button type="submit" class="btn primary">"Record decision"</button>
                </PostForm>
            })}
        </div>
    }
}
