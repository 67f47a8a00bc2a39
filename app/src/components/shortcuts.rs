//! The keyboard shortcuts of the staff app, listed in a dialog that `?` (or the top bar's
//! keyboard button) opens. The list is the one place that names them.

use super::ui::Modal;
use leptos::prelude::*;

/// Shortcuts by where they work: (keys, what they do).
pub const SHORTCUTS: [(&str, &[(&str, &str)]); 2] = [
    (
        "Everywhere",
        &[
            ("Ctrl K · ⌘ K", "Go to a page, job or person"),
            ("?", "Show these shortcuts"),
            ("Esc", "Close a panel or dialog"),
        ],
    ),
    (
        "Pipeline board (on a card's handle ⠿)",
        &[
            ("↑ ↓", "Previous or next card in the column"),
            ("← →", "The card beside it in the next column"),
            (
                "Space · Enter",
                "Pick the card up, then drop it in the chosen column",
            ),
            ("← → while holding", "Choose the column to drop it in"),
            ("Esc", "Put the card back"),
            ("Enter on a name", "Open the quick view"),
        ],
    ),
];

/// The top bar's keyboard button and the dialog; `?` opens it anywhere but in a text field.
#[component]
pub fn KeyboardHelp() -> impl IntoView {
    let open = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    {
        let handle = window_event_listener(leptos::ev::keydown, move |ev| {
            if ev.key() != "?" || ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
                return;
            }
            let typing = document().active_element().is_some_and(|el| {
                matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                    || el.has_attribute("contenteditable")
            });
            if !typing {
                ev.prevent_default();
                open.set(true);
            }
        });
        on_cleanup(move || handle.remove());
    }
    view! {
        <button type="button" class="btn link keys-button" title="Keyboard shortcuts (?)"
            aria-haspopup="dialog" on:click=move |_| open.set(true)>
            <span aria-hidden="true">"⌨"</span><span class="visually-hidden">"Keyboard shortcuts"</span>
        </button>
        <Modal open=open title=Signal::stored(String::from("Keyboard shortcuts")) id="shortcuts">
            {SHORTCUTS.iter().map(|(place, keys)| view! {
                <h3>{*place}</h3>
                <dl class="shortcuts">
                    {keys.iter().map(|(k, what)| view! {
                        <dt>{k.split(" · ").map(|k| view! { <kbd>{k}</kbd>" " }).collect_view()}</dt>
                        <dd>{*what}</dd>
                    }).collect_view()}
                </dl>
            }).collect_view()}
        </Modal>
    }
}
