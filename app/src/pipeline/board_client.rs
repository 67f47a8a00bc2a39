//! The board's browser side: keyboard focus (after a move, from card to card) and the
//! live-update stream (server-sent events). On the server these are inert: the board is rendered
//! with its "Move to…" links and comes alive once hydrated. Cards are dragged with
//! [`crate::components::drag::PointerDrag`].

use super::types::{BoardFilters, Card, Viewer};
use leptos::prelude::*;

/// The data of a `card` event (a `LiveEvent::Card`), read by the event's name. Reading the
/// internally tagged `LiveEvent` itself would take serde's buffering of any value: about 30 KB
/// of the board's bundle before wasm-opt.
#[cfg(any(feature = "hydrate", test))]
#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
pub struct CardEvent {
    pub card: Card,
}

/// The data of a `presence` event (a `LiveEvent::Presence`).
#[cfg(any(feature = "hydrate", test))]
#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
pub struct PresenceEvent {
    pub viewers: Vec<Viewer>,
}

/// Puts keyboard focus back on a card's handle after it re-rendered in another column.
pub fn focus_card(card_id: &str) {
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

/// The same, once the card has been drawn (it was just revealed by "Show N more").
pub fn focus_card_later(card_id: String) {
    #[cfg(feature = "hydrate")]
    request_animation_frame(move || focus_card(&card_id));
    #[cfg(not(feature = "hydrate"))]
    let _ = card_id;
}

/// Puts keyboard focus on a card's "Move to" choice once it has been drawn (after its "Move to…"
/// link was clicked; without JavaScript the page's `autofocus` does this).
pub fn focus_move_choice(card_id: &str) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let id = format!("move-{card_id}");
        request_animation_frame(move || {
            if let Some(el) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id(&id))
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = el.focus();
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = card_id;
}

/// Follows the board's server-sent events: card changes from anyone and who is looking.
#[allow(unused_variables)]
pub fn live_updates(
    job_id: String,
    cards: RwSignal<Vec<Card>>,
    viewers: RwSignal<Vec<Viewer>>,
    live: RwSignal<bool>,
    filters: StoredValue<BoardFilters>,
    reload: RwSignal<u32>,
) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        use wasm_bindgen::closure::Closure;
        let Ok(source) = web_sys::EventSource::new(&format!("/app/jobs/{job_id}/events")) else {
            return;
        };
        let on_card =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
                let Some(Ok(CardEvent { mut card })) =
                    ev.data().as_string().map(|d| serde_json::from_str(&d))
                else {
                    return;
                };
                let by_score = filters.with_value(|f| f.sort == "score");
                cards.update(|cs| match cs.iter().find(|c| c.id == card.id) {
                    Some(existing) => {
                        // A live change carries the application, not its interview feedback:
                        // the card keeps the feedback it has.
                        if card.feedback.is_none() {
                            card.feedback = existing.feedback.clone();
                        }
                        if *existing != card {
                            super::columns::put_card(cs, card, by_score);
                        }
                    }
                    None if filters.with_value(|f| f.admits(&card)) => cs.push(card),
                    None => {}
                });
            });
        let on_presence =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
                if let Some(Ok(PresenceEvent { viewers: v })) =
                    ev.data().as_string().map(|d| serde_json::from_str(&d))
                {
                    viewers.set(v);
                }
            });
        let on_reload =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |_| reload.update(|n| *n += 1));
        let on_open = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| live.set(true));
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| live.set(false));
        let _ = source.add_event_listener_with_callback("card", on_card.as_ref().unchecked_ref());
        let _ = source
            .add_event_listener_with_callback("presence", on_presence.as_ref().unchecked_ref());
        let _ =
            source.add_event_listener_with_callback("reload", on_reload.as_ref().unchecked_ref());
        source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let kept = StoredValue::new_local(Some((
            source,
            on_card,
            on_presence,
            on_reload,
            on_open,
            on_error,
        )));
        on_cleanup(move || {
            kept.update_value(|k| {
                if let Some((source, ..)) = k.take() {
                    source.close();
                }
            });
        });
    }
}

/// Moves focus from a card's handle to the handle of the card above or below it, or of the card
/// at the same height in the nearest column with cards to its left or right. False when there
/// is none (the key then does what it would anyway).
pub fn focus_neighbour(ev: &leptos::ev::KeyboardEvent, key: &str) -> bool {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let card = ev
            .current_target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|h| h.closest("li.board-card").ok().flatten());
        let Some(card) = card else { return false };
        let cards_of = |col: &web_sys::Element| {
            // A collapsed column's cards are hidden: the arrows pass it by.
            if col
                .class_name()
                .split_whitespace()
                .any(|c| c == "collapsed")
            {
                return Vec::new();
            }
            let list = col.query_selector_all("li.board-card").ok();
            let n = list.as_ref().map_or(0, |l| l.length());
            (0..n)
                .filter_map(|i| list.as_ref()?.item(i)?.dyn_into::<web_sys::Element>().ok())
                .collect::<Vec<_>>()
        };
        let target = match key {
            "ArrowUp" => card.previous_element_sibling(),
            "ArrowDown" => card.next_element_sibling(),
            _ => {
                let Some(mut col) = card.closest("section[data-column]").ok().flatten() else {
                    return false;
                };
                let row = cards_of(&col).iter().position(|c| c == &card).unwrap_or(0);
                loop {
                    let next = if key == "ArrowLeft" {
                        col.previous_element_sibling()
                    } else {
                        col.next_element_sibling()
                    };
                    let Some(next) = next.filter(|n| n.has_attribute("data-column")) else {
                        break None;
                    };
                    let cards = cards_of(&next);
                    if let Some(c) = cards.get(row.min(cards.len().saturating_sub(1))) {
                        break Some(c.clone());
                    }
                    col = next;
                }
            }
        };
        let handle = target
            .and_then(|c| c.query_selector(".drag-handle").ok().flatten())
            .and_then(|h| h.dyn_into::<web_sys::HtmlElement>().ok());
        handle.is_some_and(|h| h.focus().is_ok())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (ev, key);
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::types::{CardStatus, LiveEvent};

    #[test]
    fn the_browser_reads_what_the_server_sends() {
        let card = Card {
            id: "a1".into(),
            person_id: "p1".into(),
            name: "Ada Lovelace".into(),
            stage: "screen".into(),
            status: CardStatus::Active,
            days_in_stage: 2,
            tags: vec!["rust".into()],
            source: "Referral".into(),
            headline: None,
            new: true,
            feedback: None,
            masked: false,
            screening: None,
        };
        let sent = serde_json::to_string(&LiveEvent::Card { card: card.clone() }).unwrap();
        assert_eq!(
            serde_json::from_str::<CardEvent>(&sent).unwrap(),
            CardEvent { card }
        );
        let viewers = vec![Viewer {
            id: "u1".into(),
            name: "Riley Recruiter".into(),
        }];
        let sent = serde_json::to_string(&LiveEvent::Presence {
            viewers: viewers.clone(),
        })
        .unwrap();
        assert_eq!(
            serde_json::from_str::<PresenceEvent>(&sent).unwrap(),
            PresenceEvent { viewers }
        );
    }
}
