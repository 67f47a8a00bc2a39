//! `/app/reports`: the filters (a plain GET form, so the page works without JavaScript), a few
//! headline numbers, and per report a chart, its table and a CSV download.

use super::api::hiring_reports;
use super::types::*;
use crate::components::chart::{Bar, BarChart};
use crate::components::{ErrorPanel, Loading};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn select(
    id: &'static str,
    name: &'static str,
    label: &'static str,
    any: &'static str,
    options: Vec<(String, String)>,
    current: String,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select id=id name=name>
                <option value="" selected=current.is_empty()>{any}</option>
                {options.into_iter().map(|(v, l)| {
                    let sel = v == current;
                    view! { <option value=v selected=sel>{l}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

fn spread_text(s: Option<Spread>) -> String {
    s.map(|s| days(s.median)).unwrap_or_else(|| "—".into())
}

fn share_text(v: Option<f64>) -> String {
    v.map(percent).unwrap_or_else(|| "—".into())
}

#[component]
fn Filters(r: HiringReport) -> impl IntoView {
    let q = r.query.clone();
    let o = r.options.clone();
    view! {
        <form method="get" action="/app/reports" class="card report-filters" aria-label="Filters">
            <div class="row filters-row">
                {select("report-job", "job", "Job", "All jobs", o.jobs.clone(), q.job.clone())}
                {select("report-department", "department", "Department", "Any department",
                    o.departments.iter().map(|d| (d.clone(), d.clone())).collect(), q.department.clone())}
                {select("report-source", "source", "Source", "Any source", o.sources.clone(), q.source.clone())}
                <div class="field"><label for="report-from">"Applied from"</label>
                    <input id="report-from" type="date" name="from" value=q.from.clone()/></div>
                <div class="field"><label for="report-to">"Applied until"</label>
                    <input id="report-to" type="date" name="to" value=q.to.clone()/></div>
                {r.impact.is_some().then(|| {
                    let current = q.group_by.clone();
                    view! {
                        <div class="field"><label for="report-group-by">"Fairness check by"</label>
                            <select id="report-group-by" name="group_by">
                                {SELF_ID.iter().map(|g| {
                                    let sel = g.name == current;
                                    view! { <option value=g.name selected=sel>{g.label}</option> }
                                }).collect_view()}
                            </select></div>
                    }
                })}
            </div>
            <button type="submit" class="btn primary">"Show"</button>
            " "<a class="btn" href="/app/reports">"Clear filters"</a>
        </form>
    }
}

#[component]
fn Totals(r: Headline) -> impl IntoView {
    let tth = r
        .time_to_hire
        .map(|s| format!("{} (3 in 4 within {})", days(s.median), days(s.p75)));
    view! {
        <dl class="report-totals reports-totals">
            <div class="total total-applications"><dt>"Applications"</dt><dd>{r.applications}</dd></div>
            <div class="total total-hires"><dt>"Hires"</dt><dd>{r.hires}</dd></div>
            <div class="total total-time"><dt>"Median time to hire"</dt>
                <dd>{r.time_to_hire.map(|s| days(s.median)).unwrap_or_else(|| "—".into())}</dd></div>
            <div class="total total-acceptance"><dt>"Offers accepted"</dt>
                <dd>{share_text(r.offers.acceptance())}</dd></div>
        </dl>
        <p class="muted small">
            {format!("Applications received {} to {}. ", r.from, r.to)}
            {tth.map(|t| format!("Time to hire: {t}. "))}
            {format!(
                "{} made, {} accepted, {} declined.",
                match r.offers.made { 1 => "1 offer".to_string(), n => format!("{n} offers") },
                r.offers.accepted,
                r.offers.declined
            )}
        </p>
    }
}

/// One report: its heading, what it counts, its chart, its table (scrolling sideways on a
/// phone, given as the children) and the table's CSV download.
#[component]
fn ReportSection(
    /// Names the heading's id ("funnel" → "funnel-title").
    id: &'static str,
    #[prop(into)] title: String,
    #[prop(into)] intro: String,
    chart: AnyView,
    csv: String,
    children: Children,
) -> impl IntoView {
    let heading = format!("{id}-title");
    let labelled_by = heading.clone();
    view! {
        <section class="card report" aria-labelledby=labelled_by>
            <h2 id=heading>{title}</h2>
            <p class="muted small">{intro}</p>
            {chart}
            <div class="table-scroll">{children()}</div>
            <p><a class="btn" href=csv download="">"Download CSV"</a></p>
        </section>
    }
}

#[component]
fn Funnel(r: HiringReport) -> impl IntoView {
    let csv = format!("/app/reports/funnel.csv?{}", r.query.to_query_string());
    let bars = r
        .figures
        .funnel
        .iter()
        .map(|f| Bar {
            label: f.name.clone(),
            value: f.reached as f64,
            text: match f.conversion {
                Some(c) => format!("{} ({} of the stage before)", f.reached, percent(c)),
                None => f.reached.to_string(),
            },
        })
        .collect();
    let job = r.query.job.clone();
    let link = r.can_search && !job.is_empty();
    let intro = format!(
        "Of the applications received in the period: how many got to each stage (or further; a skipped stage counts as passed), and how long that took.{}",
        if r.figures.across_jobs {
            " Across jobs, stages are matched by name."
        } else {
            ""
        }
    );
    view! {
        <ReportSection id="funnel" title="Funnel and pass-through" intro csv
            chart=view! { <BarChart id="funnel-chart" title="Applications reaching each stage" bars/> }.into_any()>
                <table class="data-table funnel-table" tabindex="0" aria-label="Funnel by stage">
                    <thead><tr>
                        <th scope="col">"Stage"</th><th scope="col">"Reached"</th><th scope="col">"Of the stage before"</th>
                        <th scope="col">"Median days to reach"</th><th scope="col">"Median days in stage"</th>
                        <th scope="col">"In stage now"</th><th scope="col">"Left here"</th>
                    </tr></thead>
                    <tbody>
                        {r.figures.funnel.into_iter().map(|f| {
                            let now = match f.stage_id.clone().filter(|_| link) {
                                Some(stage) => view! {
                                    <a href=format!("/app/search?job={}&stage={}", crate::components::urlencode(&job), crate::components::urlencode(&stage))>{f.now_in_stage}</a>
                                }.into_any(),
                                None => f.now_in_stage.into_any(),
                            };
                            let left = if f.rejected + f.withdrawn == 0 {
                                "—".to_string()
                            } else {
                                let reasons = f.reasons.iter().map(|(r, n)| format!("{r} ({n})")).collect::<Vec<_>>().join(", ");
                                format!("{} turned down, {} withdrew{}", f.rejected, f.withdrawn,
                                    if reasons.is_empty() { String::new() } else { format!(": {reasons}") })
                            };
                            view! {
                                <tr data-stage=f.name.clone()>
                                    <th scope="row">{f.name.clone()}</th>
                                    <td class="reached">{f.reached}</td>
                                    <td>{share_text(f.conversion)}</td>
                                    <td>{spread_text(f.days_to_reach)}</td>
                                    <td>{spread_text(f.days_in_stage)}</td>
                                    <td class="now">{now}</td>
                                    <td class="left">{left}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
        </ReportSection>
    }
}

#[component]
fn HiresByMonth(r: HiringReport) -> impl IntoView {
    let csv = format!("/app/reports/hires.csv?{}", r.query.to_query_string());
    if r.figures.hires_by_month.is_empty() {
        return view! {
            <section class="card report" aria-labelledby="hires-title">
                <h2 id="hires-title">"Time to hire"</h2>
                <p class="empty">"No hires among these applications yet."</p>
            </section>
        }
        .into_any();
    }
    let bars = r
        .figures
        .hires_by_month
        .iter()
        .map(|m| Bar {
            label: m.month.clone(),
            value: m.hires as f64,
            text: format!(
                "{} {}, median {}",
                m.hires,
                if m.hires == 1 { "hire" } else { "hires" },
                spread_text(m.days_to_hire)
            ),
        })
        .collect();
    view! {
        <ReportSection id="hires" title="Time to hire"
            intro="Days from applying to joining the Hired stage, by month of hire." csv
            chart=view! { <BarChart id="hires-chart" title="Hires per month" bars/> }.into_any()>
                <table class="data-table hires-table" tabindex="0" aria-label="Hires by month">
                    <thead><tr><th scope="col">"Month"</th><th scope="col">"Hires"</th><th scope="col">"Median days to hire"</th><th scope="col">"3 in 4 within"</th></tr></thead>
                    <tbody>
                        {r.figures.hires_by_month.into_iter().map(|m| view! {
                            <tr>
                                <th scope="row">{m.month.clone()}</th>
                                <td>{m.hires}</td>
                                <td>{spread_text(m.days_to_hire)}</td>
                                <td>{m.days_to_hire.map(|s| days(s.p75)).unwrap_or_else(|| "—".into())}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
        </ReportSection>
    }
    .into_any()
}

#[component]
fn Sources(r: HiringReport) -> impl IntoView {
    let csv = format!("/app/reports/sources.csv?{}", r.query.to_query_string());
    let bars = r
        .figures
        .sources
        .iter()
        .map(|s| Bar {
            label: s.label.clone(),
            value: s.applications as f64,
            text: format!("{} applications, {} hired", s.applications, s.hires),
        })
        .collect();
    view! {
        <ReportSection id="sources" title="Source effectiveness"
            intro="Where the period's applications came from, and how far each source's candidates got." csv
            chart=view! { <BarChart id="sources-chart" title="Applications per source" bars/> }.into_any()>
                <table class="data-table sources-table" tabindex="0" aria-label="Results per source">
                    <thead><tr>
                        <th scope="col">"Source"</th><th scope="col">"Applications"</th><th scope="col">"Past the first stage"</th>
                        <th scope="col">"Offers"</th><th scope="col">"Hires"</th><th scope="col">"Hire rate"</th>
                        <th scope="col">"Hires a campaign warmed"</th>
                    </tr></thead>
                    <tbody>
                        {r.figures.sources.into_iter().map(|s| {
                            let rate = share_text(s.hire_rate());
                            view! {
                                <tr data-source=s.source.clone()>
                                    <th scope="row">{s.label.clone()}</th>
                                    <td>{s.applications}</td>
                                    <td>{s.advanced}</td>
                                    <td>{s.offers}</td>
                                    <td>{s.hires}</td>
                                    <td>{rate}</td>
                                    <td>{s.warmed_hires}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
        </ReportSection>
    }
}

/// The four-fifths check per step of the funnel, for the chosen self-identification question.
#[component]
fn Fairness(impact: AdverseImpact) -> impl IntoView {
    let any_flag = impact
        .stages
        .iter()
        .chain(impact.screening.iter())
        .any(|s| s.rows.iter().any(|r| r.flagged));
    view! {
        <section class="card report" aria-labelledby="impact-title">
            <h2 id="impact-title">{format!("Adverse impact by {}", impact.label.to_lowercase())}</h2>
            <p class="muted small">
                {format!("At each step, each group's selection rate against the highest group's (the four-fifths rule: under {}% is flagged). ", (FOUR_FIFTHS * 100.0) as i64)}
                {format!("{} of these applications answered the voluntary question; {} declined or were not asked. ", impact.answered, impact.declined)}
                {format!("Groups under {MIN_GROUP} are shown but not judged. Answers are kept apart from applications and only ever counted.")}
            </p>
            {if impact.answered == 0 {
                view! { <p class="empty">"No answers to compare yet."</p> }.into_any()
            } else {
                view! {
                    <p class=if any_flag { "banner banner-warn" } else { "banner banner-ok" } role="status">
                        {if any_flag { "A group's selection rate is under four fifths of the highest at a step below: look at that step's decisions." } else { "No group's selection rate is under four fifths of the highest at any step." }}
                    </p>
                    {impact.screening.clone().filter(|s| s.rows.iter().any(|r| r.applicants > 0)).map(|s| view! {
                        <p class="muted small">"The screening score is checked the same way: of each group's screened applications, how many pass the must-haves."</p>
                        <ImpactTable s/>
                    })}
                    {impact.stages.into_iter().filter(|s| s.rows.iter().any(|r| r.applicants > 0)).map(|s| view! { <ImpactTable s/> }).collect_view()}
                }.into_any()
            }}
        </section>
    }
}

/// One step's comparison of groups.
#[component]
fn ImpactTable(s: StageImpact) -> impl IntoView {
    let caption = format!("{} → {}", s.from, s.to);
    view! {
        <div class="table-scroll">
            <table class="data-table impact-table" tabindex="0" aria-label=format!("Adverse impact, {caption}")>
                <caption>{caption.clone()}</caption>
                <thead><tr>
                    <th scope="col">"Group"</th><th scope="col">{format!("Reached {}", s.from)}</th>
                    <th scope="col">{format!("Then {}", s.to)}</th><th scope="col">"Selection rate"</th>
                    <th scope="col">"Impact ratio"</th><th scope="col">"Finding"</th>
                </tr></thead>
                <tbody>
                    {s.rows.into_iter().map(|r| {
                        let finding = if r.too_small { "Too few to judge" } else if r.flagged { "Under four fifths" } else if r.ratio.is_some() { "Within four fifths" } else { "—" };
                        view! {
                            <tr data-group=r.group.clone() class:flagged=r.flagged>
                                <th scope="row">{r.label.clone()}</th>
                                <td>{r.applicants}</td>
                                <td>{r.selected}</td>
                                <td>{share_text(r.rate)}</td>
                                <td>{r.ratio.map(|x| format!("{x:.2}")).unwrap_or_else(|| "—".into())}</td>
                                <td class="finding">{finding}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// The staff home's few numbers: the last 90 days of the caller's jobs, and a way in.
#[component]
pub fn HomeNumbers(r: Headline) -> impl IntoView {
    view! {
        <section class="card home-numbers" aria-labelledby="home-numbers-title">
            <h2 id="home-numbers-title">"Your numbers, last 90 days"</h2>
            <Totals r/>
            <p><a href="/app/reports">"All reports"</a></p>
        </section>
    }
}

#[component]
pub fn ReportsPage() -> impl IntoView {
    let query = use_query_map();
    let get = move |k: &'static str| query.with(|q| q.get(k).unwrap_or_default());
    let report = Resource::new(
        move || {
            (
                get("job"),
                get("department"),
                get("source"),
                get("from"),
                get("to"),
                get("group_by"),
            )
        },
        |(job, department, source, from, to, group_by)| {
            hiring_reports(job, department, source, from, to, group_by)
        },
    );
    view! {
        <Title text="Reports"/>
        <h1>"Hiring reports"</h1>
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match report.await {
                    Ok(r) => view! {
                        <Filters r=r.clone()/>
                        <Totals r=r.headline()/>
                        {if r.figures.applications == 0 {
                            view! { <p class="empty card">"No applications match these filters: widen the period or clear a filter."</p> }.into_any()
                        } else {
                            view! {
                                <Funnel r=r.clone()/>
                                <HiresByMonth r=r.clone()/>
                                <Sources r=r.clone()/>
                                {r.impact.map(|impact| view! { <Fairness impact/> })}
                            }.into_any()
                        }}
                    }.into_any(),
                    Err(e) => {
                        // A filter that does not parse is named (the period, a date).
                        let named: Vec<String> = match &e {
                            AppError::Validation(list) => list.iter().map(|f| f.message.clone()).collect(),
                            _ => Vec::new(),
                        };
                        let panel = if named.is_empty() {
                            view! { <ErrorPanel error=e/> }.into_any()
                        } else {
                            crate::components::error_status(&e);
                            view! {
                                <div class="banner banner-error" role="alert">
                                    {named.into_iter().map(|m| view! { <p>{m}</p> }).collect_view()}
                                </div>
                            }.into_any()
                        };
                        view! {
                            {panel}
                            <p><a class="btn" href="/app/reports">"Clear filters"</a></p>
                        }.into_any()
                    }
                }
            })}
        </Transition>
        <Health/>
    }
}

/// Pipeline health: stuck applications per job, stage and owner (and the longest stuck), open
/// jobs where nothing moves, overdue scorecards per interviewer. Its own GET form for the days.
#[component]
fn Health() -> impl IntoView {
    use super::api::get_pipeline_health;
    let query = use_query_map();
    let get = move |k: &'static str| query.with(|q| q.get(k).unwrap_or_default());
    let health = Resource::new(
        move || (get("job"), get("department"), get("stuck_days")),
        |(job, department, days)| get_pipeline_health(job, department, days),
    );
    view! {
        <section class="card report pipeline-health" aria-labelledby="health-title">
            <h2 id="health-title">"Pipeline health"</h2>
            <Transition fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    let (job, department) = (get("job"), get("department"));
                    match health.await {
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                        Ok(h) => view! {
                            <form method="get" action="/app/reports" class="inline-form" aria-label="Stuck after">
                                <input type="hidden" name="job" value=job/>
                                <input type="hidden" name="department" value=department/>
                                <label for="stuck-days">"Stuck after (days)"</label>
                                <input id="stuck-days" name="stuck_days" type="number" min="1" max="365" inputmode="numeric" value=h.stuck_days.to_string()/>
                                <button type="submit" class="btn">"Update"</button>
                            </form>
                            <p class="health-summary">{match h.stuck_total {
                                0 => format!("Nobody has waited {} days or more in a stage.", h.stuck_days),
                                1 => format!("1 application has waited {} days or more in its stage.", h.stuck_days),
                                n => format!("{n} applications have waited {} days or more in their stage.", h.stuck_days),
                            }}</p>
                            {(!h.stuck_by_stage.is_empty()).then(|| view! {
                                <div class="table-scroll">
                                    <table class="data-table stuck-by-stage" tabindex="0" aria-label="Stuck applications by job, stage and owner">
                                        <thead><tr><th scope="col">"Job"</th><th scope="col">"Stage"</th><th scope="col">"Owner"</th><th scope="col">"Stuck"</th></tr></thead>
                                        <tbody>
                                            {h.stuck_by_stage.iter().map(|g| view! {
                                                <tr>
                                                    <td><a href=format!("/app/jobs/{}/board", g.job_id)>{g.job_title.clone()}</a></td>
                                                    <td>{g.stage_name.clone()}</td>
                                                    <td>{g.owner.clone()}</td>
                                                    <td>{g.count}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                                <h3>"Waiting longest"</h3>
                                <ul class="plain stuck-people">
                                    {h.stuck.iter().map(|l| view! {
                                        <li><a href=format!("/app/people/{}", l.person_id)>{l.name.clone()}</a>
                                            <span class="muted small">{format!(" · {} · {} · {} days", l.job_title, l.stage_name, l.days)}</span></li>
                                    }).collect_view()}
                                </ul>
                            })}
                            <h3>"Open jobs where nothing moves"</h3>
                            {if h.idle_jobs.is_empty() {
                                view! { <p class="muted idle-jobs-none">"Every open job with candidates moved recently."</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="plain idle-jobs">
                                        {h.idle_jobs.iter().map(|j| view! {
                                            <li><a href=format!("/app/jobs/{}/board", j.id)>{j.title.clone()}</a>
                                                <span class="muted small">{format!(" · {} active · {}", j.active, j.days_since_move.map(|d| format!("last move {d} days ago")).unwrap_or_else(|| "never moved".into()))}</span></li>
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                            <h3>"Overdue scorecards"</h3>
                            {if h.overdue.is_empty() {
                                view! { <p class="muted overdue-none">"No scorecard is overdue."</p> }.into_any()
                            } else {
                                view! {
                                    <table class="data-table overdue-scorecards" tabindex="0" aria-label="Overdue scorecards by interviewer">
                                        <thead><tr><th scope="col">"Interviewer"</th><th scope="col">"Overdue"</th><th scope="col">"Oldest (days late)"</th></tr></thead>
                                        <tbody>
                                            {h.overdue.iter().map(|o| view! {
                                                <tr><td>{o.interviewer.clone()}</td><td>{o.count}</td><td>{o.oldest_days}</td></tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                }.into_any()
                            }}
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
