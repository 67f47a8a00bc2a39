//! One reader for `multipart/form-data` server functions (applications, referrals, CSV imports):
//! text fields and files, each with a size limit, and a cap on the number of fields. The body is
//! read to its end even past a limit, so the browser gets our answer rather than a reset
//! connection; what went over a limit is reported per field.

use crate::error::{AppError, AppResult};
use server_fn::codec::MultipartData;
use std::collections::HashMap;

/// Largest text field (names, emails, notes).
pub const MAX_TEXT_FIELD: usize = 16 * 1024;
/// Fields one form may carry; more is not a form a page of ours sends.
pub const MAX_FIELDS: usize = 64;

/// An uploaded file.
#[derive(Debug, Default)]
pub struct FormFile {
    pub filename: String,
    pub bytes: Vec<u8>,
    /// The file was larger than its limit (and `bytes` holds only its start).
    pub too_big: bool,
}

/// A read form.
#[derive(Debug, Default)]
pub struct Form {
    text: HashMap<String, String>,
    files: HashMap<String, FormFile>,
    too_long: Vec<String>,
}

fn interrupted(e: impl std::fmt::Display) -> AppError {
    AppError::Request(format!("the upload was interrupted ({e})"))
}

impl Form {
    /// Reads the whole body. `files` names the file fields and their byte limits; every other
    /// field is text of at most [`MAX_TEXT_FIELD`] bytes.
    pub async fn read(data: MultipartData, files: &[(&str, usize)]) -> AppResult<Form> {
        let mut multipart = data
            .into_inner()
            .ok_or_else(|| AppError::Request("expected a multipart form".into()))?;
        let mut form = Form::default();
        let mut fields = 0;
        while let Some(mut field) = multipart.next_field().await.map_err(interrupted)? {
            fields += 1;
            if fields > MAX_FIELDS {
                return Err(AppError::Request("the form has too many fields".into()));
            }
            let name = field.name().unwrap_or_default().to_string();
            let file_limit = files.iter().find(|(n, _)| *n == name).map(|(_, l)| *l);
            let limit = file_limit.unwrap_or(MAX_TEXT_FIELD);
            let filename = field.file_name().unwrap_or_default().to_string();
            let mut buf = Vec::new();
            let mut over = false;
            while let Some(chunk) = field.chunk().await.map_err(interrupted)? {
                if buf.len() + chunk.len() <= limit {
                    buf.extend_from_slice(&chunk);
                } else {
                    over = true;
                }
            }
            if file_limit.is_some() {
                if !filename.is_empty() || !buf.is_empty() {
                    form.files.insert(
                        name,
                        FormFile {
                            filename,
                            bytes: buf,
                            too_big: over,
                        },
                    );
                }
            } else {
                if over {
                    form.too_long.push(name.clone());
                }
                form.text
                    .insert(name, String::from_utf8_lossy(&buf).into_owned());
            }
        }
        Ok(form)
    }

    /// A text field ("" when absent).
    pub fn text(&self, name: &str) -> String {
        self.text.get(name).cloned().unwrap_or_default()
    }

    /// Takes a file field (None when no file was chosen).
    pub fn take_file(&mut self, name: &str) -> Option<FormFile> {
        self.files.remove(name)
    }

    /// A validation error for every text field that was over its limit.
    pub fn check_lengths(&self) -> AppResult<()> {
        if self.too_long.is_empty() {
            return Ok(());
        }
        Err(AppError::Validation(
            self.too_long
                .iter()
                .map(|f| crate::error::FieldError::new(f, "This is too long."))
                .collect(),
        ))
    }
}
