//! The text of emails to a person as staff read it on the profile's Emails tab.

/// An email's text as staff read it on the profile: its links keep their address and path, but
/// query values and long opaque path parts (sign-in, unsubscribe, booking and tracking tokens,
/// which would let the reader act as the person) become "…".
pub(super) fn without_secrets(text: &str) -> String {
    text.split_inclusive(char::is_whitespace)
        .map(|piece| {
            let word = piece.trim_end();
            if !(word.starts_with("http://") || word.starts_with("https://")) {
                return piece.to_string();
            }
            let (path, query) = match word.split_once('?') {
                Some((p, q)) => (p, Some(q)),
                None => (word, None),
            };
            let mut out = path
                .split('/')
                .map(|seg| if seg.len() >= 20 { "…" } else { seg })
                .collect::<Vec<_>>()
                .join("/");
            if let Some(q) = query {
                out.push('?');
                out.push_str(
                    &q.split('&')
                        .map(|kv| match kv.split_once('=') {
                            Some((k, _)) => format!("{k}=…"),
                            None => kv.to_string(),
                        })
                        .collect::<Vec<_>>()
                        .join("&"),
                );
            }
            out.push_str(&piece[word.len()..]);
            out
        })
        .collect()
}

#[cfg(test)]
mod email_text_tests {
    use super::without_secrets;

    #[test]
    fn links_lose_their_tokens_and_keep_where_they_go() {
        assert_eq!(
            without_secrets(
                "Hi Ada,\n\nSign in: https://ats.example/portal/auth?token=abcDEF123456.xyz\nUnsubscribe: http://127.0.0.1:3200/unsubscribe?token=dW5zdWJ8bjN3NWVrZ3kyZzcwbWJidjh2\n"
            ),
            "Hi Ada,\n\nSign in: https://ats.example/portal/auth?token=…\nUnsubscribe: http://127.0.0.1:3200/unsubscribe?token=…\n"
        );
        assert_eq!(
            without_secrets("Book: https://ats.example/t/c/Zm9vYmFyYmF6cXV4cXV1eDEyMzQ1 now"),
            "Book: https://ats.example/t/c/… now"
        );
        assert_eq!(
            without_secrets("See https://ats.example/jobs/rust-backend for more."),
            "See https://ats.example/jobs/rust-backend for more."
        );
    }
}
