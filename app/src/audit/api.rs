//! The audit log's server functions and its CSV download: admins only.

use super::types::{AuditCheck, AuditFilter, AuditPage};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::repo::{self, Query, Row},
    super::types::{AuditEntry, KINDS, Subject, action_label, subject_href},
    crate::auth::guard::require_role,
    crate::auth::types::Role,
    crate::error::AppResult,
    crate::server::db::Db,
    crate::server::{AppState, state},
    chrono::{DateTime, NaiveDate, Utc},
};

/// Entries per page.
#[cfg(feature = "ssr")]
const PER_PAGE: usize = 50;
/// Keys a page may look through for a rare filter before offering "older".
#[cfg(feature = "ssr")]
const MAX_SCAN: i64 = 50_000;
/// Entries in one CSV download at most.
#[cfg(feature = "ssr")]
const CSV_ROWS: usize = 50_000;

#[cfg(feature = "ssr")]
fn is_admin(r: Role) -> bool {
    r == Role::Admin
}

#[cfg(feature = "ssr")]
use crate::domain::optional_day as day;

/// The filters as the database compares them; bad values are named.
#[cfg(feature = "ssr")]
pub(crate) fn parse_filter(f: &AuditFilter) -> AppResult<Query> {
    let kind = f.kind.trim();
    if !kind.is_empty() && !KINDS.iter().any(|(k, _)| *k == kind) {
        return Err(AppError::invalid("kind", "Choose one of the listed kinds."));
    }
    let actor = f.actor.trim();
    let actor = if actor.is_empty() {
        None
    } else {
        let id = crate::server::db::id("staff", actor)
            .map_err(|_| AppError::invalid("actor", "Choose a staff member from the list."))?;
        Some(format!("staff:{}", crate::server::db::key(&id)))
    };
    let subject = match f.subject_ref() {
        None => None,
        Some(s) => {
            let ok = s.split_once(':').is_some_and(|(t, k)| {
                !t.is_empty()
                    && t.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                    && crate::server::db::id(t, k).is_ok()
            });
            if !ok {
                return Err(AppError::invalid(
                    "subject",
                    "Enter a record such as person:KEY (or a person's key).",
                ));
            }
            Some(s)
        }
    };
    let from = day("from", &f.from)?;
    let to = day("to", &f.to)?;
    if let (Some(a), Some(b)) = (from, to)
        && b < a
    {
        return Err(AppError::invalid(
            "to",
            "The end date is before the start date.",
        ));
    }
    let midnight = |d: NaiveDate| d.and_hms_opt(0, 0, 0).map(|t| t.and_utc());
    Ok(Query {
        kind: (!kind.is_empty()).then(|| kind.to_string()),
        actor,
        subject,
        from: from.and_then(midnight),
        // The end date is included.
        to: to.and_then(|d| d.succ_opt()).and_then(midnight),
    })
}

/// Rows as people read them: names for the references, words for the actions.
#[cfg(feature = "ssr")]
pub(crate) async fn entries(db: &Db, rows: Vec<Row>) -> AppResult<Vec<AuditEntry>> {
    let mut refs: Vec<String> = Vec::new();
    for r in &rows {
        refs.extend(r.actor.iter().cloned());
        refs.extend(r.subjects.iter().cloned());
    }
    refs.sort();
    refs.dedup();
    let names = repo::labels(db, &refs).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let actor = match r.actor.as_deref() {
                Some(a) if a.starts_with("person:") => format!(
                    "Candidate: {}",
                    names.get(a).cloned().unwrap_or_else(|| a.to_string())
                ),
                Some(a) => names.get(a).cloned().unwrap_or_else(|| a.to_string()),
                None if r.kind == "system" => "System".into(),
                None => "Public".into(),
            };
            AuditEntry {
                seq: r.seq,
                at: r.at.to_rfc3339(),
                label: action_label(&r.action),
                kind: r.kind,
                action: r.action,
                actor,
                actor_ref: r.actor,
                subjects: r
                    .subjects
                    .iter()
                    .map(|s| Subject {
                        reference: s.clone(),
                        label: names.get(s).cloned().unwrap_or_else(|| s.clone()),
                        href: subject_href(s),
                    })
                    .collect(),
                ip: r.ip,
                detail: r.detail,
                outcome: r.outcome,
                redacted: r.redacted,
            }
        })
        .collect())
}

/// A page of the audit log, newest first, filtered.
#[server]
pub async fn list_audit(
    filter: AuditFilter,
    #[server(default)] before: Option<i64>,
) -> Result<AuditPage, AppError> {
    require_role(is_admin).await?;
    let st = state()?;
    let q = parse_filter(&filter)?;
    let (rows, older) = repo::list(&st.db, &q, before, PER_PAGE, MAX_SCAN).await?;
    Ok(AuditPage {
        entries: entries(&st.db, rows).await?,
        older,
        retention_days: st.config.audit_retention_days,
    })
}

/// Checks the whole chain and says where it breaks, if it does (recorded, with the answer).
#[server]
pub async fn get_audit_check() -> Result<AuditCheck, AppError> {
    require_role(is_admin).await?;
    let st = state()?;
    let check = super::repo::verify(&st.db, &st.keys).await?;
    super::record::record_here("read", "verify_audit", Vec::new(), Some(check.summary())).await?;
    Ok(check)
}

/// `GET /admin/audit.csv?<the page's filters>`: the filtered log as CSV (formula-safe cells).
#[cfg(feature = "ssr")]
pub async fn download(
    axum::extract::State(st): axum::extract::State<AppState>,
    axum::extract::Query(filter): axum::extract::Query<AuditFilter>,
    headers: http::HeaderMap,
) -> Result<axum::response::Response, AppError> {
    let user = crate::auth::guard::staff_from_headers(&st, &headers)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    if !is_admin(user.role) {
        return Err(AppError::Forbidden);
    }
    let q = parse_filter(&filter)?;
    let (rows, _) = repo::list(&st.db, &q, None, CSV_ROWS, i64::MAX).await?;
    let list = entries(&st.db, rows).await?;
    let csv = to_csv(&list).map_err(crate::server::db::internal)?;
    let now: DateTime<Utc> = Utc::now();
    Ok(crate::server::csv::csv_attachment(
        &format!("audit-log-{}", now.format("%Y-%m-%d")),
        csv,
    ))
}

#[cfg(feature = "ssr")]
fn to_csv(list: &[AuditEntry]) -> Result<String, csv::Error> {
    use crate::server::csv::cell;
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "Entry",
        "When",
        "Kind",
        "Action",
        "Who",
        "Who (reference)",
        "Subjects",
        "From",
        "Outcome",
        "Detail",
    ])?;
    for e in list {
        let subjects = e
            .subjects
            .iter()
            .map(|s| format!("{} ({})", s.label, s.reference))
            .collect::<Vec<_>>()
            .join("; ");
        w.write_record([
            e.seq.to_string(),
            e.at.clone(),
            e.kind.clone(),
            cell(&e.label),
            cell(&e.actor),
            e.actor_ref.clone().unwrap_or_default(),
            cell(&subjects),
            e.ip.clone().unwrap_or_default(),
            e.outcome.clone(),
            cell(&e.detail.clone().unwrap_or_default()),
        ])?;
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn filters_are_checked() {
        let f = |kind: &str, subject: &str, from: &str, to: &str| {
            parse_filter(&AuditFilter {
                kind: kind.into(),
                actor: String::new(),
                subject: subject.into(),
                from: from.into(),
                to: to.into(),
            })
        };
        let q = f("read", "p1", "2026-01-02", "2026-01-02").unwrap();
        assert_eq!(q.subject.as_deref(), Some("person:p1"));
        assert_eq!(
            q.to.unwrap() - q.from.unwrap(),
            chrono::Duration::days(1),
            "the end date is included"
        );
        assert!(f("nonsense", "", "", "").is_err());
        assert!(f("", "person:a b", "", "").is_err());
        assert!(f("", "", "2026-13-01", "").is_err());
        assert!(f("", "", "2026-02-01", "2026-01-01").is_err());
    }
}
