//! Staff accounts on the wire.

use crate::auth::types::Role;
use serde::{Deserialize, Serialize};

/// One colleague, as admins see them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffMember {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub active: bool,
    /// Invited, no password set yet.
    pub invited: bool,
    /// Signs in with a code from an authenticator app too.
    pub two_step: bool,
    /// An admin requires two-step sign-in of them.
    pub two_step_required: bool,
    pub last_sign_in: Option<String>,
}

/// A sign-in: who, when, from where.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SignInEntry {
    pub name: String,
    pub at: String,
    pub ip: String,
}

/// The staff page: everyone, and the latest sign-ins.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffList {
    pub members: Vec<StaffMember>,
    pub sign_ins: Vec<SignInEntry>,
}

/// Who an invitation or reset link is for (shown on its page).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LinkHolder {
    pub name: String,
    pub email: String,
}

/// Two-step sign-in of the signed-in member.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TwoStep {
    pub enabled: bool,
    pub recovery_left: i64,
    /// A setup begun and not finished: what the page shows until the first code is entered.
    pub pending: Option<TwoStepSetup>,
}

/// What an authenticator app needs to start: the secret (to type) and the `otpauth://` link.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TwoStepSetup {
    pub secret: String,
    pub url: String,
    /// The recovery codes that come into force with it, shown with the key.
    pub recovery_codes: Vec<String>,
}
