//! Sourcing prospects into a job: the form that adds the people ticked in a pool or segment list
//! to a job's pipeline as sourced.

use super::api::AddPeopleToJob;
use crate::components::PostForm;
use crate::components::action_error;
use leptos::prelude::*;

/// The open jobs to source into. A page makes it in its own body, not inside its `Suspend`: a
/// resource created there is not matched with the server's data while hydrating, so the browser
/// read the list again, and when a job had opened or closed meanwhile the page failed to hydrate.
pub type OpenJobs = Resource<Result<Vec<crate::jobs::types::PublicJob>, crate::error::AppError>>;

pub fn open_jobs() -> OpenJobs {
    Resource::new(|| (), |_| crate::jobs::api::list_open_jobs())
}

/// Adds the people ticked in the members table below to a job's pipeline (prospect → applicant).
#[component]
pub fn SourceIntoJob(jobs: OpenJobs) -> impl IntoView {
    let action = ServerAction::<AddPeopleToJob>::new();
    let err = action_error(action);
    view! {
        <PostForm action=action attr:id="source-form" attr:class="inline-form source-form">
            <label for="source-job">"Add the ticked people to a job's pipeline"</label>
            <select id="source-job" name="job_id">
                <option value="">"Choose a job"</option>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        jobs.await.unwrap_or_default().into_iter().map(|j| view! { <option value=j.id.clone()>{j.title.clone()}</option> }).collect_view()
                    })}
                </Suspense>
            </select>
            <button type="submit" class="btn">"Add as sourced"</button>
            <span class="saved" role="status">{move || action.value().get().and_then(|r| r.ok())}</span>
            <p class="field-error" role="alert">{move || crate::components::live(err).map(|e| {
                e.field_message("person_ids").or_else(|| e.field_message("job_id")).unwrap_or_else(|| e.to_string())
            })}</p>
        </PostForm>
    }
}
