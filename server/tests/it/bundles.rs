//! What a page loads (`app::bundles`): public pages are HTML with one small script and no
//! WebAssembly; staff pages and staff sign-in hydrate with the staff bundle, a job's board with
//! its own. How a public
//! page's plain form post answers: back to the page, saying what was done, or with the error.
//! And the board's weight in HTML: one card's "Move to" form at a time, the first cards of a
//! long column.

use crate::common::*;
use server_fn::ServerFn;

/// Whether the page hydrates with the staff bundle or the board's, or loads the public pages'
/// script.
fn loads(html: &str) -> (&'static str, bool) {
    let staff = html.contains("\"/pkg/ats.js\"");
    let board = html.contains("\"/pkg/board/ats.js\"");
    let enhance = html.contains("src=\"/enhance.js\"");
    assert_eq!(
        [staff, board, enhance].iter().filter(|x| **x).count(),
        1,
        "one of them"
    );
    (
        match (staff, board) {
            (true, _) => "ats",
            (_, true) => "board",
            _ => "enhance",
        },
        html.contains(".wasm"),
    )
}

#[tokio::test]
async fn public_pages_are_html_with_one_script_and_staff_pages_hydrate() {
    let t = spawn_app().await;
    let visitor = t.client();
    for path in [
        "/",
        "/jobs",
        "/jobs/rust-backend",
        "/talent",
        "/no-such-page",
        "/portal",
        "/portal/signin",
        "/privacy",
    ] {
        assert_eq!(
            loads(&t.text(&visitor, path).await),
            ("enhance", false),
            "{path}"
        );
    }
    // Staff sign-in and account pages load what the next (staff) page needs.
    for path in ["/login", "/password/reset"] {
        assert_eq!(
            loads(&t.text(&visitor, path).await),
            ("ats", true),
            "{path}"
        );
    }
    let recruiter = t.signed_in("recruiter@acme.test").await;
    for (path, want) in [
        ("/app", "ats"),
        ("/app/jobs/rust-backend", "ats"),
        ("/app/jobs/rust-backend/board", "board"),
        ("/app/jobs/rust-backend/board?all=applied", "board"),
        ("/app/jobs/rust-backend/plan", "ats"),
        ("/jobs", "enhance"),
    ] {
        assert_eq!(loads(&t.text(&recruiter, path).await).0, want, "{path}");
    }
    t.stop().await;
}

#[tokio::test]
async fn a_plain_form_post_goes_back_to_its_page_saying_what_was_done() {
    use app::privacy::api::CorrectMyDetails;
    let t = spawn_app().await;
    let candidate = t
        .candidate_in_portal("rust-backend", "Dora Done", "dora.done@example.org")
        .await;
    // As a browser posts a form: it accepts HTML and says which page the form was on.
    let post = |referer: String, first_name: &'static str| {
        candidate
            .post(t.url(CorrectMyDetails::PATH))
            .header("Origin", t.url(""))
            .header("Referer", referer)
            .header("Accept", "text/html,application/xhtml+xml")
            .form(&[
                ("first_name", first_name),
                ("last_name", "Done"),
                ("phone", ""),
                ("location", "Lisbon"),
            ])
    };
    let saved = post(t.url("/portal"), "Dora").send().await.unwrap();
    assert_eq!(saved.status(), 302);
    let back = saved.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(back, "/portal?done=details");
    let page = t.text(&candidate, &back).await;
    assert!(page.contains("Saved."), "the page says so");
    assert!(
        page.contains("value=\"Lisbon\""),
        "and shows what was saved"
    );

    // A failed post from that page: the error, and no stale "Saved.".
    let failed = post(t.url(&back), "").send().await.unwrap();
    assert_eq!(failed.status(), 302);
    let back = failed.headers()["location"].to_str().unwrap().to_string();
    assert!(back.contains("__err="), "{back}");
    let page = t.text(&candidate, &back).await;
    assert!(!page.contains("Saved."), "{back}");
    assert!(page.contains("Enter your first name"), "{back}");
    t.stop().await;
}

#[tokio::test]
async fn the_board_carries_a_move_form_only_for_the_card_being_moved() {
    use app::pipeline::api::MoveCard;
    let t = spawn_app().await;
    let r = t.signed_in("recruiter@acme.test").await;
    let (id, from, to) = t.a_card_to_move(&r).await;
    let (id, from, to) = (id.as_str(), from.as_str(), to.as_str());

    // Every card links to its form; no form is on the page.
    let page = t.text(&r, "/app/jobs/data-analyst/board?tag=").await;
    assert!(!page.contains("class=\"move-form\""));
    assert!(
        page.contains(&format!("href=\"?tag=&amp;move={id}\"")),
        "the link keeps the filters"
    );
    // The link's page: that card's form, open, its choice focused.
    let path = format!("/app/jobs/data-analyst/board?move={id}");
    let page = t.text(&r, &path).await;
    assert_eq!(page.matches("class=\"move-form\"").count(), 1);
    assert!(
        page.contains(&format!("id=\"move-{id}\" autofocus")),
        "{page}"
    );

    // Posted as a browser without JavaScript posts it: back to the board, the form closed, the
    // moved card kept in view (its new column may be long).
    let moved = r
        .post(t.url(MoveCard::PATH))
        .header("Origin", t.url(""))
        .header("Referer", t.url(&path))
        .header("Accept", "text/html,application/xhtml+xml")
        .form(&[
            ("job_id", "data-analyst"),
            ("application_id", id),
            ("from", from),
            ("to", to),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(moved.status(), 302);
    assert_eq!(
        moved.headers()["location"].to_str().unwrap(),
        format!("/app/jobs/data-analyst/board?kept={id}")
    );
    t.stop().await;
}

#[tokio::test]
async fn a_long_column_renders_its_first_cards_and_links_to_the_rest() {
    use app::pipeline::columns::COLUMN_WINDOW;
    let t = spawn_app().await;
    let r = t.signed_in("recruiter@acme.test").await;
    // Sixty more applicants in the demo job's Applied stage.
    t.state()
        .db
        .query(
            "FOR $i IN 0..60 {
                LET $p = CREATE ONLY person CONTENT {
                    first_name: 'Window', last_name: <string> $i,
                    email: string::concat('window', <string> $i, '@example.test')
                };
                CREATE application CONTENT {
                    person: $p.id, person_name: string::concat('Window ', <string> $i),
                    job: job:⟨data-analyst⟩, stage: 'applied', status: 'active'
                } RETURN NONE;
            }",
        )
        .await
        .unwrap()
        .check()
        .unwrap();
    let board = t
        .json::<app::pipeline::api::GetBoard>(&r, &[("job_id", "data-analyst")])
        .await;
    let cards = board["cards"].as_array().unwrap();
    let applied = cards
        .iter()
        .filter(|c| c["stage"] == "applied" && c["status"] == "active")
        .count();
    assert!(applied > COLUMN_WINDOW, "{applied}");
    let more = applied - COLUMN_WINDOW;

    // The page renders the first cards of the long column; the others are in full.
    let page = t.text(&r, "/app/jobs/data-analyst/board").await;
    let rendered = page.matches("class=\"board-card\"").count();
    let active = cards.iter().filter(|c| c["status"] == "active").count();
    assert_eq!(rendered, active - more);
    assert_eq!(page.matches(&format!("Show {more} more")).count(), 1);
    assert!(page.contains("href=\"?all=applied#col-applied\""));
    // The link keeps the filters.
    let page = t.text(&r, "/app/jobs/data-analyst/board?tag=").await;
    assert!(page.contains("href=\"?tag=&amp;all=applied#col-applied\""));
    // A card kept in view (`?kept=`, where a plain form's move lands) shows past the first ones.
    let last = cards
        .iter()
        .rev()
        .find(|c| c["stage"] == "applied" && c["status"] == "active")
        .unwrap()["id"]
        .as_str()
        .unwrap();
    let kept = t
        .text(&r, &format!("/app/jobs/data-analyst/board?kept={last}"))
        .await;
    assert!(kept.contains(&format!("data-card=\"{last}\"")));
    assert_eq!(kept.matches("class=\"board-card\"").count(), rendered + 1);
    assert!(kept.contains(&format!("Show {} more", more - 1)));

    // Its link's page: every card, no more link; the filters and the link's list are kept.
    let page = t
        .text(&r, "/app/jobs/data-analyst/board?tag=&all=applied")
        .await;
    assert_eq!(page.matches("class=\"board-card\"").count(), active);
    assert!(!page.contains("class=\"column-more\""));
    // Applying other filters keeps the column open.
    assert!(
        page.contains("type=\"hidden\" name=\"all\" value=\"applied\""),
        "{page}"
    );
    // The "Move to…" links keep the list, so opening a form keeps the column open.
    assert!(
        page.contains("href=\"?tag=&amp;all=applied&amp;move="),
        "{page}"
    );
    t.stop().await;
}
