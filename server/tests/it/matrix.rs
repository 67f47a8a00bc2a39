//! The authorisation matrix: every server function, called by every kind of caller (anonymous,
//! a signed-in candidate, each staff role; the hiring manager is the manager of *another* job
//! wherever a job is named), is either allowed or refused as the table says. Refused means 401
//! or 403 and nothing else; allowed means neither (the arguments name things that do not exist,
//! so an allowed call answers 404 or 422 and changes nothing). Arguments are checked only after
//! the caller, so a refused caller never learns whether an id exists.
//!
//! The table must name every registered server function: a new endpoint without a row fails
//! this test, so nothing ships unclassified. Plain routes (downloads, exports) have their own
//! table below. Object checks (another job's card, another candidate's application, another
//! person's resume) are at the end and in `attacks.rs`.

use crate::common;

use common::*;
use reqwest::multipart::Form;
use server_fn::ServerFn;
use std::collections::{BTreeSet, HashMap};
use surrealdb::types::RecordId;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Who {
    Anonymous,
    Candidate,
    Admin,
    Recruiter,
    /// Manager of a job, never of the job a row names.
    OtherManager,
    Interviewer,
    Sourcer,
}
use Who::*;

const EVERYONE: &[Who] = &[
    Anonymous,
    Candidate,
    Admin,
    Recruiter,
    OtherManager,
    Interviewer,
    Sourcer,
];
const STAFF: &[Who] = &[Admin, Recruiter, OtherManager, Interviewer, Sourcer];
const CRM: &[Who] = &[Admin, Recruiter, Sourcer];
const MANAGES_JOBS: &[Who] = &[Admin, Recruiter];
const SEES_JOBS: &[Who] = &[Admin, Recruiter, OtherManager];
const ADMIN: &[Who] = &[Admin];
const CANDIDATE: &[Who] = &[Candidate];
const CRM_OR_JOBS: &[Who] = &[Admin, Recruiter, Sourcer];

struct Row {
    path: &'static str,
    args: Vec<(&'static str, String)>,
    multipart: bool,
    allowed: &'static [Who],
    /// Signs the caller out: called last.
    signs_out: bool,
    /// The answers that count as a refusal.
    refusals: &'static [u16],
}

/// Refusals of a caller without the right session.
const NO_ACCESS: &[u16] = &[401, 403];
/// Refusals of an emailed link whose signature does not hold (a bad link is "not valid", 422
/// naming the token, as the page shows it).
const BAD_LINK: &[u16] = &[401, 403, 422];

fn row<S: ServerFn>(args: &[(&'static str, &str)], allowed: &'static [Who]) -> Row {
    Row {
        path: S::PATH,
        args: args.iter().map(|(k, v)| (*k, v.to_string())).collect(),
        multipart: false,
        allowed,
        signs_out: false,
        refusals: NO_ACCESS,
    }
}

/// A function whose credential is a signed link: a forged one is refused for everyone.
fn forged_link<S: ServerFn>(args: &[(&'static str, &str)]) -> Row {
    Row {
        refusals: BAD_LINK,
        ..row::<S>(args, &[])
    }
}

fn multipart<S: ServerFn>(args: &[(&'static str, &str)], allowed: &'static [Who]) -> Row {
    Row {
        multipart: true,
        ..row::<S>(args, allowed)
    }
}

fn signs_out<S: ServerFn>(allowed: &'static [Who]) -> Row {
    Row {
        signs_out: true,
        ..row::<S>(&[], allowed)
    }
}

/// Every server function with arguments that name nothing real (or, for a job, a job the
/// manager in the table does not manage).
fn table(other_job: &str) -> Vec<Row> {
    use app::admin::api::*;
    use app::approvals::api::*;
    use app::auth::api::*;
    use app::campaigns::api::*;
    use app::careers::api::*;
    use app::dedupe::api::*;
    use app::home::api::*;
    use app::imports::api::*;
    use app::interviews::api::*;
    use app::jobs::api::*;
    use app::people::api::*;
    use app::pipeline::api::*;
    use app::pools::api::*;
    use app::portal::api::*;
    use app::search::api::*;
    use app::segments::api::*;
    use app::staff::api::*;
    use app::talent::api::*;
    let job = other_job;
    let job_form = [
        ("job_id", "no-such-job"),
        ("title", ""),
        ("department", ""),
        ("location", ""),
        ("employment_type", "full_time"),
        ("description", ""),
        ("hiring_manager", ""),
    ];
    vec![
        // admin
        row::<ListOutbox>(&[("to", "")], ADMIN),
        row::<ListDeadJobs>(&[], ADMIN),
        row::<RetryJob>(&[("job_id", "no-such-task")], ADMIN),
        // audit log
        row::<app::audit::api::ListAudit>(&[("filter[kind]", "")], ADMIN),
        row::<app::audit::api::GetAuditCheck>(&[], ADMIN),
        // privacy
        row::<app::privacy::api::RequestErasure>(&[], CANDIDATE),
        row::<app::privacy::api::MyErasureRequest>(&[], CANDIDATE),
        row::<app::privacy::api::MyPrivacy>(&[], CANDIDATE),
        row::<app::privacy::api::CorrectMyDetails>(
            &[("first_name", ""), ("last_name", "")],
            CANDIDATE,
        ),
        row::<app::privacy::api::SaveMyConsent>(&[("keep[]", "no-such-topic")], CANDIDATE),
        row::<app::privacy::api::ListPrivacyRequests>(&[], ADMIN),
        row::<app::privacy::api::GetRetention>(&[], ADMIN),
        row::<app::privacy::api::SaveRetention>(&[("months", "nonsense")], ADMIN),
        row::<app::privacy::api::GetPrivacyNotice>(&[], EVERYONE),
        row::<app::campaigns::api::GetCrmReport>(&[], CRM),
        // human review on request
        row::<app::reviews::api::RequestHumanReview>(&[("application_id", "no-such")], CANDIDATE),
        row::<app::reviews::api::ListReviewRequests>(&[], MANAGES_JOBS),
        row::<app::reviews::api::AnswerReviewRequest>(
            &[("request_id", "no-such"), ("answer", "Looked again")],
            MANAGES_JOBS,
        ),
        row::<app::privacy::api::SaveRegionPolicy>(&[("name", ""), ("countries", "")], ADMIN),
        row::<app::privacy::api::RemoveRegionPolicy>(&[("key", "default")], ADMIN),
        forged_link::<app::privacy::api::RenewalName>(&[("token", "forged")]),
        forged_link::<app::privacy::api::RenewConsent>(&[("token", "forged"), ("stay", "yes")]),
        // An empty notice: refused as invalid (422) when allowed, so nothing is published.
        row::<app::privacy::api::SavePrivacyNotice>(
            &[("summary", ""), ("body", ""), ("pool_wording", "")],
            ADMIN,
        ),
        row::<app::privacy::api::AnswerPrivacyRequest>(
            &[("request_id", "no-such"), ("decision", "erase")],
            ADMIN,
        ),
        // approvals
        row::<RequestApproval>(&[("job_id", "no-such-job")], MANAGES_JOBS),
        row::<WithdrawApproval>(&[("job_id", "no-such-job")], MANAGES_JOBS),
        row::<ApprovalSteps>(&[("job_id", job)], MANAGES_JOBS),
        row::<MyApprovals>(&[], STAFF),
        row::<DecideApproval>(
            &[
                ("approval_id", "no-such-step"),
                ("decision", "approve"),
                ("reason", ""),
            ],
            STAFF,
        ),
        // Link pages: the signed token is the first check, so a forged one is refused for all.
        forged_link::<ApprovalLinkInfo>(&[("token", "forged.token")]),
        forged_link::<DecideByLink>(&[("token", "forged.token"), ("reason", "")]),
        // auth
        row::<Me>(&[], EVERYONE),
        row::<Login>(
            &[
                ("email", "nobody@acme.test"),
                ("password", "wrong"),
                ("next", "/app"),
            ],
            EVERYONE,
        ),
        signs_out::<Logout>(EVERYONE),
        // campaigns
        row::<ListCampaigns>(&[], CRM),
        row::<CreateCampaign>(
            &[
                ("name", ""),
                ("audience_tag", ""),
                ("subject", ""),
                ("body", ""),
            ],
            CRM,
        ),
        row::<CreateSequence>(&[("name", "")], CRM),
        row::<UpdateCampaign>(
            &[
                ("campaign_id", "no-such"),
                ("name", ""),
                ("audience_tag", ""),
                ("subject", ""),
                ("body", ""),
            ],
            CRM,
        ),
        row::<GetCampaign>(&[("campaign_id", "no-such")], CRM),
        row::<GetBuilderChoices>(&[], CRM),
        row::<PreviewCampaign>(&[("campaign_id", "no-such"), ("person_id", "no-such")], CRM),
        row::<SendTestEmail>(&[("campaign_id", "no-such"), ("person_id", "no-such")], CRM),
        row::<SendCampaign>(&[("campaign_id", "no-such")], CRM),
        row::<PauseCampaign>(&[("campaign_id", "no-such"), ("pause", "true")], CRM),
        row::<GetCampaignReport>(&[("campaign_id", "no-such")], CRM),
        row::<SaveCampaignSettings>(
            &[
                ("campaign_id", "no-such"),
                ("name", ""),
                ("audience_kind", "tag"),
            ],
            CRM,
        ),
        row::<AddStep>(&[("campaign_id", "no-such"), ("kind", "email")], CRM),
        row::<SaveEmailStep>(
            &[
                ("campaign_id", "no-such"),
                ("step_id", "s"),
                ("subject", ""),
                ("body", ""),
            ],
            CRM,
        ),
        row::<SaveWaitStep>(
            &[("campaign_id", "no-such"), ("step_id", "s"), ("days", "1")],
            CRM,
        ),
        row::<SaveConditionStep>(
            &[
                ("campaign_id", "no-such"),
                ("step_id", "s"),
                ("event", "opened"),
                ("then", "continue"),
                ("otherwise", "stop"),
            ],
            CRM,
        ),
        row::<ChangeStep>(
            &[("campaign_id", "no-such"), ("step_id", "s"), ("op", "up")],
            CRM,
        ),
        row::<SetFrequencyCap>(&[("days", "x")], CRM),
        // Unsubscribing is for whoever holds the emailed link; a forged one is refused.
        forged_link::<GetUnsubscribeInfo>(&[("token", "forged.token")]),
        forged_link::<Unsubscribe>(&[("token", "forged.token")]),
        forged_link::<SaveTopics>(&[("token", "forged.token")]),
        row::<MarkReplied>(&[("person_id", "no-such")], CRM),
        // careers
        multipart::<Apply>(&[("job_id", "no-such-job"), ("name", "")], EVERYONE),
        // dedupe
        row::<ListDuplicates>(&[], CRM),
        row::<MergePreview>(&[("a", "no-such"), ("b", "no-such-2")], CRM),
        row::<MergePeople>(&[("keep", "no-such"), ("other", "no-such-2")], CRM),
        row::<UndoMerge>(&[("merge_id", "no-such")], CRM),
        // imports
        multipart::<UploadImport>(&[], CRM),
        row::<GetImport>(&[("import_id", "no-such")], CRM),
        row::<StartImport>(&[("import_id", "no-such"), ("duplicates", "skip")], CRM),
        // home
        row::<LoadDashboard>(&[], SEES_JOBS),
        row::<app::home::sourcer::LoadSourcerHome>(&[], CRM),
        row::<app::home::notices::MyNotices>(&[], STAFF),
        // interviews
        row::<GetPlan>(&[("job_id", job)], MANAGES_JOBS),
        row::<AddPlanInterview>(
            &[
                ("job_id", "no-such-job"),
                ("stage", "interview"),
                ("name", ""),
                ("duration_min", "45"),
                ("format", "video"),
                ("location", ""),
                ("attributes", ""),
                ("questions", ""),
                ("guidance", ""),
            ],
            MANAGES_JOBS,
        ),
        row::<RemovePlanInterview>(&[("plan_id", "no-such")], MANAGES_JOBS),
        row::<CopyPlan>(
            &[("job_id", "no-such-job"), ("from_job_id", job)],
            MANAGES_JOBS,
        ),
        row::<ApplicationInterviews>(&[("application_id", "no-such")], SEES_JOBS),
        row::<DecideApplication>(
            &[
                ("application_id", "no-such"),
                ("decision", "advance"),
                ("reason", "Strong panel."),
            ],
            SEES_JOBS,
        ),
        // offers: salaries are for recruiters, admins and the job's hiring manager; the
        // candidate answers their own.
        row::<app::offers::api::ApplicationOffer>(&[("application_id", "no-such")], SEES_JOBS),
        row::<app::offers::api::MakeOffer>(
            &[
                ("application_id", "no-such"),
                ("base_salary", "85000"),
                ("currency", "EUR"),
                ("period", "YEAR"),
                ("start_date", "2030-01-07"),
                ("letter", "Dear {{first_name}}"),
            ],
            MANAGES_JOBS,
        ),
        row::<app::offers::api::WithdrawOffer>(
            &[("offer_id", "no-such"), ("reason", "Budget frozen")],
            MANAGES_JOBS,
        ),
        row::<app::offers::api::PortalOffer>(&[("offer_id", "no-such")], CANDIDATE),
        row::<app::offers::api::AcceptOffer>(
            &[("offer_id", "no-such"), ("full_name", "Ada Lovelace")],
            CANDIDATE,
        ),
        row::<app::offers::api::DeclineOffer>(
            &[("offer_id", "no-such"), ("reason", "Another offer")],
            CANDIDATE,
        ),
        // reports: recruiters and admins on every job, a hiring manager on their own.
        row::<app::reports::api::HiringReports>(&[("job", "no-such")], SEES_JOBS),
        row::<app::reports::api::HomeNumbers>(&[], SEES_JOBS),
        row::<app::reports::api::GetPipelineHealth>(&[], SEES_JOBS),
        row::<ProposeSlots>(
            &[("application_id", "no-such"), ("plan_id", "no-such")],
            MANAGES_JOBS,
        ),
        row::<ScheduleInterview>(
            &[
                ("application_id", "no-such"),
                ("plan_id", "no-such"),
                ("starts_at", "2030-01-07T10:00:00Z"),
            ],
            MANAGES_JOBS,
        ),
        row::<CancelInterview>(&[("interview_id", "no-such")], MANAGES_JOBS),
        row::<RescheduleSlots>(&[("interview_id", "no-such")], MANAGES_JOBS),
        row::<app::interviews::scheduling::SendSchedulingLink>(
            &[("application_id", "no-such"), ("plan_id", "no-such")],
            MANAGES_JOBS,
        ),
        // The candidate's scheduling page: the signed link is the key (a forged one is refused
        // with an explanation, for anyone).
        row::<app::interviews::scheduling::SchedulingPage>(&[("token", "forged.token")], EVERYONE),
        row::<app::interviews::scheduling::BookInterviewSlot>(
            &[
                ("token", "forged.token"),
                ("starts_at", "2030-01-07T10:00:00Z"),
                ("time_zone", "Europe/London"),
            ],
            EVERYONE,
        ),
        row::<app::interviews::scheduling::MoveBookedInterview>(
            &[
                ("token", "forged.token"),
                ("starts_at", "2030-01-07T10:00:00Z"),
                ("sequence", "0"),
                ("time_zone", "Europe/London"),
            ],
            EVERYONE,
        ),
        row::<app::interviews::scheduling::CancelBookedInterview>(
            &[("token", "forged.token")],
            EVERYONE,
        ),
        row::<RescheduleInterview>(
            &[
                ("interview_id", "no-such"),
                ("starts_at", "2030-01-07T10:00:00Z"),
                ("sequence", "0"),
            ],
            MANAGES_JOBS,
        ),
        row::<MyInterviews>(&[], STAFF),
        row::<MyWorkingHours>(&[], STAFF),
        row::<SaveWorkingHours>(
            &[("time_zone", "Not/AZone"), ("start", ""), ("end", "")],
            STAFF,
        ),
        row::<GetInterview>(&[("interview_id", "no-such")], STAFF),
        row::<SaveScorecard>(
            &[
                ("interview_id", "no-such"),
                ("notes", ""),
                ("intent", "draft"),
            ],
            STAFF,
        ),
        // jobs
        row::<ListJobs>(&[], SEES_JOBS),
        row::<GetJob>(&[("job_id", job)], MANAGES_JOBS),
        row::<HiringManagerOptions>(&[], MANAGES_JOBS),
        row::<CreateJob>(&job_form[1..], MANAGES_JOBS),
        row::<UpdateJob>(&job_form, MANAGES_JOBS),
        row::<JobActivity>(&[("job_id", job)], MANAGES_JOBS),
        row::<SetJobStatus>(
            &[("job_id", "no-such-job"), ("status", "open")],
            MANAGES_JOBS,
        ),
        row::<app::anonymity::api::SetAnonymisedReview>(
            &[("job_id", "no-such-job"), ("until", "interview")],
            MANAGES_JOBS,
        ),
        // screening
        row::<app::screening::api::GetJobScreening>(&[("job_id", job)], MANAGES_JOBS),
        row::<app::screening::api::AddScreeningCriterion>(
            &[("job_id", job), ("kind", "")],
            MANAGES_JOBS,
        ),
        row::<app::screening::api::RemoveScreeningCriterion>(
            &[("job_id", job), ("criterion_id", "no-such")],
            MANAGES_JOBS,
        ),
        row::<app::screening::api::RescreenJob>(&[("job_id", "no-such-job")], MANAGES_JOBS),
        row::<app::screening::api::GetApplicationScreening>(
            &[("application_id", "no-such")],
            SEES_JOBS,
        ),
        row::<app::screening::api::OverrideScreening>(
            &[("application_id", "no-such"), ("criterion_id", "no-such")],
            MANAGES_JOBS,
        ),
        row::<app::screening::api::ScreeningQuestions>(&[("job_id", "no-such-job")], EVERYONE),
        row::<ListOpenJobs>(&[], EVERYONE),
        row::<GetPublicJob>(&[("job_id", "no-such-job")], EVERYONE),
        // people
        row::<ListPeople>(&[("q", ""), ("tag", ""), ("cursor", "")], CRM),
        row::<TagCounts>(&[], CRM),
        row::<AddTag>(&[("tag", "")], CRM),
        row::<RemoveTag>(&[("person_id", "no-such"), ("tag", "x")], CRM),
        row::<GetPerson>(&[("person_id", "no-such")], CRM_OR_JOBS),
        row::<AddNote>(&[("person_id", "no-such"), ("body", "")], CRM_OR_JOBS),
        row::<ApplyResumeProposal>(&[("person_id", "no-such"), ("resume_id", "no-such")], CRM),
        row::<GetCrmProfile>(&[("person_id", "no-such")], CRM),
        row::<UpdateCrm>(&[("person_id", "no-such"), ("consent", "granted")], CRM),
        // pipeline
        row::<GetBoard>(&[("job_id", job)], MANAGES_JOBS),
        // The board's quick view: `get_person`'s rights, cut to what the drawer shows.
        row::<app::pipeline::api::GetQuickProfile>(&[("person_id", "no-such")], CRM_OR_JOBS),
        row::<MoveCard>(
            &[
                ("job_id", job),
                ("application_id", "no-such"),
                ("from", "applied"),
                ("to", "screen"),
            ],
            MANAGES_JOBS,
        ),
        row::<BulkAction>(&[("job_id", job), ("action", "move")], MANAGES_JOBS),
        row::<GetBulkStatus>(&[("job_id", job), ("bulk_id", "no-such")], MANAGES_JOBS),
        row::<UndoBulk>(&[("job_id", job), ("bulk_id", "no-such")], MANAGES_JOBS),
        row::<EditStage>(&[("job_id", job), ("op", "sideways")], MANAGES_JOBS),
        row::<AddPersonToJob>(&[("person_id", "no-such"), ("job_id", job)], CRM_OR_JOBS),
        row::<AddPeopleToJob>(&[("job_id", job)], CRM_OR_JOBS),
        // pools
        row::<ListPools>(&[], CRM),
        row::<CreatePool>(&[("name", "")], CRM),
        row::<GetPool>(&[("pool_id", "no-such")], CRM),
        row::<AddToPool>(&[("pool_id", "no-such")], CRM),
        row::<RemoveFromPool>(&[("pool_id", "no-such"), ("person_id", "no-such")], CRM),
        // portal: asking for a link is public; the portal itself is the candidate's.
        row::<RequestPortalLink>(&[("email", "not-an-email")], EVERYONE),
        row::<MyPortal>(&[], EVERYONE),
        row::<WithdrawApplication>(&[("application_id", "no-such")], CANDIDATE),
        // A bad link is sent back to the portal page, which explains it (for anyone).
        row::<PortalSignIn>(&[("token", "forged.token")], EVERYONE),
        signs_out::<PortalLogout>(EVERYONE),
        // search
        row::<SearchPeople>(&[("q", "")], CRM),
        row::<QuickSearch>(&[("q", "")], CRM),
        row::<SearchFilterOptions>(&[], CRM),
        // segments
        row::<ListSegments>(&[], CRM),
        row::<GetSegment>(&[("segment_id", "no-such")], CRM),
        row::<SaveSegment>(&[("name", "")], CRM),
        // staff accounts
        row::<StaffDirectory>(&[], ADMIN),
        row::<InviteStaff>(&[("name", ""), ("email", ""), ("role", "admin")], ADMIN),
        row::<ChangeRole>(&[("staff_id", "no-such"), ("role", "admin")], ADMIN),
        row::<SetStaffActive>(&[("staff_id", "no-such"), ("active", "false")], ADMIN),
        // rooms for on-site interviews
        row::<app::interviews::rooms::ListRooms>(&[], ADMIN),
        row::<app::admin::brand::PublicBrand>(&[], EVERYONE),
        row::<app::admin::brand::BrandSettings>(&[], ADMIN),
        // A colour that is refused: allowed answers 422 and nothing changes.
        row::<app::admin::brand::SaveBrand>(&[("colour", "not-a-colour")], ADMIN),
        // No file: allowed answers 422. No logo to remove: nothing changes.
        multipart::<app::admin::brand::UploadLogo>(&[], ADMIN),
        row::<app::admin::brand::RemoveLogo>(&[], ADMIN),
        row::<app::interviews::rooms::AddRoom>(&[("name", ""), ("location", "")], ADMIN),
        row::<app::interviews::rooms::SetRoomActive>(
            &[("room_id", "no-such"), ("active", "false")],
            ADMIN,
        ),
        forged_link::<StaffLinkHolder>(&[("purpose", "invite"), ("token", "forged.token")]),
        forged_link::<SetPasswordByLink>(&[
            ("purpose", "reset"),
            ("token", "forged.token"),
            ("password", "x"),
            ("confirm", "x"),
        ]),
        row::<RequestPasswordReset>(&[("email", "not-an-email")], EVERYONE),
        row::<ChangePassword>(
            &[("current", "wrong"), ("password", "x"), ("confirm", "x")],
            STAFF,
        ),
        row::<RequireTwoStep>(&[("staff_id", "no-such"), ("required", "true")], ADMIN),
        row::<MyTwoStep>(&[], STAFF),
        row::<BeginTwoStep>(&[], STAFF),
        row::<EnableTwoStep>(&[("code", "x")], STAFF),
        row::<DisableTwoStep>(&[("password", "wrong")], STAFF),
        // talent
        multipart::<ReferPerson>(&[("name", "")], STAFF),
        row::<TalentSignup>(&[("name", ""), ("email", "")], EVERYONE),
        forged_link::<ConfirmSignup>(&[("token", "forged.token")]),
        forged_link::<SignupName>(&[("token", "forged.token")]),
    ]
}

/// Signs a browser in as a candidate through a portal link, as the emailed link does.
async fn candidate(t: &TestApp) -> reqwest::Client {
    let mut r = t
        .state()
        .db
        .query("SELECT VALUE person FROM application LIMIT 1")
        .await
        .unwrap();
    let people: Vec<RecordId> = r.take(0).unwrap();
    let token = t.state().keys.sign(
        "portal",
        &app::server::db::key(&people[0]),
        app::server::security::now_unix() + 3600,
    );
    let c = t.client();
    let link = t.url(&format!("/portal/auth?token={token}"));
    assert_eq!(follow_portal_link(t, &c, &link).await, "/portal");
    c
}

/// A job the demo's hiring manager does not manage (the "other job" of the table), by key.
async fn other_job(t: &TestApp) -> String {
    let other: Vec<RecordId> = t
        .state()
        .db
        .query("SELECT VALUE id FROM job WHERE hiring_manager.email != 'manager@acme.test' LIMIT 1")
        .await
        .unwrap()
        .take(0)
        .unwrap();
    app::server::db::key(other.first().expect("a job the manager does not manage"))
}

/// A browser for every kind of caller.
async fn callers(t: &TestApp) -> Vec<(Who, reqwest::Client)> {
    let mut clients = vec![(Anonymous, t.client()), (Candidate, candidate(t).await)];
    for (who, email) in [
        (Admin, "admin@acme.test"),
        (Recruiter, "recruiter@acme.test"),
        (OtherManager, "manager@acme.test"),
        (Interviewer, "interviewer@acme.test"),
        (Sourcer, "sourcer@acme.test"),
    ] {
        clients.push((who, t.signed_in(email).await));
    }
    clients
}

async fn call(t: &TestApp, c: &reqwest::Client, r: &Row) -> u16 {
    let req = c
        .post(t.url(r.path))
        .header("Origin", &t.base)
        .header("Accept", "application/json");
    let req = if r.multipart {
        let mut form = Form::new();
        for (k, v) in &r.args {
            form = form.text(*k, v.clone());
        }
        req.multipart(form)
    } else {
        req.form(&r.args)
    };
    req.send().await.unwrap().status().as_u16()
}

#[tokio::test]
async fn every_server_function_allows_and_refuses_as_the_matrix_says() {
    let t = spawn_app().await;
    let manager_jobs: Vec<RecordId> = t
        .state()
        .db
        .query("SELECT VALUE id FROM job WHERE hiring_manager.email = 'manager@acme.test'")
        .await
        .unwrap()
        .take(0)
        .unwrap();
    let other = other_job(&t).await;
    assert!(!manager_jobs.is_empty());
    let rows = table(&other);

    // Every registered server function has a row.
    let registered: BTreeSet<&str> = server_fn::axum::server_fn_paths().map(|(p, _)| p).collect();
    let classified: BTreeSet<&str> = rows.iter().map(|r| r.path).collect();
    let missing: Vec<&&str> = registered.difference(&classified).collect();
    assert!(
        missing.is_empty(),
        "server functions without a row in the authorisation matrix: {missing:?}"
    );

    let clients = callers(&t).await;

    let mut wrong = Vec::new();
    let ordered = rows
        .iter()
        .filter(|r| !r.signs_out)
        .chain(rows.iter().filter(|r| r.signs_out));
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for r in ordered {
        *seen.entry(r.path).or_default() += 1;
        for (who, c) in &clients {
            let status = call(&t, c, r).await;
            let refused = r.refusals.contains(&status);
            let allowed = r.allowed.contains(who);
            if status >= 500 || allowed == refused {
                wrong.push(format!(
                    "{} as {who:?}: {status} (expected {})",
                    r.path,
                    if allowed { "allowed" } else { "refused" }
                ));
            }
        }
    }
    assert!(
        seen.values().all(|n| *n == 1),
        "a server function has two rows"
    );
    assert!(
        wrong.is_empty(),
        "{} calls disagree with the matrix:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    t.stop().await;
}

/// The plain routes that carry data, by caller: `(route, path to call, allowed)`, the route as
/// the router names it. Public routes are in [`PUBLIC_ROUTES`].
fn routes(other_job: &str) -> Vec<(&'static str, String, &'static [Who])> {
    vec![
        (
            "/app/resumes/{id}",
            "/app/resumes/no-such".into(),
            CRM_OR_JOBS,
        ),
        ("/admin/audit.csv", "/admin/audit.csv".into(), ADMIN),
        ("/admin/export.json", "/admin/export.json".into(), ADMIN),
        (
            "/portal/my-data.json",
            "/portal/my-data.json".into(),
            CANDIDATE,
        ),
        (
            "/portal/resumes/{id}",
            "/portal/resumes/no-such".into(),
            CANDIDATE,
        ),
        (
            "/app/interviews/{id}/resume",
            "/app/interviews/no-such/resume".into(),
            STAFF,
        ),
        (
            "/portal/interviews/{id}/invite.ics",
            "/portal/interviews/no-such/invite.ics".into(),
            CANDIDATE,
        ),
        (
            "/app/export/search",
            "/app/export/search?q=rust".into(),
            CRM,
        ),
        (
            "/app/export/pool/{id}",
            "/app/export/pool/no-such".into(),
            CRM,
        ),
        (
            "/app/export/segment/{id}",
            "/app/export/segment/no-such".into(),
            CRM,
        ),
        (
            "/app/jobs/{id}/events",
            format!("/app/jobs/{other_job}/events"),
            MANAGES_JOBS,
        ),
        (
            "/app/reports/funnel.csv",
            "/app/reports/funnel.csv".into(),
            SEES_JOBS,
        ),
        (
            "/app/reports/sources.csv",
            "/app/reports/sources.csv?source=referral".into(),
            SEES_JOBS,
        ),
        (
            "/app/reports/hires.csv",
            format!("/app/reports/hires.csv?job={other_job}"),
            MANAGES_JOBS,
        ),
    ]
}

/// Routes open to anyone by design, each with what guards it and the test that shows it.
const PUBLIC_ROUTES: &[(&str, &str)] = &[
    (
        "/brand/logo",
        "an image the careers pages show, nothing else: http::an_admin_brands_the_careers_pages_and_emails_in_a_readable_colour",
    ),
    (
        "/jobs.xml",
        "open jobs only: ats::open_jobs_carry_json_ld_and_feeds_and_closed_jobs_vanish",
    ),
    (
        "/jobs.rss",
        "open jobs only: ats::open_jobs_carry_json_ld_and_feeds_and_closed_jobs_vanish",
    ),
    (
        "/unsubscribe",
        "a signed token: http::campaigns_personalise_carry_unsubscribe_and_skip_the_unsubscribed",
    ),
    (
        "/t/o/{token}",
        "a signed token: crm::tracked_links_pixels_unsubscribes_and_inbound_replies_are_recorded",
    ),
    (
        "/t/c/{token}",
        "a signed token: crm::tracked_links_pixels_unsubscribes_and_inbound_replies_are_recorded",
    ),
    (
        "/hooks/inbound",
        "a shared secret, else 403: crm::tracked_links_pixels_unsubscribes_and_inbound_replies_are_recorded",
    ),
    (
        "/portal/auth",
        "a signed, expiring link: http::applying_creates_the_person_emails_a_portal_link_and_refuses_twice",
    ),
];

/// The router's plain routes are each in the matrix above or open by design: a route added
/// without a decision on who may call it fails here.
#[test]
fn every_plain_route_is_classified() {
    let other = "j";
    let classified: BTreeSet<&str> = routes(other)
        .into_iter()
        .map(|(route, ..)| route)
        .chain(PUBLIC_ROUTES.iter().map(|(route, _)| *route))
        .collect();
    let registered = app::startup::routes();
    let missing: Vec<&&str> = registered
        .paths()
        .iter()
        .filter(|p| !classified.contains(**p))
        .collect();
    assert!(missing.is_empty(), "routes without a row: {missing:?}");
    // And no row names a route that is gone.
    let gone: Vec<&&str> = classified
        .iter()
        .filter(|c| !registered.paths().contains(c))
        .collect();
    assert!(
        gone.is_empty(),
        "rows for routes that no longer exist: {gone:?}"
    );
}

#[tokio::test]
async fn data_routes_allow_and_refuse_as_the_matrix_says() {
    let t = spawn_app().await;
    let other = other_job(&t).await;
    let clients = callers(&t).await;
    let mut wrong = Vec::new();
    for (_, path, allowed) in routes(&other) {
        for (who, c) in &clients {
            // The live board is an event stream: the status line is all this needs.
            let res = tokio::time::timeout(
                std::time::Duration::from_secs(10),
                c.get(t.url(&path)).send(),
            )
            .await
            .expect("an answer")
            .unwrap();
            let status = res.status().as_u16();
            drop(res);
            let refused = status == 401 || status == 403;
            if status >= 500 || allowed.contains(who) == refused {
                wrong.push(format!("GET {path} as {who:?}: {status}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    t.stop().await;
}

/// Object checks: the right role is not enough when the object belongs to someone else.
#[tokio::test]
async fn another_candidates_application_and_another_jobs_card_are_refused() {
    use app::pipeline::api::MoveCard;
    use app::portal::api::WithdrawApplication;
    let t = spawn_app().await;
    let c = candidate(&t).await;
    // An application of someone other than the signed-in candidate.
    let me: Vec<RecordId> = t
        .state()
        .db
        .query("SELECT VALUE person FROM application LIMIT 1")
        .await
        .unwrap()
        .take(0)
        .unwrap();
    let theirs: Vec<RecordId> = t
        .state()
        .db
        .query("SELECT VALUE id FROM application WHERE person != $me AND status = 'active' LIMIT 1")
        .bind(("me", me[0].clone()))
        .await
        .unwrap()
        .take(0)
        .unwrap();
    let key = app::server::db::key(&theirs[0]);
    let r = t
        .call::<WithdrawApplication>(&c, &[("application_id", key.as_str())])
        .await;
    assert!(
        r.status() == 403 || r.status() == 404,
        "withdrawing someone else's application: {}",
        r.status()
    );
    let status: Vec<String> = t
        .state()
        .db
        .query("SELECT VALUE status FROM $a")
        .bind(("a", theirs[0].clone()))
        .await
        .unwrap()
        .take(0)
        .unwrap();
    assert_eq!(status, ["active"]);

    // A card of job B moved through the URL of job A.
    let r = t.signed_in("recruiter@acme.test").await;
    let cards: Vec<(RecordId, RecordId, String)> = {
        let mut q = t
            .state()
            .db
            .query("SELECT VALUE [id, job, stage] FROM application WHERE status = 'active' LIMIT 1")
            .await
            .unwrap();
        let rows: Vec<(RecordId, RecordId, String)> = q.take(0).unwrap();
        rows
    };
    let (card, card_job, stage) = cards[0].clone();
    let other: Vec<RecordId> = t
        .state()
        .db
        .query("SELECT VALUE id FROM job WHERE id != $j LIMIT 1")
        .bind(("j", card_job.clone()))
        .await
        .unwrap()
        .take(0)
        .unwrap();
    let res = t
        .call::<MoveCard>(
            &r,
            &[
                ("job_id", app::server::db::key(&other[0]).as_str()),
                ("application_id", app::server::db::key(&card).as_str()),
                ("from", stage.as_str()),
                ("to", "hired"),
            ],
        )
        .await;
    assert!(
        !res.status().is_success(),
        "moved through another job's URL"
    );
    let now: Vec<String> = t
        .state()
        .db
        .query("SELECT VALUE stage FROM $a")
        .bind(("a", card.clone()))
        .await
        .unwrap()
        .take(0)
        .unwrap();
    assert_eq!(now, [stage]);
    t.stop().await;
}
