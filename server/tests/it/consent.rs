//! Consent at the source: the application form shows the privacy notice in force and asks
//! separately about the talent pool; each answer is recorded with its basis, time, notice
//! version, words and address; admins publish new versions; campaigns reach only the people
//! whose basis allows it.

use crate::common;

use app::campaigns::sequence::Step;
use app::privacy::api::{GetPrivacyNotice, SavePrivacyNotice};
use common::*;
use serde_json::Value;
use surrealdb::types::SurrealValue;

#[derive(Debug, SurrealValue)]
struct Event {
    purpose: String,
    basis: String,
    given: bool,
    notice_version: Option<i64>,
    wording: String,
    ip: Option<String>,
    source: String,
}

async fn events(t: &TestApp, email: &str) -> Vec<Event> {
    t.state()
        .db
        .query(
            "SELECT purpose, basis, given, notice_version, wording, ip, source, at FROM consent_event
             WHERE person = (SELECT VALUE id FROM ONLY person WHERE email = $e LIMIT 1)
             ORDER BY purpose",
        )
        .bind(("e", email.to_string()))
        .await
        .unwrap()
        .take(0)
        .unwrap()
}

async fn consent_of(t: &TestApp, email: &str) -> (String, Option<String>) {
    #[derive(Debug, SurrealValue)]
    struct Row {
        consent_status: String,
        consent_basis: Option<String>,
    }
    let mut r = t
        .state()
        .db
        .query("SELECT consent_status, consent_basis FROM ONLY person WHERE email = $e LIMIT 1")
        .bind(("e", email.to_string()))
        .await
        .unwrap();
    let row: Option<Row> = r.take(0).unwrap();
    let row = row.expect("the person exists");
    (row.consent_status, row.consent_basis)
}

fn pdf() -> (&'static str, Vec<u8>) {
    ("cv.pdf", pdf_bytes("Resume"))
}

#[tokio::test]
async fn the_forms_record_what_people_read_and_agreed_to_and_campaigns_follow_it() {
    let t = spawn_app().await;
    let anyone = t.client();

    // The first notice, with its talent-pool question, is there on a fresh installation.
    let v1 = t.json::<GetPrivacyNotice>(&anyone, &[]).await;
    assert_eq!(v1["version"], 1);
    let wording_v1 = v1["pool_wording"].as_str().unwrap().to_string();
    assert!(wording_v1.contains("talent pool"), "{wording_v1}");

    // Applying with the box ticked: the application's basis and the pool consent, each with
    // the version read, the words and the address.
    apply_with(
        &t,
        &t.client(),
        "rust-backend",
        ("Tick Yes", "tick.yes@example.org", ""),
        pdf(),
        &[("talent_pool", "yes"), ("notice_version", "1")],
    )
    .await;
    let yes = events(&t, "tick.yes@example.org").await;
    assert_eq!(yes.len(), 2, "{yes:?}");
    let (application, pool) = (&yes[0], &yes[1]);
    assert_eq!(
        (application.purpose.as_str(), application.basis.as_str()),
        ("application", "legitimate_interest")
    );
    assert_eq!(application.notice_version, Some(1));
    assert_eq!(application.wording, v1["summary"].as_str().unwrap());
    assert_eq!(
        (pool.purpose.as_str(), pool.basis.as_str(), pool.given),
        ("talent_pool", "consent", true)
    );
    assert_eq!(pool.wording, wording_v1);
    assert_eq!(pool.source, "apply_form");
    assert_eq!(pool.ip.as_deref(), Some("127.0.0.1"));
    assert_eq!(
        consent_of(&t, "tick.yes@example.org").await,
        ("granted".into(), Some("consent".into()))
    );

    // Only admins publish; an empty notice is refused and publishes nothing.
    let recruiter = t.signed_in("recruiter@acme.test").await;
    let new_notice = [
        ("summary", "Acme keeps your application for 12 months."),
        (
            "body",
            "Who we are\nAcme Ltd.\n\nYour rights\nAsk us anything.",
        ),
        (
            "pool_wording",
            "Yes, keep me in Acme's talent pool for 24 months.",
        ),
    ];
    assert_eq!(
        t.call::<SavePrivacyNotice>(&recruiter, &new_notice)
            .await
            .status(),
        403
    );
    let admin = t.signed_in("admin@acme.test").await;
    let empty = t
        .call::<SavePrivacyNotice>(
            &admin,
            &[("summary", " "), ("body", "x"), ("pool_wording", "y")],
        )
        .await;
    assert_eq!(empty.status(), 422);
    let published = t.json::<SavePrivacyNotice>(&admin, &new_notice).await;
    assert_eq!(published, 2);
    // Without the markers Leptos puts after a text it may replace (`<!>`).
    let page = t.text(&anyone, "/privacy").await.replace("<!>", "");
    assert!(page.contains("Version 2"), "the public notice page");
    assert!(page.contains("Acme keeps your application for 12 months."));
    assert!(page.contains("<h2>Your rights</h2>"));
    // The application form shows the new version's words.
    let job_page = t.text(&anyone, "/jobs/rust-backend").await;
    assert!(
        job_page.contains("Yes, keep me in Acme&#x27;s talent pool")
            || job_page.contains("Yes, keep me in Acme's talent pool")
    );
    assert!(job_page.contains(r#"name="notice_version" value="2""#));

    // Someone who read version 1 (the page was open before) and sent the form after the
    // change is recorded with version 1; the box left empty gives no pool consent.
    apply_with(
        &t,
        &t.client(),
        "rust-backend",
        ("Tick No", "tick.no@example.org", ""),
        pdf(),
        &[("notice_version", "1")],
    )
    .await;
    let no = events(&t, "tick.no@example.org").await;
    assert_eq!(no.len(), 1, "{no:?}");
    assert_eq!(no[0].purpose, "application");
    assert_eq!(no[0].notice_version, Some(1));
    assert_eq!(
        consent_of(&t, "tick.no@example.org").await,
        ("unknown".into(), None)
    );
    // A version that does not exist is recorded as the one in force.
    apply_with(
        &t,
        &t.client(),
        "rust-backend",
        ("Tick Later", "tick.later@example.org", ""),
        pdf(),
        &[("talent_pool", "yes"), ("notice_version", "99")],
    )
    .await;
    let later = events(&t, "tick.later@example.org").await;
    assert_eq!(later[1].notice_version, Some(2));
    assert_eq!(
        later[1].wording,
        "Yes, keep me in Acme's talent pool for 24 months."
    );

    // A campaign to all of them: the two who agreed and a sourced prospect (legitimate
    // interest) are enrolled; the applicant who did not tick the box, and a sourced prospect
    // who objected, are not.
    let st = t.state();
    st.db
        .query(
            "UPDATE person SET tags = ['consent-check'] WHERE email IN $emails RETURN NONE;
             CREATE person:li_prospect SET first_name = 'Lia', last_name = 'Prospect',
                email = 'lia@example.org', source = 'sourced', tags = ['consent-check'],
                consent_basis = 'legitimate_interest' RETURN NONE;
             CREATE person:li_objected SET first_name = 'Obi', last_name = 'Objected',
                email = 'obi@example.org', source = 'sourced', tags = ['consent-check'],
                consent_basis = 'legitimate_interest', consent_status = 'withdrawn' RETURN NONE;",
        )
        .bind((
            "emails",
            vec![
                "tick.yes@example.org",
                "tick.no@example.org",
                "tick.later@example.org",
            ],
        ))
        .await
        .unwrap()
        .check()
        .unwrap();
    let input =
        app::campaigns::types::CampaignInput::parse("Consent check", "consent-check", "x", "x")
            .unwrap();
    let actor = app::server::activity::Actor::system();
    let c = app::campaigns::repo::create(&st.db, &input, &actor)
        .await
        .unwrap();
    app::campaigns::repo::save_steps(
        &st.db,
        &c,
        &[Step::Email {
            id: "e1".into(),
            subject: "Roles for you".into(),
            subject_b: None,
            body: "Hi {{first_name}}".into(),
        }],
    )
    .await
    .unwrap();
    let (enrolled, skipped) = app::campaigns::engine::launch(st, &c, &actor)
        .await
        .unwrap();
    assert_eq!((enrolled, skipped), (3, 2));
    let mut r = st
        .db
        .query(
            "SELECT VALUE person.email FROM enrollment WHERE campaign = $c ORDER BY person.email",
        )
        .bind(("c", c.clone()))
        .await
        .unwrap();
    let mut reached: Vec<String> = r.take(0).unwrap();
    reached.sort();
    assert_eq!(
        reached,
        [
            "lia@example.org",
            "tick.later@example.org",
            "tick.yes@example.org"
        ]
    );
}

#[tokio::test]
async fn staff_record_a_basis_and_the_candidate_withdraws_in_the_privacy_centre() {
    use app::people::api::{GetCrmProfile, UpdateCrm};
    use app::privacy::api::SaveMyConsent;
    let t = spawn_app().await;
    let candidate = t.client();
    apply_with(
        &t,
        &candidate,
        "rust-backend",
        ("Wanda Withdraw", "wanda@example.org", ""),
        pdf(),
        &[("talent_pool", "yes"), ("notice_version", "1")],
    )
    .await;
    let text = body(&t.smtp.wait_for("wanda@example.org", 1).await[0]);
    assert!(
        text.contains("You also asked us to keep your details in our talent pool"),
        "{text}"
    );
    t.portal_sign_in(&candidate, "wanda@example.org").await;

    // The candidate leaves the talent pool: withdrawn, in the ledger from their address.
    let res = t
        .call::<SaveMyConsent>(&candidate, &[("keep[]", "job_alerts")])
        .await;
    assert!(res.status().is_success(), "{}", res.status());
    assert_eq!(consent_of(&t, "wanda@example.org").await.0, "withdrawn");
    let ledger = events(&t, "wanda@example.org").await;
    let withdrawn: Vec<_> = ledger
        .iter()
        .filter(|e| e.purpose == "talent_pool" && !e.given)
        .collect();
    assert_eq!(withdrawn.len(), 1, "{ledger:?}");
    assert_eq!(withdrawn[0].source, "privacy_centre");
    assert_eq!(withdrawn[0].notice_version, Some(1));

    // A sourcer sees the record on the profile; recording legitimate interest with "granted"
    // is refused (granted means they agreed), "consent" for granted is kept and logged.
    let sourcer = t.signed_in("sourcer@acme.test").await;
    let mut r = t
        .state()
        .db
        .query("SELECT VALUE record::id(id) FROM ONLY person WHERE email = 'wanda@example.org' LIMIT 1")
        .await
        .unwrap();
    let pid: Option<String> = r.take(0).unwrap();
    let pid = pid.unwrap();
    let refused = t
        .call::<UpdateCrm>(
            &sourcer,
            &[
                ("person_id", &pid),
                ("consent", "granted"),
                ("basis", "legitimate_interest"),
            ],
        )
        .await;
    assert_eq!(refused.status(), 422);
    let ok = t
        .call::<UpdateCrm>(
            &sourcer,
            &[
                ("person_id", &pid),
                ("consent", "granted"),
                ("basis", "consent"),
            ],
        )
        .await;
    assert!(ok.status().is_success(), "{}", ok.status());
    let profile = t
        .json::<GetCrmProfile>(&sourcer, &[("person_id", &pid)])
        .await;
    assert_eq!(profile["consent_basis"], "consent");
    let record = profile["consent_record"].as_array().unwrap();
    assert_eq!(record.len(), 4, "{record:?}");
    assert_eq!(record[0]["source"], "Set by Sam Sourcer");
    assert_eq!(record[0]["given"], true);
    assert!(
        record
            .iter()
            .any(|e| e["source"] == "Privacy centre" && e["given"] == false)
    );
}

#[tokio::test]
async fn a_region_asks_its_talent_pool_to_renew_and_those_who_do_not_answer_leave() {
    use app::privacy::api::{GetRetention, RenewConsent, SaveRegionPolicy};
    let t = spawn_app().await;
    let st = t.state();
    let admin = t.signed_in("admin@acme.test").await;

    // A region needs countries; a country belongs to one region.
    let bad = t
        .call::<SaveRegionPolicy>(
            &admin,
            &[
                ("name", "Freedonia"),
                ("countries", " , "),
                ("reconsent_months", "12"),
            ],
        )
        .await;
    assert_eq!(bad.status(), 422);
    assert!(bad.text().await.unwrap().contains("countries"));
    let ok = t
        .call::<SaveRegionPolicy>(
            &admin,
            &[
                ("name", "Freedonia"),
                ("countries", "Freedonia, Sylvania"),
                ("reconsent_months", "12"),
                ("grace_days", "14"),
            ],
        )
        .await;
    assert!(ok.status().is_success(), "{}", ok.status());
    let dup = t
        .call::<SaveRegionPolicy>(
            &admin,
            &[("name", "Sylvania only"), ("countries", "sylvania")],
        )
        .await;
    assert_eq!(dup.status(), 422);
    assert!(
        dup.text()
            .await
            .unwrap()
            .contains("sylvania is already in Freedonia")
    );

    // Talent-pool members: one whose consent is old (asked now), one whose is fresh, two asked
    // 20 days ago who did not answer (one has an open application), and one elsewhere, where
    // consent is not renewed.
    let long_ago = chrono::Utc::now() - chrono::Duration::days(400);
    let asked = chrono::Utc::now() - chrono::Duration::days(20);
    st.db
        .query(
            "CREATE person:fc_old SET first_name = 'Fay', last_name = 'Old', email = 'fay@example.org',
                location = 'Fredville, Freedonia', consent_status = 'granted', consent_basis = 'consent',
                consent_at = $long_ago;
             CREATE person:fc_new SET first_name = 'Finn', last_name = 'New', email = 'finn@example.org',
                location = 'Sylvan, Sylvania', consent_status = 'granted', consent_basis = 'consent',
                consent_at = time::now();
             CREATE person:fc_silent SET first_name = 'Sid', last_name = 'Silent', email = 'sid@example.org',
                location = 'Fredville, Freedonia', consent_status = 'granted', consent_basis = 'consent',
                consent_at = $long_ago, reconsent_asked_at = $asked;
             CREATE person:fc_busy SET first_name = 'Bea', last_name = 'Busy', email = 'bea@example.org',
                location = 'Fredville, Freedonia', consent_status = 'granted', consent_basis = 'consent',
                consent_at = $long_ago, reconsent_asked_at = $asked;
             CREATE application SET person = person:fc_busy, job = job:`rust-backend`, stage = 'applied',
                status = 'active', uniq = 'fc_busy:rust-backend';
             CREATE person:elsewhere SET first_name = 'Ezra', last_name = 'Elsewhere', email = 'ezra@example.org',
                location = 'Cair Paravel, Narnia', consent_status = 'granted', consent_basis = 'consent',
                consent_at = $long_ago;",
        )
        .bind(("long_ago", long_ago))
        .bind(("asked", asked))
        .await
        .unwrap()
        .check()
        .unwrap();

    // The page previews what a run does now.
    let r = t.json::<GetRetention>(&admin, &[]).await;
    let region = &r["regions"][0];
    assert_eq!(region["name"], "Freedonia");
    assert_eq!(
        region["countries"],
        serde_json::json!(["freedonia", "sylvania"])
    );
    assert_eq!(
        (&region["reconsent_total"], &region["lapsing_total"]),
        (&Value::from(1), &Value::from(2)),
        "{r}"
    );
    assert_eq!(r["reconsent_months"], Value::Null);

    // What runs is what it previewed, once.
    let done = app::privacy::retention::apply_retention(st, chrono::Utc::now())
        .await
        .unwrap();
    assert_eq!((done.asked, done.lapsed), (1, 2));
    let again = app::privacy::retention::apply_retention(st, chrono::Utc::now())
        .await
        .unwrap();
    assert_eq!((again.asked, again.lapsed, again.erased), (0, 0, 0));
    // The silent member without an application is erased; the one with an open application
    // stays, out of the talent pool, with the reason in the consent record.
    let mut q = st
        .db
        .query(
            "SELECT VALUE erased_at != NONE FROM person:fc_silent;
             SELECT VALUE [consent_status, erased_at = NONE] FROM person:fc_busy;
             SELECT VALUE source FROM consent_event WHERE person = person:fc_busy AND given = false;",
        )
        .await
        .unwrap();
    let silent_erased: Vec<bool> = q.take(0).unwrap();
    assert_eq!(silent_erased, [true]);
    let busy: Vec<Vec<Value>> = q.take(1).unwrap();
    assert_eq!(busy, [[Value::from("withdrawn"), Value::from(true)]]);
    let sources: Vec<String> = q.take(2).unwrap();
    assert_eq!(sources, ["retention"]);
    let runs = t.json::<GetRetention>(&admin, &[]).await;
    assert_eq!(runs["runs"][0]["region"], "Freedonia");
    assert_eq!(runs["runs"][0]["asked"], 1);
    assert_eq!(runs["runs"][0]["lapsed"], 2);

    // Fay gets the renewal email; opening the link changes nothing, the button renews.
    let mails = t.smtp.wait_for("fay@example.org", 1).await;
    let link = find_link(&body(&mails[0]), &format!("{}/talent/renew?token=", t.base)).unwrap();
    let anyone = t.client();
    let page = t.text(&anyone, &link).await;
    assert!(
        page.contains("Hi Fay, do you want to stay in our talent pool?"),
        "{page}"
    );
    let forged = t.text(&anyone, "/talent/renew?token=forged").await;
    assert!(forged.contains("This link is not valid."));
    let token = percent_decode(link.split("token=").nth(1).unwrap());
    let res = t
        .call::<RenewConsent>(&anyone, &[("token", &token), ("stay", "yes")])
        .await;
    assert!(res.status().is_success(), "{}", res.status());
    let mut q = st
        .db
        .query(
            "SELECT VALUE [consent_status, reconsent_asked_at = NONE, consent_at > time::now() - 1m]
                FROM person:fc_old;
             SELECT VALUE source FROM consent_event WHERE person = person:fc_old AND given = true;",
        )
        .await
        .unwrap();
    let fay: Option<Vec<Value>> = q.take(0).unwrap();
    assert_eq!(
        fay.unwrap(),
        [Value::from("granted"), Value::from(true), Value::from(true)]
    );
    let sources: Vec<String> = q.take(1).unwrap();
    assert_eq!(sources, ["reconsent"]);
    // Renewed, Fay is not asked again at the next run.
    let next = app::privacy::retention::apply_retention(st, chrono::Utc::now())
        .await
        .unwrap();
    assert_eq!(next.asked, 0);
}
