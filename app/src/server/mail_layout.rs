//! The branded HTML layout every email is sent in, beside its plain text (which stays the
//! source: the HTML is made from it when the message is sent). Table-based with inline styles,
//! as mail programs need; light on purpose, readable with images and styles off.

/// Text for HTML (`& < > " '`).
pub fn escape(s: &str) -> std::borrow::Cow<'_, str> {
    quick_xml::escape::escape(s)
}

/// The end of a URL that starts at the beginning of `from`.
fn url_at(from: &str) -> &str {
    let end = from
        .find(|c: char| c.is_whitespace() || c == '<' || c == '>' || c == '"')
        .unwrap_or(from.len());
    from[..end].trim_end_matches(['.', ',', ')', ';', ':'])
}

/// One line of text as HTML: links to the app itself (under `origin`) become links; any other
/// URL-like text (a name a candidate typed, say) stays text, so the HTML never links anywhere
/// but the app. (A stranger could still type an address of the app: it is as clickable here as
/// in the plain text, where mail programs link every address.)
fn line_html(line: &str, origin: &str, colour: &str, out: &mut String) {
    let mut rest = line;
    while let Some(i) = rest.find("http") {
        let (before, from) = rest.split_at(i);
        out.push_str(&escape(before));
        let url = url_at(from);
        let ours = !origin.is_empty()
            && url.starts_with(origin)
            && url[origin.len()..]
                .chars()
                .next()
                .is_none_or(|c| c == '/' || c == '?');
        if ours {
            out.push_str(&format!(
                "<a href=\"{0}\" style=\"color:{colour}\">{0}</a>",
                escape(url)
            ));
            rest = &from[url.len()..];
        } else {
            out.push_str(&escape(&from[..4]));
            rest = &from[4..];
        }
    }
    out.push_str(&escape(rest));
}

/// The body of a plain-text email as HTML: paragraphs at blank lines, line breaks kept, our
/// own links clickable (in `colour`, a `#rrggbb` the brand checked).
pub fn html_from_text(text: &str, origin: &str, colour: &str) -> String {
    let mut out = String::new();
    let text = text.replace("\r\n", "\n");
    for para in text
        .split("\n\n")
        .map(|p| p.trim_matches('\n'))
        .filter(|p| !p.trim().is_empty())
    {
        out.push_str("<p style=\"margin:0 0 16px\">");
        for (i, line) in para.lines().enumerate() {
            if i > 0 {
                out.push_str("<br>");
            }
            line_html(line, origin, colour, &mut out);
        }
        out.push_str("</p>");
    }
    out
}

/// A whole HTML email: the company's logo (its absolute URL, if any) and name on a bar of the
/// brand colour (`#rrggbb`, checked by [`super::brand::parse_colour`]), the content on a white
/// card, and a line saying who sent it.
pub fn layout(
    company: &str,
    colour: &str,
    logo: Option<&str>,
    subject: &str,
    content: &str,
) -> String {
    let company = escape(company);
    let logo = logo
        .map(|src| {
            format!(
                "<img src=\"{}\" alt=\"\" height=\"32\" style=\"height:32px;vertical-align:middle;margin-right:10px;background:#ffffff;border-radius:4px\">",
                escape(src)
            )
        })
        .unwrap_or_default();
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{subject}</title></head>\
<body style=\"margin:0;padding:0;background:#f6f7f9\">\
<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" style=\"background:#f6f7f9\"><tr><td align=\"center\" style=\"padding:24px 12px\">\
<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" style=\"max-width:600px;background:#ffffff;border:1px solid #dde1e8;border-radius:8px\">\
<tr><td class=\"brand-bar\" style=\"background:{colour};color:#ffffff;padding:16px 24px;font:600 18px/1.3 -apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;border-radius:8px 8px 0 0\">{logo}{company}</td></tr>\
<tr><td style=\"padding:24px;color:#1d2330;font:16px/1.5 -apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif\">{content}</td></tr>\
</table>\
<p style=\"color:#5b6474;font:12px/1.5 -apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;margin:16px 0 0\">Sent by {company}</p>\
</td></tr></table></body></html>",
        subject = escape(subject),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORIGIN: &str = "https://jobs.acme.test";

    #[test]
    fn paragraphs_and_line_breaks_follow_the_text() {
        let html = html_from_text(
            "Hello Ada,\n\nLine one\nline two\n\n\nBye",
            ORIGIN,
            "#3446d4",
        );
        assert_eq!(
            html,
            "<p style=\"margin:0 0 16px\">Hello Ada,</p>\
             <p style=\"margin:0 0 16px\">Line one<br>line two</p>\
             <p style=\"margin:0 0 16px\">Bye</p>"
        );
    }

    #[test]
    fn only_our_own_links_are_clickable_and_everything_is_escaped() {
        let html = html_from_text(
            "Choose: https://jobs.acme.test/schedule/abc. From <script>alert(1)</script> \
             see http://evil.example/x and https://jobs.acme.test.evil.example/y",
            ORIGIN,
            "#3446d4",
        );
        assert!(html.contains(
            "<a href=\"https://jobs.acme.test/schedule/abc\" style=\"color:#3446d4\">https://jobs.acme.test/schedule/abc</a>."
        ));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!html.contains("href=\"http://evil"));
        assert!(!html.contains("href=\"https://jobs.acme.test.evil"));
        assert!(html.contains("http://evil.example/x"));
        assert_eq!(html.matches("<a ").count(), 1);
    }

    #[test]
    fn the_layout_names_the_company_and_escapes_what_it_is_given() {
        let html = layout(
            "Acme & Co",
            "#0f766e",
            None,
            "Your <interview>",
            "<p>Hi</p>",
        );
        assert!(html.contains("background:#0f766e;"));
        assert!(html.contains(">Acme &amp; Co</td>"));
        assert!(html.contains("<title>Your &lt;interview&gt;</title>"));
        assert!(html.contains("<p>Hi</p>"));
        assert!(html.contains("Sent by Acme &amp; Co"));
        assert!(!html.contains("<img"));
        let html = layout(
            "Acme",
            "#0f766e",
            Some("https://jobs.acme.test/brand/logo?v=2&x"),
            "S",
            "",
        );
        assert!(html.contains("<img src=\"https://jobs.acme.test/brand/logo?v=2&amp;x\" alt=\"\""));
    }
}
