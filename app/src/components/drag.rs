//! Pointer drag-and-drop for lists the user rearranges: the board's cards between columns and
//! a campaign's steps in their sequence. Inert on the server; every such list also has a way
//! without dragging (forms, buttons, keys).

use leptos::prelude::*;

/// A pointer pressed on an item; `active` once it moved far enough to be a drag.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
struct Drag {
    card: String,
    pointer: i32,
    start: (f64, f64),
    active: bool,
}

/// Pointer drag-and-drop of items (board cards, campaign steps) onto targets: the elements
/// carrying the attribute `target` (`data-column` on the board), whose value names them.
/// `dragging` holds the item being dragged and `over` the target under the pointer; dropping
/// calls `on_drop(item, target)`. The item follows the pointer while it is dragged.
#[derive(Clone, Copy)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub struct PointerDrag<F: Fn(String, String) + Copy + 'static> {
    drag: StoredValue<Option<Drag>>,
    dragging: RwSignal<Option<String>>,
    over: RwSignal<Option<String>>,
    target: &'static str,
    on_drop: F,
}

impl<F: Fn(String, String) + Copy + 'static> PointerDrag<F> {
    pub fn new(
        dragging: RwSignal<Option<String>>,
        over: RwSignal<Option<String>>,
        target: &'static str,
        on_drop: F,
    ) -> Self {
        Self {
            drag: StoredValue::new(None),
            dragging,
            over,
            target,
            on_drop,
        }
    }

    /// `pointerdown` on an item: a primary mouse or pen press outside its links and controls.
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

    /// `pointermove`: past 4 px the press becomes a drag; the item follows the pointer.
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
                        // Whole pixels (the pointer's are): formatting an f64 would link
                        // the float printer into every bundle with a board.
                        &format!("translate({}px, {}px) rotate(1deg)", dx as i32, dy as i32),
                    );
                }
                let col = target_at(self.target, x, y, &d.card);
                if self.over.get_untracked() != col {
                    self.over.set(col);
                }
            }
            self.drag.set_value(Some(d));
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    }

    /// `pointerup` (`drop`) or `pointercancel`: ends the drag, dropping on the target under it.
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

/// The value of `attr` on the element carrying it under a viewport point, if any, other than
/// `item` itself (a dragged step is under the pointer all along).
#[cfg(feature = "hydrate")]
fn target_at(attr: &str, x: f64, y: f64, item: &str) -> Option<String> {
    use wasm_bindgen::JsCast;
    let doc = web_sys::window()?.document()?;
    let list = doc.query_selector_all(&format!("[{attr}]")).ok()?;
    for i in 0..list.length() {
        let el: web_sys::Element = list.item(i)?.dyn_into().ok()?;
        let r = el.get_bounding_client_rect();
        let value = el.get_attribute(attr);
        if x >= r.left()
            && x <= r.right()
            && y >= r.top()
            && y <= r.bottom()
            && value.as_deref() != Some(item)
        {
            return value;
        }
    }
    None
}
