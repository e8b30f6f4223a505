/**
 * The message catalogue: every word the user reads comes from here (fr.json first).
 *
 * - `t(key, params)` looks a key up and fills `{name}` placeholders.
 * - Plurals: give `{ count }` and write `key_one` / `key_other` (and `key_many`, … as the
 *   language's Intl.PluralRules needs); an optional `key_zero` is used for a count of 0.
 * - `MessageKey` is derived from fr.json: a key that does not exist fails the type check.
 * - `translateError(error)` turns a backend `{code, message, params}` into words: a refusal's
 *   sentence from the catalogue of refusals shared with the server (`renderError`), else
 *   `errors.<code>` here (codes of the desktop only), else the backend's French message.
 */
import { createContext, createElement, useContext, useMemo, type ReactNode } from "react";
import frCommon from "./fr.json";
import frCommunes from "./fr.communes.json";
import frMap from "./fr.map.json";
import type { later } from "./fr.later";
import { ERROR_CATALOGUES, loadRefusals, renderError, type AppError } from "../errors";

/**
 * The French catalogue, in files so that screens can be written side by side: fr.json (shared
 * words, shell, home, sync), fr.screens.json (catalogue, service, adhesion, deployment),
 * fr.orders.json (orders); the centrale's screens: fr.communes.json (communes, its home),
 * fr.queue.json (launching competitions, purchase orders, deployments across communes),
 * fr.catalogueAdmin.json (catalogue management), fr.overview.json (the overview's charts),
 * fr.map.json (the map of the province), fr.tracking.json (the follow-up of the frameworks),
 * fr.accompaniment.json (the intercommunale's accompaniment services, for both roles),
 * fr.surveys.json (the needs surveys: the list, a commune's answers, what is new in the
 * catalogue), fr.surveyAdmin.json (the centrale's survey editor and results), fr.pools.json
 * (the pooled call-offs: the list, a pool's page, the centrale's new pool, joining one).
 * Each top-level namespace lives in exactly one file. The first screens' files are loaded with
 * the window; the others (fr.later.ts) when a screen first needs them.
 */
const first = {
  ...frCommon,
  ...frCommunes,
  ...frMap,
};

/** The whole French catalogue once `loadMessages` has run (typed whole from the start). */
const fr = first as typeof first & typeof later;

let loaded: Promise<void> | null = null;

/**
 * Loads the words of the screens after the first ones, and the sentences of refusals
 * (`loadRefusals`): the window loads only what its first screen shows (issue 19 §5). Each
 * screen loaded on demand awaits it (`routes.tsx`); once done, every key is there. Called
 * again, it answers the same promise.
 */
export function loadMessages(): Promise<void> {
  loaded ??= Promise.all([import("./fr.later"), loadRefusals()]).then(([{ later }]) => {
    Object.assign(fr, later);
  });
  return loaded;
}

/** The shape of a catalogue: the French one is the reference. */
export type Catalogue = typeof fr;

type DeepPartial<T> = { [K in keyof T]?: T[K] extends string ? string : DeepPartial<T[K]> };

/** Every catalogue, by language. To add one, see ui/README.md (nl.json, de.json, en.json). */
const catalogues = {
  fr,
} satisfies Record<string, DeepPartial<Catalogue>>;

/** A language the UI can speak. */
export type Locale = keyof typeof catalogues;

/** Every language the UI can speak. */
export const LOCALES = Object.keys(catalogues) as Locale[];

/** The language every missing key falls back to. */
export const FALLBACK_LOCALE: Locale = "fr";

/** The Intl locale used for numbers, dates and plurals, per language. */
const INTL_LOCALE: Record<Locale, string> = { fr: "fr-BE" };

type Paths<T> = {
  [K in keyof T & string]: T[K] extends string ? K : `${K}.${Paths<T[K]>}`;
}[keyof T & string];

type PluralBase<K extends string> = K extends `${infer B}_zero`
  ? B
  : K extends `${infer B}_one`
    ? B
    : K extends `${infer B}_two`
      ? B
      : K extends `${infer B}_few`
        ? B
        : K extends `${infer B}_many`
          ? B
          : K extends `${infer B}_other`
            ? B
            : K;

/** A key of the catalogue (plural keys are named without their `_one`/`_other` suffix). */
export type MessageKey = PluralBase<Paths<Catalogue>>;

/** Values for `{name}` placeholders; `count` also picks the plural form. */
export type MessageParams = Record<string, string | number | null | undefined>;

/** A bound translation function. */
export type Translate = (key: MessageKey, params?: MessageParams) => string;

type Tree = { [key: string]: string | Tree };

function lookup(locale: Locale, key: string): string | undefined {
  const walk = (tree: Tree | undefined): string | undefined => {
    let node: string | Tree | undefined = tree;
    for (const part of key.split(".")) {
      if (node === undefined || typeof node === "string") return undefined;
      node = node[part];
    }
    return typeof node === "string" ? node : undefined;
  };
  return walk(catalogues[locale] as Tree) ?? walk(catalogues[FALLBACK_LOCALE] as Tree);
}

const pluralRules = new Map<Locale, Intl.PluralRules>();
const numberFormats = new Map<Locale, Intl.NumberFormat>();

/**
 * The plural category of a whole count below a million, per language, where it is known without
 * asking ICU: making an `Intl.PluralRules` costs 2 to 3 ms, and the Accueil's first frame
 * needs one (issue 19 §5). French (CLDR's plural rules for `fr`): « one » for 0 and 1, « other »
 * for every other whole number below a million (« many » begins at a million). Proven equal to
 * ICU's answer for every such count (i18n.test.ts); anything else asks ICU.
 */
const SMALL_COUNT_PLURALS: Partial<Record<Locale, (count: number) => Intl.LDMLPluralRule>> = {
  fr: (count) => (count < 2 ? "one" : "other"),
};

/** Below this, a whole count's plural may come from `SMALL_COUNT_PLURALS`. */
const SMALL_COUNT_LIMIT = 1_000_000;

/** Whether `n` is a whole number from 0 up to `limit` (excluded). */
function isSmallWhole(n: number, limit: number): boolean {
  return Number.isInteger(n) && n >= 0 && n < limit && !Object.is(n, -0);
}

/** The plural category of `count` in `locale` (exported for its test against ICU). */
export function pluralOf(locale: Locale, count: number): Intl.LDMLPluralRule {
  const small = SMALL_COUNT_PLURALS[locale];
  if (small && isSmallWhole(count, SMALL_COUNT_LIMIT)) return small(count);
  let rules = pluralRules.get(locale);
  if (!rules) {
    rules = new Intl.PluralRules(INTL_LOCALE[locale]);
    pluralRules.set(locale, rules);
  }
  return rules.select(count);
}

/** The number as a placeholder shows it (exported for its test against ICU). A whole number
 * below 1,000 has neither a group separator nor decimals, in any language the UI may speak: it
 * is written as is, without making an `Intl.NumberFormat` (5 to 6 ms, which the Accueil's first
 * frame spent on a count: issue 19 §5). */
export function formatNumber(locale: Locale, n: number): string {
  if (isSmallWhole(n, 1000)) return String(n);
  let nf = numberFormats.get(locale);
  if (!nf) {
    nf = new Intl.NumberFormat(INTL_LOCALE[locale], { maximumFractionDigits: 2 });
    numberFormats.set(locale, nf);
  }
  return nf.format(n);
}

function interpolate(locale: Locale, text: string, params?: MessageParams): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined || value === null) return whole;
    return typeof value === "number" ? formatNumber(locale, value) : value;
  });
}

/** Looks up a key that is only known at run time (a backend code); undefined when absent. */
export function lookupDynamic(key: string, params?: MessageParams, locale: Locale = FALLBACK_LOCALE): string | undefined {
  const count = params?.count;
  let text: string | undefined;
  if (typeof count === "number") {
    if (count === 0) text = lookup(locale, `${key}_zero`);
    text ??= lookup(locale, `${key}_${pluralOf(locale, count)}`) ?? lookup(locale, `${key}_other`);
  }
  text ??= lookup(locale, key);
  return text === undefined ? undefined : interpolate(locale, text, params);
}

/** True when the catalogue holds this key (directly or as a plural). */
export function hasKey(key: string): key is MessageKey {
  return lookup(FALLBACK_LOCALE, key) !== undefined || lookup(FALLBACK_LOCALE, `${key}_other`) !== undefined;
}

/** Builds a translation function for one language. */
export function makeT(locale: Locale): Translate {
  // A missing key shows itself, so that it is noticed (the type check makes it rare).
  return (key, params) => lookupDynamic(key, params, locale) ?? key;
}

/** Translation in the default language, for code outside React (formatting, tests). */
export const t: Translate = makeT(FALLBACK_LOCALE);

/** Anything with a backend error's shape. */
export type ErrorLike = Pick<AppError, "code" | "message"> & { params?: Record<string, unknown> | null };

function errorParams(params: Record<string, unknown> | null | undefined): MessageParams {
  const out: MessageParams = {};
  for (const [k, v] of Object.entries(params ?? {})) {
    if (typeof v === "string" || typeof v === "number") out[k] = v;
  }
  return out;
}

/**
 * The words for a backend error: the refusal's sentence from the catalogue of refusals (the
 * one the server renders, `crates/domain/messages`), else `errors.<code>` of this catalogue
 * (codes of the desktop only), each filled with the params; else the backend's own French
 * message, else a generic sentence.
 */
export function translateError(error: ErrorLike, locale: Locale = FALLBACK_LOCALE): string {
  const refusals = ERROR_CATALOGUES[locale] ?? ERROR_CATALOGUES[FALLBACK_LOCALE];
  const known = !error.code
    ? undefined
    : (renderError(error.code, error.params ?? {}, refusals) ??
      lookupDynamic(`errors.${error.code}`, errorParams(error.params), locale));
  if (known !== undefined && !/\{\w+\}/.test(known)) return known;
  if (error.message && error.message.trim() !== "") return error.message;
  return known ?? lookupDynamic("errors.unexpected", undefined, locale) ?? "";
}

const LocaleContext = createContext<Locale>(FALLBACK_LOCALE);

/** Sets the language of everything below it. */
export function LocaleProvider({ locale, children }: { locale: Locale; children: ReactNode }) {
  return createElement(LocaleContext.Provider, { value: locale }, children);
}

/** The translation function of the current language. */
export function useT(): Translate {
  const locale = useContext(LocaleContext);
  return useMemo(() => makeT(locale), [locale]);
}

/** `translateError` in the current language. */
export function useErrorText(): (error: ErrorLike) => string {
  const locale = useContext(LocaleContext);
  return useMemo(() => (error: ErrorLike) => translateError(error, locale), [locale]);
}

/** The Intl locale of the current language (for number and date formats). */
export function intlLocale(locale: Locale = FALLBACK_LOCALE): string {
  return INTL_LOCALE[locale];
}
