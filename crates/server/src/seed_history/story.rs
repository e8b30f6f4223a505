//! The story the demo history tells: each commune's adhesion and each order.
//!
//! Days are counted back from `now`'s Brussels date (1 = yesterday; negative = ahead). Every
//! act is on a past day, at office hours, so the whole story is before `now`.

use centrale_domain::deployment::MilestoneKind;
use chrono::NaiveDate;
use serde_json::{json, Value};

/// One commune's adhesion.
pub(super) struct AdhesionPlan {
    pub(super) nis: &'static str,
    /// Collège decision (and the draft started the same morning by the director general).
    pub(super) college: i64,
    pub(super) college_ref: u32,
    pub(super) dg_sign: i64,
    pub(super) mayor_sign: i64,
    pub(super) countersign: Option<i64>,
    pub(super) activate: Option<i64>,
}

pub(super) const ADHESIONS: &[AdhesionPlan] = &[
    AdhesionPlan {
        nis: "84009",
        college: 341,
        college_ref: 27,
        dg_sign: 337,
        mayor_sign: 336,
        countersign: Some(323),
        activate: Some(320),
    },
    AdhesionPlan {
        nis: "81001",
        college: 322,
        college_ref: 12,
        dg_sign: 318,
        mayor_sign: 317,
        countersign: Some(303),
        activate: Some(300),
    },
    AdhesionPlan {
        nis: "83034",
        college: 290,
        college_ref: 64,
        dg_sign: 286,
        mayor_sign: 285,
        countersign: Some(273),
        activate: Some(270),
    },
    AdhesionPlan {
        nis: "85045",
        college: 257,
        college_ref: 88,
        dg_sign: 252,
        mayor_sign: 250,
        countersign: Some(238),
        activate: Some(235),
    },
    AdhesionPlan {
        nis: "82039",
        college: 221,
        college_ref: 131,
        dg_sign: 216,
        mayor_sign: 215,
        countersign: Some(203),
        activate: Some(200),
    },
    AdhesionPlan {
        nis: "84043",
        college: 183,
        college_ref: 156,
        dg_sign: 178,
        mayor_sign: 176,
        countersign: Some(163),
        activate: Some(160),
    },
    AdhesionPlan {
        nis: "81004",
        college: 143,
        college_ref: 203,
        dg_sign: 138,
        mayor_sign: 137,
        countersign: Some(123),
        activate: Some(120),
    },
    AdhesionPlan {
        nis: "83012",
        college: 97,
        college_ref: 241,
        dg_sign: 92,
        mayor_sign: 91,
        countersign: Some(78),
        activate: Some(75),
    },
    // Countersigned, to activate.
    AdhesionPlan {
        nis: "85011",
        college: 36,
        college_ref: 288,
        dg_sign: 31,
        mayor_sign: 30,
        countersign: Some(5),
        activate: None,
    },
    // Signed by the commune, to countersign.
    AdhesionPlan {
        nis: "85046",
        college: 19,
        college_ref: 301,
        dg_sign: 14,
        mayor_sign: 12,
        countersign: None,
        activate: None,
    },
];

/// One provider's answer to a mini-competition.
pub(super) struct OfferPlan {
    pub(super) provider: &'static str,
    /// Day of submission (`None`: has not answered yet).
    pub(super) submitted: Option<i64>,
    /// Unit prices as a percentage of the ceilings.
    pub(super) price_pct: i64,
    /// Quality points as a percentage of each criterion's weight.
    pub(super) quality_pct: i64,
    pub(super) lead_time_days: u32,
    pub(super) notes: &'static str,
}

pub(super) struct CompetitionPlan {
    pub(super) launched: i64,
    /// Negative: a deadline still ahead on `now`.
    pub(super) deadline: i64,
    pub(super) offers: [OfferPlan; 2],
    pub(super) evaluated: Option<i64>,
    /// The offer ranked first (index in `offers`): its lead time plans the milestones (rule
    /// 16); the player checks the ranking agrees.
    pub(super) winner: usize,
}

pub(super) struct OrderPlan {
    pub(super) key: &'static str,
    pub(super) nis: &'static str,
    pub(super) service: &'static str,
    pub(super) title: &'static str,
    pub(super) description: &'static str,
    /// Price line code and quantity.
    pub(super) lines: &'static [(&'static str, &'static str)],
    pub(super) sites: &'static [&'static str],
    /// Who writes the draft (a commune account).
    pub(super) author: &'static str,
    pub(super) created: i64,
    pub(super) submitted: Option<i64>,
    pub(super) competition: Option<CompetitionPlan>,
    /// A direct award on the framework's terms, to this provider.
    pub(super) direct_to: Option<&'static str>,
    pub(super) awarded: Option<i64>,
    pub(super) purchase_order: Option<i64>,
    /// The milestone the provider has let slip (late on `now`).
    pub(super) late: Option<MilestoneKind>,
}

pub(super) const fn offer(
    provider: &'static str,
    submitted: i64,
    price_pct: i64,
    quality_pct: i64,
    lead_time_days: u32,
    notes: &'static str,
) -> OfferPlan {
    OfferPlan {
        provider,
        submitted: Some(submitted),
        price_pct,
        quality_pct,
        lead_time_days,
        notes,
    }
}

pub(super) const EG_DESCRIPTION: &str = "E-guichet pour les actes d'état civil et de population : commande en ligne des certificats et extraits, paiement des redevances, liaison BAEC et Registre national.";
pub(super) const SV_DESCRIPTION: &str = "Application de signalement des problèmes de voirie (nids-de-poule, éclairage, dépôts sauvages) avec suivi par le service des travaux et réponse aux citoyens.";
pub(super) const PS_DESCRIPTION: &str = "Paiement en ligne des repas, garderies et activités des écoles communales, avec tablettes de pointage dans chaque implantation.";
pub(super) const SE_DESCRIPTION: &str = "Suivi des consommations d'énergie des bâtiments communaux : passerelles, sous-compteurs, tableau de bord et rapport annuel.";
pub(super) const QA_DESCRIPTION: &str = "Réseau de capteurs de qualité de l'air (particules fines, NO2) aux abords des écoles et des axes fréquentés, avec données ouvertes.";
pub(super) const PC_DESCRIPTION: &str = "Plateforme de participation citoyenne : consultations, budget participatif et accompagnement de la première édition.";

pub(super) const NOTES_A: &str =
    "Hébergement en Belgique, support en français du lundi au vendredi, références communales.";
pub(super) const NOTES_B: &str =
    "Solution éprouvée dans plusieurs communes wallonnes, formation sur site incluse.";

pub(super) fn plans() -> Vec<OrderPlan> {
    use MilestoneKind as K;
    vec![
        OrderPlan {
            key: "bertrix-eguichet",
            nis: "84009",
            service: "e-guichet",
            title: "E-guichet état civil et population",
            description: EG_DESCRIPTION,
            lines: &[
                ("setup", "1"),
                ("licence", "9"),
                ("baec", "1"),
                ("training", "2"),
            ],
            sites: &["Administration communale, Place des Trois Fers 1"],
            author: "agent.84009",
            created: 303,
            submitted: Some(301),
            competition: Some(CompetitionPlan {
                launched: 300,
                deadline: 288,
                offers: [
                    offer("nuagix", 292, 88, 85, 90, NOTES_A),
                    offer("civitech", 290, 94, 70, 75, NOTES_B),
                ],
                evaluated: Some(287),
                winner: 0,
            }),
            direct_to: None,
            awarded: Some(286),
            purchase_order: Some(283),
            late: None,
        },
        OrderPlan {
            key: "arlon-voirie",
            nis: "81001",
            service: "signalement-voirie",
            title: "Signalements voirie et propreté",
            description: SV_DESCRIPTION,
            lines: &[
                ("setup", "1"),
                ("subscription", "31"),
                ("field", "6"),
                ("training", "2"),
            ],
            sites: &["Service des travaux, Rue de Bastogne"],
            author: "dg.81001",
            created: 283,
            submitted: Some(281),
            competition: Some(CompetitionPlan {
                launched: 280,
                deadline: 269,
                offers: [
                    offer("agoralux", 274, 92, 80, 60, NOTES_B),
                    offer("civitech", 271, 85, 75, 45, NOTES_A),
                ],
                evaluated: Some(266),
                winner: 1,
            }),
            direct_to: None,
            awarded: Some(264),
            purchase_order: Some(262),
            late: None,
        },
        OrderPlan {
            key: "bertrix-paiement",
            nis: "84009",
            service: "paiement-scolaire",
            title: "Paiement en ligne des repas et garderies",
            description: PS_DESCRIPTION,
            lines: &[
                ("setup", "1"),
                ("subscription", "5"),
                ("tablet", "5"),
                ("training", "2"),
            ],
            sites: &[
                "École communale de Bertrix-centre",
                "École communale d'Auby-sur-Semois",
                "École communale de Jehonville",
                "École communale d'Orgeo",
                "École communale de Rossart",
            ],
            author: "agent.84009",
            created: 255,
            submitted: Some(252),
            competition: Some(CompetitionPlan {
                launched: 249,
                deadline: 234,
                offers: [
                    offer("civitech", 238, 90, 72, 70, NOTES_A),
                    offer("payvallee", 236, 86, 88, 60, NOTES_B),
                ],
                evaluated: Some(230),
                winner: 1,
            }),
            direct_to: None,
            awarded: Some(228),
            purchase_order: Some(224),
            late: None,
        },
        OrderPlan {
            key: "marche-eguichet",
            nis: "83034",
            service: "e-guichet",
            title: "E-guichet documents de population",
            description: EG_DESCRIPTION,
            lines: &[
                ("setup", "1"),
                ("licence", "18"),
                ("baec", "1"),
                ("forms", "3"),
            ],
            sites: &["Hôtel de ville, Boulevard du Midi 22"],
            author: "dg.83034",
            created: 236,
            submitted: Some(233),
            competition: Some(CompetitionPlan {
                launched: 232,
                deadline: 221,
                offers: [
                    offer("nuagix", 226, 93, 78, 80, NOTES_A),
                    offer("civitech", 224, 87, 82, 75, NOTES_B),
                ],
                evaluated: Some(219),
                winner: 1,
            }),
            direct_to: None,
            awarded: Some(217),
            purchase_order: Some(214),
            late: None,
        },
        OrderPlan {
            key: "virton-energie",
            nis: "85045",
            service: "suivi-energie",
            title: "Suivi énergétique des bâtiments communaux",
            description: SE_DESCRIPTION,
            lines: &[
                ("setup", "1"),
                ("gateway", "6"),
                ("submeter", "14"),
                ("subscription", "6"),
                ("report", "1"),
                ("training", "1"),
            ],
            sites: &[
                "Hôtel de ville",
                "Centre sportif",
                "Piscine communale",
                "Atelier communal",
                "École de Saint-Mard",
                "Bibliothèque",
            ],
            author: "dg.85045",
            created: 205,
            submitted: Some(203),
            competition: Some(CompetitionPlan {
                launched: 202,
                deadline: 190,
                offers: [
                    offer("wattmesure", 195, 89, 84, 100, NOTES_A),
                    offer("lumenor", 193, 95, 76, 120, NOTES_B),
                ],
                evaluated: Some(188),
                winner: 0,
            }),
            direct_to: None,
            awarded: Some(186),
            purchase_order: Some(183),
            late: None,
        },
        OrderPlan {
            key: "arlon-air",
            nis: "81001",
            service: "qualite-air",
            title: "Capteurs de qualité de l'air près des écoles",
            description: QA_DESCRIPTION,
            lines: &[
                ("sensor", "6"),
                ("install", "6"),
                ("data", "6"),
                ("calibration", "6"),
                ("dashboard", "1"),
            ],
            sites: &[
                "Athénée royal",
                "École de Bonnert",
                "École de Heinsch",
                "École de Stockem",
                "Place Léopold",
                "Gare d'Arlon",
            ],
            author: "dg.81001",
            created: 186,
            submitted: Some(182),
            competition: Some(CompetitionPlan {
                launched: 178,
                deadline: 163,
                offers: [
                    offer("aerosense", 168, 91, 86, 110, NOTES_A),
                    offer("capteurix", 166, 84, 74, 90, NOTES_B),
                ],
                evaluated: Some(161),
                winner: 0,
            }),
            direct_to: None,
            awarded: Some(160),
            purchase_order: Some(156),
            late: None,
        },
        OrderPlan {
            key: "bastogne-participation",
            nis: "82039",
            service: "participation-citoyenne",
            title: "Budget participatif 2026",
            description: PC_DESCRIPTION,
            lines: &[
                ("setup", "1"),
                ("licence", "20"),
                ("budget", "1"),
                ("coaching", "2"),
                ("training", "1"),
            ],
            sites: &["Hôtel de ville, Rue du Vivier 58"],
            author: "dg.82039",
            created: 154,
            submitted: Some(151),
            competition: Some(CompetitionPlan {
                launched: 150,
                deadline: 139,
                offers: [
                    offer("agoralux", 143, 87, 83, 45, NOTES_B),
                    offer("nuagix", 141, 92, 77, 55, NOTES_A),
                ],
                evaluated: Some(137),
                winner: 0,
            }),
            direct_to: None,
            awarded: Some(135),
            purchase_order: Some(132),
            late: None,
        },
        OrderPlan {
            key: "neufchateau-eguichet",
            nis: "84043",
            service: "e-guichet",
            title: "E-guichet citoyen",
            description: EG_DESCRIPTION,
            lines: &[("setup", "1"), ("licence", "8"), ("baec", "1")],
            sites: &["Administration communale, Grand-Place 1"],
            author: "dg.84043",
            created: 124,
            submitted: Some(121),
            competition: Some(CompetitionPlan {
                launched: 120,
                deadline: 109,
                offers: [
                    offer("nuagix", 113, 86, 80, 90, NOTES_A),
                    offer("civitech", 111, 90, 83, 80, NOTES_B),
                ],
                evaluated: Some(107),
                winner: 0,
            }),
            direct_to: None,
            awarded: Some(103),
            purchase_order: Some(101),
            late: None,
        },
        OrderPlan {
            key: "marche-voirie",
            nis: "83034",
            service: "signalement-voirie",
            title: "Application de signalement voirie",
            description: SV_DESCRIPTION,
            lines: &[
                ("setup", "1"),
                ("subscription", "18"),
                ("field", "4"),
                ("training", "2"),
            ],
            sites: &["Service des travaux, Rue des Tanneurs"],
            author: "dg.83034",
            created: 104,
            submitted: Some(101),
            competition: Some(CompetitionPlan {
                launched: 100,
                deadline: 89,
                offers: [
                    offer("agoralux", 93, 90, 86, 50, NOTES_B),
                    offer("civitech", 91, 88, 71, 45, NOTES_A),
                ],
                evaluated: Some(88),
                winner: 0,
            }),
            direct_to: None,
            awarded: Some(87),
            purchase_order: Some(85),
            late: None,
        },
        OrderPlan {
            key: "aubange-paiement",
            nis: "81004",
            service: "paiement-scolaire",
            title: "Paiement scolaire en ligne",
            description: PS_DESCRIPTION,
            lines: &[
                ("setup", "1"),
                ("subscription", "7"),
                ("tablet", "7"),
                ("training", "2"),
            ],
            sites: &[
                "École d'Athus-centre",
                "École d'Aubange",
                "École de Halanzy",
                "École de Rachecourt",
                "École de Battincourt",
                "École d'Aix-sur-Cloie",
                "École de Guerlange",
            ],
            author: "dg.81004",
            created: 95,
            submitted: Some(92),
            competition: Some(CompetitionPlan {
                launched: 88,
                deadline: 72,
                offers: [
                    offer("civitech", 76, 86, 79, 70, NOTES_A),
                    offer("payvallee", 75, 91, 81, 65, NOTES_B),
                ],
                evaluated: Some(70),
                winner: 0,
            }),
            direct_to: None,
            awarded: Some(68),
            purchase_order: Some(65),
            late: None,
        },
        OrderPlan {
            key: "virton-eguichet",
            nis: "85045",
            service: "e-guichet",
            title: "E-guichet état civil",
            description: EG_DESCRIPTION,
            lines: &[
                ("setup", "1"),
                ("licence", "12"),
                ("baec", "1"),
                ("training", "1"),
            ],
            sites: &["Hôtel de ville, Rue Charles Magnette 17"],
            author: "dg.85045",
            created: 96,
            submitted: Some(93),
            competition: Some(CompetitionPlan {
                launched: 92,
                deadline: 81,
                offers: [
                    offer("nuagix", 85, 90, 75, 90, NOTES_A),
                    offer("civitech", 83, 85, 82, 80, NOTES_B),
                ],
                evaluated: Some(80),
                winner: 1,
            }),
            direct_to: None,
            awarded: Some(79),
            purchase_order: Some(76),
            late: Some(K::Training),
        },
        OrderPlan {
            key: "bastogne-air",
            nis: "82039",
            service: "qualite-air",
            title: "Mesure de la qualité de l'air en centre-ville",
            description: QA_DESCRIPTION,
            lines: &[
                ("sensor", "4"),
                ("install", "4"),
                ("data", "4"),
                ("calibration", "4"),
                ("dashboard", "1"),
            ],
            sites: &[
                "Place McAuliffe",
                "Rue du Sablon",
                "Athénée royal",
                "Gare routière",
            ],
            author: "dg.82039",
            created: 36,
            submitted: Some(33),
            competition: Some(CompetitionPlan {
                launched: 32,
                deadline: 21,
                offers: [
                    offer("aerosense", 25, 89, 80, 100, NOTES_A),
                    offer("capteurix", 23, 93, 85, 95, NOTES_B),
                ],
                evaluated: Some(20),
                winner: 1,
            }),
            direct_to: None,
            awarded: Some(18),
            purchase_order: Some(15),
            late: None,
        },
        OrderPlan {
            key: "bertrix-energie",
            nis: "84009",
            service: "suivi-energie",
            title: "Sous-comptage énergie des écoles et du hall sportif",
            description: SE_DESCRIPTION,
            lines: &[
                ("setup", "1"),
                ("gateway", "4"),
                ("submeter", "8"),
                ("subscription", "4"),
                ("training", "1"),
            ],
            sites: &[
                "Hall sportif",
                "École de Bertrix-centre",
                "École de Jehonville",
                "Administration communale",
            ],
            author: "agent.84009",
            created: 44,
            submitted: Some(41),
            // Every demo framework re-competes each order (issue 11 rule 5).
            competition: Some(CompetitionPlan {
                launched: 40,
                deadline: 28,
                offers: [
                    offer("wattmesure", 33, 90, 84, 60, NOTES_A),
                    offer("lumenor", 31, 96, 72, 75, NOTES_B),
                ],
                evaluated: Some(27),
                winner: 0,
            }),
            direct_to: None,
            awarded: Some(26),
            purchase_order: Some(23),
            late: None,
        },
        OrderPlan {
            key: "durbuy-eguichet",
            nis: "83012",
            service: "e-guichet",
            title: "E-guichet pour les dix-sept villages",
            description: EG_DESCRIPTION,
            lines: &[
                ("setup", "1"),
                ("licence", "12"),
                ("baec", "1"),
                ("training", "2"),
            ],
            sites: &["Administration communale, Grand-Rue 22, Barvaux"],
            author: "dg.83012",
            created: 24,
            submitted: Some(21),
            competition: Some(CompetitionPlan {
                launched: 20,
                deadline: 9,
                offers: [
                    offer("nuagix", 13, 87, 81, 85, NOTES_A),
                    offer("civitech", 11, 92, 79, 80, NOTES_B),
                ],
                evaluated: Some(4),
                winner: 0,
            }),
            direct_to: None,
            awarded: Some(2),
            purchase_order: None,
            late: None,
        },
        OrderPlan {
            key: "neufchateau-participation",
            nis: "84043",
            service: "participation-citoyenne",
            title: "Consultation citoyenne sur la mobilité",
            description: PC_DESCRIPTION,
            lines: &[
                ("setup", "1"),
                ("licence", "8"),
                ("coaching", "1"),
                ("training", "1"),
            ],
            sites: &["Administration communale, Grand-Place 1"],
            author: "dg.84043",
            created: 8,
            submitted: Some(6),
            competition: Some(CompetitionPlan {
                launched: 4,
                deadline: -10,
                offers: [
                    offer("agoralux", 1, 89, 0, 40, NOTES_B),
                    OfferPlan {
                        provider: "nuagix",
                        submitted: None,
                        price_pct: 0,
                        quality_pct: 0,
                        lead_time_days: 0,
                        notes: "",
                    },
                ],
                evaluated: None,
                winner: 0,
            }),
            direct_to: None,
            awarded: None,
            purchase_order: None,
            late: None,
        },
        OrderPlan {
            key: "aubange-voirie",
            nis: "81004",
            service: "signalement-voirie",
            title: "Signalement des dépôts sauvages et de la voirie",
            description: SV_DESCRIPTION,
            lines: &[("setup", "1"), ("subscription", "18"), ("field", "4")],
            sites: &["Service des travaux, Athus"],
            author: "dg.81004",
            created: 3,
            submitted: Some(2),
            competition: None,
            direct_to: None,
            awarded: None,
            purchase_order: None,
            late: None,
        },
        OrderPlan {
            key: "arlon-paiement",
            nis: "81001",
            service: "paiement-scolaire",
            title: "Paiement scolaire — projet",
            description: PS_DESCRIPTION,
            lines: &[("setup", "1"), ("subscription", "9"), ("tablet", "9")],
            sites: &[],
            author: "dg.81001",
            created: 3,
            submitted: None,
            competition: None,
            direct_to: None,
            awarded: None,
            purchase_order: None,
            late: None,
        },
    ]
}

/// An accompaniment of the intercommunale ordered by a commune (issue 16 §2), and how far it
/// went: planned, delivered and invoiced, or cancelled. Days counted back from today.
pub(super) struct AccompanimentPlan {
    pub(super) key: &'static str,
    pub(super) nis: &'static str,
    /// The call-off it accompanies (an order plan's key), when one.
    pub(super) call_off: Option<&'static str>,
    pub(super) title: &'static str,
    /// Service code and quantity.
    pub(super) lines: &'static [(&'static str, &'static str)],
    pub(super) ordered: i64,
    /// When the centrale plans it, and the days each line is planned for (ago; negative: ahead).
    pub(super) planned: Option<(i64, &'static [i64])>,
    /// When each line is delivered (ago), in the order of `lines`.
    pub(super) delivered: &'static [i64],
    pub(super) invoiced: Option<i64>,
    pub(super) cancelled: Option<i64>,
}

/// Four accompaniments: Bertrix's e-guichet set up, trained and invoiced; Marche's migration
/// planned; Virton's training asked for; Arlon's communication cancelled.
pub(super) const ACCOMPANIMENTS: &[AccompanimentPlan] = &[
    AccompanimentPlan {
        key: "bertrix-eguichet-accompagnement",
        nis: "84009",
        call_off: Some("bertrix-eguichet"),
        title: "Accompagnement de la mise en place de l'e-guichet",
        lines: &[
            ("lancement", "1"),
            ("formation", "1.5"),
            ("communication", "1"),
        ],
        ordered: 285,
        planned: Some((282, &[278, 250, 245])),
        delivered: &[278, 250, 245],
        invoiced: Some(240),
        cancelled: None,
    },
    AccompanimentPlan {
        key: "marche-eguichet-migration",
        nis: "83034",
        call_off: Some("marche-eguichet"),
        title: "Reprise des données de l'ancien guichet",
        lines: &[("migration", "1"), ("parametrage", "2")],
        ordered: 40,
        planned: Some((36, &[-10, -17])),
        delivered: &[],
        invoiced: None,
        cancelled: None,
    },
    AccompanimentPlan {
        key: "virton-formation",
        nis: "85045",
        call_off: None,
        title: "Formation des agents au suivi énergétique",
        lines: &[("formation", "2")],
        ordered: 6,
        planned: None,
        delivered: &[],
        invoiced: None,
        cancelled: None,
    },
    AccompanimentPlan {
        key: "arlon-communication",
        nis: "81001",
        call_off: Some("arlon-voirie"),
        title: "Communication aux citoyens sur l'application de signalement",
        lines: &[("communication", "1")],
        ordered: 120,
        planned: None,
        delivered: &[],
        invoiced: None,
        cancelled: Some(115),
    },
];

/// The needs survey of the history (issue 16 §3): published [`SURVEY_PUBLISHED`] days ago,
/// closing [`SURVEY_CLOSES_IN`] days ahead — still open, so a commune may answer it in the demo.
pub(super) const SURVEY_PUBLISHED: i64 = 35;
/// See [`SURVEY_PUBLISHED`].
pub(super) const SURVEY_CLOSES_IN: i64 = 25;

/// The survey as the centrale published it: three themes, choices (each a need), numbers and
/// free text.
pub(super) fn survey_content(closes_on: NaiveDate) -> Value {
    let choice = |code: &str, label: &str| json!({"code": code, "label_fr": label});
    json!({
        "title": "Besoins smart city des communes pour 2027",
        "intro": "La centrale d'achat prépare ses prochains accords-cadres. Dites-nous ce dont votre commune a besoin : les besoins exprimés par plusieurs communes deviendront de nouveaux services du catalogue.",
        "closes_on": closes_on,
        "themes": [
            {"title_fr": "Mobilité et espace public", "questions": [
                {"code": "mobilite", "text_fr": "Quels services de mobilité manquent à votre commune ?",
                 "help_fr": "Cochez ce qui servirait à vos habitants dans les trois ans.", "required": true,
                 "kind": {"kind": "choice", "multiple": true, "choices": [
                    choice("stationnement", "Stationnement intelligent (capteurs de places libres)"),
                    choice("bornes", "Bornes de recharge pour véhicules électriques"),
                    choice("comptage", "Comptage des vélos et des piétons"),
                    choice("navettes", "Réservation de navettes à la demande")]}},
                {"code": "parkings", "text_fr": "Combien de parkings publics la commune gère-t-elle ?",
                 "help_fr": "", "required": false,
                 "kind": {"kind": "number", "unit_fr": "parkings", "max": 500}}
            ]},
            {"title_fr": "Environnement et énergie", "questions": [
                {"code": "environnement", "text_fr": "Quels besoins avez-vous en environnement et en énergie ?",
                 "help_fr": "Cochez les besoins que votre commune a déjà constatés.", "required": true,
                 "kind": {"kind": "choice", "multiple": true, "choices": [
                    choice("inondations", "Alerte aux crues et aux inondations"),
                    choice("arrosage", "Arrosage intelligent des espaces verts"),
                    choice("bruit", "Mesure du bruit"),
                    choice("batiments", "Pilotage du chauffage des bâtiments communaux")]}}
            ]},
            {"title_fr": "Priorités et budget", "questions": [
                {"code": "priorite", "text_fr": "Quelle est la priorité de votre commune pour 2027 ?",
                 "help_fr": "", "required": true,
                 "kind": {"kind": "choice", "multiple": false, "choices": [
                    choice("mobilite", "La mobilité"),
                    choice("environnement", "L'environnement et l'énergie"),
                    choice("administration", "Les services administratifs en ligne"),
                    choice("securite", "La sécurité")]}},
                {"code": "budget", "text_fr": "Quel budget envisagez-vous pour de nouveaux services en 2027 ?",
                 "help_fr": "Un ordre de grandeur, TVAC.", "required": false,
                 "kind": {"kind": "number", "unit_fr": "€", "max": 10_000_000}},
                {"code": "autre", "text_fr": "Un besoin qui ne figure pas ci-dessus ?",
                 "help_fr": "", "required": false, "kind": {"kind": "text"}}
            ]}
        ]
    })
}

/// A commune's answers to the history's survey: sent by its directeur général, or a draft.
pub(super) struct SurveyAnswerPlan {
    pub(super) nis: &'static str,
    /// Days ago.
    pub(super) at: i64,
    pub(super) sent: bool,
    pub(super) mobility: &'static [&'static str],
    pub(super) parkings: Option<i64>,
    pub(super) environment: &'static [&'static str],
    pub(super) priority: Option<&'static str>,
    pub(super) budget: Option<i64>,
    pub(super) other: &'static str,
}

/// Six communes sent their answers, one keeps a draft; Bertrix has not answered yet (the demo
/// answers it). Smart parking is the need most expressed.
pub(super) const SURVEY_ANSWERS: &[SurveyAnswerPlan] = &[
    SurveyAnswerPlan {
        nis: "81001",
        at: 30,
        sent: true,
        mobility: &["stationnement", "bornes"],
        parkings: Some(14),
        environment: &["inondations"],
        priority: Some("mobilite"),
        budget: Some(120_000),
        other: "Un outil de gestion des salles de sport partagé avec les clubs.",
    },
    SurveyAnswerPlan {
        nis: "83034",
        at: 27,
        sent: true,
        mobility: &["stationnement", "comptage"],
        parkings: Some(9),
        environment: &["bruit", "batiments"],
        priority: Some("mobilite"),
        budget: Some(80_000),
        other: "",
    },
    SurveyAnswerPlan {
        nis: "85045",
        at: 21,
        sent: true,
        mobility: &["bornes"],
        parkings: Some(4),
        environment: &["batiments"],
        priority: Some("environnement"),
        budget: Some(45_000),
        other: "Le suivi de la consommation d'eau des bâtiments communaux.",
    },
    SurveyAnswerPlan {
        nis: "82039",
        at: 15,
        sent: true,
        mobility: &["stationnement", "navettes"],
        parkings: Some(6),
        environment: &["inondations", "arrosage"],
        priority: Some("mobilite"),
        budget: Some(60_000),
        other: "",
    },
    SurveyAnswerPlan {
        nis: "84043",
        at: 9,
        sent: true,
        mobility: &["comptage"],
        parkings: None,
        environment: &["inondations"],
        priority: Some("environnement"),
        budget: None,
        other: "",
    },
    SurveyAnswerPlan {
        nis: "81004",
        at: 4,
        sent: true,
        mobility: &["stationnement"],
        parkings: Some(3),
        environment: &["arrosage", "batiments"],
        priority: Some("administration"),
        budget: Some(25_000),
        other: "Un agenda partagé des manifestations avec les associations.",
    },
    SurveyAnswerPlan {
        nis: "85011",
        at: 2,
        sent: false,
        mobility: &["bornes"],
        parkings: None,
        environment: &[],
        priority: None,
        budget: None,
        other: "",
    },
];

impl SurveyAnswerPlan {
    /// The answers given, as pushed.
    pub(super) fn answers(&self) -> Vec<Value> {
        let choices = |code: &str, c: &[&str]| {
            (!c.is_empty())
                .then(|| json!({"question": code, "value": {"kind": "choices", "value": c}}))
        };
        let number = |code: &str, n: Option<i64>| {
            n.map(|n| json!({"question": code, "value": {"kind": "number", "value": n}}))
        };
        [
            choices("mobilite", self.mobility),
            number("parkings", self.parkings),
            choices("environnement", self.environment),
            self.priority.and_then(|p| choices("priorite", &[p])),
            number("budget", self.budget),
            (!self.other.is_empty()).then(
                || json!({"question": "autre", "value": {"kind": "text", "value": self.other}}),
            ),
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

/// The pooled call-off of the history (issue 16 §4): three communes buy air-quality sensors
/// together. Opened [`POOL_CREATED`] days ago, joinable until [`POOL_JOIN_UNTIL`], launched
/// [`POOL_LAUNCHED`] days ago with its deadline [`POOL_DEADLINE`] days ago, analysed by the
/// centrale [`POOL_EVALUATED`] days ago; Marche-en-Famenne's collège awarded and ordered,
/// Neufchâteau's awarded, Durbuy's decision still to come.
pub(super) const POOL_SERVICE: &str = "qualite-air";
/// See [`POOL_SERVICE`].
pub(super) const POOL_TITLE: &str = "Capteurs de qualité de l'air 2027 — achat groupé";
/// See [`POOL_SERVICE`].
pub(super) const POOL_DESCRIPTION: &str = "Capteurs de particules fines et de NO2 aux abords des écoles, installés, calibrés et raccordés à un tableau de bord commun, achetés ensemble pour obtenir de meilleurs prix unitaires.";
/// See [`POOL_SERVICE`].
pub(super) const POOL_CREATED: i64 = 45;
/// See [`POOL_SERVICE`].
pub(super) const POOL_JOIN_UNTIL: i64 = 36;
/// See [`POOL_SERVICE`].
pub(super) const POOL_LAUNCHED: i64 = 35;
/// See [`POOL_SERVICE`].
pub(super) const POOL_DEADLINE: i64 = 22;
/// See [`POOL_SERVICE`].
pub(super) const POOL_EVALUATED: i64 = 19;
/// The two providers' pooled offers (prices as a percentage of the ceilings).
pub(super) const POOL_OFFERS: [OfferPlan; 2] = [
    offer("aerosense", 28, 84, 78, 100, NOTES_A),
    offer("capteurix", 25, 88, 90, 90, NOTES_B),
];

/// A commune in the pooled call-off: its own order, quantities and decisions.
pub(super) struct PoolMemberPlan {
    pub(super) key: &'static str,
    pub(super) nis: &'static str,
    pub(super) title: &'static str,
    pub(super) lines: &'static [(&'static str, &'static str)],
    pub(super) sites: &'static [&'static str],
    /// The day its order is written and sent.
    pub(super) joined: i64,
    pub(super) awarded: Option<i64>,
    pub(super) purchase_order: Option<i64>,
}

/// See [`POOL_SERVICE`].
pub(super) const POOL_MEMBERS: &[PoolMemberPlan] = &[
    PoolMemberPlan {
        key: "pool-air-marche",
        nis: "83034",
        title: "Capteurs de qualité de l'air (achat groupé)",
        lines: &[
            ("sensor", "3"),
            ("install", "3"),
            ("data", "3"),
            ("calibration", "3"),
            ("dashboard", "1"),
        ],
        sites: &["École de Hargimont", "École de On", "Hôtel de ville"],
        joined: 43,
        awarded: Some(6),
        purchase_order: Some(1),
    },
    PoolMemberPlan {
        key: "pool-air-neufchateau",
        nis: "84043",
        title: "Qualité de l'air aux abords des écoles (achat groupé)",
        lines: &[
            ("sensor", "5"),
            ("install", "5"),
            ("data", "5"),
            ("calibration", "5"),
            ("dashboard", "1"),
        ],
        sites: &[
            "École de Neufchâteau-centre",
            "École de Longlier",
            "École de Petitvoir",
        ],
        joined: 41,
        awarded: Some(3),
        purchase_order: None,
    },
    PoolMemberPlan {
        key: "pool-air-durbuy",
        nis: "83012",
        title: "Capteurs d'air près des écoles (achat groupé)",
        lines: &[
            ("sensor", "2"),
            ("install", "2"),
            ("data", "2"),
            ("calibration", "2"),
            ("dashboard", "1"),
        ],
        sites: &["École de Barvaux", "École de Bomal"],
        joined: 38,
        awarded: None,
        purchase_order: None,
    },
];
