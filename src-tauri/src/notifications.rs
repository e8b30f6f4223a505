//! Desktop notifications (issue 14 §2): after a sync, what newly waits for the signed-in
//! person is told by the operating system's notifications — once. The menu's count comes from
//! the same list (`Desktop::waiting`), so what is notified and what is counted never differ.
//!
//! The texts are French sentences for the system's notification centre (outside the window,
//! where the UI's catalogue does not reach): short, saying what waits and where to find it.

use centrale_store::read::{Waiting, WaitingKind};
use serde::Serialize;
use ts_rs::TS;

/// Beyond this many new things at once, one summary instead of one notification each (a
/// first sign-in on the centrale's PC must not flood the screen).
pub const MAX_SEPARATE: usize = 3;

/// Local setting: `off` when the person turned notifications off on this PC.
pub const SETTING: &str = "desktop_notifications";

/// One notification, as the system shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DesktopNotification {
    /// The first line, bold.
    pub title: String,
    /// What waits, and where.
    pub body: String,
}

/// What waits for the signed-in person, and whether the desktop tells it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct WaitingScreen {
    /// Everything waiting now (the menu's count).
    pub items: Vec<Waiting>,
    /// Whether new things are notified on this PC.
    pub notifications_enabled: bool,
}

/// The notifications for things that newly wait.
pub fn notifications_for(new: &[Waiting]) -> Vec<DesktopNotification> {
    if new.len() > MAX_SEPARATE {
        return vec![DesktopNotification {
            title: format!("Centrale : {} actions vous attendent", new.len()),
            body: "Ouvrez Centrale : la page d'accueil les énumère, les plus urgentes d'abord."
                .to_string(),
        }];
    }
    new.iter().map(notification).collect()
}

fn notification(w: &Waiting) -> DesktopNotification {
    let order = &w.title;
    let commune = &w.commune_name;
    let (title, body) = match w.kind {
        WaitingKind::RecordAdhesionDecision => (
            "Adhésion : décision à encoder".to_string(),
            format!("Encodez la décision d'adhérer de {commune} (page « Adhésion »)."),
        ),
        WaitingKind::SignAdhesion => (
            "Convention d'adhésion à signer".to_string(),
            format!("La convention d'adhésion de {commune} attend votre signature (page « Adhésion »)."),
        ),
        WaitingKind::SignTermination => (
            "Résiliation à signer".to_string(),
            format!("La résiliation de la convention de {commune} attend votre signature (page « Adhésion »)."),
        ),
        WaitingKind::CountersignAdhesion => (
            "Convention à contresigner".to_string(),
            format!("{commune} a signé sa convention d'adhésion : elle attend la contresignature de la centrale."),
        ),
        WaitingKind::ActivateAdhesion => (
            "Adhésion à activer".to_string(),
            format!("La convention de {commune} est contresignée : activez l'adhésion."),
        ),
        WaitingKind::LaunchCompetition => (
            "Remise en concurrence à lancer".to_string(),
            format!("{commune} a envoyé « {order} » : la remise en concurrence est à lancer."),
        ),
        WaitingKind::EvaluateOffers => (
            "Offres ouvertes".to_string(),
            format!("Les offres de « {order} » sont ouvertes : elles attendent votre évaluation."),
        ),
        WaitingKind::AwardOrder => (
            "Attribution à décider".to_string(),
            format!("« {order} » : les offres sont évaluées, l'attribution attend votre décision."),
        ),
        WaitingKind::IssuePurchaseOrder => (
            "Bon de commande à émettre".to_string(),
            format!("« {order} » ({commune}) est attribuée : le bon de commande est à émettre."),
        ),
        WaitingKind::AcceptProvisionally => (
            "Réception provisoire à signer".to_string(),
            format!("« {order} » est en production : la réception provisoire attend votre signature."),
        ),
        WaitingKind::AcceptFinally => (
            "Réception définitive à signer".to_string(),
            format!("« {order} » : le délai de garantie est écoulé, la réception définitive attend votre signature."),
        ),
        WaitingKind::LateMilestone => {
            let step = w.milestone.map_or("Une étape", |k| k.label_fr());
            let planned = w
                .planned_date
                .map(|d| format!(", prévue le {},", d.format("%d/%m/%Y")))
                .unwrap_or_default();
            (
                "Déploiement en retard".to_string(),
                format!("« {order} » ({commune}) : {step}{planned} n'est pas faite."),
            )
        }
        WaitingKind::PrepareSuccessor => {
            let end = w
                .end_date
                .map(|d| format!(" le {}", d.format("%d/%m/%Y")))
                .unwrap_or_default();
            (
                "Successeur à préparer".to_string(),
                format!("L'accord-cadre {order} se termine{end} et aucun accord-cadre ne lui succède : préparez le marché suivant (page « Suivi des accords-cadres »)."),
            )
        }
        WaitingKind::AnswerSurvey => {
            let end = w
                .end_date
                .map(|d| format!(" jusqu'au {}", d.format("%d/%m/%Y")))
                .unwrap_or_default();
            (
                "Enquête sur les besoins".to_string(),
                format!("La centrale demande les besoins de {commune} : « {order} » attend vos réponses{end} (page « Enquêtes »)."),
            )
        }
    };
    DesktopNotification { title, body }
}

#[cfg(test)]
mod tests {
    use super::*;
    use centrale_domain::deployment::MilestoneKind;
    use chrono::NaiveDate;
    use uuid::Uuid;

    fn waiting(kind: WaitingKind) -> Waiting {
        Waiting {
            key: format!("k:{kind:?}"),
            kind,
            record_id: Uuid::nil(),
            title: "Parking intelligent".into(),
            commune_nis: "84009".into(),
            commune_name: "Bertrix".into(),
            milestone: None,
            planned_date: None,
            end_date: None,
        }
    }

    #[test]
    fn each_new_thing_is_told_in_french_with_its_order_and_commune() {
        let mut late = waiting(WaitingKind::LateMilestone);
        late.milestone = Some(MilestoneKind::Training);
        late.planned_date = NaiveDate::from_ymd_opt(2027, 3, 4);
        let told = notifications_for(&[waiting(WaitingKind::SignAdhesion), late]);
        assert_eq!(told.len(), 2);
        assert_eq!(told[0].title, "Convention d'adhésion à signer");
        assert!(told[0].body.contains("Bertrix"), "{}", told[0].body);
        assert_eq!(told[1].title, "Déploiement en retard");
        assert!(
            told[1].body.contains("« Parking intelligent » (Bertrix)")
                && told[1].body.contains("04/03/2027")
                && told[1].body.contains(MilestoneKind::Training.label_fr()),
            "{}",
            told[1].body
        );
    }

    /// Issue 16 point 5: a framework ending within six months without a successor is told
    /// to the centrale with its end date.
    #[test]
    fn a_successor_to_prepare_is_told_with_the_end_date() {
        let mut item = waiting(WaitingKind::PrepareSuccessor);
        item.title = "CA-2025-01 — E-guichet".into();
        item.end_date = NaiveDate::from_ymd_opt(2027, 5, 3);
        let told = notifications_for(&[item]);
        assert_eq!(told[0].title, "Successeur à préparer");
        assert!(
            told[0]
                .body
                .contains("CA-2025-01 — E-guichet se termine le 03/05/2027"),
            "{}",
            told[0].body
        );
    }

    #[test]
    fn more_than_three_at_once_make_one_summary() {
        let many: Vec<Waiting> = [
            WaitingKind::EvaluateOffers,
            WaitingKind::AwardOrder,
            WaitingKind::AcceptFinally,
            WaitingKind::LaunchCompetition,
        ]
        .into_iter()
        .map(waiting)
        .collect();
        let told = notifications_for(&many);
        assert_eq!(told.len(), 1);
        assert_eq!(told[0].title, "Centrale : 4 actions vous attendent");
        assert_eq!(notifications_for(&many[..3]).len(), 3);
        assert!(notifications_for(&[]).is_empty());
    }
}
