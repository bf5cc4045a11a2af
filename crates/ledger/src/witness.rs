//! What a witness (another country's node) does with a log's new checkpoint, as a pure
//! decision: it is handed the last checkpoint it cosigned for that log, the new signed
//! checkpoint and a consistency proof between them, and the time, and answers
//! [`Verdict::Cosign`], [`Verdict::Refuse`] or [`Verdict::Fork`]. The node stores the
//! cosigned checkpoint as the new "last", serves the cosignature, and on a fork keeps the
//! evidence, alerts its admins and counts it.
//!
//! A refusal says the log sent something wrong (a bad signature, a bad proof, an older
//! tree) and can be retried. A fork is proven: two checkpoints signed by the log that
//! cannot both be true, which anyone holding the log's key can check again with
//! [`ForkEvidence::verify`].

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::checkpoint::{CheckpointError, SignedCheckpoint};
use crate::cosignature::{Cosignature, CosignatureError, cosign};
use crate::hash::Hash;
use crate::keys::{SignerKey, VerifierKey};
use crate::proof::{ConsistencyProof, ProofError};

/// The witness's answer to a new checkpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Verdict {
    /// Consistent with the last one (or the first seen): cosigned. The node stores
    /// `checkpoint` (with the cosignature added) as the last one seen.
    Cosign {
        checkpoint: SignedCheckpoint,
        cosignature: Cosignature,
    },
    /// Not cosigned; the last checkpoint stays as it was.
    Refuse(Refusal),
    /// The log signed two conflicting checkpoints.
    Fork(ForkEvidence),
}

/// Why a checkpoint was not cosigned, short of a fork.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Refusal {
    #[error("the checkpoint: {0}")]
    Checkpoint(#[from] CheckpointError),
    #[error("the consistency proof: {0}")]
    Proof(ProofError),
    #[error("the checkpoint has {new} leaves, fewer than the {last} already cosigned")]
    Smaller { last: u64, new: u64 },
    #[error("cosigning: {0}")]
    Cosignature(#[from] CosignatureError),
}

impl Refusal {
    /// Stable code, answered to the log.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::Checkpoint(e) => e.code(),
            Refusal::Proof(e) => e.code(),
            Refusal::Smaller { .. } => "witness.smaller_tree",
            Refusal::Cosignature(e) => e.code(),
        }
    }
}

/// How the two checkpoints conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ForkKind {
    /// Same tree size, different root hashes.
    SameSizeDifferentRoot,
    /// The proof leads to the later root from a tree that is not the earlier one.
    NotAnExtension,
}

impl ForkKind {
    /// Stable name for storage and the conformance vectors.
    pub fn as_str(self) -> &'static str {
        match self {
            ForkKind::SameSizeDifferentRoot => "same_size_different_root",
            ForkKind::NotAnExtension => "not_an_extension",
        }
    }
}

/// Two checkpoints signed by one log that cannot both be true, and the proof that
/// shows it (empty for same size). A value the node stores and shows as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForkEvidence {
    pub kind: ForkKind,
    pub earlier: SignedCheckpoint,
    pub later: SignedCheckpoint,
    pub proof: Vec<Hash>,
}

impl ForkEvidence {
    /// Checks the evidence again from its parts: both checkpoints signed by `log_key`
    /// and in conflict. What an admin or another country runs before acting on it.
    pub fn verify(&self, log_key: &VerifierKey) -> Result<(), Refusal> {
        let earlier = SignedCheckpoint::open(&self.earlier.to_bytes(), log_key)?;
        let later = SignedCheckpoint::open(&self.later.to_bytes(), log_key)?;
        let (a, b) = (earlier.checkpoint(), later.checkpoint());
        if a.size() == b.size() {
            // Also covers two empty trees, for which RFC 9162 has no proof to run.
            return if a.root() != b.root() {
                Ok(())
            } else {
                Err(Refusal::Proof(ProofError::RootMismatch))
            };
        }
        let proof = ConsistencyProof {
            old_size: a.size(),
            new_size: b.size(),
            path: self.proof.clone(),
        };
        match proof.verify(a.root(), b.root()) {
            Err(ProofError::Inconsistent) => Ok(()),
            Ok(()) => Err(Refusal::Proof(ProofError::RootMismatch)),
            Err(e) => Err(Refusal::Proof(e)),
        }
    }
}

impl fmt::Display for ForkEvidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            ForkKind::SameSizeDifferentRoot => "two different roots for the same tree size",
            ForkKind::NotAnExtension => "a later tree that does not extend the earlier one",
        };
        writeln!(f, "fork of {}: {what}", self.earlier.checkpoint().origin())?;
        writeln!(f, "\nearlier checkpoint:\n{}", self.earlier.note())?;
        writeln!(f, "later checkpoint:\n{}", self.later.note())?;
        writeln!(f, "consistency proof ({} hashes):", self.proof.len())?;
        for h in &self.proof {
            writeln!(f, "{}", STANDARD.encode(h))?;
        }
        Ok(())
    }
}

/// The witness's view of one log: its checkpoint key and this node's cosigner key.
#[derive(Debug, Clone)]
pub struct Witness<'a> {
    pub log_key: &'a VerifierKey,
    pub cosigner: &'a SignerKey,
}

impl Witness<'_> {
    /// Decides on `new` (a signed checkpoint as received) given `last`, the checkpoint
    /// last cosigned for this log (`None` the first time: trusted on first sight), a
    /// consistency proof from `last` to `new`, and `now` in seconds since the epoch.
    pub fn observe(
        &self,
        now: u64,
        last: Option<&SignedCheckpoint>,
        new: &[u8],
        proof: &[Hash],
    ) -> Verdict {
        let new = match SignedCheckpoint::open(new, self.log_key) {
            Ok(c) => c,
            Err(e) => return Verdict::Refuse(e.into()),
        };
        if let Some(verdict) = last.and_then(|last| self.compare(last, &new, proof)) {
            return verdict;
        }
        match cosign(new.checkpoint(), self.cosigner, now) {
            Ok(cosignature) => {
                let mut checkpoint = new;
                checkpoint.add_cosignature(&cosignature);
                Verdict::Cosign {
                    checkpoint,
                    cosignature,
                }
            }
            Err(e) => Verdict::Refuse(e.into()),
        }
    }

    /// `None` when `new` extends `last`; otherwise the refusal or the fork.
    fn compare(
        &self,
        last: &SignedCheckpoint,
        new: &SignedCheckpoint,
        proof: &[Hash],
    ) -> Option<Verdict> {
        let (a, b) = (last.checkpoint(), new.checkpoint());
        let evidence = |kind| {
            Some(Verdict::Fork(ForkEvidence {
                kind,
                earlier: last.clone(),
                later: new.clone(),
                proof: proof.to_vec(),
            }))
        };
        if b.size() < a.size() {
            return Some(Verdict::Refuse(Refusal::Smaller {
                last: a.size(),
                new: b.size(),
            }));
        }
        if b.size() == a.size() {
            return if a.root() == b.root() {
                None
            } else {
                evidence(ForkKind::SameSizeDifferentRoot)
            };
        }
        if a.size() == 0 {
            // Every tree extends the empty one; RFC 9162 has no proof for it.
            return None;
        }
        let consistency = ConsistencyProof {
            old_size: a.size(),
            new_size: b.size(),
            path: proof.to_vec(),
        };
        match consistency.verify(a.root(), b.root()) {
            Ok(()) => None,
            Err(ProofError::Inconsistent) => evidence(ForkKind::NotAnExtension),
            Err(e) => Some(Verdict::Refuse(Refusal::Proof(e))),
        }
    }
}
