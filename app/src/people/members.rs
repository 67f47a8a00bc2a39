//! Lists of people shared by the talent-pool pages: the members table of a pool or segment (with
//! the form that sources the ticked people into a job) and the talent-pool sub-navigation.

use super::types::Member;
use crate::components::PostForm;
use crate::components::format_date;
use crate::pipeline::sourcing::{OpenJobs, SourceIntoJob};
use crate::pools::api::RemoveFromPool;
use leptos::prelude::*;

/// The members of a pool (`remove`: the action and pool id for a Remove button per row) or a
/// segment.
pub fn members_table(
    members: Vec<Member>,
    remove: Option<(ServerAction<RemoveFromPool>, String)>,
    jobs: OpenJobs,
) -> impl IntoView {
    view! {
        <SourceIntoJob jobs/>
        <table class="people-table members">
            <thead><tr>
                <th scope="col"><span class="visually-hidden">"Select"</span></th>
                <th scope="col">"Name"</th><th scope="col">"Email"</th><th scope="col">"Tags"</th>
                <th scope="col">"Consent"</th><th scope="col">"Last contacted"</th><th scope="col">"Engagement"</th>
                {remove.is_some().then(|| view! { <th scope="col"><span class="visually-hidden">"Remove"</span></th> })}
            </tr></thead>
            <tbody>
                {members.into_iter().map(|m| {
                    let remove = remove.clone();
                    view! {
                        <tr>
                            <td><input type="checkbox" form="source-form" name="person_ids[]" value=m.id.clone()
                                aria-label=format!("Select {}", m.name)/></td>
                            <td><a href=format!("/app/people/{}", m.id)>{m.name.clone()}</a></td>
                            <td>{m.email.clone()}</td>
                            <td>{m.tags.iter().map(|t| view! { <span class="tag">{t.clone()}</span> }).collect_view()}</td>
                            <td><span class=format!("consent consent-{}", m.consent)>{m.consent.clone()}</span></td>
                            <td>{m.last_contacted_at.as_deref().map(format_date).unwrap_or_else(|| "never".into())}</td>
                            <td>{m.engagement_score}</td>
                            {remove.map(|(action, pool)| view! {
                                <td><PostForm action=action attr:class="inline">
                                    <input type="hidden" name="pool_id" value=pool/>
                                    <input type="hidden" name="person_id" value=m.id.clone()/>
                                    <button type="submit" class="btn small">"Remove"</button>
                                </PostForm></td>
                            })}
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// The talent-pool sub-navigation (pools, segments, import, referral, duplicates).
#[component]
pub fn CrmNav() -> impl IntoView {
    view! {
        <nav class="subnav" aria-label="Talent pool">
            <a href="/app/pools">"Pools"</a>
            <a href="/app/segments">"Segments"</a>
            <a href="/app/imports/new">"Import CSV"</a>
            <a href="/app/refer">"Refer someone"</a>
            <a href="/app/duplicates">"Duplicates"</a>
        </nav>
    }
}
