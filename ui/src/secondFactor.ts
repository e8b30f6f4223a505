/**
 * The second factor (issue 17 point 9) as the UI decides it: whether an act asks for a
 * one-time code, from the account's session and the domain's lists exported into
 * `bindings/rules.ts` (`SIGNING_KINDS`: the acts that sign, award, countersign or submit an
 * offer; `SECOND_FACTOR_REQUIRED_ROLES`: the roles that must have one) — never a list typed
 * here. The store refuses the same way (`centrale_domain::second_factor::asked_for`), and the
 * server checks the code itself.
 */
import type { Action } from "./bindings/Action";
import type { Me } from "./bindings/Me";
import { SECOND_FACTOR_REQUIRED_ROLES, SIGNING_KINDS } from "./bindings/rules";

/** Whether `kind` done by `me` carries a one-time code. */
export function asksSecondFactor(kind: Action["kind"], me: Me | null | undefined): boolean {
  if (!me) return false;
  const signs = (SIGNING_KINDS as readonly string[]).includes(kind);
  return signs && (me.second_factor || SECOND_FACTOR_REQUIRED_ROLES.includes(me.role));
}

/** Whether the account must turn its second factor on (the centrale's staff without one). */
export function mustTurnOnSecondFactor(me: Me | null | undefined): boolean {
  return !!me && !me.second_factor && SECOND_FACTOR_REQUIRED_ROLES.includes(me.role);
}

/** Whether the account may turn its second factor off (not the centrale's staff). */
export function mayTurnOffSecondFactor(me: Me | null | undefined): boolean {
  return !!me && !SECOND_FACTOR_REQUIRED_ROLES.includes(me.role);
}

/** A refusal that belongs under the code's field (`details.field == "second_factor"`). */
export function isSecondFactorFieldError(params: Record<string, unknown>): boolean {
  return params.field === "second_factor";
}

/** The secret as it is typed into an application by hand: groups of four. */
export function secretInGroups(secret: string): string[] {
  const compact = secret.replace(/\s+/g, "");
  return compact.match(/.{1,4}/g) ?? [];
}

/** The QR code's SVG as an image address: shown with `<img>`, never injected as markup. */
export function svgImageSource(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}
