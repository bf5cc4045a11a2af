//! What the integration tests share: documents beyond the examples, a deterministic
//! generator and the mutations it drives.
#![allow(dead_code)] // each test file uses a part

use serde_json::Value;
use sis_customs::documents::examples::*;
use sis_customs::documents::{
    CarrierEventKind, CarrierStatus, ContainerNumber, Document, DocumentType, Flow,
    HsChapterOrHeading, InspectionResult, Lane, Outcome, Plate, Procedure, References,
    ViolationType,
};
use sis_customs::{CountryCode, TransportMode};

pub fn country(code: &str) -> CountryCode {
    CountryCode::parse(code).expect("an assigned code")
}

/// A small deterministic generator, so that a failure repeats.
pub struct XorShift(pub u64);

impl XorShift {
    pub fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// Documents beyond the examples, so that every enumeration value, every choice, every
/// absent optional field, every empty list and text that needs escaping is written.
pub fn variants() -> Vec<Document> {
    let mut docs: Vec<Document> = Vec::new();

    let mut invoice = example_single_invoice();
    invoice.transport_mode = None;
    invoice.seller.name = r#"Altyn & Dala <Milling> "LLP" 'KZ' ]]>"#.to_owned();
    invoice.lines[0].description =
        "Мука пшеничная\r\nвысший сорт\tв мешках; 小麦粉; 𝔐𝔲𝔨𝔞 \r".to_owned();
    invoice.buyer.address = vec![
        "  leading and trailing spaces  ".to_owned(),
        "Amir Temur ko'chasi 107".to_owned(),
        "Yunusobod".to_owned(),
        "office &amp; 4".to_owned(),
    ];
    invoice.buyer.postcode = None;
    invoice.buyer.tax_id = None;
    docs.push(invoice.into());

    let mut rail = example_preliminary_information();
    rail.transport_mode = TransportMode::parse("2").expect("rail");
    rail.vehicle = None;
    rail.trailers.clear();
    rail.containers.clear();
    rail.references = References {
        invoice_number: None,
        transit_number: None,
    };
    docs.push(rail.into());

    let mut road = example_preliminary_information();
    road.vehicle = Some(Plate {
        number: "А 123 ВС-02".to_owned(),
        country: country("KZ"),
    });
    road.trailers = ["45 AKA 02", "46 AKA 02", "Ⓐ 47"]
        .map(|number| Plate {
            number: number.to_owned(),
            country: country("KZ"),
        })
        .into();
    road.containers = ["CSQU3054383", "MSKU9070323", "HLXU0000050"]
        .map(|c| ContainerNumber::parse(c).expect("valid check digit"))
        .into();
    docs.push(road.into());

    for status in [
        CarrierStatus::Approved,
        CarrierStatus::Suspended,
        CarrierStatus::Withdrawn,
    ] {
        let mut record = example_carrier_record();
        record.status = status;
        record.valid_to = None;
        docs.push(record.into());
    }

    let kinds = [
        ViolationType::UndeclaredGoods,
        ViolationType::FalseDeclaration,
        ViolationType::SealTampering,
        ViolationType::RouteDeviation,
        ViolationType::LateDelivery,
        ViolationType::DocumentIrregularity,
        ViolationType::Other,
    ]
    .map(|violation_type| CarrierEventKind::Violation {
        violation_type,
        description: "Found\non arrival.".to_owned(),
    })
    .into_iter()
    .chain([CarrierEventKind::CleanTrip])
    .chain(
        [
            CarrierStatus::Approved,
            CarrierStatus::Suspended,
            CarrierStatus::Withdrawn,
        ]
        .map(|to| CarrierEventKind::StatusChange { to }),
    );
    for kind in kinds {
        let mut event = example_carrier_event();
        event.kind = kind;
        docs.push(event.into());
    }

    let mut letter = example_official_letter();
    letter.attachments.clear();
    letter.reply_to = None;
    letter.deadline = None;
    letter.recipients.push(sis_customs::documents::Agency {
        country: country("TJ"),
        name: "Customs Service under the Government of the Republic of Tajikistan".to_owned(),
    });
    letter.body = "Уважаемые коллеги,\r\n\r\n\tпросим сообщить <результаты> & сроки.".to_owned();
    docs.push(letter.into());

    let mut long_letter = example_official_letter();
    long_letter.body = "Ж".repeat(100_000);
    docs.push(long_letter.into());

    for procedure in [
        Procedure::Import,
        Procedure::Export,
        Procedure::Transit,
        Procedure::TemporaryAdmission,
        Procedure::ReExport,
    ] {
        let mut application = example_sw_application();
        application.procedure = procedure;
        application.documents[0].issued_on = None;
        docs.push(application.into());
    }
    let mut bare = example_sw_application();
    bare.documents.clear();
    docs.push(bare.into());

    for outcome in [
        Outcome::Approved,
        Outcome::Rejected,
        Outcome::MoreInfoNeeded,
    ] {
        let mut decision = example_sw_decision();
        decision.outcome = outcome;
        docs.push(decision.into());
    }
    let mut approved = example_sw_decision();
    approved.reasons.clear();
    docs.push(approved.into());

    let mut statistics = example_trade_statistics();
    statistics.flow = Flow::Import;
    statistics.hs = HsChapterOrHeading::parse("11").expect("a chapter");
    statistics.quantity = None;
    docs.push(statistics.into());

    for lane in [Lane::Green, Lane::Yellow, Lane::Red] {
        let mut profile = example_risk_profile();
        profile.lane = lane;
        docs.push(profile.into());
        let mut hit = example_risk_hit();
        hit.lane = lane;
        docs.push(hit.into());
    }
    for document_type in [DocumentType::SingleInvoice, DocumentType::SwApplication] {
        let mut profile = example_risk_profile();
        profile.document_type = document_type;
        profile
            .criteria
            .retain(|c| c.field.as_str() == "transport_mode");
        if document_type == DocumentType::SwApplication {
            profile.criteria = example_risk_profile().criteria[..1].to_vec();
        }
        docs.push(profile.into());
    }
    let mut found = example_risk_hit();
    found.result = InspectionResult::Found;
    found.notes = Some("200 kg of undeclared sugar behind the flour.".to_owned());
    docs.push(found.into());
    let mut quiet = example_risk_hit();
    quiet.notes = None;
    docs.push(quiet.into());

    docs
}

/// `text` with the first `from` replaced by `to`; `from` must be there, or the test would
/// check the unchanged text.
pub fn replace_once(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "{from:?} is in the text:\n{text}");
    text.replacen(from, to, 1)
}

/// Every string in `value`, object keys left out.
pub fn strings<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
    match value {
        Value::String(s) => out.push(s),
        Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
        Value::Object(fields) => fields.values().for_each(|v| strings(v, out)),
        _ => {}
    }
}

/// Replaces a randomly chosen leaf of `value` with a hostile value, or empties, floods or
/// shortens a list.
pub fn mutate(value: &mut Value, rng: &mut XorShift) {
    let hostile = [
        Value::from(""),
        Value::from(" "),
        Value::from("  padded  "),
        Value::from("0"),
        Value::from("0.00"),
        Value::from("7"),
        Value::from("999999999999999999"),
        Value::from("999999999.999999999"),
        Value::from("0.000000001"),
        Value::from("x".repeat(2_000)),
        Value::from("Ж".repeat(35)),
        Value::from("a & b < c > d \"e\" 'f'"),
        Value::from("]]>"),
        Value::from("&amp;"),
        Value::from("<x/>"),
        Value::from("two\r\nlines\rand\nmore"),
        Value::from("tab\there"),
        Value::from("bell\u{7}"),
        Value::from("nul\u{0}"),
        Value::from("\u{85}next line"),
        Value::from("\u{FEFF}bom"),
        Value::from("e\u{301} 𝔘 小麦"),
        Value::from("KZ"),
        Value::from("UZ"),
        Value::from("USD"),
        Value::from("KGM"),
        Value::from("110100"),
        Value::from("1101"),
        Value::from("2024-02-29"),
        Value::from("2025-02-29"),
        Value::from("2025-03-14T06:30:00Z"),
        Value::from("approved"),
        Value::from("red"),
        Value::from("import"),
        Value::from("preliminary-information"),
        Value::from("goods[].hs_code"),
        Value::from("CSQU3054383"),
        Value::from(0),
        Value::from(1),
        Value::from(u64::from(u32::MAX) + 1),
        Value::from(u64::MAX),
    ];
    match value {
        Value::Object(fields) => {
            if fields.is_empty() {
                return;
            }
            let n = rng.below(fields.len());
            if let Some((_, v)) = fields.iter_mut().nth(n) {
                mutate(v, rng);
            }
        }
        Value::Array(items) => match rng.below(4) {
            0 => items.clear(),
            1 if !items.is_empty() => {
                let first = items[0].clone();
                items.resize(1_000 + rng.below(50), first);
            }
            2 if !items.is_empty() => {
                let n = rng.below(items.len());
                mutate(&mut items[n], rng);
            }
            _ => {
                items.pop();
            }
        },
        leaf => *leaf = hostile[rng.below(hostile.len())].clone(),
    }
}
