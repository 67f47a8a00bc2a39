//! The hash chain (pure): each entry's hash covers the previous entry's hash and the entry's
//! own facts, so an entry that is changed, removed or slipped in breaks the chain at a place
//! a verifier can name.
//!
//! Personal data (the caller's address, free-text detail such as a mistyped sign-in email) is
//! kept outside the hashed facts: only its digest is hashed. Erasing a person blanks that part
//! and keeps the digest, so the chain still verifies after an erasure.

use crate::server::security::sha256_hex;

/// The "previous hash" of the first entry of a log that was never pruned.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What an entry says, all of it hashed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    /// The entry's place in the chain (also its record key): 1, 2, 3, …
    pub seq: i64,
    /// Milliseconds since the Unix epoch.
    pub at_ms: i64,
    pub kind: String,
    pub action: String,
    /// `staff:KEY`, `person:KEY`, or none (the public, the system).
    pub actor: Option<String>,
    /// What it concerned: `person:KEY`, `job:KEY`, …
    pub subjects: Vec<String>,
    /// `ok`, `refused` or `failed`.
    pub outcome: String,
}

/// The personal part of an entry: outside the hash, its digest inside.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Personal {
    pub ip: Option<String>,
    pub detail: Option<String>,
}

/// The digest of a personal part that the entry's hash covers.
pub fn digest(p: &Personal) -> String {
    let canonical = serde_json::to_string(&(&p.ip, &p.detail)).expect("strings serialise");
    sha256_hex(&canonical)
}

/// The hash of an entry with these facts following `prev`. The canonical form is a JSON array,
/// so no choice of text in one field can pose as another field.
pub fn link_hash(prev: &str, f: &Facts, digest: &str) -> String {
    let canonical = serde_json::to_string(&(
        prev,
        f.seq,
        f.at_ms,
        &f.kind,
        &f.action,
        &f.actor,
        &f.subjects,
        &f.outcome,
        digest,
    ))
    .expect("plain values serialise");
    sha256_hex(&canonical)
}

/// An entry as stored, read back for verification.
#[derive(Debug, Clone)]
pub struct Stored {
    /// The record key.
    pub key: i64,
    pub facts: Facts,
    /// `None` once erased (redacted).
    pub personal: Option<Personal>,
    pub digest: String,
    pub prev: String,
    pub hash: String,
}

/// The first place where the chain does not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    pub seq: i64,
    pub reason: String,
}

/// Walks a chain entry by entry, in key order, from a starting point (the genesis or a signed
/// checkpoint).
#[derive(Debug, Clone)]
pub struct Walker {
    expected_prev: String,
    next: i64,
    checked: u64,
}

impl Walker {
    /// A walk that expects entry `first` to follow `prev`.
    pub fn new(first: i64, prev: &str) -> Self {
        Self {
            expected_prev: prev.to_string(),
            next: first,
            checked: 0,
        }
    }

    /// The next key the walk expects.
    pub fn next(&self) -> i64 {
        self.next
    }

    /// How many entries held so far.
    pub fn checked(&self) -> u64 {
        self.checked
    }

    /// The hash the next entry must carry as its `prev`.
    pub fn last_hash(&self) -> &str {
        &self.expected_prev
    }

    /// Checks the next stored entry.
    pub fn step(&mut self, e: &Stored) -> Result<(), Broken> {
        let n = self.next;
        if e.key > n {
            return Err(Broken {
                seq: n,
                reason: format!("Entry #{n} is missing: it was deleted."),
            });
        }
        if e.key < n {
            return Err(Broken {
                seq: e.key,
                reason: format!("Entry #{} appears twice or out of order.", e.key),
            });
        }
        if e.facts.seq != e.key {
            return Err(Broken {
                seq: n,
                reason: format!(
                    "Entry #{n} carries the number {}: entries before it were inserted or removed.",
                    e.facts.seq
                ),
            });
        }
        let personal_holds = e.personal.as_ref().is_none_or(|p| digest(p) == e.digest);
        if !personal_holds || link_hash(&e.prev, &e.facts, &e.digest) != e.hash {
            return Err(Broken {
                seq: n,
                reason: format!("Entry #{n} was changed after it was written."),
            });
        }
        if e.prev != self.expected_prev {
            return Err(Broken {
                seq: n,
                reason: format!(
                    "Entry #{n} does not follow entry #{}: an entry was replaced or inserted before it.",
                    n - 1
                ),
            });
        }
        self.expected_prev = e.hash.clone();
        self.next += 1;
        self.checked += 1;
        Ok(())
    }
}

/// Seals a new entry onto `prev`: its digest and hash.
pub fn seal(prev: &str, facts: &Facts, personal: &Personal) -> (String, String) {
    let d = digest(personal);
    let h = link_hash(prev, facts, &d);
    (d, h)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(seq: i64, action: &str) -> Facts {
        Facts {
            seq,
            at_ms: 1_700_000_000_000 + seq,
            kind: "change".into(),
            action: action.into(),
            actor: Some("staff:ada".into()),
            subjects: vec!["person:p1".into()],
            outcome: "ok".into(),
        }
    }

    fn chain(n: i64) -> Vec<Stored> {
        let mut prev = GENESIS.to_string();
        (1..=n)
            .map(|seq| {
                let f = facts(seq, &format!("action_{seq}"));
                let p = Personal {
                    ip: Some("203.0.113.9".into()),
                    detail: None,
                };
                let (digest, hash) = seal(&prev, &f, &p);
                let s = Stored {
                    key: seq,
                    facts: f,
                    personal: Some(p),
                    digest,
                    prev: prev.clone(),
                    hash: hash.clone(),
                };
                prev = hash;
                s
            })
            .collect()
    }

    fn walk(entries: &[Stored]) -> Result<u64, Broken> {
        let mut w = Walker::new(1, GENESIS);
        for e in entries {
            w.step(e)?;
        }
        Ok(w.checked())
    }

    #[test]
    fn an_intact_chain_holds() {
        assert_eq!(walk(&chain(5)), Ok(5));
    }

    #[test]
    fn an_edited_entry_is_named() {
        let mut c = chain(5);
        c[2].facts.action = "something_else".into();
        assert_eq!(walk(&c).unwrap_err().seq, 3);
        // Its personal part too.
        let mut c = chain(5);
        c[3].personal.as_mut().unwrap().ip = Some("198.51.100.1".into());
        let b = walk(&c).unwrap_err();
        assert_eq!(b.seq, 4);
        assert!(b.reason.contains("changed"), "{}", b.reason);
    }

    #[test]
    fn a_rehashed_edit_breaks_the_next_link() {
        let mut c = chain(5);
        c[2].facts.outcome = "refused".into();
        let (d, h) = seal(
            &c[2].prev.clone(),
            &c[2].facts,
            c[2].personal.as_ref().unwrap(),
        );
        c[2].digest = d;
        c[2].hash = h;
        let b = walk(&c).unwrap_err();
        assert_eq!(b.seq, 4);
        assert!(
            b.reason.contains("does not follow entry #3"),
            "{}",
            b.reason
        );
    }

    #[test]
    fn a_deleted_entry_is_named() {
        let mut c = chain(5);
        c.remove(1);
        let b = walk(&c).unwrap_err();
        assert_eq!(b.seq, 2);
        assert!(b.reason.contains("missing"), "{}", b.reason);
    }

    #[test]
    fn an_inserted_entry_breaks_the_chain_right_after_it() {
        let mut c = chain(5);
        // A well-formed forgery at #3, and the old #3..#5 moved up by one.
        let forged = facts(3, "forged");
        let p = Personal::default();
        let (digest, hash) = seal(&c[1].hash, &forged, &p);
        for e in c.iter_mut().skip(2) {
            e.key += 1;
        }
        c.insert(
            2,
            Stored {
                key: 3,
                facts: forged,
                personal: Some(p),
                digest,
                prev: c[1].hash.clone(),
                hash,
            },
        );
        let b = walk(&c).unwrap_err();
        assert_eq!(b.seq, 4);
        assert!(b.reason.contains("inserted"), "{}", b.reason);
    }

    #[test]
    fn an_erased_personal_part_still_verifies() {
        let mut c = chain(3);
        c[1].personal = None;
        assert_eq!(walk(&c), Ok(3));
    }

    #[test]
    fn a_walk_can_start_at_a_checkpoint() {
        let c = chain(6);
        let mut w = Walker::new(4, &c[2].hash);
        for e in &c[3..] {
            w.step(e).unwrap();
        }
        assert_eq!((w.checked(), w.next()), (3, 7));
        assert_eq!(w.last_hash(), c[5].hash);
    }
}
