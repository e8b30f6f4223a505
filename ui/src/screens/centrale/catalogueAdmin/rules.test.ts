import { describe, expect, it } from "vitest";
import {
  CODE,
  formatEnterpriseNumber,
  isEmail,
  isSha256,
  latestEndDate,
  normalizeVat,
  parseEnterpriseNumber,
  parseWhole,
  shortNameFrom,
  slugify,
} from "./rules";
import { isIsoDate } from "../../../calendar";
import { ENTERPRISE_NUMBER_VECTORS } from "../../../bindings/vectors";

describe("parseEnterpriseNumber decides exactly as Rust's EnterpriseNumber::check", () => {
  it.each(ENTERPRISE_NUMBER_VECTORS.map((v) => [JSON.stringify(v.input), v] as const))("%s", (_, v) => {
    const expected =
      v.digits !== null
        ? { kind: "ok", digits: v.digits, formatted: formatEnterpriseNumber(v.digits) }
        : v.input.trim() === ""
          ? { kind: "empty" }
          : { kind: "error", reason: v.refusal };
    expect(parseEnterpriseNumber(v.input)).toEqual(expected);
  });
});

describe("parseEnterpriseNumber (the Rust rule of crates/domain/src/enterprise.rs)", () => {
  it("accepts a valid number in every notation and gives the ten digits and the shown form", () => {
    for (const input of ["0123.456.749", "0123456749", "BE0123456749", "BE 0123 456 749", "be0123.456.749", " 0123-456-749 "]) {
      expect(parseEnterpriseNumber(input)).toEqual({ kind: "ok", digits: "0123456749", formatted: "0123.456.749" });
    }
  });

  it("refuses a wrong check digit, a wrong length, letters, and a first digit other than 0 or 1", () => {
    expect(parseEnterpriseNumber("0123.456.748")).toEqual({ kind: "error", reason: "check" });
    expect(parseEnterpriseNumber("123456749")).toEqual({ kind: "error", reason: "length" });
    expect(parseEnterpriseNumber("01234567490")).toEqual({ kind: "error", reason: "length" });
    expect(parseEnterpriseNumber("0123.45A.749")).toEqual({ kind: "error", reason: "length" });
    expect(parseEnterpriseNumber("2123.456.749")).toEqual({ kind: "error", reason: "first_digit" });
    expect(parseEnterpriseNumber("  ")).toEqual({ kind: "empty" });
  });

  it("agrees with 97 − (body mod 97) on many bodies, including a check of 97", () => {
    for (const body of [0, 1, 96, 97, 4567890, 8000000, 19999999]) {
      const check = 97 - (body % 97);
      const digits = `${String(body).padStart(8, "0")}${String(check).padStart(2, "0")}`;
      // A check of 97 makes eleven digits: no enterprise number has that body.
      if (digits.length === 10) expect(parseEnterpriseNumber(digits).kind).toBe("ok");
      const wrong = `${String(body).padStart(8, "0")}${String((check % 97) + 1).padStart(2, "0")}`;
      if (wrong !== digits && wrong.length === 10) expect(parseEnterpriseNumber(wrong)).toEqual({ kind: "error", reason: "check" });
    }
  });

  it("formats ten digits with dots, and leaves anything else as it is", () => {
    expect(formatEnterpriseNumber("0123456749")).toBe("0123.456.749");
    expect(formatEnterpriseNumber("0123.456.749")).toBe("0123.456.749");
    expect(formatEnterpriseNumber("inconnu")).toBe("inconnu");
  });
});

describe("codes and names", () => {
  it("suggests a service code from a name: lowercase, no accents, hyphens", () => {
    expect(slugify("Stationnement intelligent (capteurs)")).toBe("stationnement-intelligent-capteurs");
    expect(slugify("  Éclairage public — LED ")).toBe("eclairage-public-led");
    expect(slugify("E-guichet 2.0")).toBe("e-guichet-2-0");
    expect(slugify("a".repeat(70) + " b")).toHaveLength(60);
    for (const name of ["Stationnement intelligent", "Éclairage public — LED", "Œuvres d'art"]) {
      expect(CODE.test(slugify(name))).toBe(true);
    }
  });

  it("suggests a short name of letters only, without the legal form", () => {
    expect(shortNameFrom("Civitas Digital SA")).toBe("civitasdigital");
    expect(shortNameFrom("Nuagix SRL")).toBe("nuagix");
    expect(shortNameFrom("Société Générale d'Éclairage SPRL")).toBe("societegeneraledecla");
    expect(shortNameFrom("3D Cités BV")).toBe("dcites");
  });

  it("checks e-mail addresses and SHA-256 fingerprints", () => {
    expect(isEmail("offres@nuagix.be")).toBe(true);
    expect(isEmail("offres@nuagix")).toBe(false);
    expect(isEmail("offres nuagix.be")).toBe(false);
    expect(isSha256("63886db316a5e458e824fa7174d88e1aaf12b4509da2c993c9e3045674f81efb")).toBe(true);
    expect(isSha256("63886DB316A5E458E824FA7174D88E1AAF12B4509DA2C993C9E3045674F81EFB")).toBe(true);
    expect(isSha256("63886db316a5e458e824fa7174d88e1aaf12b4509da2c993c9e3045674f81ef")).toBe(false);
    expect(isSha256("z3886db316a5e458e824fa7174d88e1aaf12b4509da2c993c9e3045674f81efb")).toBe(false);
  });
});

describe("dates", () => {
  it("knows real calendar dates", () => {
    expect(isIsoDate("2028-02-29")).toBe(true);
    expect(isIsoDate("2027-02-29")).toBe(false);
    expect(isIsoDate("29/02/2028")).toBe(false);
  });

  it("gives the last end date of a four-year framework (the Rust rule: + 48 months, − 1 day)", () => {
    expect(latestEndDate("2025-03-01")).toBe("2029-02-28");
    expect(latestEndDate("2024-03-01")).toBe("2028-02-29");
    expect(latestEndDate("2026-01-31")).toBe("2030-01-30");
    expect(latestEndDate("2096-02-29")).toBe("2100-02-27");
    expect(latestEndDate("pas une date")).toBeNull();
  });
});

describe("numbers", () => {
  it("normalises VAT rates as Rust may send them", () => {
    expect(normalizeVat("21")).toBe("21");
    expect(normalizeVat("21.00")).toBe("21");
    expect(normalizeVat("6.0")).toBe("6");
    expect(normalizeVat("0")).toBe("0");
  });

  it("reads whole numbers the Belgian way, within bounds", () => {
    expect(parseWhole("1 000", 1, 1_000_000)).toEqual({ kind: "ok", value: 1000 });
    expect(parseWhole("1.000", 1, 1_000_000)).toEqual({ kind: "ok", value: 1000 });
    expect(parseWhole("1,5", 1, 100)).toEqual({ kind: "error" });
    expect(parseWhole("1.5", 1, 100)).toEqual({ kind: "error" });
    expect(parseWhole("0", 1, 100)).toEqual({ kind: "error" });
    expect(parseWhole("101", 1, 100)).toEqual({ kind: "error" });
    expect(parseWhole("", 1, 100)).toEqual({ kind: "empty" });
  });
});
