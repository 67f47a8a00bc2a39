//! The audit log page (admins): filters, the entries, a CSV download and the chain check. Every
//! control is a plain link or GET form, so it works without JavaScript.

use super::api::{get_audit_check, list_audit};
use super::types::{AuditEntry, AuditFilter, KINDS};
use crate::components::ui::{Badge, EmptyState, Tone};
use crate::components::{Loading, format_datetime, or_error};
use crate::staff::api::staff_directory;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use leptos_router::params::ParamsMap;

fn outcome_tone(outcome: &str) -> Tone {
    match outcome {
        "ok" => Tone::Ok,
        "refused" => Tone::Danger,
        _ => Tone::Warn,
    }
}

fn kind_label(kind: &str) -> &'static str {
    KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, l)| *l)
        .unwrap_or("Other")
}

#[component]
fn EntryRow(entry: AuditEntry) -> impl IntoView {
    let e = entry;
    view! {
        <tr data-seq=e.seq data-action=e.action.clone()>
            <td class="num">{format!("#{}", e.seq)}</td>
            <td class="nowrap">{format_datetime(&e.at)}</td>
            <td>{e.actor.clone()}</td>
            <td>
                <span class="audit-action">{e.label.clone()}</span>
                " "<span class="muted small">{kind_label(&e.kind)}</span>
                {e.detail.clone().map(|d| view! { <p class="muted small">{d}</p> })}
                {e.redacted.then(|| view! { <p class="muted small">"Personal data erased"</p> })}
            </td>
            <td>
                {e.subjects.into_iter().map(|s| match s.href {
                    Some(h) => view! { <a href=h title=s.reference.clone()>{s.label}</a>" " }.into_any(),
                    None => view! { <span title=s.reference.clone()>{s.label}</span>" " }.into_any(),
                }).collect_view()}
            </td>
            <td class="nowrap">{e.ip.clone().unwrap_or_default()}</td>
            <td><Badge tone=outcome_tone(&e.outcome)>{e.outcome.clone()}</Badge></td>
        </tr>
    }
}

fn filter_of(q: &ParamsMap) -> AuditFilter {
    let get = |k: &str| q.get(k).unwrap_or_default();
    AuditFilter {
        kind: get("kind"),
        actor: get("actor"),
        subject: get("subject"),
        from: get("from"),
        to: get("to"),
    }
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let query = use_query_map();
    let filter = move || query.with(filter_of);
    let before = move || query.with(|q| q.get("before").and_then(|b| b.parse::<i64>().ok()));
    let checking = move || query.with(|q| q.get("check").is_some_and(|c| c == "1"));
    let page = Resource::new(move || (filter(), before()), |(f, b)| list_audit(f, b));
    let check = Resource::new(checking, |on| async move {
        if on {
            Some(get_audit_check().await)
        } else {
            None
        }
    });
    let staff = Resource::new(|| (), |_| staff_directory());
    // The form's starting values (a filter submitted with JavaScript keeps what was typed;
    // "Clear" loads the page afresh).
    let f = query.with_untracked(filter_of);
    let kind_now = f.kind.clone();
    let actor_now = f.actor.clone();
    view! {
        <Title text="Audit log"/>
        <h1>"Audit log"</h1>
        <p class="muted">
            "Who viewed a candidate's profile, resume, scorecards or offer; every change, export "
            "and sign-in: who, when, from where and how it ended. Each entry carries the hash of "
            "the one before it, so an entry that is changed, deleted or slipped in is found by "
            "the check."
        </p>
        <section class="card audit-check" aria-labelledby="audit-check-title">
            <h2 id="audit-check-title">"Integrity"</h2>
            <Suspense fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    match check.await {
                        None => view! {
                            <form method="get">
                                <input type="hidden" name="check" value="1"/>
                                <button type="submit" class="btn">"Check the chain"</button>
                            </form>
                        }.into_any(),
                        Some(r) => or_error(r.map(|c| {
                            let tone = if c.intact { Tone::Ok } else { Tone::Danger };
                            view! {
                                <p role="status" class="audit-result" data-intact=c.intact.to_string()>
                                    <Badge tone=tone>{if c.intact { "Intact" } else { "Broken" }}</Badge>
                                    " "{c.summary()}
                                </p>
                            }
                        })),
                    }
                })}
            </Suspense>
        </section>
        <form method="get" class="filters card" role="search" aria-label="Filter the audit log">
            <label for="audit-kind">"Kind"</label>
            <select id="audit-kind" name="kind">
                <option value="" selected=kind_now.is_empty()>"All"</option>
                {KINDS.iter().map(|(k, l)| view! {
                    <option value=*k selected={kind_now == *k}>{*l}</option>
                }).collect_view()}
            </select>
            <label for="audit-actor">"Who"</label>
            <Suspense fallback=|| view! { <select id="audit-actor" name="actor" disabled=true><option>"…"</option></select> }>
                {move || {
                    let actor_now = actor_now.clone();
                    Suspend::new(async move {
                        let members = staff.await.map(|s| s.members).unwrap_or_default();
                        view! {
                            <select id="audit-actor" name="actor">
                                <option value="" selected=actor_now.is_empty()>"Anyone"</option>
                                {members.into_iter().map(|m| {
                                    let selected = m.id == actor_now;
                                    view! { <option value=m.id selected=selected>{m.name}</option> }
                                }).collect_view()}
                            </select>
                        }
                    })
                }}
            </Suspense>
            <label for="audit-subject">"Concerning"</label>
            <input id="audit-subject" name="subject" type="search" value=f.subject.clone()
                placeholder="person:KEY"/>
            <label for="audit-from">"From"</label>
            <input id="audit-from" name="from" type="date" value=f.from.clone()/>
            <label for="audit-to">"To"</label>
            <input id="audit-to" name="to" type="date" value=f.to.clone()/>
            <button type="submit" class="btn">"Filter"</button>
            <a href="/admin/audit" rel="external" class="btn link">"Clear"</a>
        </form>
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                let q = filter().query();
                or_error(page.await.map(|p| {
                    let csv = if q.is_empty() {
                        "/admin/audit.csv".to_string()
                    } else {
                        format!("/admin/audit.csv?{q}")
                    };
                    let older = p.older.map(|b| {
                        if q.is_empty() {
                            format!("/admin/audit?before={b}")
                        } else {
                            format!("/admin/audit?{q}&before={b}")
                        }
                    });
                    view! {
                        <p class="muted small">
                            {format!("Entries are kept for {} days, then pruned behind a signed checkpoint. ", p.retention_days)}
                            <a href=csv download="">"Download these entries (CSV)"</a>
                        </p>
                        {if p.entries.is_empty() {
                            view! { <EmptyState title="No entries match" hint="Clear the filters or widen the dates."/> }.into_any()
                        } else {
                            view! {
                                <div class="table-scroll">
                                    <table class="data-table audit-table" tabindex="0" aria-label="Audit log entries">
                                        <thead>
                                            <tr>
                                                <th scope="col">"Entry"</th>
                                                <th scope="col">"When"</th>
                                                <th scope="col">"Who"</th>
                                                <th scope="col">"What"</th>
                                                <th scope="col">"Concerning"</th>
                                                <th scope="col">"From"</th>
                                                <th scope="col">"Outcome"</th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {p.entries.into_iter().map(|e| view! { <EntryRow entry=e/> }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }.into_any()
                        }}
                        {older.map(|href| view! { <p><a href=href class="btn">"Older entries"</a></p> })}
                    }
                }))
            })}
        </Transition>
    }
}
