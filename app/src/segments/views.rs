//! Segment pages: the list of segments and the segment editor with its current members.

use super::api::*;
use crate::components::PostForm;
use crate::components::{Field, FormError, Loading, action_error, field_error, or_error};
use crate::people::members::{CrmNav, members_table};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn SegmentsPage() -> impl IntoView {
    let segments = Resource::new(|| (), |_| list_segments());
    view! {
        <Title text="Segments"/>
        <div class="page-head"><h1>"Segments"</h1><a class="btn primary" href="/app/segments/new">"New segment"</a></div>
        <CrmNav/>
        <p class="muted">"Segments are saved searches: their members update by themselves."</p>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                or_error(segments.await.map(|list| view! {
                    <ul class="plain pool-list">
                        {list.into_iter().map(|s| view! {
                            <li class="card">
                                <a class="job-title" href=format!("/app/segments/{}", s.id)>{s.name.clone()}</a>
                                <span class="count">{s.members}</span>
                                <p class="muted small">{s.description.clone()}</p>
                            </li>
                        }).collect_view()}
                    </ul>
                }))
            })}
        </Suspense>
    }
}

#[component]
pub fn SegmentPage() -> impl IntoView {
    let params = use_params_map();
    let jobs = crate::pipeline::sourcing::open_jobs();
    let seg_id = move || {
        params
            .with(|p| p.get("id").unwrap_or_default())
            .replace("new", "")
    };
    let save = ServerAction::<SaveSegment>::new();
    let err = action_error(save);
    let seg = Resource::new(
        move || (seg_id(), save.version().get()),
        |(id, _)| get_segment(id),
    );
    view! {
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                or_error(seg.await.map(|s| {
                    let d = s.definition.clone();
                    let (last, days) = match d.last_contacted.split_once(':') {
                        Some((k, n)) => (k.to_string(), n.to_string()),
                        None => (d.last_contacted.clone(), String::new()),
                    };
                    let title = if s.name.is_empty() { "New segment".to_string() } else { s.name.clone() };
                    let saved = s.id.is_some();
                    let segment_id = s.id.clone().unwrap_or_default();
                    view! {
                        <Title text=title.clone()/>
                        <p class="crumbs"><a href="/app/segments">"Segments"</a>" / "{title.clone()}</p>
                        <div class="page-head">
                            <h1>{title}</h1>
                            {s.id.clone().map(|id| view! { <a class="btn" href=format!("/app/export/segment/{id}")>"Export CSV"</a> })}
                        </div>
                        <FormError error=crate::components::general_error(err)/>
                        <PostForm action=save attr:class="card form segment-form">
                            <input type="hidden" name="segment_id" value=segment_id/>
                            <Field label="Name" name="name" required=true value=Some(s.name.clone()) error=field_error(err, "name")/>
                            <div class="row">
                                <Field label="Tags (any of, comma-separated)" name="tags" value=Some(d.tags.join(", ")) error=field_error(err, "tags")/>
                                <Field label="Skills (any of)" name="skills" value=Some(d.skills.join(", ")) error=field_error(err, "skills")/>
                                <Field label="Location contains" name="location" value=Some(d.location.clone()) error=field_error(err, "location")/>
                                <Field label="Sources (any of)" name="sources" value=Some(d.sources.join(", ")) placeholder="event, referral" error=field_error(err, "sources")/>
                            </div>
                            <div class="row">
                                <div class="field">
                                    <label for="f-last_contacted">"Last contacted"</label>
                                    <select id="f-last_contacted" name="last_contacted">
                                        {[("any", "Any time"), ("never", "Never"), ("over", "Not in the last … days"), ("within", "In the last … days")].into_iter().map(|(v, l)| {
                                            let sel = v == last || (v == "any" && last.is_empty());
                                            view! { <option value=v selected=sel>{l}</option> }
                                        }).collect_view()}
                                    </select>
                                </div>
                                <Field label="Days" name="contacted_days" kind="number" value=Some(days.clone()) error=field_error(err, "contacted_days")/>
                                <Field label="Engagement at least" name="min_engagement" kind="number" value=d.min_engagement.map(|v| v.to_string()) error=field_error(err, "min_engagement")/>
                                <div class="field">
                                    <label for="f-stage_reached">"Reached stage"</label>
                                    <select id="f-stage_reached" name="stage_reached">
                                        <option value="">"Any"</option>
                                        {s.stages.iter().map(|(id, name)| {
                                            let sel = *id == d.stage_reached;
                                            view! { <option value=id.clone() selected=sel>{name.clone()}</option> }
                                        }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="f-consent">"Consent"</label>
                                    <select id="f-consent" name="consent">
                                        {[("any", "Anyone"), ("granted", "Opted in only"), ("not_withdrawn", "Not withdrawn")].into_iter().map(|(v, l)| {
                                            let sel = v == d.consent || (v == "any" && d.consent.is_empty());
                                            view! { <option value=v selected=sel>{l}</option> }
                                        }).collect_view()}
                                    </select>
                                </div>
                            </div>
                            <button type="submit" class="btn primary">"Save segment"</button>
                        </PostForm>
                        {saved.then(|| view! {
                            <p class="segment-count"><strong>{s.members.len()}</strong>" people: "{s.description.clone()}</p>
                            {members_table(s.members.clone(), None, jobs)}
                        })}
                    }
                }))
            })}
        </Transition>
    }
}
