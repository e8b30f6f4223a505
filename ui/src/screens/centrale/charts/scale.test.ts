import { describe, expect, it } from "vitest";
import { formatEuros, formatMonth, niceScale, shorten, topWithOthers, yearOf } from "./scale";

describe("niceScale", () => {
  it("rounds the top of the axis up to a round step", () => {
    expect(niceScale(30)).toEqual({ max: 30, ticks: [0, 10, 20, 30] });
    expect(niceScale(33)).toEqual({ max: 40, ticks: [0, 10, 20, 30, 40] });
    expect(niceScale(7)).toEqual({ max: 8, ticks: [0, 2, 4, 6, 8] });
    expect(niceScale(1234)).toEqual({ max: 1500, ticks: [0, 500, 1000, 1500] });
  });

  it("never uses steps below 1 (counts and days are whole numbers)", () => {
    expect(niceScale(1)).toEqual({ max: 1, ticks: [0, 1] });
    expect(niceScale(3)).toEqual({ max: 3, ticks: [0, 1, 2, 3] });
    expect(niceScale(0)).toEqual({ max: 1, ticks: [0, 1] });
  });
});

describe("formatEuros", () => {
  it("writes cents as whole euros the Belgian way, rounded to the nearest euro", () => {
    expect(formatEuros(1_234_500)).toBe("12\u202f345\u00a0€");
    expect(formatEuros(1_234_550)).toBe("12\u202f346\u00a0€");
    expect(formatEuros(1_234_549)).toBe("12\u202f345\u00a0€");
    expect(formatEuros(0)).toBe("0\u00a0€");
  });
});

describe("months", () => {
  it("writes a YYYY-MM month in French", () => {
    expect(formatMonth("2026-01")).toBe("janvier 2026");
    expect(formatMonth("2026-03", "shortNoYear")).toBe("mars");
    expect(formatMonth("n'importe quoi")).toBe("n'importe quoi");
    expect(yearOf("2026-11")).toBe("2026");
  });
});

describe("topWithOthers", () => {
  const sum = (rest: number[]) => rest.reduce((a, b) => a + b, 0);

  it("keeps the first n and merges the rest into one", () => {
    expect(topWithOthers([5, 4, 3, 2, 1], 2, sum)).toEqual([5, 4, 6]);
  });

  it("keeps a short list as it is", () => {
    expect(topWithOthers([5, 4], 2, sum)).toEqual([5, 4]);
  });
});

describe("shorten", () => {
  it("cuts long labels with an ellipsis", () => {
    expect(shorten("Bertrix", 10)).toBe("Bertrix");
    expect(shorten("Saint-Léger-en-Gaume", 10)).toBe("Saint-Lég…");
  });
});
