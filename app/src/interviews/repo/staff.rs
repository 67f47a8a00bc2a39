//! Who can interview, when: each person's zone and working day, their busy feed, their busy
//! time, and the free times of a panel.

use super::*;

/// A staff member's working day and zone.
#[derive(Debug, Clone, SurrealValue)]
pub struct StaffRow {
    pub id: RecordId,
    pub name: String,
    pub email: String,
    /// Empty on staff created before working hours existed (their defaults apply).
    pub time_zone: Option<String>,
    pub work_start: Option<i64>,
    pub work_end: Option<i64>,
}

impl StaffRow {
    pub fn availability(&self) -> Availability {
        Availability::new(
            slots::zone(&self.zone_name()),
            self.work_start.unwrap_or(540).clamp(0, 24 * 60) as u32,
            self.work_end.unwrap_or(1050).clamp(0, 24 * 60) as u32,
        )
    }

    pub fn zone_name(&self) -> String {
        self.time_zone
            .clone()
            .unwrap_or_else(|| DEFAULT_ZONE.into())
    }
}

/// Active staff who can sit on a panel, by name.
pub async fn panel_choices(db: &Db) -> AppResult<Vec<StaffRow>> {
    let mut res = db
        .query(
            "SELECT id, name, email, time_zone, work_start, work_end FROM staff WHERE active = true
                ORDER BY name",
        )
        .await?;
    Ok(res.take(0)?)
}

pub async fn staff_rows(db: &Db, ids: &[RecordId]) -> AppResult<Vec<StaffRow>> {
    let mut res = db
        .query("SELECT id, name, email, time_zone, work_start, work_end, active FROM $ids WHERE active = true")
        .bind(("ids", ids.to_vec()))
        .await?;
    Ok(res.take(0)?)
}

/// Sets a staff member's zone and working day (minutes after local midnight).
pub async fn set_working_hours(
    db: &Db,
    staff: &RecordId,
    zone: &str,
    start: u32,
    end: u32,
) -> AppResult<()> {
    db.query("UPDATE $id SET time_zone = $zone, work_start = $start, work_end = $end RETURN NONE")
        .bind(("id", staff.clone()))
        .bind(("zone", zone.to_string()))
        .bind(("start", i64::from(start)))
        .bind(("end", i64::from(end)))
        .await?
        .check()?;
    Ok(())
}

/// A staff member's busy feed and how its last read went.
#[derive(Debug, Clone, SurrealValue)]
pub struct FeedStatus {
    pub busy_feed_url: Option<String>,
    pub busy_feed_checked_at: Option<DateTime<Utc>>,
    pub busy_feed_error: Option<String>,
    pub busy_feed_events: Option<i64>,
}

pub async fn feed_status(db: &Db, staff: &RecordId) -> AppResult<FeedStatus> {
    let mut res = db
        .query(
            "SELECT busy_feed_url, busy_feed_checked_at, busy_feed_error, busy_feed_events
                FROM ONLY $id",
        )
        .bind(("id", staff.clone()))
        .await?;
    let row: Option<FeedStatus> = res.take(0)?;
    row.ok_or(AppError::NotFound)
}

/// Sets (or with `None` removes) a staff member's busy feed; removing it drops its busy time.
pub async fn set_feed(db: &Db, staff: &RecordId, url: Option<&str>) -> AppResult<()> {
    db.query(
        "BEGIN TRANSACTION;
         LET $before = (SELECT VALUE busy_feed_url FROM ONLY $id);
         IF $url = NONE OR $url != $before {
            UPDATE $id SET busy_feed_url = $url, busy_feed_checked_at = NONE,
                busy_feed_error = NONE, busy_feed_events = NONE RETURN NONE;
            DELETE busy_span WHERE staff = $id AND source = 'feed';
         };
         COMMIT TRANSACTION;",
    )
    .bind(("id", staff.clone()))
    .bind(("url", url.map(str::to_string)))
    .await?
    .check()?;
    Ok(())
}

pub async fn time_zone_of(db: &Db, staff: &RecordId) -> AppResult<String> {
    let mut res = db
        .query("SELECT VALUE time_zone FROM ONLY $id")
        .bind(("id", staff.clone()))
        .await?;
    let tz: Option<String> = res.take(0)?;
    Ok(tz.unwrap_or_else(|| DEFAULT_ZONE.into()))
}

#[derive(Debug, Clone, SurrealValue)]
struct BusyRow {
    staff: RecordId,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
}

/// Half-open time intervals.
pub type Spans = Vec<(DateTime<Utc>, DateTime<Utc>)>;

/// Each person's busy intervals between `from` and `until` (blocks merged).
pub async fn busy(
    db: &Db,
    people: &[RecordId],
    from: DateTime<Utc>,
    until: DateTime<Utc>,
    except: &[RecordId],
) -> AppResult<HashMap<String, Spans>> {
    // Intervals starting before `until` (no interview lasts longer than a day, so those
    // starting a day before `from` are enough to catch any still running at `from`).
    let mut res = db
        .query(
            "SELECT staff, starts_at, ends_at FROM busy_span
                WHERE staff IN $people AND starts_at >= $from AND starts_at < $until
                    AND interview NOT IN $except",
        )
        .bind(("except", except.to_vec()))
        .bind(("people", people.to_vec()))
        .bind(("from", from - Duration::days(1)))
        .bind(("until", until))
        .await?;
    let rows: Vec<BusyRow> = res.take(0)?;
    let mut out: HashMap<String, Spans> = HashMap::new();
    for r in rows.into_iter().filter(|r| r.ends_at > from) {
        out.entry(key(&r.staff))
            .or_default()
            .push((r.starts_at, r.ends_at));
    }
    for spans in out.values_mut() {
        spans.sort();
    }
    Ok(out)
}

/// Free start times for interviews back to back: each a panel and a length in minutes (one
/// part for a single interview).
pub async fn propose(
    db: &Db,
    parts: &[(&[StaffRow], i64)],
    room: Option<&RecordId>,
    now: DateTime<Utc>,
    rules: &slots::Rules,
    except: &[RecordId],
) -> AppResult<Vec<DateTime<Utc>>> {
    let mut ids: Vec<RecordId> = parts
        .iter()
        .flat_map(|(panel, _)| panel.iter().map(|p| p.id.clone()))
        .chain(room.cloned())
        .collect();
    ids.sort_by_key(key);
    ids.dedup();
    let busy = busy(
        db,
        &ids,
        now - Duration::hours(1),
        now + Duration::days(rules.days + 1),
        except,
    )
    .await?;
    let parts: Vec<slots::Part> = parts
        .iter()
        .map(|(panel, minutes)| slots::Part {
            panel: panel
                .iter()
                .map(|p| {
                    let mut a = p.availability();
                    a.busy = busy.get(&key(&p.id)).cloned().unwrap_or_default();
                    a
                })
                // The room, held for the whole stretch: like one more panelist on every part.
                .chain(room.map(|r| {
                    let mut a = Availability::new(chrono_tz::UTC, 0, 24 * 60);
                    a.busy = busy.get(&key(r)).cloned().unwrap_or_default();
                    a
                }))
                .collect(),
            duration: Duration::minutes(*minutes),
        })
        .collect();
    Ok(slots::free_sequence(&parts, now, rules))
}
