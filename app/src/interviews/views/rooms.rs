//! `/admin/rooms`: the rooms on-site interviews are booked in. A room, like a person, is never
//! booked twice at once; one taken out of use is no longer offered (its interviews keep it).

use crate::components::PostForm;
use crate::components::{
    EmptyState, Field, FormError, Loading, action_or_url_error, field_error, or_error,
};
use crate::interviews::rooms::*;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn RoomsPage() -> impl IntoView {
    let add = ServerAction::<AddRoom>::new();
    let toggle = ServerAction::<SetRoomActive>::new();
    let rooms = Resource::new(
        move || (add.version().get(), toggle.version().get()),
        |_| list_rooms(),
    );
    let add_err = action_or_url_error(add);
    let toggle_err = action_or_url_error(toggle);
    let added = move || matches!(add.value().get(), Some(Ok(())));
    view! {
        <Title text="Rooms"/>
        <h1>"Rooms"</h1>
        <p class="lead">"On-site interviews take a room: the times offered are those when the panel and the room are free, and a room is never booked twice at once."</p>
        <section class="card">
            <h2>"Add a room"</h2>
            <Show when=added>
                <p class="banner banner-ok" role="status">"Room added: recruiters can choose it when they schedule."</p>
            </Show>
            <FormError error=crate::components::general_error(add_err)/>
            <PostForm action=add attr:class="form" attr:novalidate=true>
                <div class="row">
                    <Field label="Name" name="name" required=true error=field_error(add_err, "name")/>
                    <Field label="Where" name="location" hint="Building, floor: what the invitation says."
                        error=field_error(add_err, "location")/>
                    <Field label="Seats" name="capacity" kind="number" hint="How many people it holds: a panel too large for it is refused."
                        error=field_error(add_err, "capacity")/>
                </div>
                <button type="submit" class="btn primary">"Add room"</button>
            </PostForm>
        </section>
        <section class="card">
            <h2>"All rooms"</h2>
            <FormError error=toggle_err/>
            <Transition fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    or_error(rooms.await.map(|list| {
                        if list.is_empty() {
                            return view! { <EmptyState title="No rooms yet" hint="Add the rooms your office interviews in."/> }.into_any();
                        }
                        view! {
                            <table class="data-table rooms">
                                <thead><tr>
                                    <th scope="col">"Room"</th><th scope="col">"Where"</th><th scope="col">"Seats"</th><th scope="col">"In use"</th>
                                    <th scope="col"><span class="visually-hidden">"Change"</span></th>
                                </tr></thead>
                                <tbody>
                                    {list.into_iter().map(|r| view! {
                                        <tr>
                                            <td>{r.name.clone()}</td>
                                            <td>{r.location.clone()}</td>
                                            <td>{r.capacity.map(|c| c.to_string()).unwrap_or_else(|| "—".into())}</td>
                                            <td>{if r.active { "Yes" } else { "No" }}</td>
                                            <td>
                                                <PostForm action=toggle attr:class="inline">
                                                    <input type="hidden" name="room_id" value=r.id.clone()/>
                                                    <input type="hidden" name="active" value=(!r.active).to_string()/>
                                                    <button type="submit" class="btn small">
                                                        {if r.active { format!("Take {} out of use", r.name) } else { format!("Put {} back in use", r.name) }}
                                                    </button>
                                                </PostForm>
                                            </td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any()
                    }))
                })}
            </Transition>
        </section>
    }
}
