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
            .map(|c| super::uppercase(c.encode_utf8(&mut [0; 4])))
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

/// A card of what waits for someone on a home page: its title with a count, an optional note
/// under it, then the list (the children).
#[component]
pub fn TodoCard(
    /// The heading's id (the card is labelled by its heading).
    id: &'static str,
    #[prop(into)] title: String,
    count: usize,
    #[prop(optional)] tone: Tone,
    #[prop(optional, into)] note: Option<String>,
    children: Children,
) -> impl IntoView {
    view! {
        <section class="card todo" aria-labelledby=id>
            <h2 id=id>{title}" "<Badge tone=tone>{count}</Badge></h2>
            {note.map(|n| view! { <p class="muted small">{n}</p> })}
            {children()}
        </section>
    }
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
pub fn focus_when_shown(id: impl Into<String>) {
    let id: String = id.into();
    #[cfg(feature = "hydrate")]
    {
        fn attempt(id: String, frames_left: u32) {
            use wasm_bindgen::JsCast;
            match document()
                .get_element_by_id(&id)
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

/// One choice in a [`Menu`].
#[derive(Clone)]
pub struct MenuItem {
    pub label: Signal<String>,
    /// `Some` makes it one of a set of options (a sort order), shown ticked when true.
    pub checked: Option<Signal<bool>>,
    /// A line above it, to set it apart from the items before.
    pub separated: bool,
    pub on_select: Callback<()>,
}

impl MenuItem {
    /// An action ("Collapse the column").
    pub fn action(
        label: impl Into<Signal<String>>,
        on_select: impl Fn() + Send + Sync + 'static,
    ) -> Self {
        Self {
            label: label.into(),
            checked: None,
            separated: false,
            on_select: Callback::new(move |()| on_select()),
        }
    }

    /// One option of a set, ticked while `checked` is true.
    pub fn option(
        label: impl Into<String>,
        checked: impl Fn() -> bool + Send + Sync + 'static,
        on_select: impl Fn() + Send + Sync + 'static,
    ) -> Self {
        Self {
            label: Signal::stored(label.into()),
            checked: Some(Signal::derive(checked)),
            separated: false,
            on_select: Callback::new(move |()| on_select()),
        }
    }

    /// The same item with a line above it.
    pub fn separated(mut self) -> Self {
        self.separated = true;
        self
    }
}

/// A button that opens a short list of actions (the WAI-ARIA menu button). Enter, Space or ↓
/// open it on its first item, ↑ on its last; the arrows, Home and End move between items;
/// Escape closes it and goes back to the button; Tab or a click elsewhere closes it.
///
/// It needs JavaScript, so it appears only once the page is interactive: without JavaScript
/// there is no dead button (what it offers must then be reachable another way, or be a
/// nicety such as sorting).
#[component]
pub fn Menu(
    /// The button's accessible name ("Options for the Screen column").
    #[prop(into)]
    label: String,
    /// What the button shows (a word or a symbol).
    #[prop(into)]
    button: String,
    /// Unique in the page: the list's id; the button's is `{id}-button`.
    #[prop(into)]
    id: String,
    items: Vec<MenuItem>,
) -> impl IntoView {
    let ready = RwSignal::new(false);
    // Effects run only in the browser, once hydrated.
    Effect::new(move |_| ready.set(true));
    let open = RwSignal::new(false);
    let list_id = StoredValue::new(id.clone());
    let button_id = format!("{id}-button");
    let button_ref = StoredValue::new(button_id.clone());
    let show = move |at: MenuFocus| {
        open.set(true);
        focus_menu_item(list_id.get_value(), at);
    };
    let close = move |back_to_button: bool| {
        open.set(false);
        if back_to_button {
            focus_when_shown(button_ref.get_value());
        }
    };
    let items = StoredValue::new(items);
    move || {
        ready.get().then(|| {
            let button_id = button_id.clone();
            let label = label.clone();
            let button = button.clone();
            let id = id.clone();
            view! {
                <div class="menu" on:focusout=move |ev: leptos::ev::FocusEvent| {
                    if open.get_untracked() && !focus_stays_inside(&ev) {
                        open.set(false);
                    }
                }>
                    <button type="button" class="btn link menu-button" id=button_id.clone()
                        aria-haspopup="menu" aria-controls=id.clone() aria-label=label
                        aria-expanded=move || if open.get() { "true" } else { "false" }
                        on:click=move |_| if open.get_untracked() { close(false) } else { show(MenuFocus::First) }
                        on:keydown=move |ev| match ev.key().as_str() {
                            "ArrowDown" => { ev.prevent_default(); show(MenuFocus::First); }
                            "ArrowUp" => { ev.prevent_default(); show(MenuFocus::Last); }
                            _ => {}
                        }>{button}</button>
                    <ul class="menu-list" role="menu" id=id.clone() aria-labelledby=button_id
                        hidden=move || !open.get()
                        on:keydown=move |ev| {
                            let at = match ev.key().as_str() {
                                "ArrowDown" => MenuFocus::Next,
                                "ArrowUp" => MenuFocus::Previous,
                                "Home" => MenuFocus::First,
                                "End" => MenuFocus::Last,
                                "Escape" => { ev.prevent_default(); ev.stop_propagation(); close(true); return; }
                                "Tab" => { open.set(false); return; }
                                _ => return,
                            };
                            ev.prevent_default();
                            focus_menu_item(list_id.get_value(), at);
                        }>
                        {items.get_value().into_iter().map(|item| {
                            let MenuItem { label, checked, separated, on_select } = item;
                            let role = if checked.is_some() { "menuitemradio" } else { "menuitem" };
                            let ticked = move || checked.map(|c| c.get());
                            view! {
                                {separated.then(|| view! { <li role="separator" class="menu-separator"></li> })}
                                <li role="none">
                                    <button type="button" class="menu-item" role=role tabindex="-1"
                                        aria-checked=move || ticked().map(|t| if t { "true" } else { "false" })
                                        on:click=move |_| { on_select.run(()); close(true); }>
                                        <span class="menu-tick" aria-hidden="true">{move || if ticked() == Some(true) { "✓" } else { "" }}</span>
                                        {move || label.get()}
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </div>
            }
        })
    }
}

/// Which item of an open menu gets focus.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MenuFocus {
    First,
    Last,
    Next,
    Previous,
}

/// The index `at` lands on among `n` items when `current` has focus (wrapping around).
pub fn menu_step(at: MenuFocus, current: Option<usize>, n: usize) -> Option<usize> {
    if n == 0 {
        return None;
    }
    Some(match (at, current) {
        (MenuFocus::First, _) | (MenuFocus::Next, None) => 0,
        (MenuFocus::Last, _) | (MenuFocus::Previous, None) => n - 1,
        (MenuFocus::Next, Some(i)) => (i + 1) % n,
        (MenuFocus::Previous, Some(i)) => (i + n - 1) % n,
    })
}

/// Moves focus among the items of the menu list `list_id` (once it is shown).
fn focus_menu_item(list_id: String, at: MenuFocus) {
    #[cfg(feature = "hydrate")]
    request_animation_frame(move || {
        use wasm_bindgen::JsCast;
        let Some(list) = document().get_element_by_id(&list_id) else {
            return;
        };
        let Ok(nodes) = list.query_selector_all("[role^='menuitem']") else {
            return;
        };
        let items: Vec<web_sys::HtmlElement> = (0..nodes.length())
            .filter_map(|i| nodes.item(i)?.dyn_into::<web_sys::HtmlElement>().ok())
            .collect();
        let active = document().active_element();
        let current = items
            .iter()
            .position(|i| active.as_ref() == Some(AsRef::<web_sys::Element>::as_ref(i)));
        if let Some(i) = menu_step(at, current, items.len()) {
            let _ = items[i].focus();
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (list_id, at);
}

/// Whether focus moves to an element inside the one whose `focusout` this is.
pub fn focus_stays_inside(ev: &leptos::ev::FocusEvent) -> bool {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let to = ev
            .related_target()
            .and_then(|t| t.dyn_into::<web_sys::Node>().ok());
        let within = ev
            .current_target()
            .and_then(|t| t.dyn_into::<web_sys::Node>().ok());
        match (within, to) {
            (Some(w), Some(t)) => w.contains(Some(&t)),
            _ => false,
        }
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = ev;
        false
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

    #[test]
    fn menu_focus_wraps_around() {
        use MenuFocus::*;
        assert_eq!(menu_step(First, Some(2), 4), Some(0));
        assert_eq!(menu_step(Last, None, 4), Some(3));
        assert_eq!(menu_step(Next, Some(3), 4), Some(0));
        assert_eq!(menu_step(Previous, Some(0), 4), Some(3));
        assert_eq!(menu_step(Next, None, 4), Some(0));
        assert_eq!(menu_step(Previous, None, 4), Some(3));
        assert_eq!(menu_step(Next, Some(1), 4), Some(2));
        assert_eq!(menu_step(First, None, 0), None);
    }
}
