//! Official letters between customs services (Electronic Document Management): registered,
//! addressed to one or more services, with attachments, replies and deadlines.

use serde::{Deserialize, Serialize};

use super::attachment::Attachment;
use super::dates::{Date, DateTime};
use super::party::Agency;
use super::validate::{Check, Checker, Limit, Text};

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct OfficialLetter {
    /// The number the sending service registered the letter under.
    pub registration_number: String,
    pub registered_on: Date,
    pub sender: Agency,
    pub recipients: Vec<Agency>,
    pub subject: String,
    pub body: String,
    pub attachments: Vec<Attachment>,
    /// The registration number of the letter this one answers.
    pub reply_to: Option<String>,
    /// The day by which an answer is asked for.
    pub deadline: Option<Date>,
}

/// A receiving service's word on a letter it was sent: registered under its own number, then
/// read by one of its officers. An answer travels as a letter of its own (`reply_to`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LetterAcknowledgement {
    /// The number the sending service registered the letter under.
    pub letter: String,
    /// The number the receiving service registered it under.
    pub registration_number: String,
    /// The receiving service.
    pub recipient: Agency,
    pub state: LetterState,
    /// When the letter was registered or first read there.
    pub at: DateTime,
}

/// How far a received letter has come at its recipient.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum LetterState {
    Registered,
    Read,
}

impl Check for LetterAcknowledgement {
    fn check(&self, c: &mut Checker) {
        c.text("letter", &self.letter, Text::Id);
        c.text("registration_number", &self.registration_number, Text::Id);
        c.part("recipient", &self.recipient);
    }
}

/// A letter goes to at most this many services: every member's customs and a few more.
const MAX_RECIPIENTS: usize = 30;

/// Exchange gateways that broke past 30 attachments taught users to split letters; this
/// allows far more, yet bounds what one letter can make a receiver hold.
const MAX_ATTACHMENTS: usize = 200;

impl Check for OfficialLetter {
    fn check(&self, c: &mut Checker) {
        c.text("registration_number", &self.registration_number, Text::Id);
        c.part("sender", &self.sender);
        c.list(
            "recipients",
            &self.recipients,
            Limit::one_to(MAX_RECIPIENTS),
            |c, r| {
                r.check(c);
                if *r == self.sender {
                    c.report("is the sender");
                }
            },
        );
        c.no_repeats("recipients", &self.recipients, None, Clone::clone);
        c.text("subject", &self.subject, Text::Line);
        c.text("body", &self.body, Text::Body);
        c.parts(
            "attachments",
            &self.attachments,
            Limit::up_to(MAX_ATTACHMENTS),
        );
        c.no_repeats("attachments", &self.attachments, Some("name"), |a| {
            a.name.clone()
        });
        if let Some(reply_to) = &self.reply_to {
            c.at("reply_to", |c| {
                c.check_text(reply_to, Text::Id);
                if *reply_to == self.registration_number {
                    c.report("is this letter's own registration number");
                }
            });
        }
        if let Some(deadline) = &self.deadline {
            c.not_before(
                ("registered_on", &self.registered_on),
                ("deadline", deadline),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::examples::example_official_letter;
    use crate::documents::validate::problem_lines;

    fn problems(change: impl FnOnce(&mut OfficialLetter)) -> Vec<String> {
        let mut letter = example_official_letter();
        change(&mut letter);
        problem_lines(letter)
    }

    #[test]
    fn the_example_is_valid() {
        assert_eq!(problems(|_| {}), Vec::<String>::new());
    }

    #[test]
    fn recipients_are_others_and_listed_once() {
        assert_eq!(
            problems(|l| l.recipients.clear()),
            ["recipients: must have at least one entry"]
        );
        assert_eq!(
            problems(|l| {
                l.recipients.push(l.sender.clone());
                l.recipients.push(l.recipients[0].clone());
            }),
            [
                "recipients[1]: is the sender",
                "recipients[2]: repeats recipients[0]",
            ]
        );
    }

    #[test]
    fn attachments_are_files_with_media_types_and_distinct_names() {
        assert_eq!(
            problems(|l| {
                let mut second = l.attachments[0].clone();
                second.media_type = "pdf".to_owned();
                l.attachments.push(second);
                let mut third = l.attachments[0].clone();
                third.name = "../etc/passwd".to_owned();
                l.attachments.push(third);
            }),
            [
                "attachments[1].media_type: \"pdf\" is not a media type like application/pdf",
                "attachments[2].name: must be a file name without a directory",
                "attachments[1].name: repeats attachments[0].name",
            ]
        );
        assert_eq!(
            problems(|l| {
                let one = l.attachments[0].clone();
                l.attachments = (0..201)
                    .map(|i| Attachment {
                        name: format!("page-{i}.pdf"),
                        ..one.clone()
                    })
                    .collect();
            }),
            ["attachments: has 201 entries; at most 200 are allowed"]
        );
    }

    #[test]
    fn replies_and_deadlines() {
        assert_eq!(
            problems(|l| {
                l.reply_to = Some(l.registration_number.clone());
                l.deadline = Some(Date::parse("2025-03-16").expect("date"));
            }),
            [
                "reply_to: is this letter's own registration number",
                "deadline: 2025-03-16 is before registered_on 2025-03-17",
            ]
        );
        assert_eq!(
            problems(|l| {
                l.reply_to = None;
                l.deadline = None;
                l.attachments.clear();
            }),
            Vec::<String>::new()
        );
    }

    #[test]
    fn a_long_body_is_allowed_up_to_its_limit() {
        assert_eq!(
            problems(|l| l.body = "а".repeat(100_000)),
            Vec::<String>::new()
        );
        assert_eq!(
            problems(|l| l.body = "а".repeat(100_001)),
            ["body: is 100001 characters long; at most 100000 are allowed"]
        );
    }

    #[test]
    fn json_round_trip_and_digest_errors_name_the_field() {
        let letter = example_official_letter();
        let json = serde_json::to_string(&letter).expect("ser");
        assert_eq!(
            serde_json::from_str::<OfficialLetter>(&json).expect("de"),
            letter
        );
        let broken = json.replace("109d5b6b", "109D5B6B");
        let problem = crate::documents::decode::<OfficialLetter, _>(
            &mut serde_json::Deserializer::from_str(&broken),
        )
        .expect_err("upper-case hex");
        assert_eq!(problem.path, "attachments[0].sha256");
    }
}
