//! Talent pool pages: the list of pools and one pool with its members.

use super::api::*;
use crate::components::PostForm;
use crate::components::{Field, FormError, Loading, action_error, field_error, or_error};
use crate::people::members::{CrmNav, members_table};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn PoolsPage() -> impl IntoView {
    let create = ServerAction::<CreatePool>::new();
    let err = action_error(create);
    let pools = Resource::new(|| (), |_| list_pools());
    view! {
        <Title text="Pools"/>
        <h1>"Talent pools"</h1>
        <CrmNav/>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                or_error(pools.await.map(|list| view! {
                    <ul class="plain pool-list">
                        {list.into_iter().map(|p| view! {
                            <li class="card">
                                <a class="job-title" href=format!("/app/pools/{}", p.id)>{p.name.clone()}</a>
                                <span class="count">{p.members}</span>
                                <p class="muted small">{p.description.clone()}</p>
                            </li>
                        }).collect_view()}
                    </ul>
                }))
            })}
        </Suspense>
        <section class="card">
            <h2>"New pool"</h2>
            <FormError error=crate::components::general_error(err)/>
            <PostForm action=create attr:class="form">
                <Field label="Name" name="name" required=true error=field_error(err, "name")/>
                <Field label="Description" name="description" error=field_error(err, "description")/>
                <button type="submit" class="btn primary">"Create pool"</button>
            </PostForm>
        </section>
    }
}

#[component]
pub fn PoolPage() -> impl IntoView {
    let params = use_params_map();
    let pool_id = move || params.with(|p| p.get("id").unwrap_or_default());
    let remove = ServerAction::<RemoveFromPool>::new();
    let jobs = crate::pipeline::sourcing::open_jobs();
    let pool = Resource::new(
        move || (pool_id(), remove.version().get()),
        |(id, _)| get_pool(id),
    );
    view! {
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                or_error(pool.await.map(|d| {
                    let pid = d.pool.id.clone();
                    view! {
                        <Title text=d.pool.name.clone()/>
                        <p class="crumbs"><a href="/app/pools">"Pools"</a>" / "{d.pool.name.clone()}</p>
                        <div class="page-head">
                            <h1>{d.pool.name.clone()}</h1>
                            <a class="btn" href=format!("/app/export/pool/{}", d.pool.id)>"Export CSV"</a>
                        </div>
                        <p class="muted">{format!("{} people. {}", d.pool.members, d.pool.description)}</p>
                        <p class="muted small">"Add people from the search page, a board, an import or a profile."</p>
                        {members_table(d.members, Some((remove, pid)), jobs)}
                    }
                }))
            })}
        </Transition>
    }
}
