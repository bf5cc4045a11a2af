//! Witnessing the peers' logs: on a schedule, fetch each member's latest checkpoint and a
//! consistency proof from the last one this node cosigned, decide with
//! `sis_ledger::Witness`, and either cosign (the cosigned checkpoint is kept and sent back to
//! the log, which serves it to everyone), refuse, or keep the evidence of a fork: two
//! conflicting signed checkpoints, alerted in the log and counted in the metrics.

use std::sync::Arc;
use std::time::Duration;

use sis_customs::CountryCode;
use sis_ledger::{Hash, SignedCheckpoint, Verdict, VerifierKey, Witness};
use sqlx::Row;

use crate::external::delivery::Clients;
use crate::external::exchange::{Exchange, ExchangeError};
use crate::node::state::now_ms;

/// What one look at a peer's log came to.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Seen {
    /// Consistent with what was cosigned before (or the first seen): cosigned at this size.
    Cosigned { size: u64 },
    /// Not cosigned, for this reason (the peer's checkpoint or proof is bad, or smaller).
    Refused(String),
    /// The peer's log forked; the evidence is stored under this id.
    Fork { evidence_id: String },
    /// The peer could not be asked.
    Unreachable(String),
}

/// Looks at every other member's log every `every`, until the node stops.
pub fn spawn(exchange: Arc<Exchange>, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let clients = Clients::default();
        loop {
            tokio::time::sleep(every).await;
            for (country, seen) in observe_all(&exchange, &clients).await {
                match seen {
                    Seen::Cosigned { .. } => {}
                    Seen::Fork { evidence_id } => tracing::error!(
                        %country, evidence = %evidence_id,
                        "the log of {country} forked: evidence kept; tell its operators and the other members"
                    ),
                    Seen::Refused(why) => tracing::warn!(%country, "not cosigning its log: {why}"),
                    Seen::Unreachable(why) => tracing::debug!(%country, "log not fetched: {why}"),
                }
            }
        }
    })
}

/// One round over every other member.
pub async fn observe_all(exchange: &Exchange, clients: &Clients) -> Vec<(CountryCode, Seen)> {
    let Some(trust) = &exchange.trust else {
        return Vec::new();
    };
    let trust = trust.current();
    let mut out = Vec::new();
    for member in &trust.content().members {
        if member.country == exchange.country {
            continue;
        }
        let client = match clients.for_peer(
            exchange,
            member.country,
            trust.version(),
            &member.tls_ca_pem,
        ) {
            Ok(client) => client,
            Err(e) => {
                out.push((member.country, Seen::Unreachable(e)));
                continue;
            }
        };
        let seen = match VerifierKey::parse(&member.log_key) {
            Ok(log_key) => observe(
                exchange,
                &client,
                member.country,
                &member.external_url,
                &log_key,
            )
            .await
            .unwrap_or_else(|e| Seen::Unreachable(e.to_string())),
            Err(e) => Seen::Refused(format!("its log_key in the trust list: {e}")),
        };
        out.push((member.country, seen));
    }
    out
}

async fn get_text(client: &reqwest::Client, url: String) -> Result<String, ExchangeError> {
    let unreachable = |e: reqwest::Error| ExchangeError::Seal(format!("{url}: {e}"));
    let resp = client.get(&url).send().await.map_err(unreachable)?;
    if !resp.status().is_success() {
        return Err(ExchangeError::Seal(format!(
            "{url}: HTTP {}",
            resp.status()
        )));
    }
    resp.text().await.map_err(unreachable)
}

async fn observe(
    exchange: &Exchange,
    client: &reqwest::Client,
    country: CountryCode,
    base: &str,
    log_key: &VerifierKey,
) -> Result<Seen, ExchangeError> {
    let base = base.trim_end_matches('/');
    let text = get_text(client, format!("{base}/external/v1/log/checkpoint")).await?;
    let last = last_cosigned(exchange, country, log_key).await?;
    let new_size = match SignedCheckpoint::open(text.as_bytes(), log_key) {
        Ok(new) => new.checkpoint().size(),
        Err(e) => return Ok(Seen::Refused(format!("its checkpoint: {e}"))),
    };
    let proof = match &last {
        Some(last) if last.checkpoint().size() > 0 && last.checkpoint().size() < new_size => {
            let old = last.checkpoint().size();
            let json = get_text(
                client,
                format!("{base}/external/v1/log/consistency?old={old}&new={new_size}"),
            )
            .await?;
            parse_proof(&json)?
        }
        _ => Vec::new(),
    };
    let witness = exchange.witness_signer();
    let now = (now_ms() / 1000) as u64;
    let verdict = Witness {
        log_key,
        cosigner: &witness,
    }
    .observe(now, last.as_ref(), text.as_bytes(), &proof);
    match verdict {
        Verdict::Cosign { checkpoint, .. } => {
            let size = checkpoint.checkpoint().size();
            keep_cosigned(exchange, country, &checkpoint).await?;
            // The log keeps and serves it; if it is down now, the next round sends it again.
            let _ = client
                .post(format!("{base}/external/v1/log/cosignature"))
                .header("content-type", "text/plain; charset=utf-8")
                .body(checkpoint.to_bytes())
                .send()
                .await;
            Ok(Seen::Cosigned { size })
        }
        Verdict::Refuse(refusal) => Ok(Seen::Refused(refusal.to_string())),
        Verdict::Fork(evidence) => {
            exchange.forks_detected.inc();
            let id = uuid::Uuid::now_v7().to_string();
            sqlx::query(
                "INSERT INTO log_forks (id, country, kind, evidence, detected_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(&id)
            .bind(country.as_str())
            .bind(evidence.kind.as_str())
            .bind(evidence.to_string())
            .bind(now_ms())
            .execute(&exchange.store.pool)
            .await?;
            Ok(Seen::Fork { evidence_id: id })
        }
        #[allow(unreachable_patterns)]
        _ => Ok(Seen::Refused("an unknown verdict".into())),
    }
}

fn parse_proof(json: &str) -> Result<Vec<Hash>, ExchangeError> {
    let bad = |why: &str| ExchangeError::Seal(format!("its consistency proof: {why}"));
    let value: serde_json::Value = serde_json::from_str(json).map_err(|_| bad("not JSON"))?;
    value["path"]
        .as_array()
        .ok_or_else(|| bad("no path"))?
        .iter()
        .map(|h| {
            h.as_str()
                .and_then(|h| hex::decode(h).ok())
                .and_then(|b| <[u8; 32]>::try_from(b).ok())
                .ok_or_else(|| bad("a hash is not 64 hex digits"))
        })
        .collect()
}

async fn last_cosigned(
    exchange: &Exchange,
    country: CountryCode,
    log_key: &VerifierKey,
) -> Result<Option<SignedCheckpoint>, ExchangeError> {
    let row = sqlx::query("SELECT checkpoint FROM peer_logs WHERE country = $1")
        .bind(country.as_str())
        .fetch_optional(&exchange.store.pool)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let text: String = row.try_get("checkpoint")?;
    Ok(SignedCheckpoint::open(text.as_bytes(), log_key).ok())
}

async fn keep_cosigned(
    exchange: &Exchange,
    country: CountryCode,
    checkpoint: &SignedCheckpoint,
) -> Result<(), ExchangeError> {
    let text = String::from_utf8_lossy(&checkpoint.to_bytes()).into_owned();
    sqlx::query(
        "INSERT INTO peer_logs (country, tree_size, checkpoint, seen_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (country) DO UPDATE SET tree_size = $2, checkpoint = $3, seen_at = $4",
    )
    .bind(country.as_str())
    .bind(checkpoint.checkpoint().size() as i64)
    .bind(text)
    .bind(now_ms())
    .execute(&exchange.store.pool)
    .await?;
    Ok(())
}
