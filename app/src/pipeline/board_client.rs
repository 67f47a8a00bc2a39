//! The board's browser side: pointer drag-and-drop of cards, keyboard focus after a move, and
//! the live-update stream (server-sent events). On the server these are inert: the board is
//! rendered with its plain "Move" forms and comes alive once hydrated.

use super::types::{BoardFilters, Card, Viewer};
use leptos::prelude::*;

/// A pointer pressed on a card; `active` once it moved far enough to be a drag.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
struct Drag {
    card: String,
    pointer: i32,
    start: (f64, f64),
    active: bool,
}

/// Pointer drag-and-drop of cards between columns. `dragging` holds the card being dragged and
/// `over` the column under the pointer; dropping calls `on_drop(card, column)`.
#[derive(Clone, Copy)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub struct PointerDrag<F: Fn(String, String) + Copy + 'static> {
    drag: StoredValue<Option<Drag>>,
    dragging: RwSignal<Option<String>>,
    over: RwSignal<Option<String>>,
    on_drop: F,
}

impl<F: Fn(String, String) + Copy + 'static> PointerDrag<F> {
    pub fn new(
        dragging: RwSignal<Option<String>>,
        over: RwSignal<Option<String>>,
        on_drop: F,
    ) -> Self {
        Self {
            drag: StoredValue::new(None),
            dragging,
            over,
            on_drop,
        }
    }

    /// `pointerdown` on a card: a primary mouse or pen press outside its links and controls.
    pub fn down(&self, ev: leptos::ev::PointerEvent, card_id: String) {
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
            self.drag.set_value(Some(Drag {
                card: card_id,
                pointer: ev.pointer_id(),
                start: (ev.client_x() as f64, ev.client_y() as f64),
                active: false,
            }));
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, card_id);
    }

    /// `pointermove`: past 4 px the press becomes a drag; the card follows the pointer.
    pub fn moved(&self, ev: leptos::ev::PointerEvent) {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let Some(mut d) = self.drag.get_value() else {
                return;
            };
            if d.pointer != ev.pointer_id() {
                return;
            }
            let (x, y) = (ev.client_x() as f64, ev.client_y() as f64);
            let (dx, dy) = (x - d.start.0, y - d.start.1);
            if !d.active && dx.hypot(dy) > 4.0 {
                d.active = true;
                self.dragging.set(Some(d.card.clone()));
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
                if self.over.get_untracked() != col {
                    self.over.set(col);
                }
            }
            self.drag.set_value(Some(d));
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    }

    /// `pointerup` (`drop`) or `pointercancel`: ends the drag, dropping on the column under it.
    pub fn end(&self, ev: leptos::ev::PointerEvent, drop: bool) {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let Some(d) = self.drag.get_value() else {
                return;
            };
            if d.pointer != ev.pointer_id() {
                return;
            }
            self.drag.set_value(None);
            if let Some(el) = ev
                .current_target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = el.style().remove_property("transform");
            }
            let target = self.over.get_untracked();
            self.dragging.set(None);
            self.over.set(None);
            if d.active
                && drop
                && let Some(to) = target
            {
                (self.on_drop)(d.card, to);
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, drop);
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
        use super::types::LiveEvent;
        use wasm_bindgen::JsCast;
        use wasm_bindgen::closure::Closure;
        let Ok(source) = web_sys::EventSource::new(&format!("/app/jobs/{job_id}/events")) else {
            return;
        };
        let on_event =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
                let Some(data) = ev.data().as_string() else {
                    return;
                };
                match serde_json::from_str::<LiveEvent>(&data) {
                    Ok(LiveEvent::Card { mut card }) => {
                        cards.update(|cs| match cs.iter_mut().find(|c| c.id == card.id) {
                            // A live change carries the application, not its interview feedback:
                            // the card keeps the feedback it has.
                            Some(existing)
                                if card.feedback.is_none() && existing.feedback.is_some() =>
                            {
                                card.feedback = existing.feedback.clone();
                                if *existing != card {
                                    *existing = card;
                                }
                            }
                            Some(existing) if *existing != card => *existing = card,
                            Some(_) => {}
                            None if filters.with_value(|f| f.admits(&card)) => cs.push(card),
                            None => {}
                        });
                    }
                    Ok(LiveEvent::Presence { viewers: v }) => viewers.set(v),
                    Ok(LiveEvent::Reload) => reload.update(|n| *n += 1),
                    Err(_) => {}
                }
            });
        let on_reload =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |_| reload.update(|n| *n += 1));
        let on_open = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| live.set(true));
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| live.set(false));
        let _ = source.add_event_listener_with_callback("card", on_event.as_ref().unchecked_ref());
        let _ =
            source.add_event_listener_with_callback("presence", on_event.as_ref().unchecked_ref());
        let _ =
            source.add_event_listener_with_callback("reload", on_reload.as_ref().unchecked_ref());
        source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let kept = StoredValue::new_local(Some((source, on_event, on_reload, on_open, on_error)));
        on_cleanup(move || {
            kept.update_value(|k| {
                if let Some((source, ..)) = k.take() {
                    source.close();
                }
            });
        });
    }
}
