//! The public application form.

use crate::domain::{EmailAddress, PersonName, Phone};
use crate::error::{AppResult, Checks};

/// A checked application (the resume is checked separately, by content).
#[derive(Clone, Debug, PartialEq)]
pub struct ApplyInput {
    pub name: PersonName,
    pub email: EmailAddress,
    pub phone: Option<Phone>,
}

impl ApplyInput {
    /// Checks name, email and phone; `extra` lets the caller add problems found elsewhere
    /// (the resume) so the form reports everything at once.
    pub fn parse(name: &str, email: &str, phone: &str, extra: Checks) -> AppResult<Self> {
        let mut c = extra;
        let name = c.check("name", PersonName::parse(name));
        let email = c.check("email", EmailAddress::parse(email));
        let phone = c.check("phone", Phone::parse_optional(phone));
        c.finish()?;
        match (name, email, phone) {
            (Some(name), Some(email), Some(phone)) => Ok(Self { name, email, phone }),
            _ => Err(crate::error::AppError::Internal),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bad_field_is_reported() {
        let mut extra = Checks::new();
        extra.add("resume", "Attach your resume.");
        let err = ApplyInput::parse("", "nope", "12", extra).unwrap_err();
        for f in ["name", "email", "phone", "resume"] {
            assert!(err.field_message(f).is_some(), "{f}");
        }
    }

    #[test]
    fn good_input_parses() {
        let a = ApplyInput::parse("Ada Lovelace", "ADA@example.com", "", Checks::new()).unwrap();
        assert_eq!(a.email.as_str(), "ada@example.com");
        assert_eq!(a.name.first, "Ada");
        assert_eq!(a.phone, None);
    }
}
