//! Validation of a whole document: every rule the types cannot carry (sums, ordering,
//! lengths, rules between fields), with every problem reported at once and each one named by
//! its path in the serialised document (`lines[1].value`), so a form can mark the field.
//!
//! The rules of each document live beside its type (`impl Check for …`); this module holds
//! the walk that tracks the path, the shared rules, and [`validate`].

use std::fmt::{self, Display, Write as _};

use serde::{Deserialize, Serialize};

use super::Document;
use super::decimal::Exact;
use super::quantity::{Kilograms, Packages, Quantity};

/// One thing wrong with a document: where it is, and why it is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Problem {
    /// Field names joined by `.`, list positions (from 0) in brackets, as in the serialised
    /// document: `goods[3].hs_code`. Empty for the document as a whole.
    pub path: String,
    pub reason: String,
}

impl Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.reason)
        } else {
            write!(f, "{}: {}", self.path, self.reason)
        }
    }
}

impl std::error::Error for Problem {}

/// Checks every rule of the document and returns all problems found, in document order.
/// Never panics, whatever the document holds.
pub fn validate(document: &Document) -> Result<(), Vec<Problem>> {
    let mut c = Checker::default();
    match document {
        Document::SingleInvoice(d) => d.check(&mut c),
        Document::PreliminaryInformation(d) => d.check(&mut c),
        Document::CarrierRecord(d) => d.check(&mut c),
        Document::CarrierEvent(d) => d.check(&mut c),
        Document::OfficialLetter(d) => d.check(&mut c),
        Document::LetterAcknowledgement(d) => d.check(&mut c),
        Document::SwApplication(d) => d.check(&mut c),
        Document::SwDecision(d) => d.check(&mut c),
        Document::TradeStatistics(d) => d.check(&mut c),
        Document::RiskProfile(d) => d.check(&mut c),
        Document::RiskHit(d) => d.check(&mut c),
    }
    if c.problems.is_empty() {
        Ok(())
    } else {
        Err(c.problems)
    }
}

/// A part of a document with rules of its own.
pub(super) trait Check {
    /// Reports each broken rule to `c`, at paths relative to where `c` stands.
    fn check(&self, c: &mut Checker);
}

/// Kinds of free text, each with its length limit in characters (not bytes: Cyrillic takes
/// two bytes a letter).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Text {
    /// Numbers, references and identifiers: one line, at most 35 characters, the length
    /// UN/EDIFACT gives references (an..35).
    Id,
    /// Names, address lines, places, subjects: one line, at most 140 characters.
    Line,
    /// Descriptions, reasons and notes: at most 1,000 characters, line breaks allowed.
    Paragraph,
    /// The body of a letter: at most 100,000 characters.
    Body,
}

impl Text {
    fn max_chars(self) -> usize {
        match self {
            Text::Id => 35,
            Text::Line => 140,
            Text::Paragraph => 1_000,
            Text::Body => 100_000,
        }
    }

    fn single_line(self) -> bool {
        matches!(self, Text::Id | Text::Line)
    }
}

/// How many entries a list may have.
#[derive(Debug, Clone, Copy)]
pub(super) struct Limit {
    min: usize,
    max: usize,
}

impl Limit {
    /// At least one entry, at most `max`.
    pub(super) const fn one_to(max: usize) -> Limit {
        Limit { min: 1, max }
    }

    /// Any number of entries up to `max`.
    pub(super) const fn up_to(max: usize) -> Limit {
        Limit { min: 0, max }
    }
}

/// Walks a document, keeping the path of the field being checked and the problems so far.
#[derive(Debug, Default)]
pub(super) struct Checker {
    path: String,
    problems: Vec<Problem>,
}

impl Checker {
    /// Runs `f` one field deeper.
    pub(super) fn at(&mut self, field: &str, f: impl FnOnce(&mut Checker)) {
        let len = self.path.len();
        if !self.path.is_empty() {
            self.path.push('.');
        }
        self.path.push_str(field);
        f(self);
        self.path.truncate(len);
    }

    /// Runs `f` at entry `index` of the list where the checker stands.
    fn at_index(&mut self, index: usize, f: impl FnOnce(&mut Checker)) {
        let len = self.path.len();
        // Writing to a String cannot fail.
        let _ = write!(self.path, "[{index}]");
        f(self);
        self.path.truncate(len);
    }

    /// Reports a problem with the field where the checker stands.
    pub(super) fn report(&mut self, reason: impl Into<String>) {
        self.problems.push(Problem {
            path: self.path.clone(),
            reason: reason.into(),
        });
    }

    /// Reports a problem with `field`.
    pub(super) fn report_at(&mut self, field: &str, reason: impl Into<String>) {
        self.at(field, |c| c.report(reason));
    }

    /// Checks a part that has rules of its own.
    pub(super) fn part(&mut self, field: &str, part: &impl Check) {
        self.at(field, |c| part.check(c));
    }

    /// Checks the length of a list, then each entry with `f`.
    pub(super) fn list<T>(
        &mut self,
        field: &str,
        items: &[T],
        limit: Limit,
        mut f: impl FnMut(&mut Checker, &T),
    ) {
        self.at(field, |c| {
            match items.len() {
                n if n < limit.min => c.report("must have at least one entry"),
                n if n > limit.max => c.report(format!(
                    "has {n} entries; at most {} are allowed",
                    limit.max
                )),
                _ => {}
            }
            for (i, item) in items.iter().enumerate() {
                c.at_index(i, |c| f(c, item));
            }
        });
    }

    /// Checks the entries of a list that are parts with rules of their own.
    pub(super) fn parts<T: Check>(&mut self, field: &str, items: &[T], limit: Limit) {
        self.list(field, items, limit, |c, item| item.check(c));
    }

    /// Reports each entry of the list `field` whose `key` an earlier entry already has, at
    /// `field[i]` (or `field[i].sub` when `sub` names the key's field).
    pub(super) fn no_repeats<T, K: PartialEq>(
        &mut self,
        field: &str,
        items: &[T],
        sub: Option<&str>,
        key: impl Fn(&T) -> K,
    ) {
        let keys: Vec<K> = items.iter().map(key).collect();
        self.at(field, |c| {
            for (i, k) in keys.iter().enumerate() {
                if let Some(first) = keys[..i].iter().position(|earlier| earlier == k) {
                    let first = match sub {
                        Some(sub) => format!("{field}[{first}].{sub}"),
                        None => format!("{field}[{first}]"),
                    };
                    c.at_index(i, |c| match sub {
                        Some(sub) => c.report_at(sub, format!("repeats {first}")),
                        None => c.report(format!("repeats {first}")),
                    });
                }
            }
        });
    }

    /// Checks free text where the checker stands: not blank, within its length, and on one
    /// line if it is a one-line kind.
    pub(super) fn check_text(&mut self, value: &str, kind: Text) {
        if value.trim().is_empty() {
            self.report("must not be empty");
            return;
        }
        let chars = value.chars().count();
        if chars > kind.max_chars() {
            self.report(format!(
                "is {chars} characters long; at most {} are allowed",
                kind.max_chars()
            ));
        }
        let control =
            |ch: char| ch.is_control() && (kind.single_line() || !matches!(ch, '\n' | '\r' | '\t'));
        if value.chars().any(control) {
            self.report(if kind.single_line() {
                "must be one line without control characters"
            } else {
                "must not contain control characters other than line breaks and tabs"
            });
        }
    }

    pub(super) fn text(&mut self, field: &str, value: &str, kind: Text) {
        self.at(field, |c| c.check_text(value, kind));
    }

    pub(super) fn optional_text(&mut self, field: &str, value: Option<&str>, kind: Text) {
        if let Some(value) = value {
            self.text(field, value, kind);
        }
    }

    /// Reports `later` (at `later_field`) if it comes before `earlier`.
    pub(super) fn not_before<T: Ord + Display>(
        &mut self,
        (earlier_field, earlier): (&str, &T),
        (later_field, later): (&str, &T),
    ) {
        if later < earlier {
            self.report_at(
                later_field,
                format!("{later} is before {earlier_field} {earlier}"),
            );
        }
    }

    /// Reports a net weight above the gross weight, at `net_weight_kg`.
    pub(super) fn net_within_gross(&mut self, net: &Kilograms, gross: &Kilograms) {
        if net.0.numeric_cmp(&gross.0).is_gt() {
            self.report_at(
                "net_weight_kg",
                format!("{net} is more than the gross weight, {gross}"),
            );
        }
    }

    /// Checks a quantity of goods, which must be more than zero.
    pub(super) fn quantity(&mut self, field: &str, quantity: &Quantity) {
        if quantity.value.is_zero() {
            self.at(field, |c| c.report_at("value", "must be more than zero"));
        }
    }

    /// Checks a package count: zero only for goods in bulk or unpacked.
    pub(super) fn packages(&mut self, field: &str, packages: &Packages) {
        if packages.count == 0 && !packages.is_bulk_or_unpacked() {
            self.at(field, |c| {
                c.report_at(
                    "count",
                    format!(
                        "must be at least 1 unless the goods are in bulk or unpacked ({})",
                        Packages::BULK_OR_UNPACKED.join(", ")
                    ),
                )
            });
        }
    }

    /// Reports at `field` that `total` is not `sum`, the sum of `what`; `None` sums are
    /// too large to add up and reported as such.
    pub(super) fn total(&mut self, field: &str, total: Exact, sum: Option<Exact>, what: &str) {
        match sum {
            Some(sum) if sum == total => {}
            Some(sum) => self.report_at(field, format!("{total} is not the sum of {what}, {sum}")),
            None => self.report_at(field, format!("{what} are too large to add up")),
        }
    }
}

/// The exact sum of `values`, or `None` if it does not fit.
pub(super) fn sum(values: impl IntoIterator<Item = Exact>) -> Option<Exact> {
    values
        .into_iter()
        .try_fold(Exact::ZERO, |acc, v| acc.checked_add(v))
}

/// The problems of a document as `path: reason` lines, for tests to compare exactly.
#[cfg(test)]
pub(super) fn problem_lines(document: impl Into<Document>) -> Vec<String> {
    match validate(&document.into()) {
        Ok(()) => Vec::new(),
        Err(problems) => problems.iter().map(ToString::to_string).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_join_fields_and_positions() {
        let mut c = Checker::default();
        c.at("goods", |c| {
            c.at_index(3, |c| c.report_at("hs_code", "is wrong"));
        });
        c.report_at("lines", "is empty");
        assert_eq!(
            c.problems
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
            ["goods[3].hs_code: is wrong", "lines: is empty"]
        );
    }

    #[test]
    fn text_rules() {
        let problems = |value: &str, kind| {
            let mut c = Checker::default();
            c.text("f", value, kind);
            c.problems.into_iter().map(|p| p.reason).collect::<Vec<_>>()
        };
        assert!(problems("Алматы", Text::Line).is_empty());
        assert_eq!(problems(" \t", Text::Line), ["must not be empty"]);
        assert_eq!(
            problems(&"Ж".repeat(36), Text::Id),
            ["is 36 characters long; at most 35 are allowed"]
        );
        assert!(
            problems(&"Ж".repeat(35), Text::Id).is_empty(),
            "characters, not bytes"
        );
        assert_eq!(
            problems("two\nlines", Text::Line),
            ["must be one line without control characters"]
        );
        assert!(problems("two\nlines", Text::Paragraph).is_empty());
        assert_eq!(
            problems("bell\u{7}", Text::Body),
            ["must not contain control characters other than line breaks and tabs"]
        );
    }

    /// A small deterministic generator, so a failure repeats.
    struct XorShift(u64);

    impl XorShift {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    /// Replaces a randomly chosen leaf of `value` with a hostile value, or empties, floods
    /// or shortens a list.
    fn mutate(value: &mut serde_json::Value, rng: &mut XorShift) {
        use serde_json::Value;
        let hostile = [
            Value::from(""),
            Value::from(" "),
            Value::from("0"),
            Value::from("0.00"),
            Value::from("999999999999999999"),
            Value::from("999999999.999999999"),
            Value::from("0.000000001"),
            Value::from("x".repeat(2_000)),
            Value::from("Ж\n\u{0}"),
            Value::from("-1"),
            Value::from("1e9"),
            Value::from("2025-02-29"),
            Value::from("0000-01-01"),
            Value::from("9999-12-31T23:59:59Z"),
            Value::from("CSQU3054383"),
            Value::from("VY"),
            Value::from("FOB"),
            Value::from(0),
            Value::from(u32::MAX),
            Value::from(u64::MAX),
            Value::Null,
        ];
        match value {
            Value::Object(fields) if !fields.is_empty() => {
                let i = rng.below(fields.len());
                if let Some(v) = fields.values_mut().nth(i) {
                    mutate(v, rng);
                }
            }
            Value::Array(items) if !items.is_empty() && rng.below(4) > 0 => {
                let i = rng.below(items.len());
                mutate(&mut items[i], rng);
            }
            Value::Array(items) => match rng.below(3) {
                0 => items.clear(),
                1 if !items.is_empty() => {
                    let first = items[0].clone();
                    items.resize(1_000 + rng.below(50), first);
                }
                _ => {
                    items.pop();
                }
            },
            leaf => *leaf = hostile[rng.below(hostile.len())].clone(),
        }
    }

    /// Mangled examples either fail to decode, naming a field, or decode to documents that
    /// validate without panicking and survive a JSON round trip.
    #[test]
    fn mangled_documents_never_panic() {
        let mut rng = XorShift(0x5eed_ca5e_c0de_0011);
        let (mut decoded, mut refused) = (0, 0);
        for example in super::super::examples::all() {
            let original = serde_json::to_value(&example).expect("ser");
            for _ in 0..300 {
                let mut json = original.clone();
                for _ in 0..=rng.below(3) {
                    mutate(&mut json, &mut rng);
                }
                let text = json.to_string();
                let result: Result<Document, Problem> =
                    super::super::decode(&mut serde_json::Deserializer::from_str(&text));
                match result {
                    Ok(document) => {
                        decoded += 1;
                        let _ = validate(&document);
                        let again = serde_json::to_string(&document).expect("ser");
                        let back: Document = serde_json::from_str(&again).expect("de");
                        assert_eq!(back, document, "round trip of {text}");
                    }
                    Err(problem) => {
                        refused += 1;
                        assert!(!problem.reason.is_empty(), "{text}");
                    }
                }
            }
        }
        assert!(
            decoded > 300 && refused > 300,
            "both paths ran: {decoded} / {refused}"
        );
    }

    #[test]
    fn the_largest_numbers_are_checked_without_overflow() {
        let mut invoice = super::super::examples::example_single_invoice();
        let max = super::super::Decimal::parse("999999999999999999").expect("18 digits");
        let line = invoice.lines[0].clone();
        invoice.lines = vec![line; 9_999];
        for line in &mut invoice.lines {
            line.quantity.value = max.clone();
            line.unit_price = max.clone();
            line.value = max.clone();
        }
        let problems = validate(&invoice.into()).expect_err("values do not add up");
        assert!(problems.iter().any(|p| p.path == "lines[9998].value"));
        assert!(problems.iter().any(|p| p.path == "totals.value"));
    }
}
