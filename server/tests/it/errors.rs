//! One error path: in every area a server function answers 404 for an id that does not exist,
//! 422 for bad input and 403 for a caller whose role may not use it (401 without a session).
//! The status follows from the error variant in one place (`AppError::ser`), not per call site,
//! and plain axum handlers use the same mapping (`AppError: IntoResponse`).

use crate::common;

use common::*;
use serde_json::Value;

const ADMIN: &str = "admin@acme.test";
const RECRUITER: &str = "recruiter@acme.test";
const SOURCER: &str = "sourcer@acme.test";
const MANAGER: &str = "manager@acme.test";
const INTERVIEWER: &str = "interviewer@acme.test";

/// Calls `S` with `form` and checks the status; a 422 must also name the field.
async fn expect<S: ServerFn>(
    t: &TestApp,
    client: &reqwest::Client,
    form: &[(&str, &str)],
    status: u16,
) -> Value {
    let res = t.call::<S>(client, form).await;
    let got = res.status().as_u16();
    let body: Value = res.json().await.unwrap_or(Value::Null);
    assert_eq!(got, status, "{} {form:?} answered {body}", S::PATH);
    body
}

/// The field named by a validation error body (`{"Validation":[{"field":…}]}`).
fn invalid_field(body: &Value) -> String {
    body["Validation"][0]["field"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
async fn jobs_approvals_and_the_board_answer_404_422_403() {
    use app::approvals::api::{DecideApproval, RequestApproval};
    use app::jobs::api::{CreateJob, GetJob, SetJobStatus};
    use app::pipeline::api::{EditStage, GetBoard, MoveCard};
    let t = spawn_app().await;
    let recruiter = t.signed_in(RECRUITER).await;
    let sourcer = t.signed_in(SOURCER).await;
    let manager = t.signed_in(MANAGER).await;

    // jobs
    expect::<GetJob>(&t, &recruiter, &[("job_id", "no-such-job")], 404).await;
    expect::<GetJob>(&t, &recruiter, &[("job_id", "bad:id")], 404).await;
    let new_job = [
        ("title", ""),
        ("department", ""),
        ("location", "Paris"),
        ("employment_type", "full_time"),
        ("description", "d"),
        ("hiring_manager", ""),
    ];
    let body = expect::<CreateJob>(&t, &recruiter, &new_job, 422).await;
    assert_eq!(invalid_field(&body), "title");
    expect::<CreateJob>(&t, &sourcer, &new_job, 403).await;
    expect::<SetJobStatus>(
        &t,
        &recruiter,
        &[("job_id", "rust-backend"), ("status", "sideways")],
        422,
    )
    .await;

    // approvals
    expect::<RequestApproval>(&t, &recruiter, &[("job_id", "no-such-job")], 404).await;
    expect::<RequestApproval>(&t, &sourcer, &[("job_id", "rust-backend")], 403).await;
    expect::<DecideApproval>(
        &t,
        &recruiter,
        &[
            ("approval_id", "no-such-step"),
            ("decision", "approve"),
            ("reason", ""),
        ],
        404,
    )
    .await;

    // pipeline
    expect::<GetBoard>(&t, &recruiter, &[("job_id", "no-such-job")], 404).await;
    expect::<GetBoard>(&t, &manager, &[("job_id", "product-designer")], 403).await;
    let body = expect::<EditStage>(
        &t,
        &recruiter,
        &[("job_id", "rust-backend"), ("op", "add"), ("name", "")],
        422,
    )
    .await;
    assert_eq!(invalid_field(&body), "stage");
    expect::<MoveCard>(
        &t,
        &recruiter,
        &[
            ("job_id", "rust-backend"),
            ("application_id", "no-such-application"),
            ("from", "applied"),
            ("to", "phone_screen"),
        ],
        404,
    )
    .await;
    t.stop().await;
}

#[tokio::test]
async fn people_search_and_campaigns_answer_404_422_403() {
    use app::campaigns::api::{GetCampaign, SetFrequencyCap};
    use app::people::api::{AddTag, GetPerson};
    use app::search::api::SearchPeople;
    let t = spawn_app().await;
    let recruiter = t.signed_in(RECRUITER).await;
    let sourcer = t.signed_in(SOURCER).await;
    let interviewer = t.signed_in(INTERVIEWER).await;
    let manager = t.signed_in(MANAGER).await;

    // people
    expect::<GetPerson>(&t, &recruiter, &[("person_id", "no-such-person")], 404).await;
    expect::<GetPerson>(&t, &interviewer, &[("person_id", "no-such-person")], 403).await;
    // The board's quick view answers as the profile does.
    use app::pipeline::api::GetQuickProfile;
    expect::<GetQuickProfile>(&t, &recruiter, &[("person_id", "no-such-person")], 404).await;
    expect::<GetQuickProfile>(&t, &interviewer, &[("person_id", "no-such-person")], 403).await;
    let body = expect::<AddTag>(
        &t,
        &sourcer,
        &[("person_ids[]", "no-such-person"), ("tag", "")],
        422,
    )
    .await;
    assert_eq!(invalid_field(&body), "tag");

    // search (nothing is looked up by id)
    let long = "x".repeat(501);
    let body = expect::<SearchPeople>(&t, &sourcer, &[("q", long.as_str())], 422).await;
    assert_eq!(invalid_field(&body), "q");
    expect::<SearchPeople>(&t, &manager, &[("q", "rust")], 403).await;

    // campaigns
    expect::<GetCampaign>(&t, &sourcer, &[("campaign_id", "no-such-campaign")], 404).await;
    let body = expect::<SetFrequencyCap>(&t, &sourcer, &[("days", "many")], 422).await;
    assert_eq!(invalid_field(&body), "days");
    expect::<SetFrequencyCap>(&t, &manager, &[("days", "3")], 403).await;
    t.stop().await;
}

#[tokio::test]
async fn sign_in_portal_careers_and_admin_answer_404_422_403() {
    use app::admin::api::{ListDeadJobs, RetryJob};
    use app::auth::api::Login;
    use app::portal::api::{RequestPortalLink, WithdrawApplication};
    let t = spawn_app().await;
    let anonymous = t.client();
    let admin = t.signed_in(ADMIN).await;
    let recruiter = t.signed_in(RECRUITER).await;

    // auth
    let body = expect::<Login>(
        &t,
        &anonymous,
        &[
            ("email", "not-an-email"),
            ("password", "x"),
            ("next", "/app"),
        ],
        422,
    )
    .await;
    assert_eq!(invalid_field(&body), "email");

    // portal: without a candidate session, 401; a bad address, 422
    expect::<WithdrawApplication>(&t, &anonymous, &[("application_id", "x")], 401).await;
    let body = expect::<RequestPortalLink>(&t, &anonymous, &[("email", "nope")], 422).await;
    assert_eq!(invalid_field(&body), "email");

    // careers: a job that does not exist, or is not open, is not found
    expect::<app::jobs::api::GetPublicJob>(&t, &anonymous, &[("job_id", "no-such-job")], 404).await;

    // admin
    expect::<ListDeadJobs>(&t, &recruiter, &[], 403).await;
    expect::<ListDeadJobs>(&t, &anonymous, &[], 401).await;
    expect::<RetryJob>(&t, &admin, &[("job_id", "no-such-task")], 404).await;
    t.stop().await;
}

#[tokio::test]
async fn plain_handlers_map_errors_the_same_way() {
    let t = spawn_app().await;
    let anonymous = t.client();
    // A resume download needs staff; a board's event stream needs a session and a real job.
    let r = anonymous
        .get(t.url("/app/resumes/no-such-resume"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let recruiter = t.signed_in(RECRUITER).await;
    let r = recruiter
        .get(t.url("/app/resumes/no-such-resume"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let r = recruiter
        .get(t.url("/app/jobs/no-such-job/events"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    t.stop().await;
}

#[tokio::test]
async fn the_crm_slices_answer_404_422_403() {
    use app::dedupe::api::{ListDuplicates, MergePeople, MergePreview, UndoMerge};
    use app::imports::api::{GetImport, StartImport};
    use app::pools::api::{CreatePool, GetPool};
    use app::segments::api::{GetSegment, ListSegments, SaveSegment};
    use app::talent::api::{ConfirmSignup, TalentSignup};
    let t = spawn_app().await;
    let anonymous = t.client();
    let sourcer = t.signed_in(SOURCER).await;
    let manager = t.signed_in(MANAGER).await;

    // pools
    expect::<GetPool>(&t, &sourcer, &[("pool_id", "no-such-pool")], 404).await;
    let body = expect::<CreatePool>(&t, &sourcer, &[("name", "")], 422).await;
    assert_eq!(invalid_field(&body), "name");
    expect::<GetPool>(&t, &manager, &[("pool_id", "no-such-pool")], 403).await;

    // segments
    expect::<GetSegment>(&t, &sourcer, &[("segment_id", "no-such-segment")], 404).await;
    expect::<SaveSegment>(&t, &sourcer, &[("name", "")], 422).await;
    expect::<ListSegments>(&t, &manager, &[], 403).await;

    // dedupe
    expect::<MergePreview>(&t, &sourcer, &[("a", "no-such-a"), ("b", "no-such-b")], 404).await;
    expect::<UndoMerge>(&t, &sourcer, &[("merge_id", "no-such-merge")], 404).await;
    let body =
        expect::<MergePeople>(&t, &sourcer, &[("keep", "same"), ("other", "same")], 422).await;
    assert_eq!(invalid_field(&body), "other");
    expect::<ListDuplicates>(&t, &manager, &[], 403).await;

    // imports
    expect::<GetImport>(&t, &sourcer, &[("import_id", "no-such-import")], 404).await;
    let body = expect::<StartImport>(
        &t,
        &sourcer,
        &[
            ("import_id", "no-such-import"),
            ("duplicates", "skip"),
            ("tag", "not a tag!"),
        ],
        422,
    )
    .await;
    assert_eq!(invalid_field(&body), "tag");
    expect::<GetImport>(&t, &manager, &[("import_id", "no-such-import")], 403).await;

    // talent (public sign-up)
    let body = expect::<TalentSignup>(
        &t,
        &anonymous,
        &[
            ("name", "Ada Lovelace"),
            ("email", "not-an-email"),
            ("consent", "on"),
        ],
        422,
    )
    .await;
    assert_eq!(invalid_field(&body), "email");
    let body = expect::<ConfirmSignup>(&t, &anonymous, &[("token", "forged")], 422).await;
    assert_eq!(invalid_field(&body), "token");
    t.stop().await;
}
