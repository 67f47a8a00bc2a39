//! The staff home for those who work on jobs: to-dos first, then every job's pipeline.

use super::api::load_dashboard;
use super::types::*;
use crate::components::{
    Avatar, Badge, EmptyState, Loading, TodoCard, Tone, format_datetime, or_error,
};
use crate::jobs::types::JobStatus;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn HomeDashboard() -> impl IntoView {
    let user = crate::auth::views::use_staff();
    let data = Resource::new(|| (), |_| load_dashboard());
    // The reports' headline numbers for the default period (made here, with the page).
    let numbers = Resource::new(|| (), |_| crate::reports::api::home_numbers());
    let first_name = user
        .name
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_string();
    let can_create = user.role.manages_jobs();
    let reviews = crate::reviews::ReviewRequests::new(can_create);
    view! {
        <Title text="Home"/>
        <div class="page-head">
            <h1>{format!("Hello, {first_name}")}</h1>
            {can_create.then(|| view! { <a class="btn primary" href="/app/jobs/new">"New job"</a> })}
        </div>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                or_error(data.await.map(|d| view! { <DashboardView d=d can_create=can_create reviews/> }))
            })}
        </Suspense>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                // Numbers are a bonus here: the reports page shows their error if they fail.
                numbers.await.ok().map(|r| view! { <crate::reports::views::HomeNumbers r/> })
            })}
        </Suspense>
    }
}

#[component]
fn DashboardView(
    d: Dashboard,
    can_create: bool,
    reviews: crate::reviews::ReviewRequests,
) -> impl IntoView {
    let since = d
        .since
        .as_deref()
        .map(|s| format!("since your last visit ({})", format_datetime(s)))
        .unwrap_or_else(|| format!("in the last {NEW_DAYS_DEFAULT} days"));
    let (approvals_count, new_total, stuck_total) = (d.approvals.len(), d.new_total, d.stuck_total);
    let approvals_tone = if d.approvals.is_empty() {
        Tone::Neutral
    } else {
        Tone::Warn
    };
    let stuck_tone = if d.stuck_total > 0 {
        Tone::Danger
    } else {
        Tone::Neutral
    };
    view! {
        <div class="dashboard">
            <TodoCard id="todo-approvals" title="Waiting for your approval" count=approvals_count tone=approvals_tone>
                {if d.approvals.is_empty() {
                    view! { <p class="muted">"Nothing waits for you."</p> }.into_any()
                } else {
                    view! {
                        <ul class="plain todo-list">
                            {d.approvals.iter().map(|a| view! {
                                <li>
                                    <a href="/app/approvals">{a.job_title.clone()}</a>
                                    <span class="muted small">" · requested by "{a.requested_by.clone()}</span>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </TodoCard>
            <TodoCard id="todo-new" title="New applicants" count=new_total as usize tone=Tone::Brand note=since>
                <PeopleList items=d.new_applicants.clone() empty="No one new yet." show_days=false/>
            </TodoCard>
            {can_create.then(|| view! { <crate::reviews::ReviewRequestsCard requests=reviews/> })}
            <TodoCard id="todo-stuck" title=format!("Stuck for {STUCK_DAYS}+ days") count=stuck_total as usize tone=stuck_tone
                note="Active candidates nobody has moved in a while: move, reject or follow up.">
                <PeopleList items=d.stuck.clone() empty="Nobody is stuck." show_days=true/>
            </TodoCard>
        </div>
        <h2>"Jobs"</h2>
        {if d.jobs.is_empty() {
            view! {
                <EmptyState title="No jobs yet" hint="Create a job, get it approved, and publish it on the careers page.">
                    {can_create.then(|| view! { <a class="btn primary" href="/app/jobs/new">"New job"</a> })}
                </EmptyState>
            }.into_any()
        } else {
            view! {
                <ul class="plain job-pipelines">
                    {d.jobs.into_iter().map(|j| {
                        let max = j.stages.iter().map(|s| s.count).max().unwrap_or(0).max(1);
                        let tone = match j.status { JobStatus::Open => Tone::Ok, JobStatus::Draft => Tone::Warn, JobStatus::Closed => Tone::Neutral };
                        view! {
                            <li class="card job-pipeline" data-job=j.id.clone()>
                                <div class="job-pipeline-head">
                                    <a class="job-title" href=format!("/app/jobs/{}", j.id)>{j.title.clone()}</a>
                                    <Badge tone=tone>{j.status.label()}</Badge>
                                    <span class="muted small">{format!("{} active", j.active)}</span>
                                    <a class="btn small" href=format!("/app/jobs/{}/board", j.id)>"Pipeline"</a>
                                </div>
                                <ol class="stage-bars" aria-label=format!("Candidates per stage for {}", j.title)>
                                    {j.stages.into_iter().map(|s| {
                                        let pct = s.count * 100 / max;
                                        view! {
                                            <li class="stage-bar">
                                                <span class="stage-bar-name">{s.name.clone()}</span>
                                                <span class="stage-bar-track"><span class="stage-bar-fill" style=format!("width: {pct}%")></span></span>
                                                <span class="stage-bar-count">{s.count}</span>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ol>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        <p><a href="/app/jobs">"All jobs, including closed ones"</a></p>
    }
}

#[component]
fn PeopleList(items: Vec<PipelineItem>, empty: &'static str, show_days: bool) -> impl IntoView {
    if items.is_empty() {
        return view! { <p class="muted">{empty}</p> }.into_any();
    }
    view! {
        <ul class="plain todo-list">
            {items.into_iter().map(|i| view! {
                <li class="todo-person">
                    <Avatar name=i.name.clone()/>
                    <span>
                        <a href=format!("/app/people/{}", i.person_id)>{i.name.clone()}</a>
                        <span class="muted small block">
                            <a class="muted" href=format!("/app/jobs/{}/board", i.job_id)>{i.job_title.clone()}</a>
                            {format!(" · {}", i.stage_name)}
                            {show_days.then(|| format!(" · {} days", i.days_in_stage))}
                        </span>
                    </span>
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}
