//! The logs' side of the soak's checks: every receipt's log index is where the receiver's
//! own proof puts the envelope (and the proof holds by RFC 6962 under a checkpoint signed
//! with the receiver's log key from the trust list), and after the witnesses' rounds each
//! node's log is cosigned by every peer at exactly the size its traffic makes, with no
//! fork seen.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use base64::Engine as _;
use sis_ledger::{Hash, InclusionProof, SignedCheckpoint, VerifierKey, leaf_hash};
use sis_proto::Endpoint as _;
use sis_proto::endpoint::{GetLedgerProof, ListPeers};
use sis_proto::ledger::LedgerProof;

use super::verify::{Delivery, Net};

/// How often the wait for cosignatures looks again.
const POLL: Duration = Duration::from_millis(500);

/// Each receiver's proof for each envelope agrees with the sender's receipt.
pub fn proofs(net: &Net, log_keys: &[VerifierKey], deliveries: &[Delivery]) -> anyhow::Result<()> {
    for d in deliveries {
        let receiver = &net.countries[d.to];
        let proof = net.officers[d.to]
            .call::<GetLedgerProof>(&format!("/api/v1/ledger/proof/{}", d.envelope_id), &())
            .with_context(|| format!("{receiver}'s proof of envelope {}", d.envelope_id))?;
        check_proof(&proof, d.log_index, &log_keys[d.to]).with_context(|| {
            format!(
                "letter {}: {receiver}'s proof of envelope {} against the receipt {}'s node holds",
                d.n, d.envelope_id, net.countries[d.from]
            )
        })?;
    }
    Ok(())
}

fn hash(hex: &str) -> anyhow::Result<Hash> {
    let bytes = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2).unwrap_or("x"), 16))
        .collect::<Result<Vec<u8>, _>>()
        .with_context(|| format!("{hex:?} is not hexadecimal"))?;
    Hash::try_from(bytes).map_err(|_| anyhow::anyhow!("{hex:?} is not a SHA-256 hash"))
}

/// The proof of an envelope the receipt placed at `log_index`.
pub fn check_proof(
    proof: &LedgerProof,
    log_index: u64,
    log_key: &VerifierKey,
) -> anyhow::Result<()> {
    if proof.direction != "accepted" {
        bail!("logged as {:?}, not as accepted", proof.direction);
    }
    if proof.leaf_index != log_index {
        bail!(
            "the receipt says index {log_index}, the receiver's log {}",
            proof.leaf_index
        );
    }
    let leaf = base64::engine::general_purpose::STANDARD
        .decode(&proof.leaf)
        .context("the leaf is not base64")?;
    let path = proof
        .audit_path
        .iter()
        .map(|h| hash(h))
        .collect::<anyhow::Result<Vec<Hash>>>()?;
    let root = hash(&proof.root_hash)?;
    InclusionProof {
        index: proof.leaf_index,
        size: proof.tree_size,
        path,
    }
    .verify(&leaf_hash(&leaf), &root)
    .map_err(|e| anyhow::anyhow!("the inclusion proof fails: {e}"))?;
    let signed = SignedCheckpoint::open(proof.checkpoint.as_bytes(), log_key)
        .map_err(|e| anyhow::anyhow!("the checkpoint does not verify: {e}"))?;
    let checkpoint = signed.checkpoint();
    if checkpoint.size() != proof.tree_size || *checkpoint.root() != root {
        bail!("the signed checkpoint is not the tree the proof is for");
    }
    Ok(())
}

/// How many leaves each node's log holds: one per envelope it sent, one per envelope it
/// accepted. Each letter makes two envelopes: itself, and the acknowledgement its recipient
/// sends back (registered; none is read in the soak). A duplicate logged or a letter logged
/// without its envelope would show here.
pub fn expected_sizes(nodes: usize, deliveries: &[Delivery]) -> Vec<u64> {
    let mut sizes = vec![0; nodes];
    for d in deliveries {
        sizes[d.from] += 2;
        sizes[d.to] += 2;
    }
    sizes
}

/// Waits until every node cosigned every other node's log at its expected size, for at
/// most `within`; a fork, a refusal, a delivery count that is off, or a log larger than its
/// traffic fails at once. How long it took.
pub fn cosigned(net: &Net, deliveries: &[Delivery], within: Duration) -> anyhow::Result<Duration> {
    let started = Instant::now();
    let sizes = expected_sizes(net.countries.len(), deliveries);
    // Envelopes each node sent each other: letters one way, acknowledgements the other.
    let mut pairs: BTreeMap<(usize, usize), u64> = BTreeMap::new();
    for d in deliveries {
        *pairs.entry((d.from, d.to)).or_default() += 1;
        *pairs.entry((d.to, d.from)).or_default() += 1;
    }
    loop {
        let mut waiting = Vec::new();
        for (y, admin) in net.admins.iter().enumerate() {
            let me = &net.countries[y];
            let list = admin.call::<ListPeers>(ListPeers::PATH, &())?;
            for peer in &list.peers {
                let x = net
                    .countries
                    .iter()
                    .position(|c| *c == peer.country)
                    .with_context(|| format!("{me} lists a stranger {}", peer.country))?;
                let sent = pairs.get(&(y, x)).copied().unwrap_or(0);
                if peer.forks != 0 {
                    bail!(
                        "{me} holds evidence of {} fork(s) of {}'s log",
                        peer.forks,
                        peer.country
                    );
                }
                if (peer.delivered, peer.queued, peer.in_flight, peer.refused) != (sent, 0, 0, 0) {
                    bail!(
                        "{me}'s deliveries to {} are off: {sent} sent, {peer:?}",
                        peer.country
                    );
                }
                match peer.cosigned_size {
                    Some(size) if size == sizes[x] => {}
                    Some(size) if size > sizes[x] => bail!(
                        "{me} cosigned {}'s log at {size} leaves; its traffic makes {}",
                        peer.country,
                        sizes[x]
                    ),
                    other => waiting.push(format!("{me} cosigned {}'s at {other:?}", peer.country)),
                }
            }
        }
        if waiting.is_empty() {
            return Ok(started.elapsed());
        }
        if started.elapsed() > within {
            bail!(
                "logs not all cosigned after {within:?} (sizes {sizes:?}): {}",
                waiting.join("; ")
            );
        }
        std::thread::sleep(POLL);
    }
}
