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
        });
    }
    Ok(communes)
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
    fn merger_of_unknown_commune_is_refused() {
        let mut communes = parse_reference_csv(CSV).unwrap();
        let mut merger = Merger::bastogne_2025();
        merger.merged.push(NisCode("99999".into()));
        assert!(merger.apply(&mut communes).is_err());
    }

    #[test]
    fn bad_csv_lines_name_the_line() {
        let err =
            parse_reference_csv("header\n84009,Bertrix,Bertrix,N,84000,abc,6880,").unwrap_err();
        assert!(err.to_string().contains("Ligne 2"));
    }
}
