//! Duplicate pages: the list of likely duplicates, the compare-and-merge screen, and the
//! banner on a kept profile that undoes a merge.

use super::api::*;
use crate::components::PostForm;
use crate::components::{FormError, Loading, action_error, or_error};
use crate::people::members::CrmNav;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn DuplicatesPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| list_duplicates());
    view! {
        <Title text="Duplicates"/>
        <h1>"Possible duplicates"</h1>
        <CrmNav/>
        <p class="muted">"Found by email, phone, LinkedIn profile and close names. Compare before merging: merges keep all applications, notes and history, and can be undone."</p>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                or_error(list.await.map(|pairs| {
                    if pairs.is_empty() {
                        return view! { <p class="empty">"No likely duplicates."</p> }.into_any();
                    }
                    view! {
                        <table class="data-table">
                            <thead><tr><th scope="col">"Confidence"</th><th scope="col">"Record A"</th><th scope="col">"Record B"</th><th scope="col">"Why"</th><th scope="col"></th></tr></thead>
                            <tbody>
                                {pairs.into_iter().map(|p| view! {
                                    <tr class="dup-row">
                                        <td><strong>{format!("{}%", p.confidence)}</strong></td>
                                        <td><a href=format!("/app/people/{}", p.a.id)>{p.a.name.clone()}</a><span class="muted small block">{p.a.email.clone()}</span></td>
                                        <td><a href=format!("/app/people/{}", p.b.id)>{p.b.name.clone()}</a><span class="muted small block">{p.b.email.clone()}</span></td>
                                        <td>{p.reasons.join(", ")}</td>
                                        <td><a class="btn small" href=format!("/app/duplicates/merge?a={}&b={}", p.a.id, p.b.id)>"Compare"</a></td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                }))
            })}
        </Suspense>
    }
}

#[component]
pub fn MergePage() -> impl IntoView {
    let query = use_query_map();
    let a = move || query.with(|q| q.get("a").unwrap_or_default());
    let b = move || query.with(|q| q.get("b").unwrap_or_default());
    let merge = ServerAction::<MergePeople>::new();
    let err = action_error(merge);
    let rows = Resource::new(move || (a(), b()), |(a, b)| merge_preview(a, b));
    view! {
        <Title text="Merge"/>
        <p class="crumbs"><a href="/app/duplicates">"Duplicates"</a>" / Compare"</p>
        <h1>"Compare and merge"</h1>
        <p class="muted">"The record on the left is kept. For each field, choose which value to keep. Skills, tags and links from both are kept; applications, notes, emails and history move to the kept record."</p>
        <FormError error=err/>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                or_error(rows.await.map(|rows| view! {
                    <PostForm action=merge attr:class="form">
                        <input type="hidden" name="keep" value=a()/>
                        <input type="hidden" name="other" value=b()/>
                        <table class="data-table merge-table">
                            <thead><tr><th scope="col">"Field"</th><th scope="col">"Kept record"</th><th scope="col">"Other record"</th></tr></thead>
                            <tbody>
                                {rows.into_iter().map(|(field, left, right)| {
                                    let choosable = ["first_name", "last_name", "email", "phone", "location", "headline"].contains(&field.as_str());
                                    let differ = left != right && !right.is_empty();
                                    let fid = format!("take-{field}");
                                    view! {
                                        <tr class:differs=differ>
                                            <th scope="row">{field.replace('_', " ")}</th>
                                            <td>{left}</td>
                                            <td>
                                                {right.clone()}
                                                {(choosable && differ).then(|| view! {
                                                    <label class="take" for=fid.clone()>
                                                        <input type="checkbox" id=fid.clone() name="take[]" value=field.clone()/>
                                                        " use this"
                                                    </label>
                                                })}
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                        <button type="submit" class="btn primary">"Merge into the kept record"</button>
                    </PostForm>
                }))
            })}
        </Suspense>
    }
}

/// Shown on the kept profile right after a merge (`?merged=`), with a way to undo it.
#[component]
pub fn MergedBanner() -> impl IntoView {
    let query = use_query_map();
    let merged = move || query.with(|q| q.get("merged")).filter(|m| !m.is_empty());
    let undo = ServerAction::<UndoMerge>::new();
    let err = action_error(undo);
    view! {
        {move || merged().map(|m| view! {
            <div class="banner banner-ok merged-banner" role="status">
                <p>"Records merged. Applications, notes and history from both are on this profile."</p>
                <PostForm action=undo attr:class="inline">
                    <input type="hidden" name="merge_id" value=m/>
                    <button type="submit" class="btn">"Undo merge"</button>
                </PostForm>
                <FormError error=err/>
            </div>
        })}
    }
}
