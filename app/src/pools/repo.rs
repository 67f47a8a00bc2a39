//! Talent pool storage: pools, their members, and the pools of a person.

use super::types::*;
use crate::error::{AppError, AppResult};
use crate::people::crm::{MEMBER_FIELDS, MemberRow};
use crate::server::activity::{Actor, NewActivity};
use crate::server::db::{Db, key, new_key, write_guarded};
use std::collections::HashSet;
use surrealdb::types::{RecordId, SurrealValue};

#[derive(Debug, Clone, SurrealValue)]
struct PoolRow {
    id: RecordId,
    name: String,
    description: String,
    members: i64,
}

const POOL_FIELDS: &str = "id, name, description,
    count(SELECT VALUE id FROM pool_member WHERE pool = $parent.id) AS members";

impl From<PoolRow> for PoolSummary {
    fn from(p: PoolRow) -> Self {
        PoolSummary {
            id: key(&p.id),
            name: p.name,
            description: p.description,
            members: p.members,
        }
    }
}

/// Every pool with its member count.
pub async fn pools(db: &Db) -> AppResult<Vec<PoolSummary>> {
    let mut r = db
        .query(format!("SELECT {POOL_FIELDS} FROM pool ORDER BY name"))
        .await?;
    let rows: Vec<PoolRow> = r.take(0)?;
    Ok(rows.into_iter().map(PoolSummary::from).collect())
}

/// Pools as (id, name), for choosing one in a form: no member counts.
pub async fn pool_choices(db: &Db) -> AppResult<Vec<(String, String)>> {
    #[derive(Debug, Clone, SurrealValue)]
    struct Choice {
        id: RecordId,
        name: String,
    }
    let mut r = db.query("SELECT id, name FROM pool ORDER BY name").await?;
    let rows: Vec<Choice> = r.take(0)?;
    Ok(rows.into_iter().map(|c| (key(&c.id), c.name)).collect())
}

pub async fn pool(db: &Db, id: &RecordId) -> AppResult<Option<PoolSummary>> {
    let mut r = db
        .query(format!("SELECT {POOL_FIELDS} FROM ONLY $id"))
        .bind(("id", id.clone()))
        .await?;
    let row: Option<PoolRow> = r.take(0)?;
    Ok(row.map(PoolSummary::from))
}

pub async fn create_pool(
    db: &Db,
    name: &str,
    description: &str,
    actor: &Actor,
) -> AppResult<RecordId> {
    let id = RecordId::new("pool", new_key());
    write_guarded(
        db.query("CREATE $id SET name = $name, description = $d, created_by = $by RETURN NONE")
            .bind(("id", id.clone()))
            .bind(("name", name.to_string()))
            .bind(("d", description.to_string()))
            .bind(("by", actor.id.clone())),
        &[(
            "already contains",
            AppError::invalid("name", "There is already a pool with that name."),
        )],
    )
    .await?;
    Ok(id)
}

/// Pool by name, created when missing (used by sign-ups and imports).
pub async fn pool_named(db: &Db, name: &str, description: &str) -> AppResult<RecordId> {
    let mut r = db
        .query("SELECT VALUE id FROM pool WHERE name = $name LIMIT 1")
        .bind(("name", name.to_string()))
        .await?;
    let found: Option<RecordId> = r.take(0)?;
    match found {
        Some(id) => Ok(id),
        None => match create_pool(db, name, description, &Actor::system()).await {
            Ok(id) => Ok(id),
            // Created by someone else at the same moment.
            Err(AppError::Validation(_)) => Box::pin(pool_named(db, name, description)).await,
            Err(e) => Err(e),
        },
    }
}

/// Adds people to a pool (existing members are skipped). Returns how many were added.
pub async fn add_to_pool(
    db: &Db,
    pool: &RecordId,
    people: &[RecordId],
    actor: &Actor,
) -> AppResult<usize> {
    let mut r = db
        .query("SELECT VALUE person FROM pool_member WHERE pool = $pool AND person IN $people")
        .bind(("pool", pool.clone()))
        .bind(("people", people.to_vec()))
        .await?;
    let already: Vec<RecordId> = r.take(0)?;
    let already: HashSet<String> = already.iter().map(key).collect();
    let new: Vec<RecordId> = people
        .iter()
        .filter(|p| !already.contains(&key(p)))
        .cloned()
        .collect();
    if new.is_empty() {
        return Ok(0);
    }
    let mut r = db
        .query("SELECT VALUE name FROM ONLY $pool")
        .bind(("pool", pool.clone()))
        .await?;
    let name: Option<String> = r.take(0)?;
    let name = name.ok_or(AppError::NotFound)?;
    #[derive(Debug, Clone, SurrealValue)]
    struct NewMember {
        pool: RecordId,
        person: RecordId,
        added_by: String,
    }
    for chunk in new.chunks(1000) {
        let rows: Vec<NewMember> = chunk
            .iter()
            .map(|p| NewMember {
                pool: pool.clone(),
                person: p.clone(),
                added_by: actor.label.clone(),
            })
            .collect();
        let acts: Vec<NewActivity> = chunk
            .iter()
            .map(|p| {
                NewActivity::new(actor, "pool_added", format!("Added to the pool “{name}”"))
                    .person(p)
            })
            .collect();
        write_guarded(
            db.query(
                "BEGIN TRANSACTION;
                 INSERT INTO pool_member $rows RETURN NONE;
                 INSERT INTO activity $acts RETURN NONE;
                 COMMIT TRANSACTION;",
            )
            .bind(("rows", rows))
            .bind(("acts", acts)),
            &[],
        )
        .await?;
    }
    Ok(new.len())
}

pub async fn remove_from_pool(
    db: &Db,
    pool: &RecordId,
    person: &RecordId,
    actor: &Actor,
) -> AppResult<()> {
    let activity = NewActivity::new(actor, "pool_removed", "Removed from a pool").person(person);
    write_guarded(
        db.query(
            "BEGIN TRANSACTION;
             DELETE pool_member WHERE pool = $pool AND person = $person;
             CREATE activity CONTENT $activity RETURN NONE;
             COMMIT TRANSACTION;",
        )
        .bind(("pool", pool.clone()))
        .bind(("person", person.clone()))
        .bind(("activity", activity)),
        &[],
    )
    .await?;
    Ok(())
}

pub async fn pool_members(db: &Db, pool: &RecordId) -> AppResult<Vec<MemberRow>> {
    let mut r = db
        .query(format!(
            "LET $ids = SELECT VALUE person FROM pool_member WHERE pool = $pool;
             SELECT {MEMBER_FIELDS} FROM $ids ORDER BY last_name, first_name;"
        ))
        .bind(("pool", pool.clone()))
        .await?;
    Ok(r.take(1)?)
}

/// Pools a person belongs to (for the profile).
pub async fn pools_of(db: &Db, person: &RecordId) -> AppResult<Vec<(String, String)>> {
    #[derive(Debug, Clone, SurrealValue)]
    struct Row {
        pool: RecordId,
        name: String,
    }
    let mut r = db
        .query("SELECT pool, pool.name AS name FROM pool_member WHERE person = $p")
        .bind(("p", person.clone()))
        .await?;
    let rows: Vec<Row> = r.take(0)?;
    Ok(rows.into_iter().map(|r| (key(&r.pool), r.name)).collect())
}
