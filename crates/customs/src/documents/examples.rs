//! One realistic, valid document of each type, all about the same consignment: 18.8 t of
//! flour, pasta and sunflower oil sold by a Kostanay mill to a Tashkent wholesaler, carried
//! by a Kazakh truck through the Gisht Kuprik crossing. For tests here and for the XML and
//! EDIFACT round trips and property tests elsewhere; each call builds a fresh value.

use super::*;
use crate::{CountryCode, CurrencyCode, HsCode, Incoterm, PackageType, TransportMode, UnitCode};

// The values below are literals of this file; each `expect` states that a literal is valid.

fn country(code: &str) -> CountryCode {
    CountryCode::parse(code).expect("an assigned country code")
}

fn dec(value: &str) -> Decimal {
    Decimal::parse(value).expect("a well-formed decimal")
}

fn kg(value: &str) -> Kilograms {
    Kilograms(dec(value))
}

fn quantity(value: &str, unit: &str) -> Quantity {
    Quantity {
        value: dec(value),
        unit: UnitCode::parse(unit).expect("a current Rec 20 unit"),
    }
}

fn usd(value: &str) -> Amount {
    Amount::new(dec(value), CurrencyCode::parse("USD").expect("ISO 4217")).expect("cents at most")
}

fn packages(count: u32, kind: &str) -> Packages {
    Packages {
        count,
        kind: PackageType::parse(kind).expect("a current Rec 21 type"),
    }
}

fn hs(code: &str) -> HsCode {
    HsCode::parse(code).expect("an HS 2022 subheading")
}

fn date(s: &str) -> Date {
    Date::parse(s).expect("a real date")
}

fn date_time(s: &str) -> DateTime {
    DateTime::parse(s).expect("a UTC date-time")
}

fn road() -> TransportMode {
    TransportMode::parse("3").expect("Rec 19 road transport")
}

fn party(name: &str, address: &str, city: &str, postcode: &str, cc: &str, tax_id: &str) -> Party {
    Party {
        name: name.to_owned(),
        address: vec![address.to_owned()],
        city: city.to_owned(),
        postcode: Some(postcode.to_owned()),
        country: country(cc),
        tax_id: Some(tax_id.to_owned()),
    }
}

fn agency(cc: &str, name: &str) -> Agency {
    Agency {
        country: country(cc),
        name: name.to_owned(),
    }
}

pub fn example_seller() -> Party {
    party(
        "Altyn Dala Milling LLP",
        "Promyshlennaya zona 12",
        "Kostanay",
        "110000",
        "KZ",
        "081240012345",
    )
}

pub fn example_buyer() -> Party {
    party(
        "Toshkent Oziq-Ovqat Savdo LLC",
        "Amir Temur ko'chasi 107",
        "Tashkent",
        "100084",
        "UZ",
        "305123456",
    )
}

pub fn example_carrier() -> Party {
    party(
        "Trans Asia Logistics LLP",
        "Raiymbek avenue 221",
        "Almaty",
        "050061",
        "KZ",
        "100440023456",
    )
}

const INVOICE_NUMBER: &str = "ADM-2025/0314";
const PRELIMINARY_REFERENCE: &str = "KZ-PI-2025-000871";
const APPLICATION_REFERENCE: &str = "UZSW-2025-0031487";
const LICENCE_NUMBER: &str = "KZ-TIR-042317";
const TIR_CARNET: &str = "XC73510442";

/// One kind of the consignment's goods, as written on the invoice.
struct Goods {
    hs_code: &'static str,
    description: &'static str,
    quantity: &'static str,
    unit: &'static str,
    unit_price: &'static str,
    value: &'static str,
    net_kg: &'static str,
    gross_kg: &'static str,
    packages: u32,
    package_type: &'static str,
}

const GOODS: [Goods; 3] = [
    Goods {
        hs_code: "110100",
        description: "Wheat flour, premium grade, in 50 kg polypropylene bags",
        quantity: "12000",
        unit: "KGM",
        unit_price: "0.32",
        value: "3840.00",
        net_kg: "12000",
        gross_kg: "12060",
        packages: 240,
        package_type: "BG",
    },
    Goods {
        hs_code: "190219",
        description: "Pasta (spaghetti), uncooked, without eggs, in 10 kg cartons",
        quantity: "4000",
        unit: "KGM",
        unit_price: "0.95",
        value: "3800.00",
        net_kg: "4000",
        gross_kg: "4180",
        packages: 400,
        package_type: "CT",
    },
    Goods {
        hs_code: "151219",
        description: "Refined sunflower oil in 5 l PET bottles, two to a carton",
        quantity: "3000",
        unit: "LTR",
        unit_price: "1.45",
        value: "4350.00",
        net_kg: "2760",
        gross_kg: "3000",
        packages: 300,
        package_type: "CT",
    },
];

fn goods_items() -> Vec<GoodsItem> {
    GOODS
        .iter()
        .map(|g| GoodsItem {
            hs_code: hs(g.hs_code),
            description: g.description.to_owned(),
            quantity: quantity(g.quantity, g.unit),
            gross_weight_kg: kg(g.gross_kg),
            net_weight_kg: kg(g.net_kg),
            value: usd(g.value),
            packages: packages(g.packages, g.package_type),
        })
        .collect()
}

/// An invoice in USD with three lines, DAP Tashkent by road.
pub fn example_single_invoice() -> SingleInvoice {
    SingleInvoice {
        number: INVOICE_NUMBER.to_owned(),
        issue_date: date("2025-03-10"),
        seller: example_seller(),
        buyer: example_buyer(),
        manufacturer: party(
            "Altyn Dala Milling LLP, Mill No. 2",
            "Zavodskaya 3",
            "Rudny",
            "111500",
            "KZ",
            "081240012345",
        ),
        country_of_origin: country("KZ"),
        incoterms: IncotermsTerm {
            rule: Incoterm::parse("DAP").expect("an Incoterms 2020 rule"),
            place: "Tashkent, Sergeli wholesale terminal".to_owned(),
        },
        transport_mode: Some(road()),
        currency: CurrencyCode::parse("USD").expect("ISO 4217"),
        lines: GOODS
            .iter()
            .map(|g| InvoiceLine {
                hs_code: hs(g.hs_code),
                description: g.description.to_owned(),
                quantity: quantity(g.quantity, g.unit),
                unit_price: dec(g.unit_price),
                value: dec(g.value),
                net_weight_kg: kg(g.net_kg),
                gross_weight_kg: kg(g.gross_kg),
                packages: packages(g.packages, g.package_type),
            })
            .collect(),
        totals: InvoiceTotals {
            value: dec("11990.00"),
            net_weight_kg: kg("18760"),
            gross_weight_kg: kg("19240"),
            packages: 940,
        },
    }
}

/// Advance information on a Kazakh truck carrying the invoiced goods to Uzbekistan.
pub fn example_preliminary_information() -> PreliminaryInformation {
    PreliminaryInformation {
        reference: PRELIMINARY_REFERENCE.to_owned(),
        correlation_id: CorrelationId::parse("0195903c-7a4e-7c1d-9b2f-4c8e1a2b3c4d")
            .expect("a canonical UUID"),
        declarant: party(
            "Kedendik Broker LLP",
            "Dostyk avenue 38, office 512",
            "Almaty",
            "050010",
            "KZ",
            "120540019876",
        ),
        consignor: example_seller(),
        consignee: example_buyer(),
        carrier: example_carrier(),
        transport_mode: road(),
        vehicle: Some(Plate {
            number: "123 ABZ 02".to_owned(),
            country: country("KZ"),
        }),
        trailers: vec![Plate {
            number: "45 AKA 02".to_owned(),
            country: country("KZ"),
        }],
        containers: vec![ContainerNumber::parse("CSQU3054383").expect("check digit 3")],
        border_crossing: BorderCrossing {
            code: "UZ26010".to_owned(),
            name: "Gisht Kuprik".to_owned(),
        },
        departure: Place {
            country: country("KZ"),
            name: "Kostanay".to_owned(),
        },
        destination: Place {
            country: country("UZ"),
            name: "Tashkent".to_owned(),
        },
        expected_arrival: date_time("2025-03-14T06:30:00Z"),
        goods: goods_items(),
        references: References {
            invoice_number: Some(INVOICE_NUMBER.to_owned()),
            transit_number: Some(TIR_CARNET.to_owned()),
        },
    }
}

/// Kazakhstan's record of the carrier's TIR licence.
pub fn example_carrier_record() -> CarrierRecord {
    CarrierRecord {
        carrier: example_carrier(),
        licence_number: LICENCE_NUMBER.to_owned(),
        valid_from: date("2023-03-01"),
        valid_to: Some(date("2028-02-29")),
        status: CarrierStatus::Approved,
        registering_country: country("KZ"),
    }
}

/// Uzbekistan reports a broken seal on the carrier's trailer.
pub fn example_carrier_event() -> CarrierEvent {
    CarrierEvent {
        licence_number: LICENCE_NUMBER.to_owned(),
        licensing_country: country("KZ"),
        kind: CarrierEventKind::Violation {
            violation_type: ViolationType::SealTampering,
            description: "Customs seal No. 0047712 on semi-trailer 45 AKA 02 found broken on \
                          arrival at Gisht Kuprik; the goods matched the declaration."
                .to_owned(),
        },
        date: date("2025-03-14"),
        reporting_country: country("UZ"),
    }
}

/// Kazakhstan's customs answer Uzbekistan's letter about the seal, with the inspection act.
pub fn example_official_letter() -> OfficialLetter {
    OfficialLetter {
        registration_number: "01-15/2317".to_owned(),
        registered_on: date("2025-03-17"),
        sender: agency(
            "KZ",
            "State Revenue Committee of the Ministry of Finance of the Republic of Kazakhstan",
        ),
        recipients: vec![agency(
            "UZ",
            "Customs Committee of the Republic of Uzbekistan",
        )],
        subject: format!("Broken customs seal No. 0047712, TIR carnet {TIR_CARNET}"),
        body: "The seal was applied at the Kostanay customs post on 12 March 2025; the act of \
               its application is attached.\n\nPlease send the results of your inspection \
               of the goods by the deadline."
            .to_owned(),
        attachments: vec![Attachment {
            name: "seal-act-0047712.pdf".to_owned(),
            media_type: "application/pdf".to_owned(),
            sha256: Sha256Digest::parse(
                "109d5b6b65a6d0c3141cc595dad68c1fe2ce234433c14e7900490f094cfeef8b",
            )
            .expect("64 lower-case hex digits"),
            size_bytes: 284_311,
        }],
        reply_to: Some("26-2/1184".to_owned()),
        deadline: Some(date("2025-04-17")),
    }
}

/// Uzbekistan's customs registered Kazakhstan's letter about the seal.
pub fn example_letter_acknowledgement() -> LetterAcknowledgement {
    LetterAcknowledgement {
        letter: "01-15/2317".to_owned(),
        registration_number: "UZ-IN-2025-000045".to_owned(),
        recipient: agency("UZ", "Customs Committee of the Republic of Uzbekistan"),
        state: LetterState::Registered,
        at: date_time("2025-03-17T10:42:05Z"),
    }
}

/// The buyer's import declaration through Uzbekistan's Single Window.
pub fn example_sw_application() -> SwApplication {
    let document = |kind: &str, number: &str, issued_on: &str| ReferencedDocument {
        kind: kind.to_owned(),
        number: number.to_owned(),
        issued_on: Some(date(issued_on)),
    };
    SwApplication {
        reference: APPLICATION_REFERENCE.to_owned(),
        country: country("UZ"),
        submitted_at: date_time("2025-03-12T09:15:00Z"),
        applicant: example_buyer(),
        procedure: Procedure::Import,
        goods: goods_items(),
        documents: vec![
            document("invoice", INVOICE_NUMBER, "2025-03-10"),
            document(
                "certificate of origin CT-1",
                "KZ 2025 0312345",
                "2025-03-11",
            ),
            document("phytosanitary certificate", "KZ-FS-25-011873", "2025-03-11"),
        ],
        agencies: vec![
            agency("UZ", "Customs Committee of the Republic of Uzbekistan"),
            agency("UZ", "Agency for Plant Quarantine and Protection"),
            agency(
                "UZ",
                "Sanitary and Epidemiological Welfare and Public Health Service",
            ),
        ],
    }
}

/// The plant quarantine agency approves the application.
pub fn example_sw_decision() -> SwDecision {
    SwDecision {
        application_reference: APPLICATION_REFERENCE.to_owned(),
        agency: agency("UZ", "Agency for Plant Quarantine and Protection"),
        outcome: Outcome::Approved,
        reasons: vec![
            "Phytosanitary certificate KZ-FS-25-011873 verified; the flour is free of \
             quarantine pests."
                .to_owned(),
        ],
        decided_on: date("2025-03-13"),
    }
}

/// Kazakhstan's February exports of wheat flour to Uzbekistan.
pub fn example_trade_statistics() -> TradeStatistics {
    TradeStatistics {
        reporter: country("KZ"),
        partner: country("UZ"),
        flow: Flow::Export,
        hs: HsChapterOrHeading::parse("1101").expect("an HS 2022 heading"),
        period: YearMonth::parse("2025-02").expect("a month"),
        value: usd("18452300.00"),
        quantity: Some(quantity("61507000", "KGM")),
    }
}

/// Kazakhstan's profile for heavy road consignments of flour, shared with its neighbours.
pub fn example_risk_profile() -> RiskProfile {
    let criterion = |field: &str, test: Test| Criterion {
        field: FieldPath::parse(field).expect("a well-formed path"),
        test,
    };
    RiskProfile {
        id: "KZ-RP-2025-017".to_owned(),
        owner: country("KZ"),
        name: "Wheat flour in heavy road consignments".to_owned(),
        document_type: DocumentType::PreliminaryInformation,
        criteria: vec![
            criterion("goods[].hs_code", Test::Prefix("1101".to_owned())),
            criterion("transport_mode", Test::Eq("3".to_owned())),
            criterion("goods[].gross_weight_kg", Test::Gt("10000".to_owned())),
            criterion(
                "departure.country",
                Test::In(vec!["KZ".to_owned(), "RU".to_owned()]),
            ),
            criterion(
                "expected_arrival",
                Test::Lt("2026-01-01T00:00:00Z".to_owned()),
            ),
        ],
        lane: Lane::Yellow,
        valid_from: date("2025-01-01"),
        valid_to: date("2025-12-31"),
    }
}

/// Uzbekistan's documentary check after the profile hit the advance information.
pub fn example_risk_hit() -> RiskHit {
    RiskHit {
        profile_id: "KZ-RP-2025-017".to_owned(),
        profile_owner: country("KZ"),
        document: DocumentRef {
            document_type: DocumentType::PreliminaryInformation,
            number: PRELIMINARY_REFERENCE.to_owned(),
        },
        lane: Lane::Yellow,
        result: InspectionResult::NothingFound,
        notes: Some(
            "Documents checked at Gisht Kuprik: weights and HS codes match the invoice.".to_owned(),
        ),
        reporting_country: country("UZ"),
        reported_at: date_time("2025-03-14T08:05:00Z"),
    }
}

/// One example of each type, in [`DocumentType::ALL`] order.
pub fn all() -> Vec<Document> {
    vec![
        example_single_invoice().into(),
        example_preliminary_information().into(),
        example_carrier_record().into(),
        example_carrier_event().into(),
        example_official_letter().into(),
        example_letter_acknowledgement().into(),
        example_sw_application().into(),
        example_sw_decision().into(),
        example_trade_statistics().into(),
        example_risk_profile().into(),
        example_risk_hit().into(),
    ]
}
