//! The careers feature's background work: reading a resume that could not be read while the
//! candidate waited.

use super::parse::{ParseProblem, ParsedResume, extract_text_waiting};
use super::resume::ResumeKind;
use crate::server::AppState;
use crate::server::tasks::TaskError;

pub use super::repo::ParseResume;

/// Handler of [`ParseResume`]: reads the file and stores the outcome (a resume that cannot be
/// read is stored as unreadable, never left "still being read").
pub async fn run_task(st: AppState, task: ParseResume) -> Result<(), TaskError> {
    let id = crate::server::db::id("resume", &task.resume)
        .map_err(|_| TaskError::Fail("bad resume id".into()))?;
    let Some(file) = super::repo::stored_resume(&st.db, &id).await? else {
        return Ok(());
    };
    let kind = if file.content_type == "application/pdf" {
        ResumeKind::Pdf
    } else {
        ResumeKind::Docx
    };
    // The background read has the same time limit; a second timeout is final, so the resume
    // never stays "still being read".
    let bytes = file.data.into_inner().to_vec();
    let result = match extract_text_waiting(kind, bytes, std::time::Duration::from_secs(60)).await {
        Err(ParseProblem::TooSlow) => Err(ParseProblem::TooComplex),
        // Every reader busy (candidates applying): try again later.
        Err(ParseProblem::Busy) => {
            return Err(TaskError::Retry("every resume reader is busy".into()));
        }
        other => other,
    };
    let parsed = ParsedResume::from_result(result);
    super::repo::store_parsed(&st.db, &id, &file.person, parsed)
        .await
        .map_err(|e| TaskError::Retry(format!("{e:?}")))?;
    // The person's applications are read against their jobs' criteria again, with the text.
    st.tasks
        .enqueue(
            &st.db,
            &crate::screening::repo::Screen::person(&file.person),
        )
        .await
        .map_err(|e| TaskError::Retry(format!("{e:?}")))
}
