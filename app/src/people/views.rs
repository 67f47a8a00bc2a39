//! People list (search, tag filter, bulk tagging) and the person profile.

use super::api::*;
use super::types::*;
use crate::components::PostForm;
use crate::components::{
    Badge, FormError, Loading, Tabs, Tone, action_error, field_error, format_date, format_datetime,
    or_error,
};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn PeoplePage() -> impl IntoView {
    let query = use_query_map();
    let q = move || query.with(|m| m.get("q").unwrap_or_default());
    let tag = move || query.with(|m| m.get("tag").unwrap_or_default());
    let cursor = move || query.with(|m| m.get("cursor").unwrap_or_default());
    let tag_action = ServerAction::<AddTag>::new();
    let people = Resource::new(
        move || (q(), tag(), cursor(), tag_action.version().get()),
        |(q, tag, cursor, _)| list_people(q, tag, cursor),
    );
    let tags = Resource::new(move || tag_action.version().get(), |_| tag_counts());
    let err = action_error(tag_action);
    let done = move || match tag_action.value().get() {
        Some(Ok(n)) => Some(format!(
            "Tagged {n} {}.",
            if n == 1 { "person" } else { "people" }
        )),
        _ => None,
    };
    view! {
        <Title text="People"/>
        <div class="page-head"><h1>"People"</h1>
            <div class="head-actions">
                <a class="btn" href="/app/imports/new">"Import CSV"</a>
                <a class="btn" href="/app/refer">"Refer someone"</a>
                <a class="btn" href="/app/duplicates">"Duplicates"</a>
            </div>
        </div>
        <form method="get" action="/app/people" class="filters card" role="search">
            <label for="people-q">"Search"</label>
            <input id="people-q" type="search" name="q" value=q placeholder="Name or email"/>
            <label for="people-tag">"Tag"</label>
            <Suspense fallback=|| view! { <select id="people-tag" name="tag"><option value="">"Any tag"</option></select> }>
                {move || Suspend::new(async move {
                    let current = tag();
                    let tags = tags.await.unwrap_or_default();
                    view! {
                        <select id="people-tag" name="tag">
                            <option value="">"Any tag"</option>
                            {tags.into_iter().map(|t| {
                                let sel = t.tag == current;
                                view! { <option value=t.tag.clone() selected=sel>{format!("{} ({})", t.tag, t.count)}</option> }
                            }).collect_view()}
                        </select>
                    }
                })}
            </Suspense>
            <button type="submit" class="btn">"Filter"</button>
        </form>
        <FormError error=crate::components::general_error(err)/>
        <p class="banner banner-ok" role="status" class:hidden=move || done().is_none()>{done}</p>
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                or_error(people.await.map(|list| {
                    let next = list.next_cursor.clone().map(|c| {
                        format!("/app/people?q={}&tag={}&cursor={}",
                            crate::components::urlencode(&q()), crate::components::urlencode(&tag()), crate::components::urlencode(&c))
                    });
                    if list.people.is_empty() {
                        return view! { <p class="empty">"No one matches."</p> }.into_any();
                    }
                    view! {
                        <PostForm action=tag_action attr:class="people-form">
                            <div class="bulk-bar card">
                                <label for="bulk-tag">"Tag selected people"</label>
                                <input id="bulk-tag" name="tag" placeholder="e.g. rust-meetup"
                                    aria-invalid=move || if field_error(err, "tag").get().is_some() { "true" } else { "false" }/>
                                <button type="submit" class="btn primary">"Add tag"</button>
                                <p class="field-error" role="alert">{move || field_error(err, "tag").get()}</p>
                                <p class="field-error" role="alert">{move || field_error(err, "person_ids").get()}</p>
                            </div>
                            <table class="people-table">
                                <thead><tr><th scope="col"><span class="visually-hidden">"Select"</span></th><th scope="col">"Name"</th><th scope="col">"Email"</th><th scope="col">"Tags"</th><th scope="col">"Source"</th><th scope="col">"Screening"</th></tr></thead>
                                <tbody>
                                    {list.people.into_iter().map(|p| {
                                        let cb = format!("sel-{}", p.id);
                                        let href = format!("/app/people/{}", p.id);
                                        view! {
                                            <tr>
                                                <td><input type="checkbox" id=cb.clone() name="person_ids[]" value=p.id.clone()
                                                    aria-label=format!("Select {}", p.name)/></td>
                                                <td><a href=href>{p.name.clone()}</a>
                                                    {p.headline.clone().map(|h| view! { <span class="muted small block">{h}</span> })}</td>
                                                <td>{p.email.clone()}{p.unsubscribed.then(|| view! { <span class="badge">"unsubscribed"</span> })}</td>
                                                <td>{p.tags.iter().map(|t| view! { <span class="tag">{t.clone()}</span> }).collect_view()}</td>
                                                <td>{source_label(&p.source)}</td>
                                                <td class="people-screened">{p.screened.iter().map(|s| view! {
                                                    <a class="screened" href=format!("/app/applications/{}#screening", s.application_id)>
                                                        <span class="small">{s.job_title.clone()}</span>
                                                        <crate::screening::ScoreBadge score=s.score/>
                                                    </a>
                                                }).collect_view()}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </PostForm>
                        {next.map(|n| view! { <p><a class="btn" href=n>"Next page"</a></p> })}
                    }.into_any()
                }))
            })}
        </Transition>
    }
}

#[component]
pub fn PersonPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let person_id = move || params.with(|p| p.get("id").unwrap_or_default());
    // The tab shown: the overview unless the address names another.
    let tab = move || query.with(|q| q.get("tab").unwrap_or_default());
    let add = ServerAction::<AddTag>::new();
    let remove = ServerAction::<RemoveTag>::new();
    let note = ServerAction::<AddNote>::new();
    let review = ServerAction::<ApplyResumeProposal>::new();
    let person = Resource::new(
        move || {
            (
                person_id(),
                add.version().get(),
                remove.version().get(),
                note.version().get(),
                review.version().get(),
            )
        },
        |(id, ..)| get_person(id),
    );
    let add_err = action_error(add);
    let note_err = action_error(note);
    let review_err = action_error(review);
    // Read before the page's data arrives: after an await the context is not at hand.
    let staff_role = crate::auth::views::use_staff().role;
    let is_admin = staff_role == crate::auth::types::Role::Admin;
    let uses_crm = staff_role.uses_crm();
    let crm = crate::people::Crm::new(uses_crm, person_id);
    view! {
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                or_error(person.await.map(|p| {
                    let pid = p.id.clone();
                    let pid2 = p.id.clone();
                    let pid3 = p.id.clone();
                    let p2 = p.clone();
                    view! {
                        <Title text=p.name.clone()/>
                        <p class="crumbs"><a href="/app/people">"People"</a>" / "{p.name.clone()}</p>
                        <div class="page-head">
                            <h1>{p.name.clone()}</h1>
                            {p.unsubscribed_at.clone().map(|d| view! { <span class="badge">{format!("Unsubscribed {}", format_date(&d))}</span> })}
                            {is_admin.then(|| view! {
                                <a class="btn small link" href=format!("/admin/audit?subject=person%3A{}", p.id)>"Who viewed or changed this person"</a>
                            })}
                        </div>
                        {(!p.anonymised.is_empty()).then(|| view! {
                            <div class="banner anonymised-banner" role="note">
                                <p><strong>"Anonymised review."</strong>" Name, contact details, links and the resume file are hidden, and the resume text below has them taken out."</p>
                                <ul class="plain">{p.anonymised.iter().map(|n| view! { <li>{n.clone()}</li> }).collect_view()}</ul>
                            </div>
                        })}
                        <crate::dedupe::MergedBanner/>
                        <div class="profile-layout">
                            <aside class="profile-side" aria-label="Contact and tags">
                                <section class="card">
                                    <h2>"Contact"</h2>
                                    <dl class="facts">
                                        <dt>"Email"</dt><dd>{if p.email.is_empty() {
                                            view! { <span class="muted">"Hidden"</span> }.into_any()
                                        } else {
                                            view! { <a href=format!("mailto:{}", p.email)>{p.email.clone()}</a> }.into_any()
                                        }}</dd>
                                        <dt>"Phone"</dt><dd>{p.phone.clone().unwrap_or_else(|| "—".into())}</dd>
                                        <dt>"Location"</dt><dd>{p.location.clone().unwrap_or_else(|| "—".into())}</dd>
                                        <dt>"Source"</dt><dd>{source_label(&p.source)}</dd>
                                        <dt>"In the system since"</dt><dd>{format_date(&p.created_at)}</dd>
                                    </dl>
                                    {(!p.skills.is_empty()).then(|| view! {
                                        <h3>"Skills"</h3>
                                        <p>{p.skills.iter().map(|s| view! { <span class="tag skill">{s.clone()}</span> }).collect_view()}</p>
                                    })}
                                    {(!p.links.is_empty()).then(|| view! {
                                        <h3>"Links"</h3>
                                        <ul class="plain">{p.links.iter().map(|l| view! {
                                            <li><a href=l.clone() rel="noopener noreferrer nofollow" target="_blank">{l.clone()}</a></li>
                                        }).collect_view()}</ul>
                                    })}
                                    {(!p.work_history.is_empty()).then(|| view! {
                                        <h3>"Work history"</h3>
                                        <ul class="plain history">{p.work_history.iter().map(|l| view! { <li>{l.clone()}</li> }).collect_view()}</ul>
                                    })}
                                </section>
                                <section class="card">
                                    <h2>"Tags"</h2>
                                    <ul class="tag-list">
                                        {p.tags.iter().map(|t| {
                                            let pid = pid.clone();
                                            let t2 = t.clone();
                                            view! {
                                                <li class="tag">{t.clone()}
                                                    <PostForm action=remove attr:class="inline">
                                                        <input type="hidden" name="person_id" value=pid/>
                                                        <input type="hidden" name="tag" value=t2.clone()/>
                                                        <button type="submit" class="tag-remove" aria-label=format!("Remove tag {t2}")>"×"</button>
                                                    </PostForm>
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ul>
                                    <PostForm action=add attr:class="inline-form">
                                        <input type="hidden" name="person_ids[]" value=pid2/>
                                        <label for="add-tag" class="visually-hidden">"New tag"</label>
                                        <input id="add-tag" name="tag" placeholder="Add a tag"/>
                                        <button type="submit" class="btn">"Add"</button>
                                    </PostForm>
                                    <p class="field-error" role="alert">{move || field_error(add_err, "tag").get()}</p>
                                </section>
                            </aside>
                            <div class="profile-main">
                                <Tabs label="Profile" current=Signal::derive(move || tab_href(&pid3, &tab()))
                                    tabs=vec![
                                        ("Overview".to_string(), tab_href(&p.id, "")),
                                        (if p.resumes.is_empty() { "Resume".to_string() } else { format!("Resume ({})", p.resumes.len()) }, tab_href(&p.id, "resume")),
                                        (format!("Notes ({})", p.notes.len()), tab_href(&p.id, "notes")),
                                        (format!("Emails ({})", p.emails.len()), tab_href(&p.id, "emails")),
                                        (format!("Timeline ({})", p.timeline.len()), tab_href(&p.id, "timeline")),
                                    ]/>
                                {move || {
                                    let p = p2.clone();
                                    match tab().as_str() {
                                        "resume" => view! {
                                            <ResumeSection person_id=p.id.clone() resumes=p.resumes.clone() review=review err=review_err
                                                anonymised=!p.anonymised.is_empty()/>
                                        }.into_any(),
                                        "notes" => view! {
                                            <section class="card notes">
                                                <h2>"Notes"</h2>
                                                <PostForm action=note attr:class="form">
                                                    <input type="hidden" name="person_id" value=p.id.clone()/>
                                                    <label for="f-body">"Add a note for your team"</label>
                                                    <textarea id="f-body" name="body" rows="3"></textarea>
                                                    <p class="field-error" id="f-body-error" role="alert">{move || field_error(note_err, "body").get()}</p>
                                                    <button type="submit" class="btn">"Add note"</button>
                                                </PostForm>
                                                <ul class="plain note-list">
                                                    {p.notes.iter().map(|n| view! {
                                                        <li class="note">
                                                            <p class="muted small">{n.author.clone()}" · "{format_datetime(&n.at)}</p>
                                                            <pre>{n.body.clone()}</pre>
                                                        </li>
                                                    }).collect_view()}
                                                </ul>
                                            </section>
                                        }.into_any(),
                                        "emails" => view! { <EmailList emails=p.emails.clone() unsubscribed=p.unsubscribed_at.is_some()/> }.into_any(),
                                        "timeline" => view! {
                                            <section class="card">
                                                <h2>"Timeline"</h2>
                                                <ActivityList entries=p.timeline.clone()/>
                                            </section>
                                        }.into_any(),
                                        _ => view! {
                                            {uses_crm.then(|| view! { <crate::people::CrmPanel crm person_id=p.id.clone()/> })}
                                            <section class="card">
                                                <h2>"Applications"</h2>
                                                {if p.applications.is_empty() {
                                                    view! { <p class="muted">"No applications: this person is in the talent pool only."</p> }.into_any()
                                                } else {
                                                    view! {
                                                        <ul class="plain">
                                                            {p.applications.iter().map(|a| {
                                                                let status = match a.status.as_str() {
                                                                    "rejected" => "Rejected".to_string(),
                                                                    "withdrawn" => "Withdrawn".to_string(),
                                                                    _ => a.stage_name.clone(),
                                                                };
                                                                view! {
                                                                    <li class="app-line">
                                                                        <a href=format!("/app/jobs/{}/board", a.job_id)>{a.job_title.clone()}</a>
                                                                        " · "<span class=format!("status status-{}", a.status)>{status}</span>
                                                                        <span class="muted small">" · applied "{format_date(&a.applied_at)}" via "{source_label(&a.source)}</span>
                                                                        " · "<a href=format!("/app/applications/{}", a.id)>"Interviews and feedback"</a>
                                                                    </li>
                                                                }
                                                            }).collect_view()}
                                                        </ul>
                                                    }.into_any()
                                                }}
                                            </section>
                                        }.into_any(),
                                    }
                                }}
                            </div>
                        </div>
                    }
                }))
            })}
        </Transition>
        {move || crate::components::live(add_err).filter(|e| !matches!(e, AppError::Validation(_))).map(|e| view! { <crate::components::ErrorPanel error=e/> })}
    }
}

/// The resume files, a viewer, and the details read from the newest one for review.
#[component]
fn ResumeSection(
    person_id: String,
    resumes: Vec<ResumeInfo>,
    review: ServerAction<ApplyResumeProposal>,
    err: Signal<Option<AppError>>,
    /// Anonymised review: no file links or viewer, only the redacted text.
    #[prop(optional)]
    anonymised: bool,
) -> impl IntoView {
    if resumes.is_empty() {
        return view! {
            <section class="card resume"><h2>"Resume"</h2><p class="muted">"No resume on file."</p></section>
        }
        .into_any();
    }
    let newest = resumes[0].clone();
    let url = format!("/app/resumes/{}", newest.id);
    let is_pdf = newest.content_type == "application/pdf";
    let proposal = newest.proposal.clone();
    view! {
        <section class="card resume">
            <h2>"Resume"</h2>
            <ul class="plain">
                {resumes.iter().map(|r| view! {
                    <li>
                        {if anonymised {
                            view! { <span>{r.filename.clone()}</span> }.into_any()
                        } else {
                            view! { <a href=format!("/app/resumes/{}", r.id) target="_blank" rel="noopener">{r.filename.clone()}</a> }.into_any()
                        }}
                        <span class="muted small">" "{size_label(r.size)}" · uploaded "{format_date(&r.uploaded_at)}</span>
                    </li>
                }).collect_view()}
            </ul>
            {newest.parse_message.clone().map(|m| view! { <p class="banner" role="status">{m}</p> })}
            {proposal.map(|pr| {
                let pid = person_id.clone();
                let rid = newest.id.clone();
                view! {
                    <div class="proposal">
                        <h3>"Read from the resume: confirm what to keep"</h3>
                        <PostForm action=review attr:class="form">
                            <input type="hidden" name="person_id" value=pid/>
                            <input type="hidden" name="resume_id" value=rid/>
                            {pr.name.clone().map(|v| view! { <ProposalItem field="name" label="Name" value=v/> })}
                            {pr.email.clone().map(|v| view! { <ProposalItem field="email" label="Email" value=v/> })}
                            {pr.phone.clone().map(|v| view! { <ProposalItem field="phone" label="Phone" value=v/> })}
                            {(!pr.links.is_empty()).then(|| view! { <ProposalItem field="links" label="Links" value=pr.links.join(", ")/> })}
                            {(!pr.skills.is_empty()).then(|| view! { <ProposalItem field="skills" label="Skills" value=pr.skills.join(", ")/> })}
                            {(!pr.history.is_empty()).then(|| view! { <ProposalItem field="history" label="Work history" value=pr.history.join(" · ")/> })}
                            <p class="field-error" role="alert">{move || crate::components::live(err).map(|e| e.field_message("fields").unwrap_or_else(|| e.to_string()))}</p>
                            <button type="submit" class="btn primary">"Save checked details"</button>
                        </PostForm>
                    </div>
                }
            })}
            {if is_pdf && !anonymised {
                view! { <iframe class="resume-viewer" src=url title="Resume"></iframe> }.into_any()
            } else {
                view! {
                    <details class="resume-text" open=true>
                        <summary>"Resume text"</summary>
                        <pre>{newest.text.clone().unwrap_or_else(|| "No text could be read from this file.".into())}</pre>
                    </details>
                }.into_any()
            }}
        </section>
    }
    .into_any()
}

#[component]
fn ProposalItem(field: &'static str, label: &'static str, value: String) -> impl IntoView {
    let id = format!("prop-{field}");
    view! {
        <div class="field checkbox">
            <input type="checkbox" id=id.clone() name="fields[]" value=field checked=true/>
            <label for=id><strong>{label}": "</strong>{value}</label>
        </div>
    }
}

/// The emails to a person, newest first: what sent each, how far it got (and whether a campaign
/// email was opened or clicked), and the text as sent behind a disclosure.
#[component]
fn EmailList(emails: Vec<ProfileEmail>, unsubscribed: bool) -> impl IntoView {
    view! {
        <section class="card emails">
            <h2>"Emails"</h2>
            {unsubscribed.then(|| view! {
                <p class="muted small">"Unsubscribed: campaigns no longer email this person; messages about their applications still go."</p>
            })}
            {if emails.is_empty() {
                view! { <p class="muted">"No emails to this person yet."</p> }.into_any()
            } else {
                view! {
                    <ul class="plain email-list">
                        {emails.into_iter().map(|m| {
                            let when = m.sent_at.clone().unwrap_or_else(|| m.created_at.clone());
                            view! {
                                <li class="email-item">
                                    <details>
                                        <summary>
                                            <span class="email-subject">{m.subject.clone()}</span>
                                            <Badge tone=match m.status.as_str() {
                                                "sent" => Tone::Ok,
                                                "failed" => Tone::Danger,
                                                "suppressed" => Tone::Warn,
                                                _ => Tone::Neutral,
                                            }>{email_status_label(&m.status)}</Badge>
                                            {m.opened_at.is_some().then(|| view! { <Badge tone=Tone::Brand>"Opened"</Badge> })}
                                            {m.clicked_at.is_some().then(|| view! { <Badge tone=Tone::Brand>"Clicked"</Badge> })}
                                            <span class="muted small email-meta">
                                                {email_kind_label(&m.kind)}" · "{format_datetime(&when)}
                                            </span>
                                        </summary>
                                        {m.campaign.clone().map(|(id, name)| view! {
                                            <p class="small">"Campaign: "<a href=format!("/app/campaigns/{id}")>{name}</a></p>
                                        })}
                                        <pre class="email-body">{m.body.clone()}</pre>
                                    </details>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

/// The address of a profile tab (`""`: the overview).
fn tab_href(person: &str, tab: &str) -> String {
    if tab.is_empty() {
        format!("/app/people/{person}")
    } else {
        format!("/app/people/{person}?tab={tab}")
    }
}

/// What happened, newest first: when, what and by whom (a profile's timeline, a job's activity).
#[component]
pub fn ActivityList(
    entries: Vec<ProfileEntry>,
    /// Classes beside `timeline`.
    #[prop(optional, into)]
    class: String,
) -> impl IntoView {
    view! {
        <ol class=format!("timeline {class}").trim_end().to_string()>
            {entries.into_iter().map(|e| view! {
                <li data-kind=e.kind>
                    <time datetime=e.at.clone()>{format_datetime(&e.at)}</time>" "
                    <span>{e.text}</span>
                    <span class="muted small">" by "{e.actor}</span>
                </li>
            }).collect_view()}
        </ol>
    }
}
