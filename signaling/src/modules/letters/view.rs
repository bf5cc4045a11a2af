//! A stored letter as the API shows it.

use sis_customs::documents::Date;
use sis_proto::letter::{
    Letter, LetterStatus, LetterSummary, Mailbox, ReceiptView, Recipient, RefusalView,
};

use super::rules;
use super::store::{LetterRecord, RecipientRecord, status_of};
use crate::store::StoreError;

/// This letter's status: over its recipients (outbox), or this node's own (inbox).
fn status(
    letter: &LetterRecord,
    recipients: &[RecipientRecord],
) -> Result<LetterStatus, StoreError> {
    match letter.mailbox {
        Mailbox::Outbox if letter.status == "draft" => Ok(LetterStatus::Draft),
        Mailbox::Outbox => Ok(rules::overall(recipients.iter().map(|r| r.status))),
        _ => status_of(&letter.status),
    }
}

pub fn summary(
    letter: &LetterRecord,
    recipients: &[RecipientRecord],
    today: Date,
) -> Result<LetterSummary, StoreError> {
    let status = status(letter, recipients)?;
    let deadline = letter.deadline.as_deref().and_then(|d| Date::parse(d).ok());
    Ok(LetterSummary {
        id: letter.id.clone(),
        number: letter.number.clone().unwrap_or_default(),
        box_: letter.mailbox,
        from: letter.sender.clone(),
        to: letter.recipients.clone(),
        subject: letter.subject.clone(),
        at: letter.created_at,
        deadline: letter.deadline.clone(),
        overdue: rules::overdue(deadline, status, today),
        unread: letter.mailbox == Mailbox::Inbox && letter.read_at.is_none(),
        case: letter.case_id.clone(),
        status,
        files: letter.attachments.len() as u32,
    })
}

pub fn letter(
    letter: LetterRecord,
    mut recipients: Vec<RecipientRecord>,
    today: Date,
) -> Result<Letter, StoreError> {
    // In the order the author wrote them.
    recipients.sort_by_key(|r| letter.recipients.iter().position(|c| *c == r.country));
    let summary = summary(&letter, &recipients, today)?;
    Ok(Letter {
        summary,
        agency: letter.agency,
        body: letter.body,
        their_number: letter.their_number,
        reply_to: letter.reply_to,
        attachments: letter.attachments,
        recipients: recipients.into_iter().map(recipient).collect(),
        author: letter.author,
        envelope_id: letter.envelope_id,
    })
}

fn recipient(r: RecipientRecord) -> Recipient {
    let receipt = match (r.received_at, r.log_index) {
        (Some(received_at), Some(log_index)) => Some(ReceiptView {
            received_at,
            log_index: log_index as u64,
        }),
        _ => None,
    };
    Recipient {
        country: r.country,
        status: r.status,
        envelope_id: r.envelope_id,
        receipt,
        their_number: r.their_number,
        refusal: r
            .refusal
            .map(|(code, message)| RefusalView { code, message }),
        updated_at: r.updated_at,
    }
}
