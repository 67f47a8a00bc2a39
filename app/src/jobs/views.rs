//! Staff job pages: list, create, details.

use super::api::*;
use super::types::*;
use crate::auth::views::use_staff;
use crate::components::{
    Field, FormError, Loading, TextArea, action_error, field_error, format_date, or_error,
};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn JobsPage() -> impl IntoView {
    let user = use_staff();
    let jobs = Resource::new(|| (), |_| list_jobs());
    view! {
        <Title text="Jobs"/>
        <div class="page-head">
            <h1>"Jobs"</h1>
            {user.role.manages_jobs().then(|| view! { <a class="btn primary" href="/app/jobs/new">"New job"</a> })}
        </div>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                or_error(jobs.await.map(|jobs| {
                    if jobs.is_empty() {
                        return view! { <p class="empty">"No jobs yet."</p> }.into_any();
                    }
                    view! {
                        <ul class="job-list">
                            {jobs.into_iter().map(|j| {
                                let href = format!("/app/jobs/{}", j.id);
                                let board = format!("/app/jobs/{}/board", j.id);
                                let status_class = format!("status status-{}", j.status.as_str());
                                view! {
                                    <li class="job-row card">
                                        <div>
                                            <a class="job-title" href=href>{j.title.clone()}</a>
                                            <p class="muted">
                                                {[j.department.clone(), place_line(&j.location, j.remote), j.employment_type.label().to_string()]
                                                    .into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" · ")}
                                            </p>
                                        </div>
                                        <div class="job-row-side">
                                            <span class=status_class>{j.status.label()}</span>
                                            <a class="btn" href=board>{format!("Pipeline ({})", j.active_applications)}</a>
                                        </div>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }))
            })}
        </Suspense>
    }
}

/// The fields shared by the create and edit forms.
#[component]
fn JobFields(
    job: Option<JobDetail>,
    managers: Vec<StaffOption>,
    #[prop(into)] err: Signal<Option<AppError>>,
) -> impl IntoView {
    let j = job.clone();
    let et = j
        .as_ref()
        .map(|j| j.employment_type)
        .unwrap_or(EmploymentType::FullTime);
    let hm = j
        .as_ref()
        .and_then(|j| j.hiring_manager_id.clone())
        .unwrap_or_default();
    let remote = j.as_ref().map(|j| j.remote).unwrap_or(false);
    view! {
        <Field label="Job title" name="title" required=true value=j.as_ref().map(|j| j.title.clone())
            error=field_error(err, "title")/>
        <div class="row">
            <Field label="Department" name="department" value=j.as_ref().map(|j| j.department.clone())
                error=field_error(err, "department")/>
            <Field label="Location" name="location" value=j.as_ref().map(|j| j.location.clone())
                hint="City and country, e.g. Berlin, Germany" error=field_error(err, "location")/>
        </div>
        <div class="field checkbox">
            <input type="checkbox" id="f-remote" name="remote" value="on" checked=remote/>
            <label for="f-remote">"Remote: people can work from anywhere"</label>
        </div>
        <div class="row">
            <div class="field">
                <label for="f-employment_type">"Employment type"</label>
                <select id="f-employment_type" name="employment_type">
                    {EmploymentType::ALL.into_iter().map(|t| view! {
                        <option value=t.as_str() selected=t == et>{t.label()}</option>
                    }).collect_view()}
                </select>
                <p class="field-error" role="alert">{move || field_error(err, "employment_type").get()}</p>
            </div>
            <div class="field">
                <label for="f-hiring_manager">"Hiring manager"</label>
                <select id="f-hiring_manager" name="hiring_manager">
                    <option value="" selected=hm.is_empty()>"None yet"</option>
                    {managers.into_iter().map(|m| {
                        let sel = m.id == hm;
                        view! { <option value=m.id.clone() selected=sel>{m.name.clone()}</option> }
                    }).collect_view()}
                </select>
                <p class="field-error" role="alert">{move || field_error(err, "hiring_manager").get()}</p>
            </div>
        </div>
        <TextArea label="Description" name="description" required=true rows=12
            value=j.as_ref().map(|j| j.description.clone())
            hint="What the role is, what the person will do, what they need. Blank lines separate paragraphs."
            error=field_error(err, "description")/>
    }
}

#[component]
pub fn NewJobPage() -> impl IntoView {
    let create = ServerAction::<CreateJob>::new();
    let err = action_error(create);
    let managers = Resource::new(|| (), |_| hiring_manager_options());
    view! {
        <Title text="New job"/>
        <p class="crumbs"><a href="/app">"Jobs"</a>" / New"</p>
        <h1>"New job"</h1>
        <p class="muted">"Jobs start as drafts with the pipeline Applied → Phone screen → Interview → Offer → Hired. Publish when ready."</p>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                or_error(managers.await.map(|managers| view! {
                    <FormError error=Signal::derive(move || err.get().filter(|e| !matches!(e, AppError::Validation(_))))/>
                    <ActionForm action=create attr:class="card form" attr:novalidate=true>
                        <JobFields job=None managers=managers err=err/>
                        <button type="submit" class="btn primary">"Create draft"</button>
                    </ActionForm>
                }))
            })}
        </Suspense>
    }
}

#[component]
pub fn JobDetailPage() -> impl IntoView {
    let params = use_params_map();
    let job_id = move || params.with(|p| p.get("id").unwrap_or_default());
    let user = use_staff();
    let update = ServerAction::<UpdateJob>::new();
    let status = ServerAction::<SetJobStatus>::new();
    let job = Resource::new(
        move || (job_id(), update.version().get(), status.version().get()),
        |(id, _, _)| get_job(id),
    );
    let managers = Resource::new(|| (), |_| hiring_manager_options());
    let update_err = action_error(update);
    let status_err = action_error(status);
    let can_edit = user.role.manages_jobs();
    view! {
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                let job = job.await;
                let managers = if can_edit { managers.await.unwrap_or_default() } else { Vec::new() };
                or_error(job.map(|j| {
                    let board = format!("/app/jobs/{}/board", j.id);
                    let public = format!("/jobs/{}", j.id);
                    let status_class = format!("status status-{}", j.status.as_str());
                    let id_for_forms = j.id.clone();
                    let saved = move || matches!(update.value().get(), Some(Ok(())));
                    view! {
                        <Title text=j.title.clone()/>
                        <p class="crumbs"><a href="/app">"Jobs"</a>" / "{j.title.clone()}</p>
                        <div class="page-head">
                            <h1>{j.title.clone()}</h1>
                            <span class=status_class>{j.status.label()}</span>
                        </div>
                        <p class="actions">
                            <a class="btn primary" href=board>"Open pipeline"</a>
                            {(j.status == JobStatus::Open).then(|| view! { <a class="btn" href=public.clone()>"View on careers page"</a> })}
                        </p>
                        <FormError error=status_err/>
                        {can_edit.then(|| {
                            let id1 = id_for_forms.clone();
                            view! {
                                <div class="card status-actions">
                                    {match j.status {
                                        JobStatus::Draft | JobStatus::Closed => view! {
                                            <ActionForm action=status attr:class="inline">
                                                <input type="hidden" name="job_id" value=id1.clone()/>
                                                <input type="hidden" name="status" value="open"/>
                                                <button type="submit" class="btn primary">
                                                    {if j.status == JobStatus::Draft { "Publish" } else { "Reopen" }}
                                                </button>
                                            </ActionForm>
                                            <span class="muted">"Published jobs appear on the careers page and accept applications."</span>
                                        }.into_any(),
                                        JobStatus::Open => view! {
                                            <ActionForm action=status attr:class="inline">
                                                <input type="hidden" name="job_id" value=id1.clone()/>
                                                <input type="hidden" name="status" value="closed"/>
                                                <button type="submit" class="btn danger">"Close job"</button>
                                            </ActionForm>
                                            <span class="muted">"Published "{j.published_at.as_deref().map(format_date).unwrap_or_default()}"."</span>
                                        }.into_any(),
                                    }}
                                </div>
                            }
                        })}
                        <section>
                            <h2>"Pipeline stages"</h2>
                            <ol class="stage-chips">
                                {j.stages.iter().map(|s| view! { <li>{s.name.clone()}</li> }).collect_view()}
                            </ol>
                        </section>
                        {if can_edit {
                            let id2 = id_for_forms.clone();
                            view! {
                                <section>
                                    <h2>"Details"</h2>
                                    <FormError error=Signal::derive(move || update_err.get().filter(|e| !matches!(e, AppError::Validation(_))))/>
                                    <ActionForm action=update attr:class="card form" attr:novalidate=true>
                                        <input type="hidden" name="job_id" value=id2/>
                                        <JobFields job=Some(j.clone()) managers=managers.clone() err=update_err/>
                                        <button type="submit" class="btn primary">"Save changes"</button>
                                        <span class="saved" role="status">{move || saved().then_some("Saved.")}</span>
                                    </ActionForm>
                                </section>
                            }.into_any()
                        } else {
                            view! {
                                <section class="card">
                                    <h2>"Description"</h2>
                                    {crate::components::paragraphs(&j.description)}
                                </section>
                            }.into_any()
                        }}
                    }
                }))
            })}
        </Suspense>
    }
}
