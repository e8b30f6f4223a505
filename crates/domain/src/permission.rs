//! Who may do what, on whose record: the one permission matrix.
//!
//! The server's engine and the desktop app's offline effects both ask [`authorize`], so a PC
//! never accepts what the server refuses (or the other way round), and both give the same
//! refusal: `forbidden` when the role may not do the act at all, `not_found` when the record
//! belongs to another commune or provider (the same answer as an unknown record, so nothing
//! leaks about what exists elsewhere).

use uuid::Uuid;

use crate::role::Role;
use crate::signatory::Gender;
use crate::DomainError;

/// Who acts: an account with its role and what it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// Account id (`system` for the server's own scheduled acts).
    pub user_id: String,
    /// Name shown in signatures and records.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Commune of a commune account.
    pub commune_nis: Option<String>,
    /// Provider of a provider account.
    pub provider_id: Option<Uuid>,
    /// How the person is addressed (the gender of their title on what they sign).
    pub gender: Gender,
}

/// Every act a person (or the server's scheduler) can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Act {
    /// `adhesion.start`
    StartAdhesion,
    /// `adhesion.record_college_decision`
    RecordAdhesionDecision,
    /// `adhesion.sign`
    SignAdhesion,
    /// `adhesion.countersign`
    CountersignAdhesion,
    /// `adhesion.activate`
    ActivateAdhesion,
    /// `adhesion.terminate`
    TerminateAdhesion,
    /// `substitution.record`
    RecordSubstitution,
    /// `substitution.end`
    EndSubstitution,
    /// `order.create_draft`
    CreateOrderDraft,
    /// `order.update_draft`
    UpdateOrderDraft,
    /// `order.delete_draft`
    DeleteOrderDraft,
    /// `order.submit`
    SubmitOrder,
    /// `order.declare_no_conflict`
    DeclareNoConflict,
    /// `order.cancel`
    CancelOrder,
    /// `order.withdraw`
    WithdrawOrder,
    /// `order.launch_competition`, `order.relaunch_competition`
    LaunchCompetition,
    /// `order.extend_deadline`
    ExtendDeadline,
    /// `order.ask_question`
    AskQuestion,
    /// `order.set_offer_aside`
    SetOfferAside,
    /// `order.ask_price_justification`
    AskPriceJustification,
    /// `order.answer_price_justification`
    AnswerPriceJustification,
    /// `order.accept_price_justification`
    AcceptPriceJustification,
    /// `order.answer_question`
    AnswerQuestion,
    /// `order.open_offers`
    OpenOffers,
    /// `order.evaluate`
    EvaluateOffers,
    /// `order.award`
    AwardOrder,
    /// `order.direct_award`
    DirectAwardOrder,
    /// `order.issue_purchase_order`
    IssuePurchaseOrder,
    /// `order.accept_provisional`, `order.accept_final`
    AcceptOrder,
    /// `offer.submit`
    SubmitOffer,
    /// `milestone.update`
    UpdateMilestone,
    /// `milestone.acknowledge`
    AcknowledgeMilestone,
    /// `milestone.request_replan` (issue 17 point 5)
    RequestReplan,
    /// `milestone.decide_replan` (issue 17 point 5)
    DecideReplan,
    /// `provider.register`
    RegisterProvider,
    /// `framework.publish_version`
    PublishFrameworkVersion,
    /// `service.add`
    AddService,
    /// Read the e-mails the server gave up sending (issue 14: the centrale follows delivery).
    ReadFailedMail,
    /// Send a failed e-mail again, to its address or a corrected one (issue 14).
    RetryFailedMail,
    /// Store the file of a framework document on the server (issue 12 §2).
    UploadFrameworkDocument,
    /// Obtain the documents of an order or an adhesion from the server (issue 12 §1): every
    /// role, each on its own records (which documents a provider gets is
    /// `centrale_documents::OrderDocuments::allowed`).
    ReadDocuments,
    /// Read the follow-up of the frameworks (issue 16 point 5): their ends, their consumption
    /// and which communes use which solutions — every commune's call-offs together.
    TrackFrameworks,
    /// `account.set_mail_preferences`: each account chooses for itself (issue 14).
    SetMailPreferences,
    /// `accompaniment.publish_price_list` (issue 16 §2)
    PublishAccompanimentPriceList,
    /// `accompaniment.order`
    OrderAccompaniment,
    /// `accompaniment.cancel`
    CancelAccompaniment,
    /// `accompaniment.plan`, `accompaniment.record_delivery`
    PlanAccompaniment,
    /// `accompaniment.invoice`
    InvoiceAccompaniment,
    /// `survey.publish` (issue 16 §3)
    PublishSurvey,
    /// `survey.save_answers`: a draft, by anyone of the commune
    SaveSurveyAnswers,
    /// `survey.send_answers`: signed by the directeur général
    SendSurveyAnswers,
    /// Reading every commune's answers to a survey (the centrale's results)
    ReadSurveyResults,
    /// `pool.create` (issue 16 §4): the centrale opens a pooled call-off
    CreatePool,
    /// `pool.launch_competition`: one competition for every member
    LaunchPooledCompetition,
    /// `pool.declare_no_conflict`: the centrale's evaluator, before the common analysis
    DeclarePoolNoConflict,
    /// `pool.evaluate`: the common analysis, on the pooled volume
    EvaluatePooledOffers,
    /// `offer.submit_pooled`: a provider's one offer for every member
    SubmitPooledOffer,
    /// `pool.set_offer_aside`: an irregular pooled offer left out of the common analysis
    SetPooledOfferAside,
    /// `pool.extend_deadline`: the pool's deadline moved later for every member
    ExtendPoolDeadline,
}

/// The three commune roles.
pub const COMMUNE_ROLES: &[Role] = &[Role::DirectorGeneral, Role::Mayor, Role::CommuneStaff];
/// The commune's signatories (CDLD L1132-3: acts signed by the mayor and the director general).
pub const SIGNATORIES: &[Role] = &[Role::DirectorGeneral, Role::Mayor];
const CENTRALE: &[Role] = &[Role::CentraleStaff];
const DIRECTOR_GENERAL: &[Role] = &[Role::DirectorGeneral];
const COMMUNE_OR_CENTRALE: &[Role] = &[
    Role::DirectorGeneral,
    Role::Mayor,
    Role::CommuneStaff,
    Role::CentraleStaff,
];
const PROVIDER: &[Role] = &[Role::ProviderUser];
const PROVIDER_OR_CENTRALE: &[Role] = &[Role::ProviderUser, Role::CentraleStaff];
const EVERY_ROLE: &[Role] = &[
    Role::DirectorGeneral,
    Role::Mayor,
    Role::CommuneStaff,
    Role::CentraleStaff,
    Role::ProviderUser,
];

impl Act {
    /// The roles that may do this act (on a record they may act on).
    pub fn roles(self) -> &'static [Role] {
        use Act::*;
        match self {
            StartAdhesion
            | RecordAdhesionDecision
            | CreateOrderDraft
            | UpdateOrderDraft
            | DeleteOrderDraft
            | SubmitOrder
            | DeclareNoConflict
            | CancelOrder
            | EvaluateOffers
            | AcknowledgeMilestone
            | DecideReplan
            | OrderAccompaniment
            | CancelAccompaniment
            | SaveSurveyAnswers => COMMUNE_ROLES,
            // The commune's answers are its correspondence with the centrale: the directeur
            // général signs it (CDLD L1132-3).
            SendSurveyAnswers => DIRECTOR_GENERAL,
            // Designating a substitute is the titulars' act (a substitute does not designate
            // another one); signing is the signatories', or a substitute's on a covered day
            // (see `signatory::signer_for`).
            RecordSubstitution | EndSubstitution => SIGNATORIES,
            SignAdhesion
            | TerminateAdhesion
            | WithdrawOrder
            | SetOfferAside
            | AwardOrder
            | DirectAwardOrder
            | AcceptOrder
            | AcceptPriceJustification => SIGNATORIES,
            CountersignAdhesion
            | ActivateAdhesion
            | LaunchCompetition
            | ExtendDeadline
            | AnswerQuestion
            | IssuePurchaseOrder
            | RegisterProvider
            | PublishFrameworkVersion
            | AddService
            | ReadFailedMail
            | RetryFailedMail
            | UploadFrameworkDocument
            | TrackFrameworks
            | PublishAccompanimentPriceList
            | PlanAccompaniment
            | InvoiceAccompaniment
            | PublishSurvey
            | ReadSurveyResults
            // The centrale conducts a pooled call-off's procedure for its members (law of 17
            // June 2016 art. 47 §2; `crate::pool`): the communes decide on its analysis.
            | CreatePool
            | LaunchPooledCompetition
            | DeclarePoolNoConflict
            | EvaluatePooledOffers
            | SetPooledOfferAside
            | ExtendPoolDeadline => CENTRALE,
            // Asking is preparatory: the commune, or the centrale for it (convention art. 4.4);
            // deciding on the answer (accepting, or setting aside) is the commune's.
            OpenOffers | AskPriceJustification => COMMUNE_OR_CENTRALE,
            SubmitOffer | SubmitPooledOffer | AskQuestion | AnswerPriceJustification => PROVIDER,
            // The centrale may correct a planning on the provider's behalf (it follows every
            // deployment); the acceptances stay the commune's acts (see `Milestone::update`).
            // Issue 17 point 5: the planned date moves by a request the commune decides on.
            UpdateMilestone | RequestReplan => PROVIDER_OR_CENTRALE,
            ReadDocuments | SetMailPreferences => EVERY_ROLE,
        }
    }

    /// What the act is, in French, after « ne permet pas de ».
    pub fn label_fr(self) -> &'static str {
        use Act::*;
        match self {
            StartAdhesion => "préparer la convention d'adhésion",
            RecordAdhesionDecision => "enregistrer la décision d'adhérer",
            SignAdhesion => "signer la convention au nom de la commune",
            CountersignAdhesion => "contresigner une convention d'adhésion",
            ActivateAdhesion => "activer une adhésion",
            TerminateAdhesion => "résilier la convention",
            RecordSubstitution => "désigner un remplaçant du bourgmestre ou du directeur général",
            EndSubstitution => "mettre fin à un remplacement",
            CreateOrderDraft => "préparer une commande",
            UpdateOrderDraft => "modifier une commande",
            DeleteOrderDraft => "supprimer un brouillon",
            SubmitOrder => "envoyer une demande",
            DeclareNoConflict => "déclarer l'absence de conflit d'intérêts",
            CancelOrder => "annuler une commande",
            WithdrawOrder => "retirer une commande",
            LaunchCompetition => "lancer une remise en concurrence",
            ExtendDeadline => "prolonger la date limite d'une remise en concurrence",
            AskQuestion => "poser une question sur une remise en concurrence",
            SetOfferAside => "écarter une offre irrégulière ou anormalement basse",
            AskPriceJustification => "demander la justification des prix d'une offre",
            AnswerPriceJustification => "justifier les prix d'une offre",
            AcceptPriceJustification => "accepter la justification des prix d'une offre",
            AnswerQuestion => "répondre aux questions d'une remise en concurrence",
            OpenOffers => "ouvrir les offres",
            EvaluateOffers => "évaluer les offres",
            AwardOrder | DirectAwardOrder => "attribuer une commande",
            IssuePurchaseOrder => "émettre un bon de commande",
            AcceptOrder => "signer une réception",
            SubmitOffer => "remettre une offre",
            UpdateMilestone => "mettre à jour un jalon",
            AcknowledgeMilestone => "prendre acte d'un jalon",
            RequestReplan => "demander une nouvelle date pour un jalon",
            DecideReplan => "accepter ou refuser une nouvelle date de jalon",
            RegisterProvider => "enregistrer un prestataire",
            PublishFrameworkVersion => "publier une version d'accord-cadre",
            AddService => "ajouter un service au catalogue",
            ReadFailedMail => "consulter les e-mails non remis",
            RetryFailedMail => "renvoyer un e-mail non remis",
            UploadFrameworkDocument => "déposer le fichier d'un document d'accord-cadre",
            ReadDocuments => "obtenir les documents d'une commande ou d'une adhésion",
            TrackFrameworks => "suivre les accords-cadres de toutes les communes",
            SetMailPreferences => "choisir comment être prévenu par e-mail",
            PublishAccompanimentPriceList => "publier la liste de prix de l'accompagnement",
            OrderAccompaniment => "commander un accompagnement à l'intercommunale",
            CancelAccompaniment => "annuler une commande d'accompagnement",
            PlanAccompaniment => "planifier ou réaliser un accompagnement",
            InvoiceAccompaniment => "facturer un accompagnement",
            PublishSurvey => "publier une enquête sur les besoins des communes",
            SaveSurveyAnswers => "préparer les réponses de la commune à une enquête",
            SendSurveyAnswers => "envoyer les réponses de la commune à une enquête",
            ReadSurveyResults => "consulter les réponses de toutes les communes à une enquête",
            CreatePool => "ouvrir un marché groupé",
            LaunchPooledCompetition => "lancer la remise en concurrence d'un marché groupé",
            DeclarePoolNoConflict => {
                "déclarer l'absence de conflit d'intérêts sur un marché groupé"
            }
            EvaluatePooledOffers => "analyser les offres d'un marché groupé",
            SubmitPooledOffer => "remettre une offre pour un marché groupé",
            SetPooledOfferAside => "écarter une offre d'un marché groupé",
            ExtendPoolDeadline => "prolonger la date limite d'un marché groupé",
        }
    }
}

/// Whose record an act is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner<'a> {
    /// A new record of the actor's own (a draft, an adhesion) or a catalogue record.
    Own,
    /// A record of a commune (its adhesion, its order).
    Commune(&'a str),
    /// A record of a provider (an invitation it answers, a milestone it carries out).
    Provider(Uuid),
}

/// May `actor` do `act` on a record owned by `owner`? A record of another commune (for a
/// commune account) or of another provider (for a provider account) is `not_found` whatever
/// the act: the caller may not see it, and its PC, never shown it, cannot tell it from an
/// unknown record — so the server answers as the PC does. Then the role (`forbidden`, saying
/// who may), then the owner: a commune acts only for itself, a provider only for itself
/// (`not_found` otherwise); the centrale acts for everyone where its role allows.
pub fn authorize(actor: &Actor, act: Act, owner: Owner<'_>) -> Result<(), DomainError> {
    let hidden = match (owner, actor.role) {
        (Owner::Commune(nis), role) if role.is_commune() => {
            actor.commune_nis.as_deref() != Some(nis)
        }
        (Owner::Provider(id), Role::ProviderUser) => actor.provider_id != Some(id),
        _ => false,
    };
    if hidden {
        return Err(DomainError::NotFound);
    }
    if !act.roles().contains(&actor.role) {
        return Err(DomainError::Forbidden {
            act,
            role: actor.role,
        });
    }
    let own = match (owner, actor.role) {
        (_, Role::CentraleStaff) => true,
        (Owner::Own, role) if role.is_commune() => actor.commune_nis.is_some(),
        (Owner::Own, _) => true,
        (Owner::Commune(nis), role) if role.is_commune() => {
            actor.commune_nis.as_deref() == Some(nis)
        }
        (Owner::Provider(id), Role::ProviderUser) => actor.provider_id == Some(id),
        _ => false,
    };
    if own {
        Ok(())
    } else {
        Err(DomainError::NotFound)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role) -> Actor {
        Actor {
            user_id: "u".into(),
            display_name: "U".into(),
            role,
            commune_nis: role.is_commune().then(|| "84009".to_string()),
            provider_id: (role == Role::ProviderUser).then(|| Uuid::from_u128(7)),
            gender: Gender::Unspecified,
        }
    }

    /// Issue 14: the centrale follows the delivery of e-mail; nobody else reads the failures
    /// (their subjects name orders and providers).
    #[test]
    fn only_the_centrale_reads_failed_mail() {
        assert!(authorize(&actor(Role::CentraleStaff), Act::ReadFailedMail, Owner::Own).is_ok());
        assert!(authorize(
            &actor(Role::CentraleStaff),
            Act::RetryFailedMail,
            Owner::Own
        )
        .is_ok());
        for role in [
            Role::DirectorGeneral,
            Role::Mayor,
            Role::CommuneStaff,
            Role::ProviderUser,
        ] {
            for act in [Act::ReadFailedMail, Act::RetryFailedMail] {
                let err = authorize(&actor(role), act, Owner::Own).unwrap_err();
                assert_eq!(err.code(), "forbidden");
            }
        }
    }

    /// Issue 16 point 5: the follow-up of the frameworks gathers every commune's call-offs:
    /// the centrale's alone.
    #[test]
    fn only_the_centrale_tracks_the_frameworks() {
        assert!(authorize(
            &actor(Role::CentraleStaff),
            Act::TrackFrameworks,
            Owner::Own
        )
        .is_ok());
        for role in [
            Role::DirectorGeneral,
            Role::Mayor,
            Role::CommuneStaff,
            Role::ProviderUser,
        ] {
            let err = authorize(&actor(role), Act::TrackFrameworks, Owner::Own).unwrap_err();
            assert_eq!(err.code(), "forbidden");
        }
    }

    #[test]
    fn role_first_then_owner() {
        let agent = actor(Role::CommuneStaff);
        // An agent may prepare an order for its commune, not award it.
        assert!(authorize(&agent, Act::UpdateOrderDraft, Owner::Commune("84009")).is_ok());
        let err = authorize(&agent, Act::AwardOrder, Owner::Commune("84009")).unwrap_err();
        assert_eq!(err.code(), "forbidden");
        assert!(err.to_string().contains("réservée"), "{err}");
        // Another commune's record is « not found », whatever the act.
        let err = authorize(&agent, Act::UpdateOrderDraft, Owner::Commune("81001")).unwrap_err();
        assert_eq!(err.code(), "not_found");
        // Even for an act its role may not do: the agent may not see that record (its PC is
        // never shown it), so it is not found before the role is checked.
        for act in [Act::AwardOrder, Act::SignAdhesion, Act::TerminateAdhesion] {
            let err = authorize(&agent, act, Owner::Commune("81001")).unwrap_err();
            assert_eq!(err.code(), "not_found", "{act:?}");
        }
    }

    #[test]
    fn the_centrale_updates_a_milestone_a_commune_acknowledges_it() {
        let centrale = actor(Role::CentraleStaff);
        assert!(authorize(
            &centrale,
            Act::UpdateMilestone,
            Owner::Provider(Uuid::from_u128(9))
        )
        .is_ok());
        let provider = actor(Role::ProviderUser);
        assert!(authorize(
            &provider,
            Act::UpdateMilestone,
            Owner::Provider(Uuid::from_u128(7))
        )
        .is_ok());
        assert_eq!(
            authorize(
                &provider,
                Act::UpdateMilestone,
                Owner::Provider(Uuid::from_u128(9))
            )
            .unwrap_err()
            .code(),
            "not_found"
        );
        assert_eq!(
            authorize(
                &centrale,
                Act::AcknowledgeMilestone,
                Owner::Commune("84009")
            )
            .unwrap_err()
            .code(),
            "forbidden"
        );
    }

    /// Issue 17 point 5: the provider (or the centrale) asks for a new date, the commune
    /// decides; neither does the other's act.
    #[test]
    fn rule_issue_17_5_the_provider_requests_a_replan_the_commune_decides() {
        let provider = actor(Role::ProviderUser);
        let own = Owner::Provider(Uuid::from_u128(7));
        assert!(authorize(&provider, Act::RequestReplan, own).is_ok());
        assert!(authorize(&actor(Role::CentraleStaff), Act::RequestReplan, own).is_ok());
        assert_eq!(
            authorize(&actor(Role::DirectorGeneral), Act::RequestReplan, own)
                .unwrap_err()
                .code(),
            "forbidden"
        );
        let commune = Owner::Commune("84009");
        assert!(authorize(&actor(Role::CommuneStaff), Act::DecideReplan, commune).is_ok());
        assert!(authorize(&actor(Role::DirectorGeneral), Act::DecideReplan, commune).is_ok());
        for role in [Role::ProviderUser, Role::CentraleStaff] {
            assert_eq!(
                authorize(&actor(role), Act::DecideReplan, commune)
                    .unwrap_err()
                    .code(),
                "forbidden"
            );
        }
        assert_eq!(
            authorize(
                &actor(Role::CommuneStaff),
                Act::DecideReplan,
                Owner::Commune("81001")
            )
            .unwrap_err()
            .code(),
            "not_found"
        );
    }

    #[test]
    fn a_commune_account_without_a_commune_owns_nothing() {
        let mut dg = actor(Role::DirectorGeneral);
        dg.commune_nis = None;
        assert_eq!(
            authorize(&dg, Act::CreateOrderDraft, Owner::Own)
                .unwrap_err()
                .code(),
            "not_found"
        );
    }
}
