//! The sourcer's home: replies that wait for an answer, what the campaigns of the last weeks
//! drew, and who joined the talent pool lately.

use crate::components::{Avatar, EmptyState, Loading, TodoCard, Tone, format_datetime, or_error};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

/// A reply is waiting this long at most before the home stops showing it.
pub const REPLY_DAYS: i64 = 30;
/// Campaigns launched or finished this recently (or still going) show their activity.
pub const CAMPAIGN_DAYS: i64 = 30;
/// "New in the talent pool": added in the last this many days.
pub const NEW_PEOPLE_DAYS: i64 = 7;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SourcerHome {
    pub replies: Vec<ReplyTodo>,
    pub campaigns: Vec<CampaignActivity>,
    pub new_people: Vec<NewPerson>,
    pub new_total: i64,
}

/// Someone replied to a campaign and nobody has written to them since.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReplyTodo {
    pub person_id: String,
    pub name: String,
    pub campaign_id: Option<String>,
    pub campaign: Option<String>,
    pub at: String,
}

/// What a recent campaign drew: people, not events (two opens by one person count once).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CampaignActivity {
    pub id: String,
    pub name: String,
    pub status: crate::campaigns::types::CampaignStatus,
    pub recipients: i64,
    pub opened: i64,
    pub clicked: i64,
    pub replied: i64,
    pub applied: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewPerson {
    pub id: String,
    pub name: String,
    pub source: String,
    pub at: String,
}

#[server]
pub async fn load_sourcer_home() -> Result<SourcerHome, AppError> {
    crate::auth::guard::require_role(crate::auth::types::Role::uses_crm).await?;
    let st = crate::server::state()?;
    repo::sourcer_home(&st.db, chrono::Utc::now()).await
}

#[cfg(feature = "ssr")]
pub(crate) mod repo {
    use super::*;
    use crate::error::AppResult;
    use crate::server::db::{Db, key};
    use chrono::{DateTime, Duration, Utc};
    use std::collections::{HashMap, HashSet};
    use surrealdb::types::{RecordId, SurrealValue};

    #[derive(Debug, Clone, SurrealValue)]
    struct Reply {
        person: RecordId,
        name: String,
        campaign: Option<RecordId>,
        campaign_name: Option<String>,
        at: DateTime<Utc>,
        contacted: Option<DateTime<Utc>>,
    }

    #[derive(Debug, Clone, SurrealValue)]
    struct Campaign {
        id: RecordId,
        name: String,
        status: String,
        recipients: Option<i64>,
        /// Only for the order.
        #[allow(dead_code)]
        since: Option<DateTime<Utc>>,
    }

    #[derive(Debug, Clone, SurrealValue)]
    struct Touch {
        campaign: RecordId,
        kind: String,
        person: RecordId,
    }

    #[derive(Debug, Clone, SurrealValue)]
    struct Person {
        id: RecordId,
        name: String,
        source: String,
        created_at: DateTime<Utc>,
    }

    /// Campaign replies of the last [`REPLY_DAYS`] that nobody answered: no mail went to the
    /// person after it (sending any mail sets their last contact). One per person, the newest
    /// first.
    pub async fn replies_waiting(
        db: &Db,
        now: DateTime<Utc>,
        limit: usize,
    ) -> AppResult<Vec<ReplyTodo>> {
        let mut r = db
            .query(
                "SELECT person, string::concat(person.first_name, ' ', person.last_name) AS name,
                    campaign, campaign.name AS campaign_name, at,
                    person.last_contacted_at AS contacted
                 FROM engagement WHERE kind = 'reply' AND at > $since
                 ORDER BY at DESC LIMIT 200",
            )
            .bind(("since", now - Duration::days(REPLY_DAYS)))
            .await?;
        let replies: Vec<Reply> = r.take(0)?;
        let mut seen = HashSet::new();
        Ok(replies
            .into_iter()
            .filter(|x| x.contacted.is_none_or(|c| c < x.at))
            .filter(|x| seen.insert(key(&x.person)))
            .take(limit)
            .map(|x| ReplyTodo {
                person_id: key(&x.person),
                name: x.name.trim().to_string(),
                campaign_id: x.campaign.as_ref().map(key),
                campaign: x.campaign_name,
                at: x.at.to_rfc3339(),
            })
            .collect())
    }

    pub async fn sourcer_home(db: &Db, now: DateTime<Utc>) -> AppResult<SourcerHome> {
        let limit = crate::home::types::LIST_LIMIT;
        let mut r = db
            .query(
                "SELECT id, name, status, recipients, launched_at ?? created_at AS since FROM campaign
                 WHERE status IN ['sending', 'sent', 'active', 'paused']
                    OR (status = 'completed' AND completed_at > $campaigns_since)
                 ORDER BY since DESC LIMIT 6;
                 SELECT id, string::concat(first_name, ' ', last_name) AS name, source, created_at
                 FROM person WHERE created_at > $people_since AND source != 'careers_page'
                 ORDER BY created_at DESC LIMIT $limit;
                 (SELECT count() AS n FROM person
                  WHERE created_at > $people_since AND source != 'careers_page' GROUP ALL)[0].n ?? 0;",
            )
            .bind(("campaigns_since", now - Duration::days(CAMPAIGN_DAYS)))
            .bind(("people_since", now - Duration::days(NEW_PEOPLE_DAYS)))
            .bind(("limit", limit as i64))
            .await?;
        let campaigns: Vec<Campaign> = r.take(0)?;
        let people: Vec<Person> = r.take(1)?;
        let new_total: Option<i64> = r.take(2)?;
        let replies = replies_waiting(db, now, limit).await?;
        let ids: Vec<RecordId> = campaigns.iter().map(|c| c.id.clone()).collect();
        let mut r = db
            .query(
                "SELECT campaign, kind, person FROM engagement
                 WHERE campaign IN $ids AND machine = false AND kind IN ['open', 'click', 'reply', 'apply']",
            )
            .bind(("ids", ids))
            .await?;
        let touches: Vec<Touch> = r.take(0)?;
        let mut who: HashMap<(String, String), HashSet<String>> = HashMap::new();
        for t in touches {
            who.entry((key(&t.campaign), t.kind))
                .or_default()
                .insert(key(&t.person));
        }
        let n = |c: &str, kind: &str| {
            who.get(&(c.to_string(), kind.to_string()))
                .map_or(0, |s| s.len() as i64)
        };
        let campaigns = campaigns
            .into_iter()
            .map(|c| {
                let id = key(&c.id);
                CampaignActivity {
                    opened: n(&id, "open"),
                    clicked: n(&id, "click"),
                    replied: n(&id, "reply"),
                    applied: n(&id, "apply"),
                    status: crate::campaigns::types::CampaignStatus::parse(&c.status),
                    recipients: c.recipients.unwrap_or(0),
                    name: c.name,
                    id,
                }
            })
            .collect();
        Ok(SourcerHome {
            replies,
            campaigns,
            new_people: people
                .into_iter()
                .map(|p| NewPerson {
                    id: key(&p.id),
                    name: p.name.trim().to_string(),
                    source: p.source,
                    at: p.created_at.to_rfc3339(),
                })
                .collect(),
            new_total: new_total.unwrap_or(0),
        })
    }
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
