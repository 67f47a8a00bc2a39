//! Duplicate detection: wire types and the pure rules that say how sure we are that two
//! records are one person.

// A pair of records is a people wire type (profiles list their possible duplicates too).
pub use crate::people::types::DuplicatePair;

/// Jaro-Winkler similarity of two strings (0.0–1.0), by strsim.
pub fn jaro_winkler(a: &str, b: &str) -> f64 {
    strsim::jaro_winkler(a, b)
}

fn normalize_name(s: &str) -> String {
    s.to_lowercase()
        .chars()
        .map(|c| match c {
            'á' | 'à' | 'ä' | 'â' | 'ã' => 'a',
            'é' | 'è' | 'ë' | 'ê' => 'e',
            'í' | 'ì' | 'ï' | 'î' => 'i',
            'ó' | 'ò' | 'ö' | 'ô' | 'õ' => 'o',
            'ú' | 'ù' | 'ü' | 'û' => 'u',
            'ñ' => 'n',
            'ç' => 'c',
            c if c.is_alphanumeric() => c,
            _ => ' ',
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Digits (and a leading +) of a phone number, for comparing.
pub fn phone_key(phone: &str) -> String {
    phone
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect()
}

/// `linkedin.com/in/name` from any spelling of a LinkedIn profile URL.
pub fn linkedin_key(url: &str) -> Option<String> {
    let u = url.trim().to_lowercase();
    let i = u.find("linkedin.com/in/")?;
    let rest = &u[i + "linkedin.com/in/".len()..];
    let handle: String = rest
        .chars()
        .take_while(|c| *c != '/' && *c != '?' && *c != '#')
        .collect();
    (!handle.is_empty()).then(|| format!("linkedin.com/in/{handle}"))
}

/// What two records share, and how sure we are they are one person.
pub struct Evidence<'a> {
    pub email_a: &'a str,
    pub email_b: &'a str,
    pub phone_a: Option<&'a str>,
    pub phone_b: Option<&'a str>,
    pub linkedin_a: Option<&'a str>,
    pub linkedin_b: Option<&'a str>,
    pub name_a: &'a str,
    pub name_b: &'a str,
}

/// Confidence 0–100 with the reasons, or None when they look like different people.
pub fn duplicate_confidence(e: &Evidence) -> Option<(u32, Vec<String>)> {
    let mut score: u32 = 0;
    let mut reasons = Vec::new();
    if !e.email_a.is_empty() && e.email_a.eq_ignore_ascii_case(e.email_b) {
        score += 95;
        reasons.push("same email".into());
    } else {
        let local = |s: &str| {
            s.split('@')
                .next()
                .unwrap_or("")
                .replace(['.', '_', '-'], "")
        };
        if local(e.email_a).len() >= 5 && local(e.email_a) == local(e.email_b) {
            score += 25;
            reasons.push("similar email".into());
        }
    }
    if let (Some(a), Some(b)) = (e.phone_a, e.phone_b)
        && phone_key(a).len() >= 7
        && phone_key(a).trim_start_matches('+') == phone_key(b).trim_start_matches('+')
    {
        score += 60;
        reasons.push("same phone".into());
    }
    if let (Some(a), Some(b)) = (e.linkedin_a, e.linkedin_b)
        && a == b
    {
        score += 80;
        reasons.push("same LinkedIn profile".into());
    }
    let (na, nb) = (normalize_name(e.name_a), normalize_name(e.name_b));
    let sim = jaro_winkler(&na, &nb);
    if na == nb && !na.is_empty() {
        score += 40;
        reasons.push("same name".into());
    } else if sim >= 0.92 {
        score += 30;
        reasons.push(format!("similar name ({:.0}% alike)", sim * 100.0));
    }
    (score >= 30 && !reasons.is_empty()).then(|| (score.min(100), reasons))
}

/// The fields a merge screen lets staff choose between (the rest are united or summed).
pub const MERGE_FIELDS: [&str; 6] = [
    "first_name",
    "last_name",
    "email",
    "phone",
    "location",
    "headline",
];

/// Lists a merge unites (the kept record's entries first, then the other's new ones).
pub const MERGE_LISTS: [&str; 5] = ["skills", "tags", "links", "interests", "work_history"];

/// The merge plan for the kept record (`winner`), as the fields to write on it: each of
/// [`MERGE_FIELDS`] named in `take_loser` takes the other record's value (when it has one), and
/// every list of [`MERGE_LISTS`] becomes the union of both. Pure: the repository loads both
/// records, calls this and writes the result with everything that moves over.
pub fn merge_updates(
    winner: &serde_json::Value,
    loser: &serde_json::Value,
    take_loser: &[String],
) -> serde_json::Map<String, serde_json::Value> {
    let mut updates = serde_json::Map::new();
    for f in MERGE_FIELDS {
        if take_loser.iter().any(|x| x == f) && !loser[f].is_null() {
            updates.insert(f.to_string(), loser[f].clone());
        }
    }
    for f in MERGE_LISTS {
        let mut v: Vec<serde_json::Value> = winner[f].as_array().cloned().unwrap_or_default();
        for x in loser[f].as_array().cloned().unwrap_or_default() {
            if !v.contains(&x) {
                v.push(x);
            }
        }
        updates.insert(f.to_string(), serde_json::Value::Array(v));
    }
    updates
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jaro_winkler_scores_close_names_high() {
        assert!(jaro_winkler("martha", "marhta") > 0.95);
        assert!(jaro_winkler("jon smith", "john smith") > 0.92);
        assert!(jaro_winkler("ada lovelace", "grace hopper") < 0.7);
        assert_eq!(jaro_winkler("", ""), 1.0);
    }

    #[test]
    fn duplicates_need_real_evidence() {
        let base = Evidence {
            email_a: "ada@x.org",
            email_b: "ada.l@y.org",
            phone_a: Some("+44 20 7946 0000"),
            phone_b: Some("+44 (20) 7946-0000"),
            linkedin_a: None,
            linkedin_b: None,
            name_a: "Ada Lovelace",
            name_b: "Ada Lovelace",
        };
        let (score, reasons) = duplicate_confidence(&base).unwrap();
        assert_eq!(score, 100);
        assert_eq!(reasons, ["same phone", "same name"]);
        let names_only = Evidence {
            phone_a: None,
            phone_b: None,
            name_b: "Ada Lovelase",
            ..base
        };
        let (score, _) = duplicate_confidence(&names_only).unwrap();
        assert!((30..60).contains(&score), "{score}");
        let strangers = Evidence {
            phone_a: None,
            phone_b: None,
            name_b: "Grace Hopper",
            ..base
        };
        assert!(duplicate_confidence(&strangers).is_none());
    }

    #[test]
    fn keys_normalise_phones_and_linkedin() {
        assert_eq!(phone_key("+44 (20) 7946-0000"), "+442079460000");
        assert_eq!(
            linkedin_key("https://www.LinkedIn.com/in/ada-lovelace/?trk=x").as_deref(),
            Some("linkedin.com/in/ada-lovelace")
        );
        assert_eq!(linkedin_key("https://github.com/ada"), None);
    }

    #[test]
    fn the_merge_plan_table() {
        use serde_json::json;
        let winner = json!({ "first_name": "Ada", "email": "ada@a.test", "phone": "+44 1",
                             "tags": ["rust", "london"], "skills": ["rust"], "links": null });
        let loser = json!({ "first_name": "Augusta Ada", "email": "ada@b.test", "phone": null,
                            "tags": ["london", "meetup"], "skills": [], "links": ["https://x.test"] });
        // (what, fields taken from the other record, expected writes except the lists)
        let cases: [(&str, Vec<&str>, serde_json::Value); 4] = [
            ("nothing taken: only lists", vec![], json!({})),
            (
                "a chosen field is taken",
                vec!["first_name"],
                json!({ "first_name": "Augusta Ada" }),
            ),
            ("an empty value is never taken", vec!["phone"], json!({})),
            ("an unknown field is ignored", vec!["role"], json!({})),
        ];
        for (what, take, expect) in cases {
            let take: Vec<String> = take.into_iter().map(str::to_string).collect();
            let mut got = merge_updates(&winner, &loser, &take);
            assert_eq!(
                got.remove("tags"),
                Some(json!(["rust", "london", "meetup"])),
                "{what}"
            );
            assert_eq!(got.remove("skills"), Some(json!(["rust"])), "{what}");
            assert_eq!(
                got.remove("links"),
                Some(json!(["https://x.test"])),
                "{what}"
            );
            assert_eq!(got.remove("interests"), Some(json!([])), "{what}");
            assert_eq!(got.remove("work_history"), Some(json!([])), "{what}");
            assert_eq!(serde_json::Value::Object(got), expect, "{what}");
        }
    }
}
