//! Sessions, staff accounts and sign-in rate limiting (SurrealQL).

use crate::auth::types::{Role, StaffUser};
use crate::error::{AppError, AppResult};
use crate::server::db::{Db, internal, key};
use crate::server::ratelimit::Limit;
use chrono::{DateTime, Duration, Utc};
use surrealdb::types::{RecordId, SurrealValue};

pub const STAFF_COOKIE: &str = "ats_session";
/// Marks a browser that signed in to an account before (signed: purpose `device`, subject the
/// account's email); such a browser is not locked out by other people's failed guesses.
pub const DEVICE_COOKIE: &str = "ats_device";
pub const PORTAL_COOKIE: &str = "ats_portal";
/// Sessions end after this long without a request…
pub const IDLE: Duration = Duration::hours(12);
/// …and in any case this long after sign-in.
pub const ABSOLUTE: Duration = Duration::days(7);
/// Sign-in failures counted over this window.
pub const FAILURE_WINDOW: Duration = Duration::minutes(15);
/// Failed sign-ins allowed per email address…
pub const SIGN_IN_FAILURES_PER_EMAIL: Limit = Limit {
    name: "signin-email",
    max: 5,
    window: FAILURE_WINDOW,
};
/// …and per client address.
pub const SIGN_IN_FAILURES_PER_IP: Limit = Limit {
    name: "signin-ip",
    max: 30,
    window: FAILURE_WINDOW,
};

#[derive(Debug, Clone, SurrealValue)]
pub struct StaffRow {
    pub id: RecordId,
    pub email: String,
    pub name: String,
    pub role: String,
    pub password_hash: String,
    pub active: bool,
    /// Base32 secret of two-step sign-in, when it is on.
    pub totp_secret: Option<String>,
    /// An admin requires two-step sign-in of this member.
    pub require_two_step: Option<bool>,
}

impl StaffRow {
    pub fn to_user(&self) -> AppResult<StaffUser> {
        Ok(StaffUser {
            id: key(&self.id),
            email: self.email.clone(),
            name: self.name.clone(),
            role: Role::parse(&self.role).ok_or_else(|| internal("unknown role in database"))?,
            must_set_up_two_step: false,
            last_visit: None,
        })
    }
}

#[derive(Debug, Clone, SurrealValue)]
pub struct SessionRow {
    pub id: RecordId,
    pub kind: String,
    pub staff: Option<RecordId>,
    pub person: Option<RecordId>,
    pub last_seen: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub previous_visit: Option<DateTime<Utc>>,
}

pub async fn staff_by_email(db: &Db, email: &str) -> AppResult<Option<StaffRow>> {
    let mut res = db
        .query("SELECT id, email, name, role, password_hash, active, totp_secret, require_two_step FROM staff WHERE email = $email LIMIT 1")
        .bind(("email", email.to_string()))
        .await?;
    Ok(res.take(0)?)
}

pub async fn staff_by_id(db: &Db, id: &RecordId) -> AppResult<Option<StaffRow>> {
    let mut res = db
        .query("SELECT id, email, name, role, password_hash, active, totp_secret, require_two_step FROM ONLY $id")
        .bind(("id", id.clone()))
        .await?;
    Ok(res.take(0)?)
}

pub async fn create_staff(
    db: &Db,
    email: &str,
    name: &str,
    role: Role,
    password_hash: &str,
) -> AppResult<RecordId> {
    let mut res = db
        .query(
            "CREATE staff SET email = $email, name = $name, role = $role,
                password_hash = $hash RETURN VALUE id",
        )
        .bind(("email", email.to_string()))
        .bind(("name", name.to_string()))
        .bind(("role", role.as_str().to_string()))
        .bind(("hash", password_hash.to_string()))
        .await?;
    let id: Option<RecordId> = res.take(0).map_err(|e| {
        if crate::server::db::is_unique_violation(&e) {
            AppError::Conflict("A staff member with that email already exists.".into())
        } else {
            internal(e)
        }
    })?;
    id.ok_or(AppError::Internal)
}

/// All staff, for pickers (hiring manager of a job, …).
pub async fn list_staff(db: &Db) -> AppResult<Vec<StaffRow>> {
    let mut res = db
        .query("SELECT id, email, name, role, password_hash, active, totp_secret, require_two_step FROM staff WHERE active = true ORDER BY name")
        .await?;
    Ok(res.take(0)?)
}

pub async fn create_session(
    db: &Db,
    kind: &str,
    staff: Option<RecordId>,
    person: Option<RecordId>,
    token_hash: &str,
) -> AppResult<()> {
    // A staff member's sign-in is recorded just before their session is created
    // (`record_sign_in`), so the sign-in before the newest is their previous visit: the home
    // shows what is new since then, for as long as this session lasts.
    db.query(
        "LET $visits = IF $staff = NONE { [] } ELSE {
            SELECT VALUE at FROM sign_in WHERE staff = $staff ORDER BY at DESC LIMIT 2
         };
         CREATE session SET token_hash = $h, kind = $kind, staff = $staff, person = $person,
            expires_at = $exp, previous_visit = $visits[1] RETURN NONE;",
    )
    .bind(("h", token_hash.to_string()))
    .bind(("kind", kind.to_string()))
    .bind(("staff", staff))
    .bind(("person", person))
    .bind(("exp", Utc::now() + ABSOLUTE))
    .await
    .and_then(|r| r.check())?;
    Ok(())
}

/// The live session with this token hash; expired sessions are deleted and ignored.
pub async fn live_session(db: &Db, token_hash: &str) -> AppResult<Option<SessionRow>> {
    let mut res = db
        .query(
            "SELECT id, kind, staff, person, last_seen, expires_at, previous_visit FROM session
             WHERE token_hash = $h LIMIT 1",
        )
        .bind(("h", token_hash.to_string()))
        .await?;
    let row: Option<SessionRow> = res.take(0)?;
    let Some(row) = row else { return Ok(None) };
    let now = Utc::now();
    if row.expires_at <= now || row.last_seen + IDLE <= now {
        delete_session(db, token_hash).await?;
        return Ok(None);
    }
    if now - row.last_seen > Duration::minutes(5) {
        db.query("UPDATE $id SET last_seen = time::now() RETURN NONE")
            .bind(("id", row.id.clone()))
            .await?;
    }
    Ok(Some(row))
}

pub async fn delete_session(db: &Db, token_hash: &str) -> AppResult<()> {
    db.query("DELETE session WHERE token_hash = $h")
        .bind(("h", token_hash.to_string()))
        .await
        .and_then(|r| r.check())?;
    Ok(())
}

/// Sets a staff member's password. Links (invitations, resets) issued before now stop working,
/// and so do the member's other sessions (`keep`: the session to keep, by token hash).
pub async fn set_password(
    db: &Db,
    staff: &RecordId,
    hash: &str,
    keep: Option<&str>,
) -> AppResult<()> {
    db.query(
        "BEGIN TRANSACTION;
         UPDATE $s SET password_hash = $hash, password_set_ms = $now RETURN NONE;
         DELETE session WHERE staff = $s AND token_hash != $keep;
         COMMIT TRANSACTION;",
    )
    .bind(("s", staff.clone()))
    .bind(("hash", hash.to_string()))
    .bind(("now", Utc::now().timestamp_millis()))
    .bind(("keep", keep.unwrap_or_default().to_string()))
    .await
    .and_then(|r| r.check())?;
    Ok(())
}

/// When the member's password was last set (unix ms; 0 if never).
pub async fn password_set_ms(db: &Db, staff: &RecordId) -> AppResult<i64> {
    let mut res = db
        .query("RETURN (SELECT VALUE password_set_ms FROM ONLY $s) ?? 0")
        .bind(("s", staff.clone()))
        .await?;
    let ms: Option<i64> = res.take(0)?;
    Ok(ms.unwrap_or(0))
}

/// Records a successful sign-in (for the admins' list of who signed in when). Two sign-ins of
/// the same member at the same moment (two devices) both succeed: a lost write conflict is
/// tried again rather than shown.
pub async fn record_sign_in(db: &Db, staff: &RecordId, ip: &str) -> AppResult<()> {
    crate::server::db::retry_conflicts(|| async {
        crate::server::db::write(
            db.query(
                "BEGIN TRANSACTION;
                 UPDATE $s SET last_sign_in_at = time::now() RETURN NONE;
                 CREATE sign_in SET staff = $s, ip = $ip RETURN NONE;
                 COMMIT TRANSACTION;",
            )
            .bind(("s", staff.clone()))
            .bind(("ip", ip.to_string())),
        )
        .await?;
        Ok(())
    })
    .await
}

/// Keeps a two-step secret, and the recovery codes that will come with it, waiting for the
/// secret's first code (setup).
pub async fn set_totp_pending(
    db: &Db,
    staff: &RecordId,
    secret: &str,
    codes: &[String],
) -> AppResult<()> {
    db.query("UPDATE $s SET totp_pending = $secret, totp_pending_codes = $codes RETURN NONE")
        .bind(("s", staff.clone()))
        .bind(("secret", secret.to_string()))
        .bind(("codes", codes.to_vec()))
        .await
        .and_then(|r| r.check())?;
    Ok(())
}

/// The secret waiting for its first code, with its recovery codes.
pub async fn totp_pending(db: &Db, staff: &RecordId) -> AppResult<Option<(String, Vec<String>)>> {
    #[derive(Debug, Clone, SurrealValue)]
    struct Pending {
        secret: Option<String>,
        codes: Option<Vec<String>>,
    }
    let mut res = db
        .query("SELECT totp_pending AS secret, totp_pending_codes AS codes FROM ONLY $s")
        .bind(("s", staff.clone()))
        .await?;
    let v: Option<Pending> = res.take(0)?;
    Ok(v.and_then(|p| Some((p.secret?, p.codes.unwrap_or_default()))))
}

/// Turns two-step sign-in on with `secret` (whose code at `step` was just shown) and the hashes
/// of fresh recovery codes.
pub async fn enable_totp(
    db: &Db,
    staff: &RecordId,
    secret: &str,
    step: i64,
    recovery_hashes: Vec<String>,
) -> AppResult<()> {
    db.query(
        "UPDATE $s SET totp_secret = $secret, totp_pending = NONE, totp_pending_codes = NONE,
            totp_last_step = $step, totp_recovery = $codes RETURN NONE",
    )
    .bind(("s", staff.clone()))
    .bind(("secret", secret.to_string()))
    .bind(("step", step))
    .bind(("codes", recovery_hashes))
    .await
    .and_then(|r| r.check())?;
    Ok(())
}

/// Turns two-step sign-in off.
pub async fn disable_totp(db: &Db, staff: &RecordId) -> AppResult<()> {
    db.query(
        "UPDATE $s SET totp_secret = NONE, totp_pending = NONE, totp_pending_codes = NONE,
            totp_last_step = NONE, totp_recovery = [] RETURN NONE",
    )
    .bind(("s", staff.clone()))
    .await
    .and_then(|r| r.check())?;
    Ok(())
}

/// Uses the code of `step`: false when that step (or a later one) was used already, so a code
/// seen over someone's shoulder does not work a second time.
pub async fn use_totp_step(db: &Db, staff: &RecordId, step: i64) -> AppResult<bool> {
    let mut res = db
        .query(
            "UPDATE $s SET totp_last_step = $step WHERE (totp_last_step ?? -1) < $step RETURN VALUE id",
        )
        .bind(("s", staff.clone()))
        .bind(("step", step))
        .await?;
    let ids: Vec<RecordId> = res.take(0)?;
    Ok(!ids.is_empty())
}

/// Uses a recovery code (by its hash): false when it is not one of the member's unused codes.
pub async fn use_recovery_code(db: &Db, staff: &RecordId, hash: &str) -> AppResult<bool> {
    let mut res = db
        .query(
            "UPDATE $s SET totp_recovery -= $h WHERE $h IN (totp_recovery ?? []) RETURN VALUE id",
        )
        .bind(("s", staff.clone()))
        .bind(("h", hash.to_string()))
        .await?;
    let ids: Vec<RecordId> = res.take(0)?;
    Ok(!ids.is_empty())
}

/// Recovery codes left.
pub async fn recovery_left(db: &Db, staff: &RecordId) -> AppResult<i64> {
    let mut res = db
        .query("RETURN array::len((SELECT VALUE totp_recovery FROM ONLY $s) ?? [])")
        .bind(("s", staff.clone()))
        .await?;
    let n: Option<i64> = res.take(0)?;
    Ok(n.unwrap_or(0))
}

/// Requires (or stops requiring) two-step sign-in of a member.
pub async fn set_two_step_required(db: &Db, staff: &RecordId, required: bool) -> AppResult<bool> {
    let mut res = db
        .query("UPDATE $s SET require_two_step = $r RETURN VALUE id")
        .bind(("s", staff.clone()))
        .bind(("r", required))
        .await?;
    let ids: Vec<RecordId> = res.take(0)?;
    Ok(!ids.is_empty())
}

/// Ends every session of a staff member (deactivation).
pub async fn end_sessions_of(db: &Db, staff: &RecordId) -> AppResult<()> {
    db.query("DELETE session WHERE staff = $s")
        .bind(("s", staff.clone()))
        .await
        .and_then(|r| r.check())?;
    Ok(())
}

/// Housekeeping: drop expired sessions.
pub async fn purge_expired(db: &Db) -> AppResult<()> {
    db.query("DELETE session WHERE expires_at < time::now(); DELETE sign_in WHERE at < time::now() - 90d;")
        .await
        .and_then(|r| r.check())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn sign_ins_at_the_same_moment_are_all_recorded() {
        let st = testing::state().await;
        let staff = create_staff(&st.db, "b@acme.test", "B", Role::Recruiter, "x")
            .await
            .unwrap();
        // One member on several devices: each sign-in writes the member's row at once.
        let tasks: Vec<_> = (0..8)
            .map(|i| {
                let (db, staff) = (st.db.clone(), staff.clone());
                tokio::spawn(
                    async move { record_sign_in(&db, &staff, &format!("10.0.0.{i}")).await },
                )
            })
            .collect();
        for t in tasks {
            let done = t.await.unwrap();
            assert!(done.is_ok(), "{done:?}");
        }
        let mut r = st
            .db
            .query("RETURN count(SELECT id FROM sign_in WHERE staff = $s)")
            .bind(("s", staff))
            .await
            .unwrap();
        let n: Option<i64> = r.take(0).unwrap();
        assert_eq!(n, Some(8), "each sign-in recorded once");
    }

    #[tokio::test]
    async fn idle_and_expired_sessions_are_refused_and_removed() {
        let st = testing::state().await;
        let staff = create_staff(&st.db, "a@acme.test", "A", Role::Admin, "x")
            .await
            .unwrap();
        create_session(&st.db, "staff", Some(staff.clone()), None, "live")
            .await
            .unwrap();
        create_session(&st.db, "staff", Some(staff.clone()), None, "idle")
            .await
            .unwrap();
        create_session(&st.db, "staff", Some(staff), None, "old")
            .await
            .unwrap();
        st.db
            .query(
                "UPDATE session SET last_seen = $t WHERE token_hash = 'idle';
                    UPDATE session SET expires_at = $now WHERE token_hash = 'old';",
            )
            .bind(("t", Utc::now() - IDLE - Duration::minutes(1)))
            .bind(("now", Utc::now()))
            .await
            .unwrap();
        assert!(live_session(&st.db, "live").await.unwrap().is_some());
        assert!(live_session(&st.db, "idle").await.unwrap().is_none());
        assert!(live_session(&st.db, "old").await.unwrap().is_none());
        assert_eq!(
            testing::ids(&st, "session").await.len(),
            1,
            "dead sessions are deleted"
        );
    }

    #[tokio::test]
    async fn staff_emails_are_unique() {
        let st = testing::state().await;
        create_staff(&st.db, "dup@acme.test", "A", Role::Admin, "x")
            .await
            .unwrap();
        let again = create_staff(&st.db, "dup@acme.test", "B", Role::Sourcer, "x").await;
        assert!(matches!(again, Err(AppError::Conflict(_))));
    }
}
