//! Acknowledgements between services: the recipient's node tells the sender's when a letter
//! is registered there, under which number, and when one of its officers first reads it;
//! the sender's node moves that recipient's status. An answer needs none: it is a letter of
//! its own whose `reply_to` names the one it answers.

use sis_customs::CountryCode;
use sis_customs::documents::{Agency, DateTime, Document, LetterAcknowledgement, LetterState};
use sis_exchange::{DocType, Envelope};
use uuid::Uuid;

use crate::external::exchange::{Exchange, ExchangeError};
use crate::external::log::Appending;

/// The envelope type that carries a `letter-acknowledgement` document.
pub const DOC: &str = "letter-acknowledgement";

/// One acknowledgement to send.
#[derive(Debug)]
pub struct Acknowledging<'a> {
    /// The number the sending service gave the letter.
    pub letter: &'a str,
    /// The number this service registered it under.
    pub ours: &'a str,
    /// This service's name as the acknowledgement gives it.
    pub agency: &'a str,
    pub to: CountryCode,
    /// The letter's case, which the acknowledgement's envelope carries on.
    pub case: Uuid,
    pub state: LetterState,
}

/// Seals the acknowledgement in `appending`, with the arrival or reading it reports.
pub async fn send(
    exchange: &Exchange,
    appending: &mut Appending<'_>,
    a: &Acknowledging<'_>,
    now_ms: i64,
) -> Result<(), ExchangeError> {
    let doc = DocType::parse(DOC).expect("a valid document type");
    let document = Document::LetterAcknowledgement(LetterAcknowledgement {
        letter: a.letter.to_owned(),
        registration_number: a.ours.to_owned(),
        recipient: Agency {
            country: exchange.country,
            name: a.agency.to_owned(),
        },
        state: a.state,
        at: date_time(now_ms)?,
    });
    let xml = sis_customs::xml::write(&document);
    match exchange
        .enqueue(appending, &doc, a.to, a.case, xml.as_bytes(), now_ms)
        .await
    {
        Ok(_) => Ok(()),
        // A node whose policy does not share acknowledgements with that member still takes
        // and reads its letters; the sender then sees them as delivered only.
        Err(ExchangeError::Policy { reason, .. }) => {
            tracing::info!(to = %a.to, "no acknowledgement sent: {reason}");
            Ok(())
        }
        Err(e) => Err(e),
    }
}

fn date_time(now_ms: i64) -> Result<DateTime, ExchangeError> {
    let at = time::OffsetDateTime::from_unix_timestamp(now_ms.div_euclid(1000))
        .map_err(|e| ExchangeError::Seal(e.to_string()))?;
    let text = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    );
    DateTime::parse(&text).map_err(|e| ExchangeError::Seal(e.to_string()))
}

/// Moves the status of the recipient that acknowledged one of this node's letters, in the
/// transaction that accepts the acknowledgement. A status only moves forward: an
/// acknowledgement that arrives late (read before registered, or after the answer) changes
/// nothing but the recipient's number.
pub async fn received(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    envelope: &Envelope,
    now_ms: i64,
) -> Result<(), ExchangeError> {
    let Ok(Document::LetterAcknowledgement(ack)) = sis_customs::xml::read(envelope.payload())
    else {
        return Err(ExchangeError::Seal(
            "a letter acknowledgement envelope without one".into(),
        ));
    };
    let from = envelope.header().from;
    if ack.recipient.country != from {
        // Only a service speaks for itself; the envelope stays logged as it came.
        tracing::warn!(%from, claims = %ack.recipient.country, "an acknowledgement for another service, ignored");
        return Ok(());
    }
    let (state, before) = match ack.state {
        LetterState::Registered => ("registered", "('queued', 'delivered')"),
        LetterState::Read => ("read", "('queued', 'delivered', 'registered')"),
        _ => return Ok(()),
    };
    sqlx::query(&format!(
        "UPDATE letter_recipients SET \
         status = CASE WHEN status IN {before} THEN $1 ELSE status END, \
         their_number = $2, updated_at = $3 \
         WHERE country = $4 AND letter_id IN \
         (SELECT id FROM letters WHERE mailbox = 'outbox' AND number = $5)"
    ))
    .bind(state)
    .bind(&ack.registration_number)
    .bind(now_ms)
    .bind(from.as_str())
    .bind(&ack.letter)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
