//! The node's transparency log and its peers, as officers and administrators read them.

use serde::{Deserialize, Serialize};

/// # `GET /api/v1/ledger/proof/{envelope_id}`: everything needed to check offline, with
/// RFC 6962 alone, that the envelope is in this node's log under a signed checkpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerProof {
    pub envelope_id: String,
    /// `sent` or `accepted`.
    pub direction: String,
    pub leaf_index: u64,
    pub tree_size: u64,
    /// The logged entry's bytes, base64.
    pub leaf: String,
    /// Sibling hashes from the leaf up to the root, hex.
    pub audit_path: Vec<String>,
    /// The root of the tree of `tree_size` leaves, hex.
    pub root_hash: String,
    /// The log's signed checkpoint (a C2SP signed note) for `tree_size`.
    pub checkpoint: String,
    /// Other members' cosignatures of that checkpoint, as signature lines.
    pub cosignatures: Vec<String>,
}

/// One member of the network as this node sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeerState {
    pub country: String,
    pub name: String,
    pub external_url: String,
    /// Envelopes to it by delivery state.
    pub queued: u64,
    pub in_flight: u64,
    pub delivered: u64,
    pub refused: u64,
    /// The last failure of a delivery still waiting, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
    /// The size of its log this node last cosigned, and when (Unix ms).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cosigned_size: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cosigned_at: Option<i64>,
    /// Forks of its log this node holds evidence of.
    pub forks: u64,
}

/// # `GET /api/v1/exchange/peers`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeerList {
    /// The trust list in force; none while the node is in no network.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trust_list_version: Option<u64>,
    pub peers: Vec<PeerState>,
}

/// Query of `GET /api/v1/exchange/log`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerQuery {
    /// Only entries with a leaf index below this one (the previous page's `next_before`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<u64>,
    /// At most this many entries (default 50, at most 200).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

/// # `GET /api/v1/exchange/log`: this node's own log as its administrators read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerPage {
    /// The log's name, the first line of its checkpoints (`carec-sis.org/kz/log`).
    pub origin: String,
    /// Leaves in the log now; a checkpoint may trail it by the appends under way.
    pub tree_size: u64,
    /// The root of the tree of `tree_size` leaves, hex.
    pub root_hash: String,
    /// The newest signed checkpoint; none before the log has signed one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkpoint: Option<LedgerCheckpoint>,
    /// The newest checkpoints, newest first, the latest included.
    pub checkpoints: Vec<CheckpointSummary>,
    /// Entries, newest first.
    pub entries: Vec<LedgerEntry>,
    /// The `before` of the next (older) page; none when this page reached leaf 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_before: Option<u64>,
}

/// A checkpoint as signed, with the cosignatures peers made of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerCheckpoint {
    pub tree_size: u64,
    /// The C2SP signed note as stored: text, blank line, the log's signature line.
    pub note: String,
    /// When this node signed it (Unix ms).
    pub signed_at: i64,
    pub cosignatures: Vec<LedgerCosignature>,
}

/// One witness's cosignature of a checkpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerCosignature {
    /// The witness key's name (`carec-sis.org/uz/witness`).
    pub witness: String,
    /// The member country the name belongs to, upper case; none for a name of another form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peer: Option<String>,
    /// The time the witness put in its cosignature (Unix ms, whole seconds).
    pub cosigned_at: i64,
    /// When this node received it (Unix ms).
    pub received_at: i64,
    /// The note signature line, to add under the checkpoint's text.
    pub line: String,
}

/// A checkpoint in the list of the newest ones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckpointSummary {
    pub tree_size: u64,
    /// Its root hash, hex.
    pub root_hash: String,
    /// Unix ms.
    pub signed_at: i64,
    /// Cosignatures kept for it.
    pub cosignatures: u64,
}

/// One leaf of the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerEntry {
    pub index: u64,
    pub envelope_id: String,
    /// `sent` or `accepted`, as logged.
    pub direction: String,
    /// The sender's country, as logged.
    pub sender: String,
    /// SHA-256 of the envelope's exact bytes, hex, as logged.
    pub envelope_sha256: String,
    /// The envelope's document type; none if the node holds no envelope for the leaf.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc_type: Option<String>,
    /// Countries the envelope was addressed to (`*` for every member).
    #[serde(default)]
    pub recipients: Vec<String>,
    /// When the envelope and its leaf were stored (Unix ms), in one transaction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logged_at: Option<i64>,
}
