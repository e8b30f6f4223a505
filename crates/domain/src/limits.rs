//! Every limit a person's typing is held to, written once. The domain's own checks use these
//! constants; the desktop UI reads the same values from `ui/src/bindings/rules.ts`, generated
//! from [`ALL`] by `centrale_desktop::bindings` (a test fails when the committed file is stale),
//! so a form never checks a number the server does not.
//!
//! Lengths count characters (Unicode scalar values) of the trimmed text, as the UI does with
//! `[...text].length`.

use crate::DomainError;

/// A survey's title, or a theme's (issue 16 §3).
pub const SURVEY_TITLE_MAX_CHARS: usize = 200;
/// A survey's introduction, or a question's help.
pub const SURVEY_TEXT_MAX_CHARS: usize = 2_000;
/// The questions of one survey.
pub const SURVEY_QUESTIONS_MAX: usize = 100;
/// A question's text.
pub const SURVEY_QUESTION_MAX_CHARS: usize = 500;
/// The choices of one question.
pub const SURVEY_CHOICES_MAX: usize = 30;
/// A choice's label (a need, in a few words).
pub const SURVEY_CHOICE_MAX_CHARS: usize = 200;
/// The largest number a question may accept (a budget in euros, inhabitants…).
pub const SURVEY_NUMBER_MAX: i64 = 1_000_000_000;
/// A free-text answer.
pub const SURVEY_ANSWER_MAX_CHARS: usize = 4_000;
/// The shortest title of a pooled call-off.
pub const POOL_TITLE_MIN_CHARS: usize = 5;
/// The longest title of a pooled call-off.
pub const POOL_TITLE_MAX_CHARS: usize = 200;
/// The shortest description of a pooled call-off's common need.
pub const POOL_DESCRIPTION_MIN_CHARS: usize = 20;
/// The longest description of a pooled call-off's common need.
pub const POOL_DESCRIPTION_MAX_CHARS: usize = 4_000;
/// Packages or days of one accompaniment service on one order.
pub const ACCOMPANIMENT_QUANTITY_MAX: u32 = 1_000;
/// A solution's name on its interoperability sheet.
pub const SOLUTION_NAME_MAX_CHARS: usize = 120;
/// A short entry of an interoperability sheet (a format, a licence, an interface, an address).
pub const INTEROPERABILITY_SHORT_TEXT_MAX_CHARS: usize = 300;
/// A sentence of an interoperability sheet (the reversibility, a check's note).
pub const INTEROPERABILITY_TEXT_MAX_CHARS: usize = 2_000;
/// Entries in one list of an interoperability sheet.
pub const INTEROPERABILITY_ENTRIES_MAX: usize = 30;
/// An order's title: 200 characters at most (a title, not a description).
pub const ORDER_TITLE_MAX_CHARS: usize = 200;
/// An order's description of its needs: 10 000 characters at most.
pub const ORDER_DESCRIPTION_MAX_CHARS: usize = 10_000;
/// The sites an order names: 500 at most…
pub const ORDER_SITES_MAX: usize = 500;
/// …of 200 characters each.
pub const ORDER_SITE_MAX_CHARS: usize = 200;
/// A quantity of a price line: above 0 and at most one million (a typing slip beyond).
pub const QUANTITY_MAX: u32 = 1_000_000;
/// The reason of a cancellation or a withdrawal: one sentence, 5 characters at least…
pub const CLOSE_REASON_MIN_CHARS: usize = 5;
/// …and 2 000 at most.
pub const CLOSE_REASON_MAX_CHARS: usize = 2_000;
/// A question asked during a competition, or its answer: a few words to a page (Dir. 2014/24
/// art. 18(1): the same answer to every invited provider).
pub const QUESTION_MIN_CHARS: usize = 5;
/// The longest question or answer.
pub const QUESTION_MAX_CHARS: usize = 4_000;
/// The reasons of an award decision (law of 17 June 2016 art. 4 and law of 29 July 1991 on the
/// formal motivation of administrative acts: the decision states its reasons): 20 characters
/// at least, so that a blank or a word is refused…
pub const AWARD_JUSTIFICATION_MIN_CHARS: usize = 20;
/// …and 10 000 at most.
pub const AWARD_JUSTIFICATION_MAX_CHARS: usize = 10_000;
/// The justification of a quality score (the award's reasons rest on it): 10 characters at
/// least.
pub const SCORE_JUSTIFICATION_MIN_CHARS: usize = 10;
/// A reference (collège decision, purchase order): 100 characters at most.
pub const REFERENCE_MAX_CHARS: usize = 100;
/// What a new version of a framework changes (a modification of a concluded framework is
/// recorded with its reason, Dir. 2014/24 art. 72): one sentence, 10 characters at least…
pub const CHANGE_NOTE_MIN_CHARS: usize = 10;
/// …and 1 000 at most (it is shown on the service's page).
pub const CHANGE_NOTE_MAX_CHARS: usize = 1_000;
/// The reason of a milestone re-plan request, or of the commune's refusal (issue 17 point 5):
/// one sentence, 5 characters at least…
pub const REPLAN_REASON_MIN_CHARS: usize = 5;
/// …and 2 000 at most.
pub const REPLAN_REASON_MAX_CHARS: usize = 2_000;
/// The weights of a framework's award criteria sum to 100 points.
pub const CRITERIA_WEIGHT_TOTAL: u32 = 100;
/// The largest amount a person may type: ten million euros, in cents. Anything above is a
/// typing slip, and it keeps `cents × quantity` far from overflow.
pub const AMOUNT_MAX_CENTS: i64 = 1_000_000_000;

// The catalogue's texts (a service, its framework, price lines, documents, providers): long
// enough for any real wording, short enough to show in a list.

/// A service's code (`stationnement-intelligent`).
pub const SERVICE_CODE_MAX_CHARS: usize = 60;
/// A service's name.
pub const SERVICE_NAME_MAX_CHARS: usize = 120;
/// A service's one-sentence summary.
pub const SERVICE_SUMMARY_MAX_CHARS: usize = 300;
/// A service's description.
pub const SERVICE_DESCRIPTION_MAX_CHARS: usize = 5_000;
/// A service's category.
pub const SERVICE_CATEGORY_MAX_CHARS: usize = 80;
/// A framework's reference (`CA-2025-03`).
pub const FRAMEWORK_REFERENCE_MAX_CHARS: usize = 40;
/// A framework's title.
pub const FRAMEWORK_TITLE_MAX_CHARS: usize = 200;
/// An award criterion's label.
pub const CRITERION_LABEL_MAX_CHARS: usize = 120;
/// A price line's code.
pub const PRICE_LINE_CODE_MAX_CHARS: usize = 40;
/// A price line's label.
pub const PRICE_LINE_LABEL_MAX_CHARS: usize = 200;
/// A price line's unit.
pub const PRICE_LINE_UNIT_MAX_CHARS: usize = 80;
/// A framework document's title.
pub const DOCUMENT_TITLE_MAX_CHARS: usize = 200;
/// A framework document's version.
pub const DOCUMENT_VERSION_MAX_CHARS: usize = 40;
/// A framework document's file name.
pub const DOCUMENT_FILE_NAME_MAX_CHARS: usize = 200;
/// A framework document's file, in MiB: 20 (a cahier spécial des charges with its annexes is a
/// few MiB; the file travels to every commune's PC and is kept there).
pub const DOCUMENT_FILE_MAX_MB: usize = 20;
/// The same in bytes (what the server and the PC check).
pub const DOCUMENT_FILE_MAX_BYTES: usize = DOCUMENT_FILE_MAX_MB * 1024 * 1024;
/// A provider's name.
pub const PROVIDER_NAME_MAX_CHARS: usize = 200;
/// A provider's short name (in its logins: `prestataire.<short_name>`).
pub const PROVIDER_SHORT_NAME_MAX_CHARS: usize = 30;
/// A provider's postal address.
pub const PROVIDER_ADDRESS_MAX_CHARS: usize = 300;
/// An e-mail address.
pub const EMAIL_MAX_CHARS: usize = 200;
/// The fonctionnaire dirigeant's name on a purchase order.
pub const CONTRACT_MANAGER_NAME_MAX_CHARS: usize = 200;
/// The fonctionnaire dirigeant's quality (function) on a purchase order.
pub const CONTRACT_MANAGER_QUALITY_MAX_CHARS: usize = 120;
/// The shortest text of a request to justify prices, and of its answer.
pub const PRICE_JUSTIFICATION_MIN_CHARS: usize = 10;
/// The longest text of a request to justify prices, and of its answer.
pub const PRICE_JUSTIFICATION_MAX_CHARS: usize = 10_000;
/// The shortest time, in calendar days, a provider is given to justify its prices (AR 18
/// April 2017 art. 36 §2 al. 1: twelve days, unless the request sets a longer one; no shorter
/// limit by agreement exists. The twelve days must be had in full from when the tenderer can
/// read the request: CE n° 253.125 of 2022).
pub const PRICE_JUSTIFICATION_MIN_DAYS: u32 = 12;
/// The longest one designation of a directeur général f.f. covers, in months; renewable by a
/// new decision of the collège (CDLD L1124-19).
pub const DIRECTOR_GENERAL_ACTING_MAX_MONTHS: u32 = 3;
/// The longest the directeur général's own designation of his replacement covers, in days
/// (both ends included), when the collège authorised it (CDLD L1124-19).
pub const DIRECTOR_GENERAL_OWN_DESIGNATION_MAX_DAYS: u32 = 30;
/// The shortest motivation of a set-aside or a withdrawal (`crate::order::MOTIVATION_MIN_CHARS`).
pub const MOTIVATION_MIN_CHARS: usize = crate::order::MOTIVATION_MIN_CHARS as usize;
/// The longest motivation of a set-aside or a withdrawal (`crate::order::MOTIVATION_MAX_CHARS`).
pub const MOTIVATION_MAX_CHARS: usize = crate::order::MOTIVATION_MAX_CHARS as usize;
/// The shortest statement of which échevins ranked before a bourgmestre f.f. are empêchés.
pub const RANKED_BEFORE_UNAVAILABLE_MIN_CHARS: usize = 20;
/// The longest such statement.
pub const RANKED_BEFORE_UNAVAILABLE_MAX_CHARS: usize = 1_000;
/// A login (the substitute's account on a substitution).
pub const USERNAME_MAX_CHARS: usize = 100;

/// How long before a framework's end its successor must be under way: six months (issue 16
/// point 5). A new framework cannot be concluded faster: a European open procedure gives at
/// least 35 days to tender (Dir. 2014/24 art. 27(1); law of 17 June 2016 art. 36 [verify: the
/// Belgian article was not read]), then the evaluation of the tenders, the award decision and
/// its standstill (Dir. 89/665 art. 2a; law of 17 June 2013 art. 11 [verify]) before the
/// framework is concluded; six months leaves room for the specifications and the
/// intercommunale's decisions. A framework in force that ends within this many months with
/// no successor is « Successeur à préparer ».
pub const SUCCESSOR_LEAD_MONTHS: u32 = 6;
/// The share of a framework's maximum value, in percent, from which its consumption is
/// flagged to the centrale (issue 16 point 5): at 80 % the next call-offs may no longer fit
/// (a call-off beyond the maximum is refused: CJEU C-216/17 Coopservice, C-23/20 Simonsen &
/// Weel; law of 17 June 2016 art. 43), so the successor or a new framework is to be prepared.
pub const CONSUMPTION_ALERT_PERCENT: u32 = 80;

/// Every limit above, by the name the UI reads it under (the constant's name).
pub const ALL: &[(&str, i64)] = &[
    ("SURVEY_TITLE_MAX_CHARS", SURVEY_TITLE_MAX_CHARS as i64),
    ("POOL_TITLE_MIN_CHARS", POOL_TITLE_MIN_CHARS as i64),
    ("POOL_TITLE_MAX_CHARS", POOL_TITLE_MAX_CHARS as i64),
    (
        "POOL_DESCRIPTION_MIN_CHARS",
        POOL_DESCRIPTION_MIN_CHARS as i64,
    ),
    (
        "POOL_DESCRIPTION_MAX_CHARS",
        POOL_DESCRIPTION_MAX_CHARS as i64,
    ),
    ("SURVEY_TEXT_MAX_CHARS", SURVEY_TEXT_MAX_CHARS as i64),
    ("SURVEY_QUESTIONS_MAX", SURVEY_QUESTIONS_MAX as i64),
    (
        "SURVEY_QUESTION_MAX_CHARS",
        SURVEY_QUESTION_MAX_CHARS as i64,
    ),
    ("SURVEY_CHOICES_MAX", SURVEY_CHOICES_MAX as i64),
    ("SURVEY_CHOICE_MAX_CHARS", SURVEY_CHOICE_MAX_CHARS as i64),
    ("SURVEY_NUMBER_MAX", SURVEY_NUMBER_MAX),
    ("SURVEY_ANSWER_MAX_CHARS", SURVEY_ANSWER_MAX_CHARS as i64),
    // The directeur financier's opinion above this amount TVAC (CDLD L1124-40 §1 3°).
    (
        "DF_OPINION_THRESHOLD_TVAC_CENTS",
        crate::decision::DF_OPINION_THRESHOLD_TVAC_CENTS.0,
    ),
    (
        "ACCOMPANIMENT_QUANTITY_MAX",
        ACCOMPANIMENT_QUANTITY_MAX as i64,
    ),
    ("SOLUTION_NAME_MAX_CHARS", SOLUTION_NAME_MAX_CHARS as i64),
    (
        "INTEROPERABILITY_SHORT_TEXT_MAX_CHARS",
        INTEROPERABILITY_SHORT_TEXT_MAX_CHARS as i64,
    ),
    (
        "INTEROPERABILITY_TEXT_MAX_CHARS",
        INTEROPERABILITY_TEXT_MAX_CHARS as i64,
    ),
    (
        "INTEROPERABILITY_ENTRIES_MAX",
        INTEROPERABILITY_ENTRIES_MAX as i64,
    ),
    ("ORDER_TITLE_MAX_CHARS", ORDER_TITLE_MAX_CHARS as i64),
    (
        "ORDER_DESCRIPTION_MAX_CHARS",
        ORDER_DESCRIPTION_MAX_CHARS as i64,
    ),
    ("ORDER_SITES_MAX", ORDER_SITES_MAX as i64),
    ("ORDER_SITE_MAX_CHARS", ORDER_SITE_MAX_CHARS as i64),
    ("QUANTITY_MAX", QUANTITY_MAX as i64),
    ("CLOSE_REASON_MIN_CHARS", CLOSE_REASON_MIN_CHARS as i64),
    ("CLOSE_REASON_MAX_CHARS", CLOSE_REASON_MAX_CHARS as i64),
    ("QUESTION_MIN_CHARS", QUESTION_MIN_CHARS as i64),
    ("QUESTION_MAX_CHARS", QUESTION_MAX_CHARS as i64),
    (
        "PRICE_JUSTIFICATION_MIN_CHARS",
        PRICE_JUSTIFICATION_MIN_CHARS as i64,
    ),
    (
        "PRICE_JUSTIFICATION_MAX_CHARS",
        PRICE_JUSTIFICATION_MAX_CHARS as i64,
    ),
    (
        "PRICE_JUSTIFICATION_MIN_DAYS",
        PRICE_JUSTIFICATION_MIN_DAYS as i64,
    ),
    (
        "DIRECTOR_GENERAL_ACTING_MAX_MONTHS",
        DIRECTOR_GENERAL_ACTING_MAX_MONTHS as i64,
    ),
    (
        "RANKED_BEFORE_UNAVAILABLE_MIN_CHARS",
        RANKED_BEFORE_UNAVAILABLE_MIN_CHARS as i64,
    ),
    (
        "RANKED_BEFORE_UNAVAILABLE_MAX_CHARS",
        RANKED_BEFORE_UNAVAILABLE_MAX_CHARS as i64,
    ),
    (
        "DIRECTOR_GENERAL_OWN_DESIGNATION_MAX_DAYS",
        DIRECTOR_GENERAL_OWN_DESIGNATION_MAX_DAYS as i64,
    ),
    ("MOTIVATION_MIN_CHARS", MOTIVATION_MIN_CHARS as i64),
    ("MOTIVATION_MAX_CHARS", MOTIVATION_MAX_CHARS as i64),
    (
        "AWARD_JUSTIFICATION_MIN_CHARS",
        AWARD_JUSTIFICATION_MIN_CHARS as i64,
    ),
    (
        "AWARD_JUSTIFICATION_MAX_CHARS",
        AWARD_JUSTIFICATION_MAX_CHARS as i64,
    ),
    (
        "SCORE_JUSTIFICATION_MIN_CHARS",
        SCORE_JUSTIFICATION_MIN_CHARS as i64,
    ),
    ("REFERENCE_MAX_CHARS", REFERENCE_MAX_CHARS as i64),
    (
        "CONTRACT_MANAGER_NAME_MAX_CHARS",
        CONTRACT_MANAGER_NAME_MAX_CHARS as i64,
    ),
    (
        "CONTRACT_MANAGER_QUALITY_MAX_CHARS",
        CONTRACT_MANAGER_QUALITY_MAX_CHARS as i64,
    ),
    ("USERNAME_MAX_CHARS", USERNAME_MAX_CHARS as i64),
    ("CHANGE_NOTE_MIN_CHARS", CHANGE_NOTE_MIN_CHARS as i64),
    ("CHANGE_NOTE_MAX_CHARS", CHANGE_NOTE_MAX_CHARS as i64),
    ("REPLAN_REASON_MIN_CHARS", REPLAN_REASON_MIN_CHARS as i64),
    ("REPLAN_REASON_MAX_CHARS", REPLAN_REASON_MAX_CHARS as i64),
    ("CRITERIA_WEIGHT_TOTAL", CRITERIA_WEIGHT_TOTAL as i64),
    ("AMOUNT_MAX_CENTS", AMOUNT_MAX_CENTS),
    ("SERVICE_CODE_MAX_CHARS", SERVICE_CODE_MAX_CHARS as i64),
    ("SERVICE_NAME_MAX_CHARS", SERVICE_NAME_MAX_CHARS as i64),
    (
        "SERVICE_SUMMARY_MAX_CHARS",
        SERVICE_SUMMARY_MAX_CHARS as i64,
    ),
    (
        "SERVICE_DESCRIPTION_MAX_CHARS",
        SERVICE_DESCRIPTION_MAX_CHARS as i64,
    ),
    (
        "SERVICE_CATEGORY_MAX_CHARS",
        SERVICE_CATEGORY_MAX_CHARS as i64,
    ),
    (
        "FRAMEWORK_REFERENCE_MAX_CHARS",
        FRAMEWORK_REFERENCE_MAX_CHARS as i64,
    ),
    (
        "FRAMEWORK_TITLE_MAX_CHARS",
        FRAMEWORK_TITLE_MAX_CHARS as i64,
    ),
    (
        "CRITERION_LABEL_MAX_CHARS",
        CRITERION_LABEL_MAX_CHARS as i64,
    ),
    (
        "PRICE_LINE_CODE_MAX_CHARS",
        PRICE_LINE_CODE_MAX_CHARS as i64,
    ),
    (
        "PRICE_LINE_LABEL_MAX_CHARS",
        PRICE_LINE_LABEL_MAX_CHARS as i64,
    ),
    (
        "PRICE_LINE_UNIT_MAX_CHARS",
        PRICE_LINE_UNIT_MAX_CHARS as i64,
    ),
    ("DOCUMENT_TITLE_MAX_CHARS", DOCUMENT_TITLE_MAX_CHARS as i64),
    (
        "DOCUMENT_VERSION_MAX_CHARS",
        DOCUMENT_VERSION_MAX_CHARS as i64,
    ),
    (
        "DOCUMENT_FILE_NAME_MAX_CHARS",
        DOCUMENT_FILE_NAME_MAX_CHARS as i64,
    ),
    ("DOCUMENT_FILE_MAX_MB", DOCUMENT_FILE_MAX_MB as i64),
    ("DOCUMENT_FILE_MAX_BYTES", DOCUMENT_FILE_MAX_BYTES as i64),
    ("PROVIDER_NAME_MAX_CHARS", PROVIDER_NAME_MAX_CHARS as i64),
    (
        "PROVIDER_SHORT_NAME_MAX_CHARS",
        PROVIDER_SHORT_NAME_MAX_CHARS as i64,
    ),
    (
        "PROVIDER_ADDRESS_MAX_CHARS",
        PROVIDER_ADDRESS_MAX_CHARS as i64,
    ),
    ("EMAIL_MAX_CHARS", EMAIL_MAX_CHARS as i64),
    ("SCORE_DECIMALS", crate::evaluation::SCORE_DECIMALS as i64),
    ("SUCCESSOR_LEAD_MONTHS", SUCCESSOR_LEAD_MONTHS as i64),
    (
        "CONSUMPTION_ALERT_PERCENT",
        CONSUMPTION_ALERT_PERCENT as i64,
    ),
    (
        "SECOND_FACTOR_CODE_DIGITS",
        crate::second_factor::CODE_DIGITS as i64,
    ),
    (
        "SECOND_FACTOR_OFFLINE_VALIDITY_HOURS",
        crate::second_factor::OFFLINE_VALIDITY_HOURS,
    ),
    (
        "SECOND_FACTOR_RECOVERY_CODE_CHARS",
        crate::second_factor::RECOVERY_CODE_CHARS as i64,
    ),
];

/// The number of characters of `text` once trimmed, as every length limit counts them.
pub fn chars(text: &str) -> usize {
    text.trim().chars().count()
}

/// Refuses a text longer than `max` characters (`text_too_long`, with the field, the maximum
/// and the length as raw numbers).
pub fn check_max(field: impl Into<String>, text: &str, max: usize) -> Result<(), DomainError> {
    let length = chars(text);
    if length > max {
        return Err(DomainError::field(crate::ErrorCode::TextTooLong, field)
            .with("max_chars", max)
            .with("length", length));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::check_change_note;

    /// Dir. 2014/24 art. 72: a modification of a concluded framework states what changes.
    /// The server now holds the note to the length the desktop form always asked for.
    #[test]
    fn rule_art_72_a_change_note_is_one_sentence() {
        let note = |n: usize| "é".repeat(n);
        assert!(check_change_note(&note(CHANGE_NOTE_MIN_CHARS)).is_ok());
        assert!(check_change_note(&note(CHANGE_NOTE_MAX_CHARS)).is_ok());
        assert!(check_change_note("  Indexation des prix.  ").is_ok());
        for bad in [
            String::new(),
            "   maj    ".to_string(),
            note(CHANGE_NOTE_MIN_CHARS - 1),
            note(CHANGE_NOTE_MAX_CHARS + 1),
        ] {
            let err = check_change_note(&bad).unwrap_err();
            assert_eq!(err.code(), "change_note_length");
            assert_eq!(err.params()["field"], "change_note");
            assert_eq!(err.params()["length"], chars(&bad));
            assert_eq!(err.params()["min_chars"], CHANGE_NOTE_MIN_CHARS);
            assert_eq!(err.params()["max_chars"], CHANGE_NOTE_MAX_CHARS);
            let text = err.to_string();
            assert!(
                text.contains("de 10 à 1") && text.contains("000 caractères"),
                "{text}"
            );
        }
    }

    #[test]
    fn every_limit_is_listed_once_for_the_ui() {
        let names: std::collections::BTreeSet<_> = ALL.iter().map(|(n, _)| *n).collect();
        assert_eq!(names.len(), ALL.len());
        assert!(ALL.iter().all(|(_, v)| *v > 0));
    }

    #[test]
    fn a_text_longer_than_its_maximum_is_refused_with_raw_numbers() {
        assert!(check_max(
            "name",
            &"é".repeat(PROVIDER_NAME_MAX_CHARS),
            PROVIDER_NAME_MAX_CHARS
        )
        .is_ok());
        let err = check_max("name", &"é".repeat(201), PROVIDER_NAME_MAX_CHARS).unwrap_err();
        assert_eq!(err.code(), "text_too_long");
        assert_eq!(err.params()["field"], "name");
        assert_eq!(err.params()["max_chars"], 200);
        assert_eq!(err.params()["length"], 201);
        assert!(err.to_string().contains("200 caractères au plus"));
    }

    #[test]
    fn the_catalogue_holds_its_texts_to_the_limits() {
        use crate::catalogue::Provider;
        use crate::enterprise::EnterpriseNumber;
        use crate::fixtures::sample_terms;

        let provider = Provider {
            id: uuid::Uuid::from_u128(1),
            short_name: "nuagix".into(),
            name: "Nuagix SA".into(),
            enterprise_number: EnterpriseNumber::parse("0123.456.749").unwrap(),
            address: "Rue de Fer 12, 5000 Namur".into(),
            contact_email: "offres@nuagix.be".into(),
        };
        assert!(provider.validate().is_ok());
        for (field, mut bad) in [
            ("name", provider.clone()),
            ("short_name", provider.clone()),
            ("address", provider.clone()),
            ("contact_email", provider.clone()),
        ] {
            let (text, max) = match field {
                "name" => (&mut bad.name, PROVIDER_NAME_MAX_CHARS),
                "short_name" => (&mut bad.short_name, PROVIDER_SHORT_NAME_MAX_CHARS),
                "address" => (&mut bad.address, PROVIDER_ADDRESS_MAX_CHARS),
                _ => (&mut bad.contact_email, EMAIL_MAX_CHARS),
            };
            *text = format!("{}@x", "a".repeat(max));
            let err = bad.validate().unwrap_err();
            assert_eq!(err.code(), "text_too_long", "{field}");
            assert_eq!(err.params()["field"], field);
        }

        let terms = sample_terms(&[uuid::Uuid::from_u128(1)]);
        assert!(terms.validate().is_ok());
        let mut long_label = terms.clone();
        long_label.price_schedule[0].label_fr = "é".repeat(PRICE_LINE_LABEL_MAX_CHARS + 1);
        let err = long_label.validate().unwrap_err();
        assert_eq!(err.code(), "text_too_long");
        assert_eq!(err.params()["field"], "price_schedule[0].label_fr");
        let mut long_criterion = terms.clone();
        long_criterion.award_criteria[0].label_fr = "é".repeat(CRITERION_LABEL_MAX_CHARS + 1);
        assert_eq!(
            long_criterion.validate().unwrap_err().params()["field"],
            "award_criteria[0].label_fr"
        );
    }

    #[test]
    fn lengths_count_characters_of_the_trimmed_text() {
        assert_eq!(chars("  été  "), 3);
        assert_eq!(chars(""), 0);
    }
}
