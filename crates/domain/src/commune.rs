//! Communes (municipalities), keyed by their NIS (REFNIS) code, with mergers over time.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::ErrorCode;
use crate::DomainError;

/// A five-digit NIS code (Statbel REFNIS), e.g. `84009` for Bertrix.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, utoipa::ToSchema,
)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(try_from = "String", into = "String")]
#[schema(value_type = String, example = "84009")]
pub struct NisCode(String);

impl NisCode {
    /// Validates five digits whose first is a Belgian province digit (1–9).
    pub fn parse(input: &str) -> Result<NisCode, DomainError> {
        let s = input.trim();
        if s.len() == 5 && s.chars().all(|c| c.is_ascii_digit()) && !s.starts_with('0') {
            Ok(NisCode(s.to_string()))
        } else {
            Err(DomainError::field(ErrorCode::NisCodeInvalid, "nis_code").with("value", s))
        }
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The arrondissement code: first two digits followed by `000`.
    pub fn arrondissement(&self) -> String {
        format!("{}000", &self.0[..2])
    }
}

impl TryFrom<String> for NisCode {
    type Error = DomainError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        NisCode::parse(&value)
    }
}

impl From<NisCode> for String {
    fn from(value: NisCode) -> Self {
        value.0
    }
}

impl std::fmt::Display for NisCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A commune as it stood over a period; ended communes keep their record and name a successor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Commune {
    /// NIS code, the key.
    pub nis_code: NisCode,
    /// French name.
    pub name_fr: String,
    /// Dutch name.
    pub name_nl: String,
    /// Arrondissement name (French).
    pub arrondissement_fr: String,
    /// Arrondissement NIS code (e.g. 84000).
    pub arrondissement_nis: String,
    /// Inhabitants at `population_date`.
    pub population: u32,
    /// Reference date of the population figure.
    pub population_date: NaiveDate,
    /// Main postcode.
    pub main_postal_code: String,
    /// First day the code is valid (None: before our records).
    pub valid_from: Option<NaiveDate>,
    /// Last day the code is valid (None: still valid).
    pub valid_until: Option<NaiveDate>,
    /// The commune that took over after a merger.
    pub successor: Option<NisCode>,
    /// Its number at the Banque-Carrefour des Entreprises, once the centrale has loaded the
    /// official list (`centrale-server commune enterprise-numbers`); it identifies the commune
    /// as a party in the open data (OCDS `BE-BCE_KBO`). None until then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enterprise_number: Option<crate::enterprise::EnterpriseNumber>,
}

impl Commune {
    /// True when the code is in force on `date`.
    pub fn is_valid_on(&self, date: NaiveDate) -> bool {
        self.valid_from.is_none_or(|from| from <= date)
            && self.valid_until.is_none_or(|until| date <= until)
    }
}

/// Parses the reference CSV (`nis_code,name_fr,name_nl,arrondissement_fr,arrondissement_nis,
/// population_2020_01_01_statbel,main_postal_code,notes`). Pure: the caller reads the file.
pub fn parse_reference_csv(csv: &str) -> Result<Vec<Commune>, DomainError> {
    let population_date = NaiveDate::from_ymd_opt(2020, 1, 1).expect("valid constant date");
    let mut communes = Vec::new();
    for (index, line) in csv.lines().enumerate().skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.splitn(8, ',').collect();
        let bad = |column: &str| {
            DomainError::field(ErrorCode::CommunesCsvLineInvalid, "communes_csv")
                .with("line", index + 1)
                .with("column", column)
        };
        if fields.len() < 7 {
            return Err(bad("columns"));
        }
        communes.push(Commune {
            nis_code: NisCode::parse(fields[0]).map_err(|_| bad("nis_code"))?,
            name_fr: fields[1].to_string(),
            name_nl: fields[2].to_string(),
            arrondissement_fr: fields[3].to_string(),
            arrondissement_nis: fields[4].to_string(),
            population: fields[5].parse().map_err(|_| bad("population"))?,
            population_date,
            main_postal_code: fields[6].to_string(),
            valid_from: None,
            valid_until: None,
            successor: None,
            enterprise_number: None,
        });
    }
    Ok(communes)
}

/// Parses the list of the communes' enterprise numbers: one line per commune, `nis_code` then
/// `enterprise_number`, separated by `;` or `,` (as a Belgian spreadsheet saves it), an
/// optional header line. Pure: the caller reads the file.
pub fn parse_enterprise_numbers_csv(
    csv: &str,
) -> Result<Vec<(NisCode, crate::enterprise::EnterpriseNumber)>, DomainError> {
    let mut numbers = Vec::new();
    for (index, line) in csv.lines().enumerate() {
        let line = line.trim().trim_start_matches('\u{feff}');
        if line.is_empty() {
            continue;
        }
        let bad = |column: &str| {
            DomainError::field(
                ErrorCode::EnterpriseNumbersCsvLineInvalid,
                "enterprise_numbers_csv",
            )
            .with("line", index + 1)
            .with("column", column)
        };
        let fields: Vec<&str> = line.split([';', ',']).map(str::trim).collect();
        if index == 0 && fields.first().is_some_and(|f| NisCode::parse(f).is_err()) {
            continue; // the header
        }
        if fields.len() < 2 {
            return Err(bad("columns"));
        }
        numbers.push((
            NisCode::parse(fields[0]).map_err(|_| bad("nis_code"))?,
            crate::enterprise::EnterpriseNumber::parse(fields[1])
                .map_err(|_| bad("enterprise_number"))?,
        ));
    }
    Ok(numbers)
}

/// What a record moved by a merger keeps of the commune it came from (issue 11 rule 17): the
/// new commune succeeds to the merged ones' rights and obligations, each record keeps its
/// history and says where it came from (« reprise de Bertogne (82005) par fusion au
/// 01/01/2025 »).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Succession {
    /// The merged commune's code.
    pub from_nis: String,
    /// Its French name.
    pub from_name: String,
    /// The merger's effective day.
    pub on: NaiveDate,
}

/// Where a merger stands against the communes recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MergerCheck {
    /// Not applied yet: apply it.
    ToApply,
    /// Already applied (same new code, same day, same merged communes): nothing to do.
    AlreadyApplied,
}

/// A merger of communes into a new one, effective on a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merger {
    /// The new commune's code.
    pub new_nis: NisCode,
    /// The new commune's French name.
    pub name_fr: String,
    /// The new commune's Dutch name.
    pub name_nl: String,
    /// The merged communes' codes.
    pub merged: Vec<NisCode>,
    /// First day of the new code.
    pub effective: NaiveDate,
    /// Main postcode of the new commune.
    pub main_postal_code: String,
}

impl Merger {
    /// Bastogne (82003) and Bertogne (82005) became Bastogne (82039) on 1 January 2025.
    pub fn bastogne_2025() -> Merger {
        Merger {
            new_nis: NisCode("82039".into()),
            name_fr: "Bastogne".into(),
            name_nl: "Bastenaken".into(),
            merged: vec![NisCode("82003".into()), NisCode("82005".into())],
            effective: NaiveDate::from_ymd_opt(2025, 1, 1).expect("valid constant date"),
            main_postal_code: "6600".into(),
        }
    }

    /// Checks the merger against the communes recorded, on `today` (issue 11 rule 17): at least
    /// one merged commune, each known and still in force (not ended nor merged before); the
    /// new code not used by another commune; the effective day not after today (a merger is
    /// recorded once the new commune exists: before, the old communes still act on their own)
    /// and not more than ten years ago (a typing slip). The same merger applied again is
    /// `AlreadyApplied`: running the command twice changes nothing.
    pub fn check(
        &self,
        communes: &[Commune],
        today: NaiveDate,
    ) -> Result<MergerCheck, DomainError> {
        if self.merged.is_empty() {
            return Err(DomainError::field(ErrorCode::MergerEmpty, "merger"));
        }
        let find = |code: &NisCode| communes.iter().find(|c| &c.nis_code == code);
        if let Some(existing) = find(&self.new_nis) {
            let applied = existing.valid_from == Some(self.effective)
                && self.merged.iter().all(|code| {
                    find(code).is_some_and(|c| c.successor.as_ref() == Some(&self.new_nis))
                });
            if applied {
                return Ok(MergerCheck::AlreadyApplied);
            }
            return Err(DomainError::field(ErrorCode::MergerNewCodeInUse, "into")
                .with("nis_code", &self.new_nis));
        }
        crate::time::check_past_act_date(
            "on",
            "merger_effective_date",
            self.effective,
            None,
            today,
        )?;
        for code in &self.merged {
            let commune = find(code).ok_or_else(|| {
                DomainError::field(ErrorCode::MergerCommuneUnknown, "from").with("nis_code", code)
            })?;
            if commune.successor.is_some() || commune.valid_until.is_some() {
                return Err(DomainError::field(ErrorCode::MergerCommuneEnded, "from")
                    .with("nis_code", code));
            }
        }
        Ok(MergerCheck::ToApply)
    }

    /// What a record of the merged commune `nis` keeps when it moves (None: not merged here).
    pub fn succession_of(&self, nis: &str, communes: &[Commune]) -> Option<Succession> {
        let code = self.merged.iter().find(|c| c.as_str() == nis)?;
        let name = communes
            .iter()
            .find(|c| &c.nis_code == code)
            .map_or_else(|| code.to_string(), |c| c.name_fr.clone());
        Some(Succession {
            from_nis: code.to_string(),
            from_name: name,
            on: self.effective,
        })
    }

    /// Ends the merged communes the day before, names the successor, and returns the new
    /// commune (population = sum of the merged ones, same reference date).
    pub fn apply(&self, communes: &mut [Commune]) -> Result<Commune, DomainError> {
        let last_day = self.effective.pred_opt().unwrap_or(self.effective);
        let mut population = 0u32;
        let mut template: Option<Commune> = None;
        for code in &self.merged {
            let commune = communes
                .iter_mut()
                .find(|c| &c.nis_code == code)
                .ok_or_else(|| {
                    DomainError::field(ErrorCode::MergerCommuneUnknown, "merger")
                        .with("nis_code", code)
                })?;
            commune.valid_until = Some(last_day);
            commune.successor = Some(self.new_nis.clone());
            population = population.saturating_add(commune.population);
            template.get_or_insert_with(|| commune.clone());
        }
        let base = template.ok_or_else(|| DomainError::field(ErrorCode::MergerEmpty, "merger"))?;
        Ok(Commune {
            nis_code: self.new_nis.clone(),
            name_fr: self.name_fr.clone(),
            name_nl: self.name_nl.clone(),
            arrondissement_fr: base.arrondissement_fr,
            arrondissement_nis: base.arrondissement_nis,
            population,
            population_date: base.population_date,
            main_postal_code: self.main_postal_code.clone(),
            valid_from: Some(self.effective),
            valid_until: None,
            successor: None,
            // A new commune is a new legal person: its number comes with the official list.
            enterprise_number: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CSV: &str = include_str!("../../server/seed/communes-luxembourg.csv");

    #[test]
    fn nis_codes_are_five_digits() {
        assert!(NisCode::parse("84009").is_ok());
        for bad in ["8400", "840090", "8400a", "04009", ""] {
            assert_eq!(NisCode::parse(bad).unwrap_err().code(), "nis_code_invalid");
        }
        assert_eq!(NisCode::parse("84009").unwrap().arrondissement(), "84000");
    }

    #[test]
    fn reference_table_has_44_communes_and_the_bastogne_merger() {
        let mut communes = parse_reference_csv(CSV).unwrap();
        assert_eq!(communes.len(), 44);
        let new = Merger::bastogne_2025().apply(&mut communes).unwrap();
        assert_eq!(new.nis_code.as_str(), "82039");
        assert_eq!(new.population, 16_276 + 3_656);
        let day = NaiveDate::from_ymd_opt(2025, 6, 1).unwrap();
        let old_bastogne = communes
            .iter()
            .find(|c| c.nis_code.as_str() == "82003")
            .unwrap();
        assert!(!old_bastogne.is_valid_on(day));
        assert!(old_bastogne.is_valid_on(NaiveDate::from_ymd_opt(2024, 12, 31).unwrap()));
        assert_eq!(old_bastogne.successor.as_ref().unwrap().as_str(), "82039");
        assert!(new.is_valid_on(day));
        communes.push(new);
        assert_eq!(communes.iter().filter(|c| c.is_valid_on(day)).count(), 43);
    }

    #[test]
    fn enterprise_numbers_read_as_a_belgian_spreadsheet_saves_them() {
        let csv = "\u{feff}code INS;numéro d'entreprise\r\n84009;0123.456.749\r\n\r\n85045, BE 0123 456 749\n";
        let numbers = parse_enterprise_numbers_csv(csv).unwrap();
        assert_eq!(numbers.len(), 2);
        assert_eq!(numbers[0].0.as_str(), "84009");
        assert_eq!(numbers[0].1.digits(), "0123456749");
        assert_eq!(numbers[1].0.as_str(), "85045");
        assert_eq!(numbers[1].1.digits(), "0123456749");
        // Without a header, the first line is data.
        assert_eq!(
            parse_enterprise_numbers_csv("84009;0123456749")
                .unwrap()
                .len(),
            1
        );
    }

    #[test]
    fn an_unreadable_enterprise_number_line_names_its_line_and_column() {
        for (csv, line, column) in [
            ("nis;bce\n84009;0123.456.748\n", 2, "enterprise_number"),
            ("84009;0123.456.749\n8400;0123.456.749\n", 2, "nis_code"),
            ("84009\n", 1, "columns"),
        ] {
            let error = parse_enterprise_numbers_csv(csv).unwrap_err();
            assert_eq!(
                error.code(),
                ErrorCode::EnterpriseNumbersCsvLineInvalid,
                "{csv}"
            );
            assert_eq!(error.params()["line"], line, "{csv}");
            assert_eq!(error.params()["column"], column, "{csv}");
        }
    }

    #[test]
    fn merger_of_unknown_commune_is_refused() {
        let mut communes = parse_reference_csv(CSV).unwrap();
        let mut merger = Merger::bastogne_2025();
        merger.merged.push(NisCode("99999".into()));
        assert!(merger.apply(&mut communes).is_err());
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// Issue 11 rule 17: a merger on a running server is checked first (known communes still
    /// in force, a free new code, a day not in the future), and once applied it is recognised
    /// (running it twice changes nothing).
    #[test]
    fn rule_17_a_merger_is_checked_then_recognised_once_applied() {
        let mut communes = parse_reference_csv(CSV).unwrap();
        let merger = Merger::bastogne_2025();
        let today = day(2026, 12, 2);
        assert_eq!(
            merger.check(&communes, today).unwrap(),
            MergerCheck::ToApply
        );
        // Not before it takes effect; not a typing slip decades ago.
        for effective in [day(2026, 12, 3), day(2010, 1, 1)] {
            let mut early = merger.clone();
            early.effective = effective;
            let err = early.check(&communes, today).unwrap_err();
            assert_eq!(err.code(), "date_out_of_range");
            assert_eq!(err.params()["field"], "on");
        }
        let mut unknown = merger.clone();
        unknown.merged.push(NisCode("99999".into()));
        let err = unknown.check(&communes, today).unwrap_err();
        assert_eq!(err.code(), "merger_commune_unknown");
        assert_eq!(err.params()["nis_code"], "99999");
        let new = merger.apply(&mut communes).unwrap();
        assert_eq!(
            merger
                .succession_of("82005", &communes)
                .map(|s| (s.from_name, s.on)),
            Some(("Bertogne".to_string(), day(2025, 1, 1)))
        );
        assert!(merger.succession_of("84009", &communes).is_none());
        communes.push(new);
        assert_eq!(
            merger.check(&communes, today).unwrap(),
            MergerCheck::AlreadyApplied
        );
        // An ended commune is not merged again; the new code is not taken twice.
        let mut again = merger.clone();
        again.new_nis = NisCode("82040".into());
        assert_eq!(
            again.check(&communes, today).unwrap_err().code(),
            "merger_commune_ended"
        );
        let mut other = merger.clone();
        other.merged = vec![NisCode("82009".into())];
        assert_eq!(
            other.check(&communes, today).unwrap_err().code(),
            "merger_new_code_in_use"
        );
        assert!(Merger {
            merged: vec![],
            ..merger
        }
        .check(&communes, today)
        .is_err());
    }

    #[test]
    fn bad_csv_lines_name_the_line() {
        let err =
            parse_reference_csv("header\n84009,Bertrix,Bertrix,N,84000,abc,6880,").unwrap_err();
        assert!(err.to_string().contains("Ligne 2"));
    }
}
