//! Each person's own time: their zone, working day and busy feed (interviews are only proposed
//! inside the one and outside the other).

use super::types::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::access::me,
    super::{repo, slots},
    crate::auth::guard::require_staff,
    crate::error::Checks,
    crate::server::state,
};

/// The caller's time zone and working day.
#[server]
pub async fn my_working_hours() -> Result<WorkingHours, AppError> {
    let user = require_staff().await?;
    let db = &state()?.db;
    let row = repo::staff_rows(db, &[me(&user)])
        .await?
        .pop()
        .ok_or(AppError::NotFound)?;
    let a = row.availability();
    let feed = repo::feed_status(db, &me(&user)).await?;
    let zone = slots::zone(&row.zone_name());
    Ok(WorkingHours {
        busy_feed_url: feed.busy_feed_url.clone().unwrap_or_default(),
        busy_feed_status: feed.busy_feed_url.as_ref().map(|_| {
            match (&feed.busy_feed_error, feed.busy_feed_checked_at) {
                (Some(e), _) => format!("Last read failed: {e}"),
                (None, Some(at)) => format!(
                    "Read {}: {} busy times in the next weeks.",
                    slots::short_label(at, zone),
                    feed.busy_feed_events.unwrap_or(0)
                ),
                (None, None) => "Not read yet.".into(),
            }
        }),
        time_zone: row.zone_name(),
        start: hhmm(a.day_start_min),
        end: hhmm(a.day_end_min),
        zones: chrono_tz::TZ_VARIANTS
            .iter()
            .map(|z| z.name().to_string())
            .filter(|z| z.contains('/') && !z.starts_with("Etc/"))
            .collect(),
    })
}

/// Sets the caller's time zone and working day: interviews are only proposed inside it.
#[server]
pub async fn save_working_hours(
    time_zone: String,
    start: String,
    end: String,
    busy_feed_url: Option<String>,
) -> Result<(), AppError> {
    let user = require_staff().await?;
    let st = state()?;
    let mut c = Checks::new();
    let feed = busy_feed_url.as_deref().map(str::trim).unwrap_or("");
    // Calendars hand out webcal:// addresses: the same file over https.
    let feed = match feed.strip_prefix("webcal://") {
        Some(rest) => format!("https://{rest}"),
        None => feed.to_string(),
    };
    let http_ok = st.config.busy_feed_allow_http && feed.starts_with("http://");
    if !(feed.is_empty() || feed.starts_with("https://") || http_ok) {
        c.add(
            "busy_feed_url",
            "Paste your calendar's address: it starts with https:// or webcal://.",
        );
    } else if feed.len() > 2000 || feed.chars().any(char::is_whitespace) {
        c.add("busy_feed_url", "That is not a calendar address.");
    }
    if time_zone.parse::<chrono_tz::Tz>().is_err() {
        c.add("time_zone", "Choose a time zone from the list.");
    }
    let from = c.check(
        "start",
        parse_hhmm(&start).ok_or_else(|| "Enter a time like 09:00.".to_string()),
    );
    let to = c.check(
        "end",
        parse_hhmm(&end).ok_or_else(|| "Enter a time like 17:30.".to_string()),
    );
    if let (Some(a), Some(b)) = (from, to)
        && b < a + 60
    {
        c.add("end", "The day ends at least an hour after it starts.");
    }
    c.finish()?;
    let (Some(a), Some(b)) = (from, to) else {
        return Err(AppError::Internal);
    };
    let staff = me(&user);
    repo::set_working_hours(&st.db, &staff, &time_zone, a, b).await?;
    repo::set_feed(&st.db, &staff, (!feed.is_empty()).then_some(feed.as_str())).await?;
    if !feed.is_empty() {
        // Read at once, so a wrong address is reported now rather than in a quarter of an hour.
        super::feeds::refresh_one(&st, &staff, &feed, &time_zone)
            .await
            .map_err(|e| AppError::invalid("busy_feed_url", e))?;
    }
    Ok(())
}
