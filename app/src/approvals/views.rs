//! The approver's inbox and the page behind signed approval links.

use super::api::*;
use super::types::{LinkInfo, LinkViewer};
use crate::components::PostForm;
use crate::components::{FormError, Loading, PublicHeader, action_error, field_error, or_error};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ApprovalsPage() -> impl IntoView {
    let decide = ServerAction::<DecideApproval>::new();
    let list = Resource::new(move || decide.version().get(), |_| my_approvals());
    let err = action_error(decide);
    view! {
        <Title text="Approvals"/>
        <h1>"Approvals"</h1>
        <FormError error=crate::components::general_error(err)/>
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                or_error(list.await.map(|items| {
                    if items.is_empty() {
                        return view! { <p class="empty">"Nothing is waiting for your approval."</p> }.into_any();
                    }
                    items.into_iter().map(|a| {
                        let id1 = a.id.clone();
                        let id2 = a.id.clone();
                        let reason_id = format!("reason-{}", a.id);
                        let reject_label = if a.is_offer { "Reject offer" } else { "Reject requisition" };
                        view! {
                            <article class="card approval-item" data-approval=a.id.clone()>
                                <h2><a href=a.href.clone()>{a.job_title.clone()}</a></h2>
                                <p>{a.summary.clone()}</p>
                                <p class="muted small">{format!("Requested by {} · you are approver {} of {}", a.requested_by, a.position, a.of)}</p>
                                <div class="decide-row">
                                    <PostForm action=decide attr:class="inline">
                                        <input type="hidden" name="approval_id" value=id1/>
                                        <input type="hidden" name="decision" value="approve"/>
                                        <input type="hidden" name="reason" value=""/>
                                        <button type="submit" class="btn primary">"Approve"</button>
                                    </PostForm>
                                    <details class="reject-box">
                                        <summary class="btn">"Reject…"</summary>
                                        <PostForm action=decide attr:class="form">
                                            <input type="hidden" name="approval_id" value=id2/>
                                            <input type="hidden" name="decision" value="reject"/>
                                            <label for=reason_id.clone()>"Reason (the requester sees it)"</label>
                                            <textarea id=reason_id name="reason" rows="3"></textarea>
                                            <p class="field-error" role="alert">{move || field_error(err, "reason").get()}</p>
                                            <button type="submit" class="btn danger">{reject_label}</button>
                                        </PostForm>
                                    </details>
                                </div>
                            </article>
                        }
                    }).collect_view().into_any()
                }))
            })}
        </Transition>
    }
}

/// `/approvals/decide?token=…`: the page behind the links in emails and Slack. Nothing is decided
/// by opening it; the approver confirms (and gives a reason when rejecting).
#[component]
pub fn ApprovalLinkPage() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.with(|q| q.get("token").unwrap_or_default());
    let decide = ServerAction::<DecideByLink>::new();
    let info = Resource::new(
        move || (token(), decide.version().get()),
        |(t, _)| approval_link_info(t),
    );
    let err = action_error(decide);
    view! {
        <Title text="Approval"/>
        <PublicHeader/>
        <main class="page narrow" id="content">
            <h1>"Approval"</h1>
            <Suspense fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    match info.await {
                        Ok(i) if !i.open => view! {
                            <div class="banner banner-ok" role="status">
                                {match i.status.as_str() {
                                    "approved" => format!("{} approved {}. Thank you.", i.approver_name, i.job_title),
                                    "rejected" => format!("{} rejected {}. The requester has been told.", i.approver_name, i.job_title),
                                    _ => "This request is no longer waiting for a decision.".to_string(),
                                }}
                            </div>
                        }.into_any(),
                        Ok(i) if i.viewer == LinkViewer::SignedOut => {
                            let here = format!("/approvals/decide?token={}", token());
                            let login = format!("/login?next={}", crate::components::urlencode(&here));
                            view! {
                                <div class="card">
                                    <h2>{i.job_title.clone()}</h2>
                                    <p>{format!("This decision is for {}. Sign in to decide.", i.approver_name)}</p>
                                    <a class="btn primary" href=login>"Sign in to decide"</a>
                                </div>
                            }.into_any()
                        }
                        Ok(LinkInfo { viewer: LinkViewer::Other(me), approver_name, job_title, .. }) => view! {
                            <div class="card">
                                <h2>{job_title}</h2>
                                <div class="banner banner-error" role="alert">
                                    {format!("This decision is for {approver_name}, and you are signed in as {me}. Sign out, then open the link again and sign in as {approver_name}.")}
                                </div>
                            </div>
                        }.into_any(),
                        Ok(i) => {
                            let approve = i.decision == "approve";
                            let subject = i.subject.clone();
                            view! {
                                <div class="card">
                                    <h2>{i.job_title.clone()}</h2>
                                    <p>{i.summary.clone()}</p>
                                    <p class="muted">{format!("Decision for {}", i.approver_name)}</p>
                                    <FormError error=crate::components::general_error(err)/>
                                    <PostForm action=decide attr:class="form">
                                        <input type="hidden" name="token" value=token()/>
                                        {if approve {
                                            view! {
                                                <input type="hidden" name="reason" value=""/>
                                                <button type="submit" class="btn primary">{format!("Approve {subject}")}</button>
                                            }.into_any()
                                        } else {
                                            view! {
                                                <div class="field">
                                                    <label for="f-reason">"Why do you reject it?"</label>
                                                    <textarea id="f-reason" name="reason" rows="4"></textarea>
                                                    <p class="field-error" id="f-reason-error" role="alert">{move || field_error(err, "reason").get()}</p>
                                                </div>
                                                <button type="submit" class="btn danger">{format!("Reject {subject}")}</button>
                                            }.into_any()
                                        }}
                                    </PostForm>
                                </div>
                            }.into_any()
                        }
                        Err(e) => view! { <div class="banner banner-error" role="alert">{match e {
                            AppError::Forbidden | AppError::NotFound => "This approval link is not valid.".to_string(),
                            other => other.to_string(),
                        }}</div> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}
