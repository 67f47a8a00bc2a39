//! Retention policies, applied by the housekeeping job (idempotently):
//! - closed applicants (every application rejected or withdrawn, no talent-pool consent,
//!   nothing new about them) are erased after a number of months;
//! - talent-pool consent older than a number of months triggers a renewal email; who does not
//!   renew within the grace period leaves the pool (erased when nothing else keeps them: no
//!   open application).
//!
//! One policy covers everyone (`retention_policy:default`, "everywhere else"); regions have
//! their own, matched by the country a person's location ends with.

use super::types::country_of;
use crate::error::{AppError, AppResult};
use crate::server::AppState;
use crate::server::db::{Db, write};
use crate::server::security::now_unix;
use chrono::{DateTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};

/// A person's country in SurrealQL: the last comma-separated part of their location.
const COUNTRY: &str =
    "string::lowercase(string::trim(array::last(string::split(location ?? '', ',')) ?? ''))";

/// One policy as stored.
#[derive(Debug, Clone, SurrealValue)]
pub struct Policy {
    pub key: String,
    pub name: String,
    pub countries: Vec<String>,
    pub closed_applicants_months: Option<i64>,
    pub reconsent_months: Option<i64>,
    pub grace_days: i64,
}

impl Policy {
    fn default_policy() -> Self {
        Policy {
            key: "default".into(),
            name: "Everywhere else".into(),
            countries: Vec::new(),
            closed_applicants_months: None,
            reconsent_months: None,
            grace_days: 30,
        }
    }
}

/// The policies: the default one first, then the regions by name.
pub async fn policies(db: &Db) -> AppResult<Vec<Policy>> {
    let mut r = db
        .query(
            "SELECT record::id(id) AS key, name, countries, closed_applicants_months,
                reconsent_months, grace_days FROM retention_policy ORDER BY name",
        )
        .await?;
    let rows: Vec<Policy> = r.take(0)?;
    let default = rows
        .iter()
        .find(|p| p.key == "default")
        .cloned()
        .unwrap_or_else(Policy::default_policy);
    let mut out = vec![Policy {
        name: "Everywhere else".into(),
        countries: Vec::new(),
        ..default
    }];
    out.extend(rows.into_iter().filter(|p| p.key != "default"));
    Ok(out)
}

/// Who a policy covers: a region its countries; the default one everyone in no region.
#[derive(Debug, Clone)]
pub struct Scope {
    only: Option<Vec<String>>,
    except: Vec<String>,
}

impl Scope {
    pub fn of(policy: &Policy, all: &[Policy]) -> Scope {
        if policy.key == "default" {
            Scope {
                only: None,
                except: all.iter().flat_map(|p| p.countries.clone()).collect(),
            }
        } else {
            Scope {
                only: Some(policy.countries.clone()),
                except: Vec::new(),
            }
        }
    }

    /// Does this scope cover someone at `location`? (The same rule as the queries.)
    pub fn covers(&self, location: &str) -> bool {
        let c = country_of(location);
        self.only.as_ref().is_none_or(|o| o.contains(&c)) && !self.except.contains(&c)
    }

    /// Binds `$only` and `$except` of [`Scope::clause`] in `query`.
    fn bind<'a>(
        &self,
        query: surrealdb::method::Query<'a, surrealdb::engine::any::Any>,
    ) -> surrealdb::method::Query<'a, surrealdb::engine::any::Any> {
        query
            .bind(("only", self.only.clone()))
            .bind(("except", self.except.clone()))
    }

    fn clause() -> String {
        format!("($only = NONE OR {COUNTRY} IN $only) AND {COUNTRY} NOT IN $except")
    }
}

/// The cut-off of a period of `months` (of 30 days) before `now`.
pub fn cutoff(now: DateTime<Utc>, months: i64) -> DateTime<Utc> {
    now - chrono::Duration::days(30 * months)
}

#[derive(Debug, Clone, SurrealValue)]
pub struct DueRow {
    pub id: RecordId,
    pub first_name: String,
    pub last_name: String,
    pub last_activity: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// People the closed-applicant rule erases at `cutoff`: not erased, not in the talent pool by
/// consent, with at least one application, every application closed (rejected or withdrawn)
/// and made before the cut-off, and nothing on their timeline since. Oldest first.
pub async fn retention_due(
    db: &Db,
    cutoff: DateTime<Utc>,
    limit: usize,
    scope: &Scope,
) -> AppResult<Vec<DueRow>> {
    let query = db
        .query(format!(
            "SELECT id, first_name, last_name, created_at,
                array::max((SELECT VALUE at FROM activity WHERE person = $parent.id)) AS last_activity
             FROM person
             WHERE erased_at = NONE AND consent_status != 'granted' AND created_at < $cutoff
                AND {}
                AND array::len(SELECT VALUE id FROM application WHERE person = $parent.id) > 0
                AND array::len(SELECT VALUE id FROM application WHERE person = $parent.id
                    AND (status = 'active' OR created_at >= $cutoff)) = 0
                AND array::len(SELECT VALUE id FROM activity WHERE person = $parent.id
                    AND at >= $cutoff) = 0
             ORDER BY created_at LIMIT $limit",
            Scope::clause()
        ))
        .bind(("cutoff", cutoff))
        .bind(("limit", limit as i64));
    let rows: Vec<DueRow> = scope.bind(query).await?.take(0)?;
    Ok(rows)
}

#[derive(Debug, Clone, SurrealValue)]
pub struct Member {
    pub id: RecordId,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
}

/// Talent-pool members whose consent is older than `cutoff` and who were not asked to renew
/// it since they gave it.
pub async fn reconsent_due(
    db: &Db,
    cutoff: DateTime<Utc>,
    limit: usize,
    scope: &Scope,
) -> AppResult<Vec<Member>> {
    let query = db
        .query(format!(
            "SELECT id, first_name, last_name, email, consent_at FROM person
             WHERE erased_at = NONE AND consent_status = 'granted' AND consent_at < $cutoff
                AND (reconsent_asked_at = NONE OR reconsent_asked_at < consent_at)
                AND {}
             ORDER BY consent_at LIMIT $limit",
            Scope::clause()
        ))
        .bind(("cutoff", cutoff))
        .bind(("limit", limit as i64));
    let rows: Vec<Member> = scope.bind(query).await?.take(0)?;
    Ok(rows)
}

#[derive(Debug, Clone, SurrealValue)]
pub struct Lapsing {
    pub id: RecordId,
    /// An open application keeps them (only their talent-pool consent ends).
    pub open_applications: i64,
}

/// Talent-pool members asked to renew before `asked_before` who did not.
pub async fn lapsing(
    db: &Db,
    asked_before: DateTime<Utc>,
    limit: usize,
    scope: &Scope,
) -> AppResult<Vec<Lapsing>> {
    let query = db
        .query(format!(
            "SELECT id, reconsent_asked_at,
                array::len(SELECT VALUE id FROM application WHERE person = $parent.id
                    AND status = 'active') AS open_applications
             FROM person
             WHERE erased_at = NONE AND consent_status = 'granted'
                AND reconsent_asked_at != NONE AND reconsent_asked_at < $before
                AND consent_at < reconsent_asked_at AND {}
             ORDER BY reconsent_asked_at LIMIT $limit",
            Scope::clause()
        ))
        .bind(("before", asked_before))
        .bind(("limit", limit as i64));
    let rows: Vec<Lapsing> = scope.bind(query).await?.take(0)?;
    Ok(rows)
}

/// What one run did under one policy.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunTotals {
    pub erased: usize,
    pub asked: usize,
    pub lapsed: usize,
}

/// The renewal link's purpose (signed, valid for the grace period and a week more).
const RENEW: &str = "renew";

/// Applies every policy (idempotent: the erased are never due again, a person is asked once
/// per consent, a lapsed person is no longer in the pool). A run that did something is
/// recorded per policy. Returns the totals over all policies.
pub async fn apply_retention(st: &AppState, now: DateTime<Utc>) -> AppResult<RunTotals> {
    let db = &st.db;
    let all = policies(db).await?;
    let mut totals = RunTotals::default();
    for policy in &all {
        let scope = Scope::of(policy, &all);
        let mut done = RunTotals::default();
        if let Some(months) = policy.closed_applicants_months {
            for p in retention_due(db, cutoff(now, months), 200, &scope).await? {
                done.erased += super::repo::erase(db, &p.id).await?.people;
            }
        }
        if let Some(months) = policy.reconsent_months {
            for m in reconsent_due(db, cutoff(now, months), 200, &scope).await? {
                ask_to_renew(st, &m, policy.grace_days).await?;
                done.asked += 1;
            }
        }
        let before = now - chrono::Duration::days(policy.grace_days);
        for l in lapsing(db, before, 200, &scope).await? {
            lapse(st, &l).await?;
            done.lapsed += 1;
        }
        if done != RunTotals::default() {
            write(
                db.query(
                    "CREATE retention_run SET region = $region, months = $m, erased = $e,
                        asked = $a, lapsed = $l RETURN NONE",
                )
                .bind((
                    "region",
                    (policy.key != "default").then(|| policy.name.clone()),
                ))
                .bind(("m", policy.closed_applicants_months))
                .bind(("e", done.erased as i64))
                .bind(("a", done.asked as i64))
                .bind(("l", done.lapsed as i64)),
            )
            .await?;
            tracing::info!(policy = %policy.name, erased = done.erased, asked = done.asked,
                lapsed = done.lapsed, "retention policy applied");
        }
        totals.erased += done.erased;
        totals.asked += done.asked;
        totals.lapsed += done.lapsed;
    }
    Ok(totals)
}

/// Emails a renewal link and notes when (one transaction: asked once).
async fn ask_to_renew(st: &AppState, m: &Member, grace_days: i64) -> AppResult<()> {
    let company = &st.config.company_name;
    let token = st.keys.sign(
        RENEW,
        &crate::server::db::key(&m.id),
        now_unix() + (grace_days + 7) * 86_400,
    );
    let link = format!("{}/talent/renew?token={token}", st.config.public_url);
    let name = format!("{} {}", m.first_name, m.last_name)
        .trim()
        .to_string();
    let mail = st
        .mailer
        .compose(
            "reconsent",
            &m.email,
            &name,
            &format!("Do you want to stay in the {company} talent pool?"),
            &format!(
                "Hi {},\n\nSome time ago you agreed that we keep your details and write to you \
                 about roles at {company}. We ask from time to time whether that is still what \
                 you want.\n\nStay in the talent pool, or leave it:\n{link}\n\n\
                 If we do not hear from you within {grace_days} days, we will remove you from \
                 the talent pool.\n\nThe {company} hiring team",
                m.first_name
            ),
        )
        .person(m.id.clone());
    write(
        st.db
            .query(
                "BEGIN TRANSACTION;
                 UPDATE $p SET reconsent_asked_at = time::now() RETURN NONE;
                 CREATE mail CONTENT $mail RETURN NONE;
                 COMMIT TRANSACTION;",
            )
            .bind(("p", m.id.clone()))
            .bind(("mail", mail)),
    )
    .await?;
    st.mailer.wake();
    Ok(())
}

/// No answer to the renewal email: the talent-pool consent ends (in the ledger); who has no
/// open application is erased.
async fn lapse(st: &AppState, l: &Lapsing) -> AppResult<()> {
    let mut event = super::consent::NewConsentEvent::pool(&l.id, false, None, None, "retention");
    event.wording = "No answer to the renewal email within the grace period.".into();
    let activity = crate::server::activity::NewActivity::new(
        &crate::server::activity::Actor::system(),
        "consent",
        "Left the talent pool: no answer to the renewal email",
    )
    .person(&l.id);
    write(
        st.db
            .query(
                "BEGIN TRANSACTION;
                 UPDATE $p SET consent_status = 'withdrawn', consent_at = time::now() RETURN NONE;
                 CREATE consent_event CONTENT $event RETURN NONE;
                 CREATE activity CONTENT $activity RETURN NONE;
                 COMMIT TRANSACTION;",
            )
            .bind(("p", l.id.clone()))
            .bind(("event", event))
            .bind(("activity", activity)),
    )
    .await?;
    if l.open_applications == 0 {
        super::repo::erase(&st.db, &l.id).await?;
    }
    Ok(())
}

/// The person a renewal link names (signature and time checked).
fn renewal_person(st: &AppState, token: &str) -> AppResult<RecordId> {
    let subject = st
        .keys
        .verify(token, RENEW, now_unix())
        .map_err(|e| match e {
            crate::server::security::TokenError::Expired => AppError::Gone(
                "This link has expired. You can still choose in the privacy centre of the candidate portal."
                    .into(),
            ),
            _ => AppError::invalid("token", "This link is not valid."),
        })?;
    crate::server::db::id("person", &subject)
}

/// The first name behind a renewal link (reads only), for its page.
pub async fn renewal_name(st: &AppState, token: &str) -> AppResult<String> {
    let person = renewal_person(st, token)?;
    let mut r = st
        .db
        .query("SELECT VALUE first_name FROM ONLY $p WHERE erased_at = NONE")
        .bind(("p", person))
        .await?;
    let first: Option<String> = r.take(0)?;
    first.ok_or_else(|| AppError::invalid("token", "This link is not valid."))
}

/// The answer to a renewal email: stay (consent renewed now) or leave the talent pool. Both
/// go to the consent ledger with the notice in force and the address.
pub async fn renew(st: &AppState, token: &str, stay: bool, ip: Option<String>) -> AppResult<()> {
    let person = renewal_person(st, token)?;
    renewal_name(st, token).await?;
    let notice = super::consent::current_notice(&st.db, &st.config.company_name).await?;
    let event =
        super::consent::NewConsentEvent::pool(&person, stay, Some(&notice), ip, "reconsent");
    let activity = crate::server::activity::NewActivity::new(
        &crate::server::activity::Actor::candidate(),
        "consent",
        if stay {
            "Renewed their talent-pool consent"
        } else {
            "Left the talent pool (renewal email)"
        },
    )
    .person(&person)
    .for_candidate();
    write(
        st.db
            .query(
                "BEGIN TRANSACTION;
                 IF $stay {
                     UPDATE $p SET consent_status = 'granted', consent_basis = 'consent',
                         consent_at = time::now(), reconsent_asked_at = NONE RETURN NONE;
                 } ELSE {
                     UPDATE $p SET consent_status = 'withdrawn', consent_at = time::now(),
                         reconsent_asked_at = NONE RETURN NONE;
                 };
                 CREATE consent_event CONTENT $event RETURN NONE;
                 CREATE activity CONTENT $activity RETURN NONE;
                 COMMIT TRANSACTION;",
            )
            .bind(("p", person))
            .bind(("stay", stay))
            .bind(("event", event))
            .bind(("activity", activity)),
    )
    .await?;
    Ok(())
}

/// What an admin saves for a policy.
pub struct PolicyInput {
    pub name: String,
    pub countries: Vec<String>,
    pub closed_applicants_months: Option<i64>,
    pub reconsent_months: Option<i64>,
    pub grace_days: i64,
}

/// Saves the default policy (`key` "default") or a region's (a new one when `key` is None).
pub async fn save_policy(
    db: &Db,
    key: Option<&str>,
    input: PolicyInput,
    by: &RecordId,
) -> AppResult<()> {
    let all = policies(db).await?;
    let key = match key {
        Some(k) => {
            if k != "default" && !all.iter().any(|p| p.key == k) {
                return Err(AppError::NotFound);
            }
            k.to_string()
        }
        None => {
            let slug: String = input
                .name
                .to_lowercase()
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .collect::<String>()
                .split('-')
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join("-");
            if slug.is_empty() || slug == "default" || all.iter().any(|p| p.key == slug) {
                return Err(AppError::invalid(
                    "name",
                    "Choose another name: a region with this name exists.",
                ));
            }
            slug
        }
    };
    if key != "default" {
        // A country belongs to one region.
        if let Some((c, other)) = input.countries.iter().find_map(|c| {
            all.iter()
                .find(|p| p.key != key && p.countries.contains(c))
                .map(|p| (c.clone(), p.name.clone()))
        }) {
            return Err(AppError::invalid(
                "countries",
                format!("{c} is already in {other}."),
            ));
        }
    }
    write(
        db.query(
            "UPSERT type::record('retention_policy', $k) SET name = $name, countries = $countries,
                closed_applicants_months = $months, reconsent_months = $reconsent,
                grace_days = $grace, updated_by = $by RETURN NONE",
        )
        .bind(("k", key.clone()))
        .bind((
            "name",
            if key == "default" {
                "Everywhere else".to_string()
            } else {
                input.name
            },
        ))
        .bind((
            "countries",
            if key == "default" {
                Vec::new()
            } else {
                input.countries
            },
        ))
        .bind(("months", input.closed_applicants_months))
        .bind(("reconsent", input.reconsent_months))
        .bind(("grace", input.grace_days))
        .bind(("by", by.clone())),
    )
    .await?;
    Ok(())
}

/// Removes a region's policy (its people fall under the default one).
pub async fn remove_policy(db: &Db, key: &str) -> AppResult<()> {
    if key == "default" {
        return Err(AppError::invalid(
            "key",
            "The policy for everywhere else cannot be removed.",
        ));
    }
    write(
        db.query("DELETE type::record('retention_policy', $k)")
            .bind(("k", key.to_string())),
    )
    .await?;
    Ok(())
}

#[derive(Debug, Clone, SurrealValue)]
pub struct RunRow {
    pub at: DateTime<Utc>,
    pub region: Option<String>,
    pub months: Option<i64>,
    pub erased: i64,
    pub asked: i64,
    pub lapsed: i64,
}

/// The latest runs that did something.
pub async fn runs(db: &Db, limit: usize) -> AppResult<Vec<RunRow>> {
    let rows: Vec<RunRow> = db
        .query(
            "SELECT at, region, months, erased, asked, lapsed FROM retention_run
             ORDER BY at DESC LIMIT $n",
        )
        .bind(("n", limit as i64))
        .await?
        .take(0)?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_cover_their_countries_and_the_default_the_rest() {
        let eu = Policy {
            key: "eu".into(),
            name: "EU".into(),
            countries: vec!["germany".into(), "france".into()],
            ..Policy::default_policy()
        };
        let all = vec![Policy::default_policy(), eu.clone()];
        let eu_scope = Scope::of(&eu, &all);
        let rest = Scope::of(&all[0], &all);
        assert!(eu_scope.covers("Berlin, Germany"));
        assert!(!eu_scope.covers("Austin, USA"));
        assert!(rest.covers("Austin, USA"));
        assert!(rest.covers(""));
        assert!(!rest.covers("Paris, France"));
    }
}
