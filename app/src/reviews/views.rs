//! The staff home's list of human-review requests, and the portal's "ask a person" form.

use super::api::{AnswerReviewRequest, RequestHumanReview, list_review_requests};
use super::types::{ReviewRequest, ReviewState};
use crate::components::PostForm;
use crate::components::ui::{Badge, Tone};
use crate::components::{action_error, field_error, format_date};
use leptos::prelude::*;

/// The open review requests and the answer action, made by the home in its own body: a
/// resource created inside the home's `Suspend` is not matched with the server's data while
/// hydrating, so the browser read the list again, and when a candidate had asked meanwhile the
/// home failed to hydrate. Empty without a read for staff who do not manage jobs.
#[derive(Clone, Copy)]
pub struct ReviewRequests {
    answer: ServerAction<AnswerReviewRequest>,
    list: Resource<Result<Vec<ReviewRequest>, crate::error::AppError>>,
}

impl ReviewRequests {
    pub fn new(manages_jobs: bool) -> Self {
        let answer = ServerAction::<AnswerReviewRequest>::new();
        let list = Resource::new(
            move || answer.version().get(),
            move |_| async move {
                if manages_jobs {
                    list_review_requests().await
                } else {
                    Ok(Vec::new())
                }
            },
        );
        Self { answer, list }
    }
}

/// On the staff home (recruiters and admins): candidates who asked for a person to review their
/// application, with the answer form.
#[component]
pub fn ReviewRequestsCard(requests: ReviewRequests) -> impl IntoView {
    let ReviewRequests { answer, list } = requests;
    let err = action_error(answer);
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                list.await.ok().map(|items| {
                    let n = items.len();
                    let tone = if n > 0 { Tone::Warn } else { Tone::Neutral };
                    view! {
                        <section class="card todo review-requests" aria-labelledby="todo-reviews">
                            <h2 id="todo-reviews">"Asked for a human review "
                                <Badge tone=tone>{n}</Badge></h2>
                            {if items.is_empty() {
                                view! { <p class="muted">"No candidate is waiting for a review."</p> }.into_any()
                            } else {
                                view! {
                                    <p class="field-error" role="alert">{move || field_error(err, "answer").get()}</p>
                                    <ul class="plain todo-list">
                                        {items.into_iter().map(|r| {
                                            let field = format!("review-answer-{}", r.id);
                                            view! {
                                                <li class="review-request">
                                                    <a href=format!("/app/applications/{}", r.application_id)>{r.person_name.clone()}</a>
                                                    <span class="muted small">{format!(" · {} · asked {}", r.job_title, format_date(&r.requested_at))}</span>
                                                    {(!r.note.is_empty()).then(|| view! { <blockquote class="small">{r.note.clone()}</blockquote> })}
                                                    <details>
                                                        <summary>"Answer"</summary>
                                                        <PostForm action=answer attr:class="form">
                                                            <input type="hidden" name="request_id" value=r.id.clone()/>
                                                            <label for=field.clone()>"What you found, for the candidate"</label>
                                                            <textarea id=field name="answer" rows="3"></textarea>
                                                            <button type="submit" class="btn primary">"Send the answer"</button>
                                                        </PostForm>
                                                    </details>
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                        </section>
                    }
                })
            })}
        </Transition>
    }
}

/// On a portal application: ask a person to review it, or where the request stands.
#[component]
pub fn AskForReview(
    application_id: String,
    state: Option<ReviewState>,
    ask: ServerAction<RequestHumanReview>,
) -> impl IntoView {
    let err = action_error(ask);
    match state {
        Some(s) if s.status == "open" => view! {
            <p class="banner review-state" role="status">
                {format!("You asked for a person to review this application on {}. We will write to you.", format_date(&s.requested_at))}
            </p>
        }.into_any(),
        Some(s) => view! {
            <p class="banner banner-ok review-state" role="status">
                {format!("A person reviewed this application: {}", s.answer.unwrap_or_default())}
            </p>
        }.into_any(),
        None => {
            let field = format!("review-note-{application_id}");
            view! {
                // Open when the last request came back with an error, so that it shows.
                <details class="human-review" open=move || crate::components::live(err).is_some()>
                    <summary>"Ask a person to review this application"</summary>
                    <p class="small">"Someone on the hiring team reads your application again and writes to you with what they found."</p>
                    <PostForm action=ask attr:class="form">
                        <input type="hidden" name="application_id" value=application_id/>
                        <label for=field.clone()>"Anything we should know? (optional)"</label>
                        <textarea id=field name="note" rows="3"></textarea>
                        <p class="field-error" role="alert">{move || field_error(err, "note").get()}</p>
                        <button type="submit" class="btn">"Ask for a human review"</button>
                    </PostForm>
                </details>
            }.into_any()
        }
    }
}
