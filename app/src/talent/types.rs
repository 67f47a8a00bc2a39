//! Talent-community sign-up (pure rules): what a sign-up must hold.

use crate::domain::{EmailAddress, PersonName};
use crate::error::{AppResult, Checks};
use crate::people::types::INTERESTS_LIST;

/// A checked talent-community sign-up.
pub struct Signup {
    pub name: PersonName,
    pub email: EmailAddress,
    pub interests: Vec<String>,
    /// The privacy notice shown beside the form (0 until the server looks it up).
    pub notice_version: i64,
}

pub fn check_signup(
    name: &str,
    email: &str,
    interests: &[String],
    consent: bool,
) -> AppResult<Signup> {
    let mut c = Checks::new();
    let name = c.check("name", PersonName::parse(name));
    let email = c.check("email", EmailAddress::parse(email));
    let interests: Vec<String> = interests
        .iter()
        .filter(|i| INTERESTS_LIST.contains(&i.as_str()))
        .cloned()
        .collect();
    if !consent {
        c.add(
            "consent",
            "Please agree so that we may keep your details and write to you.",
        );
    }
    c.finish()?;
    Ok(Signup {
        name: name.expect("checked"),
        email: email.expect("checked"),
        interests,
        notice_version: 0,
    })
}
