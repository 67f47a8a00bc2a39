//! Import pages: upload a CSV file, then map its columns, start, and follow the progress.

use super::api::*;
use super::types::{IMPORT_FIELDS, ImportStatus};
use crate::components::PostForm;
use crate::components::{
    Field, FormError, Loading, action_error, field_error, or_error, submit_multipart, url_error,
};
use crate::error::AppError;
use crate::people::members::CrmNav;
use crate::pools::api::list_pools;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use server_fn::ServerFn;

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
        <FormError error=crate::components::general_error(result.into())/>
        <form class="card form" method="post" action=UploadImport::url() enctype="multipart/form-data" novalidate=true
            on:submit=move |ev| submit_multipart(ev, pending, result, upload_import)>
            <Field label="CSV file" name="file" kind="file" accept=".csv,text/csv" required=true
                hint="The first row names the columns. Candidate exports from Greenhouse and Lever are recognised, with their jobs and stages. Next you choose which column is which and see a preview." error=fe("file")/>
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
                .is_some_and(|j| j.status.in_progress());
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
                    let running = j.status.in_progress();
                    let pct = if j.total_rows > 0 { j.processed * 100 / j.total_rows } else { 0 };
                    view! {
                        <h1>{format!("Import of {}", j.filename)}</h1>
                        // Set as inner HTML: with scripting on, a browser reads a `<noscript>`'s inner HTML as
                        // text, while a `<meta>` element built in the DOM would still reload the page.
                        {running.then(|| view! { <noscript inner_html=r#"<meta http-equiv="refresh" content="2">"#/> })}
                        {if j.status == ImportStatus::Mapping {
                            view! {
                                <p>{format!("{} rows. Choose what each column holds; the first rows are shown as they will be read.", j.total_rows)}</p>
                                <FormError error=Signal::derive(move || crate::components::live(err).filter(|e| e.field_message("mapping").is_none() && !matches!(e, AppError::Validation(_))))/>
                                <p class="field-error" role="alert">{move || field_error(err, "mapping").get()}</p>
                                <PostForm action=start attr:class="form import-form">
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
                                    {j.plan.clone().map(|plan| view! { <ImportPlan plan=plan/> })}
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
                                </PostForm>
                            }.into_any()
                        } else {
                            view! {
                                <div class="card import-progress">
                                    <p class="import-status">{match j.status {
                                        ImportStatus::Done => "Import finished.".to_string(),
                                        ImportStatus::Failed => "The import failed.".to_string(),
                                        _ => format!("Importing… {} of {} rows", j.processed, j.total_rows),
                                    }}</p>
                                    <progress max="100" value=pct.to_string() aria-label="Import progress">{format!("{pct}%")}</progress>
                                    <dl class="facts">
                                        <dt>"Created"</dt><dd class="created">{j.created}</dd>
                                        <dt>"Updated"</dt><dd class="updated">{j.updated}</dd>
                                        <dt>"Skipped (already here)"</dt><dd class="skipped">{j.skipped}</dd>
                                        {(j.applications > 0).then(|| view! { <dt>"Applications added"</dt><dd class="applications">{j.applications}</dd> })}
                                        <dt>"Rows with errors"</dt><dd class="errors">{j.errors.len()}</dd>
                                    </dl>
                                </div>
                                {(!j.errors.is_empty()).then(|| view! {
                                    <section class="card">
                                        <h2>"Rows that were not imported"</h2>
                                        <table class="data-table row-errors" tabindex="0" aria-label="Rows that were not imported">
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

/// What an export from another applicant tracking system will add besides people: the jobs
/// its applications go to (created, closed, when not here) and the stages not in a pipeline.
#[component]
fn ImportPlan(plan: super::ats::AtsPlan) -> impl IntoView {
    let total: i64 = plan.jobs.iter().map(|j| j.rows).sum();
    view! {
        <section class="import-plan" aria-labelledby="import-plan-title">
            <h2 id="import-plan-title">"Applications"</h2>
            {plan.format.clone().map(|f| view! {
                <p class="banner" role="status">{format!("This looks like a {f} candidate export: its columns are mapped for you.")}</p>
            })}
            <p class="muted">{format!(
                "{total} rows name a job. Each adds an application at its stage; rejected, withdrawn and hired ones keep that outcome. A person with several rows gets each application."
            )}</p>
            <div class="table-scroll">
                <table class="data-table" aria-label="Jobs in the file">
                    <thead><tr>
                        <th scope="col">"Job"</th>
                        <th scope="col">"Rows"</th>
                        <th scope="col">"Here?"</th>
                        <th scope="col">"Stages not in its pipeline (start at the first stage)"</th>
                    </tr></thead>
                    <tbody>
                        {plan.jobs.into_iter().map(|j| view! {
                            <tr>
                                <td>{j.title.clone()}</td>
                                <td>{j.rows}{(j.rejected + j.hired > 0).then(|| format!(" ({} rejected, {} hired)", j.rejected, j.hired))}</td>
                                <td>{if j.exists { "Yes" } else { "No: created as a closed job" }}</td>
                                <td>{if j.unknown_stages.is_empty() { "—".to_string() } else { j.unknown_stages.join(", ") }}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
