//! The delivery worker: takes due rows of the outbox, posts each envelope to its recipient
//! over mutual TLS, and records the verified answer. A signed receipt or a signed final
//! error ends a delivery; a transport failure, an answer that does not verify or a
//! retryable error puts it back with exponential backoff and full jitter (capped at
//! `external.max_backoff_seconds`). Rows are leased while in flight: a node on SQLite that
//! stopped mid-delivery sends them again as soon as it starts; on PostgreSQL, another
//! instance sharing the database retries them when the lease runs out, and instances take
//! rows with `FOR UPDATE SKIP LOCKED`, never the same one.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sis_customs::CountryCode;
use sis_exchange::{AnswerError, Envelope, Receipt, SignedError, UnverifiedEnvelope};
use sqlx::Row;
use time::OffsetDateTime;

use crate::external::documents::{self, Answer};
use crate::external::exchange::{Exchange, ExchangeError};
use crate::external::inbox::SENDER_HEADER;
use crate::node::state::now_ms;
use crate::store::Backend;

/// How long a worker holds a row it took before another may take it again.
const LEASE_MS: i64 = 60_000;
/// Rows taken at once.
const BATCH: i64 = 32;
/// Batches sent at once.
const BATCHES_IN_FLIGHT: usize = 4;
/// How long one delivery may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);

/// One delivery to make.
#[derive(Debug)]
struct Due {
    envelope_id: String,
    recipient: String,
    doc_type: String,
    attempts: i64,
}

/// Runs until the node stops.
pub fn spawn(exchange: Arc<Exchange>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let clients = Clients::default();
        match requeue_interrupted(&exchange).await {
            Ok(0) => {}
            Ok(n) => tracing::info!("{n} deliveries interrupted when the node stopped: due again"),
            Err(e) => tracing::warn!("requeueing interrupted deliveries: {e}"),
        }
        // Batches in flight at once: the next is taken while the last is answered, so the
        // round trips and the recording transactions of batches overlap.
        let in_flight = Arc::new(tokio::sync::Semaphore::new(BATCHES_IN_FLIGHT));
        // Held here, so that stopping the worker stops its batches too.
        let mut batches = tokio::task::JoinSet::new();
        loop {
            while batches.try_join_next().is_some() {}
            let Ok(permit) = in_flight.clone().acquire_owned().await else {
                return;
            };
            let due = match take_due(&exchange).await {
                Ok(due) => due,
                Err(e) => {
                    tracing::warn!("reading the outbox: {e}");
                    Vec::new()
                }
            };
            if due.is_empty() {
                drop(permit);
                tokio::select! {
                    _ = exchange.woken() => {}
                    _ = tokio::time::sleep(Duration::from_millis(500)) => {}
                }
                continue;
            }
            let (exchange, clients) = (exchange.clone(), clients.clone());
            batches.spawn(async move {
                deliver(&exchange, &clients, due).await;
                drop(permit);
            });
        }
    })
}

/// Makes the attempts of one batch at once and writes their outcomes in one transaction
/// (one fsync for the batch).
async fn deliver(exchange: &Arc<Exchange>, clients: &Clients, due: Vec<Due>) {
    let mut running = tokio::task::JoinSet::new();
    for item in due {
        let (exchange, clients) = (exchange.clone(), clients.clone());
        running.spawn(async move {
            let outcome = attempt(&exchange, &clients, &item).await;
            (item, outcome)
        });
    }
    let mut done = Vec::new();
    while let Some(joined) = running.join_next().await {
        if let Ok(pair) = joined {
            done.push(pair);
        }
    }
    if let Err(e) = record(exchange, done).await {
        // The leases run out and the rows are tried again.
        tracing::warn!("recording deliveries: {e}");
    }
}

/// Deliveries `in_flight` when the worker starts on SQLite were interrupted by the node
/// stopping (one process owns an SQLite database): due again at once, as the protocol says
/// (`docs/exchange-protocol.md` §10.2), rather than when their lease runs out a minute later.
/// On PostgreSQL another instance may be sending them still; their lease frees them.
async fn requeue_interrupted(exchange: &Exchange) -> Result<u64, ExchangeError> {
    if exchange.store.backend() != Backend::Sqlite {
        return Ok(0);
    }
    let now = now_ms();
    let done = sqlx::query(
        "UPDATE outbox SET state = 'queued', next_attempt_at = $1, lease_until = NULL, \
         updated_at = $1 WHERE state = 'in_flight'",
    )
    .bind(now)
    .execute(&exchange.store.pool)
    .await?;
    Ok(done.rows_affected())
}

async fn take_due(exchange: &Exchange) -> Result<Vec<Due>, ExchangeError> {
    let now = now_ms();
    let lock = match exchange.store.backend() {
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    // One statement: the rows are chosen and leased at once, so two workers (of this node
    // or of another instance on the same database) never take the same row.
    let rows = sqlx::query(&format!(
        "UPDATE outbox SET state = 'in_flight', lease_until = $1, updated_at = $2 \
         WHERE (envelope_id, recipient) IN ( \
             SELECT envelope_id, recipient FROM outbox \
             WHERE (state = 'queued' AND next_attempt_at <= $2) \
                OR (state = 'in_flight' AND lease_until < $2) \
             ORDER BY next_attempt_at LIMIT $3{lock}) \
         RETURNING envelope_id, recipient, doc_type, attempts"
    ))
    .bind(now + LEASE_MS)
    .bind(now)
    .bind(BATCH)
    .fetch_all(&exchange.store.pool)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(Due {
                envelope_id: row.try_get("envelope_id")?,
                recipient: row.try_get("recipient")?,
                doc_type: row.try_get("doc_type")?,
                attempts: row.try_get("attempts")?,
            })
        })
        .collect()
}

/// Clients per peer, each trusting that peer's CA alone; made again when the trust list
/// changes.
#[derive(Debug, Clone, Default)]
pub struct Clients(Arc<Mutex<HashMap<(CountryCode, u64), reqwest::Client>>>);

impl Clients {
    pub fn for_peer(
        &self,
        exchange: &Exchange,
        country: CountryCode,
        version: u64,
        ca_pem: &str,
    ) -> Result<reqwest::Client, String> {
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(client) = map.get(&(country, version)) {
            return Ok(client.clone());
        }
        let identity = exchange
            .identity
            .as_ref()
            .ok_or("this node has no external certificate")?;
        let tls =
            crate::external::tls::client_config(identity, ca_pem).map_err(|e| e.to_string())?;
        let client = reqwest::Client::builder()
            .use_preconfigured_tls((*tls).clone())
            .timeout(REQUEST_TIMEOUT)
            .build()
            .map_err(|e| e.to_string())?;
        map.retain(|(c, _), _| *c != country);
        map.insert((country, version), client.clone());
        Ok(client)
    }
}

/// What came of one attempt.
enum Outcome {
    Delivered(Receipt, Vec<u8>),
    Refused(SignedError, Vec<u8>),
    Failed(String),
}

/// Writes what came of a batch of attempts, and what each module makes of it.
async fn record(exchange: &Exchange, done: Vec<(Due, Outcome)>) -> Result<(), ExchangeError> {
    let mut tx = exchange.store.begin_write().await?;
    for (due, outcome) in done {
        record_one(&mut tx, &due, outcome, exchange.max_backoff).await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn record_one(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    due: &Due,
    outcome: Outcome,
    max_backoff: std::time::Duration,
) -> Result<(), ExchangeError> {
    let now = now_ms();
    let (state, answer, error) = match &outcome {
        Outcome::Delivered(_, bytes) => ("delivered", Some(bytes), None),
        Outcome::Refused(_, bytes) => ("refused", Some(bytes), None),
        Outcome::Failed(why) => ("queued", None, Some(why.as_str())),
    };
    let attempts = due.attempts + 1;
    let next = match &outcome {
        Outcome::Failed(_) => {
            let wait =
                sis_exchange::backoff_capped(attempts as u32, rand::random::<u64>(), max_backoff);
            now + wait.as_millis() as i64
        }
        _ => now,
    };
    sqlx::query(
        "UPDATE outbox SET state = $1, attempts = $2, next_attempt_at = $3, lease_until = NULL, \
         last_error = $4, answer = $5, updated_at = $6 WHERE envelope_id = $7 AND recipient = $8",
    )
    .bind(state)
    .bind(attempts)
    .bind(next)
    .bind(error)
    .bind(answer.map(|b| String::from_utf8_lossy(b).into_owned()))
    .bind(now)
    .bind(&due.envelope_id)
    .bind(&due.recipient)
    .execute(&mut **tx)
    .await?;
    let answer = match outcome {
        Outcome::Delivered(receipt, _) => Answer::Delivered {
            received_at: (receipt.body().received.unix_timestamp_nanos() / 1_000_000) as i64,
            log_index: receipt.body().log_index,
        },
        Outcome::Refused(error, _) => Answer::Refused {
            code: error.body().code.clone(),
            message: error.body().message.clone(),
        },
        Outcome::Failed(why) => {
            tracing::debug!(envelope = %due.envelope_id, to = %due.recipient, "will retry: {why}");
            return Ok(());
        }
    };
    documents::answered(tx, &due.doc_type, &due.envelope_id, &answer, now).await
}

async fn attempt(exchange: &Exchange, clients: &Clients, due: &Due) -> Outcome {
    let failed = |why: String| Outcome::Failed(why);
    let Some(trust) = &exchange.trust else {
        return failed("this node is in no network yet".into());
    };
    let trust = trust.current();
    let Ok(country) = CountryCode::parse(&due.recipient) else {
        return failed(format!("{:?} is not a country", due.recipient));
    };
    let Some(member) = trust.member(country) else {
        return failed(format!("{country} is not in the trust list"));
    };
    let bytes = match exchange.stored(&due.envelope_id).await {
        Ok(Some((bytes, _))) => bytes,
        Ok(None) => return failed("the envelope is not stored".into()),
        Err(e) => return failed(e.to_string()),
    };
    let sent: Envelope = match UnverifiedEnvelope::parse(&bytes)
        .map_err(|e| e.to_string())
        .and_then(|u| u.verify(&trust).map_err(|r| r.message))
    {
        Ok(envelope) => envelope,
        Err(e) => return failed(format!("our own envelope does not verify: {e}")),
    };
    let client = match clients.for_peer(exchange, country, trust.version(), &member.tls_ca_pem) {
        Ok(client) => client,
        Err(e) => return failed(e),
    };
    let url = format!(
        "{}/external/v1/envelopes",
        member.external_url.trim_end_matches('/')
    );
    let response = client
        .post(url)
        .header(SENDER_HEADER, exchange.country.as_str())
        .header("content-type", "application/jose+json")
        .body(bytes)
        .send()
        .await;
    let response = match response {
        Ok(r) => r,
        Err(e) => return failed(format!("sending: {e}")),
    };
    let status = response.status();
    let body = match response.bytes().await {
        Ok(b) => b.to_vec(),
        Err(e) => return failed(format!("reading the answer: {e}")),
    };
    let now = OffsetDateTime::now_utc();
    if status.is_success() {
        return match Receipt::verify(&body, &sent, country, &trust, now) {
            Ok(receipt) => Outcome::Delivered(receipt, body),
            Err(e) => failed(format!("the receipt does not hold: {e} ({})", code(&e))),
        };
    }
    match SignedError::verify(&body, &sent, country, &trust, now) {
        Ok(error) if is_final(&error) => Outcome::Refused(error, body),
        Ok(error) => failed(format!("{}: {}", error.body().code, error.body().message)),
        Err(e) => failed(format!(
            "HTTP {status} without a valid signed error ({})",
            code(&e)
        )),
    }
}

fn code(e: &AnswerError) -> &'static str {
    e.code()
}

fn is_final(error: &SignedError) -> bool {
    sis_exchange::ErrorCode::parse(&error.body().code).is_some_and(|c| !c.is_retryable())
}
