//! Staff accounts in the database (server only).

use super::types::{SignInEntry, StaffMember};
use crate::auth::types::Role;
use crate::error::{AppError, AppResult};
use crate::server::db::{Db, key, write_guarded};
use chrono::{DateTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};

#[derive(Debug, Clone, SurrealValue)]
struct MemberRow {
    id: RecordId,
    name: String,
    email: String,
    role: String,
    active: bool,
    invited: bool,
    two_step: bool,
    two_step_required: Option<bool>,
    last_sign_in_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, SurrealValue)]
struct SignInRow {
    name: String,
    at: DateTime<Utc>,
    ip: String,
}

/// Everyone, active first, by name.
pub async fn members(db: &Db) -> AppResult<Vec<StaffMember>> {
    let mut res = db
        .query(
            "SELECT id, name, email, role, active, password_hash = '' AS invited,
                totp_secret != NONE AS two_step, require_two_step AS two_step_required, last_sign_in_at
             FROM staff ORDER BY active DESC, name",
        )
        .await?;
    let rows: Vec<MemberRow> = res.take(0)?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(StaffMember {
                id: key(&r.id),
                name: r.name,
                email: r.email,
                role: Role::parse(&r.role)?,
                active: r.active,
                invited: r.invited,
                two_step: r.two_step,
                two_step_required: r.two_step_required == Some(true),
                last_sign_in: r.last_sign_in_at.map(|d| d.to_rfc3339()),
            })
        })
        .collect())
}

/// The latest sign-ins.
pub async fn sign_ins(db: &Db, limit: i64) -> AppResult<Vec<SignInEntry>> {
    let mut res = db
        .query("SELECT staff.name AS name, at, ip FROM sign_in ORDER BY at DESC LIMIT $n")
        .bind(("n", limit))
        .await?;
    let rows: Vec<SignInRow> = res.take(0)?;
    Ok(rows
        .into_iter()
        .map(|r| SignInEntry {
            name: r.name,
            at: r.at.to_rfc3339(),
            ip: r.ip,
        })
        .collect())
}

/// Adds an invited member (no password yet: they set one from the invitation).
pub async fn invite(
    db: &Db,
    name: &str,
    email: &str,
    role: Role,
    by: &RecordId,
) -> AppResult<RecordId> {
    let id = RecordId::new("staff", crate::server::db::new_key());
    write_guarded(
        db.query(
            "IF (SELECT VALUE id FROM staff WHERE email = $email) != [] { THROW 'staff_exists' };
             CREATE $id SET name = $name, email = $email, role = $role, password_hash = '',
                invited_by = $by RETURN NONE;",
        )
        .bind(("id", id.clone()))
        .bind(("name", name.to_string()))
        .bind(("email", email.to_string()))
        .bind(("role", role.as_str().to_string()))
        .bind(("by", by.clone())),
        &[
            (
                "staff_exists",
                AppError::invalid("email", "Someone on the staff already has this email."),
            ),
            (
                "already contains",
                AppError::invalid("email", "Someone on the staff already has this email."),
            ),
        ],
    )
    .await?;
    Ok(id)
}

/// Changes a role; the last active admin stays an admin.
pub async fn set_role(db: &Db, staff: &RecordId, role: Role) -> AppResult<()> {
    write_guarded(
        db.query(
            "BEGIN TRANSACTION;
             IF (SELECT VALUE id FROM ONLY $s) = NONE { THROW 'no_staff' };
             UPDATE $s SET role = $role RETURN NONE;
             IF array::len(SELECT VALUE id FROM staff WHERE role = 'admin' AND active = true) = 0 {
                 THROW 'last_admin'
             };
             COMMIT TRANSACTION;",
        )
        .bind(("s", staff.clone()))
        .bind(("role", role.as_str().to_string())),
        &[
            ("no_staff", AppError::NotFound),
            (
                "last_admin",
                AppError::Conflict(
                    "Someone must stay an admin: make another colleague an admin first.".into(),
                ),
            ),
        ],
    )
    .await?;
    Ok(())
}

/// Deactivates (every session ends at once) or reactivates a member; the last active admin
/// stays active.
pub async fn set_active(db: &Db, staff: &RecordId, active: bool) -> AppResult<()> {
    write_guarded(
        db.query(
            "BEGIN TRANSACTION;
             IF (SELECT VALUE id FROM ONLY $s) = NONE { THROW 'no_staff' };
             UPDATE $s SET active = $active RETURN NONE;
             IF !$active { DELETE session WHERE staff = $s };
             IF array::len(SELECT VALUE id FROM staff WHERE role = 'admin' AND active = true) = 0 {
                 THROW 'last_admin'
             };
             COMMIT TRANSACTION;",
        )
        .bind(("s", staff.clone()))
        .bind(("active", active)),
        &[
            ("no_staff", AppError::NotFound),
            (
                "last_admin",
                AppError::Conflict(
                    "Someone must stay an admin: make another colleague an admin first.".into(),
                ),
            ),
        ],
    )
    .await?;
    Ok(())
}
