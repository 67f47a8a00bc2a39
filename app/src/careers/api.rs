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
    crate::server::state,
    std::collections::HashMap,
};

/// Largest text field accepted in the form (names, emails, phone numbers).
#[cfg(feature = "ssr")]
const MAX_TEXT_FIELD: usize = 4 * 1024;

/// Applies to an open job. Fields: `job_id`, `name`, `email`, `phone`, `resume` (file).
/// On success the browser goes to the job's "applied" page.
#[server(input = MultipartFormData)]
pub async fn apply(data: MultipartData) -> Result<(), AppError> {
    let st = state()?;
    let mut multipart = data.into_inner().ok_or(AppError::Internal)?;
    let mut text: HashMap<String, String> = HashMap::new();
    let mut file: Option<(String, Vec<u8>)> = None;
    let mut too_big = false;
    while let Some(mut field) = multipart
        .next_field()
        .await
        .map_err(|e| AppError::Request(format!("the upload was interrupted ({e})")))?
    {
        let name = field.name().unwrap_or_default().to_string();
        let is_file = name == "resume";
        let limit = if is_file {
            MAX_RESUME_BYTES
        } else {
            MAX_TEXT_FIELD
        };
        let filename = field.file_name().unwrap_or_default().to_string();
        let mut buf = Vec::new();
        // Read to the end even past the limit, so the browser gets our answer, not a reset.
        while let Some(chunk) = field
            .chunk()
            .await
            .map_err(|e| AppError::Request(format!("the upload was interrupted ({e})")))?
        {
            if buf.len() + chunk.len() <= limit {
                buf.extend_from_slice(&chunk);
            } else if is_file {
                too_big = true;
            }
        }
        if is_file {
            if !filename.is_empty() || !buf.is_empty() {
                file = Some((filename, buf));
            }
        } else {
            text.insert(name, String::from_utf8_lossy(&buf).into_owned());
        }
    }
    let get = |k: &str| text.get(k).cloned().unwrap_or_default();

    let job_ref = id(crate::jobs::repo::TABLE, &get("job_id"))?;
    let job = crate::jobs::repo::get(&st.db, &job_ref)
        .await?
        .filter(|j| j.status() == crate::jobs::types::JobStatus::Open)
        .ok_or_else(|| {
            AppError::Conflict("This job is no longer accepting applications.".into())
        })?;

    let mut checks = Checks::new();
    let upload = match file {
        _ if too_big => {
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
        Some((filename, bytes)) => match resume::sniff(&bytes) {
            Ok(kind) => Some(Upload {
                filename: resume::clean_filename(&filename, kind),
                kind,
                parsed: super::parse::ParsedResume::from_result(
                    super::parse::extract_text_async(kind, bytes.clone()).await,
                ),
                bytes,
            }),
            Err(m) => {
                checks.add("resume", m);
                None
            }
        },
    };
    let input = ApplyInput::parse(&get("name"), &get("email"), &get("phone"), checks)?;
    let upload = upload.ok_or(AppError::Internal)?;
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
    let outcome = repo::apply(&st.db, &job_ref, &job.title, &first_stage, &input, &upload, |person| {
        let link = crate::portal::links::portal_link(&st, person);
        st.mailer.compose("application_received", &email, &full, &format!("We received your application for {title}"), &format!(
                "Hi {first},\n\nThank you for applying for {title} at {company}. \
                 We will review your application and let you know about next steps.\n\n\
                 Follow your application at any time:\n{link}\n\n\
                 This link signs you in for 7 days. You can always ask for a new one at {public}/portal.\n\n\
                 The {company} hiring team"
            ))
.person(person.clone())
    })
    .await?;
    match outcome {
        ApplyOutcome::Applied { person } => {
            st.mailer.wake();
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
        ApplyOutcome::AlreadyApplied { person } => {
            // Be helpful: send them a fresh portal link so they can follow the application.
            crate::portal::api::send_portal_link(&st, &person).await?;
            Err(AppError::Conflict(
                "You have already applied for this job, so we did not send it twice. \
                 We have emailed you a link to follow your application."
                    .into(),
            ))
        }
    }
}
