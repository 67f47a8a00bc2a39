//! Staff accounts over HTTP: invitations, roles, deactivation, sign-in history, password
//! change and reset, and the password rules.

use crate::common;

use app::auth::api::{Login, Me};
use app::staff::api::*;
use common::*;
use serde_json::Value;

const ADMIN: &str = "admin@acme.test";
const STRONG: &str = "plum orchard lantern 42";

fn token_in(mail: &str, page: &str) -> String {
    let text = body(mail);
    let start = text.find(page).expect("link in mail") + page.len();
    let rest = &text[start..];
    let end = rest.find(|c: char| c.is_whitespace()).unwrap_or(rest.len());
    rest[..end].to_string()
}

async fn sign_in(t: &TestApp, email: &str, password: &str) -> (reqwest::Client, u16) {
    let c = t.client();
    let r = t
        .call::<Login>(
            &c,
            &[("email", email), ("password", password), ("next", "/app")],
        )
        .await;
    (c, r.status().as_u16())
}

async fn me(t: &TestApp, c: &reqwest::Client) -> Value {
    t.call::<Me>(c, &[]).await.json().await.unwrap()
}

#[tokio::test]
async fn an_admin_invites_a_colleague_who_sets_a_password_and_is_signed_in() {
    let t = spawn_app().await;
    let admin = t.signed_in(ADMIN).await;
    let bad = t
        .call::<InviteStaff>(&admin, &[("name", ""), ("email", "nope"), ("role", "boss")])
        .await;
    assert_eq!(bad.status(), 422);
    let body: Value = bad.json().await.unwrap();
    let fields: Vec<&str> = body["Validation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["name", "email", "role"]);
    let ok = t
        .call::<InviteStaff>(
            &admin,
            &[
                ("name", "Nia Newcomer"),
                ("email", "nia@acme.test"),
                ("role", "recruiter"),
            ],
        )
        .await;
    assert!(ok.status().is_success(), "{}", ok.status());
    // Twice: refused, it is the same person.
    let again = t
        .call::<InviteStaff>(
            &admin,
            &[
                ("name", "Nia"),
                ("email", "nia@acme.test"),
                ("role", "sourcer"),
            ],
        )
        .await;
    assert_eq!(again.status(), 422);

    let mail = t.smtp.wait_for("nia@acme.test", 1).await.remove(0);
    assert!(
        header(&mail, "Subject")
            .unwrap()
            .contains("invites you to Acme Hiring")
    );
    let token = percent_decode(&token_in(&mail, "/invite?token="));
    // The invited colleague cannot sign in before setting a password.
    assert_eq!(sign_in(&t, "nia@acme.test", "").await.1, 422);
    let holder: Value = t
        .call::<StaffLinkHolder>(&t.client(), &[("purpose", "invite"), ("token", &token)])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(holder["name"], "Nia Newcomer");
    // The link is for inviting, not for resetting.
    let wrong = t
        .call::<StaffLinkHolder>(&t.client(), &[("purpose", "reset"), ("token", &token)])
        .await;
    assert_eq!(wrong.status(), 422);

    let c = t.client();
    let set = |password: &'static str, confirm: &'static str| {
        let c = c.clone();
        let token = token.clone();
        let t = &t;
        async move {
            t.call::<SetPasswordByLink>(
                &c,
                &[
                    ("purpose", "invite"),
                    ("token", token.as_str()),
                    ("password", password),
                    ("confirm", confirm),
                ],
            )
            .await
        }
    };
    let weak = set("password1234", "password1234").await;
    assert_eq!(weak.status(), 422);
    let body: Value = weak.json().await.unwrap();
    assert_eq!(body["Validation"][0]["field"], "password");
    let differ = set(STRONG, "something else entirely").await;
    assert_eq!(differ.status(), 422);
    let body: Value = differ.json().await.unwrap();
    assert_eq!(body["Validation"][0]["field"], "confirm");
    let done = set(STRONG, STRONG).await;
    assert!(done.status().is_success() || done.status().is_redirection());
    assert_eq!(done.headers()["location"], "/app");
    assert_eq!(me(&t, &c).await["email"], "nia@acme.test", "signed in");
    assert_eq!(me(&t, &c).await["role"], "recruiter");
    // The link works once.
    let reuse = set("another strong passphrase", "another strong passphrase").await;
    assert_eq!(reuse.status(), 422);
    assert_eq!(sign_in(&t, "nia@acme.test", STRONG).await.1, 200);

    // The admin sees them, with their sign-ins.
    let dir: Value = t
        .call::<StaffDirectory>(&admin, &[])
        .await
        .json()
        .await
        .unwrap();
    let nia = dir["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["email"] == "nia@acme.test")
        .unwrap()
        .clone();
    assert_eq!(nia["active"], true);
    assert_eq!(nia["invited"], false);
    assert!(nia["last_sign_in"].is_string());
    assert!(
        dir["sign_ins"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["name"] == "Nia Newcomer")
            .count()
            >= 2
    );
    t.stop().await;
}

#[tokio::test]
async fn roles_change_at_once_and_deactivation_ends_every_session() {
    let t = spawn_app().await;
    let admin = t.signed_in(ADMIN).await;
    let recruiter_id: Value = t
        .call::<StaffDirectory>(&admin, &[])
        .await
        .json::<Value>()
        .await
        .unwrap()["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["email"] == "recruiter@acme.test")
        .unwrap()["id"]
        .clone();
    let rid = recruiter_id.as_str().unwrap();
    let laptop = t.signed_in("recruiter@acme.test").await;
    let phone = t.signed_in("recruiter@acme.test").await;
    let jobs = t.call::<app::jobs::api::ListJobs>(&laptop, &[]).await;
    assert!(jobs.status().is_success());

    // A new role applies to the next request.
    let r = t
        .call::<ChangeRole>(&admin, &[("staff_id", rid), ("role", "sourcer")])
        .await;
    assert!(r.status().is_success());
    assert_eq!(me(&t, &laptop).await["role"], "sourcer");
    assert_eq!(
        t.call::<app::jobs::api::ListJobs>(&laptop, &[])
            .await
            .status(),
        403
    );

    // Deactivated: every session ends, and signing in is refused.
    let r = t
        .call::<SetStaffActive>(&admin, &[("staff_id", rid), ("active", "false")])
        .await;
    assert!(r.status().is_success());
    assert_eq!(me(&t, &laptop).await, Value::Null);
    assert_eq!(me(&t, &phone).await, Value::Null);
    assert_eq!(
        sign_in(&t, "recruiter@acme.test", app::demo::DEMO_PASSWORD)
            .await
            .1,
        422
    );
    // Reactivated: they sign in again.
    let r = t
        .call::<SetStaffActive>(&admin, &[("staff_id", rid), ("active", "true")])
        .await;
    assert!(r.status().is_success());
    assert_eq!(
        sign_in(&t, "recruiter@acme.test", app::demo::DEMO_PASSWORD)
            .await
            .1,
        200
    );

    // Someone must stay an admin.
    let admin_id = me(&t, &admin).await["id"].as_str().unwrap().to_string();
    let r = t
        .call::<SetStaffActive>(&admin, &[("staff_id", &admin_id), ("active", "false")])
        .await;
    assert_eq!(r.status(), 409);
    let r = t
        .call::<ChangeRole>(&admin, &[("staff_id", &admin_id), ("role", "recruiter")])
        .await;
    assert_eq!(r.status(), 409);
    assert_eq!(me(&t, &admin).await["role"], "admin");
    t.stop().await;
}

#[tokio::test]
async fn passwords_change_with_the_current_one_and_reset_by_email() {
    let t = spawn_app().await;
    let email = "interviewer@acme.test";
    let c = t.signed_in(email).await;
    let other = t.signed_in(email).await;
    let change = |current: &'static str, new: &'static str| {
        let c = c.clone();
        let t = &t;
        async move {
            t.call::<ChangePassword>(
                &c,
                &[("current", current), ("password", new), ("confirm", new)],
            )
            .await
        }
    };
    let r = change("not my password", STRONG).await;
    assert_eq!(r.status(), 422);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["Validation"][0]["field"], "current");
    let r = change(app::demo::DEMO_PASSWORD, "short").await;
    assert_eq!(r.status(), 422);
    let r = change(app::demo::DEMO_PASSWORD, STRONG).await;
    assert!(r.status().is_success() || r.status().is_redirection());
    assert_eq!(me(&t, &c).await["email"], email, "this session stays");
    assert_eq!(me(&t, &other).await, Value::Null, "the other session ended");
    assert_eq!(sign_in(&t, email, app::demo::DEMO_PASSWORD).await.1, 422);
    assert_eq!(sign_in(&t, email, STRONG).await.1, 200);

    // Forgotten: a reset link by email. Unknown addresses get the same answer and no mail.
    for address in ["nobody@acme.test", email] {
        let r = t
            .call::<RequestPasswordReset>(&t.client(), &[("email", address)])
            .await;
        assert!(r.status().is_success() || r.status().is_redirection());
        assert_eq!(r.headers()["location"], "/password/reset?sent=1");
    }
    let mail = t.smtp.wait_for(email, 1).await.remove(0);
    assert_eq!(header(&mail, "Subject").unwrap(), "Reset your password");
    assert!(
        t.smtp
            .messages()
            .iter()
            .all(|m| !m.contains("nobody@acme.test"))
    );
    let token = percent_decode(&token_in(&mail, "/password/reset?token="));
    let fresh = "violet harbour compass 7";
    let r = t
        .call::<SetPasswordByLink>(
            &t.client(),
            &[
                ("purpose", "reset"),
                ("token", &token),
                ("password", fresh),
                ("confirm", fresh),
            ],
        )
        .await;
    assert!(r.status().is_success() || r.status().is_redirection());
    assert_eq!(r.headers()["location"], "/login?reset=1");
    assert_eq!(me(&t, &c).await, Value::Null, "a reset ends every session");
    assert_eq!(sign_in(&t, email, fresh).await.1, 200);
    // The link works once.
    let r = t
        .call::<SetPasswordByLink>(
            &t.client(),
            &[
                ("purpose", "reset"),
                ("token", &token),
                ("password", "a different good passphrase"),
                ("confirm", "a different good passphrase"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    t.stop().await;
}

#[tokio::test]
async fn two_step_sign_in_takes_the_apps_code_once_or_a_recovery_code() {
    use app::auth::totp;
    let t = spawn_app().await;
    let email = "recruiter@acme.test";
    let c = t.signed_in(email).await;
    let setup: Value = t.call::<BeginTwoStep>(&c, &[]).await.json().await.unwrap();
    let secret = totp::from_base32(setup["secret"].as_str().unwrap()).unwrap();
    assert!(
        setup["url"]
            .as_str()
            .unwrap()
            .starts_with("otpauth://totp/")
    );
    let now = app::server::security::now_unix();
    // A wrong code does not turn it on.
    let current = totp::code_at(&secret, now);
    let wrong = format!(
        "{:06}",
        (current.parse::<u32>().unwrap() + 500_000) % 1_000_000
    );
    let r = t
        .call::<EnableTwoStep>(&c, &[("code", wrong.as_str())])
        .await;
    assert_eq!(r.status(), 422);
    let codes: Vec<String> = t
        .call::<EnableTwoStep>(&c, &[("code", current.as_str())])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(codes.len(), 10);
    let status: Value = t.call::<MyTwoStep>(&c, &[]).await.json().await.unwrap();
    assert_eq!(status["enabled"], true);
    assert_eq!(status["recovery_left"], 10);

    let login = |code: String| {
        let t = &t;
        async move {
            let c = t.client();
            let r = t
                .call::<Login>(
                    &c,
                    &[
                        ("email", email),
                        ("password", app::demo::DEMO_PASSWORD),
                        ("next", "/app"),
                        ("code", code.as_str()),
                    ],
                )
                .await;
            let status = r.status().as_u16();
            let body: Value = r.json().await.unwrap_or(Value::Null);
            (status, body, c)
        }
    };
    // The password alone asks for the code.
    let (status, body, _) = login(String::new()).await;
    assert_eq!(status, 422);
    assert_eq!(body["Validation"][0]["field"], "code");
    // The code used to turn it on was used: it does not sign in.
    assert_eq!(login(current.clone()).await.0, 422);
    // The next code does, once.
    let next = totp::code_at(&secret, now + totp::STEP);
    let (status, _, signed) = login(next.clone()).await;
    assert_eq!(status, 200);
    assert_eq!(me(&t, &signed).await["email"], email);
    assert_eq!(login(next).await.0, 422, "a code works once");
    // A recovery code signs in once.
    assert_eq!(login(codes[0].to_uppercase()).await.0, 200);
    assert_eq!(login(codes[0].clone()).await.0, 422);
    let status: Value = t.call::<MyTwoStep>(&c, &[]).await.json().await.unwrap();
    assert_eq!(status["recovery_left"], 9);

    // Off, with the password.
    let r = t.call::<DisableTwoStep>(&c, &[("password", "wrong")]).await;
    assert_eq!(r.status(), 422);
    let r = t
        .call::<DisableTwoStep>(&c, &[("password", app::demo::DEMO_PASSWORD)])
        .await;
    assert!(r.status().is_success());
    assert_eq!(login(String::new()).await.0, 200);
    t.stop().await;
}

#[tokio::test]
async fn when_admins_require_two_step_sign_in_only_its_setup_works_until_it_is_on() {
    use app::auth::totp;
    let t = spawn_app().await;
    let admin = t.signed_in(ADMIN).await;
    let recruiter = t.signed_in("recruiter@acme.test").await;
    let rid = me(&t, &recruiter).await["id"].as_str().unwrap().to_string();
    let require = [("staff_id", rid.as_str()), ("required", "true")];
    let r = t.call::<RequireTwoStep>(&recruiter, &require).await;
    assert_eq!(r.status(), 403, "admins only");
    let r = t.call::<RequireTwoStep>(&admin, &require).await;
    assert!(r.status().is_success());
    // Only of them: the admin works on.
    assert_eq!(me(&t, &admin).await["must_set_up_two_step"], false);

    // The recruiter (no two-step yet) is held to its setup: other functions and data routes
    // are refused, the account page's functions work.
    assert_eq!(me(&t, &recruiter).await["must_set_up_two_step"], true);
    assert_eq!(
        t.call::<app::jobs::api::ListJobs>(&recruiter, &[])
            .await
            .status(),
        403
    );
    let export = recruiter
        .get(t.url("/app/export/search?q=rust"))
        .send()
        .await
        .unwrap();
    assert_eq!(export.status(), 403);
    // Their account page says why.
    let account = recruiter
        .get(t.url("/app/account"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(account.contains("Two-step sign-in is required for your account."));
    let setup: Value = t
        .call::<BeginTwoStep>(&recruiter, &[])
        .await
        .json()
        .await
        .unwrap();
    let secret = totp::from_base32(setup["secret"].as_str().unwrap()).unwrap();
    let code = totp::code_at(&secret, app::server::security::now_unix());
    let r = t
        .call::<EnableTwoStep>(&recruiter, &[("code", code.as_str())])
        .await;
    assert!(r.status().is_success());
    // Set up: everything works again, in the same session.
    assert_eq!(me(&t, &recruiter).await["must_set_up_two_step"], false);
    assert!(
        t.call::<app::jobs::api::ListJobs>(&recruiter, &[])
            .await
            .status()
            .is_success()
    );
    t.stop().await;
}
