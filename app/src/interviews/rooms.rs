//! The server functions of rooms for on-site interviews: the list (admins manage it; recruiters
//! choose from it when scheduling), adding one, taking one out of use.

use super::types::RoomOption;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::repo, crate::auth::guard::require_role, crate::auth::types::Role, crate::error::Checks,
    crate::server::db::id, crate::server::state,
};

/// Every room, in use or not (admins).
#[server]
pub async fn list_rooms() -> Result<Vec<RoomOption>, AppError> {
    require_role(|r| r == Role::Admin).await?;
    Ok(repo::rooms(&state()?.db, true)
        .await?
        .iter()
        .map(repo::RoomRow::to_wire)
        .collect())
}

#[server]
pub async fn add_room(
    name: String,
    location: String,
    #[server(default)] capacity: String,
) -> Result<(), AppError> {
    require_role(|r| r == Role::Admin).await?;
    let (name, location) = (name.trim().to_string(), location.trim().to_string());
    let mut c = Checks::new();
    let capacity = match capacity.trim() {
        "" => None,
        n => c
            .check(
                "capacity",
                n.parse::<i64>()
                    .ok()
                    .filter(|n| (1..=500).contains(n))
                    .map(Some)
                    .ok_or_else(|| {
                        "Enter how many people it seats (1 to 500), or leave it empty.".to_string()
                    }),
            )
            .flatten(),
    };
    if name.is_empty() || name.chars().count() > 80 {
        c.add("name", "Name the room (up to 80 characters).");
    }
    if location.chars().count() > 200 {
        c.add("location", "Keep the place to 200 characters.");
    }
    c.finish()?;
    repo::add_room(&state()?.db, &name, &location, capacity).await?;
    Ok(())
}

/// Takes a room out of use (interviews already booked in it keep it), or puts it back.
#[server]
pub async fn set_room_active(room_id: String, active: bool) -> Result<(), AppError> {
    require_role(|r| r == Role::Admin).await?;
    repo::set_room_active(&state()?.db, &id("room", &room_id)?, active).await
}
