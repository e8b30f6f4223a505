//! The files read back as a spreadsheet's CSV import reads them (LibreOffice: UTF-8, `;`,
//! `"` quotes; Excel in fr-BE the same), with the `csv` crate: every field comes back as it
//! was written, line breaks and quotes inside fields included.

use centrale_domain::adhesion::AdhesionStatus;
use centrale_domain::money::{Amount, Cents};
use centrale_domain::order::OrderStatus;
use centrale_exports::sheets::{self, Sheet};
use centrale_exports::table::BOM;
use centrale_exports::{Cell, Table};
use centrale_store::read::{CommuneRow, FrameworkCommuneValue, FrameworkValue, OrderLine};
use chrono::{NaiveDate, TimeZone, Utc};
use rust_decimal::Decimal;

/// The rows of a file as a spreadsheet imports them (the header included).
fn import(bytes: &[u8]) -> Vec<Vec<String>> {
    let text = bytes.strip_prefix(BOM).expect("a byte-order mark");
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .terminator(csv::Terminator::CRLF)
        .from_reader(text);
    reader
        .records()
        .map(|r| {
            r.expect("a well-formed line")
                .iter()
                .map(str::to_string)
                .collect()
        })
        .collect()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn awkward_text_comes_back_as_typed() {
    let nasty = [
        "Bertrix; Herbeumont",
        "Le \"Guichet\" 2027",
        "ligne 1\r\nligne 2\nligne 3",
        "  espaces  ",
        "Écaussinnes — « été »",
        "",
    ];
    let mut t = Table::new(vec!["Texte", "Montant (€)"]);
    for (i, text) in nasty.iter().enumerate() {
        t.push(vec![
            Cell::Text((*text).to_string()),
            Cell::Euros(Cents(i as i64 * 100_001)),
        ]);
    }
    let rows = import(&t.to_bytes());
    assert_eq!(rows.len(), nasty.len() + 1);
    assert_eq!(rows[0], ["Texte", "Montant (€)"]);
    for (i, text) in nasty.iter().enumerate() {
        assert_eq!(rows[i + 1][0], *text, "line {i}");
    }
    assert_eq!(rows[3][1], "2000,02");
}

fn commune(nis: &str, name: &str, status: Option<AdhesionStatus>) -> CommuneRow {
    CommuneRow {
        nis_code: nis.into(),
        name_fr: name.into(),
        name_nl: name.into(),
        arrondissement_fr: "Neufchâteau".into(),
        arrondissement_nis: "84000".into(),
        population: 8_712,
        population_date: day(2020, 1, 1),
        main_postal_code: "6880".into(),
        valid_from: None,
        valid_until: None,
        successor: None,
        current: true,
        adhesion_status: status,
        pending: false,
    }
}

#[test]
fn the_communes_with_their_adhesion() {
    let rows = import(
        &sheets::communes(&[
            commune("84009", "Bertrix", Some(AdhesionStatus::Active)),
            commune("84077", "Saint-Hubert", None),
        ])
        .to_bytes(),
    );
    assert_eq!(rows[0][0], "Code INS");
    assert_eq!(rows[0][9], "Adhésion à la centrale");
    assert_eq!(
        rows[1],
        [
            "84009",
            "Bertrix",
            "Bertrix",
            "Neufchâteau",
            "6880",
            "8712",
            "01/01/2020",
            "oui",
            "",
            "active"
        ]
    );
    assert_eq!(rows[2][9], "aucune");
}

#[test]
fn the_consumption_of_each_framework_per_commune() {
    let amount =
        |excl: i64| Amount::at_rate(Cents(excl), centrale_domain::money::VatRate::standard());
    let values = [
        FrameworkValue {
            framework_id: uuid::Uuid::nil(),
            reference: "CA-2025-01".into(),
            service_name: Some("E-guichet".into()),
            maximum: Some(Cents(50_000_000)),
            consumed: amount(3_000_050),
            remaining: Some(Cents(46_999_950)),
            consumed_percent: Some(Decimal::new(600, 2)),
            communes: vec![
                FrameworkCommuneValue {
                    commune_nis: "84009".into(),
                    commune_name: Some("Bertrix".into()),
                    orders: 2,
                    consumed: amount(2_000_050),
                },
                FrameworkCommuneValue {
                    commune_nis: "84077".into(),
                    commune_name: Some("Saint-Hubert".into()),
                    orders: 1,
                    consumed: amount(1_000_000),
                },
            ],
        },
        FrameworkValue {
            framework_id: uuid::Uuid::nil(),
            reference: "CA-2025-02".into(),
            service_name: None,
            maximum: None,
            consumed: Amount::default(),
            remaining: None,
            consumed_percent: None,
            communes: Vec::new(),
        },
    ];
    let rows = import(&sheets::consumption(&values).to_bytes());
    assert_eq!(rows.len(), 4);
    assert_eq!(
        rows[1],
        [
            "CA-2025-01",
            "E-guichet",
            "500000,00",
            "30000,50",
            "469999,50",
            "6",
            "Bertrix",
            "84009",
            "2",
            "20000,50",
            "24200,61"
        ]
    );
    assert_eq!(rows[2][6..9], ["Saint-Hubert", "84077", "1"]);
    assert_eq!(
        rows[3],
        ["CA-2025-02", "", "", "0,00", "", "", "", "", "", "", ""]
    );
}

#[test]
fn each_order_with_what_its_award_consumed() {
    let at = |d: u32, h: u32| Utc.with_ymd_and_hms(2027, 3, d, h, 0, 0).unwrap();
    let awarded = OrderLine {
        id: uuid::Uuid::nil(),
        title: "E-guichet; état civil \"2027\"".into(),
        commune_nis: "84009".into(),
        commune_name: Some("Bertrix".into()),
        service_name: Some("E-guichet".into()),
        framework_reference: Some("CA-2025-01".into()),
        framework_version: 2,
        status: OrderStatus::Awarded,
        created_at: at(1, 8),
        submitted_at: Some(at(2, 9)),
        deadline: Some(at(20, 11)),
        opened_at: Some(at(20, 11)),
        offers_received: Some(2),
        winner: Some("Nuagix Services SA".into()),
        direct_award: false,
        awarded_at: Some(at(27, 14)),
        awarded: Some(Amount::at_rate(
            Cents(1_234_567),
            centrale_domain::money::VatRate::standard(),
        )),
        purchase_order: None,
        purchase_order_at: None,
        pending: false,
    };
    let draft = OrderLine {
        status: OrderStatus::Draft,
        submitted_at: None,
        deadline: None,
        opened_at: None,
        offers_received: None,
        winner: None,
        awarded_at: None,
        awarded: None,
        ..awarded.clone()
    };
    let rows = import(&sheets::orders(&[awarded, draft]).to_bytes());
    assert_eq!(rows[0][15], "Montant attribué HTVA (€)");
    assert_eq!(
        rows[1][..18],
        [
            "E-guichet; état civil \"2027\"",
            "Bertrix",
            "84009",
            "E-guichet",
            "CA-2025-01",
            "2",
            "attribuée",
            "01/03/2027 09:00",
            "02/03/2027 10:00",
            "20/03/2027 12:00",
            "20/03/2027 12:00",
            "2",
            "Nuagix Services SA",
            "non",
            "27/03/2027 15:00",
            "12345,67",
            "2592,59",
            "14938,26",
        ]
    );
    assert_eq!(rows[2][6], "brouillon");
    assert!(rows[2][9..18].iter().all(String::is_empty), "{:?}", rows[2]);
}

#[test]
fn files_are_named_by_day_and_list() {
    assert_eq!(
        sheets::file_name(day(2026, 12, 14), Sheet::Consumption),
        "2026-12-14 Centrale - Consommation des accords-cadres.csv"
    );
}

/// Issue 16 point 5: « Qui utilise quoi » — one line per awarded call-off, as the screen lists
/// them.
#[test]
fn which_communes_use_which_solutions() {
    use centrale_domain::tracking::{FrameworkTracking, SolutionUse};
    let solution = SolutionUse {
        order_id: uuid::Uuid::from_u128(7),
        title: "Guichet; 2027".into(),
        commune_nis: "84009".into(),
        commune_name: Some("Bertrix".into()),
        service_id: uuid::Uuid::from_u128(1),
        service_name: Some("E-guichet".into()),
        framework_id: uuid::Uuid::from_u128(2),
        framework_reference: Some("CA-2025-01".into()),
        provider_id: uuid::Uuid::from_u128(3),
        provider_name: Some("Nuagix SA".into()),
        amount: Amount {
            excl_vat: Cents(123_456),
            vat: Cents(25_926),
            incl_vat: Cents(149_382),
        },
        status: OrderStatus::Deploying,
        awarded_at: Utc.with_ymd_and_hms(2026, 11, 30, 8, 15, 0).unwrap(),
    };
    let tracking = FrameworkTracking {
        today: day(2026, 12, 3),
        lead_months: 6,
        alert_percent: 80,
        ends: vec![],
        consumption: vec![],
        solutions: vec![solution],
        communes: vec![],
    };
    let rows = import(&sheets::solutions(&tracking).to_bytes());
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0][0], "Service");
    assert_eq!(rows[0][3], "Solution (prestataire retenu)");
    assert_eq!(
        rows[1],
        [
            "E-guichet",
            "Bertrix",
            "84009",
            "Nuagix SA",
            "CA-2025-01",
            "Guichet; 2027",
            "1234,56",
            "1493,82",
            "déploiement en cours",
            "30/11/2026 09:15",
        ]
    );
    assert_eq!(
        sheets::file_name(day(2026, 12, 14), Sheet::Solutions),
        "2026-12-14 Centrale - Qui utilise quoi.csv"
    );
}

/// Issue 12 §3: the running deployments, one line per milestone, read back as a Belgian
/// spreadsheet imports them: the commune named, dates dd/mm/yyyy, the state in French, the days
/// of delay counted to `today` for a late step only, the notes as typed.
#[test]
fn the_deployments_one_line_per_milestone() {
    use centrale_domain::deployment::{MilestoneKind, MilestoneStatus};
    use centrale_store::read::{DeploymentRow, MilestoneView, Progress};
    let milestone = |kind, planned: NaiveDate, actual, status, notes: &str| MilestoneView {
        id: uuid::Uuid::now_v7(),
        kind,
        planned_date: planned,
        baseline_date: day(2027, 4, 1),
        lead_time_days: None,
        replans: vec![],
        actual_date: actual,
        status,
        late: status == MilestoneStatus::Late,
        notes: notes.into(),
        acknowledged_at: None,
        acknowledged_by: None,
        pending: false,
    };
    let row = DeploymentRow {
        order_id: uuid::Uuid::nil(),
        title: "E-guichet; Bertrix".into(),
        commune_nis: "84009".into(),
        service_name: Some("E-guichet".into()),
        status: OrderStatus::Deploying,
        provider_id: None,
        provider_name: Some("Nuagix Services SA".into()),
        milestones: vec![
            milestone(
                MilestoneKind::Kickoff,
                day(2027, 4, 1),
                Some(day(2027, 4, 2)),
                MilestoneStatus::Done,
                "Réunion à l'hôtel de ville;\nprocès-verbal envoyé",
            ),
            milestone(
                MilestoneKind::Configuration,
                day(2027, 4, 20),
                None,
                MilestoneStatus::Late,
                "",
            ),
            milestone(
                MilestoneKind::GoLive,
                day(2027, 6, 1),
                None,
                MilestoneStatus::Planned,
                "",
            ),
        ],
        progress: Progress {
            done: 1,
            total: 3,
            late: 1,
        },
        next_action: None,
        pending: false,
        signer: None,
    };
    let communes = std::collections::HashMap::from([("84009".to_string(), "Bertrix".to_string())]);
    let rows = import(&sheets::deployments(&[row], &communes, day(2027, 5, 2)).to_bytes());
    assert_eq!(rows.len(), 4, "the header and one line per milestone");
    assert_eq!(
        rows[0],
        [
            "Commande",
            "Commune",
            "Code INS",
            "Service",
            "Prestataire",
            "Statut de la commande",
            "Étape",
            "Date prévue",
            "Date prévue au départ",
            "Date réelle",
            "État",
            "Jours de retard",
            "Remarques",
        ]
    );
    assert_eq!(rows[1][..3], ["E-guichet; Bertrix", "Bertrix", "84009"]);
    assert_eq!(rows[1][3..5], ["E-guichet", "Nuagix Services SA"]);
    assert_eq!(rows[1][5], OrderStatus::Deploying.label_fr());
    assert_eq!(rows[1][6], MilestoneKind::Kickoff.label_fr());
    assert_eq!(
        rows[1][7..],
        [
            "01/04/2027",
            "01/04/2027",
            "02/04/2027",
            "réalisée",
            "",
            "Réunion à l'hôtel de ville;\nprocès-verbal envoyé",
        ]
    );
    assert_eq!(
        rows[2][7..],
        ["20/04/2027", "01/04/2027", "", "en retard", "12", ""]
    );
    assert_eq!(rows[3][10..12], ["prévue", ""]);
}

/// Issue 16 §2: the accompaniment services, one line per service ordered, with what the
/// commune's accounting needs (amounts, dates, decision, invoice).
#[test]
fn the_accompaniment_services_with_their_invoice() {
    use centrale_domain::accompaniment::*;
    use centrale_domain::decision::{Decision, Organ};
    use centrale_domain::money::VatRate;
    use centrale_store::read::{AccompanimentRow, AccompanimentScreen};
    let now = Utc.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap();
    let mut list = AccompanimentPriceList { versions: vec![] };
    list.publish(
        vec![AccompanimentService {
            code: "formation".into(),
            label_fr: "Formation des agents".into(),
            description_fr: String::new(),
            unit: AccompanimentUnit::Day,
            price_cents: Cents(60_000),
            vat_rate: VatRate::standard(),
        }],
        "Tarifs 2026 de l'accompagnement",
        now,
    )
    .unwrap();
    let lines = [AccompanimentRequestLine {
        code: "formation".into(),
        quantity: Decimal::new(15, 1),
    }];
    let decision = Decision {
        organ: Organ::College,
        reference: "COL/2026/300".into(),
        date: day(2026, 11, 27),
        financial_opinion: None,
    };
    let mut o = order(
        NewOrder {
            id: uuid::Uuid::from_u128(1),
            commune_nis: "84009",
            title: "Formation à l'e-guichet",
            call_off: None,
            list: list.current(),
            lines: &lines,
            decision: &decision,
            ordered_by: "Anne Dubois",
        },
        now,
    )
    .unwrap();
    o.plan(&[PlannedLine {
        code: "formation".into(),
        planned_on: day(2026, 12, 10),
    }])
    .unwrap();
    o.record_delivery("formation", day(2026, 12, 10), day(2026, 12, 10))
        .unwrap();
    o.invoice(
        &[],
        "Thomas Henrotte",
        Utc.with_ymd_and_hms(2026, 12, 11, 9, 0, 0).unwrap(),
    )
    .unwrap();
    let screen = AccompanimentScreen {
        price_list: list.current().cloned(),
        legal_basis: LEGAL_BASIS_FR.into(),
        orders: vec![AccompanimentRow {
            order: o,
            commune_name: Some("Bertrix".into()),
            call_off_title: Some("E-guichet état civil 2027".into()),
            pending: false,
        }],
        call_offs: vec![],
    };
    let rows = import(&sheets::accompaniment(&screen).to_bytes());
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0][0], "Commune");
    assert_eq!(
        rows[1],
        [
            "Bertrix",
            "84009",
            "Formation à l'e-guichet",
            "E-guichet état civil 2027",
            "Facturé",
            "Formation des agents",
            "1,5",
            "jour",
            "600,00",
            "900,00",
            "1089,00",
            "10/12/2026",
            "10/12/2026",
            "COL/2026/300",
            "ACC-2026-0001",
            "11/12/2026",
            "10/01/2027",
        ]
    );
    assert_eq!(
        sheets::file_name(day(2026, 12, 11), Sheet::Accompaniment),
        "2026-12-11 Centrale - Accompagnement de l'intercommunale.csv"
    );
}

/// Issue 16 §3: the answers sent to the needs surveys, one line per commune and question in
/// the survey's order, choices by their words, numbers left as numbers to be summed.
#[test]
fn the_answers_to_the_needs_surveys_one_line_per_commune_and_question() {
    use centrale_domain::survey::*;
    let now = Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap();
    let survey = publish(
        uuid::Uuid::from_u128(5),
        &SurveyDraft {
            title: "Besoins smart city 2027".into(),
            intro: String::new(),
            closes_on: day(2027, 1, 31),
            themes: vec![SurveyTheme {
                title_fr: "Mobilité".into(),
                questions: vec![
                    SurveyQuestion {
                        code: "mobilite".into(),
                        text_fr: "Quels services vous manquent ?".into(),
                        help_fr: String::new(),
                        required: true,
                        kind: QuestionKind::Choice {
                            choices: vec![
                                SurveyChoice {
                                    code: "parking".into(),
                                    label_fr: "Stationnement intelligent".into(),
                                },
                                SurveyChoice {
                                    code: "velos".into(),
                                    label_fr: "Comptage des vélos".into(),
                                },
                            ],
                            multiple: true,
                        },
                    },
                    SurveyQuestion {
                        code: "parkings".into(),
                        text_fr: "Combien de parkings ?".into(),
                        help_fr: String::new(),
                        required: false,
                        kind: QuestionKind::Number {
                            unit_fr: "parkings".into(),
                            max: 500,
                        },
                    },
                ],
            }],
        },
        "Claire Martin",
        now,
    )
    .unwrap();
    let response = |nis: &str, answers: Vec<SurveyAnswer>| SurveyResponse {
        survey_id: survey.id,
        commune_nis: nis.into(),
        answers,
        status: ResponseStatus::Sent,
        saved_by: "DG".into(),
        saved_at: now,
        sent: Some(ResponseSignature {
            name: "Marie Lambert".into(),
            title: "directrice générale".into(),
            at: now,
        }),
    };
    let responses = vec![
        response(
            "84009",
            vec![
                SurveyAnswer {
                    question: "mobilite".into(),
                    value: AnswerValue::Choices(vec!["parking".into(), "velos".into()]),
                },
                SurveyAnswer {
                    question: "parkings".into(),
                    value: AnswerValue::Number(12),
                },
            ],
        ),
        response(
            "81001",
            vec![SurveyAnswer {
                question: "mobilite".into(),
                value: AnswerValue::Choices(vec!["velos".into()]),
            }],
        ),
    ];
    let names = std::collections::HashMap::from([
        ("84009".to_string(), "Bertrix".to_string()),
        ("81001".to_string(), "Arlon".to_string()),
    ]);
    let rows = import(&sheets::survey_answers(&[(survey, responses)], &names).to_bytes());
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[0][..3], ["Enquête", "Clôture", "Commune"]);
    // Arlon before Bertrix; Bertrix's two answers in the survey's order.
    assert_eq!(rows[1][2], "Arlon");
    assert_eq!(
        rows[2],
        [
            "Besoins smart city 2027",
            "31/01/2027",
            "Bertrix",
            "84009",
            "Marie Lambert, directrice générale",
            "01/12/2026 10:00",
            "Mobilité",
            "Quels services vous manquent ?",
            "Stationnement intelligent ; Comptage des vélos",
            "",
        ]
    );
    assert_eq!(rows[3][8..], ["12 parkings", "12"]);
    assert_eq!(
        sheets::file_name(day(2026, 12, 11), Sheet::SurveyAnswers),
        "2026-12-11 Centrale - Réponses aux enquêtes.csv"
    );
}
