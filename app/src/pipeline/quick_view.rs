//! The board's quick view: a drawer with the candidate's summary, resume, recent activity and
//! the actions a recruiter takes from the board (move, reject, email), without leaving it.
//! Clicking a card's name opens it (with JavaScript; without, the link opens the profile).

use super::api::get_quick_profile;
use super::types::*;
use crate::components::{Avatar, Badge, Drawer, Loading, Tone, format_datetime, or_error};
use crate::people::types::source_label;
use leptos::prelude::*;

/// The drawer for the card in `open_card` (None: closed). `on_move(card id, column id)` moves
/// the card the same way a drag does (optimistic, rolled back if refused).
#[component]
pub fn QuickView(
    open_card: RwSignal<Option<String>>,
    cards: RwSignal<Vec<Card>>,
    targets: StoredValue<Vec<Column>>,
    on_move: Callback<(String, String)>,
) -> impl IntoView {
    // Open at once when the board is rebuilt under an open drawer (a reload keeps `open_card`).
    let open = RwSignal::new(open_card.get_untracked().is_some());
    // The drawer's own close (Escape, the button, the backdrop) clears the card.
    Effect::new(move |_| {
        if !open.get() && open_card.get_untracked().is_some() {
            let closed = open_card.get_untracked();
            open_card.set(None);
            if let Some(id) = closed {
                super::board_client::focus_card(&id);
            }
        }
    });
    Effect::new(move |_| open.set(open_card.get().is_some()));
    let card = Memo::new(move |_| {
        let id = open_card.get()?;
        cards.with(|cs| cs.iter().find(|c| c.id == id).cloned())
    });
    let person_id = Memo::new(move |_| card.get().map(|c| c.person_id));
    let profile = LocalResource::new(move || {
        let pid = person_id.get();
        async move {
            match pid {
                Some(p) => get_quick_profile(p).await.map(Some),
                None => Ok(None),
            }
        }
    });
    let title = Signal::derive(move || card.get().map(|c| c.name).unwrap_or_default());
    view! {
        <Drawer open=open title=title>
            {move || card.get().map(|c| view! { <CardSummary card=c targets=targets on_move=on_move/> })}
            <Suspense fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    or_error(profile.await.map(|p| p.map(|p| view! { <ProfileSummary p=p/> })))
                })}
            </Suspense>
        </Drawer>
    }
}

/// Where the card stands on this board, and the move and reject actions.
#[component]
fn CardSummary(
    card: Card,
    targets: StoredValue<Vec<Column>>,
    on_move: Callback<(String, String)>,
) -> impl IntoView {
    let column = card.column();
    let stage_name = targets.with_value(|cols| {
        cols.iter()
            .find(|c| c.id == column)
            .map(|c| c.name.clone())
            .unwrap_or_default()
    });
    // The Rejected column by its id (its name is only a label).
    let rejected =
        targets.with_value(|cols| cols.iter().find(|c| c.id == REJECTED).map(|c| c.id.clone()));
    let choice = RwSignal::new(column.clone());
    let card_id = StoredValue::new(card.id.clone());
    let is_active = card.status == CardStatus::Active;
    view! {
        <div class="quick-head">
            <Avatar name=card.name.clone() large=true/>
            <div>
                <p class="quick-stage">
                    <Badge tone=if is_active { Tone::Brand } else { Tone::Neutral }>{stage_name}</Badge>
                    " "<span class="muted small">{format!("{} days in stage", card.days_in_stage)}</span>
                </p>
                {card.headline.clone().map(|h| view! { <p class="muted">{h}</p> })}
                {card.screening.map(|s| view! {
                    <p class="quick-screening">
                        <crate::screening::ScoreBadge score=s/>" "
                        <a class="small" href=format!("/app/applications/{}#screening", card.id)>"Why this score"</a>
                    </p>
                })}
            </div>
        </div>
        <div class="quick-actions">
            <label for="quick-move">"Move to"</label>
            <select id="quick-move" on:change=move |ev| choice.set(event_target_value(&ev))>
                {targets.with_value(|cols| cols.iter().map(|o| view! {
                    <option value=o.id.clone() selected=o.id == column>{o.name.clone()}</option>
                }).collect_view())}
            </select>
            <button type="button" class="btn primary small"
                on:click=move |_| on_move.run((card_id.get_value(), choice.get_untracked()))>"Move"</button>
            {rejected.filter(|_| is_active).map(|r| view! {
                <button type="button" class="btn danger small"
                    on:click=move |_| on_move.run((card_id.get_value(), r.clone()))>"Reject"</button>
            })}
        </div>
    }
}

/// Contact, tags, the newest resume and the latest activity.
#[component]
fn ProfileSummary(p: QuickProfile) -> impl IntoView {
    let profile_url = format!("/app/people/{}", p.id);
    let anonymised = p.anonymised;
    view! {
        {anonymised.then(|| view! {
            <p class="banner anonymised-banner" role="note">"Anonymised review: name, contact details and the resume file are hidden."</p>
        })}
        <dl class="facts quick-facts">
            {(!anonymised).then(|| view! { <dt>"Email"</dt><dd><a href=format!("mailto:{}", p.email)>{p.email.clone()}</a></dd> })}
            {p.phone.clone().map(|ph| view! { <dt>"Phone"</dt><dd>{ph}</dd> })}
            {p.location.clone().map(|l| view! { <dt>"Location"</dt><dd>{l}</dd> })}
            <dt>"Source"</dt><dd>{source_label(&p.source)}</dd>
        </dl>
        {(!p.tags.is_empty()).then(|| view! {
            <p>{p.tags.iter().map(|t| view! { <span class="tag">{t.clone()}</span> }).collect_view()}</p>
        })}
        <p class="quick-links">
            <a class="btn small" href=profile_url.clone()>"Open full profile"</a>
            {(!anonymised).then(|| view! { <a class="btn small" href=format!("mailto:{}", p.email)>"Email"</a> })}
        </p>
        <h3>"Resume"</h3>
        {match p.resume {
            Some(r) if r.pdf && !anonymised => view! {
                <iframe class="resume-viewer quick-resume" src=format!("/app/resumes/{}", r.id) title="Resume"></iframe>
            }.into_any(),
            Some(r) => view! { <pre class="quick-resume-text">{r.text}</pre> }.into_any(),
            None => view! { <p class="muted">"No resume on file."</p> }.into_any(),
        }}
        <h3>"Recent activity"</h3>
        {if p.recent.is_empty() {
            view! { <p class="muted">"Nothing yet."</p> }.into_any()
        } else {
            view! {
                <ol class="timeline">
                    {p.recent.into_iter().map(|e| view! {
                        <li><time>{format_datetime(&e.at)}</time>{e.text}</li>
                    }).collect_view()}
                </ol>
            }.into_any()
        }}
    }
}
