//! The board page. Three ways to move a card, all stored the same way:
//! - drag with a mouse or pen (pointer events; the move shows at once and is rolled back with a
//!   message if the server refuses),
//! - the keyboard (Space/Enter on a card's handle picks it up, arrows choose a column,
//!   Space/Enter drops, Escape cancels),
//! - the "Move to" control on every card, a plain form that works without JavaScript.

use super::api::{MoveCard, get_board, move_card};
use super::types::*;
use crate::components::toast::Toasts;
use crate::components::{FormError, Loading, action_error, or_error};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn BoardPage() -> impl IntoView {
    let params = use_params_map();
    let job_id = move || params.with(|p| p.get("id").unwrap_or_default());
    let move_action = ServerAction::<MoveCard>::new();
    let reload = RwSignal::new(0u32);
    let board = Resource::new(
        move || (job_id(), move_action.version().get(), reload.get()),
        |(id, _, _)| get_board(id),
    );
    let err = action_error(move_action);
    view! {
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                or_error(board.await.map(|b| view! {
                    <Title text=format!("Pipeline: {}", b.job_title)/>
                    <p class="crumbs"><a href="/app">"Jobs"</a>" / "
                        <a href=format!("/app/jobs/{}", b.job_id)>{b.job_title.clone()}</a>" / Pipeline"</p>
                    <div class="page-head">
                        <h1>{b.job_title.clone()}</h1>
                        <span class="muted">{format!("{} active", b.cards.iter().filter(|c| c.status == "active").count())}</span>
                    </div>
                    <FormError error=err/>
                    <BoardView board=b move_action=move_action reload=reload/>
                }))
            })}
        </Transition>
    }
}

#[derive(Clone, Debug, PartialEq)]
struct Drag {
    card: String,
    pointer: i32,
    start: (f64, f64),
    active: bool,
}

#[component]
fn BoardView(
    board: Board,
    move_action: ServerAction<MoveCard>,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let toasts = Toasts::use_context();
    let cards = RwSignal::new(board.cards.clone());
    let columns = StoredValue::new(board.columns.clone());
    let job_id = StoredValue::new(board.job_id.clone());
    // pointer drag
    let drag: StoredValue<Option<Drag>> = StoredValue::new(None);
    #[cfg(not(feature = "hydrate"))]
    let _ = drag;
    let dragging = RwSignal::new(None::<String>);
    let over = RwSignal::new(None::<String>);
    // keyboard drag: (card id, index of the column it would drop into)
    let grabbed = RwSignal::new(None::<(String, usize)>);
    let announce = RwSignal::new(String::new());

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
        let Some(target) = columns.with_value(|cols| {
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
        let to_name = columns.with_value(|cols| {
            cols.iter()
                .find(|c| c.id == to)
                .map(|c| c.name.clone())
                .unwrap_or_default()
        });
        cards.update(|cs| {
            if let Some(c) = cs.iter_mut().find(|c| c.id == card_id) {
                *c = moved(c, &target);
            }
        });
        announce.set(format!("Moved {} to {}.", before.name, to_name));
        let job = job_id.get_value();
        leptos::task::spawn_local(async move {
            match move_card(job, card_id.clone(), from, to).await {
                Ok(updated) => cards.update(|cs| {
                    if let Some(c) = cs.iter_mut().find(|c| c.id == card_id) {
                        *c = updated;
                    }
                }),
                Err(e) => {
                    cards.update(|cs| {
                        if let Some(c) = cs.iter_mut().find(|c| c.id == card_id) {
                            *c = before.clone();
                        }
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

    let on_pointer_down = move |ev: leptos::ev::PointerEvent, card_id: String| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            if ev.button() != 0 || ev.pointer_type() == "touch" {
                return;
            }
            let Some(target) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            else {
                return;
            };
            let interactive = target
                .closest("a, select, input, textarea, summary, form button")
                .ok()
                .flatten()
                .is_some();
            if interactive {
                return;
            }
            if let Some(el) = ev
                .current_target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            {
                let _ = el.set_pointer_capture(ev.pointer_id());
            }
            ev.prevent_default();
            drag.set_value(Some(Drag {
                card: card_id,
                pointer: ev.pointer_id(),
                start: (ev.client_x() as f64, ev.client_y() as f64),
                active: false,
            }));
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, card_id);
    };

    let on_pointer_move = move |ev: leptos::ev::PointerEvent| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let Some(mut d) = drag.get_value() else {
                return;
            };
            if d.pointer != ev.pointer_id() {
                return;
            }
            let (x, y) = (ev.client_x() as f64, ev.client_y() as f64);
            let (dx, dy) = (x - d.start.0, y - d.start.1);
            if !d.active && dx.hypot(dy) > 4.0 {
                d.active = true;
                dragging.set(Some(d.card.clone()));
            }
            if d.active {
                if let Some(el) = ev
                    .current_target()
                    .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
                {
                    let _ = el.style().set_property(
                        "transform",
                        &format!("translate({dx}px, {dy}px) rotate(1deg)"),
                    );
                }
                let col = column_at(x, y);
                if over.get_untracked() != col {
                    over.set(col);
                }
            }
            drag.set_value(Some(d));
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };

    let end_drag = move |ev: leptos::ev::PointerEvent, drop: bool| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let Some(d) = drag.get_value() else { return };
            if d.pointer != ev.pointer_id() {
                return;
            }
            drag.set_value(None);
            if let Some(el) = ev
                .current_target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = el.style().remove_property("transform");
            }
            let target = over.get_untracked();
            dragging.set(None);
            over.set(None);
            if d.active
                && drop
                && let Some(to) = target
            {
                do_move(d.card, to);
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, drop);
    };

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
            (Some(_), "Escape" | "Tab") => {
                grabbed.set(None);
                over.set(None);
                announce.set("Move cancelled.".into());
            }
            _ => {}
        }
    };

    let all_columns = board.columns.clone();
    view! {
        <p id="board-help" class="visually-hidden">
            "To move a card with the keyboard, focus its handle and press Space or Enter, choose a column with the arrow keys, then press Space or Enter again."
        </p>
        <div class="visually-hidden" role="status" aria-live="assertive">{move || announce.get()}</div>
        <div class="board" class:is-dragging=move || dragging.get().is_some() || grabbed.get().is_some()>
            {all_columns.clone().into_iter().map(|col| {
                let col_id = col.id.clone();
                let col_id2 = col.id.clone();
                let col_id3 = col.id.clone();
                let heading_id = format!("col-{}", col.id.trim_start_matches('@'));
                let heading_ref = heading_id.clone();
                let count = Memo::new(move |_| cards.with(|cs| cs.iter().filter(|c| c.column() == col_id2).count()));
                let kind_class = match col.kind {
                    ColumnKind::Stage => "column",
                    ColumnKind::Hired => "column column-hired",
                    ColumnKind::Outcome => "column column-outcome",
                };
                view! {
                    <section class=kind_class data-column=col.id.clone() aria-labelledby=heading_ref
                        class:drop-over=move || over.get().as_deref() == Some(col_id3.as_str())>
                        <header class="column-head">
                            <h2 id=heading_id>{col.name.clone()}</h2>
                            <span class="count" aria-label=move || format!("{} candidates", count.get())>{move || count.get()}</span>
                        </header>
                        <ul class="cards">
                            <For
                                each=move || cards.with(|cs| cs.iter().filter(|c| c.column() == col_id).cloned().collect::<Vec<_>>())
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
                                    view! {
                                        <li class="board-card" data-card=card_attr
                                            class:dragging=move || dragging.get().as_deref() == Some(id_cls.as_str())
                                            class:grabbed=move || grabbed.get().is_some_and(|(g, _)| g == id_grab)
                                            on:pointerdown=move |ev| on_pointer_down(ev, id_down.clone())
                                            on:pointermove=on_pointer_move
                                            on:pointerup=move |ev| end_drag(ev, true)
                                            on:pointercancel=move |ev| end_drag(ev, false)
                                        >
                                            <div class="card-top">
                                                <button type="button" class="drag-handle"
                                                    aria-label=format!("Move {}", card.name)
                                                    aria-describedby="board-help"
                                                    on:keydown=move |ev| on_handle_key(ev, id_key.clone(), name_key.clone())
                                                >"⠿"</button>
                                                <a class="card-name" href=profile>{card.name.clone()}</a>
                                            </div>
                                            <p class="card-meta">{days_label(card.days_in_stage)}" in stage"</p>
                                            <ActionForm action=move_action attr:class="move-form">
                                                <input type="hidden" name="job_id" value=job_id.get_value()/>
                                                <input type="hidden" name="application_id" value=app_field/>
                                                <input type="hidden" name="from" value=current_col.clone()/>
                                                <label class="visually-hidden" for=select_id.clone()>{format!("Move {} to", card.name)}</label>
                                                <select name="to" id=select_id>
                                                    {columns.with_value(|cols| cols.iter().map(|o| view! {
                                                        <option value=o.id.clone() selected=o.id == current_col>{o.name.clone()}</option>
                                                    }).collect_view())}
                                                </select>
                                                <button type="submit" class="btn small">"Move"</button>
                                            </ActionForm>
                                        </li>
                                    }
                                    .into_any()
                                }
                            </For>
                        </ul>
                    </section>
                }
                .into_any()
            }).collect_view()}
        </div>
    }
}

/// The board column under a viewport point, if any.
#[cfg(feature = "hydrate")]
fn column_at(x: f64, y: f64) -> Option<String> {
    use wasm_bindgen::JsCast;
    let doc = web_sys::window()?.document()?;
    let list = doc.query_selector_all("[data-column]").ok()?;
    for i in 0..list.length() {
        let el: web_sys::Element = list.item(i)?.dyn_into().ok()?;
        let r = el.get_bounding_client_rect();
        if x >= r.left() && x <= r.right() && y >= r.top() && y <= r.bottom() {
            return el.get_attribute("data-column");
        }
    }
    None
}

/// Puts keyboard focus back on a card's handle after it re-rendered in another column.
fn focus_card(card_id: &str) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let selector = format!("[data-card=\"{card_id}\"] .drag-handle");
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector(&selector).ok().flatten())
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let active_in_board = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.active_element())
                .is_some_and(|a| {
                    a.closest(".board").ok().flatten().is_some() || a.tag_name() == "BODY"
                });
            if active_in_board {
                let _ = el.focus();
            }
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = card_id;
}
