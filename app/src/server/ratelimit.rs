//! Rate limiting in the database, so every app process sees the same counts: a [`Limit`] allows
//! `max` events per key within a sliding `window`. Features declare their limits (sign-in
//! failures per address and per IP, portal links per address, …) and record events here.

use super::db::Db;
use crate::error::AppResult;
use chrono::{Duration, Utc};
use surrealdb::types::RecordId;

/// At most `max` events per key within `window`.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    /// Keeps the limits apart (`signin-email`, `portal-link`, …).
    pub name: &'static str,
    pub max: i64,
    pub window: Duration,
}

impl Limit {
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

    /// True when `key` has used up its allowance.
    pub async fn exceeded(&self, db: &Db, key: &str) -> AppResult<bool> {
        Ok(self.count(db, key).await? >= self.max)
    }

    /// Records one event of `key`.
    pub async fn record(&self, db: &Db, key: &str) -> AppResult<()> {
        db.query("CREATE rate_event SET bucket = $b RETURN NONE")
            .bind(("b", self.bucket(key)))
            .await
            .and_then(|r| r.check())?;
        Ok(())
    }
}

/// Housekeeping: forgets events older than any window (a day).
pub async fn purge(db: &Db) -> AppResult<()> {
    db.query("DELETE rate_event WHERE at < $cutoff")
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
}
