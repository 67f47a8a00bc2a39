//! Sourcing capture storage: staff referrals, and the public talent-community sign-up with
//! double opt-in.

use super::types::Signup;
use crate::domain::{EmailAddress, PersonName, Phone};
use crate::error::{AppError, AppResult, Checks};
use crate::people::types::RELATIONSHIPS;
use crate::pools::repo::pool_named;
use crate::server::AppState;
use crate::server::activity::{Actor, NewActivity};
use crate::server::db::{key, new_key, write_guarded};
use crate::server::security::now_unix;
use surrealdb::types::RecordId;

pub const TALENT_POOL: &str = "Talent community";

/// A checked referral.
pub struct Referral {
    pub name: PersonName,
    pub email: EmailAddress,
    pub phone: Option<Phone>,
    pub relationship: String,
    pub note: String,
    pub job: Option<RecordId>,
}

pub fn check_referral(
    name: &str,
    email: &str,
    phone: &str,
    relationship: &str,
    note: &str,
    job: &str,
) -> AppResult<Referral> {
    let mut c = Checks::new();
    let name = c.check("name", PersonName::parse(name));
    let email = c.check("email", EmailAddress::parse(email));
    let phone = c.check("phone", Phone::parse_optional(phone));
    if !RELATIONSHIPS.contains(&relationship) {
        c.add("relationship", "Say how you know them.");
    }
    let note = note.trim().to_string();
    if note.chars().count() > 2000 {
        c.add("note", "Keep the note to 2,000 characters or fewer.");
    }
    let job = if job.trim().is_empty() {
        None
    } else {
        c.check(
            "job",
            crate::server::db::id("job", job.trim())
                .map_err(|_| "Choose a job from the list.".to_string()),
        )
    };
    c.finish()?;
    Ok(Referral {
        name: name.expect("checked"),
        email: email.expect("checked"),
        phone: phone.expect("checked"),
        relationship: relationship.to_string(),
        note,
        job,
    })
}

/// Stores a referral: a new person (or the existing one with that email) credited to the
/// referrer, with the note, the resume if any, and optionally an application to a job.
pub async fn refer(
    st: &AppState,
    r: &Referral,
    resume: Option<crate::careers::repo::Upload>,
    referrer: &crate::auth::types::StaffUser,
) -> AppResult<RecordId> {
    let db = &st.db;
    let actor = Actor::staff(referrer);
    // Anyone on the staff may refer, so a referral may only point at a job open to applicants.
    if let Some(job) = &r.job {
        let open = crate::jobs::repo::get(db, job)
            .await?
            .is_some_and(|j| j.status() == crate::jobs::types::JobStatus::Open);
        if !open {
            return Err(AppError::invalid(
                "job",
                "Refer people to a job that is open for applications.",
            ));
        }
    }
    // An existing person gains the referral (an activity entry, the note, the resume as a new
    // file) but none of their fields change: a referral is a claim, not an edit.
    let existing = crate::careers::repo::person_by_email(db, r.email.as_str()).await?;
    let person = existing
        .clone()
        .unwrap_or_else(|| RecordId::new("person", new_key()));
    let staff = RecordId::new("staff", referrer.id.as_str());
    let summary = format!(
        "Referred by {} ({})",
        referrer.name,
        r.relationship.to_lowercase()
    );
    let activity = NewActivity::new(&actor, "referred", summary).person(&person);
    let resume_id = RecordId::new("resume", new_key());
    let (has_resume, filename, content_type, data, text, status, message, proposal) = match resume {
        Some(u) => (
            true,
            u.filename,
            u.kind.content_type().to_string(),
            surrealdb::types::Bytes::from(u.bytes),
            u.parsed.text,
            u.parsed.parse_status,
            u.parsed.parse_message,
            u.parsed.proposal,
        ),
        None => (
            false,
            String::new(),
            String::new(),
            surrealdb::types::Bytes::from(Vec::new()),
            None,
            "ok".into(),
            None,
            None,
        ),
    };
    write_guarded(
        db.query(
            "BEGIN TRANSACTION;
             IF $is_new {
                CREATE $person SET first_name = $first, last_name = $last, email = $email, phone = $phone,
                    source = 'referral', referred_by = $staff, referral_relationship = $rel, resume_text = $text,
                    consent_basis = 'legitimate_interest' RETURN NONE;
                CREATE consent_event CONTENT $basis_event RETURN NONE;
             };
             IF $has_resume {
                CREATE $resume SET person = $person, filename = $filename, content_type = $ctype, size = $size,
                    data = $data, text = $text, parse_status = $status, parse_message = $message, proposal = $proposal RETURN NONE;
             };
             IF $note != '' {
                CREATE note SET person = $person, author = $staff, author_name = $author, body = $note RETURN NONE;
                UPDATE $person SET notes_text = array::join((SELECT VALUE body FROM note WHERE person = $person), '\\n') RETURN NONE;
             };
             CREATE activity CONTENT $activity RETURN NONE;
             COMMIT TRANSACTION;",
        )
        .bind(("is_new", existing.is_none()))
        .bind((
            "basis_event",
            crate::privacy::consent::NewConsentEvent::by_staff(
                &person,
                crate::privacy::types::Basis::LegitimateInterest,
                true,
                "referral",
                &referrer.name,
                crate::server::request_ip(st).ok(),
            ),
        ))
        .bind(("person", person.clone()))
        .bind(("first", r.name.first.clone()))
        .bind(("last", r.name.last.clone()))
        .bind(("email", r.email.as_str().to_string()))
        .bind(("phone", r.phone.as_ref().map(|p| p.as_str().to_string())))
        .bind(("staff", staff))
        .bind(("rel", r.relationship.clone()))
        .bind(("text", text.clone()))
        .bind(("has_resume", has_resume))
        .bind(("resume", resume_id))
        .bind(("filename", filename))
        .bind(("ctype", content_type))
        .bind(("size", data.len() as i64))
        .bind(("data", data))
        .bind(("status", status))
        .bind(("message", message))
        .bind(("proposal", proposal))
        .bind(("note", r.note.clone()))
        .bind(("author", referrer.name.clone()))
        .bind(("activity", activity)),
        &[],
    )
    .await?;
    if let Some(job) = &r.job {
        match crate::pipeline::repo::add_to_job(db, &person, job, &actor).await {
            Ok(_) | Err(AppError::Conflict(_)) => {}
            Err(e) => return Err(e),
        }
        db.query(
            "UPDATE application SET source = 'referral' WHERE person = $p AND job = $j RETURN NONE",
        )
        .bind(("p", person.clone()))
        .bind(("j", job.clone()))
        .await?;
    }
    Ok(person)
}

/// Records the sign-up as pending and emails a confirmation link (double opt-in). An existing
/// person is not changed at all: the form is public, and anyone can type anyone's email. Their
/// interests travel in the signed link and are added when the owner of the address confirms.
pub async fn sign_up(st: &AppState, s: &Signup) -> AppResult<()> {
    let db = &st.db;
    let existing = crate::careers::repo::person_by_email(db, s.email.as_str()).await?;
    let person = existing
        .clone()
        .unwrap_or_else(|| RecordId::new("person", new_key()));
    let activity = NewActivity::new(
        &Actor::candidate(),
        "signup",
        "Signed up for the talent community (waiting for confirmation)",
    )
    .person(&person);
    let link = format!(
        "{}/talent/confirm?token={}",
        st.config.public_url,
        st.keys.sign(
            "optin",
            &format!(
                "{}~{}~{}",
                key(&person),
                s.interests.join(","),
                s.notice_version
            ),
            now_unix() + 14 * 86_400
        )
    );
    let company = &st.config.company_name;
    let mail = st.mailer.compose("optin", s.email.as_str(), &s.name.full(), &format!("Confirm you want to hear from {company}"), &format!(
            "Hi {},\n\nPlease confirm that you want to join the {company} talent community and hear about roles that fit you:\n{link}\n\n\
             If you did not sign up, ignore this email and we will not contact you.",
            s.name.first
        ))
.person(person.clone());
    write_guarded(
        db.query(
            "BEGIN TRANSACTION;
             IF $is_new {
                CREATE $person SET first_name = $first, last_name = $last, email = $email, source = 'event',
                    interests = $interests, consent_status = 'pending' RETURN NONE;
             };
             CREATE activity CONTENT $activity RETURN NONE;
             CREATE mail CONTENT $mail RETURN NONE;
             COMMIT TRANSACTION;",
        )
        .bind(("is_new", existing.is_none()))
        .bind(("person", person))
        .bind(("first", s.name.first.clone()))
        .bind(("last", s.name.last.clone()))
        .bind(("email", s.email.as_str().to_string()))
        .bind(("interests", s.interests.clone()))
        .bind(("activity", activity))
        .bind(("mail", mail)),
        &[],
    )
    .await?;
    st.mailer.wake();
    Ok(())
}

/// The person a confirmation link names (its signature and time checked), the interests they
/// chose and the version of the privacy notice they read (None in links sent before it was
/// recorded).
fn optin_person(st: &AppState, token: &str) -> AppResult<(RecordId, Vec<String>, Option<i64>)> {
    let subject = st
        .keys
        .verify(token, "optin", now_unix())
        .map_err(|e| match e {
            crate::server::security::TokenError::Expired => {
                AppError::Gone("This confirmation link has expired. Please sign up again.".into())
            }
            _ => AppError::invalid("token", "This confirmation link is not valid."),
        })?;
    // `key~interest,interest~notice version` (older links: `key~interests`, or only the key).
    let mut parts = subject.splitn(3, '~');
    let person_key = parts.next().unwrap_or_default();
    let interests = parts.next().unwrap_or_default();
    let notice_version = parts.next().and_then(|v| v.parse::<i64>().ok());
    let interests: Vec<String> = interests
        .split(',')
        .filter(|i| crate::people::types::INTERESTS_LIST.contains(i))
        .map(str::to_string)
        .collect();
    Ok((
        crate::server::db::id("person", person_key)?,
        interests,
        notice_version,
    ))
}

/// The first name of the person a confirmation link names.
pub async fn signup_name(st: &AppState, token: &str) -> AppResult<String> {
    let (person, _, _) = optin_person(st, token)?;
    let mut r = st
        .db
        .query("SELECT VALUE first_name FROM ONLY $p")
        .bind(("p", person))
        .await?;
    let first: Option<String> = r.take(0)?;
    first.ok_or_else(|| AppError::invalid("token", "This confirmation link is not valid."))
}

/// Confirms a sign-up from its emailed link: consent granted (with date and basis) and the
/// person joins the talent-community pool.
pub async fn confirm(st: &AppState, token: &str) -> AppResult<String> {
    let (person, interests, notice_version) = optin_person(st, token)?;
    let notice = match notice_version {
        Some(v) => crate::privacy::consent::notice_version(&st.db, v).await?,
        None => None,
    };
    let event = crate::privacy::consent::NewConsentEvent::pool(
        &person,
        true,
        notice.as_ref(),
        crate::server::request_ip(st).ok(),
        "talent_form",
    );
    let pool = pool_named(
        &st.db,
        TALENT_POOL,
        "People who signed up on the careers site.",
    )
    .await?;
    let activity = NewActivity::new(
        &Actor::candidate(),
        "consent",
        "Confirmed the talent-community sign-up (consent given)",
    )
    .person(&person);
    let mut r = write_guarded(
        st.db.query(
            "BEGIN TRANSACTION;
             LET $p = (SELECT first_name, consent_status FROM ONLY $person);
             IF $p = NONE { THROW 'no_person' };
             UPDATE $person SET interests = array::union(interests ?? [], $interests) RETURN NONE;
             IF $p.consent_status != 'granted' {
                UPDATE $person SET consent_status = 'granted', consent_at = time::now(), consent_basis = 'consent' RETURN NONE;
                CREATE activity CONTENT $activity RETURN NONE;
                CREATE consent_event CONTENT $event RETURN NONE;
             };
             RETURN $p.first_name;
             COMMIT TRANSACTION;",
        )
        .bind(("person", person.clone()))
        .bind(("interests", interests))
        .bind(("activity", activity))
        .bind(("event", event)),
        &[("no_person", AppError::invalid("token", "This confirmation link is not valid."))],
    )
    .await?;
    let first: Option<String> = crate::server::db::txn_return(&mut r)?;
    crate::pools::repo::add_to_pool(&st.db, &pool, &[person], &Actor::candidate()).await?;
    Ok(first.unwrap_or_default())
}
