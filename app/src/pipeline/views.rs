//! The board page. Three ways to move a card, all stored the same way:
//! - drag with a mouse or pen (pointer events; the move shows at once and is rolled back with a
//!   message if the server refuses),
//! - the keyboard (Space/Enter on a card's handle picks it up, arrows choose a column,
//!   Space/Enter drops, Escape cancels),
//! - the "Move to…" link on every card: it opens that card's form (a plain form that works
//!   without JavaScript; the link is `?move=<card>`, so the page carries one form, not 1,000).
//!   With JavaScript its button moves the card as a drag does, without drawing the board again.
//!
//! A long column shows its first [`COLUMN_WINDOW`] cards and a "Show N more" link (`?all=`).
//!
//! The browser-side machinery (pointer drag, focus, the live stream) is in `board_client.rs`.

use super::api::{BulkAction, MoveCard, UndoBulk, get_board, get_bulk_status, move_card};
use super::board_client::{focus_card, focus_move_choice, focus_neighbour, live_updates};
use super::columns::{
    BoardPrefs, ShowMore, expanded_columns, keep_in_view, put_card, visible_cards,
};
use super::types::*;
use crate::components::PostForm;
use crate::components::drag::PointerDrag;
use crate::components::toast::Toasts;
use crate::components::{FormError, Loading, action_error, or_error};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn BoardPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let job_id = move || params.with(|p| p.get("id").unwrap_or_default());
    let q = move |k: &'static str| query.with(|m| m.get(k).unwrap_or_default());
    let move_action = ServerAction::<MoveCard>::new();
    let bulk = ServerAction::<BulkAction>::new();
    let undo = ServerAction::<UndoBulk>::new();
    let reload = RwSignal::new(0u32);
    let quick = RwSignal::new(None::<String>);
    // A long column shows its first cards. These survive the board's reloads under them: the
    // columns opened in full (`?all=`, then "Show N more"), and the cards this person moved or
    // ticked, which stay in view wherever they land (`?kept=`: the card a plain form moved).
    let first = query.get_untracked();
    let expanded = RwSignal::new(expanded_columns(first.get("all").as_deref()));
    let kept = RwSignal::new(first.get("kept").into_iter().collect::<Vec<_>>());
    let board = Resource::new(
        move || {
            (
                job_id(),
                q("tag"),
                q("source"),
                q("min_days"),
                q("show"),
                (q("screen"), q("sort")),
                (
                    move_action.version().get(),
                    bulk.version().get(),
                    undo.version().get(),
                    reload.get(),
                ),
            )
        },
        |(id, tag, source, min_days, show, (screen, sort), _)| {
            get_board(id, tag, source, min_days, show, screen, sort)
        },
    );
    let bulk_info = Resource::new(
        move || (job_id(), q("bulk"), undo.version().get()),
        |(job, b, _)| async move {
            if b.is_empty() {
                Ok(None)
            } else {
                get_bulk_status(job, b).await.map(Some)
            }
        },
    );
    let err = action_error(move_action);
    let bulk_err = action_error(bulk);
    let undo_err = action_error(undo);
    view! {
        // Until the board has loaded (and while it reloads) the tab still says what this is.
        <Title text="Pipeline"/>
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                let info = bulk_info.await.ok().flatten();
                or_error(board.await.map(|b| {
                    let filters = BoardFilters::parse(&q("tag"), &q("source"), &q("min_days"), &q("show"))
                        .screening(&q("screen"), &q("sort"));
                    view! {
                        <Title text=format!("Pipeline: {}", b.job_title)/>
                        <p class="crumbs"><a href="/app/jobs">"Jobs"</a>" / "
                            <a href=format!("/app/jobs/{}", b.job_id)>{b.job_title.clone()}</a>" / Pipeline"</p>
                        <div class="page-head">
                            <h1>{b.job_title.clone()}</h1>
                            <span class="muted">{format!("{} active", b.cards.iter().filter(|c| c.status == "active").count())}
                                {filters.is_active().then(|| format!(" (filtered from {})", b.total))}</span>
                        </div>
                        <FormError error=err/>
                        <FormError error=undo_err/>
                        {info.map(|i| view! { <BulkBanner info=i job_id=b.job_id.clone() undo=undo/> })}
                        <BoardFiltersForm board=b.clone() filters=filters.clone() expanded=expanded/>
                        <BulkForm board=b.clone() action=bulk err=bulk_err show=q("show")/>
                        <BoardView board=b move_action=move_action reload=reload filters=filters quick=quick kept=kept expanded=expanded/>
                    }
                }))
            })}
        </Transition>
    }
}

/// What the last bulk action did, with an Undo button while it can still be undone.
#[component]
fn BulkBanner(info: BulkStatus, job_id: String, undo: ServerAction<UndoBulk>) -> impl IntoView {
    let left = RwSignal::new(info.seconds_left);
    #[cfg(feature = "hydrate")]
    {
        if info.seconds_left > 0 && !info.undone {
            let handle = gloo_timers::callback::Interval::new(1_000, move || {
                left.try_update(|s| *s = (*s - 1).max(0));
            });
            let handle = StoredValue::new_local(Some(handle));
            on_cleanup(move || {
                handle.update_value(|h| {
                    if let Some(h) = h.take() {
                        h.cancel();
                    }
                })
            });
        }
    }
    let undone = info.undone;
    let job_id = StoredValue::new(job_id);
    let bulk_id = StoredValue::new(info.bulk_id.clone());
    view! {
        <div class="banner banner-ok bulk-banner" role="status">
            <span class="bulk-message">{if undone { "Undone.".to_string() } else { info.message.clone() }}</span>
            {(!undone).then(|| view! {
                <Show when=move || { left.get() > 0 }>
                    <PostForm action=undo attr:class="inline">
                        <input type="hidden" name="job_id" value=job_id.get_value()/>
                        <input type="hidden" name="bulk_id" value=bulk_id.get_value()/>
                        <button type="submit" class="btn small">{move || format!("Undo ({}s)", left.get())}</button>
                    </PostForm>
                </Show>
            })}
        </div>
    }
}

#[component]
fn BoardFiltersForm(
    board: Board,
    filters: BoardFilters,
    expanded: RwSignal<Vec<String>>,
) -> impl IntoView {
    let action = format!("/app/jobs/{}/board", board.job_id);
    let min = filters.min_days.map(|d| d.to_string()).unwrap_or_default();
    view! {
        <form method="get" action=action.clone() class="board-filters" aria-label="Filter the board">
            <label for="bf-tag">"Tag"</label>
            <select id="bf-tag" name="tag">
                <option value="" selected=filters.tag.is_empty()>"Any"</option>
                {board.tags.iter().map(|t| view! { <option value=t.clone() selected=*t == filters.tag>{t.clone()}</option> }).collect_view()}
            </select>
            <label for="bf-source">"Source"</label>
            <select id="bf-source" name="source">
                <option value="" selected=filters.source.is_empty()>"Any"</option>
                {board.sources.iter().map(|t| view! {
                    <option value=t.clone() selected=*t == filters.source>{crate::people::types::source_label(t)}</option>
                }).collect_view()}
            </select>
            <label for="bf-days">"In stage"</label>
            <select id="bf-days" name="min_days">
                {[("", "Any time"), ("3", "3+ days"), ("7", "7+ days"), ("14", "14+ days"), ("30", "30+ days")].into_iter().map(|(v, l)| {
                    let sel = v == min;
                    view! { <option value=v selected=sel>{l}</option> }
                }).collect_view()}
            </select>
            <label for="bf-screen">"Screening"</label>
            <select id="bf-screen" name="screen">
                {[("", "Everyone"), ("passed", "Passes the must-haves"), ("failed", "Misses a must-have")].into_iter().map(|(v, l)| view! {
                    <option value=v selected=filters.screen == v>{l}</option>
                }).collect_view()}
            </select>
            <label for="bf-sort">"Order"</label>
            <select id="bf-sort" name="sort">
                <option value="" selected=filters.sort.is_empty()>"Longest in stage first"</option>
                <option value="score" selected=filters.sort == "score">"Best screening score first"</option>
            </select>
            <span class="field checkbox inline-check">
                <input type="checkbox" id="bf-show" name="show" value="closed" checked=filters.show_closed/>
                <label for="bf-show">"Show rejected and withdrawn"</label>
            </span>
            // The columns opened in full stay open.
            {move || {
                let all = expanded.with(|e| e.join(","));
                (!all.is_empty()).then(|| view! { <input type="hidden" name="all" value=all/> })
            }}
            <button type="submit" class="btn small">"Apply"</button>
            {(filters.is_active() || filters.show_closed || !filters.sort.is_empty()).then(|| view! { <a href=action.clone() class="small">"Clear"</a> })}
        </form>
    }
}

/// Bulk actions on the cards ticked on the board (their checkboxes belong to this form).
#[component]
fn BulkForm(
    board: Board,
    action: ServerAction<BulkAction>,
    err: Signal<Option<crate::error::AppError>>,
    show: String,
) -> impl IntoView {
    let kind = RwSignal::new(String::new());
    let shows =
        move |k: &'static str| Signal::derive(move || kind.get().is_empty() || kind.get() == k);
    let stages: Vec<Column> = board
        .targets
        .iter()
        .filter(|c| c.kind != ColumnKind::Outcome)
        .cloned()
        .collect();
    let fe = move |f: &'static str| crate::components::field_error(err, f);
    view! {
        <details class="card bulk" open=move || crate::components::live(err).is_some()>
            <summary>"Bulk actions: tick cards, then choose what to do"</summary>
            <FormError error=crate::components::general_error(err)/>
            <PostForm action=action attr:id="bulk-form" attr:class="bulk-form">
                <input type="hidden" name="job_id" value=board.job_id.clone()/>
                <input type="hidden" name="show" value=show/>
                <div class="field">
                    <label for="bulk-action">"With the selected candidates"</label>
                    <select id="bulk-action" name="action" on:change=move |ev| kind.set(event_target_value(&ev))>
                        <option value="move">"Move to a stage"</option>
                        <option value="reject">"Reject"</option>
                        <option value="tag">"Tag"</option>
                        <option value="email">"Send an email"</option>
                        {(!board.pools.is_empty()).then(|| view! { <option value="pool">"Add to a talent pool"</option> })}
                    </select>
                    <p class="field-error" role="alert">{move || fe("ids").get()}</p>
                </div>
                <div class="field" class:hidden=move || !shows("move").get()>
                    <label for="bulk-to">"Move to"</label>
                    <select id="bulk-to" name="to">
                        {stages.iter().map(|c| view! { <option value=c.id.clone()>{c.name.clone()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field" class:hidden=move || !shows("reject").get()>
                    <label for="bulk-reason">"Reason (kept internal)"</label>
                    <select id="bulk-reason" name="reason">
                        {REJECTION_REASONS.iter().map(|r| view! { <option value=*r>{*r}</option> }).collect_view()}
                    </select>
                    <p class="field-error" role="alert">{move || fe("reason").get()}</p>
                </div>
                <div class="field checkbox" class:hidden=move || !shows("reject").get()>
                    <input type="checkbox" id="bulk-send" name="send_email" value="on"/>
                    <label for="bulk-send">"Send a rejection email"</label>
                </div>
                <div class="field" class:hidden=move || !(shows("reject").get() || shows("email").get())>
                    <label for="bulk-template">"Email template"</label>
                    <select id="bulk-template" name="template">
                        <option value="">"Write my own below"</option>
                        {board.templates.iter().map(|t| view! { <option value=t.id.clone()>{t.name.clone()}</option> }).collect_view()}
                    </select>
                    <p class="field-error" role="alert">{move || fe("template").get()}</p>
                </div>
                <div class="field" class:hidden=move || !(shows("reject").get() || shows("email").get())>
                    <label for="bulk-subject">"Subject (leave empty to use the template)"</label>
                    <input id="bulk-subject" name="subject"/>
                    <p class="field-error" role="alert">{move || fe("subject").get()}</p>
                </div>
                <div class="field" class:hidden=move || !(shows("reject").get() || shows("email").get())>
                    <label for="bulk-body">"Message"</label>
                    <textarea id="bulk-body" name="body" rows="4"
                        placeholder="Hi {{first_name}}, … Tokens: {{first_name}}, {{last_name}}, {{job_title}}, {{company}}"></textarea>
                    <p class="field-error" role="alert">{move || fe("body").get()}</p>
                </div>
                {(!board.pools.is_empty()).then(|| view! {
                    <div class="field" class:hidden=move || !shows("pool").get()>
                        <label for="bulk-pool">"Pool"</label>
                        <select id="bulk-pool" name="pool">
                            <option value="">"Choose a pool"</option>
                            {board.pools.iter().map(|(id, name)| view! { <option value=id.clone()>{name.clone()}</option> }).collect_view()}
                        </select>
                        <p class="field-error" role="alert">{move || fe("pool").get()}</p>
                    </div>
                })}
                <div class="field" class:hidden=move || !shows("tag").get()>
                    <label for="bulk-tag">"Tag"</label>
                    <input id="bulk-tag" name="tag"/>
                    <p class="field-error" role="alert">{move || fe("tag").get()}</p>
                </div>
                <button type="submit" class="btn primary">"Apply to selected"</button>
                <p class="muted small">"Emails wait a little before they go out, so you can undo."</p>
            </PostForm>
        </details>
    }
}

#[component]
fn BoardView(
    board: Board,
    move_action: ServerAction<MoveCard>,
    reload: RwSignal<u32>,
    filters: BoardFilters,
    /// The card whose quick view is open. Owned by the page, so that the drawer stays open when
    /// the board reloads (a live update, a reconnect) under it.
    quick: RwSignal<Option<String>>,
    kept: RwSignal<Vec<String>>,
    expanded: RwSignal<Vec<String>>,
) -> impl IntoView {
    let toasts = Toasts::use_context();
    let me = crate::auth::views::use_staff();
    let cards = RwSignal::new(board.cards.clone());
    let columns = StoredValue::new(board.columns.clone());
    let targets = StoredValue::new(board.targets.clone());
    let viewers = RwSignal::new(Vec::<Viewer>::new());
    let live = RwSignal::new(false);
    let filters = StoredValue::new(filters);
    live_updates(board.job_id.clone(), cards, viewers, live, filters, reload);
    let job_id = StoredValue::new(board.job_id.clone());
    // The card whose "Move to" form is open: from `?move=` (the link's target without
    // JavaScript), then from clicks on the links.
    let query = use_query_map().get_untracked();
    let moving = RwSignal::new(query.get("move"));
    let mut rest = query;
    for k in ["move", "done", "__path", "__err"] {
        rest.remove(k);
    }
    let mut others = rest.clone();
    others.remove("all");
    let others = others.to_query_string();
    let all_href = StoredValue::new(if others.is_empty() {
        "?".to_string()
    } else {
        format!("{others}&")
    });
    let rest = rest.to_query_string();
    let close_href = StoredValue::new(format!("/app/jobs/{}/board{rest}", board.job_id));
    let open_href = StoredValue::new(if rest.is_empty() {
        "?".to_string()
    } else {
        format!("{rest}&")
    });
    // pointer drag: the card being dragged and the column under the pointer
    let dragging = RwSignal::new(None::<String>);
    let over = RwSignal::new(None::<String>);
    // keyboard drag: (card id, index of the column it would drop into)
    let grabbed = RwSignal::new(None::<(String, usize)>);
    let announce = RwSignal::new(String::new());
    // The column menus' choices: the defaults (as the server rendered them) until the page is
    // interactive, then what this browser stored for the job.
    let prefs = RwSignal::new(BoardPrefs::default());
    Effect::new(move |_| prefs.set(super::columns::load(&job_id.get_value())));

    // Optimistic move: show it now, ask the server, roll back this one card if refused.
    let do_move = move |card_id: String, to: String| {
        let Some(before) = cards.with_untracked(|cs| cs.iter().find(|c| c.id == card_id).cloned())
        else {
            return;
        };
        let from = before.column();
        if from == to {
            return;
        }
        keep_in_view(kept, &card_id);
        let Some(target) = targets.with_value(|cols| {
            let stages: Vec<crate::jobs::types::Stage> = cols
                .iter()
                .filter(|c| c.kind != ColumnKind::Outcome)
                .map(|c| crate::jobs::types::Stage {
                    id: c.id.clone(),
                    name: c.name.clone(),
                    kind: if c.kind == ColumnKind::Hired {
                        crate::jobs::types::StageKind::Hired
                    } else {
                        crate::jobs::types::StageKind::Active
                    },
                })
                .collect();
            MoveTarget::parse(&to, &stages)
        }) else {
            return;
        };
        let to_name = targets.with_value(|cols| {
            cols.iter()
                .find(|c| c.id == to)
                .map(|c| c.name.clone())
                .unwrap_or_default()
        });
        // Where the card was, to put it back there if the server refuses the move.
        let at = cards.with_untracked(|cs| cs.iter().position(|c| c.id == card_id));
        let by_score = filters.with_value(|f| f.sort == "score");
        cards.update(|cs| put_card(cs, moved(&before, &target), by_score));
        announce.set(format!("Moved {} to {}.", before.name, to_name));
        let job = job_id.get_value();
        leptos::task::spawn_local(async move {
            match move_card(job, card_id.clone(), from, to).await {
                Ok(updated) => cards.update(|cs| put_card(cs, updated, by_score)),
                Err(e) => {
                    cards.update(|cs| {
                        cs.retain(|c| c.id != card_id);
                        cs.insert(at.unwrap_or(0).min(cs.len()), before.clone());
                    });
                    let msg = format!("{} was not moved: {e}", before.name);
                    announce.set(msg.clone());
                    toasts.error(msg);
                    if matches!(e, crate::error::AppError::Conflict(_)) {
                        // Someone else changed the board: show it as it is now.
                        reload.update(|n| *n += 1);
                    }
                }
            }
            focus_card(&card_id);
        });
    };

    let pointer = PointerDrag::new(dragging, over, "data-column", do_move);

    let on_handle_key = move |ev: leptos::ev::KeyboardEvent, card_id: String, name: String| {
        let cols = columns.get_value();
        let current =
            cards.with_untracked(|cs| cs.iter().find(|c| c.id == card_id).map(|c| c.column()));
        let Some(current) = current else { return };
        let key = ev.key();
        match (grabbed.get_untracked(), key.as_str()) {
            (None, " " | "Enter") => {
                ev.prevent_default();
                let idx = cols.iter().position(|c| c.id == current).unwrap_or(0);
                grabbed.set(Some((card_id, idx)));
                over.set(Some(current));
                announce.set(format!(
                    "Picked up {name}. Use the arrow keys to choose a column, Enter to drop, Escape to cancel."
                ));
            }
            (Some((g, idx)), "ArrowRight" | "ArrowDown" | "ArrowLeft" | "ArrowUp")
                if g == card_id =>
            {
                ev.prevent_default();
                let forward = matches!(key.as_str(), "ArrowRight" | "ArrowDown");
                let n = if forward {
                    (idx + 1).min(cols.len() - 1)
                } else {
                    idx.saturating_sub(1)
                };
                grabbed.set(Some((g, n)));
                over.set(Some(cols[n].id.clone()));
                announce.set(format!("Over {}.", cols[n].name));
            }
            (Some((g, idx)), " " | "Enter") if g == card_id => {
                ev.prevent_default();
                grabbed.set(None);
                over.set(None);
                let to = cols[idx].id.clone();
                if to == current {
                    announce.set(format!("{name} stays in {}.", cols[idx].name));
                } else {
                    do_move(card_id, to);
                }
            }
            // Not holding a card: the arrows walk the board from handle to handle.
            (None, "ArrowUp" | "ArrowDown" | "ArrowLeft" | "ArrowRight")
                if focus_neighbour(&ev, &key) =>
            {
                ev.prevent_default();
            }
            (Some(_), "Escape" | "Tab") => {
                grabbed.set(None);
                over.set(None);
                announce.set("Move cancelled.".into());
            }
            _ => {}
        }
    };

    let all_columns = board.columns.clone();
    let my_id = me.id.clone();
    let others = move || {
        viewers.with(|v| {
            v.iter()
                .filter(|x| x.id != my_id)
                .map(|x| x.name.clone())
                .collect::<Vec<_>>()
        })
    };
    view! {
        <p class="presence" aria-live="polite" data-live=move || if live.get() { "connected" } else { "off" }>
            {move || {
                let o = others();
                if o.is_empty() { String::new() } else { format!("Also looking at this board: {}", o.join(", ")) }
            }}
        </p>
        <p id="board-help" class="visually-hidden">
            "Arrow keys go from card to card. To move a card, press Space or Enter on its handle, choose a column with the arrow keys, then press Space or Enter again. Press ? for every shortcut."
        </p>
        <div class="visually-hidden" role="status" aria-live="assertive">{move || announce.get()}</div>
        // On a phone the board shows one stage at a time (swipe, or these tabs).
        <nav class="stage-tabs" aria-label="Stages">
            {all_columns.iter().map(|col| {
                let id = col.id.clone();
                let n = move || cards.with(|cs| cs.iter().filter(|c| c.column() == id).count());
                view! {
                    <a href=format!("#col-{}", col.id.trim_start_matches('@'))>
                        {col.name.clone()}" "<span class="count">{n}</span>
                    </a>
                }
            }).collect_view()}
        </nav>
        <div class="board" class:is-dragging=move || dragging.get().is_some() || grabbed.get().is_some()
            style=move || {
                let cols = columns.get_value();
                prefs.with(|p| p.grid_columns(cols.iter().map(|c| c.id.as_str())))
                    .map(|g| format!("grid-template-columns: {g}"))
                    .unwrap_or_default()
            }>
            {all_columns.clone().into_iter().map(|col| {
                let col_id = col.id.clone();
                let col_id2 = col.id.clone();
                let col_id3 = col.id.clone();
                let col_id4 = col.id.clone();
                let col_id5 = col.id.clone();
                let col_id6 = col.id.clone();
                let heading_id = format!("col-{}", col.id.trim_start_matches('@'));
                let heading_ref = heading_id.clone();
                let count = Memo::new(move |_| cards.with(|cs| cs.iter().filter(|c| c.column() == col_id2).count()));
                let shown = Memo::new(move |_| {
                    let mut mine = cards.with(|cs| cs.iter().filter(|c| c.column() == col_id).cloned().collect::<Vec<_>>());
                    prefs.with(|p| p.of(&col_id5).sort).apply(&mut mine);
                    let all = expanded.with(|e| e.contains(&col_id6));
                    let open = |s: RwSignal<Option<String>>, c: &Card| s.with(|m| m.as_deref() == Some(c.id.as_str()));
                    visible_cards(mine, all, |c| kept.with(|k| k.contains(&c.id)) || open(moving, c) || open(quick, c))
                });
                let kind_class = match col.kind {
                    ColumnKind::Stage => "column",
                    ColumnKind::Hired => "column column-hired",
                    ColumnKind::Outcome => "column column-outcome",
                };
                view! {
                    <section class=kind_class data-column=col.id.clone() aria-labelledby=heading_ref
                        class:drop-over=move || over.get().as_deref() == Some(col_id3.as_str())
                        class:collapsed=move || prefs.with(|p| p.of(&col_id4).collapsed)>
                        <header class="column-head">
                            <h2 id=heading_id>{col.name.clone()}</h2>
                            <span class="count" aria-label=move || format!("{} candidates", count.get())>{move || count.get()}</span>
                            <super::columns::ColumnMenu column=col.clone() prefs=prefs job_id=job_id.get_value()/>
                        </header>
                        <ul class="cards">
                            <For
                                each=move || shown.get()
                                key=|c| c.clone()
                                let:card
                            >
                                {
                                    let id_down = card.id.clone();
                                    let id_key = card.id.clone();
                                    let name_key = card.name.clone();
                                    let id_cls = card.id.clone();
                                    let id_grab = card.id.clone();
                                    let current_col = card.column();
                                    let profile = format!("/app/people/{}", card.person_id);
                                    let select_id = format!("move-{}", card.id);
                                    let card_attr = card.id.clone();
                                    let app_field = card.id.clone();
                                    let pick = card.id.clone();
                                    let quick_id = card.id.clone();
                                    let menu_id = card.id.clone();
                                    let menu_name = card.name.clone();
                                    // Only this card's memo changes when another card's form opens.
                                    let open_key = card.id.clone();
                                    let menu_open = Memo::new(move |_| moving.with(|m| m.as_deref() == Some(open_key.as_str())));
                                    view! {
                                        <li class="board-card" data-card=card_attr
                                            class:dragging=move || dragging.get().as_deref() == Some(id_cls.as_str())
                                            class:grabbed=move || grabbed.get().is_some_and(|(g, _)| g == id_grab)
                                            on:pointerdown=move |ev| pointer.down(ev, id_down.clone())
                                            on:pointermove=move |ev| pointer.moved(ev)
                                            on:pointerup=move |ev| pointer.end(ev, true)
                                            on:pointercancel=move |ev| pointer.end(ev, false)
                                        >
                                            <div class="card-top">
                                                <crate::components::Avatar name=card.name.clone()/>
                                                <span class="card-who">
                                                    <a class="card-name" href=profile
                                                        on:click=move |ev: leptos::ev::MouseEvent| {
                                                            // A plain click opens the quick view; Ctrl/Cmd-click
                                                            // still opens the profile in a new tab.
                                                            if !(ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.button() != 0) {
                                                                ev.prevent_default();
                                                                quick.set(Some(quick_id.clone()));
                                                            }
                                                        }>{card.name.clone()}</a>
                                                    {card.headline.clone().map(|h| view! { <span class="card-headline">{h}</span> })}
                                                </span>
                                                {card.new.then(|| view! { <span class="badge tone-brand card-new">"New"</span> })}
                                            </div>
                                            {card.screening.map(|s| view! { <p class="card-screening"><crate::screening::ScoreBadge score=s/></p> })}
                                            {card.feedback.clone().map(|f| view! {
                                                <p class="card-feedback" title="Scorecards in / due · recommending hire">
                                                    <span class="visually-hidden">"Interview feedback: "</span>{f}
                                                </p>
                                            })}
                                            <p class="card-meta">
                                                {days_label(card.days_in_stage)}" in stage"
                                                {(!card.source.is_empty()).then(|| format!(" · {}", crate::people::types::source_label(&card.source)))}
                                            </p>
                                            {(!card.tags.is_empty()).then(|| view! {
                                                <p class="card-tags">
                                                    {card.tags.iter().take(3).map(|t| view! { <span class="tag">{t.clone()}</span> }).collect_view()}
                                                    {(card.tags.len() > 3).then(|| view! { <span class="muted small">{format!("+{}", card.tags.len() - 3)}</span> })}
                                                </p>
                                            })}
                                            <div class="card-foot">
                                                // A ticked card stays in view for the bulk action.
                                                <input type="checkbox" class="card-pick" name="ids[]" value=pick.clone() form="bulk-form"
                                                    on:change=move |_| keep_in_view(kept, &pick)
                                                    aria-label=format!("Select {}", card.name)/>
                                                <button type="button" class="drag-handle"
                                                    aria-label=format!("Move {}", card.name)
                                                    aria-describedby="board-help"
                                                    on:keydown=move |ev| on_handle_key(ev, id_key.clone(), name_key.clone())
                                                >"⠿"</button>
                                            // The move control for keyboards, phones and browsers without JavaScript.
                                            // Its form is on the page only for the card being moved (`?move=`):
                                            // one per card made the 1,000-card board 1.6 MB of HTML (936 KB without).
                                            {move || if menu_open.get() {
                                                let close = close_href.get_value();
                                                let (app_field, current_col, select_id, menu_name) =
                                                    (app_field.clone(), current_col.clone(), select_id.clone(), menu_name.clone());
                                                let move_id = app_field.clone();
                                                let choice = NodeRef::<leptos::html::Select>::new();
                                                view! {
                                                    <div class="card-menu open">
                                                        <PostForm action=move_action attr:class="move-form">
                                                            <input type="hidden" name="job_id" value=job_id.get_value()/>
                                                            <input type="hidden" name="application_id" value=app_field/>
                                                            <input type="hidden" name="from" value=current_col.clone()/>
                                                            <label class="visually-hidden" for=select_id.clone()>{format!("Move {} to", menu_name)}</label>
                                                            <select name="to" id=select_id.clone() autofocus node_ref=choice>
                                                                {targets.with_value(|cols| cols.iter().map(|o| view! {
                                                                    <option value=o.id.clone() selected=o.id == current_col>{o.name.clone()}</option>
                                                                }).collect_view())}
                                                            </select>
                                                            // With JavaScript the move is made in place, as a drag
                                                            // makes it (shown at once, rolled back if refused), not by
                                                            // posting the form and drawing the whole board again.
                                                            <button type="submit" class="btn small"
                                                                on:click=move |ev: leptos::ev::MouseEvent| {
                                                                    let Some(to) = choice.get_untracked().map(|s| s.value()) else { return };
                                                                    ev.prevent_default();
                                                                    moving.set(None);
                                                                    do_move(move_id.clone(), to);
                                                                }>"Move"</button>
                                                            <a class="btn small link" href=close
                                                                on:click=move |ev: leptos::ev::MouseEvent| {
                                                                    ev.prevent_default();
                                                                    moving.set(None);
                                                                }>"Cancel"<span class="visually-hidden">{format!(" moving {}", menu_name)}</span></a>
                                                        </PostForm>
                                                    </div>
                                                }.into_any()
                                            } else {
                                                let open_id = menu_id.clone();
                                                view! {
                                                    <a class="card-menu" href=format!("{}move={}", open_href.get_value(), menu_id)
                                                        on:click=move |ev: leptos::ev::MouseEvent| {
                                                            ev.prevent_default();
                                                            moving.set(Some(open_id.clone()));
                                                            focus_move_choice(&open_id);
                                                        }>
                                                        "Move to…"<span class="visually-hidden">{format!(" for {}", menu_name)}</span>
                                                    </a>
                                                }.into_any()
                                            }}
                                            </div>
                                        </li>
                                    }
                                    .into_any()
                                }
                            </For>
                        </ul>
                        <ShowMore column=col.clone() count=count shown=shown expanded=expanded href_base=all_href/>
                    </section>
                }
                .into_any()
            }).collect_view()}
        </div>
        <super::quick_view::QuickView open_card=quick cards=cards targets=targets
            on_move=Callback::new(move |(id, to): (String, String)| do_move(id, to))/>
    }
}
