//! Which module takes which document type off the exchange: what a payload must be before
//! it is accepted, what is written when it arrives, and what a sender's module learns when
//! the recipient answers. A module that exchanges documents adds its arm here.

use sis_customs::documents::Document;
use sis_exchange::{DocType, Envelope, InvalidPayload};

use crate::external::exchange::{Exchange, ExchangeError};
use crate::external::log::Appending;
use crate::modules::letters;

/// The payload is a document of its type that our reader takes and whose rules hold.
pub fn validate(doc: &DocType, payload: &[u8]) -> Result<(), InvalidPayload> {
    let document = sis_customs::xml::read(payload)
        .map_err(|e| InvalidPayload(format!("the payload is not a valid document: {e}")))?;
    // Types no module takes yet are left to the policy, which refuses what it does not
    // accept; a type a module takes must carry its document.
    let fits = match doc.as_str() {
        "letter" => matches!(document, Document::OfficialLetter(_)),
        letters::acknowledge::DOC => matches!(document, Document::LetterAcknowledgement(_)),
        _ => true,
    };
    if !fits {
        return Err(InvalidPayload(format!(
            "a {doc} envelope must carry a document of that type"
        )));
    }
    sis_customs::documents::validate(&document).map_err(|problems| {
        let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
        InvalidPayload(lines.join("; "))
    })
}

/// Writes what an accepted envelope brings, in the transaction that records it; a module
/// may seal envelopes of its own in it (an acknowledgement back to the sender).
pub async fn accept(
    exchange: &Exchange,
    appending: &mut Appending<'_>,
    envelope: &Envelope,
    now_ms: i64,
) -> Result<(), ExchangeError> {
    match envelope.header().doc.as_str() {
        "letter" => letters::incoming::accept(exchange, appending, envelope, now_ms).await,
        letters::acknowledge::DOC => {
            letters::acknowledge::received(&mut appending.tx, envelope, now_ms).await
        }
        // Stored and logged; no module reads it yet.
        _ => Ok(()),
    }
}

/// How a recipient answered an envelope this node sent.
#[derive(Debug, Clone)]
pub enum Answer {
    Delivered { received_at: i64, log_index: u64 },
    Refused { code: String, message: String },
}

/// Tells the sending module, in the transaction that records the answer in the outbox.
pub async fn answered(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    doc: &str,
    envelope_id: &str,
    answer: &Answer,
    now_ms: i64,
) -> Result<(), ExchangeError> {
    match doc {
        "letter" => letters::incoming::answered(tx, envelope_id, answer, now_ms).await,
        _ => Ok(()),
    }
}
