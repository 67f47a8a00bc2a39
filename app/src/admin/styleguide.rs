//! `/app/styleguide` (admins): every token and component of the design system on one page, in
//! the theme the browser asks for. New screens are built from what this page shows.

use crate::auth::types::Role;
use crate::components::toast::Toasts;
use crate::components::ui::*;
use crate::components::{ErrorPanel, Field, Loading};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;

const COLOURS: [&str; 16] = [
    "bg",
    "surface",
    "surface-2",
    "sunken",
    "text",
    "muted",
    "line",
    "brand",
    "brand-soft",
    "on-brand",
    "ok",
    "ok-soft",
    "warn",
    "warn-soft",
    "danger",
    "danger-soft",
];

#[component]
pub fn StyleguidePage() -> impl IntoView {
    let me = crate::auth::views::use_staff();
    if me.role != Role::Admin {
        return view! { <ErrorPanel error=AppError::Forbidden/> }.into_any();
    }
    let drawer = RwSignal::new(false);
    let modal = RwSignal::new(false);
    let order = RwSignal::new("Newest first");
    let toasts = Toasts::use_context();
    let demo_error =
        Signal::derive(|| Some("Enter an email address like name@example.com.".to_string()));
    let no_error = Signal::derive(|| None::<String>);
    view! {
        <Title text="Design system"/>
        <div class="styleguide">
            <h1>"Design system"</h1>
            <p class="lead muted">"The tokens and components every screen is built from. Light and dark follow the system setting."</p>

            <section class="card" aria-labelledby="sg-colours">
                <h2 id="sg-colours">"Colours"</h2>
                <ul class="swatches">
                    {COLOURS.iter().map(|c| view! {
                        <li class="swatch"><span style=format!("background: var(--{c})")></span><code>{format!("--{c}")}</code></li>
                    }).collect_view()}
                </ul>
            </section>

            <section class="card" aria-labelledby="sg-type">
                <h2 id="sg-type">"Type"</h2>
                <p style="font-size: var(--text-xl); font-weight: 700; margin: 0">"Page title, 1.75 rem"</p>
                <p style="font-size: var(--text-lg); font-weight: 700; margin: 0">"Section title, 1.2 rem"</p>
                <p style="margin: 0">"Body text, 1 rem: clear sentences, one idea each."</p>
                <p class="small muted" style="margin: 0">"Small and muted, 0.875 rem: dates and hints."</p>
            </section>

            <section class="card" aria-labelledby="sg-buttons">
                <h2 id="sg-buttons">"Buttons"</h2>
                <div class="specimen-row">
                    <button type="button" class="btn primary">"Primary"</button>
                    <button type="button" class="btn">"Secondary"</button>
                    <button type="button" class="btn danger">"Danger"</button>
                    <button type="button" class="btn link">"Link"</button>
                    <button type="button" class="btn small">"Small"</button>
                    <button type="button" class="btn" disabled=true>"Disabled"</button>
                </div>
            </section>

            <section class="card" aria-labelledby="sg-inputs">
                <h2 id="sg-inputs">"Inputs"</h2>
                <div class="row">
                    <Field label="Name" name="sg-name" required=true hint="As they write it." error=no_error/>
                    <Field label="Email" name="sg-email" kind="email" value=Some("ada@".to_string()) error=demo_error/>
                    <div class="field">
                        <label for="sg-select">"Stage"</label>
                        <select id="sg-select"><option>"Applied"</option><option>"Interview"</option><option>"Offer"</option></select>
                    </div>
                </div>
            </section>

            <section class="card" aria-labelledby="sg-badges">
                <h2 id="sg-badges">"Badges and avatars"</h2>
                <div class="specimen-row">
                    <Badge>"Neutral"</Badge>
                    <Badge tone=Tone::Brand>"3 new"</Badge>
                    <Badge tone=Tone::Ok>"Open"</Badge>
                    <Badge tone=Tone::Warn>"Waiting"</Badge>
                    <Badge tone=Tone::Danger>"Overdue"</Badge>
                    <span class="tag">"rust"</span>
                </div>
                <div class="specimen-row" style="margin-top: var(--space-3)">
                    {["Ada Lovelace", "Grace Hopper", "Karen Spärck Jones", "Alan Turing"].into_iter().map(|n| view! {
                        <span class="specimen-row"><Avatar name=n/>{n}</span>
                    }).collect_view()}
                    <Avatar name="Ada Lovelace" large=true/>
                </div>
            </section>

            <section aria-labelledby="sg-table">
                <h2 id="sg-table">"Table"</h2>
                <div class="table-scroll">
                    <table class="data-table">
                        <caption class="visually-hidden">"Candidates by stage"</caption>
                        <thead><tr><th scope="col">"Name"</th><th scope="col">"Stage"</th><th scope="col">"Days in stage"</th></tr></thead>
                        <tbody>
                            <tr><td>"Ada Lovelace"</td><td><Badge tone=Tone::Brand>"Interview"</Badge></td><td>"2"</td></tr>
                            <tr><td>"Grace Hopper"</td><td><Badge tone=Tone::Ok>"Offer"</Badge></td><td>"5"</td></tr>
                        </tbody>
                    </table>
                </div>
            </section>

            <section class="card" aria-labelledby="sg-tabs">
                <h2 id="sg-tabs">"Tabs"</h2>
                <Tabs label="Profile sections" current=Signal::stored(String::from("/app/styleguide"))
                    tabs=vec![("Overview".into(), "/app/styleguide".into()), ("Timeline".into(), "/app/styleguide?tab=timeline".into()), ("Resume".into(), "/app/styleguide?tab=resume".into())]/>
            </section>

            <section class="card" aria-labelledby="sg-feedback">
                <h2 id="sg-feedback">"Feedback"</h2>
                <p class="banner banner-ok" role="status">"Saved. Everyone on the job sees the change."</p>
                <div class="banner banner-error">"That stage still holds 3 candidates: move them first."</div>
                <div class="specimen-row">
                    <button type="button" class="btn" on:click=move |_| toasts.info("Moved Ada Lovelace to Interview.")>"Show a toast"</button>
                    <button type="button" class="btn" on:click=move |_| drawer.set(true)>"Open a drawer"</button>
                    <button type="button" class="btn" on:click=move |_| modal.set(true)>"Open a modal"</button>
                </div>
                <Drawer open=drawer title=Signal::stored(String::from("Ada Lovelace"))>
                    <p>"A drawer shows a summary without leaving the page. Escape closes it."</p>
                </Drawer>
                <Modal open=modal title=Signal::stored(String::from("Reject Ada Lovelace?")) id="sg-modal">
                    <p>"A modal asks one thing in the middle of the page. Escape, the close button or a click beside it closes it."</p>
                </Modal>
            </section>

            <section class="card" aria-labelledby="sg-menu">
                <h2 id="sg-menu">"Menu"</h2>
                <div class="specimen-row">
                    <span>"Sorted: "<strong data-testid="sg-order">{move || order.get()}</strong></span>
                    <Menu label="Sort the list" button="Sort ▾" id="sg-menu-list" items=vec![
                        MenuItem::option("Newest first", move || order.get() == "Newest first", move || order.set("Newest first")),
                        MenuItem::option("Oldest first", move || order.get() == "Oldest first", move || order.set("Oldest first")),
                        MenuItem::option("Name", move || order.get() == "Name", move || order.set("Name")),
                        MenuItem::action(Signal::stored(String::from("Say hello")), move || toasts.info("Hello from the menu.")).separated(),
                    ]/>
                </div>
            </section>

            <section class="card" aria-labelledby="sg-empty">
                <h2 id="sg-empty">"Empty and loading"</h2>
                <EmptyState title="No campaigns yet" hint="A campaign keeps passive candidates warm with a few well-timed emails.">
                    <a class="btn primary" href="/app/campaigns">"Create a campaign"</a>
                </EmptyState>
                <Loading/>
            </section>

            <div class="dashboard">
                <TodoCard id="sg-todo" title="To-do card" count=2 tone=Tone::Warn note="What waits for someone on a home page: a count, a note, the list.">
                    <ul class="plain todo-list">
                        <li class="todo-person"><Avatar name="Ada Lovelace"/><span><a href="/app/people">"Ada Lovelace"</a></span></li>
                        <li class="todo-person"><Avatar name="Alan Turing"/><span><a href="/app/people">"Alan Turing"</a></span></li>
                    </ul>
                </TodoCard>
            </div>
        </div>
    }
    .into_any()
}
