//! The sourcer's home: replies that wait for an answer, what the campaigns of the last weeks
//! drew, and who joined the talent pool lately.

use super::types::*;
use crate::components::{Avatar, EmptyState, Loading, TodoCard, Tone, format_datetime, or_error};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;

#[server]
pub async fn load_sourcer_home() -> Result<SourcerHome, AppError> {
    crate::auth::guard::require_role(crate::auth::types::Role::uses_crm).await?;
    let st = crate::server::state()?;
    super::sourcer_repo::sourcer_home(&st.db, chrono::Utc::now()).await
}

#[component]
pub fn SourcerHomePage() -> impl IntoView {
    let user = crate::auth::views::use_staff();
    let data = Resource::new(|| (), |_| load_sourcer_home());
    let first_name = user
        .name
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_string();
    view! {
        <Title text="Home"/>
        <div class="page-head">
            <h1>{format!("Hello, {first_name}")}</h1>
            <a class="btn primary" href="/app/campaigns">"New campaign"</a>
        </div>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move { or_error(data.await.map(|h| view! { <SourcerHomeView h=h/> })) })}
        </Suspense>
    }
}

#[component]
fn SourcerHomeView(h: SourcerHome) -> impl IntoView {
    let waiting = h.replies.len();
    let tone = if waiting > 0 {
        Tone::Warn
    } else {
        Tone::Neutral
    };
    view! {
        <div class="dashboard">
            <TodoCard id="todo-replies" title="Replies to answer" count=waiting tone=tone>
                {if h.replies.is_empty() {
                    view! { <p class="muted">"No reply waits for an answer."</p> }.into_any()
                } else {
                    view! {
                        <ul class="plain todo-list">
                            {h.replies.into_iter().map(|r| view! {
                                <li class="todo-person">
                                    <Avatar name=r.name.clone()/>
                                    <span>
                                        <a href=format!("/app/people/{}", r.person_id)>{r.name.clone()}</a>
                                        <span class="muted small block">
                                            "Replied "{format_datetime(&r.at)}
                                            {r.campaign.clone().zip(r.campaign_id.clone()).map(|(c, id)| view! {
                                                " to "<a href=format!("/app/campaigns/{id}")>{c}</a>
                                            })}
                                        </span>
                                    </span>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </TodoCard>
            <TodoCard id="todo-new-people" title="New in the talent pool" count=h.new_total as usize
                note=format!("Sourced, referred, imported or signed up in the last {NEW_PEOPLE_DAYS} days.")>
                {if h.new_people.is_empty() {
                    view! { <p class="muted">"No one new this week."</p> }.into_any()
                } else {
                    view! {
                        <ul class="plain todo-list">
                            {h.new_people.into_iter().map(|p| view! {
                                <li class="todo-person">
                                    <Avatar name=p.name.clone()/>
                                    <span>
                                        <a href=format!("/app/people/{}", p.id)>{p.name.clone()}</a>
                                        <span class="muted small block">{crate::people::types::source_label(&p.source)}" · "{format_datetime(&p.at)}</span>
                                    </span>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </TodoCard>
        </div>
        <section aria-labelledby="home-campaigns">
            <h2 id="home-campaigns">"Campaign activity"</h2>
            {if h.campaigns.is_empty() {
                view! {
                    <EmptyState title="No campaign is running" hint="A campaign keeps passive candidates warm with a few well-timed emails.">
                        <a class="btn primary" href="/app/campaigns">"Create a campaign"</a>
                    </EmptyState>
                }.into_any()
            } else {
                view! {
                    <table class="data-table campaign-activity">
                        <thead><tr>
                            <th scope="col">"Campaign"</th><th scope="col">"Status"</th><th scope="col" class="num">"Recipients"</th>
                            <th scope="col" class="num">"Opened"</th><th scope="col" class="num">"Clicked"</th>
                            <th scope="col" class="num">"Replied"</th><th scope="col" class="num">"Applied"</th>
                        </tr></thead>
                        <tbody>
                            {h.campaigns.into_iter().map(|c| view! {
                                <tr data-campaign=c.id.clone()>
                                    <th scope="row"><a href=format!("/app/campaigns/{}", c.id)>{c.name.clone()}</a></th>
                                    <td><span class=format!("status status-{}", c.status)>{c.status.as_str()}</span></td>
                                    <td class="num">{c.recipients}</td>
                                    <td class="num">{c.opened}</td>
                                    <td class="num">{c.clicked}</td>
                                    <td class="num">{c.replied}</td>
                                    <td class="num">{c.applied}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}
