import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { formatDate, formatDateTime, formatDeadline, formatDecimal, formatMoney, formatRelative } from "./format";

const NNBSP = "\u202f"; // thousands
const NBSP = "\u00a0"; // before € and HTVA

describe("formatMoney", () => {
  it("writes cents as Belgian euros with HTVA or TVAC", () => {
    expect(formatMoney(123456, "htva")).toBe(`1${NNBSP}234,56${NBSP}€${NBSP}HTVA`);
    expect(formatMoney(123456, "tvac")).toBe(`1${NNBSP}234,56${NBSP}€${NBSP}TVAC`);
  });

  it("handles zero, small, negative and large amounts exactly", () => {
    expect(formatMoney(0, "htva")).toBe(`0,00${NBSP}€${NBSP}HTVA`);
    expect(formatMoney(5, "htva")).toBe(`0,05${NBSP}€${NBSP}HTVA`);
    expect(formatMoney(-1250, "tvac")).toBe(`-12,50${NBSP}€${NBSP}TVAC`);
    expect(formatMoney(-123456789, "htva")).toBe(`-1${NNBSP}234${NNBSP}567,89${NBSP}€${NBSP}HTVA`);
    // Near the largest safe integer: no float rounding.
    expect(formatMoney(9007199254740991, "htva")).toBe(
      `90${NNBSP}071${NNBSP}992${NNBSP}547${NNBSP}409,91${NBSP}€${NBSP}HTVA`,
    );
  });
});

describe("formatDecimal", () => {
  it("shows decimals sent as strings with a comma, untouched", () => {
    expect(formatDecimal("72.50")).toBe("72,50");
    expect(formatDecimal("9")).toBe("9");
    expect(formatDecimal("-0.125")).toBe("-0,125");
    expect(formatDecimal("12345.6")).toBe(`12${NNBSP}345,6`);
    expect(formatDecimal("n/a")).toBe("n/a");
  });
});

describe("dates", () => {
  beforeAll(() => {
    // A machine far from Brussels: a calendar date must not move, a date-time must be
    // shown in Brussels time anyway.
    vi.stubEnv("TZ", "Pacific/Honolulu");
  });
  afterAll(() => {
    vi.unstubAllEnvs();
  });

  it("runs these tests on a machine far from Brussels", () => {
    expect(new Date("2027-03-12T05:00:00Z").getDate()).toBe(11);
  });

  it("shows a calendar date as it is, without a time-zone shift", () => {
    expect(formatDate("2027-03-12")).toBe("12/03/2027");
    expect(formatDate("2027-01-01")).toBe("01/01/2027");
    expect(formatDate("2026-12-31")).toBe("31/12/2026");
  });

  it("shows a date-time on its Brussels day", () => {
    // 23:30 UTC in winter is already the next day in Brussels (UTC+1).
    expect(formatDate("2027-03-12T23:30:00Z")).toBe("13/03/2027");
    // 22:30 UTC in summer is 00:30 the next day (UTC+2).
    expect(formatDateTime("2027-07-01T22:30:00Z")).toBe("02/07/2027 à 00:30");
  });

  it("follows the daylight-saving changes of Brussels", () => {
    // Spring forward on 28/03/2027 at 01:00 UTC.
    expect(formatDateTime("2027-03-28T00:59:00Z")).toBe("28/03/2027 à 01:59");
    expect(formatDateTime("2027-03-28T01:00:00Z")).toBe("28/03/2027 à 03:00");
    // Fall back on 31/10/2027 at 01:00 UTC.
    expect(formatDateTime("2027-10-31T00:30:00Z")).toBe("31/10/2027 à 02:30");
    expect(formatDateTime("2027-10-31T01:30:00Z")).toBe("31/10/2027 à 02:30");
  });

  it("writes deadlines with the hour and « heure de Bruxelles »", () => {
    expect(formatDeadline("2027-03-14T11:00:00Z")).toBe("14/03/2027 à 12:00 (heure de Bruxelles)");
    expect(formatDeadline("2027-06-14T10:00:00+00:00")).toBe("14/06/2027 à 12:00 (heure de Bruxelles)");
  });
});

describe("formatRelative", () => {
  const now = new Date("2027-03-12T14:00:00Z");
  it("says how long ago in French", () => {
    expect(formatRelative("2027-03-12T13:59:50Z", now)).toBe("à l'instant");
    expect(formatRelative("2027-03-12T13:58:00Z", now)).toBe("il y a 2 minutes");
    expect(formatRelative("2027-03-12T11:00:00Z", now)).toBe("il y a 3 heures");
    expect(formatRelative("2027-03-11T13:00:00Z", now)).toBe("hier");
    expect(formatRelative("2027-03-12T14:30:00Z", now)).toBe("dans 30 minutes");
  });

  it("gives the date beyond a week", () => {
    expect(formatRelative("2027-02-01T09:15:00Z", now)).toBe("le 01/02/2027 à 10:15");
  });
});
