//! Screening screens: the job's screening page (criteria and the ranked list), the reading on
//! an application's page, and the questions on the public apply form.

use super::api::*;
use super::types::*;
use crate::components::PostForm;
use crate::components::{
    EmptyState, FormError, Loading, action_or_url_error, field_error, format_datetime, or_error,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The tone of a verdict's badge.
fn tone(v: Verdict) -> &'static str {
    match v {
        Verdict::Met => "badge tone-ok",
        Verdict::NotMet => "badge tone-danger",
        Verdict::Unknown => "badge tone-neutral",
    }
}

/// A score as a badge: "7/9 · passes".
#[component]
pub fn ScoreBadge(score: Score) -> impl IntoView {
    let class = if score.passed {
        "badge tone-ok score-badge"
    } else {
        "badge tone-warn score-badge"
    };
    view! {
        <span class=class title="Screening: points of the criteria met (must-haves count twice)">
            <span class="visually-hidden">"Screening "</span>{score.label()}
        </span>
    }
}

/// `/app/jobs/:id/screening`: the criteria (recruiters and admins edit them) and the job's
/// applications ranked by score, with a mark per criterion.
#[component]
pub fn JobScreeningPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let job_id = move || params.with(|p| p.get("id").unwrap_or_default());
    let q = move |k: &'static str| query.with(|m| m.get(k).unwrap_or_default());
    let add = ServerAction::<AddScreeningCriterion>::new();
    let remove = ServerAction::<RemoveScreeningCriterion>::new();
    let rescreen = ServerAction::<RescreenJob>::new();
    let data = Resource::new(
        move || {
            (
                job_id(),
                (q("only"), q("meets"), q("sort"), q("closed")),
                (
                    add.version().get(),
                    remove.version().get(),
                    rescreen.version().get(),
                ),
            )
        },
        |(id, (only, meets, sort, closed), _)| get_job_screening(id, only, meets, sort, closed),
    );
    let add_err = action_or_url_error(add);
    let remove_err = action_or_url_error(remove);
    let queued = move || {
        matches!(add.value().get(), Some(Ok(())))
            || matches!(remove.value().get(), Some(Ok(())))
            || matches!(rescreen.value().get(), Some(Ok(())))
    };
    view! {
        <Title text="Screening"/>
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                or_error(data.await.map(|s| {
                    let job_href = format!("/app/jobs/{}", s.job_id);
                    let filter = ListFilter { only: q("only"), meets: q("meets"), sort: q("sort"), closed: q("closed") == "yes" };
                    view! {
                        <Title text=format!("Screening: {}", s.job_title)/>
                        <p class="crumbs"><a href="/app/jobs">"Jobs"</a>" / "<a href=job_href>{s.job_title.clone()}</a>" / Screening"</p>
                        <div class="page-head"><h1>{format!("Screening: {}", s.job_title)}</h1></div>
                        <p class="lead screening-promise">
                            "Each application is read against this job's criteria on our own server: nothing is sent anywhere. "
                            "Every result quotes the sentence it was read from. The score sorts and explains; it never rejects anyone, and a recruiter can override any result."
                        </p>
                        <Show when=queued>
                            <p class="banner banner-ok" role="status">"Saved. Applications are being read again; refresh in a moment for the new scores."</p>
                        </Show>
                        <Criteria s=s.clone() add remove rescreen add_err remove_err/>
                        <RankedList s filter/>
                    }
                }))
            })}
        </Transition>
    }
}

#[component]
fn Criteria(
    s: JobScreening,
    add: ServerAction<AddScreeningCriterion>,
    remove: ServerAction<RemoveScreeningCriterion>,
    rescreen: ServerAction<RescreenJob>,
    add_err: Signal<Option<crate::error::AppError>>,
    remove_err: Signal<Option<crate::error::AppError>>,
) -> impl IntoView {
    let job_id = s.job_id.clone();
    let can_edit = s.can_edit;
    let general = Signal::derive(move || {
        add_err
            .get()
            .filter(|e| !matches!(e, crate::error::AppError::Validation(_)))
    });
    view! {
        <section class="card screening-criteria" aria-labelledby="criteria-heading">
            <h2 id="criteria-heading">"Criteria"</h2>
            <FormError error=remove_err/>
            {if s.criteria.is_empty() {
                view! { <EmptyState title="No criteria yet"
                    hint="Add the must-haves and nice-to-haves of this role: skills, years of experience, location, languages, or a yes/no question on the application form."/> }.into_any()
            } else {
                view! {
                    <ul class="plain criteria-list">
                        {s.criteria.iter().map(|c| {
                            let jid = job_id.clone();
                            let cid = c.id.clone();
                            let described = c.describe();
                            view! {
                                <li class="criterion" data-criterion=c.id.clone()>
                                    <span class=if c.required { "badge tone-brand" } else { "badge tone-neutral" }>
                                        {if c.required { "Must-have" } else { "Nice-to-have" }}
                                    </span>" "
                                    <span class="muted small">{c.kind.label()}": "</span>
                                    <span class="criterion-text">{c.describe()}</span>
                                    {can_edit.then(|| view! {
                                        <PostForm action=remove attr:class="inline">
                                            <input type="hidden" name="job_id" value=jid/>
                                            <input type="hidden" name="criterion_id" value=cid/>
                                            <button type="submit" class="btn small">"Remove"<span class="visually-hidden">{format!(" {described}")}</span></button>
                                        </PostForm>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {can_edit.then(|| {
                let jid = job_id.clone();
                let jid2 = job_id.clone();
                view! {
                    <h3>"Add a criterion"</h3>
                    <FormError error=general/>
                    <PostForm action=add attr:class="form criterion-form" attr:novalidate=true>
                        <input type="hidden" name="job_id" value=jid/>
                        <div class="field">
                            <label for="c-kind">"Checks"</label>
                            <select id="c-kind" name="kind">
                                {Kind::ALL.into_iter().map(|k| view! { <option value=k.as_str()>{k.label()}</option> }).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for="c-term">"Skill, title, places, language or question"</label>
                            <input id="c-term" name="term" aria-describedby="c-term-hint c-term-error"
                                placeholder="e.g. Rust, or: Kubernetes or k8s"/>
                            <p class="hint" id="c-term-hint">"Write alternatives with “or”. For a location: “Germany or Portugal”. For a question: the question candidates answer."</p>
                            <p class="field-error" id="c-term-error" role="alert">{move || field_error(add_err, "term").get()}</p>
                        </div>
                        <div class="field">
                            <label for="c-years">"Minimum years (years of experience only)"</label>
                            <input id="c-years" name="years" inputmode="numeric" aria-describedby="c-years-error"/>
                            <p class="field-error" id="c-years-error" role="alert">{move || field_error(add_err, "years").get()}</p>
                        </div>
                        <div class="field">
                            <label for="c-answer">"Answer that meets it (questions only)"</label>
                            <select id="c-answer" name="answer" aria-describedby="c-answer-error">
                                <option value="">"—"</option>
                                <option value="yes">"Yes"</option>
                                <option value="no">"No"</option>
                            </select>
                            <p class="field-error" id="c-answer-error" role="alert">{move || field_error(add_err, "answer").get()}</p>
                        </div>
                        <div class="field checkbox">
                            <input type="checkbox" id="c-required" name="required" value="yes"/>
                            <label for="c-required">"Must-have (a “Not met” shows as missing a must-have)"</label>
                        </div>
                        <button type="submit" class="btn primary">"Add criterion"</button>
                    </PostForm>
                    <PostForm action=rescreen attr:class="inline rescreen">
                        <input type="hidden" name="job_id" value=jid2/>
                        <button type="submit" class="btn small">"Read all applications again"</button>
                        <span class="muted small">" after resumes or profiles changed."</span>
                    </PostForm>
                }
            })}
        </section>
    }
}

#[component]
fn RankedList(s: JobScreening, filter: ListFilter) -> impl IntoView {
    let action = format!("/app/jobs/{}/screening", s.job_id);
    let criteria = s.criteria.clone();
    view! {
        <section class="card screening-list" aria-labelledby="ranked-heading">
            <h2 id="ranked-heading">"Applications"</h2>
            <form method="get" action=action.clone() class="board-filters" aria-label="Filter the applications">
                <label for="sf-only">"Show"</label>
                <select id="sf-only" name="only">
                    {[("", "Everyone"), ("passed", "Passes the must-haves"), ("failed", "Misses a must-have")].into_iter().map(|(v, l)| view! {
                        <option value=v selected=filter.only == v>{l}</option>
                    }).collect_view()}
                </select>
                <label for="sf-meets">"Meets"</label>
                <select id="sf-meets" name="meets">
                    <option value="" selected=filter.meets.is_empty()>"Any criterion"</option>
                    {criteria.iter().map(|c| view! {
                        <option value=c.id.clone() selected=filter.meets == c.id>{c.describe()}</option>
                    }).collect_view()}
                </select>
                <label for="sf-sort">"Order"</label>
                <select id="sf-sort" name="sort">
                    <option value="score" selected=filter.sort != "applied">"Best score first"</option>
                    <option value="applied" selected=filter.sort == "applied">"Newest first"</option>
                </select>
                <span class="field checkbox inline-check">
                    <input type="checkbox" id="sf-closed" name="closed" value="yes" checked=filter.closed/>
                    <label for="sf-closed">"Include rejected and withdrawn"</label>
                </span>
                <button type="submit" class="btn small">"Apply"</button>
            </form>
            {if s.lines.is_empty() {
                view! { <EmptyState title="No applications match" hint="Change the filters above, or wait for applications to come in."/> }.into_any()
            } else {
                view! {
                    <div class="table-scroll">
                        <table class="data-table screening-table" tabindex="0" aria-label="Applications by screening score">
                            <thead><tr>
                                <th scope="col">"Candidate"</th>
                                <th scope="col">"Stage"</th>
                                <th scope="col">"Score"</th>
                                {criteria.iter().map(|c| view! { <th scope="col" class="crit-col" title=c.describe()>{c.describe()}</th> }).collect_view()}
                            </tr></thead>
                            <tbody>
                                {s.lines.into_iter().map(|l| {
                                    let href = format!("/app/applications/{}#screening", l.application_id);
                                    view! {
                                        <tr data-application=l.application_id.clone()>
                                            <th scope="row"><a href=href>{l.name.clone()}</a></th>
                                            <td>{l.stage_name.clone()}</td>
                                            <td>{match l.score {
                                                Some(sc) => view! { <ScoreBadge score=sc/> }.into_any(),
                                                None => view! { <span class="muted small">"Not read yet"</span> }.into_any(),
                                            }}</td>
                                            {l.marks.iter().map(|m| view! {
                                                <td class=format!("mark mark-{}", m.as_str())>
                                                    <span aria-hidden="true">{m.mark()}</span>
                                                    <span class="visually-hidden">{m.label()}</span>
                                                </td>
                                            }).collect_view()}
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

/// One application's screening, read for [`ScreeningPanel`]. A page makes it in its own body,
/// not inside a `Suspend`: a resource created there is not matched with the server's data while
/// hydrating, so the browser fetched it again, and when the reading had moved on meanwhile the
/// page failed to hydrate (and its forms posted without JavaScript).
#[derive(Clone, Copy)]
pub struct Screening {
    over: ServerAction<OverrideScreening>,
    data: Resource<Result<ApplicationScreening, crate::error::AppError>>,
}

impl Screening {
    pub fn new(application_id: impl Fn() -> String + Send + Sync + 'static) -> Self {
        let over = ServerAction::<OverrideScreening>::new();
        let data = Resource::new(
            move || (application_id(), over.version().get()),
            |(id, _)| get_application_screening(id),
        );
        Self { over, data }
    }
}

/// The reading of one application: a line per criterion with its verdict, the sentence it was
/// read from, and the override form for recruiters and admins.
#[component]
pub fn ScreeningPanel(screening: Screening) -> impl IntoView {
    let Screening { over, data } = screening;
    let err = action_or_url_error(over);
    view! {
        <section class="card screening-panel" id="screening" aria-labelledby="screening-heading">
            <h2 id="screening-heading">"Screening"</h2>
            <FormError error=err/>
            <Transition fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    or_error(data.await.map(|s| {
                        if s.results.is_empty() {
                            let href = format!("/app/jobs/{}/screening", s.job_id);
                            return view! {
                                <EmptyState title="This job has no screening criteria" hint="Add the role's must-haves to see how each application meets them, with the evidence quoted.">
                                    <a class="btn" href=href>"Set up screening"</a>
                                </EmptyState>
                            }.into_any();
                        }
                        let can = s.can_override;
                        let app = s.application_id.clone();
                        view! {
                            <p class="screening-summary">
                                {match s.score {
                                    Some(sc) => view! { <ScoreBadge score=sc/>" " }.into_any(),
                                    None => view! { <span class="muted">"Being read…"</span> }.into_any(),
                                }}
                                <span class="muted small">
                                    {s.read_at.as_deref().map(|t| format!("Read {} on our server. ", format_datetime(t))).unwrap_or_default()}
                                    "The score never rejects anyone by itself."
                                    {s.masked.then_some(" Names, contacts and links are taken out of the quotes (anonymised review).")}
                                </span>
                            </p>
                            <ol class="plain screening-results">
                                {s.results.into_iter().map(|r| view! { <ResultLine r can app=app.clone() over/> }).collect_view()}
                            </ol>
                        }.into_any()
                    }))
                })}
            </Transition>
        </section>
    }
}

#[component]
fn ResultLine(
    r: CriterionResult,
    can: bool,
    app: String,
    over: ServerAction<OverrideScreening>,
) -> impl IntoView {
    let v = r.verdict();
    let select_id = format!("ov-{}", r.criterion.id);
    let note_id = format!("ov-note-{}", r.criterion.id);
    let described = r.criterion.describe();
    let crit_id = r.criterion.id.clone();
    view! {
        <li class="screening-result" data-criterion=r.criterion.id.clone() data-verdict=v.as_str()>
            <div class="result-head">
                <span class=tone(v)>{v.label()}</span>" "
                <strong>{described.clone()}</strong>
                {r.criterion.required.then(|| view! { <span class="muted small">" · must-have"</span> })}
            </div>
            {match (&r.found.evidence, r.found.explanation()) {
                (Some(q), _) => view! {
                    <blockquote class="evidence">
                        <p>{q.clone()}</p>
                        <footer class="muted small">{match r.found.source.as_str() {
                            "resume" => "From the resume",
                            "profile" => "From the profile",
                            _ => "From the application",
                        }}</footer>
                    </blockquote>
                }.into_any(),
                (None, Some(why)) => view! { <p class="muted small evidence-none">{why}</p> }.into_any(),
                (None, None) => ().into_any(),
            }}
            {r.overridden.as_ref().map(|o| view! {
                <p class="override-note small">
                    {format!("Set to {} by {} on {}", o.verdict.label(), o.by, format_datetime(&o.at))}
                    {(!o.note.is_empty()).then(|| format!(": “{}”", o.note))}
                    {format!(" (the reading says {}).", r.found.verdict.label())}
                </p>
            })}
            {can.then(|| {
                let current = r.overridden.as_ref().map(|o| o.verdict);
                view! {
                    <details class="override">
                        <summary>"Override"<span class="visually-hidden">{format!(" {described}")}</span></summary>
                        <PostForm action=over attr:class="inline-form">
                            <input type="hidden" name="application_id" value=app/>
                            <input type="hidden" name="criterion_id" value=crit_id/>
                            <label for=select_id.clone()>"Result"</label>
                            <select id=select_id name="verdict">
                                <option value="" selected=current.is_none()>{format!("As read ({})", r.found.verdict.label())}</option>
                                {[Verdict::Met, Verdict::NotMet, Verdict::Unknown].into_iter().map(|x| view! {
                                    <option value=x.as_str() selected=current == Some(x)>{x.label()}</option>
                                }).collect_view()}
                            </select>
                            <label for=note_id.clone()>"Why"</label>
                            <input id=note_id name="note" placeholder="e.g. Confirmed on the phone screen"/>
                            <button type="submit" class="btn small">"Save"</button>
                        </PostForm>
                    </details>
                }
            })}
        </li>
    }
}

/// A job's yes/no questions, read by the job page in its own body (a resource made inside the
/// page's `Suspend` is read again by the browser, and the page fails to hydrate when the
/// questions changed meanwhile).
pub type Questions = Resource<Result<Vec<(String, String)>, crate::error::AppError>>;

pub fn questions_of(job_id: impl Fn() -> String + Send + Sync + 'static) -> Questions {
    Resource::new(job_id, screening_questions)
}

/// The job's yes/no questions on the apply form (`q_<criterion id>`), if it has any.
#[component]
pub fn ScreeningQuestions(questions: Questions) -> impl IntoView {
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let qs = questions.await.unwrap_or_default();
                (!qs.is_empty()).then(|| view! {
                    <fieldset class="field screening-questions">
                        <legend>"About the role"</legend>
                        <p class="hint">"A person reads your answers; no answer is ever a reason to turn you down by itself."</p>
                        {qs.into_iter().map(|(id, text)| {
                            let name = format!("q_{id}");
                            let yes = format!("q-{id}-yes");
                            let no = format!("q-{id}-no");
                            view! {
                                <div class="question" role="radiogroup" aria-label=text.clone()>
                                    <p class="question-text">{text.clone()}</p>
                                    <label for=yes.clone()><input type="radio" id=yes.clone() name=name.clone() value="yes"/>" Yes"</label>
                                    <label for=no.clone()><input type="radio" id=no.clone() name=name value="no"/>" No"</label>
                                </div>
                            }
                        }).collect_view()}
                    </fieldset>
                })
            })}
        </Suspense>
    }
}
