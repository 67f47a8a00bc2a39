//! The "Anonymised review" section of a job's page.

use super::api::SetAnonymisedReview;
use crate::components::PostForm;
use crate::components::{FormError, action_error, field_error};
use crate::jobs::types::Stage;
use leptos::prelude::*;

/// Shows whether the job's review is anonymised and until which stage; recruiters and admins
/// (`can_edit`) turn it on, change it or turn it off here.
#[component]
pub fn AnonymisedReview(
    action: ServerAction<SetAnonymisedReview>,
    job_id: String,
    stages: Vec<Stage>,
    until: Option<String>,
    can_edit: bool,
) -> impl IntoView {
    let err = action_error(action);
    let stage_name = |id: &str| {
        stages
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.name.clone())
            .unwrap_or_else(|| "Hired".into())
    };
    let state = match until.as_deref() {
        Some(u) => format!(
            "On: until a candidate reaches {}, everyone on this job sees an alias such as “Candidate 4F2K” instead of their name, and no email, phone, links or resume file. The resume is shown as text with those taken out.",
            stage_name(u)
        ),
        None => "Off: everyone on this job sees candidates' names and contact details.".into(),
    };
    view! {
        <section class="card anonymised-review" aria-labelledby="anon-heading">
            <h2 id="anon-heading">"Anonymised review"</h2>
            <p class="anon-state">{state}</p>
            {can_edit.then(|| view! {
                <FormError error=crate::components::general_error(err)/>
                <PostForm action=action attr:class="inline-form">
                    <input type="hidden" name="job_id" value=job_id/>
                    <label for="anon-until">"Hide names until"</label>
                    <select id="anon-until" name="until" aria-describedby="anon-until-error">
                        <option value="" selected=until.is_none()>"Off: show names"</option>
                        {stages.iter().skip(1).map(|s| view! {
                            <option value=s.id.clone() selected=until.as_deref() == Some(s.id.as_str())>{s.name.clone()}</option>
                        }).collect_view()}
                    </select>
                    <button type="submit" class="btn">"Save"</button>
                    <p class="field-error" id="anon-until-error" role="alert">{move || field_error(err, "until").get()}</p>
                </PostForm>
            })}
        </section>
    }
}
