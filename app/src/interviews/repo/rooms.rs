//! Rooms for on-site interviews. A room is booked like a person: in 5-minute blocks (one record
//! per room and block), so two interviews can never hold it at once.

use super::*;

#[derive(Debug, Clone, SurrealValue)]
pub struct RoomRow {
    pub id: RecordId,
    pub name: String,
    pub location: String,
    pub active: bool,
    /// Seats, when the admin said.
    pub capacity: Option<i64>,
}

impl RoomRow {
    /// Where the interview is, as invitations and the portal say it: "Thames · 4th floor".
    pub fn place(&self) -> String {
        if self.location.is_empty() {
            self.name.clone()
        } else {
            format!("{} · {}", self.name, self.location)
        }
    }

    /// Open on weekdays, any hour: only its bookings make it busy (the panel's working hours
    /// bound the times anyway).
    pub fn availability(&self) -> Availability {
        Availability::new(chrono_tz::UTC, 0, 24 * 60)
    }

    pub fn to_wire(&self) -> RoomOption {
        RoomOption {
            id: key(&self.id),
            name: self.name.clone(),
            location: self.location.clone(),
            active: self.active,
            capacity: self.capacity.and_then(|c| u32::try_from(c).ok()),
        }
    }

    /// Whether `people` (the largest panel of the booking, and the candidate) fit in it; the
    /// message says why not.
    pub fn fits(&self, people: usize) -> Result<(), String> {
        match self.capacity {
            Some(seats) if people as i64 > seats => Err(format!(
                "{} seats {seats}: this interview needs {people} (the panel and the candidate). Choose a larger room or a smaller panel.",
                self.name
            )),
            _ => Ok(()),
        }
    }
}

/// The rooms, by name: in use only, or all (for the admin page).
pub async fn rooms(db: &Db, all: bool) -> AppResult<Vec<RoomRow>> {
    let mut res = db
        .query("SELECT id, name, location, active, capacity FROM room WHERE $all OR active ORDER BY name")
        .bind(("all", all))
        .await?;
    Ok(res.take(0)?)
}

/// A room in use, if there is one with this id.
pub async fn room_row(db: &Db, room: &RecordId) -> AppResult<Option<RoomRow>> {
    let mut res = db
        .query("SELECT id, name, location, active, capacity FROM ONLY $room")
        .bind(("room", room.clone()))
        .await?;
    let row: Option<RoomRow> = res.take(0)?;
    Ok(row.filter(|r| r.active))
}

pub async fn add_room(
    db: &Db,
    name: &str,
    location: &str,
    capacity: Option<i64>,
) -> AppResult<RecordId> {
    let id = RecordId::new("room", new_key());
    write_guarded(
        db.query(
            "CREATE $id SET name = $name, location = $location, capacity = $capacity RETURN NONE",
        )
        .bind(("id", id.clone()))
        .bind(("name", name.to_string()))
        .bind(("location", location.to_string()))
        .bind(("capacity", capacity)),
        &[(
            "room_name",
            AppError::invalid("name", "There is a room with this name already."),
        )],
    )
    .await?;
    Ok(id)
}

/// Takes a room out of use (its booked interviews keep it) or back.
pub async fn set_room_active(db: &Db, room: &RecordId, active: bool) -> AppResult<()> {
    let mut res = db
        .query("UPDATE $room SET active = $active RETURN VALUE id")
        .bind(("room", room.clone()))
        .bind(("active", active))
        .await?;
    let done: Vec<RecordId> = res.take(0)?;
    if done.is_empty() {
        return Err(AppError::NotFound);
    }
    Ok(())
}

#[cfg(test)]
mod capacity_tests {
    use super::*;

    #[test]
    fn a_panel_fits_a_room_with_enough_seats_or_one_whose_seats_are_not_said() {
        let room = |capacity| RoomRow {
            id: RecordId::new("room", "r"),
            name: "Spree".into(),
            location: String::new(),
            active: true,
            capacity,
        };
        assert!(room(Some(4)).fits(4).is_ok());
        let e = room(Some(4)).fits(5).unwrap_err();
        assert!(
            e.starts_with("Spree seats 4: this interview needs 5"),
            "{e}"
        );
        assert!(room(None).fits(40).is_ok());
        assert_eq!(room(Some(6)).to_wire().capacity, Some(6));
    }
}
