import { describe, expect, it } from "vitest";
import { AMOUNT_VECTORS } from "../../bindings/vectors";
import { centsToInput, compareDecimal, decimalToInput, parseEuros, parseQuantity, parseScore, priceScore, priceScoreAgainstCeiling, type EurosResult } from "./numbers";

/** The UI's words for the refusal codes of `centrale_domain::money::AmountError`. */
const REASONS: Record<string, EurosResult> = {
  amount_missing: { kind: "empty" },
  amount_unreadable: { kind: "error", reason: "format" },
  amount_negative: { kind: "error", reason: "negative" },
  amount_too_high: { kind: "error", reason: "too_large" },
};

describe("parseEuros decides exactly as Rust's parse_euros (the portal's parser)", () => {
  it("has every refusal code of Rust", () => {
    for (const v of AMOUNT_VECTORS) if (v.refusal !== null) expect(REASONS[v.refusal], v.refusal).toBeDefined();
  });

  it.each(AMOUNT_VECTORS.map((v) => [JSON.stringify(v.input), v] as const))("%s", (_, v) => {
    const expected = v.cents !== null ? { kind: "ok", cents: v.cents } : REASONS[v.refusal ?? ""];
    expect(parseEuros(v.input)).toEqual(expected);
  });
});

describe("parseEuros", () => {
  it.each([
    ["12 500,50", 1250050],
    ["12 500,00", 1250000],
    ["12\u202f500,5", 1250050],
    ["12.500,50", 1250050],
    ["12500.50", 1250050],
    ["12.500", 1250000],
    ["12 500", 1250000],
    ["12 500,50 €", 1250050],
    ["0,07", 7],
    ["0", 0],
    ["1,1", 110],
  ])("« %s » is %i cents", (text, cents) => {
    expect(parseEuros(text)).toEqual({ kind: "ok", cents });
  });

  it("is empty when nothing is typed", () => {
    expect(parseEuros("  ")).toEqual({ kind: "empty" });
  });

  it.each([
    ["12,505", "format"],
    ["douze", "format"],
    ["12,5,0", "format"],
    ["1.2345", "format"],
    ["-5", "negative"],
    ["1234567890123", "too_large"],
    ["10 000 000,01", "too_large"],
  ])("refuses « %s » (%s)", (text, reason) => {
    expect(parseEuros(text)).toEqual({ kind: "error", reason });
  });

  it("never goes through a float (0,29 is 29 cents, 1 000 000,01 is exact)", () => {
    expect(parseEuros("0,29")).toEqual({ kind: "ok", cents: 29 });
    expect(parseEuros("1 000 000,01")).toEqual({ kind: "ok", cents: 100000001 });
  });

  it("round-trips with centsToInput", () => {
    expect(centsToInput(1250050)).toBe("12 500,50");
    expect(centsToInput(7)).toBe("0,07");
    expect(parseEuros(centsToInput(98765432))).toEqual({ kind: "ok", cents: 98765432 });
  });
});

describe("parseQuantity", () => {
  it("accepts a comma or a dot", () => {
    expect(parseQuantity("2,5")).toEqual({ kind: "ok", value: "2.5" });
    expect(parseQuantity("12")).toEqual({ kind: "ok", value: "12" });
    expect(parseQuantity("007")).toEqual({ kind: "ok", value: "7" });
  });

  it("refuses zero, text and more than a million", () => {
    expect(parseQuantity("0")).toEqual({ kind: "error", reason: "zero" });
    expect(parseQuantity("0,000")).toEqual({ kind: "error", reason: "zero" });
    expect(parseQuantity("deux")).toEqual({ kind: "error", reason: "format" });
    expect(parseQuantity("-1")).toEqual({ kind: "error", reason: "format" });
    expect(parseQuantity("1000000,5")).toEqual({ kind: "error", reason: "too_large" });
    expect(parseQuantity("1000000")).toEqual({ kind: "ok", value: "1000000" });
  });
});

describe("parseScore", () => {
  it("« 7,5 » is sent as \"7.5\"", () => {
    expect(parseScore("7,5", 40)).toEqual({ kind: "ok", value: "7.5" });
  });

  it("stays between 0 and the weight, two decimals at most", () => {
    expect(parseScore("40", 40)).toEqual({ kind: "ok", value: "40" });
    expect(parseScore("40,01", 40)).toEqual({ kind: "error", reason: "out_of_range" });
    expect(parseScore("7,555", 40)).toEqual({ kind: "error", reason: "format" });
    expect(parseScore("", 40)).toEqual({ kind: "empty" });
  });

  it("shows a saved score with a comma", () => {
    expect(decimalToInput("7.50")).toBe("7,50");
  });
});

describe("compareDecimal", () => {
  it("compares without floats", () => {
    expect(compareDecimal("83", "80.5")).toBe(1);
    expect(compareDecimal("9.9", "10")).toBe(-1);
    expect(compareDecimal("45.00", "45")).toBe(0);
    expect(compareDecimal("0.10", "0.09")).toBe(1);
  });
});

describe("priceScore", () => {
  it("is weight × lowest / price, rounded half away from zero", () => {
    expect(priceScore(60, 100, 100)).toBe("60.00");
    expect(priceScore(60, 100, 200)).toBe("30.00");
    expect(priceScore(60, 2, 3)).toBe("40.00");
    expect(priceScore(50, 1, 3)).toBe("16.67");
    expect(priceScore(60, 300000, 400000)).toBe("45.00");
  });
});

describe("priceScoreAgainstCeiling", () => {
  it("is weight × (ceiling − price) / ceiling, rounded half away from zero, between 0 and the weight (as the domain)", () => {
    expect(priceScoreAgainstCeiling(60, 1_000_000, 0)).toBe("60.00");
    expect(priceScoreAgainstCeiling(60, 1_000_000, 250_000)).toBe("45.00");
    expect(priceScoreAgainstCeiling(60, 1_000_000, 1_000_000)).toBe("0.00");
    expect(priceScoreAgainstCeiling(60, 1_000_000, 1_500_000)).toBe("0.00");
    expect(priceScoreAgainstCeiling(50, 3, 2)).toBe("16.67");
    expect(priceScoreAgainstCeiling(60, 0, 1)).toBe("0");
  });
});
