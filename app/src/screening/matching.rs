//! Reading a resume for one criterion, locally and explainably: every verdict comes with the
//! sentence it was read from (or says why there is none). Pure functions, unit-tested with the
//! resume fixtures beside them.

use super::types::{Criterion, Finding, Kind, Verdict};

/// What is known about an application, to check criteria against.
#[derive(Debug, Default, Clone, Copy)]
pub struct Facts<'a> {
    /// The text read from the candidate's resume.
    pub resume: Option<&'a str>,
    /// The location the candidate gave.
    pub location: Option<&'a str>,
    /// The profile's skills (from the application, the resume's proposal or the team).
    pub skills: &'a [String],
    /// Answers to the job's questions: (criterion id, yes?).
    pub answers: &'a [(String, bool)],
    /// The current year, for "2019 – present".
    pub year: i32,
}

/// Evidence is quoted up to this many characters.
const QUOTE: usize = 220;
/// A years criterion looks this many sentences back for the role's dates.
const LOOK_BACK: usize = 3;

/// The resume's sentences: lines, split again at sentence ends and bullets, trimmed.
pub fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut rest = line;
        loop {
            let cut = [". ", "; ", " • ", "! ", "? "]
                .iter()
                .filter_map(|sep| rest.find(sep).map(|i| i + sep.len() - 1))
                .min();
            let (head, tail) = match cut {
                Some(i) => (&rest[..i], Some(&rest[i..])),
                None => (rest, None),
            };
            let s = head.trim_matches(|c: char| {
                c.is_whitespace() || matches!(c, '•' | '-' | '*' | '·' | '–')
            });
            if s.chars().any(char::is_alphanumeric) {
                out.push(s);
            }
            match tail {
                Some(t) => rest = t,
                None => break,
            }
        }
    }
    out
}

/// The criterion's alternatives: "Kubernetes or k8s", "Berlin, Germany or Remote".
pub fn alternatives(term: &str) -> Vec<String> {
    term.split(" or ")
        .map(|t| t.trim().to_lowercase())
        .filter(|t| !t.is_empty())
        .collect()
}

/// Whether `needle` (lower case) appears in `hay` as a whole word: "go" is not found in
/// "google", "C++" is found in "C++17" only where the term ends in a symbol.
pub fn has_word(hay: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return false;
    }
    let hay = hay.to_lowercase();
    let edge = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
    let first_word = needle.chars().next().is_some_and(char::is_alphanumeric);
    let last_word = needle.chars().last().is_some_and(char::is_alphanumeric);
    let mut from = 0;
    while let Some(i) = hay[from..].find(needle) {
        let start = from + i;
        let end = start + needle.len();
        let before = hay[..start].chars().next_back();
        let after = hay[end..].chars().next();
        if (!first_word || edge(before)) && (!last_word || edge(after)) {
            return true;
        }
        from = start + hay[start..].chars().next().map_or(1, char::len_utf8);
    }
    false
}

fn mentions(sentence: &str, alts: &[String]) -> bool {
    alts.iter().any(|a| has_word(sentence, a))
}

/// A sentence, clipped for quoting.
pub fn quote(s: &str) -> String {
    let s = s.trim();
    if s.chars().count() <= QUOTE {
        return s.to_string();
    }
    let cut: String = s.chars().take(QUOTE).collect();
    format!("{}…", cut.trim_end())
}

const NUMBER_WORDS: [&str; 15] = [
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "thirteen", "fourteen", "fifteen",
];

fn tokens(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in s.chars() {
        if c.is_alphanumeric() {
            cur.extend(c.to_lowercase());
        } else {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            // Dashes between years are separators worth keeping ("2016–2021").
            if matches!(c, '-' | '–' | '—') {
                out.push("-".into());
            }
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn year_of(t: &str, now: i32) -> Option<i32> {
    match t {
        "present" | "now" | "current" | "today" | "date" => Some(now),
        _ => t.parse::<i32>().ok().filter(|y| (1960..=now).contains(y)),
    }
}

/// The years of experience a sentence states: "6 years", "six+ years", "since 2019",
/// "2016 – 2021", "2019 - present" (the largest, when it states several).
pub fn years_in(sentence: &str, now: i32) -> Option<u32> {
    let t = tokens(sentence);
    let mut best: Option<u32> = None;
    let mut keep = |n: i64| {
        if (0..=60).contains(&n) {
            best = Some(best.map_or(n as u32, |b| b.max(n as u32)));
        }
    };
    for (i, w) in t.iter().enumerate() {
        let next = t.get(i + 1).map(String::as_str);
        // "6 years", "6+ years" (the plus is dropped by the tokenizer), "six years", "6 yrs".
        if matches!(next, Some("years" | "year" | "yrs" | "yr")) {
            let n = w.parse::<i64>().ok().or_else(|| {
                NUMBER_WORDS
                    .iter()
                    .position(|x| x == w)
                    .map(|p| p as i64 + 1)
            });
            if let Some(n) = n.filter(|n| *n < 100) {
                keep(n);
            }
        }
        // "since 2019"
        if w == "since"
            && let Some(y) = next.and_then(|n| year_of(n, now)).filter(|y| *y < now)
        {
            keep(i64::from(now - y));
        }
        // "2016 - 2021", "2016 to present"
        if let Some(start) = w.parse::<i32>().ok().and_then(|_| year_of(w, now))
            && matches!(next, Some("-" | "to" | "until"))
            && let Some(end) = t.get(i + 2).and_then(|e| year_of(e, now))
            && end >= start
        {
            keep(i64::from(end - start));
        }
    }
    best
}

fn not_found(resume: Option<&str>) -> Finding {
    match resume {
        Some(_) => Finding::new(Verdict::NotMet, None, "resume"),
        None => Finding::new(Verdict::Unknown, None, "none"),
    }
}

/// Checks one criterion against what is known, quoting the evidence.
pub fn evaluate(c: &Criterion, f: &Facts) -> Finding {
    let alts = alternatives(&c.term);
    let resume = f.resume.filter(|r| !r.trim().is_empty());
    let sents = resume.map(sentences).unwrap_or_default();
    let in_resume = || sents.iter().find(|s| mentions(s, &alts)).copied();
    match c.kind {
        Kind::Skill => {
            if let Some(s) = in_resume() {
                return Finding::new(Verdict::Met, Some(quote(s)), "resume");
            }
            if let Some(skill) = f
                .skills
                .iter()
                .find(|s| alts.iter().any(|a| s.trim().to_lowercase() == *a))
            {
                return Finding::new(
                    Verdict::Met,
                    Some(format!("Skills on the profile: {skill}")),
                    "profile",
                );
            }
            not_found(resume)
        }
        Kind::Language => match in_resume() {
            Some(s) => Finding::new(Verdict::Met, Some(quote(s)), "resume"),
            // Languages are often left off resumes: absence proves nothing.
            None => Finding::new(
                Verdict::Unknown,
                None,
                if resume.is_some() { "resume" } else { "none" },
            ),
        },
        Kind::Years => {
            let want = c.years.unwrap_or(1);
            // Each mention, with the years it states or, failing that, the years of the role
            // heading just above it ("Backend Engineer, Acme (2018 – present)").
            let mut best: Option<(u32, String)> = None;
            let mut mentioned: Option<&str> = None;
            for (i, s) in sents.iter().enumerate() {
                if !mentions(s, &alts) {
                    continue;
                }
                mentioned.get_or_insert(s);
                let found = years_in(s, f.year).map(|y| (y, quote(s))).or_else(|| {
                    (i.saturating_sub(LOOK_BACK)..i).rev().find_map(|j| {
                        years_in(sents[j], f.year)
                            .map(|y| (y, format!("{} … {}", quote(sents[j]), quote(s))))
                    })
                });
                if let Some((y, q)) = found
                    && best.as_ref().is_none_or(|(b, _)| y > *b)
                {
                    best = Some((y, q));
                }
            }
            match (best, mentioned) {
                (Some((y, q)), _) if y >= want => Finding::new(Verdict::Met, Some(q), "resume"),
                (Some((_, q)), _) => Finding::new(Verdict::NotMet, Some(q), "resume"),
                // Mentioned without dates: a person has to judge the years.
                (None, Some(s)) => Finding::new(Verdict::Unknown, Some(quote(s)), "resume"),
                (None, None) => not_found(resume),
            }
        }
        Kind::Location => {
            let given = f.location.map(str::trim).filter(|l| !l.is_empty());
            if let Some(l) = given {
                let city = l.split(',').next().unwrap_or(l).trim().to_lowercase();
                let fits = alts.iter().any(|a| has_word(l, a) || has_word(a, &city));
                if fits {
                    return Finding::new(
                        Verdict::Met,
                        Some(format!("Location given: {l}")),
                        "application",
                    );
                }
            }
            // "Happy to relocate to Berlin", "Open to remote work".
            if let Some(s) = in_resume() {
                return Finding::new(Verdict::Met, Some(quote(s)), "resume");
            }
            match given {
                Some(l) => Finding::new(
                    Verdict::NotMet,
                    Some(format!("Location given: {l}")),
                    "application",
                ),
                None => Finding::new(Verdict::Unknown, None, "none"),
            }
        }
        Kind::Question => match f.answers.iter().find(|(id, _)| *id == c.id) {
            Some((_, yes)) => {
                let met = Some(*yes) == c.answer;
                Finding::new(
                    if met { Verdict::Met } else { Verdict::NotMet },
                    Some(format!(
                        "Answered “{}” to “{}”",
                        if *yes { "Yes" } else { "No" },
                        c.term
                    )),
                    "application",
                )
            }
            None => Finding::new(Verdict::Unknown, None, "unanswered"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i32 = 2026;
    const BACKEND: &str = include_str!("fixtures/backend.txt");
    const DESIGNER: &str = include_str!("fixtures/designer.txt");

    fn crit(kind: Kind, term: &str, years: Option<u32>) -> Criterion {
        Criterion {
            id: "c1".into(),
            kind,
            term: term.into(),
            years,
            required: true,
            answer: Some(true),
        }
    }

    fn facts(resume: Option<&'static str>) -> Facts<'static> {
        Facts {
            resume,
            location: None,
            skills: &[],
            answers: &[],
            year: NOW,
        }
    }

    #[test]
    fn sentences_split_lines_bullets_and_full_stops() {
        let s = sentences("Summary\n• Built X. Led Y; shipped Z\n  - Go and Rust  \n\n");
        assert_eq!(
            s,
            vec!["Summary", "Built X.", "Led Y;", "shipped Z", "Go and Rust"]
        );
    }

    #[test]
    fn words_match_whole_words_only() {
        assert!(has_word("Go, Rust and C++", "go"));
        assert!(!has_word("Worked at Google", "go"));
        assert!(has_word("Modern C++17 code", "c++"));
        assert!(has_word("C# and .NET", "c#"));
        assert!(!has_word("Rustacean", "rust"));
        assert!(has_word("Kubernetes (k8s)", "k8s"));
    }

    #[test]
    fn years_read_numbers_words_ranges_and_since() {
        assert_eq!(years_in("6+ years of Rust", NOW), Some(6));
        assert_eq!(years_in("Six years building APIs", NOW), Some(6));
        assert_eq!(
            years_in("Backend Engineer, Acme (2016 – 2021)", NOW),
            Some(5)
        );
        assert_eq!(years_in("Lead, Initech, 2019 - present", NOW), Some(7));
        assert_eq!(years_in("Writing Go since 2022", NOW), Some(4));
        assert_eq!(years_in("Shipped 3 products", NOW), None);
        // A year alone is not a duration; nor is a far-off number.
        assert_eq!(years_in("Graduated 2015", NOW), None);
        assert_eq!(years_in("Served 1200 years", NOW), None);
    }

    #[test]
    fn a_skill_is_met_with_the_sentence_it_was_read_from() {
        let f = evaluate(&crit(Kind::Skill, "Rust", None), &facts(Some(BACKEND)));
        assert_eq!(f.verdict, Verdict::Met);
        let q = f.evidence.unwrap();
        assert!(q.contains("Rust"), "{q}");
        assert_eq!(f.source, "resume");
        // Alternatives: either name counts.
        let f = evaluate(
            &crit(Kind::Skill, "Kubernetes or k8s", None),
            &facts(Some(BACKEND)),
        );
        assert_eq!(f.verdict, Verdict::Met);
        assert!(f.evidence.unwrap().to_lowercase().contains("k8s"));
    }

    #[test]
    fn a_skill_missing_from_the_resume_is_not_met_and_without_a_resume_unknown() {
        let c = crit(Kind::Skill, "Figma", None);
        assert_eq!(evaluate(&c, &facts(Some(BACKEND))).verdict, Verdict::NotMet);
        assert_eq!(evaluate(&c, &facts(None)).verdict, Verdict::Unknown);
        // The profile's skills count, and say so.
        let skills = vec!["Figma".to_string()];
        let f = evaluate(
            &c,
            &Facts {
                skills: &skills,
                ..facts(None)
            },
        );
        assert_eq!(f.verdict, Verdict::Met);
        assert_eq!(f.source, "profile");
    }

    #[test]
    fn years_come_from_the_sentence_or_the_role_heading_above_it() {
        // "Rust" is in a bullet under "Senior Engineer, Northwind (2019 – present)": 7 years.
        let f = evaluate(&crit(Kind::Years, "Rust", Some(5)), &facts(Some(BACKEND)));
        assert_eq!(f.verdict, Verdict::Met, "{f:?}");
        let q = f.evidence.unwrap();
        assert!(q.contains("2019") && q.contains("Rust"), "{q}");
        // Go: "2 years of Go" is stated outright, and it is not enough for 4.
        let f = evaluate(&crit(Kind::Years, "Go", Some(4)), &facts(Some(BACKEND)));
        assert_eq!(f.verdict, Verdict::NotMet, "{f:?}");
        assert!(f.evidence.unwrap().contains("2 years"));
        // Never mentioned: not met; no resume: unknown.
        let c = crit(Kind::Years, "Haskell", Some(1));
        assert_eq!(evaluate(&c, &facts(Some(BACKEND))).verdict, Verdict::NotMet);
        assert_eq!(evaluate(&c, &facts(None)).verdict, Verdict::Unknown);
    }

    #[test]
    fn years_without_dates_are_for_a_person_to_judge() {
        let f = evaluate(&crit(Kind::Years, "Figma", Some(3)), &facts(Some(DESIGNER)));
        assert_eq!(f.verdict, Verdict::Met, "{f:?}");
        let f = evaluate(
            &crit(Kind::Years, "Sketch", Some(3)),
            &facts(Some(DESIGNER)),
        );
        assert_eq!(f.verdict, Verdict::Unknown, "{f:?}");
        assert!(f.evidence.unwrap().contains("Sketch"));
    }

    #[test]
    fn location_reads_the_application_then_the_resume() {
        let c = crit(Kind::Location, "Germany or Portugal", None);
        let f = evaluate(
            &c,
            &Facts {
                location: Some("Berlin, Germany"),
                ..facts(None)
            },
        );
        assert_eq!(f.verdict, Verdict::Met);
        assert_eq!(
            f.evidence.as_deref(),
            Some("Location given: Berlin, Germany")
        );
        // A city named in the criterion matches a location given as the city alone.
        let c2 = crit(Kind::Location, "Lisbon, Portugal", None);
        let f = evaluate(
            &c2,
            &Facts {
                location: Some("Lisbon"),
                ..facts(None)
            },
        );
        assert_eq!(f.verdict, Verdict::Met);
        // Elsewhere, but the resume says they will move.
        let f = evaluate(
            &c,
            &Facts {
                location: Some("Paris, France"),
                ..facts(Some(DESIGNER))
            },
        );
        assert_eq!(f.verdict, Verdict::Met, "{f:?}");
        assert!(f.evidence.unwrap().contains("relocate"));
        let f = evaluate(
            &c,
            &Facts {
                location: Some("Paris, France"),
                ..facts(Some(BACKEND))
            },
        );
        assert_eq!(f.verdict, Verdict::NotMet);
        assert_eq!(evaluate(&c, &facts(None)).verdict, Verdict::Unknown);
    }

    #[test]
    fn languages_absent_from_a_resume_are_unknown_not_failed() {
        let c = crit(Kind::Language, "German", None);
        let f = evaluate(&c, &facts(Some(BACKEND)));
        assert_eq!(f.verdict, Verdict::Met);
        assert!(f.evidence.unwrap().contains("German"));
        let c = crit(Kind::Language, "Japanese", None);
        assert_eq!(
            evaluate(&c, &facts(Some(BACKEND))).verdict,
            Verdict::Unknown
        );
    }

    #[test]
    fn questions_compare_the_answer_given() {
        let c = crit(
            Kind::Question,
            "Are you authorised to work in the EU?",
            None,
        );
        let yes = vec![("c1".to_string(), true)];
        let no = vec![("c1".to_string(), false)];
        let f = evaluate(
            &c,
            &Facts {
                answers: &yes,
                ..facts(None)
            },
        );
        assert_eq!(f.verdict, Verdict::Met);
        assert_eq!(
            f.evidence.as_deref(),
            Some("Answered “Yes” to “Are you authorised to work in the EU?”")
        );
        assert_eq!(
            evaluate(
                &c,
                &Facts {
                    answers: &no,
                    ..facts(None)
                }
            )
            .verdict,
            Verdict::NotMet
        );
        assert_eq!(evaluate(&c, &facts(None)).verdict, Verdict::Unknown);
    }

    #[test]
    fn long_sentences_are_clipped_for_quoting() {
        let long = "Rust ".repeat(100);
        let q = quote(&long);
        assert!(q.ends_with('…'));
        assert!(q.chars().count() <= QUOTE + 1);
    }
}
