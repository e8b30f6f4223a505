import { describe, expect, it } from "vitest";
import { SECOND_FACTOR_REQUIRED_ROLES, SIGNING_KINDS } from "./bindings/rules";
import {
  asksSecondFactor,
  isSecondFactorFieldError,
  mayTurnOffSecondFactor,
  mustTurnOnSecondFactor,
  secretInGroups,
  svgImageSource,
} from "./secondFactor";
import { me } from "./test/fixtures";

describe("asksSecondFactor", () => {
  it("asks for a code for the acts that sign, once the account has a second factor", () => {
    const dg = me({ role: "director_general", second_factor: true });
    for (const kind of SIGNING_KINDS) expect(asksSecondFactor(kind, dg)).toBe(true);
    expect(asksSecondFactor("submit_order", dg)).toBe(false);
    expect(asksSecondFactor("record_college_decision", dg)).toBe(false);
  });

  it("never for an account without one, unless its role must have one", () => {
    const mayor = me({ role: "mayor", second_factor: false });
    expect(asksSecondFactor("sign_adhesion", mayor)).toBe(false);
    expect(SECOND_FACTOR_REQUIRED_ROLES).toEqual(["centrale_staff"]);
    const staff = me({ role: "centrale_staff", commune_nis: null, second_factor: false });
    expect(asksSecondFactor("countersign_adhesion", staff)).toBe(true);
    expect(asksSecondFactor("launch_competition", staff)).toBe(false);
    expect(asksSecondFactor("sign_adhesion", null)).toBe(false);
  });

  it("tells the centrale's staff to turn it on, and never lets them turn it off", () => {
    const staff = me({ role: "centrale_staff", commune_nis: null, second_factor: false });
    expect(mustTurnOnSecondFactor(staff)).toBe(true);
    expect(mustTurnOnSecondFactor({ ...staff, second_factor: true })).toBe(false);
    expect(mayTurnOffSecondFactor(staff)).toBe(false);
    expect(mustTurnOnSecondFactor(me({ role: "mayor", second_factor: false }))).toBe(false);
    expect(mayTurnOffSecondFactor(me({ role: "mayor", second_factor: true }))).toBe(true);
  });
});

describe("the set-up's helpers", () => {
  it("shows the secret in groups of four, whatever spaces it came with", () => {
    expect(secretInGroups("JBSW Y3DP EHPK 3PXP")).toEqual(["JBSW", "Y3DP", "EHPK", "3PXP"]);
    expect(secretInGroups("JBSWY3DPEHPK3PX")).toEqual(["JBSW", "Y3DP", "EHPK", "3PX"]);
  });

  it("turns the QR code's SVG into an image address, never markup", () => {
    const src = svgImageSource('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    expect(src.startsWith("data:image/svg+xml;charset=utf-8,")).toBe(true);
    expect(src).not.toContain("<");
  });

  it("knows a refusal that belongs under the code's field", () => {
    expect(isSecondFactorFieldError({ field: "second_factor" })).toBe(true);
    expect(isSecondFactorFieldError({ field: "justification" })).toBe(false);
    expect(isSecondFactorFieldError({})).toBe(false);
  });
});
