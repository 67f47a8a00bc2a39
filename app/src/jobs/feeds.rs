//! Job distribution: schema.org `JobPosting` JSON-LD on each open job page, an Indeed-style XML
//! feed at `/jobs.xml` and an RSS feed at `/jobs.rss`. Only open jobs appear anywhere.

use super::repo::{self, JobRow};
use super::types::EmploymentType;
use crate::server::AppState;
use crate::server::db::key;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use http::{StatusCode, header};
use serde_json::{Value, json};

/// "Berlin, Germany" → (Some("Berlin"), Some("Germany")); "Germany" → (None, Some("Germany")).
pub fn split_location(location: &str) -> (Option<String>, Option<String>) {
    let l = location.trim();
    if l.is_empty() || l.eq_ignore_ascii_case("remote") {
        return (None, None);
    }
    match l.rsplit_once(',') {
        Some((city, country)) => (
            Some(city.trim().to_string()).filter(|s| !s.is_empty()),
            Some(country.trim().to_string()).filter(|s| !s.is_empty()),
        ),
        None => (None, Some(l.to_string())),
    }
}

pub fn schema_employment_type(t: EmploymentType) -> &'static str {
    match t {
        EmploymentType::FullTime => "FULL_TIME",
        EmploymentType::PartTime => "PART_TIME",
        EmploymentType::Contract => "CONTRACTOR",
        EmploymentType::Temporary => "TEMPORARY",
        EmploymentType::Internship => "INTERN",
    }
}

/// Text for HTML and XML (`& < > " '`), by quick-xml.
fn escape(s: &str) -> std::borrow::Cow<'_, str> {
    quick_xml::escape::escape(s)
}

/// The description as simple HTML paragraphs (JobPosting allows HTML there).
pub fn description_html(text: &str) -> String {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| format!("<p>{}</p>", escape(p).replace('\n', "<br>")))
        .collect()
}

/// schema.org `JobPosting` with every property Google requires (and the recommended ones we know).
pub fn job_posting(job: &JobRow, company: &str, public_url: &str) -> Value {
    let url = format!("{public_url}/jobs/{}", key(&job.id));
    let mut v = json!({
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": job.title,
        "description": description_html(&job.description),
        "identifier": { "@type": "PropertyValue", "name": company, "value": key(&job.id) },
        "datePosted": job.published_at.unwrap_or(job.created_at).format("%Y-%m-%d").to_string(),
        "employmentType": schema_employment_type(job.employment_type()),
        "hiringOrganization": { "@type": "Organization", "name": company, "sameAs": public_url },
        "directApply": true,
        "url": url,
    });
    let obj = v.as_object_mut().expect("object");
    if let Some(until) = job.valid_through_or_default() {
        obj.insert(
            "validThrough".into(),
            json!(until.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        );
    }
    let (city, country) = split_location(&job.location);
    if city.is_some() || country.is_some() {
        let mut address = serde_json::Map::new();
        address.insert("@type".into(), json!("PostalAddress"));
        if let Some(c) = &city {
            address.insert("addressLocality".into(), json!(c));
        }
        if let Some(c) = &country {
            address.insert("addressCountry".into(), json!(c));
        }
        obj.insert(
            "jobLocation".into(),
            json!({ "@type": "Place", "address": address }),
        );
    }
    if job.remote {
        obj.insert("jobLocationType".into(), json!("TELECOMMUTE"));
        obj.insert(
            "applicantLocationRequirements".into(),
            match &country {
                Some(c) => json!({ "@type": "Country", "name": c }),
                None => json!({ "@type": "AdministrativeArea", "name": "Anywhere" }),
            },
        );
    }
    if job.salary_min.is_some() || job.salary_max.is_some() {
        let mut value = serde_json::Map::new();
        value.insert("@type".into(), json!("QuantitativeValue"));
        match (job.salary_min, job.salary_max) {
            (Some(a), Some(b)) if a == b => {
                value.insert("value".into(), json!(a));
            }
            (a, b) => {
                if let Some(a) = a {
                    value.insert("minValue".into(), json!(a));
                }
                if let Some(b) = b {
                    value.insert("maxValue".into(), json!(b));
                }
            }
        }
        value.insert(
            "unitText".into(),
            json!(job.salary_period.clone().unwrap_or_else(|| "YEAR".into())),
        );
        obj.insert(
            "baseSalary".into(),
            json!({
                "@type": "MonetaryAmount",
                "currency": job.salary_currency.clone().unwrap_or_else(|| "EUR".into()),
                "value": value,
            }),
        );
    }
    v
}

/// JSON that is safe inside `<script>`: no `<`, `>` or `&` characters survive (they become
/// `\u003c` etc., which JSON parsers read back unchanged), so the script cannot be closed early.
pub fn script_safe_json(v: &Value) -> String {
    v.to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

fn cdata(s: &str) -> String {
    format!("<![CDATA[{}]]>", s.replace("]]>", "]]]]><![CDATA[>"))
}

fn indeed_job_type(t: EmploymentType) -> &'static str {
    match t {
        EmploymentType::FullTime => "fulltime",
        EmploymentType::PartTime => "parttime",
        EmploymentType::Contract => "contract",
        EmploymentType::Temporary => "temporary",
        EmploymentType::Internship => "internship",
    }
}

/// The Indeed-style XML feed of open jobs.
pub fn indeed_xml(jobs: &[JobRow], company: &str, public_url: &str) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<source>\n");
    out.push_str(&format!("<publisher>{}</publisher>\n", escape(company)));
    out.push_str(&format!(
        "<publisherurl>{}</publisherurl>\n",
        escape(public_url)
    ));
    out.push_str(&format!(
        "<lastBuildDate>{}</lastBuildDate>\n",
        chrono::Utc::now().to_rfc2822()
    ));
    for j in jobs {
        let (city, country) = split_location(&j.location);
        let salary = crate::approvals::types::salary_line(
            j.salary_min,
            j.salary_max,
            j.salary_currency.as_deref(),
            j.salary_period.as_deref(),
        );
        out.push_str("<job>\n");
        out.push_str(&format!("<title>{}</title>\n", cdata(&j.title)));
        out.push_str(&format!(
            "<date>{}</date>\n",
            cdata(&j.published_at.unwrap_or(j.created_at).to_rfc2822())
        ));
        out.push_str(&format!(
            "<referencenumber>{}</referencenumber>\n",
            cdata(&key(&j.id))
        ));
        out.push_str(&format!(
            "<requisitionid>{}</requisitionid>\n",
            cdata(&key(&j.id))
        ));
        out.push_str(&format!(
            "<url>{}</url>\n",
            cdata(&format!("{public_url}/jobs/{}", key(&j.id)))
        ));
        out.push_str(&format!("<company>{}</company>\n", cdata(company)));
        out.push_str(&format!("<sourcename>{}</sourcename>\n", cdata(company)));
        out.push_str(&format!(
            "<city>{}</city>\n",
            cdata(city.as_deref().unwrap_or(""))
        ));
        out.push_str(&format!(
            "<country>{}</country>\n",
            cdata(country.as_deref().unwrap_or(""))
        ));
        out.push_str(&format!(
            "<description>{}</description>\n",
            cdata(&description_html(&j.description))
        ));
        if let Some(s) = salary {
            out.push_str(&format!("<salary>{}</salary>\n", cdata(&s)));
        }
        out.push_str(&format!(
            "<jobtype>{}</jobtype>\n",
            cdata(indeed_job_type(j.employment_type()))
        ));
        if !j.department.is_empty() {
            out.push_str(&format!("<category>{}</category>\n", cdata(&j.department)));
        }
        if j.remote {
            out.push_str(&format!(
                "<remotetype>{}</remotetype>\n",
                cdata("Fully remote")
            ));
        }
        if let Some(until) = j.valid_through_or_default() {
            out.push_str(&format!(
                "<expirationdate>{}</expirationdate>\n",
                cdata(&until.format("%Y-%m-%d").to_string())
            ));
        }
        out.push_str("</job>\n");
    }
    out.push_str("</source>\n");
    out
}

/// RSS 2.0 feed of open jobs.
pub fn rss(jobs: &[JobRow], company: &str, public_url: &str) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n",
    );
    out.push_str(&format!(
        "<title>{}</title>\n",
        escape(&format!("Open jobs at {company}"))
    ));
    out.push_str(&format!(
        "<link>{}</link>\n",
        escape(&format!("{public_url}/jobs"))
    ));
    out.push_str(&format!(
        "<description>{}</description>\n",
        escape(&format!("Jobs you can apply for at {company}"))
    ));
    out.push_str(&format!(
        "<atom:link href=\"{}\" rel=\"self\" type=\"application/rss+xml\"/>\n",
        escape(&format!("{public_url}/jobs.rss"))
    ));
    for j in jobs {
        let url = format!("{public_url}/jobs/{}", key(&j.id));
        out.push_str("<item>\n");
        out.push_str(&format!("<title>{}</title>\n", escape(&j.title)));
        out.push_str(&format!("<link>{}</link>\n", escape(&url)));
        out.push_str(&format!(
            "<guid isPermaLink=\"true\">{}</guid>\n",
            escape(&url)
        ));
        out.push_str(&format!(
            "<pubDate>{}</pubDate>\n",
            j.published_at.unwrap_or(j.created_at).to_rfc2822()
        ));
        if !j.department.is_empty() {
            out.push_str(&format!("<category>{}</category>\n", escape(&j.department)));
        }
        out.push_str(&format!(
            "<description>{}</description>\n",
            escape(&description_html(&j.description))
        ));
        out.push_str("</item>\n");
    }
    out.push_str("</channel>\n</rss>\n");
    out
}

async fn open_jobs(st: &AppState) -> Result<Vec<JobRow>, Response> {
    repo::list_open(&st.db)
        .await
        .map_err(|_| (StatusCode::INTERNAL_SERVER_ERROR, "Please try again.").into_response())
}

/// `GET /jobs.xml`
pub async fn indeed_feed(State(st): State<AppState>) -> Response {
    match open_jobs(&st).await {
        Ok(jobs) => (
            [
                (header::CONTENT_TYPE, "application/xml; charset=utf-8"),
                (header::CACHE_CONTROL, "public, max-age=300"),
            ],
            indeed_xml(&jobs, &st.config.company_name, &st.config.public_url),
        )
            .into_response(),
        Err(r) => r,
    }
}

/// `GET /jobs.rss`
pub async fn rss_feed(State(st): State<AppState>) -> Response {
    match open_jobs(&st).await {
        Ok(jobs) => (
            [
                (header::CONTENT_TYPE, "application/rss+xml; charset=utf-8"),
                (header::CACHE_CONTROL, "public, max-age=300"),
            ],
            rss(&jobs, &st.config.company_name, &st.config.public_url),
        )
            .into_response(),
        Err(r) => r,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_split_into_city_and_country() {
        assert_eq!(
            split_location("Berlin, Germany"),
            (Some("Berlin".into()), Some("Germany".into()))
        );
        assert_eq!(split_location("Germany"), (None, Some("Germany".into())));
        assert_eq!(split_location(""), (None, None));
        assert_eq!(split_location("Remote"), (None, None));
    }

    #[test]
    fn json_cannot_close_the_script_tag() {
        let v = json!({ "description": "</script><script>alert(1)</script> & more" });
        let s = script_safe_json(&v);
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'));
        let back: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn cdata_survives_its_terminator() {
        assert_eq!(cdata("a]]>b"), "<![CDATA[a]]]]><![CDATA[>b]]>");
        assert_eq!(
            description_html("One <b>\n\nTwo & three"),
            "<p>One &lt;b&gt;</p><p>Two &amp; three</p>"
        );
    }
}
