//! Letters over the exchange: a letter that arrives is registered under this node's
//! incoming number; a recipient's answer to one this node sent moves its status.

use sis_customs::documents::{Document, LetterState, OfficialLetter};
use sis_exchange::Envelope;
use sqlx::Row;

use super::acknowledge::{self, Acknowledging};
use super::rules::{self, Direction};
use crate::external::documents::Answer;
use crate::external::exchange::{Exchange, ExchangeError};
use crate::external::log::Appending;
use crate::store::StoreError;

fn year(now_ms: i64) -> i32 {
    time::OffsetDateTime::from_unix_timestamp(now_ms.div_euclid(1000))
        .map(|t| t.year())
        .unwrap_or(1970)
}

/// Registers the letter `envelope` carries (validated already) in the inbox, and seals the
/// acknowledgement that tells the sender under which number.
pub async fn accept(
    exchange: &Exchange,
    appending: &mut Appending<'_>,
    envelope: &Envelope,
    now_ms: i64,
) -> Result<(), ExchangeError> {
    let us = exchange.country;
    let tx = &mut appending.tx;
    let Ok(Document::OfficialLetter(letter)) = sis_customs::xml::read(envelope.payload()) else {
        return Err(ExchangeError::Seal(
            "a letter envelope without a letter".into(),
        ));
    };
    let OfficialLetter {
        registration_number,
        sender,
        recipients,
        subject,
        body,
        attachments,
        reply_to,
        deadline,
        ..
    } = letter;
    let series = rules::series(us, Direction::In, year(now_ms));
    let n: i64 = sqlx::query(
        "INSERT INTO letter_numbers (series, last) VALUES ($1, 1) \
         ON CONFLICT (series) DO UPDATE SET last = letter_numbers.last + 1 RETURNING last",
    )
    .bind(&series)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?;
    // The letter it answers, when it is one of ours (the sender quotes our number).
    let answered: Option<String> = match &reply_to {
        Some(number) => {
            sqlx::query("SELECT id FROM letters WHERE number = $1 OR their_number = $1")
                .bind(number)
                .fetch_optional(&mut **tx)
                .await?
                .map(|r| r.try_get("id"))
                .transpose()?
        }
        None => None,
    };
    let id = uuid::Uuid::now_v7().to_string();
    let number = rules::number(&series, n);
    let files: Vec<&str> = attachments.iter().map(|a| a.name.as_str()).collect();
    sqlx::query(
        "INSERT INTO letters (id, mailbox, number, their_number, sender, recipients, agency, \
         subject, body, files, reply_to, case_id, deadline, envelope_id, status, created_at) \
         VALUES ($1, 'inbox', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'registered', $14)",
    )
    .bind(&id)
    .bind(&number)
    .bind(&registration_number)
    .bind(envelope.header().from.as_str())
    .bind(us.as_str())
    .bind(&sender.name)
    .bind(&subject)
    .bind(&body)
    .bind(files.join(" "))
    .bind(answered.as_deref())
    .bind(envelope.header().corr.to_string())
    .bind(deadline.map(|d| d.to_string()))
    .bind(envelope.id().to_string())
    .bind(now_ms)
    .execute(&mut **tx)
    .await
    .map_err(|e| StoreError::from_insert(e, "letter"))?;
    if let Some(ours) = &answered {
        // The recipient answered one of our letters: that is its status there now.
        sqlx::query(
            "UPDATE letter_recipients SET status = 'answered', updated_at = $1 \
             WHERE letter_id = $2 AND country = $3",
        )
        .bind(now_ms)
        .bind(ours)
        .bind(envelope.header().from.as_str())
        .execute(&mut **tx)
        .await?;
    }
    for file in &attachments {
        sqlx::query(
            "INSERT INTO letter_attachments (letter_id, name, media_type, size_bytes, sha256) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&id)
        .bind(&file.name)
        .bind(&file.media_type)
        .bind(file.size_bytes as i64)
        .bind(file.sha256.to_string())
        .execute(&mut **tx)
        .await?;
    }
    // The service the letter was addressed to here, as the sender named it.
    let agency = recipients
        .iter()
        .find(|a| a.country == us)
        .map_or(us.as_str(), |a| a.name.as_str());
    let acknowledging = Acknowledging {
        letter: &registration_number,
        ours: &number,
        agency,
        to: envelope.header().from,
        case: envelope.header().corr,
        state: LetterState::Registered,
    };
    acknowledge::send(exchange, appending, &acknowledging, now_ms).await
}

/// Moves the status of the recipient `envelope_id` went to.
pub async fn answered(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    envelope_id: &str,
    answer: &Answer,
    now_ms: i64,
) -> Result<(), ExchangeError> {
    let query = match answer {
        Answer::Delivered {
            received_at,
            log_index,
        } => sqlx::query(
            // The recipient's acknowledgement may come before its receipt is recorded here:
            // the receipt's facts are kept, the status is not moved back.
            "UPDATE letter_recipients SET \
             status = CASE WHEN status = 'queued' THEN 'delivered' ELSE status END, \
             received_at = $1, log_index = $2, updated_at = $3 WHERE envelope_id = $4",
        )
        .bind(*received_at)
        .bind(*log_index as i64)
        .bind(now_ms)
        .bind(envelope_id),
        Answer::Refused { code, message } => sqlx::query(
            "UPDATE letter_recipients SET status = 'refused', refusal_code = $1, \
             refusal_message = $2, updated_at = $3 WHERE envelope_id = $4",
        )
        .bind(code.clone())
        .bind(message.clone())
        .bind(now_ms)
        .bind(envelope_id),
    };
    query.execute(&mut **tx).await?;
    Ok(())
}
