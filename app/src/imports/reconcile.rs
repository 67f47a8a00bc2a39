//! Import reconciliation, as a pure function: for one valid CSV row, given the people already
//! known (in the database, and created by earlier rows of the same file) and the chosen policy
//! for people already here, decide whether the row is skipped, updates someone, creates a
//! person, or is refused. The task (`import.rs`) loads the known people, calls
//! [`Known::reconcile`] row by row and writes the outcomes in batches.

use std::collections::HashMap;
use std::hash::Hash;

/// What to do with someone who is already here (chosen on the import screen).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    Skip,
    Update,
    Create,
}

impl Policy {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "skip" => Some(Policy::Skip),
            "update" => Some(Policy::Update),
            "create" => Some(Policy::Create),
            _ => None,
        }
    }
}

/// The identifying keys of one row's person.
#[derive(Debug, Clone, Default)]
pub struct RowKeys {
    pub email: String,
    /// Digits of the phone number (see `dedupe::types::phone_key`), if any.
    pub phone: Option<String>,
    /// The LinkedIn profile key (see `dedupe::types::linkedin_key`), if any.
    pub linkedin: Option<String>,
}

/// What one valid row does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowAction<Id> {
    /// The same email already stood in this earlier row of the file: refused.
    RepeatsRow(i64),
    /// Someone already here; left as they are.
    Skip(Id),
    /// Someone already here; updated from the row.
    Update(Id),
    /// The email is someone else's and the policy is to create: refused.
    EmailTaken,
    /// A new person with this id.
    Create(Id),
}

/// People known by email, phone and LinkedIn profile, and the emails seen in this file.
#[derive(Debug, Clone)]
pub struct Known<Id> {
    by_email: HashMap<String, Id>,
    by_phone: HashMap<String, Id>,
    by_linkedin: HashMap<String, Id>,
    seen_in_file: HashMap<String, i64>,
}

impl<Id> Default for Known<Id> {
    fn default() -> Self {
        Self {
            by_email: HashMap::new(),
            by_phone: HashMap::new(),
            by_linkedin: HashMap::new(),
            seen_in_file: HashMap::new(),
        }
    }
}

/// Phone numbers shorter than this identify nobody.
const MIN_PHONE: usize = 7;

impl<Id: Clone + Eq + Hash> Known<Id> {
    /// Someone already in the database.
    pub fn add(&mut self, id: Id, keys: &RowKeys) {
        if let Some(p) = keys.phone.as_ref().filter(|p| p.len() >= MIN_PHONE) {
            self.by_phone.insert(p.clone(), id.clone());
        }
        if let Some(l) = &keys.linkedin {
            self.by_linkedin.insert(l.clone(), id.clone());
        }
        self.by_email.insert(keys.email.clone(), id);
    }

    /// The person with this email (in the database, or made by an earlier row of the file).
    pub fn id_of(&self, email: &str) -> Option<&Id> {
        self.by_email.get(email)
    }

    /// A row an earlier attempt of this import already wrote: only its email is remembered, so
    /// a later repeat of it is still reported as a repeat.
    pub fn seen(&mut self, email: &str, row: i64) {
        self.seen_in_file.entry(email.to_string()).or_insert(row);
    }

    /// Decides `row` and remembers it; `new_id` names the person a created row makes.
    pub fn reconcile(
        &mut self,
        keys: &RowKeys,
        row: i64,
        policy: Policy,
        new_id: impl FnOnce() -> Id,
    ) -> RowAction<Id> {
        if let Some(first) = self.seen_in_file.get(&keys.email) {
            return RowAction::RepeatsRow(*first);
        }
        self.seen_in_file.insert(keys.email.clone(), row);
        let same_email = self.by_email.get(&keys.email).cloned();
        let same_other = keys
            .phone
            .as_ref()
            .and_then(|p| self.by_phone.get(p))
            .or_else(|| keys.linkedin.as_ref().and_then(|l| self.by_linkedin.get(l)))
            .cloned();
        match (same_email.clone().or(same_other), policy) {
            (Some(existing), Policy::Skip) => RowAction::Skip(existing),
            (Some(existing), Policy::Update) => RowAction::Update(existing),
            (Some(_), Policy::Create) if same_email.is_some() => RowAction::EmailTaken,
            _ => {
                let id = new_id();
                self.add(id.clone(), keys);
                RowAction::Create(id)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(email: &str, phone: Option<&str>, linkedin: Option<&str>) -> RowKeys {
        RowKeys {
            email: email.into(),
            phone: phone.map(str::to_string),
            linkedin: linkedin.map(str::to_string),
        }
    }

    fn known() -> Known<String> {
        let mut k = Known::default();
        k.add(
            "ada".into(),
            &keys("ada@x.test", Some("4930123456"), Some("ada-l")),
        );
        k.add("bob".into(), &keys("bob@x.test", Some("123"), None));
        k
    }

    #[test]
    fn the_reconciliation_table() {
        use Policy as P;
        use RowAction as A;
        // (what, row keys, policy, expected action)
        let cases: Vec<(&str, RowKeys, Policy, RowAction<String>)> = vec![
            (
                "a new email creates",
                keys("new@x.test", None, None),
                P::Skip,
                A::Create("new1".into()),
            ),
            (
                "the same email is skipped",
                keys("ada@x.test", None, None),
                P::Skip,
                A::Skip("ada".into()),
            ),
            (
                "…or updated",
                keys("ada@x.test", None, None),
                P::Update,
                A::Update("ada".into()),
            ),
            (
                "…or refused when creating",
                keys("ada@x.test", None, None),
                P::Create,
                A::EmailTaken,
            ),
            (
                "the same phone is the same person",
                keys("a2@x.test", Some("4930123456"), None),
                P::Skip,
                A::Skip("ada".into()),
            ),
            (
                "the same LinkedIn too",
                keys("a3@x.test", None, Some("ada-l")),
                P::Update,
                A::Update("ada".into()),
            ),
            (
                "only a phone match still creates under Create",
                keys("a4@x.test", Some("4930123456"), None),
                P::Create,
                A::Create("new1".into()),
            ),
            (
                "a short phone identifies nobody",
                keys("b2@x.test", Some("123"), None),
                P::Skip,
                A::Create("new1".into()),
            ),
        ];
        for (what, row, policy, expect) in cases {
            let mut k = known();
            assert_eq!(
                k.reconcile(&row, 2, policy, || "new1".to_string()),
                expect,
                "{what}"
            );
        }
    }

    #[test]
    fn rows_of_the_same_file_see_each_other() {
        let mut k = known();
        let first = keys("new@x.test", Some("4940555000"), None);
        assert_eq!(
            k.reconcile(&first, 2, Policy::Skip, || "p2".to_string()),
            RowAction::Create("p2".into())
        );
        // The same email again is a repeat of row 2, whatever the policy.
        assert_eq!(
            k.reconcile(&first, 3, Policy::Update, || "p3".to_string()),
            RowAction::RepeatsRow(2)
        );
        // Another email with the new person's phone is that person.
        let same_phone = keys("other@x.test", Some("4940555000"), None);
        assert_eq!(
            k.reconcile(&same_phone, 4, Policy::Update, || "p4".to_string()),
            RowAction::Update("p2".into())
        );
        // Rows written by an earlier attempt are remembered as seen.
        k.seen("old@x.test", 5);
        assert_eq!(
            k.reconcile(&keys("old@x.test", None, None), 6, Policy::Skip, || "p6"
                .to_string()),
            RowAction::RepeatsRow(5)
        );
    }

    #[test]
    fn policies_parse() {
        assert_eq!(Policy::parse("skip"), Some(Policy::Skip));
        assert_eq!(Policy::parse("update"), Some(Policy::Update));
        assert_eq!(Policy::parse("create"), Some(Policy::Create));
        assert_eq!(Policy::parse("merge"), None);
    }
}
