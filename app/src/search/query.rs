//! The search language: words, "quoted phrases", AND, OR, NOT (or a leading `-`), parentheses.
//! Words next to each other mean AND. `rust OR go NOT "project manager"`.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Query {
    Term(String),
    Phrase(Vec<String>),
    And(Vec<Query>),
    Or(Vec<Query>),
    Not(Box<Query>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Tok {
    Word(String),
    Phrase(Vec<String>),
    And,
    Or,
    Not,
    Open,
    Close,
}

/// Lower-cased words of a piece of text (letters and digits; other characters separate words).
pub fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric() && c != '+' && c != '#')
        .map(|w| w.trim_matches(|c| c == '+' || c == '#').to_lowercase())
        .filter(|w| !w.is_empty())
        .collect()
}

fn tokenize(input: &str) -> Result<Vec<Tok>, String> {
    let mut out = Vec::new();
    let mut chars = input.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c == '"' {
            chars.next();
            let mut phrase = String::new();
            let mut closed = false;
            for ch in chars.by_ref() {
                if ch == '"' {
                    closed = true;
                    break;
                }
                phrase.push(ch);
            }
            if !closed {
                return Err("A quoted phrase is missing its closing quote.".into());
            }
            let w = words(&phrase);
            match w.len() {
                0 => {}
                1 => out.push(Tok::Word(w[0].clone())),
                _ => out.push(Tok::Phrase(w)),
            }
        } else if c == '(' {
            chars.next();
            out.push(Tok::Open);
        } else if c == ')' {
            chars.next();
            out.push(Tok::Close);
        } else if c == '-' {
            // A minus at the start of a word excludes it ("rust -java"); inside a word
            // ("front-end") it is part of the word and never reaches here.
            chars.next();
            out.push(Tok::Not);
        } else {
            let mut word = String::new();
            while let Some(&ch) = chars.peek() {
                if ch.is_whitespace() || ch == '(' || ch == ')' || ch == '"' {
                    break;
                }
                word.push(ch);
                chars.next();
            }
            match word.as_str() {
                "AND" | "&&" => out.push(Tok::And),
                "OR" | "||" => out.push(Tok::Or),
                "NOT" => out.push(Tok::Not),
                _ => {
                    let w = words(&word);
                    match w.len() {
                        0 => {}
                        1 => out.push(Tok::Word(w[0].clone())),
                        // "node.js" → the words must appear together
                        _ => out.push(Tok::Phrase(w)),
                    }
                }
            }
        }
    }
    Ok(out)
}

/// Longest search accepted (characters).
pub const MAX_QUERY_CHARS: usize = 1_000;
/// Deepest nesting of parentheses and NOTs: the parser and everything that walks a query
/// recurse, and a search of `((((…` must not reach the stack's end.
pub const MAX_DEPTH: usize = 24;

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }
    fn or_expr(&mut self) -> Result<Query, String> {
        let mut parts = vec![self.and_expr()?];
        while self.peek() == Some(&Tok::Or) {
            self.pos += 1;
            parts.push(self.and_expr()?);
        }
        Ok(if parts.len() == 1 {
            parts.pop().unwrap()
        } else {
            Query::Or(parts)
        })
    }
    fn and_expr(&mut self) -> Result<Query, String> {
        let mut parts = vec![self.unary()?];
        loop {
            match self.peek() {
                Some(Tok::And) => {
                    self.pos += 1;
                    parts.push(self.unary()?);
                }
                Some(Tok::Word(_) | Tok::Phrase(_) | Tok::Not | Tok::Open) => {
                    parts.push(self.unary()?)
                }
                _ => break,
            }
        }
        Ok(if parts.len() == 1 {
            parts.pop().unwrap()
        } else {
            Query::And(parts)
        })
    }
    fn deeper(&mut self) -> Result<(), String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(format!(
                "The search nests too deeply: use at most {MAX_DEPTH} levels of parentheses and NOT."
            ));
        }
        Ok(())
    }
    fn unary(&mut self) -> Result<Query, String> {
        match self.peek().cloned() {
            Some(Tok::Not) => {
                self.pos += 1;
                self.deeper()?;
                let q = Query::Not(Box::new(self.unary()?));
                self.depth -= 1;
                Ok(q)
            }
            Some(Tok::Open) => {
                self.pos += 1;
                self.deeper()?;
                let q = self.or_expr()?;
                if self.peek() != Some(&Tok::Close) {
                    return Err("A parenthesis is not closed.".into());
                }
                self.pos += 1;
                self.depth -= 1;
                Ok(q)
            }
            Some(Tok::Word(w)) => {
                self.pos += 1;
                Ok(Query::Term(w))
            }
            Some(Tok::Phrase(p)) => {
                self.pos += 1;
                Ok(Query::Phrase(p))
            }
            Some(Tok::Close) => {
                Err("There is a closing parenthesis without an opening one.".into())
            }
            Some(Tok::And) | Some(Tok::Or) => Err("AND and OR need words on both sides.".into()),
            None => Err("The search ends too early: add a word after AND, OR or NOT.".into()),
        }
    }
}

/// Parses a search; `Ok(None)` for an empty one.
pub fn parse(input: &str) -> Result<Option<Query>, String> {
    if input.chars().count() > MAX_QUERY_CHARS {
        return Err(format!(
            "The search is too long: use at most {MAX_QUERY_CHARS} characters."
        ));
    }
    let toks = tokenize(input)?;
    if toks.is_empty() {
        return Ok(None);
    }
    let mut p = Parser {
        toks,
        pos: 0,
        depth: 0,
    };
    let q = p.or_expr()?;
    if p.pos < p.toks.len() {
        return Err(match p.toks[p.pos] {
            Tok::Close => "There is a closing parenthesis without an opening one.".into(),
            _ => "The search could not be read; check AND, OR, NOT and parentheses.".into(),
        });
    }
    if !has_positive(&q) {
        return Err("Add at least one word to look for: NOT only excludes.".into());
    }
    Ok(Some(q))
}

/// True when the query can match something on its own (not only exclusions).
pub fn has_positive(q: &Query) -> bool {
    match q {
        Query::Term(_) | Query::Phrase(_) => true,
        Query::Not(_) => false,
        Query::And(v) => v.iter().any(has_positive),
        Query::Or(v) => v.iter().all(has_positive),
    }
}

/// Every word the query looks for (not the excluded ones), for highlighting.
pub fn positive_words(q: &Query) -> Vec<String> {
    let mut out = Vec::new();
    fn walk(q: &Query, negated: bool, out: &mut Vec<String>) {
        match q {
            Query::Term(t) if !negated => out.push(t.clone()),
            Query::Phrase(p) if !negated => out.extend(p.iter().cloned()),
            Query::Term(_) | Query::Phrase(_) => {}
            Query::And(v) | Query::Or(v) => v.iter().for_each(|c| walk(c, negated, out)),
            Query::Not(c) => walk(c, !negated, out),
        }
    }
    walk(q, false, &mut out);
    out.sort();
    out.dedup();
    out
}

/// A rough English stem, to highlight "engineers" for "engineer".
pub fn stem(w: &str) -> &str {
    for suffix in ["ing", "ers", "ies", "es", "ed", "er", "s"] {
        if w.len() > suffix.len() + 2 && w.ends_with(suffix) {
            return &w[..w.len() - suffix.len()];
        }
    }
    w
}

/// Whether a word of the text answers one of the query words.
pub fn word_matches(word: &str, query_words: &[String]) -> bool {
    let w = word.to_lowercase();
    query_words.iter().any(|q| w == *q || stem(&w) == stem(q))
}

/// A window of text around the first matching word, split into plain and highlighted parts.
pub fn snippet(text: &str, query_words: &[String], width: usize) -> Vec<(String, bool)> {
    let tokens: Vec<(usize, usize)> = {
        let mut v = Vec::new();
        let mut start = None;
        for (i, c) in text.char_indices() {
            let is_word = c.is_alphanumeric() || c == '+' || c == '#';
            match (is_word, start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    v.push((s, i));
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(s) = start {
            v.push((s, text.len()));
        }
        v
    };
    let first = tokens
        .iter()
        .find(|(s, e)| word_matches(&text[*s..*e], query_words));
    let (from, to) = match first {
        Some((s, _)) => {
            let mut from = s.saturating_sub(width / 3);
            while !text.is_char_boundary(from) {
                from -= 1;
            }
            let mut to = (from + width).min(text.len());
            while !text.is_char_boundary(to) {
                to += 1;
            }
            (from, to)
        }
        None => {
            let mut to = width.min(text.len());
            while !text.is_char_boundary(to) {
                to += 1;
            }
            (0, to)
        }
    };
    let mut out: Vec<(String, bool)> = Vec::new();
    let mut cursor = from;
    if from > 0 {
        out.push(("…".into(), false));
    }
    for (s, e) in tokens.iter().filter(|(s, e)| *s >= from && *e <= to) {
        if word_matches(&text[*s..*e], query_words) {
            if *s > cursor {
                out.push((text[cursor..*s].to_string(), false));
            }
            out.push((text[*s..*e].to_string(), true));
            cursor = *e;
        }
    }
    if cursor < to {
        out.push((text[cursor..to].to_string(), false));
    }
    if to < text.len() {
        out.push(("…".into(), false));
    }
    // Collapse whitespace so line breaks from resumes read as one line.
    out.into_iter()
        .map(|(t, h)| {
            (
                t.split_whitespace().collect::<Vec<_>>().join(" ")
                    + if t.ends_with(char::is_whitespace) {
                        " "
                    } else {
                        ""
                    },
                h,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use Query::*;

    fn t(s: &str) -> Query {
        Term(s.into())
    }

    #[test]
    fn deep_or_long_searches_are_refused_not_a_stack_overflow() {
        // Each of these used to recurse once per character.
        for attack in [
            "(".repeat(200_000),
            format!("{}rust{}", "(".repeat(900), ")".repeat(90)),
            "NOT ".repeat(240) + "rust",
            "- ".repeat(400) + "rust",
        ] {
            assert!(parse(&attack).is_err(), "{}…", &attack[..20]);
        }
        let nested = format!("{}rust{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
        assert_eq!(parse(&nested).unwrap(), Some(t("rust")));
        let too_deep = format!(
            "{}rust{}",
            "(".repeat(MAX_DEPTH + 1),
            ")".repeat(MAX_DEPTH + 1)
        );
        assert!(parse(&too_deep).unwrap_err().contains("nests too deeply"));
    }

    #[test]
    fn words_next_to_each_other_mean_and() {
        assert_eq!(
            parse("Rust kubernetes").unwrap(),
            Some(And(vec![t("rust"), t("kubernetes")]))
        );
        assert_eq!(
            parse("rust AND go").unwrap(),
            Some(And(vec![t("rust"), t("go")]))
        );
    }

    #[test]
    fn or_binds_looser_than_and() {
        assert_eq!(
            parse("rust go OR python").unwrap(),
            Some(Or(vec![And(vec![t("rust"), t("go")]), t("python")]))
        );
        assert_eq!(
            parse("rust (go OR python)").unwrap(),
            Some(And(vec![t("rust"), Or(vec![t("go"), t("python")])]))
        );
    }

    #[test]
    fn not_and_minus_exclude() {
        assert_eq!(
            parse("rust NOT java").unwrap(),
            Some(And(vec![t("rust"), Not(Box::new(t("java")))]))
        );
        assert_eq!(
            parse("rust -java").unwrap(),
            Some(And(vec![t("rust"), Not(Box::new(t("java")))]))
        );
        assert_eq!(
            parse("front-end").unwrap(),
            Some(Phrase(vec!["front".into(), "end".into()]))
        );
    }

    #[test]
    fn phrases_keep_their_words_together() {
        assert_eq!(
            parse("\"machine learning\" python").unwrap(),
            Some(And(vec![
                Phrase(vec!["machine".into(), "learning".into()]),
                t("python")
            ]))
        );
        assert_eq!(parse("\"rust\"").unwrap(), Some(t("rust")));
    }

    #[test]
    fn mistakes_are_explained() {
        assert!(parse("\"open").unwrap_err().contains("closing quote"));
        assert!(parse("(rust").unwrap_err().contains("not closed"));
        assert!(parse("rust)").unwrap_err().contains("closing parenthesis"));
        assert!(parse("rust AND").unwrap_err().contains("too early"));
        assert!(parse("NOT java").unwrap_err().contains("only excludes"));
        assert_eq!(parse("   ").unwrap(), None);
    }

    #[test]
    fn highlighting_finds_stems() {
        let q = positive_words(&parse("engineer NOT manager").unwrap().unwrap());
        assert_eq!(q, ["engineer"]);
        let s = snippet("We need two Engineers for the platform team.", &q, 60);
        assert!(s.iter().any(|(t, h)| *h && t == "Engineers"), "{s:?}");
        let joined: String = s.iter().map(|(t, _)| t.as_str()).collect();
        assert!(joined.contains("We need two Engineers"));
    }
}
