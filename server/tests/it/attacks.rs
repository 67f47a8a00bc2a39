//! Attacks found in the security review, each tried against a running server: the server must
//! stay up and answer as it should. (Issue "Trustworthy under attack".)

use crate::common;

use common::*;
use reqwest::multipart::{Form, Part};
use serde_json::Value;
use server_fn::ServerFn;
use std::io::Write;
use surrealdb::types::RecordId;

const RECRUITER: &str = "recruiter@acme.test";
const SOURCER: &str = "sourcer@acme.test";
const MANAGER: &str = "manager@acme.test";

/// `size` bytes of spaces as one deflated ZIP entry named `word/document.xml`: a DOCX whose
/// text inflates far past what a resume needs.
fn docx_bomb(size: usize) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    zip.start_file("word/document.xml", options).unwrap();
    zip.write_all(b"<w:document><w:body><w:p><w:r><w:t>")
        .unwrap();
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..size / chunk.len() {
        zip.write_all(&chunk).unwrap();
    }
    zip.write_all(b"</w:t></w:r></w:p></w:body></w:document>")
        .unwrap();
    zip.finish().unwrap().into_inner()
}

/// A one-page PDF whose content stream inflates to `size` bytes.
fn pdf_bomb(size: usize) -> Vec<u8> {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    z.write_all(b"BT /F1 12 Tf 72 720 Td (Bomb) Tj ET\n")
        .unwrap();
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..size / chunk.len() {
        z.write_all(&chunk).unwrap();
    }
    let stream = z.finish().unwrap();
    let mut pdf = Vec::new();
    let mut offsets = Vec::new();
    pdf.extend_from_slice(b"%PDF-1.4\n");
    let objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R \
           /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_vec(),
        [
            format!(
                "<< /Length {} /Filter /FlateDecode >>\nstream\n",
                stream.len()
            )
            .into_bytes(),
            stream,
            b"\nendstream".to_vec(),
        ]
        .concat(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
    ];
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        pdf.extend_from_slice(body);
        pdf.extend_from_slice(b"\nendobj\n");
    }
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        pdf.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}

async fn apply(
    t: &TestApp,
    job: &str,
    name: &str,
    email: &str,
    phone: &str,
    file: (&str, Vec<u8>),
) -> reqwest::Response {
    let form = Form::new()
        .text("job_id", job.to_string())
        .text("name", name.to_string())
        .text("email", email.to_string())
        .text("phone", phone.to_string())
        .part("resume", Part::bytes(file.1).file_name(file.0.to_string()));
    t.client()
        .post(t.url(app::careers::api::Apply::PATH))
        .header("Origin", &t.base)
        .header("Accept", "application/json")
        .multipart(form)
        .send()
        .await
        .unwrap()
}

fn small_pdf() -> (&'static str, Vec<u8>) {
    ("cv.pdf", pdf_bytes(""))
}

async fn healthy(t: &TestApp) {
    let r = t.client().get(t.url("/healthz")).send().await.unwrap();
    assert!(r.status().is_success(), "the server is still up");
}

async fn one<T: surrealdb::types::SurrealValue>(t: &TestApp, q: &str) -> T {
    let mut r = t.state().db.query(q).await.unwrap();
    let v: Option<T> = r.take(0).unwrap();
    v.unwrap_or_else(|| panic!("no row for {q}"))
}

#[tokio::test]
async fn resume_bombs_are_stopped_and_the_application_still_goes_through() {
    let t = spawn_app().await;
    for (i, (file, bytes)) in [
        ("bomb.docx", docx_bomb(48 << 20)),
        ("bomb.pdf", pdf_bomb(48 << 20)),
    ]
    .into_iter()
    .enumerate()
    {
        assert!(bytes.len() < 1 << 20, "{file} is small on the wire");
        let email = format!("bomb{i}@example.org");
        let r = apply(&t, "rust-backend", "Bo Mb", &email, "", (file, bytes)).await;
        assert!(r.status().is_success(), "{file}: {}", r.status());
        assert_eq!(
            r.headers()["location"],
            "/jobs/rust-backend/applied?resume=too_complex",
            "{file}: the candidate is told the file could not be read"
        );
        let status: String = one(
            &t,
            &format!(
                "SELECT VALUE parse_status FROM resume WHERE person.email = '{email}' LIMIT 1"
            ),
        )
        .await;
        assert_eq!(status, "too_complex", "{file}");
        healthy(&t).await;
    }
    t.stop().await;
}

#[tokio::test]
async fn deeply_nested_searches_are_refused_everywhere_and_the_server_stays_up() {
    use app::pools::api::AddToPool;
    use app::search::api::SearchPeople;
    let t = spawn_app().await;
    let s = t.signed_in(SOURCER).await;
    let deep = "(".repeat(100_000);
    let r = t.call::<SearchPeople>(&s, &[("q", deep.as_str())]).await;
    assert_eq!(r.status(), 422);
    let pool: String = {
        let id: RecordId = one(
            &t,
            "CREATE ONLY pool SET name = 'Attack test', description = '' RETURN VALUE id",
        )
        .await;
        app::server::db::key(&id)
    };
    let r = t
        .call::<AddToPool>(
            &s,
            &[
                ("pool_id", pool.as_str()),
                ("search", "true"),
                ("q", deep.as_str()),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let nested = format!("{}rust{}", "(".repeat(5_000), ")".repeat(5_000));
    let r = s
        .get(t.url("/app/export/search"))
        .query(&[("q", nested.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    healthy(&t).await;
    t.stop().await;
}

#[tokio::test]
async fn sign_in_never_redirects_to_another_site() {
    use app::auth::api::Login;
    let t = spawn_app().await;
    for next in ["/\t/evil.example", "/\\evil.example", "//evil.example"] {
        let c = t.client();
        let r = t
            .call::<Login>(
                &c,
                &[
                    ("email", RECRUITER),
                    ("password", app::demo::DEMO_PASSWORD),
                    ("next", next),
                ],
            )
            .await;
        assert!(r.status().is_success() || r.status().is_redirection());
        assert_eq!(r.headers()["location"], "/app", "{next:?}");
    }
    t.stop().await;
}

#[tokio::test]
async fn exports_neutralise_formula_cells_from_public_forms() {
    let t = spawn_app().await;
    let r = apply(
        &t,
        "rust-backend",
        "=HYPERLINK(\"https://evil.example\",\"x\") Smith",
        "formula@example.org",
        "",
        small_pdf(),
    )
    .await;
    assert!(r.status().is_success(), "{}", r.status());
    let s = t.signed_in(SOURCER).await;
    let csv = s
        .get(t.url("/app/export/search"))
        .query(&[("q", "smith")])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let row = csv
        .lines()
        .find(|l| l.contains("formula@example.org"))
        .expect("the applicant is exported");
    assert!(
        row.starts_with("\"'=HYPERLINK("),
        "the formula is exported as text: {row}"
    );
    t.stop().await;
}

#[tokio::test]
async fn a_recruiter_cannot_approve_their_own_requisition() {
    use app::approvals::api::RequestApproval;
    use app::jobs::api::CreateJob;
    let t = spawn_app().await;
    let c = t.signed_in(RECRUITER).await;
    let me: RecordId = one(
        &t,
        "SELECT VALUE id FROM staff WHERE email = 'recruiter@acme.test'",
    )
    .await;
    let me = app::server::db::key(&me);
    let r = t
        .call::<CreateJob>(
            &c,
            &[
                ("title", "Self-approved role"),
                ("department", "Engineering"),
                ("location", "Lisbon"),
                ("employment_type", "full_time"),
                ("description", "d"),
                ("hiring_manager", ""),
                ("headcount", "1"),
                ("approvers[]", me.as_str()),
            ],
        )
        .await;
    assert!(r.status().is_success(), "{}", r.status());
    let job: String = r.json().await.unwrap();
    let r = t
        .call::<RequestApproval>(&c, &[("job_id", job.as_str())])
        .await;
    assert_eq!(r.status(), 422);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["Validation"][0]["field"], "approvers");
    let status: String = one(
        &t,
        &format!("SELECT VALUE approval_status FROM ONLY job:`{job}`"),
    )
    .await;
    assert_eq!(status, "not_requested");
    t.stop().await;
}

#[tokio::test]
async fn a_public_form_never_overwrites_an_existing_person() {
    use app::talent::api::TalentSignup;
    let t = spawn_app().await;
    let db = &t.state().db;
    // Someone who withdrew consent, with a phone number and searchable resume text.
    let victim: RecordId = one(
        &t,
        "SELECT VALUE id FROM person WHERE email != NONE LIMIT 1",
    )
    .await;
    db.query(
        "UPDATE $p SET consent_status = 'withdrawn', phone = '+44 20 7946 0000', resume_text = 'original text'",
    )
    .bind(("p", victim.clone()))
    .await
    .unwrap();
    let email: String = one(
        &t,
        &format!(
            "SELECT VALUE email FROM ONLY person:`{}`",
            app::server::db::key(&victim)
        ),
    )
    .await;
    let before: Value = one(
        &t,
        &format!(
            "SELECT first_name, last_name, phone, resume_text, consent_status, interests FROM ONLY person:`{}`",
            app::server::db::key(&victim)
        ),
    )
    .await;

    // A talent sign-up with their address…
    let r = t
        .call::<TalentSignup>(
            &t.client(),
            &[
                ("name", "Mallory Attacker"),
                ("email", email.as_str()),
                ("interests[]", "Engineering"),
                ("consent", "on"),
            ],
        )
        .await;
    assert!(
        r.status().is_success() || r.status().is_redirection(),
        "{}",
        r.status()
    );
    // …and an application with their address, another name, phone and resume.
    let job: RecordId = one(
        &t,
        &format!(
            "SELECT VALUE id FROM job WHERE status = 'open' AND id NOT IN \
             (SELECT VALUE job FROM application WHERE person = person:`{}`) LIMIT 1",
            app::server::db::key(&victim)
        ),
    )
    .await;
    let r = apply(
        &t,
        &app::server::db::key(&job),
        "Mallory Attacker",
        &email,
        "+1 555 0100",
        small_pdf(),
    )
    .await;
    assert!(r.status().is_success(), "{}", r.status());

    let after: Value = one(
        &t,
        &format!(
            "SELECT first_name, last_name, phone, resume_text, consent_status, interests FROM ONLY person:`{}`",
            app::server::db::key(&victim)
        ),
    )
    .await;
    assert_eq!(after, before, "nothing of the person changed");
    assert_eq!(after["consent_status"], "withdrawn");
    t.stop().await;
}

#[tokio::test]
async fn a_hiring_manager_sees_only_what_concerns_their_own_jobs() {
    use app::approvals::api::ApprovalSteps;
    use app::people::api::{AddNote, GetPerson};
    let t = spawn_app().await;
    let m = t.signed_in(MANAGER).await;
    let manager: RecordId = one(
        &t,
        "SELECT VALUE id FROM staff WHERE email = 'manager@acme.test'",
    )
    .await;
    let k = |id: &RecordId| app::server::db::key(id);
    // Someone who applied only to a job the manager does not manage.
    let other_job: RecordId = one(
        &t,
        &format!(
            "SELECT VALUE id FROM job WHERE hiring_manager != staff:`{}` AND status = 'open' LIMIT 1",
            k(&manager)
        ),
    )
    .await;
    let r = apply(
        &t,
        &k(&other_job),
        "Sam Stranger",
        "stranger@example.org",
        "",
        small_pdf(),
    )
    .await;
    assert!(r.status().is_success(), "{}", r.status());
    let stranger: RecordId = one(
        &t,
        "SELECT VALUE id FROM person WHERE email = 'stranger@example.org'",
    )
    .await;
    let their_resume: RecordId = one(
        &t,
        &format!(
            "SELECT VALUE resume FROM application WHERE person = person:`{}` LIMIT 1",
            k(&stranger)
        ),
    )
    .await;
    let r = t
        .call::<GetPerson>(&m, &[("person_id", k(&stranger).as_str())])
        .await;
    assert_eq!(r.status(), 403);
    let r = t
        .call::<AddNote>(&m, &[("person_id", k(&stranger).as_str()), ("body", "hi")])
        .await;
    assert_eq!(r.status(), 403);
    let r = m
        .get(t.url(&format!("/app/resumes/{}", k(&their_resume))))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = t
        .call::<ApprovalSteps>(&m, &[("job_id", k(&other_job).as_str())])
        .await;
    assert_eq!(r.status(), 403);

    // Someone in the manager's own pipeline who also applied elsewhere, with a recruiter's note.
    let mine: RecordId = one(
        &t,
        &format!(
            "SELECT VALUE person FROM application WHERE job.hiring_manager = staff:`{}` LIMIT 1",
            k(&manager)
        ),
    )
    .await;
    let elsewhere = other_job.clone();
    t.state()
        .db
        .query("CREATE application SET person = $p, person_name = 'x', job = $j, stage = 'applied', status = 'active', source = 'sourced', uniq = $u")
        .bind(("p", mine.clone()))
        .bind(("j", elsewhere.clone()))
        .bind(("u", format!("{}:{}", k(&mine), k(&elsewhere))))
        .await
        .unwrap()
        .check()
        .unwrap();
    let r = t.signed_in(RECRUITER).await;
    let res = t
        .call::<AddNote>(
            &r,
            &[
                ("person_id", k(&mine).as_str()),
                ("body", "Salary expectations: private"),
            ],
        )
        .await;
    assert!(res.status().is_success());
    let res = t
        .call::<AddNote>(
            &m,
            &[
                ("person_id", k(&mine).as_str()),
                ("body", "Strong system design"),
            ],
        )
        .await;
    assert!(
        res.status().is_success(),
        "a manager notes their own candidates"
    );
    let p: Value = t
        .call::<GetPerson>(&m, &[("person_id", k(&mine).as_str())])
        .await
        .json()
        .await
        .unwrap();
    let jobs: Vec<&str> = p["applications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["job_id"].as_str().unwrap())
        .collect();
    assert!(!jobs.is_empty());
    assert!(
        !jobs.contains(&k(&elsewhere).as_str()),
        "another job's application is hidden"
    );
    let notes: Vec<&str> = p["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["body"].as_str().unwrap())
        .collect();
    assert_eq!(notes, ["Strong system design"], "only their own notes");
    // The recruiter still sees everything.
    let full: Value = t
        .call::<GetPerson>(&r, &[("person_id", k(&mine).as_str())])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(full["notes"].as_array().unwrap().len(), 2);
    t.stop().await;
}

#[tokio::test]
async fn parallel_password_guesses_cannot_pass_the_limit_and_the_owner_is_not_locked_out() {
    use app::auth::api::{Login, Me};
    let t = spawn_app().await;
    // The owner signs in once from their browser.
    let owner = t.signed_in(SOURCER).await;
    let _ = t.call::<app::auth::api::Logout>(&owner, &[]).await;
    // A stranger fires 20 guesses at once.
    let guesses = (0..20).map(|_| {
        let c = t.client();
        let url = t.url(Login::PATH);
        let base = t.base.clone();
        tokio::spawn(async move {
            c.post(url)
                .header("Origin", base)
                .header("Accept", "application/json")
                .form(&[("email", SOURCER), ("password", "guess"), ("next", "/app")])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        })
    });
    let mut checked = 0;
    for g in guesses.collect::<Vec<_>>() {
        let status = g.await.unwrap();
        assert!(status == 422 || status == 429, "{status}");
        if status == 422 {
            checked += 1;
        }
    }
    assert!(
        checked <= 5,
        "{checked} guesses were checked; the limit is 5"
    );
    // The stranger is locked out, even with the right password…
    let r = t
        .call::<Login>(
            &t.client(),
            &[
                ("email", SOURCER),
                ("password", app::demo::DEMO_PASSWORD),
                ("next", "/app"),
            ],
        )
        .await;
    assert_eq!(r.status(), 429);
    // …but the owner's browser, known to the account, still signs in.
    let r = t
        .call::<Login>(
            &owner,
            &[
                ("email", SOURCER),
                ("password", app::demo::DEMO_PASSWORD),
                ("next", "/app"),
            ],
        )
        .await;
    assert!(
        r.status().is_success() || r.status().is_redirection(),
        "{}",
        r.status()
    );
    let me: Value = t.call::<Me>(&owner, &[]).await.json().await.unwrap();
    assert_eq!(me["email"], SOURCER);
    t.stop().await;
}

#[tokio::test]
async fn public_forms_are_limited_per_address() {
    let smtp = Smtp::start();
    let mut config = test_config(&smtp);
    config.public_forms_per_ip_hour = 3;
    let t = spawn_with(config, smtp).await;
    for i in 0..3 {
        let r = apply(
            &t,
            "rust-backend",
            "Ann Lee",
            &format!("ann{i}@example.org"),
            "",
            small_pdf(),
        )
        .await;
        assert!(r.status().is_success(), "{}", r.status());
    }
    let r = apply(
        &t,
        "rust-backend",
        "Ann Lee",
        "ann9@example.org",
        "",
        small_pdf(),
    )
    .await;
    assert_eq!(r.status(), 429);
    let n: i64 = one(
        &t,
        "RETURN array::len((SELECT VALUE id FROM application WHERE person.email = 'ann9@example.org'))",
    )
    .await;
    assert_eq!(n, 0);
    // The other public forms have their own allowance per address.
    use app::portal::api::RequestPortalLink;
    use app::talent::api::TalentSignup;
    for i in 0..4 {
        let email = format!("x{i}@example.org");
        let r = t
            .call::<RequestPortalLink>(&t.client(), &[("email", email.as_str())])
            .await;
        assert_eq!(
            r.status().as_u16() == 429,
            i == 3,
            "portal link {i}: {}",
            r.status()
        );
        let r = t
            .call::<TalentSignup>(
                &t.client(),
                &[
                    ("name", "Ann Lee"),
                    ("email", email.as_str()),
                    ("consent", "on"),
                ],
            )
            .await;
        assert_eq!(
            r.status().as_u16() == 429,
            i == 3,
            "sign-up {i}: {}",
            r.status()
        );
    }
    t.stop().await;
}

#[tokio::test]
async fn a_referral_adds_a_referral_and_never_edits_the_person() {
    let t = spawn_app().await;
    let person: RecordId = one(&t, "SELECT VALUE person FROM application LIMIT 1").await;
    let k = app::server::db::key(&person);
    let fields = format!(
        "SELECT first_name, last_name, phone, source, referred_by, resume_text FROM ONLY person:`{k}`"
    );
    let before: Value = one(&t, &fields).await;
    let email: String = one(&t, &format!("SELECT VALUE email FROM ONLY person:`{k}`")).await;
    let draft: RecordId = one(
        &t,
        "SELECT VALUE id FROM job WHERE status = 'draft' LIMIT 1",
    )
    .await;
    let c = t.signed_in("interviewer@acme.test").await;
    let refer = |job: String| {
        Form::new()
            .text("name", "Someone Else")
            .text("email", email.clone())
            .text("phone", "+1 555 0199")
            .text("relationship", "Former colleague")
            .text("note", "Great engineer")
            .text("job", job)
    };
    let send = |form: Form| {
        c.post(t.url(app::talent::api::ReferPerson::PATH))
            .header("Origin", &t.base)
            .header("Accept", "application/json")
            .multipart(form)
            .send()
    };
    let r = send(refer(app::server::db::key(&draft))).await.unwrap();
    assert_eq!(r.status(), 422, "not to a job that is not open");
    let r = send(refer(String::new())).await.unwrap();
    assert!(
        r.status().is_success() || r.status().is_redirection(),
        "{}",
        r.status()
    );
    let after: Value = one(&t, &fields).await;
    assert_eq!(after, before);
    let referred: i64 = one(
        &t,
        &format!("RETURN array::len((SELECT VALUE id FROM activity WHERE person = person:`{k}` AND kind = 'referred'))"),
    )
    .await;
    assert_eq!(referred, 1, "the referral is recorded");
    t.stop().await;
}

#[tokio::test]
async fn pages_carry_a_nonce_policy_and_private_pages_are_never_stored() {
    let t = spawn_app().await;
    let r = t.signed_in(RECRUITER).await;
    for (path, private) in [("/jobs", false), ("/app", true), ("/portal", true)] {
        let res = r.get(t.url(path)).send().await.unwrap();
        assert_eq!(res.status(), 200, "{path}");
        let csp = res.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_string();
        let cache = res
            .headers()
            .get("cache-control")
            .map(|v| v.to_str().unwrap().to_string());
        let html = res.text().await.unwrap();
        let nonce = csp
            .split("'nonce-")
            .nth(1)
            .and_then(|r| r.split('\'').next())
            .expect("a nonce in the policy");
        assert!(csp.contains("object-src 'none'") && csp.contains("base-uri 'none'"));
        assert!(
            html.contains(&format!("nonce=\"{nonce}\"")),
            "{path}: Leptos's scripts carry the policy's nonce"
        );
        // Staff pages hydrate (WebAssembly allowed); public pages are HTML with one script.
        let staff = path.starts_with("/app");
        assert_eq!(csp.contains("'wasm-unsafe-eval'"), staff, "{path}: {csp}");
        assert_eq!(html.contains("/pkg/ats.js"), staff, "{path}");
        assert_eq!(
            html.contains(&format!("src=\"/enhance.js\" nonce=\"{nonce}\"")),
            !staff,
            "{path}"
        );
        assert_eq!(
            cache.as_deref() == Some("no-store"),
            private,
            "{path}: {cache:?}"
        );
    }
    // Another response, another nonce.
    let a = t.client().get(t.url("/jobs")).send().await.unwrap();
    let b = t.client().get(t.url("/jobs")).send().await.unwrap();
    assert_ne!(
        a.headers()["content-security-policy"],
        b.headers()["content-security-policy"]
    );
    t.stop().await;
}

#[tokio::test]
async fn sourcers_do_not_see_draft_jobs() {
    use app::campaigns::api::GetBuilderChoices;
    use app::search::api::{SearchFilterOptions, SearchPeople};
    let t = spawn_app().await;
    let draft: String = one(
        &t,
        "SELECT VALUE title FROM job WHERE status = 'draft' LIMIT 1",
    )
    .await;
    let draft_id: String = one(
        &t,
        "SELECT VALUE record::id(id) FROM job WHERE status = 'draft' LIMIT 1",
    )
    .await;
    let titles = |v: &Value| -> Vec<String> {
        v["jobs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|j| j[1].as_str().unwrap().to_string())
            .collect()
    };
    let s = t.signed_in(SOURCER).await;
    let r = t.signed_in(RECRUITER).await;
    for (who, c, sees) in [("sourcer", &s, false), ("recruiter", &r, true)] {
        let options: Value = t
            .call::<SearchFilterOptions>(c, &[])
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            titles(&options).contains(&draft),
            sees,
            "{who}: search filters"
        );
        let choices: Value = t
            .call::<GetBuilderChoices>(c, &[])
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            titles(&choices).contains(&draft),
            sees,
            "{who}: campaign builder"
        );
        // Nor can a sourcer filter by a draft's id: that would list who applied to it.
        let expected = if sees { 200 } else { 422 };
        let r = t
            .call::<SearchPeople>(c, &[("q", ""), ("job", draft_id.as_str())])
            .await;
        assert_eq!(r.status(), expected, "{who}: search by a draft job");
        let r = t
            .call::<SearchPeople>(c, &[("q", "rust"), ("job", draft_id.as_str())])
            .await;
        assert_eq!(
            r.status(),
            expected,
            "{who}: full-text search by a draft job"
        );
        let r = c
            .get(t.url("/app/export/search"))
            .query(&[("q", ""), ("job", draft_id.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), expected, "{who}: export by a draft job");
    }
    t.stop().await;
}

#[tokio::test]
async fn a_live_board_stream_ends_when_its_session_ends() {
    use futures::StreamExt;
    let t = spawn_app().await;
    let r = t.signed_in(RECRUITER).await;
    let events = r
        .get(t.url("/app/jobs/data-analyst/events"))
        .send()
        .await
        .unwrap();
    assert_eq!(events.status(), 200);
    let mut stream = events.bytes_stream();
    // The stream is live (the presence list comes first)…
    let first = tokio::time::timeout(std::time::Duration::from_secs(5), stream.next())
        .await
        .expect("a first event")
        .expect("a chunk")
        .unwrap();
    assert!(String::from_utf8_lossy(&first).contains("presence"));
    // …until the session ends: signed out elsewhere, the stream closes at the next check.
    let res = t.call::<app::auth::api::Logout>(&r, &[]).await;
    assert!(res.status().is_success() || res.status().is_redirection());
    let ended = tokio::time::timeout(std::time::Duration::from_secs(30), async {
        while let Some(chunk) = stream.next().await {
            if chunk.is_err() {
                break;
            }
        }
    })
    .await;
    assert!(ended.is_ok(), "the stream still runs 30 s after sign-out");
    t.stop().await;
}
