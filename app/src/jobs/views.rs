//! Staff job pages: list, create, details.

use super::api::*;
use super::types::*;
use crate::auth::views::use_staff;
use crate::components::PostForm;
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
    let locked = j
        .as_ref()
        .is_some_and(|j| !j.approval_status.requisition_editable());
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
                    {managers.iter().map(|m| {
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
        <div class="row">
            <Field label="Posting valid until" name="valid_through" kind="date"
                value=j.as_ref().and_then(|j| j.valid_through.clone())
                hint="Optional. Job boards drop the posting after this day (default: 60 days after publishing)."
                error=field_error(err, "valid_through")/>
            <Field label="Target start date" name="target_start" kind="date"
                value=j.as_ref().and_then(|j| j.target_start.clone()) error=field_error(err, "target_start")/>
        </div>
        <fieldset class="requisition">
            <legend>"Requisition"</legend>
            {if locked {
                let jj = j.clone().expect("locked implies a job");
                view! {
                    <p class="muted">"Headcount, salary and approvers are locked while approval is pending or granted. Withdraw the approval request to change them."</p>
                    <p>{crate::approvals::types::requisition_summary(jj.headcount, jj.salary_min, jj.salary_max, jj.salary_currency.as_deref(), jj.salary_period.as_deref(), None)}</p>
                    <input type="hidden" name="headcount" value=jj.headcount.to_string()/>
                    <input type="hidden" name="salary_min" value=jj.salary_min.map(|v| v.to_string()).unwrap_or_default()/>
                    <input type="hidden" name="salary_max" value=jj.salary_max.map(|v| v.to_string()).unwrap_or_default()/>
                    <input type="hidden" name="salary_currency" value=jj.salary_currency.clone().unwrap_or_default()/>
                    <input type="hidden" name="salary_period" value=jj.salary_period.clone().unwrap_or_default()/>
                    {jj.approvers.iter().map(|a| view! { <input type="hidden" name="approvers[]" value=a.id.clone()/> }).collect_view()}
                }.into_any()
            } else {
                let current: Vec<String> = j.as_ref().map(|j| j.approvers.iter().map(|a| a.id.clone()).collect()).unwrap_or_default();
                let period = j.as_ref().and_then(|j| j.salary_period.clone()).unwrap_or_else(|| "YEAR".into());
                view! {
                    <div class="row">
                        <Field label="Headcount" name="headcount" kind="number"
                            value=Some(j.as_ref().map(|j| j.headcount).unwrap_or(1).to_string())
                            error=field_error(err, "headcount")/>
                        <Field label="Salary from" name="salary_min" kind="text" placeholder="e.g. 60000"
                            value=j.as_ref().and_then(|j| j.salary_min).map(|v| v.to_string())
                            error=field_error(err, "salary_min")/>
                        <Field label="Salary to" name="salary_max" kind="text" placeholder="e.g. 80000"
                            value=j.as_ref().and_then(|j| j.salary_max).map(|v| v.to_string())
                            error=field_error(err, "salary_max")/>
                        <Field label="Currency" name="salary_currency" placeholder="EUR"
                            value=j.as_ref().and_then(|j| j.salary_currency.clone())
                            error=field_error(err, "salary_currency")/>
                        <div class="field">
                            <label for="f-salary_period">"Per"</label>
                            <select id="f-salary_period" name="salary_period">
                                {[("YEAR", "year"), ("MONTH", "month"), ("HOUR", "hour")].into_iter().map(|(v, l)| {
                                    let sel = v == period;
                                    view! { <option value=v selected=sel>{l}</option> }
                                }).collect_view()}
                            </select>
                        </div>
                    </div>
                    <div class="approver-chain">
                        <p class="field-label">"Approvers, in order (each one is asked after the previous one approves)"</p>
                        {(0..3).map(|i| {
                            let chosen = current.get(i).cloned().unwrap_or_default();
                            let id = format!("f-approver-{i}");
                            view! {
                                <div class="field inline-field">
                                    <label for=id.clone()>{format!("{}.", i + 1)}</label>
                                    <select id=id name="approvers[]">
                                        <option value="" selected=chosen.is_empty()>"—"</option>
                                        {managers.iter().map(|m| {
                                            let sel = m.id == chosen;
                                            view! { <option value=m.id.clone() selected=sel>{m.name.clone()}</option> }
                                        }).collect_view()}
                                    </select>
                                </div>
                            }
                        }).collect_view()}
                        <p class="field-error" id="f-approvers-error" role="alert">{move || field_error(err, "approvers").get()}</p>
                    </div>
                }.into_any()
            }}
        </fieldset>
    }
}

#[component]
pub fn NewJobPage() -> impl IntoView {
    let create = ServerAction::<CreateJob>::new();
    let err = action_error(create);
    let managers = Resource::new(|| (), |_| hiring_manager_options());
    view! {
        <Title text="New job"/>
        <p class="crumbs"><a href="/app/jobs">"Jobs"</a>" / New"</p>
        <h1>"New job"</h1>
        <p class="muted">"Jobs start as drafts with the pipeline Applied → Phone screen → Interview → Offer → Hired. Publish when ready."</p>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                or_error(managers.await.map(|managers| view! {
                    <FormError error=crate::components::general_error(err)/>
                    <PostForm action=create attr:class="card form" attr:novalidate=true>
                        <JobFields job=None managers=managers err=err/>
                        <button type="submit" class="btn primary">"Create draft"</button>
                    </PostForm>
                }))
            })}
        </Suspense>
    }
}

#[component]
pub fn JobDetailPage() -> impl IntoView {
    use crate::anonymity::{AnonymisedReview, api::SetAnonymisedReview};
    use crate::approvals::api::{RequestApproval, WithdrawApproval, approval_steps};
    use crate::approvals::types::ApprovalStatus;
    use crate::pipeline::api::EditStage;
    let params = use_params_map();
    let job_id = move || params.with(|p| p.get("id").unwrap_or_default());
    let user = use_staff();
    let update = ServerAction::<UpdateJob>::new();
    let status = ServerAction::<SetJobStatus>::new();
    let request = ServerAction::<RequestApproval>::new();
    let withdraw = ServerAction::<WithdrawApproval>::new();
    let stages = ServerAction::<EditStage>::new();
    let anonymise = ServerAction::<SetAnonymisedReview>::new();
    let versions = move || {
        (
            anonymise.version().get(),
            update.version().get(),
            status.version().get(),
            request.version().get(),
            withdraw.version().get(),
            stages.version().get(),
        )
    };
    let job = Resource::new(move || (job_id(), versions()), |(id, _)| get_job(id));
    let steps = Resource::new(move || (job_id(), versions()), |(id, _)| approval_steps(id));
    let activity = Resource::new(move || (job_id(), versions()), |(id, _)| job_activity(id));
    let managers = Resource::new(|| (), |_| hiring_manager_options());
    let update_err = action_error(update);
    let status_err = action_error(status);
    let request_err = action_error(request);
    let withdraw_err = action_error(withdraw);
    let stage_err = action_error(stages);
    // Made here, not in the view below: the view is rebuilt when an action's version changes,
    // which disposes what its last build made while the old view may still read it (the same
    // completion changes the action's value too).
    let stage_general = Signal::derive(move || {
        stage_err
            .get()
            .filter(|e| e.field_message("stage").is_none())
    });
    let stage_field = field_error(stage_err, "stage");
    let can_edit = user.role.manages_jobs();
    view! {
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                // Every part of the page loaded, or the page says what failed (never an empty list).
                let loaded = async {
                    let j = job.await?;
                    let managers = if can_edit { managers.await? } else { Vec::new() };
                    Ok::<_, AppError>((j, managers, steps.await?, activity.await?))
                };
                or_error(loaded.await.map(|(j, managers, steps, activity)| {
                    let board = format!("/app/jobs/{}/board", j.id);
                    let public = format!("/jobs/{}", j.id);
                    let status_class = format!("status status-{}", j.status.as_str());
                    let id_for_forms = j.id.clone();
                    let saved = move || matches!(update.value().get(), Some(Ok(())));
                    let approved = j.approval_status == ApprovalStatus::Approved;
                    let approval_status = j.approval_status;
                    let no_approvers = j.approvers.is_empty();
                    let job_status = j.status;
                    let stage_list = j.stages.clone();
                    let approval_class = format!("status approval-{}", j.approval_status.as_str());
                    view! {
                        <Title text=j.title.clone()/>
                        <p class="crumbs"><a href="/app/jobs">"Jobs"</a>" / "{j.title.clone()}</p>
                        <div class="page-head">
                            <h1>{j.title.clone()}</h1>
                            <span class=status_class>{j.status.label()}</span>
                        </div>
                        <p class="actions">
                            <a class="btn primary" href=board>"Open pipeline"</a>
                            <a class="btn" href=format!("/app/jobs/{}/plan", j.id)>"Interview plan"</a>
                            <a class="btn" href=format!("/app/jobs/{}/screening", j.id)>"Screening"</a>
                            {(j.status == JobStatus::Open).then(|| view! { <a class="btn" href=public.clone()>"View on careers page"</a> })}
                        </p>
                        <FormError error=status_err/>
                        {can_edit.then(|| {
                            let id1 = id_for_forms.clone();
                            view! {
                                <div class="card status-actions">
                                    {match j.status {
                                        JobStatus::Draft | JobStatus::Closed => view! {
                                            <PostForm action=status attr:class="inline">
                                                <input type="hidden" name="job_id" value=id1.clone()/>
                                                <input type="hidden" name="status" value="open"/>
                                                <button type="submit" class="btn primary" disabled=!approved>
                                                    {if j.status == JobStatus::Draft { "Publish" } else { "Reopen" }}
                                                </button>
                                            </PostForm>
                                            <span class="muted">{if approved {
                                                "Published jobs appear on the careers page, in the job feeds and accept applications."
                                            } else {
                                                "Publishing needs the requisition approved first (see Approval below)."
                                            }}</span>
                                        }.into_any(),
                                        JobStatus::Open => view! {
                                            <PostForm action=status attr:class="inline">
                                                <input type="hidden" name="job_id" value=id1.clone()/>
                                                <input type="hidden" name="status" value="closed"/>
                                                <button type="submit" class="btn danger">"Close job"</button>
                                            </PostForm>
                                            <span class="muted">"Published "{j.published_at.as_deref().map(format_date).unwrap_or_default()}"."</span>
                                        }.into_any(),
                                    }}
                                </div>
                            }
                        })}
                        <section class="card approval" aria-labelledby="approval-heading">
                            <div class="page-head">
                                <h2 id="approval-heading">"Approval"</h2>
                                <span class=approval_class>{j.approval_status.label()}</span>
                            </div>
                            <p>{crate::approvals::types::requisition_summary(j.headcount, j.salary_min, j.salary_max, j.salary_currency.as_deref(), j.salary_period.as_deref(), j.target_start.as_deref())}</p>
                            {if steps.is_empty() {
                                view! { <p class="muted">{if j.approvers.is_empty() {
                                    "No approvers yet: choose them in the requisition below.".to_string()
                                } else {
                                    format!("Approvers: {}", j.approvers.iter().map(|a| a.name.clone()).collect::<Vec<_>>().join(" → "))
                                }}</p> }.into_any()
                            } else {
                                view! {
                                    <ol class="approval-steps">
                                        {steps.iter().map(|s| view! {
                                            <li class=format!("step step-{}", s.status)>
                                                <strong>{s.approver_name.clone()}</strong>" · "
                                                <span class="step-status">{match s.status.as_str() {
                                                    "approved" => format!("approved {}", s.decided_at.as_deref().map(format_date).unwrap_or_default()),
                                                    "rejected" => format!("rejected {}", s.decided_at.as_deref().map(format_date).unwrap_or_default()),
                                                    "pending" => "asked, waiting for a decision".to_string(),
                                                    "waiting" => "next in line".to_string(),
                                                    _ => "no longer needed".to_string(),
                                                }}</span>
                                                {s.reason.clone().map(|r| view! { <p class="reason">"“"{r}"”"</p> })}
                                            </li>
                                        }).collect_view()}
                                    </ol>
                                }.into_any()
                            }}
                            <FormError error=request_err/>
                            <FormError error=withdraw_err/>
                            {(can_edit && job_status == JobStatus::Draft).then(|| {
                                let id3 = id_for_forms.clone();
                                match approval_status {
                                    ApprovalStatus::NotRequested | ApprovalStatus::Rejected => view! {
                                        <PostForm action=request attr:class="inline">
                                            <input type="hidden" name="job_id" value=id3/>
                                            <button type="submit" class="btn primary" disabled=no_approvers>"Request approval"</button>
                                        </PostForm>
                                    }.into_any(),
                                    ApprovalStatus::Pending | ApprovalStatus::Approved => view! {
                                        <PostForm action=withdraw attr:class="inline">
                                            <input type="hidden" name="job_id" value=id3/>
                                            <button type="submit" class="btn">"Withdraw approval request"</button>
                                        </PostForm>
                                    }.into_any(),
                                }
                            })}
                        </section>
                        <section class="card stages-editor" aria-labelledby="stages-heading">
                            <h2 id="stages-heading">"Pipeline stages"</h2>
                            <FormError error=stage_general/>
                            <p class="field-error" role="alert">{move || stage_field.get()}</p>
                            <ol class="stage-list">
                                {stage_list.into_iter().map(|s| {
                                    let jid = id_for_forms.clone();
                                    let (j1, j2, j3) = (jid.clone(), jid.clone(), jid.clone());
                                    let hired = s.kind == StageKind::Hired;
                                    let sid = s.id.clone();
                                    let (s1, s2, s3) = (sid.clone(), sid.clone(), sid.clone());
                                    let input_id = format!("stage-name-{}", s.id);
                                    let label = format!("Name of stage {}", s.name);
                                    view! {
                                        <li class="stage-row">
                                            {if can_edit {
                                                view! {
                                                    <PostForm action=stages attr:class="inline-form">
                                                        <input type="hidden" name="job_id" value=jid.clone()/>
                                                        <input type="hidden" name="op" value="rename"/>
                                                        <input type="hidden" name="stage" value=sid.clone()/>
                                                        <label class="visually-hidden" for=input_id.clone()>{label}</label>
                                                        <input id=input_id name="name" value=s.name.clone()/>
                                                        <button type="submit" class="btn small">"Rename"</button>
                                                    </PostForm>
                                                    {(!hired).then(|| view! {
                                                        <StageButton action=stages job_id=j1 stage=s1 op="up" label="Move up" text="↑"/>
                                                        <StageButton action=stages job_id=j2 stage=s2 op="down" label="Move down" text="↓"/>
                                                        <StageButton action=stages job_id=j3 stage=s3 op="remove" label="Remove" text="Remove"/>
                                                    })}
                                                }.into_any()
                                            } else {
                                                view! { <span>{s.name.clone()}</span> }.into_any()
                                            }}
                                        </li>
                                    }
                                }).collect_view()}
                            </ol>
                            {can_edit.then(|| {
                                let jid = id_for_forms.clone();
                                view! {
                                    <PostForm action=stages attr:class="inline-form">
                                        <input type="hidden" name="job_id" value=jid/>
                                        <input type="hidden" name="op" value="add"/>
                                        <label for="new-stage">"New stage (added before Hired)"</label>
                                        <input id="new-stage" name="name" placeholder="e.g. Take-home test"/>
                                        <button type="submit" class="btn">"Add stage"</button>
                                    </PostForm>
                                }
                            })}
                        </section>
                        <AnonymisedReview action=anonymise job_id=id_for_forms.clone() stages=j.stages.clone()
                            until=j.anonymise_until.clone() can_edit=can_edit/>
                        {if can_edit {
                            let id2 = id_for_forms.clone();
                            view! {
                                <section>
                                    <h2>"Details"</h2>
                                    <FormError error=crate::components::general_error(update_err)/>
                                    <PostForm action=update attr:class="card form" attr:novalidate=true>
                                        <input type="hidden" name="job_id" value=id2/>
                                        <JobFields job=Some(j.clone()) managers=managers.clone() err=update_err/>
                                        <button type="submit" class="btn primary">"Save changes"</button>
                                        <span class="saved" role="status">{move || saved().then_some("Saved.")}</span>
                                    </PostForm>
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
                        <section class="card">
                            <h2>"Activity"</h2>
                            <crate::people::views::ActivityList entries=activity.clone() class="job-activity"/>
                        </section>
                    }
                }))
            })}
        </Transition>
    }
}

#[component]
fn StageButton(
    action: ServerAction<crate::pipeline::api::EditStage>,
    job_id: String,
    stage: String,
    op: &'static str,
    label: &'static str,
    text: &'static str,
) -> impl IntoView {
    view! {
        <PostForm action=action attr:class="inline">
            <input type="hidden" name="job_id" value=job_id/>
            <input type="hidden" name="op" value=op/>
            <input type="hidden" name="stage" value=stage/>
            <button type="submit" class="btn small" aria-label=label title=label>{text}</button>
        </PostForm>
    }
}
