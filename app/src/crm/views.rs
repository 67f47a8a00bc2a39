//! CRM pages: pools, segments, duplicates and merges, imports, referrals, the talent community.

use super::api::*;
use super::types::*;
use crate::components::{
    Field, FormError, Loading, PublicHeader, TextArea, action_error, field_error, format_date,
    or_error, submit_multipart, url_error,
};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use server_fn::ServerFn;

fn members_table(
    members: Vec<Member>,
    remove: Option<(ServerAction<RemoveFromPool>, String)>,
) -> impl IntoView {
    view! {
        <SourceIntoJob/>
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
                                <td><ActionForm action=action attr:class="inline">
                                    <input type="hidden" name="pool_id" value=pool/>
                                    <input type="hidden" name="person_id" value=m.id.clone()/>
                                    <button type="submit" class="btn small">"Remove"</button>
                                </ActionForm></td>
                            })}
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// Adds the people ticked in the members table below to a job's pipeline (prospect → applicant).
#[component]
fn SourceIntoJob() -> impl IntoView {
    let action = ServerAction::<AddPeopleToJob>::new();
    let err = action_error(action);
    let jobs = Resource::new(|| (), |_| crate::jobs::api::list_open_jobs());
    view! {
        <ActionForm action=action attr:id="source-form" attr:class="inline-form source-form">
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
            <p class="field-error" role="alert">{move || err.get().map(|e| {
                e.field_message("person_ids").or_else(|| e.field_message("job_id")).unwrap_or_else(|| e.to_string())
            })}</p>
        </ActionForm>
    }
}

#[component]
fn CrmNav() -> impl IntoView {
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

#[component]
pub fn PoolsPage() -> impl IntoView {
    let create = ServerAction::<CreatePool>::new();
    let err = action_error(create);
    let pools = Resource::new(|| (), |_| list_pools());
    view! {
        <Title text="Pools"/>
        <h1>"Talent pools"</h1>
        <CrmNav/>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                or_error(pools.await.map(|list| view! {
                    <ul class="plain pool-list">
                        {list.into_iter().map(|p| view! {
                            <li class="card">
                                <a class="job-title" href=format!("/app/pools/{}", p.id)>{p.name.clone()}</a>
                                <span class="count">{p.members}</span>
                                <p class="muted small">{p.description.clone()}</p>
                            </li>
                        }).collect_view()}
                    </ul>
                }))
            })}
        </Suspense>
        <section class="card">
            <h2>"New pool"</h2>
            <FormError error=Signal::derive(move || err.get().filter(|e| !matches!(e, AppError::Validation(_))))/>
            <ActionForm action=create attr:class="form">
                <Field label="Name" name="name" required=true error=field_error(err, "name")/>
                <Field label="Description" name="description" error=field_error(err, "description")/>
                <button type="submit" class="btn primary">"Create pool"</button>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn PoolPage() -> impl IntoView {
    let params = use_params_map();
    let pool_id = move || params.with(|p| p.get("id").unwrap_or_default());
    let remove = ServerAction::<RemoveFromPool>::new();
    let pool = Resource::new(
        move || (pool_id(), remove.version().get()),
        |(id, _)| get_pool(id),
    );
    view! {
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                or_error(pool.await.map(|d| {
                    let pid = d.pool.id.clone();
                    view! {
                        <Title text=d.pool.name.clone()/>
                        <p class="crumbs"><a href="/app/pools">"Pools"</a>" / "{d.pool.name.clone()}</p>
                        <div class="page-head">
                            <h1>{d.pool.name.clone()}</h1>
                            <a class="btn" href=format!("/app/export/pool/{}", d.pool.id)>"Export CSV"</a>
                        </div>
                        <p class="muted">{format!("{} people. {}", d.pool.members, d.pool.description)}</p>
                        <p class="muted small">"Add people from the search page, a board, an import or a profile."</p>
                        {members_table(d.members, Some((remove, pid)))}
                    }
                }))
            })}
        </Transition>
    }
}

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
                        <FormError error=Signal::derive(move || err.get().filter(|e| !matches!(e, AppError::Validation(_))))/>
                        <ActionForm action=save attr:class="card form segment-form">
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
                        </ActionForm>
                        {saved.then(|| view! {
                            <p class="segment-count"><strong>{s.members.len()}</strong>" people: "{s.description.clone()}</p>
                            {members_table(s.members.clone(), None)}
                        })}
                    }
                }))
            })}
        </Transition>
    }
}

#[component]
pub fn DuplicatesPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| list_duplicates());
    view! {
        <Title text="Duplicates"/>
        <h1>"Possible duplicates"</h1>
        <CrmNav/>
        <p class="muted">"Found by email, phone, LinkedIn profile and close names. Compare before merging: merges keep all applications, notes and history, and can be undone."</p>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                or_error(list.await.map(|pairs| {
                    if pairs.is_empty() {
                        return view! { <p class="empty">"No likely duplicates."</p> }.into_any();
                    }
                    view! {
                        <table class="data-table">
                            <thead><tr><th scope="col">"Confidence"</th><th scope="col">"Record A"</th><th scope="col">"Record B"</th><th scope="col">"Why"</th><th scope="col"></th></tr></thead>
                            <tbody>
                                {pairs.into_iter().map(|p| view! {
                                    <tr class="dup-row">
                                        <td><strong>{format!("{}%", p.confidence)}</strong></td>
                                        <td><a href=format!("/app/people/{}", p.a.id)>{p.a.name.clone()}</a><span class="muted small block">{p.a.email.clone()}</span></td>
                                        <td><a href=format!("/app/people/{}", p.b.id)>{p.b.name.clone()}</a><span class="muted small block">{p.b.email.clone()}</span></td>
                                        <td>{p.reasons.join(", ")}</td>
                                        <td><a class="btn small" href=format!("/app/duplicates/merge?a={}&b={}", p.a.id, p.b.id)>"Compare"</a></td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                }))
            })}
        </Suspense>
    }
}

#[component]
pub fn MergePage() -> impl IntoView {
    let query = use_query_map();
    let a = move || query.with(|q| q.get("a").unwrap_or_default());
    let b = move || query.with(|q| q.get("b").unwrap_or_default());
    let merge = ServerAction::<MergePeople>::new();
    let err = action_error(merge);
    let rows = Resource::new(move || (a(), b()), |(a, b)| merge_preview(a, b));
    view! {
        <Title text="Merge"/>
        <p class="crumbs"><a href="/app/duplicates">"Duplicates"</a>" / Compare"</p>
        <h1>"Compare and merge"</h1>
        <p class="muted">"The record on the left is kept. For each field, choose which value to keep. Skills, tags and links from both are kept; applications, notes, emails and history move to the kept record."</p>
        <FormError error=err/>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                or_error(rows.await.map(|rows| view! {
                    <ActionForm action=merge attr:class="form">
                        <input type="hidden" name="keep" value=a()/>
                        <input type="hidden" name="other" value=b()/>
                        <table class="data-table merge-table">
                            <thead><tr><th scope="col">"Field"</th><th scope="col">"Kept record"</th><th scope="col">"Other record"</th></tr></thead>
                            <tbody>
                                {rows.into_iter().map(|(field, left, right)| {
                                    let choosable = ["first_name", "last_name", "email", "phone", "location", "headline"].contains(&field.as_str());
                                    let differ = left != right && !right.is_empty();
                                    let fid = format!("take-{field}");
                                    view! {
                                        <tr class:differs=differ>
                                            <th scope="row">{field.replace('_', " ")}</th>
                                            <td>{left}</td>
                                            <td>
                                                {right.clone()}
                                                {(choosable && differ).then(|| view! {
                                                    <label class="take" for=fid.clone()>
                                                        <input type="checkbox" id=fid.clone() name="take[]" value=field.clone()/>
                                                        " use this"
                                                    </label>
                                                })}
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                        <button type="submit" class="btn primary">"Merge into the kept record"</button>
                    </ActionForm>
                }))
            })}
        </Suspense>
    }
}

#[component]
pub fn ImportNewPage() -> impl IntoView {
    let result = RwSignal::new(url_error::<UploadImport>());
    let pending = RwSignal::new(false);
    let fe = move |f: &'static str| {
        Signal::derive(move || result.get().and_then(|e| e.field_message(f)))
    };
    view! {
        <Title text="Import people"/>
        <h1>"Import people from a CSV file"</h1>
        <CrmNav/>
        <FormError error=Signal::derive(move || result.get().filter(|e| !matches!(e, AppError::Validation(_))))/>
        <form class="card form" method="post" action=UploadImport::url() enctype="multipart/form-data" novalidate=true
            on:submit=move |ev| submit_multipart(ev, pending, result, upload_import)>
            <Field label="CSV file" name="file" kind="file" accept=".csv,text/csv" required=true
                hint="The first row names the columns. Next you choose which column is which and see a preview." error=fe("file")/>
            <button type="submit" class="btn primary" disabled=move || pending.get()>{move || if pending.get() { "Uploading…" } else { "Upload" }}</button>
        </form>
    }
}

#[component]
pub fn ImportPage() -> impl IntoView {
    let params = use_params_map();
    let import_id = move || params.with(|p| p.get("id").unwrap_or_default());
    let start = ServerAction::<StartImport>::new();
    let err = action_error(start);
    let tick = RwSignal::new(0u32);
    let job = Resource::new(
        move || (import_id(), start.version().get(), tick.get()),
        |(id, _, _)| get_import(id),
    );
    let pools = Resource::new(|| (), |_| list_pools());
    // While it runs, refresh the progress every second.
    #[cfg(feature = "hydrate")]
    {
        let handle = gloo_timers::callback::Interval::new(1_000, move || {
            let running = job
                .get_untracked()
                .and_then(|r| r.ok())
                .is_some_and(|j| j.status == "queued" || j.status == "running");
            if running {
                tick.try_update(|t| *t += 1);
            }
        });
        let handle = StoredValue::new_local(Some(handle));
        on_cleanup(move || {
            handle.update_value(|h| {
                if let Some(h) = h.take() {
                    h.cancel();
                }
            })
        });
    }
    view! {
        <Title text="Import"/>
        <p class="crumbs"><a href="/app/imports/new">"Import"</a></p>
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                let pools = pools.await.unwrap_or_default();
                or_error(job.await.map(|j| {
                    let running = j.status == "queued" || j.status == "running";
                    let pct = if j.total_rows > 0 { j.processed * 100 / j.total_rows } else { 0 };
                    view! {
                        <h1>{format!("Import of {}", j.filename)}</h1>
                        {running.then(|| view! { <noscript><meta http-equiv="refresh" content="2"/></noscript> })}
                        {if j.status == "mapping" {
                            view! {
                                <p>{format!("{} rows. Choose what each column holds; the first rows are shown as they will be read.", j.total_rows)}</p>
                                <FormError error=Signal::derive(move || err.get().filter(|e| e.field_message("mapping").is_none() && !matches!(e, AppError::Validation(_))))/>
                                <p class="field-error" role="alert">{move || field_error(err, "mapping").get()}</p>
                                <ActionForm action=start attr:class="form import-form">
                                    <input type="hidden" name="import_id" value=j.id.clone()/>
                                    <div class="table-scroll">
                                    <table class="data-table preview-table">
                                        <thead>
                                            <tr>{j.headers.iter().map(|h| view! { <th scope="col">{h.clone()}</th> }).collect_view()}</tr>
                                            <tr>{j.headers.iter().zip(j.mapping.iter()).enumerate().map(|(i, (h, m))| {
                                                let sid = format!("map-{i}");
                                                let m = m.clone();
                                                view! {
                                                    <td>
                                                        <label class="visually-hidden" for=sid.clone()>{format!("Column {h} holds")}</label>
                                                        <select id=sid name="mapping[]">
                                                            {IMPORT_FIELDS.iter().map(|(v, l)| view! { <option value=*v selected=*v == m.as_str()>{*l}</option> }).collect_view()}
                                                        </select>
                                                    </td>
                                                }
                                            }).collect_view()}</tr>
                                        </thead>
                                        <tbody>
                                            {j.preview.iter().map(|row| view! { <tr>{row.iter().map(|c| view! { <td>{c.clone()}</td> }).collect_view()}</tr> }).collect_view()}
                                        </tbody>
                                    </table>
                                    </div>
                                    <fieldset class="field">
                                        <legend>"People already here (same email, phone or LinkedIn)"</legend>
                                        <label><input type="radio" name="duplicates" value="skip" checked=true/>" Skip them"</label>
                                        <label><input type="radio" name="duplicates" value="update"/>" Update them with the file's values"</label>
                                        <label><input type="radio" name="duplicates" value="create"/>" Create new records (when only the phone or LinkedIn matches)"</label>
                                    </fieldset>
                                    <div class="row">
                                        <Field label="Tag everyone imported" name="tag" placeholder="e.g. berlin-meetup" error=field_error(err, "tag")/>
                                        <div class="field">
                                            <label for="f-pool">"Add everyone to a pool"</label>
                                            <select id="f-pool" name="pool">
                                                <option value="">"No pool"</option>
                                                {pools.iter().map(|p| view! { <option value=p.id.clone()>{p.name.clone()}</option> }).collect_view()}
                                            </select>
                                        </div>
                                    </div>
                                    <button type="submit" class="btn primary">"Start import"</button>
                                </ActionForm>
                            }.into_any()
                        } else {
                            view! {
                                <div class="card import-progress">
                                    <p class="import-status">{match j.status.as_str() {
                                        "done" => "Import finished.".to_string(),
                                        "failed" => "The import failed.".to_string(),
                                        _ => format!("Importing… {} of {} rows", j.processed, j.total_rows),
                                    }}</p>
                                    <progress max="100" value=pct.to_string() aria-label="Import progress">{format!("{pct}%")}</progress>
                                    <dl class="facts">
                                        <dt>"Created"</dt><dd class="created">{j.created}</dd>
                                        <dt>"Updated"</dt><dd class="updated">{j.updated}</dd>
                                        <dt>"Skipped (already here)"</dt><dd class="skipped">{j.skipped}</dd>
                                        <dt>"Rows with errors"</dt><dd class="errors">{j.errors.len()}</dd>
                                    </dl>
                                </div>
                                {(!j.errors.is_empty()).then(|| view! {
                                    <section class="card">
                                        <h2>"Rows that were not imported"</h2>
                                        <table class="data-table row-errors">
                                            <thead><tr><th scope="col">"Row"</th><th scope="col">"Field"</th><th scope="col">"Problem"</th></tr></thead>
                                            <tbody>
                                                {j.errors.iter().map(|e| view! { <tr><td>{e.row}</td><td>{e.field.clone()}</td><td>{e.message.clone()}</td></tr> }).collect_view()}
                                            </tbody>
                                        </table>
                                    </section>
                                })}
                            }.into_any()
                        }}
                    }
                }))
            })}
        </Transition>
    }
}

#[component]
pub fn ReferPage() -> impl IntoView {
    let result = RwSignal::new(url_error::<ReferPerson>());
    let pending = RwSignal::new(false);
    let fe = move |f: &'static str| {
        Signal::derive(move || result.get().and_then(|e| e.field_message(f)))
    };
    let jobs = Resource::new(|| (), |_| crate::jobs::api::list_open_jobs());
    view! {
        <Title text="Refer someone"/>
        <h1>"Refer someone"</h1>
        <p class="muted">"Know someone who would be great here? Tell us about them. We credit the referral to you."</p>
        <FormError error=Signal::derive(move || result.get().filter(|e| !matches!(e, AppError::Validation(_))))/>
        <form class="card form" method="post" action=ReferPerson::url() enctype="multipart/form-data" novalidate=true
            on:submit=move |ev| submit_multipart(ev, pending, result, refer_person)>
            <Field label="Their name" name="name" required=true error=fe("name")/>
            <Field label="Their email" name="email" kind="email" required=true error=fe("email")/>
            <Field label="Their phone" name="phone" kind="tel" hint="Optional" error=fe("phone")/>
            <div class="field">
                <label for="f-relationship">"How do you know them?"</label>
                <select id="f-relationship" name="relationship">
                    {super::types::RELATIONSHIPS.iter().map(|r| view! { <option value=*r>{*r}</option> }).collect_view()}
                </select>
                <p class="field-error" role="alert">{move || fe("relationship").get()}</p>
            </div>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let jobs = jobs.await.unwrap_or_default();
                    view! {
                        <div class="field">
                            <label for="f-job">"For a job (optional)"</label>
                            <select id="f-job" name="job">
                                <option value="">"No particular job"</option>
                                {jobs.into_iter().map(|j| view! { <option value=j.id.clone()>{j.title.clone()}</option> }).collect_view()}
                            </select>
                        </div>
                    }
                })}
            </Suspense>
            <TextArea label="Why them?" name="note" rows=4 error=fe("note")/>
            <Field label="Their resume" name="resume" kind="file" accept=".pdf,.docx" hint="Optional. PDF or DOCX, up to 10 MB." error=fe("resume")/>
            <button type="submit" class="btn primary" disabled=move || pending.get()>"Send referral"</button>
        </form>
    }
}

#[component]
pub fn TalentPage() -> impl IntoView {
    let signup = ServerAction::<TalentSignup>::new();
    let err = action_error(signup);
    let query = use_query_map();
    let sent = move || query.with(|q| q.get("sent").is_some());
    view! {
        <Title text="Join our talent community"/>
        <PublicHeader/>
        <main class="page narrow" id="content">
            <h1>"Join our talent community"</h1>
            <Show when=sent fallback=move || view! {
                <p class="lead">"Not the right job today? Leave your details and we will write when something fits."</p>
                <FormError error=Signal::derive(move || err.get().filter(|e| !matches!(e, AppError::Validation(_))))/>
                <ActionForm action=signup attr:class="card form" attr:novalidate=true>
                    <Field label="Full name" name="name" required=true autocomplete="name" error=field_error(err, "name")/>
                    <Field label="Email" name="email" kind="email" required=true autocomplete="email" error=field_error(err, "email")/>
                    <fieldset class="field interests">
                        <legend>"What interests you?"</legend>
                        {super::types::INTERESTS_LIST.iter().map(|i| {
                            let id = format!("interest-{}", i.to_lowercase().replace(' ', "-"));
                            view! { <label for=id.clone()><input type="checkbox" id=id.clone() name="interests[]" value=*i/>" "{*i}</label> }
                        }).collect_view()}
                    </fieldset>
                    <div class="field checkbox">
                        <input type="checkbox" id="f-consent" name="consent" value="on"/>
                        <label for="f-consent">"I agree that Acme keeps my details and emails me about roles and events. I can unsubscribe at any time."</label>
                    </div>
                    <p class="field-error" id="f-consent-error" role="alert">{move || field_error(err, "consent").get()}</p>
                    <button type="submit" class="btn primary">"Join"</button>
                </ActionForm>
            }>
                <div class="banner banner-ok" role="status">"Thank you! Check your inbox: we sent a link to confirm your sign-up."</div>
            </Show>
        </main>
    }
}

#[component]
pub fn TalentConfirmPage() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.with(|q| q.get("token").unwrap_or_default());
    let result = Resource::new(token, confirm_signup);
    view! {
        <Title text="Confirmed"/>
        <PublicHeader/>
        <main class="page narrow" id="content">
            <Suspense fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    match result.await {
                        Ok(first) => view! {
                            <h1>{format!("Welcome, {first}!")}</h1>
                            <p class="lead">"You are in our talent community. We will write when a role fits you."</p>
                        }.into_any(),
                        Err(e) => view! {
                            <h1>"We could not confirm this"</h1>
                            <div class="banner banner-error" role="alert">{match e {
                                AppError::Validation(_) => "This confirmation link is not valid.".to_string(),
                                other => other.to_string(),
                            }}</div>
                            <p><a href="/talent">"Sign up again"</a></p>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

/// The CRM panel on a person's profile.
#[component]
pub fn CrmPanel(person_id: String) -> impl IntoView {
    let update = ServerAction::<UpdateCrm>::new();
    let to_pool = ServerAction::<AddToPool>::new();
    let to_job = ServerAction::<AddPersonToJob>::new();
    let replied = ServerAction::<MarkReplied>::new();
    let err = action_error(update);
    let job_err = action_error(to_job);
    let pool_err = action_error(to_pool);
    let pid = person_id.clone();
    let data = Resource::new(
        move || {
            (
                pid.clone(),
                update.version().get(),
                to_pool.version().get(),
                to_job.version().get(),
                replied.version().get(),
            )
        },
        |(id, ..)| get_crm_profile(id),
    );
    view! {
        <Transition fallback=|| ()>
            {move || {
                let person_id = person_id.clone();
                Suspend::new(async move {
                    data.await.ok().map(|c| {
                        let p1 = person_id.clone();
                        let p2 = person_id.clone();
                        let p3 = person_id.clone();
                        let p4 = person_id.clone();
                        view! {
                            <section class="card crm-panel" aria-labelledby="crm-heading">
                                <h2 id="crm-heading">"Talent pool (CRM)"</h2>
                                <dl class="facts">
                                    <dt>"Consent"</dt><dd class="consent-line">{c.consent_status.clone()}{c.consent_at.as_deref().map(|d| format!(" since {}", format_date(d)))}{c.consent_basis.clone().map(|b| format!(" ({b})"))}</dd>
                                    <dt>"Owner"</dt><dd>{c.owner_name.clone().unwrap_or_else(|| "—".into())}</dd>
                                    <dt>"Last contacted"</dt><dd>{c.last_contacted_at.as_deref().map(format_date).unwrap_or_else(|| "never".into())}</dd>
                                    <dt>"Engagement"</dt><dd class="engagement">{c.engagement_score}</dd>
                                    {c.referred_by.clone().map(|r| view! { <dt>"Referred by"</dt><dd>{r}{c.referral_relationship.clone().map(|x| format!(" ({x})"))}</dd> })}
                                    {(!c.interests.is_empty()).then(|| view! { <dt>"Interests"</dt><dd>{c.interests.join(", ")}</dd> })}
                                    {(!c.unsubscribed_topics.is_empty()).then(|| view! { <dt>"Does not want"</dt><dd>{c.unsubscribed_topics.join(", ")}</dd> })}
                                    <dt>"Pools"</dt><dd>{if c.pools.is_empty() { "—".to_string() } else { c.pools.iter().map(|(_, n)| n.clone()).collect::<Vec<_>>().join(", ") }}</dd>
                                    <dt>"Campaigns"</dt><dd>{if c.campaigns.is_empty() { "—".to_string() } else { c.campaigns.iter().map(|(n, _, w)| format!("{n} ({w})")).collect::<Vec<_>>().join("; ") }}</dd>
                                </dl>
                                <details>
                                    <summary>"Edit consent, owner, time zone"</summary>
                                    <ActionForm action=update attr:class="form">
                                        <input type="hidden" name="person_id" value=p1/>
                                        <div class="row">
                                            <div class="field"><label for="f-consent-status">"Consent"</label>
                                                <select id="f-consent-status" name="consent">
                                                    {["unknown", "pending", "granted", "withdrawn"].into_iter().map(|v| view! { <option value=v selected=v == c.consent_status>{v}</option> }).collect_view()}
                                                </select></div>
                                            <Field label="Basis" name="basis" value=c.consent_basis.clone() error=field_error(err, "basis")/>
                                            <div class="field"><label for="f-owner">"Owner"</label>
                                                <select id="f-owner" name="owner">
                                                    <option value="">"Nobody"</option>
                                                    {c.staff.iter().map(|(id, n)| view! { <option value=id.clone() selected=c.owner_id.as_deref() == Some(id.as_str())>{n.clone()}</option> }).collect_view()}
                                                </select></div>
                                            <Field label="Time zone" name="timezone" value=c.timezone.clone() placeholder="Europe/Berlin" error=field_error(err, "timezone")/>
                                        </div>
                                        <button type="submit" class="btn">"Save"</button>
                                    </ActionForm>
                                </details>
                                <div class="crm-actions">
                                    <ActionForm action=to_job attr:class="inline-form">
                                        <input type="hidden" name="person_id" value=p2/>
                                        <label for="f-add-job">"Add to a job's pipeline"</label>
                                        <select id="f-add-job" name="job_id">
                                            <option value="">"Choose a job"</option>
                                            {c.jobs.iter().map(|(id, t)| view! { <option value=id.clone()>{t.clone()}</option> }).collect_view()}
                                        </select>
                                        <button type="submit" class="btn">"Add as sourced"</button>
                                    </ActionForm>
                                    <p class="field-error" role="alert">{move || job_err.get().map(|e| e.field_message("job_id").unwrap_or_else(|| e.to_string()))}</p>
                                    <ActionForm action=to_pool attr:class="inline-form">
                                        <input type="hidden" name="person_ids[]" value=p3/>
                                        <label for="f-add-pool">"Add to a pool"</label>
                                        <select id="f-add-pool" name="pool_id">
                                            {c.all_pools.iter().map(|(id, n)| view! { <option value=id.clone()>{n.clone()}</option> }).collect_view()}
                                        </select>
                                        <button type="submit" class="btn">"Add"</button>
                                    </ActionForm>
                                    <p class="field-error" role="alert">{move || pool_err.get().map(|e| e.to_string())}</p>
                                    <ActionForm action=replied attr:class="inline">
                                        <input type="hidden" name="person_id" value=p4/>
                                        <button type="submit" class="btn">"Mark as replied"</button>
                                    </ActionForm>
                                </div>
                                {(!c.duplicates.is_empty()).then(|| view! {
                                    <div class="banner dup-banner">
                                        <p><strong>"Possible duplicates: "</strong></p>
                                        <ul class="plain">{c.duplicates.iter().map(|d| view! {
                                            <li><a href=format!("/app/people/{}", d.b.id)>{d.b.name.clone()}</a>
                                                {format!(" ({}%, {}) ", d.confidence, d.reasons.join(", "))}
                                                <a href=format!("/app/duplicates/merge?a={}&b={}", d.a.id, d.b.id)>"Compare and merge"</a></li>
                                        }).collect_view()}</ul>
                                    </div>
                                })}
                            </section>
                        }
                    })
                })
            }}
        </Transition>
    }
}

/// Shown on the kept profile right after a merge (`?merged=`), with a way to undo it.
#[component]
pub fn MergedBanner() -> impl IntoView {
    let query = use_query_map();
    let merged = move || query.with(|q| q.get("merged")).filter(|m| !m.is_empty());
    let undo = ServerAction::<UndoMerge>::new();
    let err = action_error(undo);
    view! {
        {move || merged().map(|m| view! {
            <div class="banner banner-ok merged-banner" role="status">
                <p>"Records merged. Applications, notes and history from both are on this profile."</p>
                <ActionForm action=undo attr:class="inline">
                    <input type="hidden" name="merge_id" value=m/>
                    <button type="submit" class="btn">"Undo merge"</button>
                </ActionForm>
                <FormError error=err/>
            </div>
        })}
    }
}
