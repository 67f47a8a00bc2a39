//! Anonymised review: which applications are masked, their aliases, and resume redaction.
//! Pure functions, shared by the server and the browser.

use crate::jobs::types::{Stage, StageKind};

/// The stable alias shown instead of a masked candidate's name ("Candidate 4F2K"): four
/// characters from the person's id, so a reviewer can tell cards apart and find the same
/// candidate again on the profile, without learning who it is.
pub fn alias(person_id: &str) -> String {
    // FNV-1a: stable across builds and platforms (std's hashers promise neither).
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in person_id.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    // Crockford's base 32: no I, L, O or U, so no alias reads as a word or a digit.
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let code: String = (0..4)
        .map(|i| ALPHABET[((h >> (i * 5)) & 31) as usize] as char)
        .collect();
    format!("Candidate {code}")
}

/// The position in `stages` from which identities are shown: the chosen stage's, or the first
/// Hired stage's when the chosen one was removed since.
pub fn reveal_index(stages: &[Stage], until: &str) -> usize {
    stages
        .iter()
        .position(|s| s.id == until)
        .or_else(|| stages.iter().position(|s| s.kind == StageKind::Hired))
        .unwrap_or(stages.len())
}

/// Whether an application in `stage` is still masked for a job anonymised until `until`
/// (None: the job is not anonymised). Closed applications keep the mask of the stage they
/// were closed in.
pub fn masked(stages: &[Stage], until: Option<&str>, stage: &str) -> bool {
    let Some(until) = until else { return false };
    let reveal = reveal_index(stages, until);
    match stages.iter().position(|s| s.id == stage) {
        Some(i) => i < reveal,
        // A stage that no longer exists: keep the mask.
        None => true,
    }
}

/// What is known of a person, to redact from resume text.
#[derive(Debug, Default, Clone)]
pub struct Identity<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub phone: Option<&'a str>,
}

const NAME: &str = "[name]";
const EMAIL: &str = "[email]";
const PHONE: &str = "[phone]";
const LINK: &str = "[link]";
const DATE: &str = "[date]";
const ADDRESS: &str = "[address]";

fn is_link(lower: &str) -> bool {
    lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.starts_with("www.")
        || [
            "linkedin.com/",
            "github.com/",
            "gitlab.com/",
            "twitter.com/",
            "x.com/",
        ]
        .iter()
        .any(|d| lower.contains(d))
}

fn is_email(token: &str) -> bool {
    let t = token.trim_start_matches("mailto:");
    match t.split_once('@') {
        Some((local, domain)) => !local.is_empty() && domain.contains('.'),
        None => false,
    }
}

/// A full date (day, month and year: a possible date of birth), such as 04.07.1990,
/// 4/7/1990 or 1990-07-04. Years alone and month-year ranges stay.
fn is_full_date(token: &str) -> bool {
    let parts: Vec<&str> = token.split(['.', '/', '-']).collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 4 && p.chars().all(|c| c.is_ascii_digit()))
        && parts.iter().any(|p| p.len() == 4)
}

/// Lines that say where someone lives or when they were born are dropped whole.
fn is_personal_line(lower: &str) -> bool {
    let first = lower
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .trim_end_matches(':');
    lower.starts_with("date of birth")
        || [
            "address",
            "born",
            "dob",
            "birthday",
            "home",
            "geboren",
            "anschrift",
        ]
        .contains(&first)
}

/// Phone-like runs (7 to 15 digits among `+ - ( ) . space`) become `[phone]`.
fn redact_phones(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        let digits = run.chars().filter(char::is_ascii_digit).count();
        // "2019 - 2024" is a span of years, not a number to call.
        let years = run
            .split(|c: char| !c.is_ascii_digit())
            .filter(|g| !g.is_empty())
            .all(|g| g.len() == 4 && g.parse::<u32>().is_ok_and(|y| (1900..=2100).contains(&y)));
        if (7..=15).contains(&digits) && !years {
            // Keep the spaces around the number.
            let lead = run.len() - run.trim_start().len();
            let trail = run.len() - run.trim_end().len();
            out.push_str(&run[..lead]);
            out.push_str(PHONE);
            out.push_str(&run[run.len() - trail..]);
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in line.chars() {
        if c.is_ascii_digit() || " +-().".contains(c) {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

/// Resume text with the person's name, email, phone, links, full dates and address lines
/// replaced by placeholders, for anonymised review.
pub fn redact(text: &str, who: &Identity) -> String {
    let names: Vec<String> = who
        .name
        .split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| w.chars().count() >= 2)
        .collect();
    let email = who.email.to_lowercase();
    let phone_digits: String = who
        .phone
        .unwrap_or_default()
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    text.lines()
        .map(|line| {
            let lower = line.trim().to_lowercase();
            if is_personal_line(&lower) {
                return ADDRESS.to_string();
            }
            let words: Vec<String> = line
                .split(' ')
                .map(|raw| {
                    // Punctuation around a word, typographic quotes included (a timeline
                    // line quotes an email's subject as “…”).
                    let core = raw.trim_matches(|c: char| {
                        matches!(
                            c,
                            ',' | ';'
                                | ':'
                                | '('
                                | ')'
                                | '['
                                | ']'
                                | '<'
                                | '>'
                                | '"'
                                | '\''
                                | '|'
                                | '!'
                                | '?'
                                | '“'
                                | '”'
                                | '‘'
                                | '’'
                                | '«'
                                | '»'
                        )
                    });
                    let core = core.trim_end_matches('.');
                    if core.is_empty() {
                        return raw.to_string();
                    }
                    let lower = core.to_lowercase();
                    let replacement = if is_email(&lower) || (!email.is_empty() && lower == email) {
                        Some(EMAIL)
                    } else if is_link(&lower) {
                        Some(LINK)
                    } else if is_full_date(core) {
                        Some(DATE)
                    } else if names.iter().any(|n| {
                        // "Vera's" and "Vera-Marie" count as the name too.
                        lower == *n
                            || lower
                                .split(['\'', '’', '-'])
                                .next()
                                .is_some_and(|head| head == n)
                    }) {
                        Some(NAME)
                    } else if phone_digits.len() >= 7
                        && core
                            .chars()
                            .filter(char::is_ascii_digit)
                            .collect::<String>()
                            == phone_digits
                    {
                        Some(PHONE)
                    } else {
                        None
                    };
                    match replacement {
                        // "Vera's" keeps its "'s": only the name part goes.
                        Some(NAME) => {
                            let head = core.split(['\'', '’', '-']).next().unwrap_or(core);
                            raw.replacen(head, NAME, 1)
                        }
                        Some(r) => raw.replacen(core, r, 1),
                        None => raw.to_string(),
                    }
                })
                .collect();
            redact_phones(&words.join(" "))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A profile as anonymised review shows it: the alias for a name; no email, phone, links or
/// resume file or proposal; resume text, work history, notes, timeline and emails redacted. `notices`
/// say which jobs hide the person and until when.
pub fn mask_profile(p: &mut crate::people::types::PersonProfile, notices: Vec<String>) {
    let name = std::mem::replace(&mut p.name, alias(&p.id));
    let email = std::mem::take(&mut p.email);
    let phone = p.phone.take();
    let who = Identity {
        name: &name,
        email: &email,
        phone: phone.as_deref(),
    };
    p.links.clear();
    p.anonymised = notices;
    for r in &mut p.resumes {
        r.filename = "Resume (anonymised)".into();
        r.proposal = None;
        r.text = r.text.as_deref().map(|t| redact(t, &who));
    }
    for h in &mut p.work_history {
        *h = redact(h, &who);
    }
    for n in &mut p.notes {
        n.body = redact(&n.body, &who);
    }
    for e in &mut p.timeline {
        e.text = redact(&e.text, &who);
    }
    for m in &mut p.emails {
        m.subject = redact(&m.subject, &who);
        m.body = redact(&m.body, &who);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jobs::types::default_stages;

    #[test]
    fn aliases_are_stable_distinct_and_never_the_id() {
        assert_eq!(alias("abc123"), alias("abc123"));
        assert_ne!(alias("abc123"), alias("abc124"));
        let a = alias("abc123");
        assert!(
            a.starts_with("Candidate ") && a.len() == "Candidate ".len() + 4,
            "{a}"
        );
        assert!(!a.contains("abc123"));
        // A thousand people get (almost) a thousand aliases.
        let mut all: Vec<String> = (0..1000).map(|i| alias(&format!("p{i:06}"))).collect();
        all.sort();
        all.dedup();
        assert!(all.len() > 980, "{} distinct of 1000", all.len());
    }

    #[test]
    fn masks_hold_until_the_chosen_stage_and_follow_removed_stages() {
        let stages = default_stages();
        let until = Some("interview");
        assert!(masked(&stages, until, "applied"));
        assert!(masked(&stages, until, "phone_screen"));
        assert!(!masked(&stages, until, "interview"));
        assert!(!masked(&stages, until, "offer"));
        assert!(!masked(&stages, until, "hired"));
        // Not anonymised: nothing is masked.
        assert!(!masked(&stages, None, "applied"));
        // The chosen stage was removed since: masked until Hired.
        assert!(masked(&stages, Some("gone"), "offer"));
        assert!(!masked(&stages, Some("gone"), "hired"));
        // An application in a stage that no longer exists stays masked.
        assert!(masked(&stages, until, "take_home"));
    }

    #[test]
    fn resume_text_loses_name_contacts_links_dates_and_address() {
        let text = "Vera Okafor\n\
                    vera.okafor@example.com | +49 170 1234567 | linkedin.com/in/vokafor\n\
                    Address: Lindenstraße 5, 10969 Berlin\n\
                    Date of birth: 04.07.1990\n\
                    Senior engineer at Northwind, 2019 - 2024. Vera's team shipped Rust services.\n\
                    Portfolio https://vera.dev (updated 2024-03-01)";
        let who = Identity {
            name: "Vera Okafor",
            email: "vera.okafor@example.com",
            phone: Some("+491701234567"),
        };
        let out = redact(text, &who);
        assert_eq!(
            out,
            "[name] [name]\n\
             [email] | [phone] | [link]\n\
             [address]\n\
             [address]\n\
             Senior engineer at Northwind, 2019 - 2024. [name]'s team shipped Rust services.\n\
             Portfolio [link] (updated [date])"
        );
        for secret in [
            "Vera",
            "Okafor",
            "example.com",
            "1234567",
            "vokafor",
            "1990",
            "Lindenstraße",
        ] {
            assert!(!out.contains(secret), "{secret} left in {out}");
        }
    }

    #[test]
    fn names_in_quotes_and_questions_are_redacted() {
        let who = Identity {
            name: "Vera García",
            email: "vera@example.org",
            phone: None,
        };
        assert_eq!(
            redact("Email “Next steps, Vera García” (queued)", &who),
            "Email “Next steps, [name] [name]” (queued)"
        );
        assert_eq!(redact("Coffee, García?", &who), "Coffee, [name]?");
        assert_eq!(redact("«Vera» ‘García’", &who), "«[name]» ‘[name]’");
    }

    #[test]
    fn redaction_keeps_years_skills_and_short_numbers() {
        let who = Identity {
            name: "Al Li",
            email: "al@example.org",
            phone: None,
        };
        let text = "Skills: Rust, SQL, Kubernetes\n2015-2020 Lead at Acme (team of 12)";
        assert_eq!(redact(text, &who), text);
    }
}
