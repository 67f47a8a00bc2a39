//! The reports' arithmetic, apart from the database: a cohort of applications (those that
//! arrived in the period) and each one's stage history in, the funnel, times and sources out.
//!
//! Cohort-correct: every number is about the same applications. An application "reached" a
//! stage when it was ever in that stage or any later one, so a skipped stage counts as passed,
//! a move back does not undo a stage reached, and a reopened application keeps its history.

use super::types::*;
use chrono::{DateTime, Datelike, Utc};
use std::collections::{BTreeMap, HashMap};

/// One job's stages, in order.
#[derive(Clone, Debug)]
pub struct JobStages {
    pub job: String,
    /// `(id, name, is the Hired stage)`
    pub stages: Vec<(String, String, bool)>,
}

/// One application of the cohort.
#[derive(Clone, Debug, PartialEq)]
pub struct AppFacts {
    /// The application's key.
    pub id: String,
    pub job: String,
    pub source: String,
    pub created: DateTime<Utc>,
    /// Where it is now.
    pub stage: String,
    pub status: String,
    pub rejection_reason: Option<String>,
    /// The status of its latest offer, if it had one.
    pub offer: Option<String>,
    /// A nurture campaign wrote to the person before they applied.
    pub warmed: bool,
    /// Its history, oldest first: `(stage, status, when)` on arrival and at every change.
    pub moves: Vec<(String, String, DateTime<Utc>)>,
}

/// The value at `p` (0..=1) of sorted values, interpolated between neighbours.
pub fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let rank = p.clamp(0.0, 1.0) * last as f64;
    let (lo, hi) = (rank.floor() as usize, rank.ceil() as usize);
    Some(sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo as f64))
}

/// Median and 75th percentile of durations in days.
pub fn spread(mut values: Vec<f64>) -> Option<Spread> {
    values.retain(|v| v.is_finite());
    values.sort_by(f64::total_cmp);
    Some(Spread {
        median: percentile(&values, 0.5)?,
        p75: percentile(&values, 0.75)?,
        n: values.len(),
    })
}

fn days_between(a: DateTime<Utc>, b: DateTime<Utc>) -> f64 {
    (b - a).num_seconds().max(0) as f64 / 86_400.0
}

/// One application against its job's stages.
struct Walk {
    /// The furthest stage index ever reached.
    furthest: usize,
    /// When each stage index was first reached (or passed), where the history tells.
    reached_at: Vec<Option<DateTime<Utc>>>,
    /// Completed stays: `(stage index, days)`.
    stays: Vec<(usize, f64)>,
    hired: bool,
}

fn walk(app: &AppFacts, stages: &[(String, String, bool)]) -> Option<Walk> {
    let index = |s: &str| stages.iter().position(|(id, ..)| id == s);
    let now_at = index(&app.stage)?;
    let mut reached_at = vec![None; stages.len()];
    reached_at[0] = Some(app.created);
    let mut furthest = 0;
    let mut stays = Vec::new();
    let mut history: Vec<(usize, bool, DateTime<Utc>)> = app
        .moves
        .iter()
        .filter_map(|(s, status, at)| index(s).map(|i| (i, status == "active", *at)))
        .collect();
    if history.is_empty() {
        // Recorded before stage history was kept: only where it is now is known.
        history.push((now_at, app.status == "active", app.created));
    }
    for (n, (i, active, at)) in history.iter().enumerate() {
        for slot in reached_at.iter_mut().take(i + 1).skip(furthest + 1) {
            slot.get_or_insert(*at);
        }
        furthest = furthest.max(*i);
        if *active && let Some((_, _, next)) = history.get(n + 1) {
            stays.push((*i, days_between(*at, *next)));
        }
    }
    let hired = stages[furthest].2;
    Some(Walk {
        furthest,
        reached_at,
        stays,
        hired,
    })
}

/// The funnel's stages: one job's own, or across jobs every stage name in the order the jobs
/// put them (Hired stages last).
fn funnel_names(jobs: &[JobStages]) -> Vec<(String, Option<String>)> {
    if let [one] = jobs {
        return one
            .stages
            .iter()
            .map(|(id, name, _)| (name.clone(), Some(id.clone())))
            .collect();
    }
    // name → (smallest relative position, hired)
    let mut seen: Vec<(String, f64, bool)> = Vec::new();
    for j in jobs {
        let n = j.stages.len().max(2) - 1;
        for (i, (_, name, hired)) in j.stages.iter().enumerate() {
            let pos = i as f64 / n as f64;
            match seen.iter_mut().find(|(s, ..)| s == name) {
                Some(e) => e.1 = e.1.min(pos),
                None => seen.push((name.clone(), pos, *hired)),
            }
        }
    }
    seen.sort_by(|a, b| a.2.cmp(&b.2).then(a.1.total_cmp(&b.1)));
    seen.into_iter().map(|(n, ..)| (n, None)).collect()
}

/// The reports of `apps` (the cohort), whose jobs are `jobs`.
pub fn compute(jobs: &[JobStages], apps: &[AppFacts]) -> Figures {
    let by_job: HashMap<&str, &JobStages> = jobs.iter().map(|j| (j.job.as_str(), j)).collect();
    let names = funnel_names(jobs);
    let mut funnel: Vec<FunnelRow> = names
        .iter()
        .map(|(name, id)| FunnelRow {
            name: name.clone(),
            stage_id: id.clone(),
            reached: 0,
            conversion: None,
            days_to_reach: None,
            days_in_stage: None,
            now_in_stage: 0,
            rejected: 0,
            withdrawn: 0,
            reasons: Vec::new(),
        })
        .collect();
    let row_of = |name: &str| names.iter().position(|(n, _)| n == name);
    let mut to_reach: Vec<Vec<f64>> = vec![Vec::new(); names.len()];
    let mut in_stage: Vec<Vec<f64>> = vec![Vec::new(); names.len()];
    let mut reasons: Vec<BTreeMap<String, i64>> = vec![BTreeMap::new(); names.len()];
    let mut hire_days = Vec::new();
    let mut months: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    let mut sources: BTreeMap<String, SourceRow> = BTreeMap::new();
    let mut offers = OfferCounts::default();
    let mut applications = 0;

    for app in apps {
        let Some(job) = by_job.get(app.job.as_str()) else {
            continue;
        };
        let Some(w) = walk(app, &job.stages) else {
            continue;
        };
        applications += 1;
        for (i, (_, name, _)) in job.stages.iter().enumerate() {
            let Some(r) = row_of(name) else { continue };
            if i <= w.furthest {
                funnel[r].reached += 1;
                if let Some(at) = w.reached_at[i] {
                    to_reach[r].push(days_between(app.created, at));
                }
            }
            if app.stage == job.stages[i].0 {
                match app.status.as_str() {
                    "active" => funnel[r].now_in_stage += 1,
                    "withdrawn" => funnel[r].withdrawn += 1,
                    _ => {
                        funnel[r].rejected += 1;
                        let reason = app
                            .rejection_reason
                            .clone()
                            .filter(|r| !r.trim().is_empty())
                            .unwrap_or_else(|| "No reason given".into());
                        *reasons[r].entry(reason).or_default() += 1;
                    }
                }
            }
        }
        for (i, d) in &w.stays {
            if let Some(r) = row_of(&job.stages[*i].1) {
                in_stage[r].push(*d);
            }
        }
        let source = sources
            .entry(app.source.clone())
            .or_insert_with(|| SourceRow {
                source: app.source.clone(),
                label: crate::people::types::source_label(&app.source),
                applications: 0,
                advanced: 0,
                offers: 0,
                hires: 0,
                warmed_hires: 0,
            });
        source.applications += 1;
        source.advanced += i64::from(w.furthest > 0);
        if let Some(status) = &app.offer {
            source.offers += 1;
            offers.made += 1;
            offers.accepted += i64::from(status == "accepted");
            offers.declined += i64::from(status == "declined");
        }
        if w.hired {
            source.hires += 1;
            source.warmed_hires += i64::from(app.warmed);
            if let Some(at) = w.reached_at[w.furthest] {
                let d = days_between(app.created, at);
                hire_days.push(d);
                months
                    .entry(format!("{:04}-{:02}", at.year(), at.month()))
                    .or_default()
                    .push(d);
            }
        }
    }

    let mut previous: Option<i64> = None;
    for (r, row) in funnel.iter_mut().enumerate() {
        row.conversion = previous
            .filter(|p| *p > 0)
            .map(|p| row.reached as f64 / p as f64);
        previous = Some(row.reached);
        row.days_to_reach = spread(std::mem::take(&mut to_reach[r]));
        row.days_in_stage = spread(std::mem::take(&mut in_stage[r]));
        let mut top: Vec<(String, i64)> = std::mem::take(&mut reasons[r]).into_iter().collect();
        top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        top.truncate(3);
        row.reasons = top;
    }
    let mut sources: Vec<SourceRow> = sources.into_values().collect();
    sources.sort_by(|a, b| {
        b.hires
            .cmp(&a.hires)
            .then(b.applications.cmp(&a.applications))
    });
    Figures {
        applications,
        hires: sources.iter().map(|s| s.hires).sum(),
        time_to_hire: spread(hire_days),
        offers,
        funnel,
        across_jobs: jobs.len() > 1,
        hires_by_month: months
            .into_iter()
            .map(|(month, d)| MonthRow {
                month,
                hires: d.len() as i64,
                days_to_hire: spread(d),
            })
            .collect(),
        sources,
    }
}

/// The adverse-impact check of `apps` grouped by `question`: at each step of the funnel, of
/// each group's applications that reached the stage before, how many reached this one.
/// `answers` maps an application's key to its answer; no answer counts as declined and stays
/// out of the comparison.
pub fn adverse_impact(
    jobs: &[JobStages],
    apps: &[AppFacts],
    answers: &HashMap<String, String>,
    question: SelfIdQuestion,
) -> AdverseImpact {
    let by_job: HashMap<&str, &JobStages> = jobs.iter().map(|j| (j.job.as_str(), j)).collect();
    let names: Vec<String> = funnel_names(jobs).into_iter().map(|(n, _)| n).collect();
    // Per group: for each funnel stage, how many reached it.
    let mut reached: BTreeMap<&str, Vec<i64>> = BTreeMap::new();
    // Per group and step k (from k-1 to k): reached both.
    let mut both: BTreeMap<&str, Vec<i64>> = BTreeMap::new();
    let (mut answered, mut declined) = (0, 0);
    for app in apps {
        let Some(job) = by_job.get(app.job.as_str()) else {
            continue;
        };
        let Some(w) = walk(app, &job.stages) else {
            continue;
        };
        let group = answers.get(&app.id).map(String::as_str).unwrap_or(DECLINED);
        let Some(group) = question
            .options
            .iter()
            .find(|(v, _)| *v == group)
            .map(|(v, _)| *v)
        else {
            declined += 1;
            continue;
        };
        answered += 1;
        let got: Vec<bool> = names
            .iter()
            .map(|n| {
                job.stages
                    .iter()
                    .position(|(_, name, _)| name == n)
                    .is_some_and(|i| i <= w.furthest)
            })
            .collect();
        let r = reached.entry(group).or_insert_with(|| vec![0; names.len()]);
        let b = both.entry(group).or_insert_with(|| vec![0; names.len()]);
        for k in 0..names.len() {
            r[k] += i64::from(got[k]);
            if k > 0 {
                b[k] += i64::from(got[k - 1] && got[k]);
            }
        }
    }
    let stages = (1..names.len())
        .map(|k| StageImpact {
            from: names[k - 1].clone(),
            to: names[k].clone(),
            rows: impact_rows(
                question
                    .options
                    .iter()
                    .filter_map(|(v, label)| {
                        let r = reached.get(v)?;
                        Some((v.to_string(), label.to_string(), r[k - 1], both[v][k]))
                    })
                    .collect(),
            ),
        })
        .collect();
    AdverseImpact {
        group_by: question.name.to_string(),
        label: question.label.to_string(),
        answered,
        declined,
        stages,
        screening: None,
    }
}

/// The adverse-impact check of the screening score: of each group's screened applications,
/// how many pass the must-haves (`passes`: application key → passed). None when nothing was
/// screened.
pub fn screening_impact(
    apps: &[AppFacts],
    answers: &HashMap<String, String>,
    passes: &HashMap<String, bool>,
    question: SelfIdQuestion,
) -> Option<StageImpact> {
    let mut counts: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
    for app in apps {
        let (Some(passed), Some(group)) = (passes.get(&app.id), answers.get(&app.id)) else {
            continue;
        };
        let c = counts.entry(group.as_str()).or_default();
        c.0 += 1;
        c.1 += i64::from(*passed);
    }
    (!passes.is_empty()).then(|| StageImpact {
        from: "Screened".into(),
        to: "Passes the must-haves".into(),
        rows: impact_rows(
            question
                .options
                .iter()
                .map(|(v, label)| {
                    let (a, s) = counts.get(v).copied().unwrap_or_default();
                    (v.to_string(), label.to_string(), a, s)
                })
                .collect(),
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    #[test]
    fn the_screening_score_is_checked_for_adverse_impact_too() {
        let q = crate::reports::types::self_id_question("gender");
        let (mut apps, mut answers, mut passes) = (Vec::new(), HashMap::new(), HashMap::new());
        // Six women, five pass; six men, two pass; one unscreened woman.
        for i in 0..13 {
            let mut a = app(&[("applied", "active", 0)]);
            a.id = format!("app{i}");
            answers.insert(
                a.id.clone(),
                if i < 7 { "female" } else { "male" }.to_string(),
            );
            if i != 6 {
                passes.insert(a.id.clone(), i < 5 || (7..9).contains(&i));
            }
            apps.push(a);
        }
        let s = screening_impact(&apps, &answers, &passes, q).unwrap();
        let (w, m) = (&s.rows[0], &s.rows[1]);
        assert_eq!(
            (w.applicants, w.selected, m.applicants, m.selected),
            (6, 5, 6, 2)
        );
        assert!(m.flagged && !w.flagged);
        assert!(screening_impact(&apps, &answers, &HashMap::new(), q).is_none());
    }

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 10, 1, 9, 0, 0).unwrap()
    }

    fn job(id: &str, names: &[&str]) -> JobStages {
        JobStages {
            job: id.into(),
            stages: names
                .iter()
                .map(|n| (n.to_lowercase(), n.to_string(), *n == "Hired"))
                .collect(),
        }
    }

    fn pipeline() -> JobStages {
        job("j", &["Applied", "Screen", "Interview", "Offer", "Hired"])
    }

    /// An application of job `j` with moves on days after `t0`.
    fn app(moves: &[(&str, &str, i64)]) -> AppFacts {
        let (stage, status, _) = *moves.last().unwrap();
        AppFacts {
            id: format!("a{}", moves.len()),
            job: "j".into(),
            source: "careers_page".into(),
            created: t0(),
            stage: stage.into(),
            status: status.into(),
            rejection_reason: None,
            offer: None,
            warmed: false,
            moves: moves
                .iter()
                .map(|(s, st, d)| (s.to_string(), st.to_string(), t0() + Duration::days(*d)))
                .collect(),
        }
    }

    fn reached(c: &Figures) -> Vec<i64> {
        c.funnel.iter().map(|r| r.reached).collect()
    }

    #[test]
    fn percentiles_interpolate_and_empty_has_none() {
        assert_eq!(percentile(&[], 0.5), None);
        assert_eq!(percentile(&[4.0], 0.75), Some(4.0));
        assert_eq!(percentile(&[1.0, 2.0, 3.0, 4.0], 0.5), Some(2.5));
        assert_eq!(percentile(&[1.0, 2.0, 3.0, 4.0, 5.0], 0.75), Some(4.0));
        let s = spread(vec![9.0, 1.0, 5.0]).unwrap();
        assert_eq!((s.median, s.p75, s.n), (5.0, 7.0, 3));
    }

    #[test]
    fn a_skipped_stage_counts_as_passed() {
        let c = compute(
            &[pipeline()],
            &[app(&[("applied", "active", 0), ("interview", "active", 3)])],
        );
        assert_eq!(reached(&c), [1, 1, 1, 0, 0]);
        // The skipped Screen was reached when the jump happened.
        assert_eq!(c.funnel[1].days_to_reach.unwrap().median, 3.0);
        assert_eq!(c.funnel[2].now_in_stage, 1);
    }

    #[test]
    fn a_move_back_keeps_the_furthest_stage_and_counts_each_stay() {
        let c = compute(
            &[pipeline()],
            &[app(&[
                ("applied", "active", 0),
                ("screen", "active", 2),
                ("interview", "active", 4),
                ("screen", "active", 5),
            ])],
        );
        assert_eq!(reached(&c), [1, 1, 1, 0, 0]);
        assert_eq!(c.funnel[1].now_in_stage, 1);
        assert_eq!(c.funnel[2].now_in_stage, 0);
        // Two days in Applied, two in Screen before the interview, one in Interview.
        assert_eq!(c.funnel[0].days_in_stage.unwrap().median, 2.0);
        assert_eq!(c.funnel[1].days_in_stage.unwrap().n, 1);
        assert_eq!(c.funnel[2].days_in_stage.unwrap().median, 1.0);
    }

    #[test]
    fn a_reopened_application_keeps_its_history_and_ends_where_it_is() {
        let c = compute(
            &[pipeline()],
            &[app(&[
                ("applied", "active", 0),
                ("screen", "active", 1),
                ("screen", "rejected", 2),
                ("screen", "active", 6),
                ("offer", "active", 9),
            ])],
        );
        assert_eq!(reached(&c), [1, 1, 1, 1, 0]);
        assert_eq!(c.funnel[1].rejected, 0, "reopened: no longer turned down");
        assert_eq!(c.funnel[3].now_in_stage, 1);
        // Two spells in Screen (one day, then three); the time spent turned down is not one.
        let screen = c.funnel[1].days_in_stage.unwrap();
        assert_eq!((screen.n, screen.median), (2, 2.0));
    }

    #[test]
    fn conversion_and_drop_off_per_stage() {
        let mut turned_down = app(&[("applied", "active", 0), ("screen", "rejected", 2)]);
        turned_down.rejection_reason = Some("Not enough Rust".into());
        let c = compute(
            &[pipeline()],
            &[
                app(&[("applied", "active", 0)]),
                app(&[("applied", "withdrawn", 0)]),
                turned_down,
                app(&[("applied", "active", 0), ("screen", "active", 1)]),
            ],
        );
        assert_eq!(c.applications, 4);
        assert_eq!(reached(&c), [4, 2, 0, 0, 0]);
        assert_eq!(c.funnel[0].conversion, None);
        assert_eq!(c.funnel[1].conversion, Some(0.5));
        assert_eq!(c.funnel[2].conversion, Some(0.0));
        assert_eq!(
            c.funnel[3].conversion, None,
            "nothing reached the stage before"
        );
        assert_eq!((c.funnel[0].withdrawn, c.funnel[1].rejected), (1, 1));
        assert_eq!(c.funnel[1].reasons, [("Not enough Rust".to_string(), 1)]);
    }

    #[test]
    fn time_to_hire_sources_and_offers() {
        let mut hired = app(&[
            ("applied", "active", 0),
            ("offer", "active", 10),
            ("hired", "active", 20),
        ]);
        hired.offer = Some("accepted".into());
        hired.warmed = true;
        hired.source = "sourced".into();
        let mut declined = app(&[("applied", "active", 0), ("offer", "active", 8)]);
        declined.offer = Some("declined".into());
        let mut fast = app(&[("applied", "active", 0), ("hired", "active", 10)]);
        fast.created = t0() + Duration::days(30);
        fast.moves[0].2 = fast.created;
        fast.moves[1].2 = fast.created + Duration::days(10);
        let c = compute(&[pipeline()], &[hired, declined, fast]);
        assert_eq!(c.hires, 2);
        let tth = c.time_to_hire.unwrap();
        assert_eq!((tth.median, tth.n), (15.0, 2));
        assert_eq!(c.offers.made, 2);
        assert_eq!(c.offers.acceptance(), Some(0.5));
        assert_eq!(
            c.hires_by_month
                .iter()
                .map(|m| (m.month.as_str(), m.hires))
                .collect::<Vec<_>>(),
            [("2026-10", 1), ("2026-11", 1)]
        );
        let sourced = c.sources.iter().find(|s| s.source == "sourced").unwrap();
        assert_eq!((sourced.hires, sourced.warmed_hires), (1, 1));
        assert_eq!(sourced.hire_rate(), Some(1.0));
        let careers = c
            .sources
            .iter()
            .find(|s| s.source == "careers_page")
            .unwrap();
        assert_eq!(
            (careers.applications, careers.advanced, careers.offers),
            (2, 2, 1)
        );
    }

    #[test]
    fn without_history_only_the_current_stage_is_known() {
        let mut old = app(&[("interview", "active", 0)]);
        old.moves.clear();
        let c = compute(&[pipeline()], &[old]);
        assert_eq!(reached(&c), [1, 1, 1, 0, 0]);
        assert!(c.funnel[1].days_to_reach.is_some());
        assert!(c.funnel[0].days_in_stage.is_none());
    }

    #[test]
    fn adverse_impact_compares_groups_at_each_step_and_leaves_out_who_declined() {
        let q = crate::reports::types::self_id_question("gender");
        let mut apps = Vec::new();
        let mut answers = HashMap::new();
        // Ten women: eight screened; ten men: four screened; three who declined.
        for i in 0..23 {
            let screened = i < 8 || (10..14).contains(&i);
            let mut a = if screened {
                app(&[("applied", "active", 0), ("screen", "active", 1)])
            } else {
                app(&[("applied", "active", 0)])
            };
            a.id = format!("app{i}");
            if i < 10 {
                answers.insert(a.id.clone(), "female".to_string());
            } else if i < 20 {
                answers.insert(a.id.clone(), "male".to_string());
            }
            apps.push(a);
        }
        let ai = adverse_impact(&[pipeline()], &apps, &answers, q);
        assert_eq!((ai.answered, ai.declined), (20, 3));
        assert_eq!(ai.stages.len(), 4);
        let screen = &ai.stages[0];
        assert_eq!(
            (screen.from.as_str(), screen.to.as_str()),
            ("Applied", "Screen")
        );
        let (women, men) = (&screen.rows[0], &screen.rows[1]);
        assert_eq!(
            (women.group.as_str(), women.applicants, women.selected),
            ("female", 10, 8)
        );
        assert_eq!((men.applicants, men.selected), (10, 4));
        assert!(men.flagged && !women.flagged, "0.4 against 0.8 is half");
        // Nobody reached Interview: nothing to compare there.
        assert!(
            ai.stages[1]
                .rows
                .iter()
                .all(|r| r.ratio.is_none() && !r.flagged)
        );
        // Groups nobody answered are not listed.
        assert_eq!(screen.rows.len(), 2);
    }

    #[test]
    fn across_jobs_stages_are_matched_by_name_with_hired_last() {
        let a = job("a", &["Applied", "Screen", "Hired"]);
        let b = job("b", &["Applied", "Take-home", "Screen", "Hired"]);
        let mut on_b = app(&[("applied", "active", 0), ("take-home", "active", 1)]);
        on_b.job = "b".into();
        let mut on_a = app(&[("applied", "active", 0), ("screen", "active", 1)]);
        on_a.job = "a".into();
        let c = compute(&[a, b], &[on_a, on_b]);
        assert!(c.across_jobs);
        assert_eq!(
            c.funnel.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(),
            ["Applied", "Take-home", "Screen", "Hired"]
        );
        assert_eq!(reached(&c), [2, 1, 1, 0]);
        assert!(c.funnel.iter().all(|r| r.stage_id.is_none()));
    }
}
