//! Talent pool wire types.

use crate::people::types::Member;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PoolSummary {
    pub id: String,
    pub name: String,
    pub description: String,
    pub members: i64,
}

/// A pool and its members.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PoolDetail {
    pub pool: PoolSummary,
    pub members: Vec<Member>,
}
