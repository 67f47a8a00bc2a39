//! The command palette: Ctrl-K (Cmd-K on a Mac), or the "Go to" button in the top bar, opens a
//! box that jumps to any page, job or person by typing part of its name. Arrow keys choose,
//! Enter opens, Escape closes. It needs JavaScript; every place it leads to has a link too.

use crate::auth::types::Role;
use leptos::prelude::*;

/// One thing the palette can open.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub label: String,
    /// What kind of thing it is ("Page", "Job", "Person").
    pub kind: &'static str,
    pub href: String,
}

/// The pages and actions this role can reach.
pub fn actions(role: Role) -> Vec<Entry> {
    let page = |label: &str, href: &str| Entry {
        label: label.into(),
        kind: "Page",
        href: href.into(),
    };
    let mut out = Vec::new();
    if role.sees_jobs() {
        out.push(page("Home", "/app"));
        out.push(page("Jobs", "/app/jobs"));
        out.push(page("Reports", "/app/reports"));
    }
    if role.manages_jobs() {
        out.push(page("New job", "/app/jobs/new"));
    }
    if matches!(role, Role::Admin | Role::Recruiter | Role::HiringManager) {
        out.push(page("Approvals", "/app/approvals"));
    }
    if role.uses_crm() {
        out.push(page("People", "/app/people"));
        out.push(page("Search people", "/app/search"));
        out.push(page("Talent pools", "/app/pools"));
        out.push(page("Segments", "/app/segments"));
        out.push(page("Campaigns", "/app/campaigns"));
        out.push(page("Import people from CSV", "/app/imports/new"));
        out.push(page("Duplicates", "/app/duplicates"));
        out.push(page("Refer someone", "/app/refer"));
    }
    if role.reads_outbox() {
        out.push(page("Outbox", "/admin/outbox"));
        out.push(page("Background jobs", "/admin/jobs"));
    }
    if role == Role::Admin {
        out.push(page("Staff", "/admin/staff"));
        out.push(page("Design system", "/app/styleguide"));
    }
    out.push(page("My interviews", "/app/interviews"));
    out.push(page("My account", "/app/account"));
    out
}

/// Entries whose label contains every typed word (case-insensitive), pages first.
pub fn matching(entries: &[Entry], typed: &str) -> Vec<Entry> {
    let words: Vec<String> = typed
        .split_whitespace()
        .map(crate::components::lowercase)
        .collect();
    entries
        .iter()
        .filter(|e| {
            let l = crate::components::lowercase(&e.label);
            words.iter().all(|w| l.contains(w.as_str()))
        })
        .cloned()
        .collect()
}

const MAX_SHOWN: usize = 12;

#[component]
pub fn CommandPalette(role: Role) -> impl IntoView {
    let open = RwSignal::new(false);
    let text = RwSignal::new(String::new());
    let debounced = RwSignal::new(String::new());
    let selected = RwSignal::new(0usize);
    let show = move || {
        text.set(String::new());
        debounced.set(String::new());
        selected.set(0);
        open.set(true);
    };
    #[cfg(feature = "hydrate")]
    {
        let handle = window_event_listener(leptos::ev::keydown, move |ev| {
            if ev.key() == "Escape" && open.get_untracked() {
                // Wherever the focus went, Escape closes the palette.
                open.set(false);
            } else if (ev.ctrl_key() || ev.meta_key()) && ev.key().eq_ignore_ascii_case("k") {
                ev.prevent_default();
                if open.get_untracked() {
                    open.set(false);
                } else {
                    show();
                }
            }
        });
        on_cleanup(move || handle.remove());
    }
    #[cfg(feature = "hydrate")]
    let timer: StoredValue<Option<gloo_timers::callback::Timeout>, LocalStorage> =
        StoredValue::new_local(None);
    // Focus the box once it is in the page.
    Effect::new(move |_| {
        if open.get() {
            crate::components::ui::focus_when_shown("palette-input");
        }
    });
    // Jobs and people are kept in plain signals, filled by requests of their own. Reading a
    // resource here would tie its loading to the page shell's Suspense (the memo below belongs
    // to this component, not to any nearer Suspense): under load the shell then unmounted the
    // open palette for a moment and the box lost its focus.
    let jobs = RwSignal::new(Vec::<crate::jobs::types::JobSummary>::new());
    let people = RwSignal::new(Vec::<super::types::SearchHit>::new());
    // Jobs are few: loaded each time the palette opens and filtered as one types.
    Effect::new(move |_| {
        if open.get() && role.sees_jobs() {
            leptos::task::spawn_local(async move {
                if let Ok(js) = crate::jobs::api::list_jobs().await {
                    jobs.set(js);
                }
            });
        }
    });
    // People come from the search index, after a pause in typing; only the answer to what is
    // still typed is kept.
    Effect::new(move |_| {
        let q = debounced.get();
        if role.uses_crm() && q.trim().chars().count() >= 2 {
            leptos::task::spawn_local(async move {
                let hits = super::api::quick_search(q.clone())
                    .await
                    .unwrap_or_default();
                if debounced.get_untracked() == q {
                    people.set(hits);
                }
            });
        } else {
            people.set(Vec::new());
        }
    });
    let entries = Memo::new(move |_| {
        let typed = text.get();
        let mut all = actions(role);
        jobs.with(|js| {
            all.extend(js.iter().map(|j| Entry {
                label: j.title.clone(),
                kind: "Job",
                href: format!("/app/jobs/{}", j.id),
            }))
        });
        let mut out = matching(&all, &typed);
        if !typed.trim().is_empty() {
            people.with(|ps| {
                out.extend(ps.iter().map(|p| Entry {
                    label: p.name.clone(),
                    kind: "Person",
                    href: format!("/app/people/{}", p.id),
                }))
            });
        }
        out.truncate(MAX_SHOWN);
        out
    });
    let go = move |href: String| {
        open.set(false);
        let navigate = leptos_router::hooks::use_navigate();
        navigate(&href, Default::default());
    };
    let on_input = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        text.set(v.clone());
        selected.set(0);
        #[cfg(feature = "hydrate")]
        {
            let t = gloo_timers::callback::Timeout::new(200, move || debounced.set(v));
            timer.update_value(|old| {
                if let Some(old) = old.replace(t) {
                    old.cancel();
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = v;
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let n = entries.with_untracked(Vec::len);
        match ev.key().as_str() {
            "ArrowDown" if n > 0 => {
                ev.prevent_default();
                selected.update(|s| *s = (*s + 1) % n);
            }
            "ArrowUp" if n > 0 => {
                ev.prevent_default();
                selected.update(|s| *s = (*s + n - 1) % n);
            }
            "Enter" => {
                ev.prevent_default();
                let pick = entries.with_untracked(|e| e.get(selected.get_untracked()).cloned());
                if let Some(e) = pick {
                    go(e.href);
                }
            }
            "Escape" => open.set(false),
            _ => {}
        }
    };
    view! {
        <button type="button" class="btn palette-button" on:click=move |_| show()
            aria-keyshortcuts="Control+K Meta+K">
            "Go to…"<kbd class="small muted">"Ctrl K"</kbd>
        </button>
        <Show when=move || open.get()>
            <div class="palette-backdrop" on:click=move |_| open.set(false)></div>
            <div class="palette" role="dialog" aria-modal="true" aria-label="Go to">
                <input id="palette-input" type="text" role="combobox" aria-expanded="true"
                    aria-controls="palette-list" aria-autocomplete="list" aria-label="Go to a page, job or person"
                    placeholder="Go to a page, job or person…" autocomplete="off"
                    aria-activedescendant=move || format!("palette-{}", selected.get())
                    prop:value=move || text.get() on:input=on_input on:keydown=on_key/>
                <ul id="palette-list" role="listbox" aria-label="Matches" class="palette-list">
                    {move || {
                        let list = entries.get();
                        if list.is_empty() {
                            return view! { <li class="muted palette-empty">"Nothing matches."</li> }.into_any();
                        }
                        list.into_iter().enumerate().map(|(i, e)| {
                            let href = e.href.clone();
                            view! {
                                <li role="option" id=format!("palette-{i}")
                                    aria-selected=move || if selected.get() == i { "true" } else { "false" }
                                    class:active=move || selected.get() == i
                                    on:mousemove=move |_| selected.set(i)
                                    on:click=move |_| go(href.clone())>
                                    <span>{e.label.clone()}</span>
                                    <span class="palette-kind">{e.kind}</span>
                                </li>
                            }
                        }).collect_view().into_any()
                    }}
                </ul>
                <p class="palette-help small muted">"↑ ↓ to choose · Enter to open · Esc to close"</p>
            </div>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_reaches_its_own_pages() {
        let labels = |r: Role| actions(r).into_iter().map(|e| e.label).collect::<Vec<_>>();
        assert!(labels(Role::Sourcer).contains(&"Campaigns".to_string()));
        assert!(!labels(Role::Sourcer).contains(&"New job".to_string()));
        assert!(labels(Role::Recruiter).contains(&"New job".to_string()));
        assert!(!labels(Role::Recruiter).contains(&"Staff".to_string()));
        assert!(labels(Role::Admin).contains(&"Staff".to_string()));
        assert_eq!(labels(Role::Interviewer), ["My interviews", "My account"]);
    }

    #[test]
    fn every_typed_word_must_match() {
        let all = actions(Role::Admin);
        let m = matching(&all, "im csv");
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].href, "/app/imports/new");
        assert!(matching(&all, "zzz").is_empty());
        assert_eq!(matching(&all, "").len(), all.len());
    }
}
