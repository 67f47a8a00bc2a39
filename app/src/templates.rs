//! The `{{token}}` template language of every email staff write (campaign steps, bulk emails
//! from the board): which tokens exist, checking a template, and filling it for one person.
//! Pure code, shared by the server and the browser (previews).

/// The hint shown under every message field that takes tokens.
pub const TOKEN_HINT: &str = "Personalise with {{first_name}}, {{last_name}}, {{full_name}}, {{email}}, {{company}}, {{job_title}}, and links {{job_url}} (the chosen job) and {{jobs_url}} (all open jobs). An unsubscribe link is added to every message.";

/// Tokens a template may use.
pub const TOKENS: [&str; 8] = [
    "first_name",
    "last_name",
    "full_name",
    "email",
    "company",
    "job_title",
    "job_url",
    "jobs_url",
];

/// Values substituted into a template for one recipient.
#[derive(Clone, Debug, Default)]
pub struct TokenValues {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub company: String,
    pub job_title: String,
    /// The public page of the job (the careers page when there is no job).
    pub job_url: String,
    /// The public careers page listing every open job.
    pub jobs_url: String,
}

impl TokenValues {
    /// Fills the link tokens from the site's public address and the job's id.
    pub fn with_links(mut self, public_url: &str, job_id: Option<&str>) -> Self {
        self.jobs_url = format!("{public_url}/jobs");
        self.job_url = match job_id {
            Some(j) => format!("{public_url}/jobs/{j}"),
            None => self.jobs_url.clone(),
        };
        self
    }
}

/// The tokens used in `template`, or a message naming the first problem.
pub fn check_template(template: &str) -> Result<Vec<String>, String> {
    let mut used = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            return Err("A “{{” is never closed with “}}”.".into());
        };
        let name = after[..end].trim();
        if !TOKENS.contains(&name) {
            return Err(format!(
                "Unknown token {{{{{name}}}}}. Use {}.",
                TOKENS
                    .iter()
                    .map(|t| format!("{{{{{t}}}}}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        used.push(name.to_string());
        rest = &after[end + 2..];
    }
    Ok(used)
}

/// Fills a (checked) template. Unknown tokens are left as they are.
pub fn render(template: &str, v: &TokenValues) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            return out;
        };
        let full = format!("{} {}", v.first_name, v.last_name);
        let value = match after[..end].trim() {
            "first_name" => v.first_name.as_str(),
            "last_name" => v.last_name.as_str(),
            "full_name" => full.trim(),
            "email" => v.email.as_str(),
            "company" => v.company.as_str(),
            "job_title" => v.job_title.as_str(),
            "job_url" => v.job_url.as_str(),
            "jobs_url" => v.jobs_url.as_str(),
            _ => {
                out.push_str(&rest[start..start + 2 + end + 2]);
                rest = &after[end + 2..];
                continue;
            }
        };
        out.push_str(value);
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v() -> TokenValues {
        TokenValues {
            first_name: "Ada".into(),
            last_name: "Lovelace".into(),
            email: "ada@example.com".into(),
            company: "Acme".into(),
            job_title: "Rust engineer".into(),
            ..Default::default()
        }
        .with_links("https://jobs.acme.test", Some("rust-engineer"))
    }

    #[test]
    fn link_tokens_point_at_the_job_or_the_careers_page() {
        assert_eq!(
            render("Apply: {{job_url}} · all roles: {{jobs_url}}", &v()),
            "Apply: https://jobs.acme.test/jobs/rust-engineer · all roles: https://jobs.acme.test/jobs"
        );
        let no_job = TokenValues::default().with_links("https://x.test", None);
        assert_eq!(render("{{job_url}}", &no_job), "https://x.test/jobs");
    }

    #[test]
    fn tokens_are_filled() {
        assert_eq!(
            render(
                "Hi {{first_name}}, {{ company }} here. {{full_name}} <{{email}}>",
                &v()
            ),
            "Hi Ada, Acme here. Ada Lovelace <ada@example.com>"
        );
        assert_eq!(render("no tokens", &v()), "no tokens");
        assert_eq!(
            render("dangling {{first_name", &v()),
            "dangling {{first_name"
        );
    }

    #[test]
    fn unknown_and_unclosed_tokens_are_refused() {
        assert!(
            check_template("Hi {{frist_name}}")
                .unwrap_err()
                .contains("frist_name")
        );
        assert!(check_template("Hi {{first_name").is_err());
        assert_eq!(
            check_template("{{first_name}} {{company}}").unwrap(),
            ["first_name", "company"]
        );
    }
}
