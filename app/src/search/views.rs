//! The search page and the search-as-you-type box in the staff header.

use super::api::*;
use super::types::*;
use crate::components::PostForm;
use crate::components::{ErrorPanel, Loading, or_error};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// A snippet, after the label of the field it comes from ("Resume: … led the **Rust** …").
fn snippet_view(field: Option<String>, segments: Vec<Segment>) -> impl IntoView {
    let label = (!segments.is_empty())
        .then_some(field)
        .flatten()
        .map(|f| view! { <span class="snippet-field">{f}": "</span> });
    let text = segments
        .into_iter()
        .map(|s| {
            if s.hit {
                view! { <mark>{s.text}</mark> }.into_any()
            } else {
                s.text.into_any()
            }
        })
        .collect_view();
    (label, text)
}

fn select_options(
    options: Vec<(String, String)>,
    current: String,
    any: &'static str,
) -> impl IntoView {
    view! {
        <option value="" selected=current.is_empty()>{any}</option>
        {options.into_iter().map(|(v, label)| {
            let sel = v == current;
            view! { <option value=v selected=sel>{label}</option> }
        }).collect_view()}
    }
}

const FILTER_KEYS: [&str; 7] = [
    "q",
    "job",
    "stage",
    "tag",
    "source",
    "applied_from",
    "applied_to",
];

/// The search page's link that filters by `key` = `value` (or drops that filter when it is
/// the one chosen), keeping the other filters and starting from the first page.
fn facet_href(params: &[(String, String)], key: &str, value: &str) -> String {
    let chosen = params.iter().any(|(k, v)| k == key && v == value);
    let mut parts: Vec<String> = params
        .iter()
        .filter(|(k, v)| k != key && !v.is_empty())
        .map(|(k, v)| format!("{k}={}", crate::components::urlencode(v)))
        .collect();
    if !chosen {
        parts.push(format!("{key}={}", crate::components::urlencode(value)));
    }
    format!("/app/search?{}", parts.join("&"))
}

/// One facet: each value with how many of the people found have it, as a link that filters
/// by it (the chosen one, ticked, drops the filter).
fn facet_list(
    title: &'static str,
    key: &'static str,
    values: Vec<FacetValue>,
    params: &[(String, String)],
    label: fn(&str) -> String,
) -> impl IntoView + use<> {
    let current = params
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let items: Vec<(String, String, u64, bool)> = values
        .into_iter()
        .take(12)
        .map(|v| {
            let on = v.value == current;
            (
                facet_href(params, key, &v.value),
                label(&v.value),
                v.count,
                on,
            )
        })
        .collect();
    (!items.is_empty()).then(|| {
        view! {
            <section class="facet" aria-label=format!("{title} of the people found")>
                <h2 class="facet-title">{title}</h2>
                <ul class="plain">
                    {items.into_iter().map(|(href, text, n, on)| view! {
                        <li><a href=href class="facet-value" class:facet-on=on aria-current=on.then_some("true")
                            title=if on { "Remove this filter" } else { "Show only these" }>
                            <span class="facet-tick" aria-hidden="true">{if on { "✓" } else { "" }}</span>
                            <span class="facet-label">{text}</span>
                            <span class="count">{n}</span>
                        </a></li>
                    }).collect_view()}
                </ul>
            </section>
        }
    })
}

/// Export the results as CSV, or add all of them to a talent pool. `add` belongs to the page:
/// these actions are built again for each search, and a form finishing its render after a new
/// search began must not reach an action that was dropped with the old results.
#[component]
fn SearchActions(
    params: Vec<(String, String)>,
    pools: Resource<Result<Vec<crate::pools::types::PoolSummary>, crate::error::AppError>>,
    add: ServerAction<crate::pools::api::AddToPool>,
) -> impl IntoView {
    let err = crate::components::action_error(add);
    let export = format!(
        "/app/export/search?{}",
        params
            .iter()
            .map(|(k, v)| format!("{k}={}", crate::components::urlencode(v)))
            .collect::<Vec<_>>()
            .join("&")
    );
    view! {
        <div class="card results-actions">
            <a class="btn" href=export download="search.csv">"Export CSV"</a>
            <Suspense fallback=|| ()>
                {move || {
                    let params = params.clone();
                    Suspend::new(async move {
                        let pools = match pools.await {
                            Ok(p) => p,
                            Err(e) => return view! { <ErrorPanel error=e/> }.into_any(),
                        };
                        if pools.is_empty() {
                            return view! { <a href="/app/pools">"Create a pool to collect these people"</a> }.into_any();
                        }
                        view! {
                            <PostForm action=add attr:class="inline-form">
                                <input type="hidden" name="search" value="true"/>
                                {params.into_iter().map(|(k, v)| view! { <input type="hidden" name=k value=v/> }).collect_view()}
                                <label for="results-pool">"Add everyone found to"</label>
                                <select id="results-pool" name="pool_id">
                                    {pools.into_iter().map(|p| view! { <option value=p.id.clone()>{p.name.clone()}</option> }).collect_view()}
                                </select>
                                <button type="submit" class="btn">"Add to pool"</button>
                            </PostForm>
                        }.into_any()
                    })
                }}
            </Suspense>
            <p role="status" class="small">{move || match add.value().get() {
                Some(Ok(n)) => format!("Added {n} to the pool."),
                _ => String::new(),
            }}</p>
            <crate::components::FormError error=err/>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::facet_href;

    #[test]
    fn a_facet_link_swaps_or_drops_its_filter_and_keeps_the_others() {
        let p = |pairs: &[(&str, &str)]| {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<Vec<_>>()
        };
        let params = p(&[("q", "rust go"), ("tag", "meetup"), ("source", "")]);
        assert_eq!(
            facet_href(&params, "tag", "alumni"),
            "/app/search?q=rust%20go&tag=alumni"
        );
        assert_eq!(
            facet_href(&params, "tag", "meetup"),
            "/app/search?q=rust%20go"
        );
        assert_eq!(
            facet_href(&params, "source", "referral"),
            "/app/search?q=rust%20go&tag=meetup&source=referral"
        );
    }
}

#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let get = move |k: &'static str| query.with(|q| q.get(k).unwrap_or_default());
    let results = Resource::new(
        move || {
            (
                get("q"),
                get("job"),
                get("stage"),
                get("tag"),
                get("source"),
                get("applied_from"),
                get("applied_to"),
                get("cursor"),
            )
        },
        |(q, job, stage, tag, source, from, to, cursor)| {
            search_people(q, job, stage, tag, source, from, to, cursor)
        },
    );
    let options = Resource::new(|| (), |_| search_filter_options());
    // Loaded once for the page, not again with every new set of results (no layout shift).
    let pools = Resource::new(|| (), |_| crate::pools::api::list_pools());
    let add = ServerAction::<crate::pools::api::AddToPool>::new();
    // While a new search runs, the previous results stay (a transition) but are marked busy:
    // dimmed for the eye, `aria-busy` for screen readers (and for tests waiting on the answer).
    let pending = RwSignal::new(false);
    view! {
        <Title text="Search"/>
        <h1>"Search people"</h1>
        <form method="get" action="/app/search" class="card search-form" role="search">
            <div class="field">
                <label for="search-q">"Words"</label>
                <input id="search-q" type="search" name="q" value=move || get("q")
                    placeholder="rust kubernetes, \"machine learning\", python OR go, rust NOT java"/>
                <p class="hint">"Words must all appear. Use \"quotes\" for phrases, OR for either, NOT or - to exclude, and (parentheses)."</p>
            </div>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let o = match options.await {
                        Ok(o) => o,
                        Err(e) => return view! { <ErrorPanel error=e/> }.into_any(),
                    };
                    view! {
                        <div class="row filters-row">
                            <div class="field"><label for="search-job">"Job"</label>
                                <select id="search-job" name="job">{select_options(o.jobs.clone(), get("job"), "Any job")}</select></div>
                            <div class="field"><label for="search-stage">"Stage"</label>
                                <select id="search-stage" name="stage">{select_options(o.stages.clone(), get("stage"), "Any stage")}</select></div>
                            <div class="field"><label for="search-tag">"Tag"</label>
                                <select id="search-tag" name="tag">{select_options(o.tags.iter().map(|t| (t.clone(), t.clone())).collect(), get("tag"), "Any tag")}</select></div>
                            <div class="field"><label for="search-source">"Source"</label>
                                <select id="search-source" name="source">{select_options(o.sources.iter().map(|s| (s.clone(), crate::people::types::source_label(s))).collect(), get("source"), "Any source")}</select></div>
                            <div class="field"><label for="search-from">"Applied from"</label>
                                <input id="search-from" type="date" name="applied_from" value=get("applied_from")/></div>
                            <div class="field"><label for="search-to">"Applied until"</label>
                                <input id="search-to" type="date" name="applied_to" value=get("applied_to")/></div>
                        </div>
                    }.into_any()
                })}
            </Suspense>
            <button type="submit" class="btn primary">"Search"</button>
        </form>
        <div class="search-region" aria-busy=move || if pending.get() { "true" } else { "false" }>
        <Transition fallback=|| view! { <Loading/> } set_pending=pending>
            {move || Suspend::new(async move {
                or_error(results.await.map(|r| {
                    let next = r.next_cursor.clone().map(|c| {
                        let mut url = String::from("/app/search?");
                        for k in ["q", "job", "stage", "tag", "source", "applied_from", "applied_to"] {
                            url.push_str(&format!("{k}={}&", crate::components::urlencode(&get(k))));
                        }
                        url.push_str(&format!("cursor={}", crate::components::urlencode(&c)));
                        url
                    });
                    if r.total == 0 {
                        let searched = !get("q").is_empty() || !get("tag").is_empty() || !get("job").is_empty() || !get("source").is_empty();
                        return view! { <p class="empty">{if searched { "No one matches." } else { "Type words or choose a filter to search." }}</p> }.into_any();
                    }
                    let params: Vec<(String, String)> = FILTER_KEYS.iter().map(|k| (k.to_string(), get(k))).collect();
                    view! {
                        <div class="search-layout">
                        <aside class="facets" aria-label="Narrow the results">
                            {facet_list("Tags", "tag", r.facets.tags.clone(), &params, |t| t.to_string())}
                            {facet_list("Source", "source", r.facets.sources.clone(), &params, crate::people::types::source_label)}
                        </aside>
                        <div class="search-main">
                        <p class="muted result-count">{format!("{} {}", r.total, if r.total == 1 { "person" } else { "people" })}</p>
                        <SearchActions params=FILTER_KEYS.iter().map(|k| (k.to_string(), get(k))).collect() pools=pools add=add/>
                        <ol class="search-results">
                            {r.hits.into_iter().map(|h| view! {
                                <li class="card search-hit">
                                    // Straight to the tab the match came from.
                                    <a class="hit-name" href=format!("/app/people/{}{}", h.id, match h.snippet_field.as_deref() {
                                        Some("Resume") => "?tab=resume",
                                        Some("Notes") => "?tab=notes",
                                        _ => "",
                                    })>{h.name.clone()}</a>
                                    <span class="muted small">" "{h.email.clone()}</span>
                                    {h.headline.clone().map(|t| view! { <span class="muted small block">{t}</span> })}
                                    <p class="snippet">{snippet_view(h.snippet_field.clone(), h.snippet.clone())}</p>
                                    <p>{h.tags.iter().map(|t| view! { <span class="tag">{t.clone()}</span> }).collect_view()}</p>
                                </li>
                            }).collect_view()}
                        </ol>
                        {next.map(|n| view! { <p><a class="btn" href=n>"Next page"</a></p> })}
                        </div>
                        </div>
                    }.into_any()
                }))
            })}
        </Transition>
        </div>
    }
}

/// The header's search box: results appear while typing (debounced), Enter opens the full page.
#[component]
pub fn HeaderSearch() -> impl IntoView {
    let text = RwSignal::new(String::new());
    let debounced = RwSignal::new(String::new());
    let open = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    let timer: StoredValue<Option<gloo_timers::callback::Timeout>, LocalStorage> =
        StoredValue::new_local(None);
    let on_input = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        text.set(v.clone());
        open.set(!v.trim().is_empty());
        #[cfg(feature = "hydrate")]
        {
            // Wait until typing pauses for 250 ms before asking the server.
            let t = gloo_timers::callback::Timeout::new(250, move || debounced.set(v));
            timer.update_value(|old| {
                if let Some(old) = old.replace(t) {
                    old.cancel();
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = v;
    };
    let results = LocalResource::new(move || {
        let q = debounced.get();
        async move {
            if q.trim().is_empty() {
                Ok(Vec::new())
            } else {
                quick_search(q).await
            }
        }
    });
    view! {
        <form method="get" action="/app/search" class="header-search" role="search"
            on:keydown=move |ev| if ev.key() == "Escape" { open.set(false); }>
            <label for="header-q" class="visually-hidden">"Search people"</label>
            // A combobox (not a plain search box): it controls the list of results below it.
            <input id="header-q" type="search" role="combobox" name="q" placeholder="Search people…" autocomplete="off"
                prop:value=move || text.get() on:input=on_input aria-autocomplete="list"
                aria-controls="header-results" aria-expanded=move || if open.get() { "true" } else { "false" }/>
            <div id="header-results" class="header-results" class:hidden=move || !open.get() aria-live="polite">
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        match results.await {
                            Ok(hits) if hits.is_empty() => view! {
                                <p class="muted small">{move || if debounced.get().trim().is_empty() { "" } else { "No matches yet. Press Enter for the full search." }}</p>
                            }.into_any(),
                            Ok(hits) => view! {
                                <ul class="plain">
                                    {hits.into_iter().map(|h| view! {
                                        <li><a href=format!("/app/people/{}", h.id)>
                                            <strong>{h.name.clone()}</strong>
                                            <span class="snippet small block">{snippet_view(h.snippet_field.clone(), h.snippet.clone())}</span>
                                        </a></li>
                                    }).collect_view()}
                                </ul>
                            }.into_any(),
                            Err(e) => view! { <p class="muted small">{e.to_string()}</p> }.into_any(),
                        }
                    })}
                </Suspense>
            </div>
        </form>
    }
}
