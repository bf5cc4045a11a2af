//! A small log as a node keeps one, and the test keys, for the integration tests.

#![allow(dead_code)]

use sis_ledger::{
    Checkpoint, Direction, Hash, KeyKind, SignedCheckpoint, SignerKey, leaf_hash, log_entry,
    log_origin, prove_consistency, stored_hashes, tree_hash,
};

/// Kazakhstan's log key and Uzbekistan's witness key, from fixed seeds.
pub fn kz_log_key() -> SignerKey {
    let origin = log_origin("KZ").expect("valid country");
    SignerKey::from_seed(&origin, KeyKind::Ed25519, &[0x4b; 32]).expect("valid name")
}

pub fn uz_witness_key() -> SignerKey {
    SignerKey::from_seed(
        "carec-sis.org/uz/witness",
        KeyKind::CosignatureV1,
        &[0x55; 32],
    )
    .expect("valid name")
}

/// A log: the stored hashes, as the node keeps them.
#[derive(Debug, Default, Clone)]
pub struct Log {
    pub store: Vec<Hash>,
    pub size: u64,
}

impl Log {
    pub fn with_envelopes(n: u64) -> Self {
        let mut log = Log::default();
        for i in 0..n {
            log.append(&envelope_entry(i));
        }
        log
    }

    pub fn append(&mut self, entry: &[u8]) {
        let new = stored_hashes(self.size, leaf_hash(entry), &self.store).expect("stored");
        self.store.extend(new);
        self.size += 1;
    }

    pub fn root(&self) -> Hash {
        tree_hash(self.size, &self.store).expect("stored")
    }

    pub fn checkpoint(&self, key: &SignerKey) -> SignedCheckpoint {
        Checkpoint::new(key.verifier().name(), self.size, self.root())
            .expect("valid origin")
            .sign(key)
            .expect("the key is the log's")
    }

    pub fn consistency(&self, old: u64) -> Vec<Hash> {
        prove_consistency(old, self.size, &self.store)
            .expect("valid sizes")
            .path
    }
}

/// The entry for a made-up envelope number `i`, sent by Kazakhstan.
pub fn envelope_entry(i: u64) -> Vec<u8> {
    let id = format!("0190b0c4-8d5e-7a3b-9c1d-{i:012x}");
    log_entry(
        &id,
        Direction::Sent,
        "KZ",
        format!("<envelope n='{i}'/>").as_bytes(),
    )
    .expect("valid entry")
}
