//! Group commit of accepted envelopes. Envelopes that arrive together (a peer delivers a
//! batch of its outbox at once) are recorded, logged and handed to their modules in one
//! transaction, under one signed checkpoint, with one fsync; each still gets its own signed
//! receipt, and one that fails is rolled back to its savepoint alone. One writer takes the
//! arrivals in turn, so a node never has two of them competing for the store's write lock.

use std::sync::{Arc, Weak};

use sis_exchange::Envelope;
use tokio::sync::{mpsc, oneshot};

use crate::external::documents;
use crate::external::exchange::{Accepted, Exchange, ExchangeError};
use crate::node::state::now_ms;

/// The most envelopes recorded in one transaction.
const MAX_BATCH: usize = 64;
/// Arrivals waiting for the writer; a full queue makes the handlers wait (their peers'
/// requests then wait too, which is the back-pressure a sender's timeout handles).
const QUEUE: usize = 1024;

/// One accepted envelope waiting to be recorded; the writer answers with its receipt.
#[derive(Debug)]
pub struct Arrival {
    pub envelope: Envelope,
    pub reply: oneshot::Sender<Result<Vec<u8>, String>>,
}

/// Where the inbox hands envelopes to the writer.
pub type Queue = mpsc::Sender<Arrival>;

/// Starts the writer of `exchange`; it ends when the exchange is dropped.
pub fn spawn(exchange: &Arc<Exchange>) -> Queue {
    let (queue, mut arrivals) = mpsc::channel::<Arrival>(QUEUE);
    let weak: Weak<Exchange> = Arc::downgrade(exchange);
    tokio::spawn(async move {
        let mut batch = Vec::with_capacity(MAX_BATCH);
        while arrivals.recv_many(&mut batch, MAX_BATCH).await > 0 {
            let Some(exchange) = weak.upgrade() else {
                break;
            };
            write(&exchange, std::mem::take(&mut batch)).await;
        }
    });
    queue
}

/// Records `batch` in one transaction and answers each arrival.
async fn write(exchange: &Arc<Exchange>, batch: Vec<Arrival>) {
    // Most batches hold nothing that fails: they go without savepoints, and only a batch in
    // which one failed is written again with each arrival behind its own.
    let mut recorded = record(exchange, &batch, false).await;
    if batch.len() > 1 && matches!(&recorded, Ok(receipts) if receipts.iter().any(Result::is_err)) {
        recorded = record(exchange, &batch, true).await;
    }
    match recorded {
        Ok(receipts) => {
            exchange.want_files();
            // What the modules sealed in answer (acknowledgements) goes out now.
            exchange.wake();
            for (arrival, receipt) in batch.into_iter().zip(receipts) {
                if receipt.is_ok() {
                    let _ = exchange.accepted.send(Accepted {
                        doc: arrival.envelope.header().doc.to_string(),
                        envelope_id: arrival.envelope.id().to_string(),
                    });
                }
                let _ = arrival.reply.send(receipt);
            }
        }
        Err(e) => {
            let why = e.to_string();
            for arrival in batch {
                let _ = arrival.reply.send(Err(why.clone()));
            }
        }
    }
}

/// Each arrival's receipt, or why it alone could not be recorded; `Err` when the batch
/// could not be committed at all. Without `isolated`, one arrival that fails leaves the
/// whole batch uncommitted (and each answered with why, or "retry" for the others).
async fn record(
    exchange: &Exchange,
    batch: &[Arrival],
    isolated: bool,
) -> Result<Vec<Result<Vec<u8>, String>>, ExchangeError> {
    let now_ms = now_ms();
    let mut appending = exchange.log.begin_append().await?;
    let mut indexes = Vec::with_capacity(batch.len());
    for arrival in batch {
        let point = match isolated {
            true => Some(appending.savepoint().await?),
            false => None,
        };
        let envelope = &arrival.envelope;
        let done = async {
            let index = exchange
                .record(
                    &mut appending,
                    envelope,
                    sis_ledger::Direction::Accepted,
                    now_ms,
                )
                .await?;
            documents::accept(exchange, &mut appending, envelope, now_ms).await?;
            Ok::<_, ExchangeError>(index)
        }
        .await;
        match (done, point) {
            (Ok(index), Some(point)) => {
                appending.release(point).await?;
                indexes.push(Ok(index));
            }
            (Ok(index), None) => indexes.push(Ok(index)),
            (Err(e), Some(point)) => {
                appending.roll_back_to(point).await?;
                indexes.push(Err(e.to_string()));
            }
            (Err(e), None) => {
                // Dropping the transaction rolls it back.
                let why = e.to_string();
                return Ok(batch
                    .iter()
                    .enumerate()
                    .map(|(i, _)| match i == indexes.len() {
                        true => Err(why.clone()),
                        false => Err("another envelope of its batch failed; retry".to_owned()),
                    })
                    .collect());
            }
        }
    }
    // The envelopes, their leaves, the modules' rows, the checkpoint covering them and the
    // receipts naming it commit together.
    let checkpoint = match indexes.iter().any(Result::is_ok) {
        true => Some(appending.checkpoint().await?),
        false => None,
    };
    let mut receipts = Vec::with_capacity(batch.len());
    for (arrival, index) in batch.iter().zip(indexes) {
        match (index, &checkpoint) {
            (Ok(index), Some(checkpoint)) => {
                let bytes =
                    super::inbox::receipt_for(exchange, &arrival.envelope, index, checkpoint);
                super::inbox::keep_receipt(&mut *appending.tx, &arrival.envelope, &bytes).await?;
                receipts.push(Ok(bytes));
            }
            (Err(why), _) => receipts.push(Err(why)),
            (Ok(_), None) => unreachable!("a checkpoint is signed when one was recorded"),
        }
    }
    appending.commit().await?;
    Ok(receipts)
}
