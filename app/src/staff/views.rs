//! Staff account pages: the admins' staff page, my account (password), and the pages behind
//! invitation and password-reset links. All work without JavaScript.

use super::api::*;
use super::types::*;
use crate::auth::types::Role;
use crate::components::PostForm;
use crate::components::{
    Field, FormError, Loading, PublicHeader, action_or_url_error, field_error, format_datetime,
    or_error,
};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

const PASSWORD_HINT: &str =
    "At least 12 characters. A few unrelated words make a strong password you can remember.";

fn role_options(selected: Role) -> impl IntoView {
    Role::ALL
        .into_iter()
        .map(|r| view! { <option value=r.as_str() selected=r == selected>{r.label()}</option> })
        .collect_view()
}

/// `/admin/staff`: invite colleagues, change roles, deactivate, and see who signed in when.
#[component]
pub fn StaffPage() -> impl IntoView {
    let invite = ServerAction::<InviteStaff>::new();
    let role = ServerAction::<ChangeRole>::new();
    let active = ServerAction::<SetStaffActive>::new();
    let require = ServerAction::<RequireTwoStep>::new();
    let directory = Resource::new(
        move || {
            (
                invite.version().get(),
                role.version().get(),
                active.version().get(),
                require.version().get(),
            )
        },
        |_| staff_directory(),
    );
    let invite_err = action_or_url_error(invite);
    let change_err = Signal::derive(move || {
        action_or_url_error(role)
            .get()
            .or_else(|| action_or_url_error(active).get())
    });
    let invited = move || matches!(invite.value().get(), Some(Ok(())));
    view! {
        <Title text="Staff"/>
        <h1>"Staff"</h1>
        <section class="card">
            <h2>"Invite a colleague"</h2>
            <p class="muted">"They get an email with a link to set their password. The link works once, for 7 days."</p>
            <Show when=invited>
                <p class="banner banner-ok" role="status">"Invitation sent."</p>
            </Show>
            <FormError error=crate::components::general_error(invite_err)/>
            <PostForm action=invite attr:class="form" attr:novalidate=true>
                <div class="row">
                    <Field label="Name" name="name" required=true error=field_error(invite_err, "name")/>
                    <Field label="Email" name="email" kind="email" required=true error=field_error(invite_err, "email")/>
                    <div class="field">
                        <label for="f-role">"Role"</label>
                        <select id="f-role" name="role">{role_options(Role::Recruiter)}</select>
                        <p class="field-error" role="alert">{move || field_error(invite_err, "role").get()}</p>
                    </div>
                </div>
                <button type="submit" class="btn primary">"Send invitation"</button>
            </PostForm>
        </section>
        <FormError error=change_err/>
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                or_error(directory.await.map(|d| view! {
                    <table class="staff-table">
                        <thead><tr><th>"Name"</th><th>"Role"</th><th>"Status"</th><th>"Two-step"</th><th>"Last sign-in"</th><th></th></tr></thead>
                        <tbody>
                            {d.members.into_iter().map(|m| {
                                let id = m.id.clone();
                                let id2 = m.id.clone();
                                let status = if !m.active { "Deactivated" } else if m.invited { "Invited" } else { "Active" };
                                let role_label = format!("Role of {}", m.name);
                                let role_id = format!("role-{}", m.id);
                                let id3 = m.id.clone();
                                let require_label = if m.two_step_required {
                                    format!("Stop requiring two-step of {}", m.name)
                                } else {
                                    format!("Require two-step of {}", m.name)
                                };
                                let toggle = if m.active { format!("Deactivate {}", m.name) } else { format!("Reactivate {}", m.name) };
                                view! {
                                    <tr data-staff=m.email.clone()>
                                        <td><strong>{m.name.clone()}</strong><br/><span class="muted small">{m.email.clone()}</span></td>
                                        <td>
                                            <PostForm action=role attr:class="inline">
                                                <input type="hidden" name="staff_id" value=id/>
                                                <label class="visually-hidden" for=role_id.clone()>{role_label}</label>
                                                <select id=role_id name="role">{role_options(m.role)}</select>
                                                <button type="submit" class="btn">"Save role"</button>
                                            </PostForm>
                                        </td>
                                        <td class="staff-status">{status}</td>
                                        <td class="staff-two-step">
                                            {if m.two_step { "On" } else if m.two_step_required { "Required" } else { "Off" }}
                                            <PostForm action=require attr:class="inline">
                                                <input type="hidden" name="staff_id" value=id3/>
                                                <input type="hidden" name="required" value=if m.two_step_required { "false" } else { "true" }/>
                                                <button type="submit" class="btn link">{require_label}</button>
                                            </PostForm>
                                        </td>
                                        <td>{m.last_sign_in.as_deref().map(format_datetime).unwrap_or_else(|| "Never".into())}</td>
                                        <td>
                                            <PostForm action=active attr:class="inline">
                                                <input type="hidden" name="staff_id" value=id2/>
                                                <input type="hidden" name="active" value=if m.active { "false" } else { "true" }/>
                                                <button type="submit" class=if m.active { "btn danger" } else { "btn" }>
                                                    {toggle}
                                                </button>
                                            </PostForm>
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                    <h2>"Recent sign-ins"</h2>
                    {if d.sign_ins.is_empty() {
                        view! { <p class="empty">"Nobody has signed in yet."</p> }.into_any()
                    } else {
                        view! {
                            <ul class="sign-ins">
                                {d.sign_ins.into_iter().map(|s| view! {
                                    <li>{s.name}" · "{format_datetime(&s.at)}<span class="muted small">" · "{s.ip}</span></li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                }))
            })}
        </Transition>
    }
}

/// `/app/account`: change my password (the current one first; other sessions end).
#[component]
pub fn AccountPage() -> impl IntoView {
    let change = ServerAction::<ChangePassword>::new();
    let err = action_or_url_error(change);
    let query = use_query_map();
    let changed = move || {
        matches!(change.value().get(), Some(Ok(())))
            || query.with(|q| q.get("changed").as_deref() == Some("1"))
    };
    let must = crate::auth::views::use_staff().must_set_up_two_step;
    view! {
        <Title text="My account"/>
        <h1>"My account"</h1>
        {must.then(|| view! {
            <p class="banner banner-error" role="alert">
                "Two-step sign-in is required for your account. Set it up below to continue."
            </p>
        })}
        <section class="card">
            <h2>"Change your password"</h2>
            <Show when=changed>
                <p class="banner banner-ok" role="status">"Your password was changed. You were signed out everywhere else."</p>
            </Show>
            <FormError error=crate::components::general_error(err)/>
            <PostForm action=change attr:class="form" attr:novalidate=true>
                <Field label="Current password" name="current" kind="password" required=true
                    autocomplete="current-password" error=field_error(err, "current")/>
                <Field label="New password" name="password" kind="password" required=true hint=PASSWORD_HINT
                    autocomplete="new-password" error=field_error(err, "password")/>
                <Field label="New password again" name="confirm" kind="password" required=true
                    autocomplete="new-password" error=field_error(err, "confirm")/>
                <button type="submit" class="btn primary">"Change password"</button>
            </PostForm>
        </section>
        <TwoStepSection/>
    }
}

/// Two-step sign-in on the account page: set up with an authenticator app (the key and the
/// recovery codes stay on the page until the first code is entered, so it works without
/// JavaScript too), or turn off with the password.
#[component]
fn TwoStepSection() -> impl IntoView {
    let begin = ServerAction::<BeginTwoStep>::new();
    let enable = ServerAction::<EnableTwoStep>::new();
    let disable = ServerAction::<DisableTwoStep>::new();
    let status = Resource::new(
        move || {
            (
                begin.version().get(),
                enable.version().get(),
                disable.version().get(),
            )
        },
        |_| my_two_step(),
    );
    let enable_err = action_or_url_error(enable);
    let disable_err = action_or_url_error(disable);
    let begin_err = action_or_url_error(begin);
    view! {
        <section class="card two-step">
            <h2>"Two-step sign-in"</h2>
            <p class="muted">"With it on, signing in takes your password and a code from an authenticator app on your phone."</p>
            <FormError error=begin_err/>
            {move || match enable.value().get() {
                Some(Ok(codes)) => Some(view! {
                    <div class="banner banner-ok" role="status">
                        "Two-step sign-in is on. Keep these recovery codes somewhere safe: each signs you in once if you lose your phone. They are shown only now."
                    </div>
                    <ul class="recovery-codes">
                        {codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
                    </ul>
                    <p><a href="/app" rel="external" class="btn">"Continue"</a></p>
                }),
                _ => None,
            }}
            <Transition fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    or_error(status.await.map(|s| {
                        if s.enabled {
                            view! {
                                <p class="two-step-status">{format!("On · {} recovery codes left", s.recovery_left)}</p>
                                <PostForm action=disable attr:class="form" attr:novalidate=true>
                                    <Field label="Your password" name="password" kind="password" required=true
                                        autocomplete="current-password" error=field_error(disable_err, "password")/>
                                    <button type="submit" class="btn danger">"Turn off two-step sign-in"</button>
                                </PostForm>
                            }.into_any()
                        } else if let Some(setup) = s.pending {
                            view! {
                                <p class="two-step-status">"Off · setting up"</p>
                                <ol class="two-step-setup">
                                    <li>
                                        "In your authenticator app, add an account: open "
                                        <a href=setup.url.clone()>"this link"</a>
                                        " on your phone, or type the key "
                                        <code class="totp-secret">{setup.secret.clone()}</code>"."
                                    </li>
                                    <li>
                                        "Keep these recovery codes somewhere safe: once two-step sign-in is on, each signs you in once if you lose your phone."
                                        <ul class="recovery-codes">
                                            {setup.recovery_codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
                                        </ul>
                                    </li>
                                    <li>"Enter the 6-digit code the app shows."</li>
                                </ol>
                                <PostForm action=enable attr:class="form" attr:novalidate=true>
                                    <Field label="Code from your app" name="code" required=true autocomplete="one-time-code"
                                        error=field_error(enable_err, "code")/>
                                    <button type="submit" class="btn primary">"Turn on two-step sign-in"</button>
                                </PostForm>
                                <PostForm action=begin attr:class="inline">
                                    <button type="submit" class="btn small">"Start again with a new key"</button>
                                </PostForm>
                            }.into_any()
                        } else {
                            view! {
                                <p class="two-step-status">"Off"</p>
                                <PostForm action=begin attr:class="inline">
                                    <button type="submit" class="btn">"Set up two-step sign-in"</button>
                                </PostForm>
                            }.into_any()
                        }
                    }))
                })}
            </Transition>
        </section>
    }
}

/// The set-password form behind an invitation or reset link.
#[component]
fn SetPasswordForm(purpose: &'static str, token: String, holder: LinkHolder) -> impl IntoView {
    let set = ServerAction::<SetPasswordByLink>::new();
    let err = action_or_url_error(set);
    let (button, intro) = if purpose == "invite" {
        (
            "Set password and sign in",
            format!(
                "Welcome, {}. Choose a password for {}.",
                holder.name, holder.email
            ),
        )
    } else {
        (
            "Set new password",
            format!("Choose a new password for {}.", holder.email),
        )
    };
    view! {
        <p class="lead">{intro}</p>
        <FormError error=Signal::derive(move || crate::components::live(err).filter(|e| !matches!(e, AppError::Validation(v) if v.iter().all(|f| f.field != "token"))))/>
        <PostForm action=set attr:class="card form" attr:novalidate=true>
            <input type="hidden" name="purpose" value=purpose/>
            <input type="hidden" name="token" value=token/>
            <Field label="Password" name="password" kind="password" required=true hint=PASSWORD_HINT
                autocomplete="new-password" error=field_error(err, "password")/>
            <Field label="Password again" name="confirm" kind="password" required=true
                autocomplete="new-password" error=field_error(err, "confirm")/>
            <button type="submit" class="btn primary">{button}</button>
        </PostForm>
    }
}

fn link_problem(e: AppError) -> AnyView {
    let message = match e {
        AppError::Validation(v) => v
            .into_iter()
            .next()
            .map(|f| f.message)
            .unwrap_or_else(|| "This link is not valid.".into()),
        other => other.to_string(),
    };
    view! { <div class="banner banner-error" role="alert">{message}</div> }.into_any()
}

/// `/invite?token=…`: an invited colleague sets their password and is signed in.
#[component]
pub fn InvitePage() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.with(|q| q.get("token").unwrap_or_default());
    let holder = Resource::new(token, |t| staff_link_holder("invite".into(), t));
    let join = match crate::components::use_company() {
        c if c.is_empty() => "Join the hiring team".to_string(),
        c => format!("Join {c} Hiring"),
    };
    view! {
        <Title text=join.clone()/>
        <PublicHeader/>
        <main class="page narrow" id="content">
            <h1>{join}</h1>
            <Suspense fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    match holder.await {
                        Ok(h) => view! { <SetPasswordForm purpose="invite" token=token() holder=h/> }.into_any(),
                        Err(e) => link_problem(e),
                    }
                })}
            </Suspense>
        </main>
    }
}

/// `/password/reset`: ask for a reset link; with `?token=…`, set a new password.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.with(|q| q.get("token").unwrap_or_default());
    let sent = move || query.with(|q| q.get("sent").as_deref() == Some("1"));
    let request = ServerAction::<RequestPasswordReset>::new();
    let err = action_or_url_error(request);
    let holder = Resource::new(token, |t| async move {
        if t.is_empty() {
            Ok(None)
        } else {
            staff_link_holder("reset".into(), t).await.map(Some)
        }
    });
    view! {
        <Title text="Reset your password"/>
        <PublicHeader/>
        <main class="page narrow" id="content">
            <h1>"Reset your password"</h1>
            <Suspense fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    match holder.await {
                        Ok(Some(h)) => view! { <SetPasswordForm purpose="reset" token=token() holder=h/> }.into_any(),
                        Err(e) => link_problem(e),
                        Ok(None) if sent() || matches!(request.value().get(), Some(Ok(()))) => view! {
                            <p class="banner banner-ok" role="status">
                                "If that address belongs to a staff account, a link to reset the password is on its way. It works once, for an hour."
                            </p>
                        }.into_any(),
                        Ok(None) => view! {
                            <p class="muted">"Enter your work email. We will send you a link to choose a new password."</p>
                            <FormError error=crate::components::general_error(err)/>
                            <PostForm action=request attr:class="card form" attr:novalidate=true>
                                <Field label="Email" name="email" kind="email" required=true autocomplete="username"
                                    error=field_error(err, "email")/>
                                <button type="submit" class="btn primary">"Email me a link"</button>
                            </PostForm>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}
