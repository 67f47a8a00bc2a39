//! The design system's building blocks. Each is plain HTML + the classes in `style/ui.css`,
//! renders the same on the server and in the browser, and works without JavaScript unless it
//! says otherwise. `/app/styleguide` shows every one of them.

use leptos::prelude::*;

/// Up to two initials: "Ada Lovelace" → "AL", "prince" → "P".
pub fn initials(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    let first = |w: &str| {
        w.chars()
            .next()
            .map(|c| c.to_uppercase().collect::<String>())
    };
    match words.as_slice() {
        [] => "?".into(),
        [one] => first(one).unwrap_or_default(),
        [a, .., b] => format!(
            "{}{}",
            first(a).unwrap_or_default(),
            first(b).unwrap_or_default()
        ),
    }
}

/// A stable hue (0..360) per name, so a person keeps their avatar colour everywhere.
pub fn hue(name: &str) -> u32 {
    // FNV-1a: tiny, stable across platforms and builds.
    let mut h: u32 = 0x811c_9dc5;
    for b in name.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h % 360
}

/// A person's initials on a colour derived from their name. Decorative: the name is always
/// written next to it, so screen readers skip it.
#[component]
pub fn Avatar(#[prop(into)] name: String, #[prop(optional)] large: bool) -> impl IntoView {
    let style = format!("--avatar-hue: {}", hue(&name));
    view! {
        <span class="avatar" class:avatar-lg=large style=style aria-hidden="true">{initials(&name)}</span>
    }
}

/// The colour of a [`Badge`]: what the state means, never a raw colour.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tone {
    #[default]
    Neutral,
    Brand,
    Ok,
    Warn,
    Danger,
}

impl Tone {
    pub fn class(self) -> &'static str {
        match self {
            Tone::Neutral => "badge tone-neutral",
            Tone::Brand => "badge tone-brand",
            Tone::Ok => "badge tone-ok",
            Tone::Warn => "badge tone-warn",
            Tone::Danger => "badge tone-danger",
        }
    }
}

/// A short status label ("Open", "3 new", "Overdue").
#[component]
pub fn Badge(#[prop(optional)] tone: Tone, children: Children) -> impl IntoView {
    view! { <span class=tone.class()>{children()}</span> }
}

/// What an empty list says: what it is for, and the next step (a link or a form).
#[component]
pub fn EmptyState(
    #[prop(into)] title: String,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <div class="empty-state">
            <p class="empty-title">{title}</p>
            {hint.map(|h| view! { <p class="muted">{h}</p> })}
            {children.map(|c| view! { <div class="empty-next">{c()}</div> })}
        </div>
    }
}

/// Grey bars where content is about to appear, so the page does not jump when it does.
#[component]
pub fn Skeleton(#[prop(default = 3)] lines: usize) -> impl IntoView {
    view! {
        <div class="skeleton" aria-hidden="true">
            {(0..lines).map(|i| view! { <span class="skeleton-line" class:short=i + 1 == lines></span> }).collect_view()}
        </div>
    }
}

/// Tabs that are links (each tab has its own URL, so they work without JavaScript, can be
/// bookmarked, and the back button goes to the previous tab).
#[component]
pub fn Tabs(
    /// (label, href) per tab.
    tabs: Vec<(String, String)>,
    /// The href of the tab shown.
    #[prop(into)]
    current: Signal<String>,
    #[prop(into)] label: String,
) -> impl IntoView {
    view! {
        <nav class="tabs" aria-label=label>
            {tabs.into_iter().map(|(text, href)| {
                let h = href.clone();
                let on = move || current.get() == h;
                view! {
                    <a href=href class="tab" class:tab-current=on.clone()
                        aria-current=move || on().then_some("page")>{text}</a>
                }
            }).collect_view()}
        </nav>
    }
}

/// Moves focus to the element with this id as soon as it is in the page: something just opened
/// (a drawer, a dialog) is rendered a few frames after the signal that opens it changes.
pub fn focus_when_shown(id: &'static str) {
    #[cfg(feature = "hydrate")]
    {
        fn attempt(id: &'static str, frames_left: u32) {
            use wasm_bindgen::JsCast;
            match document()
                .get_element_by_id(id)
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            {
                Some(el) => {
                    let _ = el.focus();
                    // Not focusable yet (still hidden while the page catches up): next frame.
                    let focused = document()
                        .active_element()
                        .is_some_and(|a| &a == AsRef::<web_sys::Element>::as_ref(&el));
                    if !focused && frames_left > 0 {
                        request_animation_frame(move || attempt(id, frames_left - 1))
                    }
                }
                None if frames_left > 0 => {
                    request_animation_frame(move || attempt(id, frames_left - 1))
                }
                None => {}
            }
        }
        request_animation_frame(move || attempt(id, 30));
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
}

/// A panel that slides in from the right, over the page, without leaving it (the page stays
/// where it was). Escape or the close button closes it; focus moves into it when it opens.
#[component]
pub fn Drawer(
    open: RwSignal<bool>,
    #[prop(into)] title: Signal<String>,
    children: ChildrenFn,
) -> impl IntoView {
    overlay(open, title, "drawer", "drawer-panel", children)
}

/// A dialog in the middle of the page, over it (e.g. the keyboard shortcuts). Like the drawer:
/// Escape, the close button or a click beside it closes it; focus moves into it when it opens.
#[component]
pub fn Modal(
    open: RwSignal<bool>,
    #[prop(into)] title: Signal<String>,
    /// The dialog's element id, unique in the page.
    id: &'static str,
    children: ChildrenFn,
) -> impl IntoView {
    overlay(open, title, "modal", id, children)
}

/// What a drawer and a modal share; `kind` is their class.
fn overlay(
    open: RwSignal<bool>,
    title: Signal<String>,
    kind: &'static str,
    panel: &'static str,
    children: ChildrenFn,
) -> impl IntoView {
    let heading = format!("{panel}-title");
    // Focus moves into the panel once it is in the page.
    Effect::new(move |_| {
        if open.get() {
            focus_when_shown(panel);
        }
    });
    view! {
        <Show when=move || open.get()>
            <div class=format!("overlay-backdrop {kind}-backdrop") on:click=move |_| open.set(false)></div>
            <aside class=kind role="dialog" aria-modal="true" aria-labelledby=heading.clone() tabindex="-1"
                id=panel
                on:keydown=move |ev| if ev.key() == "Escape" { open.set(false); }>
                <div class="overlay-head">
                    <h2 id=heading.clone()>{move || title.get()}</h2>
                    <button type="button" class="btn link overlay-close" on:click=move |_| open.set(false)>
                        <span aria-hidden="true">"✕"</span><span class="visually-hidden">"Close"</span>
                    </button>
                </div>
                <div class="overlay-body">{children()}</div>
            </aside>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_take_the_first_and_last_word() {
        assert_eq!(initials("Ada Lovelace"), "AL");
        assert_eq!(initials("Karen Spärck Jones"), "KJ");
        assert_eq!(initials("prince"), "P");
        assert_eq!(initials("  "), "?");
        assert_eq!(initials("émile zola"), "ÉZ");
    }

    #[test]
    fn a_name_keeps_its_colour() {
        assert_eq!(hue("Ada Lovelace"), hue("Ada Lovelace"));
        assert!(hue("Ada Lovelace") < 360);
        assert_ne!(hue("Ada Lovelace"), hue("Grace Hopper"));
    }
}
