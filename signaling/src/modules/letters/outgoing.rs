//! A letter on its way out: written as the `letter` document of `crates/customs`, checked
//! by the same rules a receiver applies, and sealed into one envelope per recipient in the
//! transaction that numbers it.

use sis_customs::CountryCode;
use sis_customs::documents::{Agency, Attachment, Date, Document, OfficialLetter, Sha256Digest};
use sis_exchange::DocType;
use uuid::Uuid;

use super::store::{self, LetterRecord};
use crate::external::exchange::{Exchange, ExchangeError};
use crate::external::log::Appending;
use crate::store::StoreError;

/// What a letter needs besides its stored record to be sent.
#[derive(Debug)]
pub struct Sending<'a> {
    pub letter: &'a LetterRecord,
    /// Its registration number, just given.
    pub number: &'a str,
    /// The sending service's name (the author's agency).
    pub sender_agency: &'a str,
    /// The number the recipients know the answered letter by.
    pub reply_to: Option<String>,
    pub today: Date,
}

/// The document the envelopes carry.
pub fn document(s: &Sending<'_>, country: CountryCode) -> Result<Document, ExchangeError> {
    let corrupt = |what: String| ExchangeError::Store(StoreError::Corrupt(what));
    let recipients = s
        .letter
        .recipients
        .iter()
        .map(|c| {
            Ok(Agency {
                country: CountryCode::parse(c).map_err(|_| corrupt(format!("recipient {c}")))?,
                name: s.letter.agency.clone(),
            })
        })
        .collect::<Result<Vec<_>, ExchangeError>>()?;
    let attachments = s
        .letter
        .attachments
        .iter()
        .map(|a| {
            Ok(Attachment {
                name: a.name.clone(),
                media_type: a.media_type.clone(),
                sha256: Sha256Digest::parse(&a.sha256)
                    .map_err(|_| corrupt(format!("file hash of {}", a.name)))?,
                size_bytes: a.size_bytes,
            })
        })
        .collect::<Result<Vec<_>, ExchangeError>>()?;
    let deadline = match &s.letter.deadline {
        Some(d) => Some(Date::parse(d).map_err(|_| corrupt(format!("deadline {d}")))?),
        None => None,
    };
    Ok(Document::OfficialLetter(OfficialLetter {
        registration_number: s.number.to_owned(),
        registered_on: s.today,
        sender: Agency {
            country,
            name: s.sender_agency.to_owned(),
        },
        recipients,
        subject: s.letter.subject.clone(),
        body: s.letter.body.clone(),
        attachments,
        reply_to: s.reply_to.clone(),
        deadline,
    }))
}

/// Seals the letter for each recipient in `appending` and notes each envelope.
pub async fn enqueue(
    exchange: &Exchange,
    appending: &mut Appending<'_>,
    s: &Sending<'_>,
    now_ms: i64,
) -> Result<(), ExchangeError> {
    let doc = DocType::parse("letter").expect("a valid document type");
    let document = document(s, exchange.country)?;
    let xml = sis_customs::xml::write(&document);
    // What a receiver would refuse is refused here, with the same words.
    crate::external::documents::validate(&doc, xml.as_bytes())
        .map_err(|e| ExchangeError::Invalid(e.0))?;
    let corr = Uuid::parse_str(&s.letter.case_id)
        .map_err(|_| ExchangeError::Store(StoreError::Corrupt("case id".into())))?;
    for country in &s.letter.recipients {
        let to = CountryCode::parse(country).map_err(|_| {
            ExchangeError::Store(StoreError::Corrupt(format!("recipient {country}")))
        })?;
        let id = exchange
            .enqueue(appending, &doc, to, corr, xml.as_bytes(), now_ms)
            .await?;
        store::set_envelope(&mut appending.tx, &s.letter.id, country, &id.to_string()).await?;
    }
    Ok(())
}
