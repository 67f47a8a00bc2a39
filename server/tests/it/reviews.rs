//! Human review on request: a candidate asks from the portal for a person to review their
//! application; it lands on the recruiters' list; the answer reaches the candidate by email and
//! in the portal. Nobody asks about someone else's application.

use crate::common::*;
use app::portal::api::MyPortal;
use app::reviews::api::{AnswerReviewRequest, ListReviewRequests, RequestHumanReview};
use serde_json::Value;

#[tokio::test]
async fn a_candidate_asks_for_a_human_review_and_a_recruiter_answers() {
    let t = spawn_app().await;
    let candidate = t
        .candidate_in_portal("rust-backend", "Rhea Review", "rhea.review@example.org")
        .await;
    let portal = t.json::<MyPortal>(&candidate, &[]).await;
    let app_id = portal["applications"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(portal["applications"][0]["review"], Value::Null);

    // Someone else's application reads as missing; a note too long is named.
    let res = t
        .call::<RequestHumanReview>(&candidate, &[("application_id", "demo-app-001")])
        .await;
    assert_eq!(res.status(), 404);
    let long = "x".repeat(1001);
    let res = t
        .call::<RequestHumanReview>(&candidate, &[("application_id", &app_id), ("note", &long)])
        .await;
    assert_eq!(res.status(), 422);
    for _ in 0..2 {
        let res = t
            .call::<RequestHumanReview>(
                &candidate,
                &[
                    ("application_id", &app_id),
                    ("note", "My Rust experience is in the second section."),
                ],
            )
            .await;
        assert!(res.status().is_success(), "{}", res.status());
    }
    let portal = t.json::<MyPortal>(&candidate, &[]).await;
    assert_eq!(portal["applications"][0]["review"]["status"], "open");

    // One request (asking twice files it once) on the recruiters' list.
    let recruiter = t.signed_in("recruiter@acme.test").await;
    let list = t.json::<ListReviewRequests>(&recruiter, &[]).await;
    let mine: Vec<&Value> = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["application_id"] == app_id.as_str())
        .collect();
    assert_eq!(mine.len(), 1, "{list}");
    assert_eq!(mine[0]["person_name"], "Rhea Review");
    assert_eq!(
        mine[0]["note"],
        "My Rust experience is in the second section."
    );
    let request = mine[0]["id"].as_str().unwrap().to_string();

    let empty = t
        .call::<AnswerReviewRequest>(&recruiter, &[("request_id", &request), ("answer", " ")])
        .await;
    assert_eq!(empty.status(), 422);
    let answer = "We read it again and moved you to the phone screen.";
    let ok = t
        .call::<AnswerReviewRequest>(&recruiter, &[("request_id", &request), ("answer", answer)])
        .await;
    assert!(ok.status().is_success(), "{}", ok.status());
    let again = t
        .call::<AnswerReviewRequest>(&recruiter, &[("request_id", &request), ("answer", answer)])
        .await;
    assert_eq!(again.status(), 409);

    // The candidate hears back by email and sees it in the portal and on the timeline.
    let mails = t.smtp.wait_for("rhea.review@example.org", 2).await;
    let text = body(&mails[1]);
    assert!(text.contains(answer), "{text}");
    assert!(text.contains("Riley Recruiter"), "{text}");
    let portal = t.json::<MyPortal>(&candidate, &[]).await;
    let a = &portal["applications"][0];
    assert_eq!(a["review"]["status"], "done");
    assert_eq!(a["review"]["answer"], answer);
    let timeline = a["timeline"].to_string();
    assert!(timeline.contains("You asked for a person to review this application"));
    assert!(timeline.contains(answer));
    let list = t.json::<ListReviewRequests>(&recruiter, &[]).await;
    assert!(
        !list
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["application_id"] == app_id.as_str())
    );
}
