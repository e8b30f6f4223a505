//! A year of demo activity, so that the centrale's screens are filled in the demo: ten
//! communes' adhesions and seventeen orders at every stage, played through the one write path.
//!
//! Loaded by `centrale-server seed --demo --history`, after [`crate::seed::seed_demo`], never
//! automatically (tests' servers start without it). Every act is a named mutation, parsed
//! like a push and applied by [`engine::apply`] with the account that would really do it (the
//! commune's director general or mayor, the centrale's purchasing staff, the provider), each
//! under its own mutation id, on a manual clock stepped through the past: the permission
//! checks, the domain rules, the audit log and the change log all apply, with the dates the
//! acts would have had. The story ends at `now`:
//!
//! - eight communes active (activated over the months), Florenville countersigned but not yet
//!   activated, Habay signed by the commune and waiting for the countersignature;
//! - seventeen orders over six services: seven provisionally accepted, five deploying (one
//!   with a milestone late on `now`), one with its purchase order and the kick-off ahead, one
//!   awarded waiting for its purchase order, one mini-competition running (deadline ten days
//!   after `now`, one offer in), one request waiting for the centrale's launch, one draft;
//!   three of the fourteen awards took more than the 20 days promised.
//!
//! Record ids come from [`demo_id`] (the invitations and milestones the server makes get
//! their own ids). The history runs only on a database without any adhesion: a second run
//! finds its first adhesion and writes nothing; a database with other adhesions is left alone.
//! Each act commits on its own, so an interrupted run leaves part of the story: start again
//! from a fresh database (`cargo xtask demo --reset`).

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use anyhow::{anyhow, bail, Context};
use centrale_domain::adhesion::ConventionTemplate;
use centrale_domain::catalogue::{CriterionKind, FrameworkAgreement};
use centrale_domain::deployment::{Milestone, MilestoneKind};
use centrale_domain::offer::Invitation;
use centrale_domain::order::Order;
use centrale_protocol::mutations::Mutation;
use centrale_protocol::records::RecordKind;
use centrale_protocol::{MutationEnvelope, MutationStatus};
use centrale_server_db::Database;
use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Brussels;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::actor::Actor;
use crate::engine::{self, ParsedMutation};
use crate::seed::{
    demo_catalogue, demo_convention_template_id, demo_id, demo_provider_id, demo_service_id,
};
use crate::{AppState, ManualClock, Settings};

/// The centrale's purchasing account (launches, openings, countersignatures, purchase orders).
const CENTRALE: &str = "centrale.achats";

/// The id of the history's adhesion of commune `nis`.
pub fn history_adhesion_id(nis: &str) -> Uuid {
    demo_id("history-adhesion", nis)
}

/// The id of the history's order named `key` (e.g. `virton-eguichet`).
pub fn history_order_id(key: &str) -> Uuid {
    demo_id("history-order", key)
}

/// The id of the offer of provider `short_name` on the history's order `key`.
pub fn history_offer_id(key: &str, short_name: &str) -> Uuid {
    demo_id("history-offer", &format!("{key}:{short_name}"))
}

/// Why the history was not loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HistorySkip {
    /// Its first adhesion is there: it was loaded before.
    AlreadyLoaded,
    /// The database already holds adhesions of its own: the story would not fit.
    OtherActivity,
}

/// What a history run wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HistoryReport {
    /// Adhesions started.
    pub adhesions: usize,
    /// Orders created.
    pub orders: usize,
    /// Offers submitted.
    pub offers: usize,
    /// Mutations applied.
    pub mutations: usize,
    /// First and last day of the story.
    pub span: Option<(NaiveDate, NaiveDate)>,
    /// Set when nothing was written.
    pub skipped: Option<HistorySkip>,
}

impl fmt::Display for HistoryReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.skipped {
            Some(HistorySkip::AlreadyLoaded) => {
                return write!(
                    f,
                    "L'historique de démonstration est déjà chargé : rien n'a été modifié."
                )
            }
            Some(HistorySkip::OtherActivity) => {
                return write!(
                    f,
                    "La base contient déjà des adhésions : l'historique de démonstration ne se charge que sur une base sans activité. Rien n'a été modifié."
                )
            }
            None => {}
        }
        writeln!(f, "Historique de démonstration chargé :")?;
        if let Some((first, last)) = self.span {
            writeln!(
                f,
                "  période     : du {} au {}",
                first.format("%d/%m/%Y"),
                last.format("%d/%m/%Y")
            )?;
        }
        writeln!(f, "  adhésions   : {}", self.adhesions)?;
        writeln!(f, "  commandes   : {}", self.orders)?;
        writeln!(f, "  offres      : {}", self.offers)?;
        write!(f, "  opérations  : {}", self.mutations)
    }
}

// ---- the story ------------------------------------------------------------------------------
//
// Days are counted back from `now`'s Brussels date (1 = yesterday; negative = ahead). Every
// act is on a past day, at office hours, so the whole story is before `now`.

/// One commune's adhesion.
struct AdhesionPlan {
    nis: &'static str,
    /// Collège decision (and the draft started the same morning by the director general).
    college: i64,
    college_ref: u32,
    dg_sign: i64,
    mayor_sign: i64,
    countersign: Option<i64>,
    activate: Option<i64>,
}

const ADHESIONS: &[AdhesionPlan] = &[
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
struct OfferPlan {
    provider: &'static str,
    /// Day of submission (`None`: has not answered yet).
    submitted: Option<i64>,
    /// Unit prices as a percentage of the ceilings.
    price_pct: i64,
    /// Quality points as a percentage of each criterion's weight.
    quality_pct: i64,
    lead_time_days: u32,
    notes: &'static str,
}

struct CompetitionPlan {
    launched: i64,
    /// Negative: a deadline still ahead on `now`.
    deadline: i64,
    offers: [OfferPlan; 2],
    evaluated: Option<i64>,
}

struct OrderPlan {
    key: &'static str,
    nis: &'static str,
    service: &'static str,
    title: &'static str,
    description: &'static str,
    /// Price line code and quantity.
    lines: &'static [(&'static str, &'static str)],
    sites: &'static [&'static str],
    /// Who writes the draft (a commune account).
    author: &'static str,
    created: i64,
    submitted: Option<i64>,
    competition: Option<CompetitionPlan>,
    /// A direct award on the framework's terms, to this provider.
    direct_to: Option<&'static str>,
    awarded: Option<i64>,
    purchase_order: Option<i64>,
    /// The milestone the provider has let slip (late on `now`).
    late: Option<MilestoneKind>,
}

const fn offer(
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

const EG_DESCRIPTION: &str = "E-guichet pour les actes d'état civil et de population : commande en ligne des certificats et extraits, paiement des redevances, liaison BAEC et Registre national.";
const SV_DESCRIPTION: &str = "Application de signalement des problèmes de voirie (nids-de-poule, éclairage, dépôts sauvages) avec suivi par le service des travaux et réponse aux citoyens.";
const PS_DESCRIPTION: &str = "Paiement en ligne des repas, garderies et activités des écoles communales, avec tablettes de pointage dans chaque implantation.";
const SE_DESCRIPTION: &str = "Suivi des consommations d'énergie des bâtiments communaux : passerelles, sous-compteurs, tableau de bord et rapport annuel.";
const QA_DESCRIPTION: &str = "Réseau de capteurs de qualité de l'air (particules fines, NO2) aux abords des écoles et des axes fréquentés, avec données ouvertes.";
const PC_DESCRIPTION: &str = "Plateforme de participation citoyenne : consultations, budget participatif et accompagnement de la première édition.";

const NOTES_A: &str =
    "Hébergement en Belgique, support en français du lundi au vendredi, références communales.";
const NOTES_B: &str =
    "Solution éprouvée dans plusieurs communes wallonnes, formation sur site incluse.";

fn plans() -> Vec<OrderPlan> {
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
            }),
            direct_to: None,
            awarded: Some(79),
            purchase_order: Some(76),
            late: Some(K::Integration),
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
            competition: None,
            direct_to: Some("wattmesure"),
            awarded: Some(34),
            purchase_order: Some(31),
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

// ---- scheduling -----------------------------------------------------------------------------

/// Brussels dates counted back from `now`.
struct Calendar {
    today: NaiveDate,
}

impl Calendar {
    fn date(&self, days_ago: i64) -> NaiveDate {
        let n = chrono::Days::new(days_ago.unsigned_abs());
        if days_ago >= 0 {
            self.today - n
        } else {
            self.today + n
        }
    }

    fn ago(&self, date: NaiveDate) -> i64 {
        (self.today - date).num_days()
    }

    /// `hour:minute` in Brussels on the day `days_ago`, as an instant.
    fn at(&self, days_ago: i64, hour: u32, minute: u32) -> anyhow::Result<DateTime<Utc>> {
        let local = self
            .date(days_ago)
            .and_hms_opt(hour, minute, 0)
            .ok_or_else(|| anyhow!("heure invalide {hour}:{minute}"))?;
        Brussels
            .from_local_datetime(&local)
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .ok_or_else(|| anyhow!("heure inexistante à Bruxelles : {local}"))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AdhesionAct {
    Start,
    College,
    SignDg,
    SignMayor,
    Countersign,
    Activate,
}

#[derive(Debug, Clone)]
enum Act {
    Adhesion(usize, AdhesionAct),
    CreateDraft(usize),
    Submit(usize),
    Launch(usize),
    Offer(usize, usize),
    Open(usize),
    Evaluate(usize),
    Award(usize),
    DirectAward(usize),
    PurchaseOrder(usize),
    MilestoneDone(usize, MilestoneKind, NaiveDate),
    Acknowledge(usize, MilestoneKind),
    AcceptProvisional(usize, NaiveDate),
}

struct Event {
    at: DateTime<Utc>,
    act: Act,
}

const MILESTONE_NOTES: [&str; 5] = [
    "Réunion de lancement tenue à l'administration communale.",
    "Paramétrage terminé et validé avec le service.",
    "Données reprises et liaisons testées.",
    "Formation des agents donnée sur place.",
    "Service ouvert aux citoyens.",
];

/// Days a provider is late (or not) on each milestone, by order and step: a fixed pattern.
fn delay(order: usize, step: usize) -> u64 {
    [0, 2, 1, 0, 3, 1, 0][(order * 3 + step) % 7]
}

fn schedule(
    days: &Calendar,
    plans: &[OrderPlan],
    frameworks: &HashMap<&str, &FrameworkAgreement>,
) -> anyhow::Result<Vec<Event>> {
    let mut events = Vec::new();
    let mut push = |at: DateTime<Utc>, act: Act| events.push(Event { at, act });
    for (i, a) in ADHESIONS.iter().enumerate() {
        push(
            days.at(a.college, 9, 30)?,
            Act::Adhesion(i, AdhesionAct::Start),
        );
        push(
            days.at(a.college, 9, 35)?,
            Act::Adhesion(i, AdhesionAct::College),
        );
        push(
            days.at(a.dg_sign, 10, 5)?,
            Act::Adhesion(i, AdhesionAct::SignDg),
        );
        push(
            days.at(a.mayor_sign, 17, 40)?,
            Act::Adhesion(i, AdhesionAct::SignMayor),
        );
        if let Some(d) = a.countersign {
            push(
                days.at(d, 11, 10)?,
                Act::Adhesion(i, AdhesionAct::Countersign),
            );
        }
        if let Some(d) = a.activate {
            push(days.at(d, 15, 0)?, Act::Adhesion(i, AdhesionAct::Activate));
        }
    }
    for (i, o) in plans.iter().enumerate() {
        push(days.at(o.created, 10, 0)?, Act::CreateDraft(i));
        if let Some(d) = o.submitted {
            push(days.at(d, 11, 30)?, Act::Submit(i));
        }
        if let Some(c) = &o.competition {
            push(days.at(c.launched, 10, 15)?, Act::Launch(i));
            for (j, offer) in c.offers.iter().enumerate() {
                if let Some(d) = offer.submitted {
                    push(days.at(d, 14 + j as u32, 20)?, Act::Offer(i, j));
                }
            }
            if c.deadline > 0 {
                push(days.at(c.deadline, 12, 5)?, Act::Open(i));
            }
            if let Some(d) = c.evaluated {
                push(days.at(d, 10, 30)?, Act::Evaluate(i));
            }
        }
        let Some(awarded) = o.awarded else { continue };
        let award_act = if o.direct_to.is_some() {
            Act::DirectAward(i)
        } else {
            Act::Award(i)
        };
        push(days.at(awarded, 16, 0)?, award_act);
        let Some(po) = o.purchase_order else { continue };
        push(days.at(po, 9, 45)?, Act::PurchaseOrder(i));
        // The deployment up to `now`: every milestone planned before today is done, except
        // the one the provider let slip.
        let plan = &frameworks
            .get(o.service)
            .and_then(|f| f.current().ok())
            .ok_or_else(|| anyhow!("service {} inconnu", o.service))?
            .milestone_plan;
        let award_date = days.date(awarded);
        let mut last_done = days.date(po);
        let mut slipped = false;
        for (step, kind) in MilestoneKind::ALL.iter().copied().enumerate() {
            if kind == MilestoneKind::FinalAcceptance {
                break;
            }
            let planned = award_date + chrono::Days::new(u64::from(plan.days(kind)));
            if days.ago(planned) < 1 {
                break;
            }
            if slipped {
                bail!(
                    "historique : la commande {} aurait plus d'un jalon en retard",
                    o.key
                );
            }
            if o.late == Some(kind) {
                slipped = true;
                continue;
            }
            let done = (planned + chrono::Days::new(delay(i, step)))
                .min(days.date(1))
                .max(last_done);
            last_done = done;
            let done_ago = days.ago(done);
            if kind == MilestoneKind::ProvisionalAcceptance {
                push(days.at(done_ago, 16, 30)?, Act::AcceptProvisional(i, done));
                continue;
            }
            push(
                days.at(done_ago, 11, step as u32)?,
                Act::MilestoneDone(i, kind, done),
            );
            if matches!(kind, MilestoneKind::Kickoff | MilestoneKind::GoLive) && done_ago > 1 {
                push(days.at(done_ago - 1, 9, 15)?, Act::Acknowledge(i, kind));
            }
        }
    }
    // Chronological; acts at the same minute keep the order they were planned in.
    events.sort_by_key(|e| e.at);
    Ok(events)
}

// ---- playing it ---------------------------------------------------------------------------

struct Player<'a> {
    state: AppState,
    clock: Arc<ManualClock>,
    days: Calendar,
    plans: &'a [OrderPlan],
    frameworks: HashMap<&'static str, &'a FrameworkAgreement>,
    actors: HashMap<String, Actor>,
    client_seq: HashMap<String, i64>,
    applied: usize,
    purchase_orders: usize,
    text_sha256: String,
}

impl<'a> Player<'a> {
    async fn actor(&mut self, username: &str) -> anyhow::Result<Actor> {
        if let Some(actor) = self.actors.get(username) {
            return Ok(actor.clone());
        }
        let user = self
            .state
            .db
            .find_user_by_username(username)
            .await?
            .ok_or_else(|| {
                anyhow!(
                    "le compte de démonstration {username} manque : lancez d'abord « centrale-server seed --demo »"
                )
            })?;
        let actor = Actor::from_user(&user)
            .ok_or_else(|| anyhow!("compte {username} : rôle inconnu {}", user.role))?;
        self.actors.insert(username.to_string(), actor.clone());
        Ok(actor)
    }

    /// Applies one named mutation as `username` through the one write path; it must apply.
    async fn apply(&mut self, username: &str, name: &str, payload: Value) -> anyhow::Result<()> {
        let actor = self.actor(username).await?;
        let mutation = Mutation::parse(name, payload.clone())
            .map_err(|e| anyhow!("historique : {name} illisible : {e}"))?;
        let seq = self.client_seq.entry(username.to_string()).or_insert(0);
        *seq += 1;
        self.applied += 1;
        let parsed = ParsedMutation {
            envelope: MutationEnvelope {
                mutation_id: demo_id("history-mutation", &format!("{:04}:{name}", self.applied)),
                client_seq: *seq,
                name: name.to_string(),
                base_version: None,
                payload,
            },
            mutation,
        };
        // Each account acts from its own PC.
        let client_id = demo_id("history-client", username);
        let result = engine::apply(&self.state, &actor, client_id, &parsed)
            .await
            .with_context(|| format!("historique : {name} par {username}"))?;
        if result.status != MutationStatus::Applied {
            bail!(
                "historique : {name} par {username} le {} refusé ({}) : {}",
                self.clock_now().format("%d/%m/%Y %H:%M"),
                result.code.unwrap_or_default(),
                result.message.unwrap_or_default()
            );
        }
        Ok(())
    }

    fn clock_now(&self) -> DateTime<Utc> {
        use crate::Clock;
        self.clock.now()
    }

    fn today(&self) -> NaiveDate {
        use crate::Clock;
        self.clock.today()
    }

    fn college(&self, number: u32) -> Value {
        let today = self.today();
        json!({"reference": format!("COL/{}/{number:03}", today.year()), "date": today})
    }

    async fn children<T: serde::de::DeserializeOwned>(
        &self,
        kind: RecordKind,
        order_id: Uuid,
    ) -> anyhow::Result<Vec<T>> {
        self.state
            .db
            .list_children(kind.as_str(), &order_id.to_string())
            .await?
            .into_iter()
            .filter(|r| !r.deleted)
            .map(|r| serde_json::from_value(r.body).map_err(anyhow::Error::from))
            .collect()
    }

    async fn order(&self, order_id: Uuid) -> anyhow::Result<Order> {
        let row = self
            .state
            .db
            .get_record(RecordKind::Order.as_str(), &order_id.to_string())
            .await?
            .ok_or_else(|| anyhow!("historique : commande {order_id} introuvable"))?;
        Ok(serde_json::from_value(row.body)?)
    }

    async fn milestone_id(&self, order: usize, kind: MilestoneKind) -> anyhow::Result<Uuid> {
        let id = history_order_id(self.plans[order].key);
        let milestones: Vec<Milestone> = self.children(RecordKind::Milestone, id).await?;
        milestones
            .into_iter()
            .find(|m| m.kind == kind)
            .map(|m| m.id)
            .ok_or_else(|| anyhow!("historique : jalon {kind:?} introuvable"))
    }

    fn framework(&self, order: usize) -> anyhow::Result<&'a FrameworkAgreement> {
        self.frameworks
            .get(self.plans[order].service)
            .copied()
            .ok_or_else(|| anyhow!("service {} inconnu", self.plans[order].service))
    }

    async fn play(&mut self, event: &Event) -> anyhow::Result<()> {
        self.clock.set(event.at);
        let plans = self.plans;
        match &event.act {
            Act::Adhesion(i, step) => self.adhesion(*i, *step).await,
            Act::CreateDraft(i) => {
                let o = &plans[*i];
                let lines: Vec<Value> = o
                    .lines
                    .iter()
                    .map(|(code, qty)| json!({"price_line_code": code, "quantity": qty}))
                    .collect();
                let payload = json!({
                    "order_id": history_order_id(o.key),
                    "service_id": demo_service_id(o.service),
                    "title": o.title,
                    "needs": {"description": o.description, "lines": lines, "sites": o.sites},
                });
                self.apply(o.author, "order.create_draft", payload).await
            }
            Act::Submit(i) => {
                let o = &plans[*i];
                let dg = format!("dg.{}", o.nis);
                let payload = json!({"order_id": history_order_id(o.key)});
                self.apply(&dg, "order.submit", payload).await
            }
            Act::Launch(i) => {
                let o = &plans[*i];
                let c = o.competition.as_ref().ok_or_else(|| incoherent(o.key))?;
                let deadline = self.days.at(c.deadline, 12, 0)?;
                let payload = json!({"order_id": history_order_id(o.key), "deadline": deadline});
                self.apply(CENTRALE, "order.launch_competition", payload)
                    .await
            }
            Act::Offer(i, j) => self.offer(*i, *j).await,
            Act::Open(i) => {
                let payload = json!({"order_id": history_order_id(plans[*i].key)});
                self.apply(CENTRALE, "order.open_offers", payload).await
            }
            Act::Evaluate(i) => self.evaluate(*i).await,
            Act::Award(i) => {
                let o = &plans[*i];
                let order_id = history_order_id(o.key);
                let order = self.order(order_id).await?;
                let winner = order
                    .evaluation
                    .as_ref()
                    .and_then(|e| e.ranking.winner())
                    .map(|w| w.offer_id)
                    .ok_or_else(|| anyhow!("historique : {} n'a pas de classement", o.key))?;
                let payload = json!({
                    "order_id": order_id,
                    "offer_id": winner,
                    "justification": "Offre classée première selon les critères et pondérations de l'accord-cadre : meilleur rapport entre le prix et la qualité de la solution.",
                    "college_decision": self.college(40 + (*i as u32) * 17),
                });
                let signatory = signatory(o.nis, *i);
                self.apply(&signatory, "order.award", payload).await
            }
            Act::DirectAward(i) => {
                let o = &plans[*i];
                let provider = o.direct_to.ok_or_else(|| incoherent(o.key))?;
                let payload = json!({
                    "order_id": history_order_id(o.key),
                    "provider_id": demo_provider_id(provider),
                    "justification": "Commande directe aux conditions de l'accord-cadre : besoin standard, délai de mise en œuvre le plus court.",
                    "college_decision": self.college(40 + (*i as u32) * 17),
                });
                let signatory = signatory(o.nis, *i);
                self.apply(&signatory, "order.direct_award", payload).await
            }
            Act::PurchaseOrder(i) => {
                // Numbered in the order they are issued.
                self.purchase_orders += 1;
                let reference = format!(
                    "BC-{}-{:04}",
                    self.today().year(),
                    105 + self.purchase_orders * 7
                );
                let payload =
                    json!({"order_id": history_order_id(plans[*i].key), "reference": reference});
                self.apply(CENTRALE, "order.issue_purchase_order", payload)
                    .await
            }
            Act::MilestoneDone(i, kind, date) => {
                let id = self.milestone_id(*i, *kind).await?;
                let order = self.order(history_order_id(plans[*i].key)).await?;
                let provider = self.provider_name(
                    order
                        .award
                        .as_ref()
                        .map(|a| a.provider_id)
                        .ok_or_else(|| incoherent(plans[*i].key))?,
                )?;
                let step = MilestoneKind::ALL
                    .iter()
                    .position(|k| k == kind)
                    .unwrap_or(0);
                let payload = json!({
                    "milestone_id": id,
                    "actual_date": date,
                    "notes": MILESTONE_NOTES.get(step).copied().unwrap_or_default(),
                });
                self.apply(
                    &format!("prestataire.{provider}"),
                    "milestone.update",
                    payload,
                )
                .await
            }
            Act::Acknowledge(i, kind) => {
                let id = self.milestone_id(*i, *kind).await?;
                let dg = format!("dg.{}", plans[*i].nis);
                self.apply(&dg, "milestone.acknowledge", json!({"milestone_id": id}))
                    .await
            }
            Act::AcceptProvisional(i, date) => {
                let o = &plans[*i];
                let payload = json!({
                    "order_id": history_order_id(o.key),
                    "date": date,
                    "remarks": "Réception provisoire sans réserve : le service fonctionne comme prévu.",
                });
                let mayor = format!("bourgmestre.{}", o.nis);
                self.apply(&mayor, "order.accept_provisional", payload)
                    .await
            }
        }
    }

    fn provider_name(&self, provider_id: Uuid) -> anyhow::Result<&'static str> {
        PROVIDERS
            .iter()
            .copied()
            .find(|p| demo_provider_id(p) == provider_id)
            .ok_or_else(|| anyhow!("prestataire {provider_id} inconnu"))
    }

    async fn adhesion(&mut self, i: usize, step: AdhesionAct) -> anyhow::Result<()> {
        let a = &ADHESIONS[i];
        let id = history_adhesion_id(a.nis);
        let dg = format!("dg.{}", a.nis);
        let sha = self.text_sha256.clone();
        match step {
            AdhesionAct::Start => {
                let payload =
                    json!({"adhesion_id": id, "template_id": demo_convention_template_id()});
                self.apply(&dg, "adhesion.start", payload).await
            }
            AdhesionAct::College => {
                let payload =
                    json!({"adhesion_id": id, "college_decision": self.college(a.college_ref)});
                self.apply(&dg, "adhesion.record_college_decision", payload)
                    .await
            }
            AdhesionAct::SignDg => {
                let payload = json!({"adhesion_id": id, "text_sha256": sha});
                self.apply(&dg, "adhesion.sign", payload).await
            }
            AdhesionAct::SignMayor => {
                let payload = json!({"adhesion_id": id, "text_sha256": sha});
                self.apply(&format!("bourgmestre.{}", a.nis), "adhesion.sign", payload)
                    .await
            }
            AdhesionAct::Countersign => {
                let payload = json!({"adhesion_id": id, "text_sha256": sha});
                self.apply(CENTRALE, "adhesion.countersign", payload).await
            }
            AdhesionAct::Activate => {
                self.apply(CENTRALE, "adhesion.activate", json!({"adhesion_id": id}))
                    .await
            }
        }
    }

    async fn offer(&mut self, i: usize, j: usize) -> anyhow::Result<()> {
        let plans = self.plans;
        let o = &plans[i];
        let c = o.competition.as_ref().ok_or_else(|| incoherent(o.key))?;
        let plan = &c.offers[j];
        let order_id = history_order_id(o.key);
        let provider_id = demo_provider_id(plan.provider);
        let invitations: Vec<Invitation> = self.children(RecordKind::Invitation, order_id).await?;
        let invitation = invitations
            .iter()
            .find(|inv| inv.provider_id == provider_id)
            .ok_or_else(|| anyhow!("historique : {} n'est pas invité", plan.provider))?;
        let terms = self.framework(i)?.current()?;
        let mut lines = Vec::new();
        for (n, (code, _)) in o.lines.iter().enumerate() {
            let ceiling = terms
                .price_line(code)
                .ok_or_else(|| anyhow!("ligne {code} inconnue"))?
                .ceiling_cents
                .0;
            // Below the ceiling, a little lower on the later lines; whole euros.
            let pct = plan.price_pct - (n as i64 % 3) * 3;
            let unit = (ceiling * pct / 100 / 100).max(1) * 100;
            lines.push(json!({"price_line_code": code, "unit_price_cents": unit}));
        }
        let payload = json!({
            "offer_id": history_offer_id(o.key, plan.provider),
            "invitation_id": invitation.id,
            "lines": lines,
            "lead_time_days": plan.lead_time_days,
            "notes": plan.notes,
        });
        self.apply(
            &format!("prestataire.{}", plan.provider),
            "offer.submit",
            payload,
        )
        .await
    }

    async fn evaluate(&mut self, i: usize) -> anyhow::Result<()> {
        let plans = self.plans;
        let o = &plans[i];
        let c = o.competition.as_ref().ok_or_else(|| incoherent(o.key))?;
        let terms = self.framework(i)?.current()?;
        let mut scores = Vec::new();
        for (n, criterion) in terms
            .award_criteria
            .iter()
            .filter(|c| c.kind == CriterionKind::Quality)
            .enumerate()
        {
            for plan in &c.offers {
                let pct = (plan.quality_pct + ((n as i64 * 7) % 11) - 5).clamp(0, 100);
                let points = i64::from(criterion.weight) * pct / 100;
                let justification = if pct >= 80 {
                    "Réponse complète et convaincante sur ce critère, avec des références comparables."
                } else {
                    "Réponse correcte, mais moins détaillée sur ce critère que l'autre offre."
                };
                scores.push(json!({
                    "offer_id": history_offer_id(o.key, plan.provider),
                    "criterion_code": criterion.code,
                    "points": points.to_string(),
                    "justification": justification,
                }));
            }
        }
        let payload = json!({"order_id": history_order_id(o.key), "scores": scores});
        self.apply(&format!("dg.{}", o.nis), "order.evaluate", payload)
            .await
    }
}

/// The providers of the demo catalogue, by short name.
const PROVIDERS: [&str; 10] = [
    "nuagix",
    "civitech",
    "agoralux",
    "payvallee",
    "wattmesure",
    "lumenor",
    "aerosense",
    "capteurix",
    "tritonic",
    "reservix",
];

fn incoherent(key: &str) -> anyhow::Error {
    anyhow!("historique de démonstration : plan incohérent pour la commande {key}")
}

/// Awards are signed by the mayor or, one in three, by the director general.
fn signatory(nis: &str, order: usize) -> String {
    if order % 3 == 2 {
        format!("dg.{nis}")
    } else {
        format!("bourgmestre.{nis}")
    }
}

/// Plays the demo history up to `now` (see the module's documentation). Run after
/// [`crate::seed::seed_demo`] on the same database.
pub async fn seed_demo_history(db: &Database, now: DateTime<Utc>) -> anyhow::Result<HistoryReport> {
    let first = history_adhesion_id(ADHESIONS[0].nis).to_string();
    if db
        .get_record(RecordKind::Adhesion.as_str(), &first)
        .await?
        .is_some()
    {
        return Ok(HistoryReport {
            skipped: Some(HistorySkip::AlreadyLoaded),
            ..HistoryReport::default()
        });
    }
    if !db
        .list_records(RecordKind::Adhesion.as_str())
        .await?
        .is_empty()
    {
        return Ok(HistoryReport {
            skipped: Some(HistorySkip::OtherActivity),
            ..HistoryReport::default()
        });
    }
    let template = db
        .get_record(
            RecordKind::ConventionTemplate.as_str(),
            &demo_convention_template_id().to_string(),
        )
        .await?
        .ok_or_else(|| {
            anyhow!(
                "Chargez d'abord les données de démonstration (« centrale-server seed --demo »)."
            )
        })?;
    let template: ConventionTemplate = serde_json::from_value(template.body)?;

    let catalogue = demo_catalogue(now)?;
    let days = Calendar {
        today: now.with_timezone(&Brussels).date_naive(),
    };
    let plans = plans();
    let mut frameworks: HashMap<&'static str, &FrameworkAgreement> = HashMap::new();
    for plan in &plans {
        let service = catalogue
            .services
            .iter()
            .find(|s| s.code == plan.service)
            .ok_or_else(|| anyhow!("service {} inconnu", plan.service))?;
        let framework = catalogue
            .frameworks
            .iter()
            .find(|f| f.id == service.framework_id)
            .ok_or_else(|| anyhow!("accord-cadre du service {} inconnu", plan.service))?;
        // The story needs its frameworks in force from its first order to today.
        let terms = framework.current()?;
        for day in [days.date(plan.created), days.today] {
            if !terms.in_force_on(day) {
                bail!(
                    "L'historique de démonstration demande l'accord-cadre {} en vigueur le {} (il l'est du {} au {}) : il ne peut pas être chargé à cette date.",
                    framework.reference,
                    day.format("%d/%m/%Y"),
                    terms.start_date.format("%d/%m/%Y"),
                    terms.end_date.format("%d/%m/%Y")
                );
            }
        }
        frameworks.insert(plan.service, framework);
    }
    let events = schedule(&days, &plans, &frameworks)?;

    let clock = Arc::new(ManualClock::new(now));
    let dyn_clock: Arc<dyn crate::Clock> = clock.clone();
    let mut player = Player {
        state: AppState::new(db.clone(), dyn_clock, Settings::default()),
        clock,
        days,
        plans: &plans,
        frameworks,
        actors: HashMap::new(),
        client_seq: HashMap::new(),
        applied: 0,
        purchase_orders: 0,
        text_sha256: template.sha256,
    };
    for event in &events {
        player.play(event).await?;
    }
    let offers = events
        .iter()
        .filter(|e| matches!(e.act, Act::Offer(..)))
        .count();
    let span = events.first().map(|first| {
        (
            first.at.with_timezone(&Brussels).date_naive(),
            player.days.date(1),
        )
    });
    Ok(HistoryReport {
        adhesions: ADHESIONS.len(),
        orders: plans.len(),
        offers,
        mutations: player.applied,
        span,
        skipped: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_act_is_in_the_past_and_every_adhesion_comes_before_its_orders() {
        let now = Utc.with_ymd_and_hms(2026, 11, 29, 9, 0, 0).unwrap();
        let days = Calendar {
            today: NaiveDate::from_ymd_opt(2026, 11, 29).unwrap(),
        };
        let catalogue = demo_catalogue(now).unwrap();
        let plans = plans();
        let frameworks: HashMap<&str, &FrameworkAgreement> = plans
            .iter()
            .map(|p| {
                let service = catalogue
                    .services
                    .iter()
                    .find(|s| s.code == p.service)
                    .unwrap();
                let f = catalogue
                    .frameworks
                    .iter()
                    .find(|f| f.id == service.framework_id)
                    .unwrap();
                (p.service, f)
            })
            .collect();
        let events = schedule(&days, &plans, &frameworks).unwrap();
        assert!(events.iter().all(|e| e.at < now));
        for o in plans.iter().filter(|o| o.submitted.is_some()) {
            let a = ADHESIONS.iter().find(|a| a.nis == o.nis).unwrap();
            assert!(a.activate.unwrap() > o.submitted.unwrap(), "{}", o.key);
        }
        assert!((12..=20).contains(&plans.len()));
        // Every act is done by a demo account of the right commune.
        let accounts = crate::seed::demo_accounts(&catalogue.providers);
        let has = |name: &str| accounts.iter().any(|a| a.username == name);
        for a in ADHESIONS {
            assert!(has(&format!("dg.{}", a.nis)) && has(&format!("bourgmestre.{}", a.nis)));
        }
        for o in &plans {
            let author = accounts.iter().find(|a| a.username == o.author).unwrap();
            assert_eq!(author.commune_nis.as_deref(), Some(o.nis), "{}", o.key);
        }
        for p in PROVIDERS {
            assert!(has(&format!("prestataire.{p}")));
        }
        assert!((8..=12).contains(&ADHESIONS.len()));
    }
}
