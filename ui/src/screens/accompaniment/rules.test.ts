import { describe, expect, it } from "vitest";
import { amountAtRate, opinionRequired, parseAccompanimentQuantity, priceTimesHalves, sumAmounts, vatOn } from "./rules";

describe("parseAccompanimentQuantity (the domain's `price_lines`)", () => {
  it("reads a Belgian decimal into the string Rust reads", () => {
    expect(parseAccompanimentQuantity("1,5", "day")).toEqual({ kind: "ok", value: "1.5", halves: 3 });
    expect(parseAccompanimentQuantity(" 0.5 ", "day")).toEqual({ kind: "ok", value: "0.5", halves: 1 });
    expect(parseAccompanimentQuantity("2,0", "package")).toEqual({ kind: "ok", value: "2", halves: 4 });
    expect(parseAccompanimentQuantity("007", "package")).toEqual({ kind: "ok", value: "7", halves: 14 });
    expect(parseAccompanimentQuantity("1 000", "day")).toEqual({ kind: "ok", value: "1000", halves: 2000 });
    expect(parseAccompanimentQuantity("", "day")).toEqual({ kind: "empty" });
  });

  it("refuses what the domain refuses", () => {
    expect(parseAccompanimentQuantity("0,3", "day")).toEqual({ kind: "error", reason: "half" });
    expect(parseAccompanimentQuantity("1,25", "day")).toEqual({ kind: "error", reason: "half" });
    expect(parseAccompanimentQuantity("1,5", "package")).toEqual({ kind: "error", reason: "whole" });
    expect(parseAccompanimentQuantity("0", "day")).toEqual({ kind: "error", reason: "zero" });
    expect(parseAccompanimentQuantity("0,0", "package")).toEqual({ kind: "error", reason: "zero" });
    expect(parseAccompanimentQuantity("1000,5", "day")).toEqual({ kind: "error", reason: "too_large" });
    expect(parseAccompanimentQuantity("-1", "day")).toEqual({ kind: "error", reason: "format" });
    expect(parseAccompanimentQuantity("1,5 jour", "day")).toEqual({ kind: "error", reason: "format" });
    expect(parseAccompanimentQuantity("1/2", "day")).toEqual({ kind: "error", reason: "format" });
  });
});

describe("amounts, on integers as the domain computes them (money.rs)", () => {
  it("rounds unit × quantity and the VAT half away from zero, per line", () => {
    // Cents::times: 333 × 1,5 = 499,5 → 500.
    expect(priceTimesHalves(333, 3)).toBe(500);
    expect(priceTimesHalves(75000, 3)).toBe(112500);
    // VatRate::vat_on: 21 % of 0,50 € = 0,105 € → 0,11 €.
    expect(vatOn(50, "21")).toBe(11);
    expect(vatOn(10000, "21.00")).toBe(2100);
    expect(vatOn(1000, "0")).toBe(0);
    expect(amountAtRate(1250, "21")).toEqual({ excl_vat: 1250, vat: 263, incl_vat: 1513 });
    expect(sumAmounts([amountAtRate(125000, "21"), amountAtRate(112500, "6")])).toEqual({ excl_vat: 237500, vat: 33000, incl_vat: 270500 });
  });

  it("asks for the directeur financier's opinion above 22 000 € TVAC, not at it", () => {
    expect(opinionRequired(2_200_000)).toBe(false);
    expect(opinionRequired(2_200_001)).toBe(true);
  });
});
