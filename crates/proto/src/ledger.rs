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
