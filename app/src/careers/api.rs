//! The public application endpoint (multipart: it carries the resume).

use crate::error::AppError;
use leptos::prelude::*;
use server_fn::codec::{MultipartData, MultipartFormData};

#[cfg(feature = "ssr")]
use {
    super::repo::{self, ApplyOutcome, Upload},
    super::resume::{self, MAX_RESUME_BYTES},
    super::types::ApplyInput,
    crate::error::Checks,
    crate::server::db::id,
    crate::server::form::Form,
    crate::server::state,
};

/// Applies to an open job. Fields: `job_id`, `name`, `email`, `phone`, `resume` (file), and
/// the privacy answers: `notice_version` (the notice shown) and `talent_pool` (the separate box).
/// On success the browser goes to the job's "applied" page.
///
/// The order matters for a public endpoint: the form is checked first, then the sender's
/// allowance, then whether they already applied, and only then is the resume read (in the
/// bounded readers of `careers::parse`).
#[server(input = MultipartFormData)]
pub async fn apply(data: MultipartData) -> Result<(), AppError> {
    let st = state()?;
    let mut form = Form::read(data, &[("resume", MAX_RESUME_BYTES)]).await?;
    form.check_lengths()?;
    let job_ref = id(crate::jobs::repo::TABLE, &form.text("job_id"))?;
    let job = crate::jobs::repo::get(&st.db, &job_ref)
        .await?
        .filter(|j| j.status() == crate::jobs::types::JobStatus::Open)
        .ok_or_else(|| {
            AppError::Conflict("This job is no longer accepting applications.".into())
        })?;

    let mut checks = Checks::new();
    let file = match form.take_file("resume") {
        Some(f) if f.too_big => {
            checks.add(
                "resume",
                "That file is larger than 10 MB. Attach a smaller PDF or DOCX.",
            );
            None
        }
        None => {
            checks.add("resume", "Attach your resume as a PDF or Word (DOCX) file.");
            None
        }
        Some(f) => match resume::sniff(&f.bytes) {
            Ok(kind) => Some((f, kind)),
            Err(m) => {
                checks.add("resume", m);
                None
            }
        },
    };
    // The job's screening questions. Unanswered ones stay "Unknown" for a person to ask about:
    // a skipped question never stops an application.
    let mut answers = Vec::new();
    for (qid, _) in crate::screening::api::questions(&st.db, &job_ref).await? {
        match form.text(&format!("q_{qid}")).as_str() {
            "yes" => answers.push((qid, true)),
            "no" => answers.push((qid, false)),
            _ => {}
        }
    }
    let input = ApplyInput::parse(
        &form.text("name"),
        &form.text("email"),
        &form.text("phone"),
        checks,
    )?;
    // Voluntary, and never an error: anything but a known answer is "declined".
    let self_id = crate::reports::types::SELF_ID
        .map(|q| crate::reports::types::self_id_answer(q.name, &form.text(q.name)));
    let (file, kind) = file.ok_or(AppError::Internal)?;

    crate::server::ratelimit::public_form(&st, "apply-ip").await?;
    // Already applied: nothing is read or stored; a link to follow the application instead.
    if let Some(person) = repo::applied_with_email(&st.db, input.email.as_str(), &job_ref).await? {
        return already_applied(&st, &person, input.email.as_str()).await;
    }
    let upload = Upload {
        filename: resume::clean_filename(&file.filename, kind),
        kind,
        parsed: super::parse::ParsedResume::from_result(
            super::parse::extract_text_async(kind, file.bytes.clone()).await,
        ),
        bytes: file.bytes,
    };
    let resume_status = upload.parsed.parse_status.clone();
    let first_stage = job
        .stages
        .first()
        .map(|s| s.id.clone())
        .unwrap_or_else(|| "applied".into());
    let company = st.config.company_name.clone();
    let public = st.config.public_url.clone();
    let title = job.title.clone();
    let first = input.name.first.clone();
    let email = input.email.as_str().to_string();
    let full = input.name.full();
    // What the applicant read beside the form (the version it showed) and answered.
    let consent = repo::ApplyConsent {
        notice: crate::privacy::consent::notice_seen(
            &st.db,
            &company,
            &form.text("notice_version"),
        )
        .await?,
        talent_pool: matches!(form.text("talent_pool").as_str(), "yes" | "on"),
        ip: crate::server::request_ip(&st).ok(),
    };
    let pool_line = if consent.talent_pool {
        "You also asked us to keep your details in our talent pool for other roles. You can \
         withdraw that at any time in the privacy centre of your candidate portal.\n\n"
    } else {
        ""
    };
    let opening = repo::Opening {
        job: &job_ref,
        title: &job.title,
        first_stage: &first_stage,
    };
    let outcome = repo::apply(&st.db, &opening, &input, &upload, &consent, |person| {
        let link = crate::portal::links::portal_link(&st, person);
        st.mailer.compose("application_received", &email, &full, &format!("We received your application for {title}"), &format!(
                "Hi {first},\n\nThank you for applying for {title} at {company}. \
                 We will review your application and let you know about next steps.\n\n\
                 Follow your application at any time:\n{link}\n\n\
                 This link works once, within 24 hours. You can always ask for a new one at {public}/portal.\n\n\
                 {pool_line}The {company} hiring team"
            ))
.person(person.clone())
    })
    .await?;
    match outcome {
        ApplyOutcome::Applied { person } => {
            st.mailer.wake();
            if self_id
                .iter()
                .any(|a| *a != crate::reports::types::DECLINED)
                && let Err(e) =
                    crate::reports::repo::record_self_id(&st.db, &person, &job_ref, self_id).await
            {
                tracing::warn!(error = ?e, "could not keep the self-identification answers");
            }
            // Screening: the answers, then a reading against the job's criteria (in the
            // background; a resume still being read is read again when it is).
            // The application is in: a failure here is logged, never shown as a failed apply.
            let screened = async {
                if !answers.is_empty() {
                    crate::screening::repo::record_answers(&st.db, &person, &job_ref, answers)
                        .await?;
                }
                st.tasks
                    .enqueue(&st.db, &crate::screening::repo::Screen::person(&person))
                    .await
            };
            if let Err(e) = screened.await {
                tracing::warn!(error = ?e, "could not queue the screening of an application");
            }
            // A nurtured prospect who applies leaves their sequences; the campaign gets credit.
            if let Err(e) = crate::campaigns::tracking::note_application(&st.db, &person).await {
                tracing::warn!(error = ?e, "could not credit the application to a campaign");
            }
            tracing::info!(job = %title, "application received");
            // Tell the candidate when their resume could not be read (it still went through).
            let note = if resume_status == "ok" || resume_status == "pending" {
                String::new()
            } else {
                format!("?resume={resume_status}")
            };
            leptos_axum::redirect(&format!(
                "/jobs/{}/applied{note}",
                crate::server::db::key(&job_ref)
            ));
            Ok(())
        }
        ApplyOutcome::AlreadyApplied { person } => already_applied(&st, &person, &email).await,
    }
}

/// The answer to a second application for the same job: a fresh portal link (within the
/// address's allowance of links), never a second application.
#[cfg(feature = "ssr")]
async fn already_applied(
    st: &crate::server::AppState,
    person: &surrealdb::types::RecordId,
    email: &str,
) -> Result<(), AppError> {
    crate::portal::api::send_portal_link_limited(st, person, email).await?;
    Err(AppError::Conflict(
        "You have already applied for this job, so we did not send it twice. \
         We have emailed you a link to follow your application."
            .into(),
    ))
}
