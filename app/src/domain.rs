//! Parse-don't-validate newtypes shared by several feature areas.
//!
//! Each `parse` returns a user-facing message on failure; callers collect those into
//! [`crate::error::Checks`] so a form reports every problem at once.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A syntactically valid, lower-cased email address.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EmailAddress(String);

impl EmailAddress {
    pub fn parse(input: &str) -> Result<Self, String> {
        let s = input.trim().to_lowercase();
        if s.is_empty() {
            return Err("Enter an email address.".into());
        }
        if s.len() > 254 {
            return Err("That email address is too long.".into());
        }
        let Some((local, domain)) = s.split_once('@') else {
            return Err("Enter a valid email address, like name@example.com.".into());
        };
        let bad = local.is_empty()
            || local.len() > 64
            || domain.len() < 3
            || !domain.contains('.')
            || domain.starts_with('.')
            || domain.ends_with('.')
            || domain.contains("..")
            || domain.contains('@')
            || s.chars()
                .any(|c| c.is_whitespace() || c.is_control() || "<>(),;:\\\"[]".contains(c));
        if bad {
            return Err("Enter a valid email address, like name@example.com.".into());
        }
        Ok(Self(s))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    pub fn into_inner(self) -> String {
        self.0
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A person's full name, split into first name and the rest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonName {
    pub first: String,
    pub last: String,
}

impl PersonName {
    pub fn parse(input: &str) -> Result<Self, String> {
        let s = input.split_whitespace().collect::<Vec<_>>().join(" ");
        if s.is_empty() {
            return Err("Enter your name.".into());
        }
        if s.chars().count() > 120 {
            return Err("That name is too long (120 characters at most).".into());
        }
        if s.chars().any(|c| c.is_control() || "<>{}".contains(c)) {
            return Err("That name contains characters we cannot accept.".into());
        }
        let (first, last) = match s.split_once(' ') {
            Some((f, l)) => (f.to_string(), l.to_string()),
            None => (s.clone(), String::new()),
        };
        Ok(Self { first, last })
    }
    pub fn full(&self) -> String {
        if self.last.is_empty() {
            self.first.clone()
        } else {
            format!("{} {}", self.first, self.last)
        }
    }
}

/// An optional phone number: digits with the usual separators, 7 to 15 digits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Phone(String);

impl Phone {
    /// Empty input is no phone number at all.
    pub fn parse_optional(input: &str) -> Result<Option<Self>, String> {
        let s = input.trim();
        if s.is_empty() {
            return Ok(None);
        }
        let digits = s.chars().filter(|c| c.is_ascii_digit()).count();
        let allowed = s
            .chars()
            .all(|c| c.is_ascii_digit() || " +-().".contains(c));
        if !allowed || !(7..=15).contains(&digits) {
            return Err("Enter a phone number with 7 to 15 digits, like +44 20 7946 0958.".into());
        }
        Ok(Some(Self(s.to_string())))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A tag: lower-case words joined by dashes, at most 40 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Tag(String);

impl Tag {
    pub fn parse(input: &str) -> Result<Self, String> {
        let s: String = input
            .trim()
            .to_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join("-");
        if s.is_empty() {
            return Err("Enter a tag.".into());
        }
        if s.chars().count() > 40 {
            return Err("Tags are 40 characters at most.".into());
        }
        if !s
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_' || c == '.')
        {
            return Err("Tags use letters, digits, dashes, dots and underscores only.".into());
        }
        Ok(Self(s))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Required single-line text with a length limit.
pub fn required_text(input: &str, what: &str, max: usize) -> Result<String, String> {
    let s = input.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.is_empty() {
        return Err(format!("Enter {what}."));
    }
    if s.chars().count() > max {
        return Err(format!("Keep it to {max} characters or fewer."));
    }
    Ok(s)
}

/// Optional single-line text with a length limit.
pub fn optional_text(input: &str, max: usize) -> Result<String, String> {
    let s = input.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() > max {
        return Err(format!("Keep it to {max} characters or fewer."));
    }
    Ok(s)
}

/// Required multi-line text (line breaks kept) with a length limit.
pub fn required_long_text(input: &str, what: &str, max: usize) -> Result<String, String> {
    let s = input.replace("\r\n", "\n").trim().to_string();
    if s.is_empty() {
        return Err(format!("Enter {what}."));
    }
    if s.chars().count() > max {
        return Err(format!("Keep it to {max} characters or fewer."));
    }
    Ok(s)
}

/// A form's optional date (`YYYY-MM-DD`; empty is none), or a validation error naming `field`.
pub fn optional_day(
    field: &'static str,
    value: &str,
) -> Result<Option<chrono::NaiveDate>, crate::error::AppError> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| crate::error::AppError::invalid(field, "Enter a date as YYYY-MM-DD."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_trimmed_and_lowercased() {
        assert_eq!(
            EmailAddress::parse("  Ada.Lovelace@Example.COM ")
                .unwrap()
                .as_str(),
            "ada.lovelace@example.com"
        );
    }

    #[test]
    fn bad_emails_are_refused() {
        for bad in [
            "",
            "ada",
            "ada@",
            "@example.com",
            "ada@example",
            "a b@example.com",
            "ada@@x.com",
            "ada@x..com",
            "<a>@x.com",
        ] {
            assert!(
                EmailAddress::parse(bad).is_err(),
                "{bad:?} should be refused"
            );
        }
    }

    #[test]
    fn names_split_into_first_and_last() {
        let n = PersonName::parse("  Grace   Brewster Hopper ").unwrap();
        assert_eq!(n.first, "Grace");
        assert_eq!(n.last, "Brewster Hopper");
        assert_eq!(n.full(), "Grace Brewster Hopper");
        assert_eq!(PersonName::parse("Cher").unwrap().last, "");
        assert!(PersonName::parse("   ").is_err());
        assert!(PersonName::parse("<script>").is_err());
    }

    #[test]
    fn phones_are_optional_but_checked() {
        assert_eq!(Phone::parse_optional("").unwrap(), None);
        assert!(Phone::parse_optional("+44 20 7946 0958").unwrap().is_some());
        assert!(Phone::parse_optional("12345").is_err());
        assert!(Phone::parse_optional("call me maybe").is_err());
    }

    #[test]
    fn tags_are_normalised() {
        assert_eq!(Tag::parse(" Rust Meetup ").unwrap().as_str(), "rust-meetup");
        assert!(Tag::parse("").is_err());
        assert!(Tag::parse("no/slashes").is_err());
    }

    #[test]
    fn text_limits() {
        assert_eq!(required_text("  a   b ", "a title", 10).unwrap(), "a b");
        assert!(
            required_text("", "a title", 10)
                .unwrap_err()
                .contains("a title")
        );
        assert!(required_text("abcdefghijk", "a title", 10).is_err());
        assert_eq!(
            required_long_text(" line1\r\nline2 ", "x", 100).unwrap(),
            "line1\nline2"
        );
    }
}
