//! Rate limiting in the database, so every app process sees the same counts: a [`Limit`] allows
//! `max` events per key within a sliding `window`. Features declare their limits (sign-in
//! failures per address and per IP, portal links per address, …) and record events here.

use super::db::Db;
use crate::error::{AppError, AppResult};
use chrono::{Duration, Utc};
use surrealdb::types::RecordId;

/// How often [`Limit::reserve`] tries again after losing a write conflict (with random pauses
/// of up to 10 ms × the try number, 100 ms at most: under 4 s in all, about 2 s on average).
const RESERVE_TRIES: u64 = 40;

/// At most `max` events per key within `window`.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    /// Keeps the limits apart (`signin-email`, `portal-link`, …).
    pub name: &'static str,
    pub max: i64,
    pub window: Duration,
}

impl Limit {
    /// A public form's allowance per client address: `max` within an hour.
    pub fn per_ip_hour(name: &'static str, max: i64) -> Limit {
        Limit {
            name,
            max,
            window: Duration::hours(1),
        }
    }

    fn bucket(&self, key: &str) -> String {
        format!("{}:{key}", self.name)
    }

    /// Events of `key` within the window.
    pub async fn count(&self, db: &Db, key: &str) -> AppResult<i64> {
        let mut res = db
            .query("SELECT VALUE id FROM rate_event WHERE bucket = $b AND at > $since")
            .bind(("b", self.bucket(key)))
            .bind(("since", Utc::now() - self.window))
            .await?;
        let ids: Vec<RecordId> = res.take(0)?;
        Ok(ids.len() as i64)
    }

    /// True when `key` has used up its allowance. Tests only: checking, then recording, lets
    /// parallel requests through together; callers use [`Limit::take`].
    #[cfg(test)]
    pub async fn exceeded(&self, db: &Db, key: &str) -> AppResult<bool> {
        Ok(self.count(db, key).await? >= self.max)
    }

    /// Takes one event of `key`'s allowance: true (and recorded) when within it, false when it
    /// is used up. Atomic: concurrent takers of one key serialise on a per-key lock record (a
    /// write conflict makes all but one try again), so N parallel requests cannot all pass a
    /// check that each saw as "one left". A taker that keeps losing is refused, never let in.
    pub async fn take(&self, db: &Db, key: &str) -> AppResult<bool> {
        Ok(self.reserve(db, key).await?.is_some())
    }

    /// [`Limit::take`] that names the recorded event, so a caller who learns the event should not
    /// count (a successful sign-in is not a failure) can [`Limit::refund`] it.
    pub async fn reserve(&self, db: &Db, key: &str) -> AppResult<Option<RecordId>> {
        let bucket = self.bucket(key);
        let attempt = || async {
            let event = RecordId::new("rate_event", super::db::new_key());
            let res = super::db::write_guarded(
                db.query(
                    "BEGIN TRANSACTION;
                     UPSERT type::record('rate_lock', $b) SET n = (n ?? 0) + 1 RETURN NONE;
                     IF array::len((SELECT VALUE id FROM rate_event WHERE bucket = $b AND at > $since)) >= $max {
                         THROW 'rate_limited'
                     };
                     CREATE $event SET bucket = $b RETURN NONE;
                     COMMIT TRANSACTION;",
                )
                .bind(("event", event.clone()))
                .bind(("b", bucket.clone()))
                .bind(("since", Utc::now() - self.window))
                .bind(("max", self.max)),
                &[("rate_limited", AppError::TooManyRequests(String::new()))],
            )
            .await;
            match res {
                Ok(_) => Ok(Some(event)),
                Err(AppError::TooManyRequests(_)) => Ok(None),
                Err(e) => Err(e),
            }
        };
        // Takers of one key that arrive together conflict on its lock record; all but one try
        // again. Many at once (a burst of sign-ins from one office's address, two app nodes)
        // need more tries than other writes, and random pauses so that the losers do not meet
        // again in step. A taker that still loses after that is refused (fail closed).
        let mut tries = 0u64;
        loop {
            match attempt().await {
                Err(AppError::Conflict(_)) if tries < RESERVE_TRIES => {
                    tries += 1;
                    let pause = rand::random_range(1..=10 * tries.min(10));
                    tokio::time::sleep(std::time::Duration::from_millis(pause)).await;
                }
                Err(AppError::Conflict(_)) => {
                    tracing::warn!(bucket = %bucket, "rate limit refused after losing every try");
                    return Ok(None);
                }
                other => return other,
            }
        }
    }

    /// Gives back an event taken by [`Limit::reserve`].
    pub async fn refund(&self, db: &Db, event: RecordId) -> AppResult<()> {
        db.query("DELETE $e RETURN NONE")
            .bind(("e", event))
            .await
            .and_then(|r| r.check())?;
        Ok(())
    }

    /// Records one event of `key` (tests only; callers use [`Limit::take`]).
    #[cfg(test)]
    pub async fn record(&self, db: &Db, key: &str) -> AppResult<()> {
        db.query("CREATE rate_event SET bucket = $b RETURN NONE")
            .bind(("b", self.bucket(key)))
            .await
            .and_then(|r| r.check())?;
        Ok(())
    }
}

/// A public form's allowance for the current request's client address (the `ATS_PUBLIC_FORMS_
/// PER_IP_HOUR` setting, counted per form): Ok, or TooManyRequests past it.
pub async fn public_form(st: &super::AppState, form: &'static str) -> AppResult<()> {
    let ip = super::request_ip(st)?;
    if Limit::per_ip_hour(form, st.config.public_forms_per_ip_hour)
        .take(&st.db, &ip)
        .await?
    {
        return Ok(());
    }
    tracing::info!(%ip, form, "public form allowance reached");
    Err(AppError::TooManyRequests(
        "We have received many requests from your network in the last hour. Please try again later."
            .into(),
    ))
}

/// Housekeeping: forgets events older than any window (a day).
pub async fn purge(db: &Db) -> AppResult<()> {
    db.query("DELETE rate_event WHERE at < $cutoff; DELETE rate_lock WHERE at < $cutoff;")
        .bind(("cutoff", Utc::now() - Duration::days(1)))
        .await
        .and_then(|r| r.check())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    const EMAIL: Limit = Limit {
        name: "test-email",
        max: 2,
        window: Duration::minutes(15),
    };
    const IP: Limit = Limit {
        name: "test-ip",
        max: 30,
        window: Duration::minutes(15),
    };

    #[tokio::test]
    async fn events_are_counted_per_key_within_the_window() {
        let st = testing::state().await;
        EMAIL.record(&st.db, "a").await.unwrap();
        IP.record(&st.db, "1").await.unwrap();
        EMAIL.record(&st.db, "a").await.unwrap();
        st.db
            .query("CREATE rate_event SET bucket = 'test-email:a', at = $old")
            .bind(("old", Utc::now() - EMAIL.window - Duration::minutes(1)))
            .await
            .unwrap();
        assert_eq!(EMAIL.count(&st.db, "a").await.unwrap(), 2);
        assert_eq!(IP.count(&st.db, "1").await.unwrap(), 1);
        assert_eq!(EMAIL.count(&st.db, "b").await.unwrap(), 0);
        // The same key under another limit is another count.
        assert_eq!(IP.count(&st.db, "a").await.unwrap(), 0);
        assert!(EMAIL.exceeded(&st.db, "a").await.unwrap());
        assert!(!IP.exceeded(&st.db, "1").await.unwrap());
        purge(&st.db).await.unwrap();
        assert_eq!(EMAIL.count(&st.db, "a").await.unwrap(), 2);
    }

    #[tokio::test]
    async fn concurrent_takers_never_pass_more_than_the_allowance() {
        let st = testing::state().await;
        const FIVE: Limit = Limit {
            name: "test-five",
            max: 5,
            window: Duration::minutes(15),
        };
        let takers = (0..24).map(|_| {
            let db = st.db.clone();
            tokio::spawn(async move { FIVE.take(&db, "k").await.unwrap() })
        });
        let mut allowed = 0;
        for t in takers.collect::<Vec<_>>() {
            if t.await.unwrap() {
                allowed += 1;
            }
        }
        assert!(
            allowed <= 5,
            "{allowed} of 24 concurrent takers passed a limit of 5"
        );
        assert_eq!(FIVE.count(&st.db, "k").await.unwrap(), allowed);
        // Once used up, a lone taker is refused too.
        while FIVE.take(&st.db, "k").await.unwrap() {}
        assert!(!FIVE.take(&st.db, "k").await.unwrap());
        assert_eq!(FIVE.count(&st.db, "k").await.unwrap(), 5);
    }

    /// Within the allowance, a burst of takers of one key all pass: losing the lock record's
    /// write conflict to each other is not a reason to refuse them.
    #[tokio::test]
    async fn a_burst_within_the_allowance_is_never_refused() {
        let st = testing::state().await;
        const MANY: Limit = Limit {
            name: "test-many",
            max: 100,
            window: Duration::minutes(15),
        };
        let takers: Vec<_> = (0..24)
            .map(|_| {
                let db = st.db.clone();
                tokio::spawn(async move { MANY.take(&db, "office").await.unwrap() })
            })
            .collect();
        let mut refused = 0;
        for t in takers {
            if !t.await.unwrap() {
                refused += 1;
            }
        }
        assert_eq!(
            refused, 0,
            "{refused} of 24 takers refused under a limit of 100"
        );
        assert_eq!(MANY.count(&st.db, "office").await.unwrap(), 24);
    }
}
