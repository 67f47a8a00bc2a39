//! Unit tests of the board's pure rules (`pipeline::types`).

use super::*;
use crate::jobs::types::default_stages;

fn card(stage: &str, status: &str) -> Card {
    Card {
        id: "a1".into(),
        person_id: "p1".into(),
        name: "Ada".into(),
        stage: stage.into(),
        status: CardStatus::parse(status).expect("a card status"),
        days_in_stage: 4,
        tags: vec!["x".into()],
        source: "sourced".into(),
        headline: None,
        new: false,
        feedback: None,
        masked: false,
        screening: None,
    }
}

#[test]
fn columns_are_stages_then_outcomes() {
    let cols = columns_for(&default_stages());
    let ids: Vec<_> = cols.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "applied",
            "phone_screen",
            "interview",
            "offer",
            "hired",
            REJECTED,
            WITHDRAWN
        ]
    );
    assert_eq!(cols[4].kind, ColumnKind::Hired);
}

#[test]
fn targets_must_exist() {
    let st = default_stages();
    assert_eq!(
        MoveTarget::parse("offer", &st),
        Some(MoveTarget::Stage("offer".into()))
    );
    assert_eq!(MoveTarget::parse(REJECTED, &st), Some(MoveTarget::Rejected));
    assert_eq!(MoveTarget::parse("nope", &st), None);
}

#[test]
fn moves_change_column_and_reset_days() {
    let c = card("applied", "active");
    let m = moved(&c, &MoveTarget::Stage("interview".into()));
    assert_eq!(m.column(), "interview");
    assert_eq!(m.days_in_stage, 0);
    let r = moved(&c, &MoveTarget::Rejected);
    assert_eq!(r.column(), REJECTED);
    assert_eq!(r.stage, "applied");
    let back = moved(&r, &MoveTarget::Stage("applied".into()));
    assert_eq!(back.column(), "applied");
    assert_eq!(back.status, "active");
}

#[test]
fn filters_admit_matching_cards() {
    let c = card("applied", "active");
    assert!(BoardFilters::default().admits(&c));
    assert!(BoardFilters::parse("x", "", "", "").admits(&c));
    assert!(!BoardFilters::parse("y", "", "", "").admits(&c));
    assert!(!BoardFilters::parse("", "careers_page", "", "").admits(&c));
    assert!(BoardFilters::parse("", "", "3", "").admits(&c));
    assert!(!BoardFilters::parse("", "", "5", "").admits(&c));
    assert!(BoardFilters::parse("", "", "nonsense", "closed").show_closed);
    // Screening: unread cards are left out of both the passes and the misses.
    let passes = BoardFilters::default().screening("passed", "score");
    assert!(!passes.admits(&c));
    let mut read = c.clone();
    read.screening = Some(crate::screening::types::Score {
        points: 2,
        possible: 3,
        passed: true,
        unknown: 0,
    });
    assert!(passes.admits(&read));
    assert!(
        !BoardFilters::default()
            .screening("failed", "")
            .admits(&read)
    );
    assert_eq!(passes.sort, "score");
    assert!(
        BoardFilters::default()
            .screening("bogus", "bogus")
            .screen
            .is_empty()
    );
    assert_eq!(columns_with(&default_stages(), false).len(), 5);
}

#[test]
fn summaries_read_well() {
    assert_eq!(
        move_summary(&MoveTarget::Stage("x".into()), "Offer", false),
        "Moved to Offer"
    );
    assert!(move_summary(&MoveTarget::Stage("x".into()), "Offer", true).contains("reopened"));
    assert_eq!(days_label(0), "Today");
    assert_eq!(days_label(1), "1 day");
    assert_eq!(days_label(12), "12 days");
}

#[test]
fn card_statuses_keep_their_stored_names() {
    for name in ["active", "rejected", "withdrawn"] {
        let v = CardStatus::parse(name).unwrap();
        assert_eq!(v.as_str(), name);
        assert_eq!(serde_json::to_value(v).unwrap(), name);
    }
    assert_eq!(CardStatus::parse("hired"), None);
    assert_eq!(card("interview", "rejected").column(), REJECTED);
    assert_eq!(card("interview", "active").column(), "interview");
}

#[test]
fn the_quick_view_gets_the_newest_resume_and_the_latest_activity_only() {
    use crate::people::types::{PersonProfile, ProfileEntry, ResumeInfo};
    let resume = |id: &str, content_type: &str, text: Option<&str>| ResumeInfo {
        id: id.into(),
        filename: format!("{id}.file"),
        size: 1,
        content_type: content_type.into(),
        uploaded_at: "2026-12-01T10:00:00Z".into(),
        parse_status: "ok".into(),
        parse_message: None,
        text: text.map(Into::into),
        proposal: None,
    };
    // Newest first, as the profile's timeline is.
    let entry = |n: usize| ProfileEntry {
        at: format!("2026-12-{:02}T10:00:00Z", 10 - n),
        actor: "Riley".into(),
        kind: "note".into(),
        text: format!("entry {n}"),
    };
    let profile = PersonProfile {
        id: "p1".into(),
        name: "Ada".into(),
        email: "ada@example.org".into(),
        phone: Some("+44 20 7946 0000".into()),
        location: None,
        headline: None,
        skills: vec!["rust".into()],
        tags: vec!["alumni".into()],
        source: "referral".into(),
        unsubscribed_at: None,
        created_at: "2026-11-01T10:00:00Z".into(),
        applications: vec![],
        resumes: vec![
            resume(
                "r2",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                None,
            ),
            resume("r1", "application/pdf", Some("old")),
        ],
        timeline: (1..=7).map(entry).collect(),
        links: vec![],
        work_history: vec![],
        notes: vec![],
        emails: vec![],
        anonymised: vec![],
    };
    let quick = QuickProfile::from(profile.clone());
    assert_eq!(
        quick.resume,
        Some(QuickResume {
            id: "r2".into(),
            pdf: false,
            text: "r2.file".into()
        }),
        "the newest resume; its file name when no text was read"
    );
    assert_eq!(
        quick
            .recent
            .iter()
            .map(|e| e.text.as_str())
            .collect::<Vec<_>>(),
        ["entry 1", "entry 2", "entry 3", "entry 4", "entry 5"]
    );
    assert!(!quick.anonymised);
    assert_eq!(
        (quick.email.as_str(), quick.tags.len()),
        ("ada@example.org", 1)
    );

    let masked = PersonProfile {
        anonymised: vec!["Rust engineer: anonymised review until Interview".into()],
        resumes: vec![resume("r1", "application/pdf", Some("text"))],
        ..profile
    };
    let quick = QuickProfile::from(masked);
    assert!(quick.anonymised);
    assert_eq!(
        quick.resume.map(|r| (r.pdf, r.text)),
        Some((true, "text".to_string()))
    );
}
