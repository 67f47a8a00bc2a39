//! The weekly Slack digest: once per ISO week, from Monday 08:00 UTC, the hiring team's channel
//! gets the week's numbers (new applications, hires, offers accepted, scorecards overdue) and
//! the last 90 days' time to hire, with a link to the reports. Sent by the job runtime; the
//! week's marker and the Slack task are one transaction, so two app processes send one digest
//! between them, and a restart never sends a week twice.

use crate::error::{AppError, AppResult};
use crate::server::AppState;
use crate::server::db::write_guarded;
use crate::server::slack::SlackMessage;
use crate::server::tasks::NewTask;
use chrono::{DateTime, Datelike, Duration, NaiveTime, Utc, Weekday};
use surrealdb::types::RecordId;

/// The ISO week `now` is in ("2026-W49"), once its digest is due (from Monday 08:00 UTC).
pub fn due_week(now: DateTime<Utc>) -> Option<String> {
    let w = now.iso_week();
    let monday = chrono::NaiveDate::from_isoywd_opt(w.year(), w.week(), Weekday::Mon)?;
    let due = monday.and_time(NaiveTime::from_hms_opt(8, 0, 0)?).and_utc();
    (now >= due).then(|| format!("{}-W{:02}", w.year(), w.week()))
}

/// The digest's text (Slack's mrkdwn).
#[allow(clippy::too_many_arguments)]
pub fn text(
    week: &str,
    applications: i64,
    hires: i64,
    accepted: i64,
    overdue: i64,
    time_to_hire: Option<f64>,
    url: &str,
) -> String {
    let tth = time_to_hire
        .map(|d| {
            format!(
                "Median time to hire over 90 days: {}.",
                super::types::days(d)
            )
        })
        .unwrap_or_else(|| "No hires in the last 90 days.".into());
    format!(
        "*Hiring this week ({week})*\n\
         • {applications} new applications\n\
         • {hires} hired\n\
         • {accepted} offers accepted\n\
         • {overdue} scorecards overdue\n\
         {tth} <{url}|Open the reports>"
    )
}

/// Sends this week's digest if it is due and not sent yet; returns 1 when this call sent it.
pub async fn send_due(st: &AppState, now: DateTime<Utc>) -> AppResult<usize> {
    if !st.config.slack_digest || st.config.slack_webhook_url.is_none() {
        return Ok(0);
    }
    let Some(week) = due_week(now) else {
        return Ok(0);
    };
    let marker = RecordId::new("slack_digest", week.as_str());
    let mut r = st
        .db
        .query(
            "RETURN record::exists($marker);
             RETURN count(SELECT id FROM application WHERE created_at >= $since);
             RETURN count(SELECT id FROM stage_event
                WHERE at >= $since AND status = 'active'
                    AND stage IN array::flatten(SELECT VALUE stages[WHERE kind = 'hired'].id FROM job));
             RETURN count(SELECT id FROM offer WHERE status = 'accepted' AND responded_at >= $since);
             RETURN count(SELECT id FROM scorecard WHERE status != 'submitted'
                AND interview.status = 'scheduled' AND interview.ends_at < $overdue);",
        )
        .bind(("marker", marker.clone()))
        .bind(("since", now - Duration::days(7)))
        .bind((
            "overdue",
            now - Duration::hours(st.config.scorecard_due_hours),
        ))
        .await?;
    let sent: Option<bool> = r.take(0)?;
    if sent == Some(true) {
        return Ok(0);
    }
    let applications: Option<i64> = r.take(1)?;
    let hires: Option<i64> = r.take(2)?;
    let accepted: Option<i64> = r.take(3)?;
    let overdue: Option<i64> = r.take(4)?;
    let jobs = super::repo::jobs(&st.db, None).await?;
    let stages: Vec<_> = jobs.iter().map(|j| j.to_stages()).collect();
    let facts = super::repo::cohort(
        &st.db,
        jobs.iter().map(|j| j.id.clone()).collect(),
        now - Duration::days(90),
        now + Duration::days(1),
        None,
    )
    .await?;
    let numbers = super::compute::compute(&stages, &facts);
    let message = text(
        &week,
        applications.unwrap_or(0),
        hires.unwrap_or(0),
        accepted.unwrap_or(0),
        overdue.unwrap_or(0),
        numbers.time_to_hire.map(|s| s.median),
        &format!("{}/app/reports", st.config.public_url),
    );
    let task = NewTask::of(&SlackMessage(serde_json::json!({ "text": message })));
    let result = write_guarded(
        st.db
            .query(
                "BEGIN TRANSACTION;
                 IF record::exists($marker) { THROW 'digest_sent' };
                 CREATE $marker CONTENT { week: $week, sent_at: time::now() } RETURN NONE;
                 CREATE task CONTENT $task RETURN NONE;
                 COMMIT TRANSACTION;",
            )
            .bind(("marker", marker))
            .bind(("week", week))
            .bind(("task", task)),
        &[
            ("digest_sent", AppError::Conflict("sent".into())),
            ("already exists", AppError::Conflict("sent".into())),
        ],
    )
    .await;
    match result {
        Ok(_) => {
            st.tasks.wake();
            Ok(1)
        }
        // Sent meanwhile by another process.
        Err(AppError::Conflict(_)) => Ok(0),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_week_is_due_from_monday_eight_utc() {
        // Monday 2026-11-30 is in ISO week 49.
        let before = Utc.with_ymd_and_hms(2026, 11, 30, 7, 59, 0).unwrap();
        let at = Utc.with_ymd_and_hms(2026, 11, 30, 8, 0, 0).unwrap();
        let sunday = Utc.with_ymd_and_hms(2026, 12, 6, 23, 0, 0).unwrap();
        assert_eq!(due_week(before), None);
        assert_eq!(due_week(at).as_deref(), Some("2026-W49"));
        assert_eq!(due_week(sunday).as_deref(), Some("2026-W49"));
        // The ISO year differs from the calendar year at its edges.
        let edge = Utc.with_ymd_and_hms(2027, 1, 1, 12, 0, 0).unwrap();
        assert_eq!(due_week(edge).as_deref(), Some("2026-W53"));
    }

    #[test]
    fn the_text_names_every_number_and_links_the_reports() {
        let t = text("2026-W49", 12, 2, 1, 3, Some(21.4), "https://x/app/reports");
        for part in [
            "(2026-W49)",
            "12 new applications",
            "2 hired",
            "1 offers accepted",
            "3 scorecards overdue",
            "21 days",
            "<https://x/app/reports|Open the reports>",
        ] {
            assert!(t.contains(part), "{part} in {t}");
        }
        assert!(text("w", 0, 0, 0, 0, None, "u").contains("No hires in the last 90 days."));
    }
}
