/** Test data for the intercommunale's accompaniment services (issue 16 §2), in the shapes of the Rust types. */
import type { AccompanimentLine } from "../bindings/AccompanimentLine";
import type { AccompanimentOrder } from "../bindings/AccompanimentOrder";
import type { AccompanimentRow } from "../bindings/AccompanimentRow";
import type { AccompanimentScreen } from "../bindings/AccompanimentScreen";
import type { AccompanimentService } from "../bindings/AccompanimentService";
import type { PriceListVersion } from "../bindings/PriceListVersion";
import { ACCOMPANIMENT_LEGAL_BASIS } from "./api";
import { ORDER_ID } from "./orderFixtures";

export const ACCOMPANIMENT_ID = "0190f0aa-0000-7000-8000-0000000acc01";
export const ACCOMPANIMENT_ID_2 = "0190f0aa-0000-7000-8000-0000000acc02";

/** A package of 1 250,00 € HTVA, a day of 750,00 € HTVA and a day of 900,00 € HTVA, all at 21 %. */
export const accompanimentServices = (): AccompanimentService[] => [
  {
    code: "preparation",
    label_fr: "Préparation du projet",
    description_fr: "Réunion de cadrage et planning avec la commune.",
    unit: "package",
    price_cents: 125000,
    vat_rate: "21",
  },
  {
    code: "formation",
    label_fr: "Formation des agents",
    description_fr: "Sur place, jusqu'à 12 agents.",
    unit: "day",
    price_cents: 75000,
    vat_rate: "21",
  },
  {
    code: "migration",
    label_fr: "Reprise des données",
    description_fr: "",
    unit: "day",
    price_cents: 90000,
    vat_rate: "21",
  },
];

export const priceList = (over: Partial<PriceListVersion> = {}): PriceListVersion => ({
  version: 2,
  published_at: "2027-01-15T09:00:00Z",
  note: "Nouvelle journée de reprise des données.",
  services: accompanimentServices(),
  ...over,
});

export const accompanimentLine = (over: Partial<AccompanimentLine> = {}): AccompanimentLine => ({
  code: "formation",
  label_fr: "Formation des agents",
  unit: "day",
  quantity: "1.5",
  unit_price_cents: 75000,
  vat_rate: "21",
  amount: { excl_vat: 112500, vat: 23625, incl_vat: 136125 },
  planned_on: null,
  delivered_on: null,
  ...over,
});

const preparationLine = (over: Partial<AccompanimentLine> = {}): AccompanimentLine =>
  accompanimentLine({
    code: "preparation",
    label_fr: "Préparation du projet",
    unit: "package",
    quantity: "1",
    unit_price_cents: 125000,
    amount: { excl_vat: 125000, vat: 26250, incl_vat: 151250 },
    ...over,
  });

export const accompanimentOrder = (over: Partial<AccompanimentOrder> = {}): AccompanimentOrder => ({
  id: ACCOMPANIMENT_ID,
  commune_nis: "92094",
  title: "Formation à l'e-guichet",
  call_off_id: ORDER_ID,
  price_list_version: 2,
  lines: [preparationLine(), accompanimentLine()],
  total: { excl_vat: 237500, vat: 49875, incl_vat: 287375 },
  decision: { organ: { kind: "college" }, reference: "COL/2027/045", date: "2027-03-01", financial_opinion: null },
  ordered_by: "Marie Dupont",
  ordered_at: "2027-03-02T09:00:00Z",
  status: "requested",
  invoice: null,
  cancel_reason: null,
  ...over,
});

/** An order whose lines are planned (the preparation already delivered). */
export const plannedOrder = (over: Partial<AccompanimentOrder> = {}): AccompanimentOrder =>
  accompanimentOrder({
    status: "planned",
    lines: [preparationLine({ planned_on: "2027-03-05", delivered_on: "2027-03-05" }), accompanimentLine({ planned_on: "2027-03-10" })],
    ...over,
  });

/** An order whose every line is delivered. */
export const deliveredOrder = (over: Partial<AccompanimentOrder> = {}): AccompanimentOrder =>
  accompanimentOrder({
    status: "delivered",
    lines: [
      preparationLine({ planned_on: "2027-03-05", delivered_on: "2027-03-05" }),
      accompanimentLine({ planned_on: "2027-03-10", delivered_on: "2027-03-10" }),
    ],
    ...over,
  });

/** An invoiced order (ACC-2027-0001, due 30 days after). */
export const invoicedOrder = (over: Partial<AccompanimentOrder> = {}): AccompanimentOrder =>
  deliveredOrder({
    status: "invoiced",
    invoice: { number: "ACC-2027-0001", issued_at: "2027-03-11T10:00:00Z", date: "2027-03-11", due_date: "2027-04-10", issued_by: "Thomas Henrotte" },
    ...over,
  });

export const accompanimentRow = (order: AccompanimentOrder = accompanimentOrder(), over: Partial<AccompanimentRow> = {}): AccompanimentRow => ({
  order,
  commune_name: "Namur",
  call_off_title: "E-guichet état civil 2027",
  pending: false,
  ...over,
});

export const accompanimentScreen = (over: Partial<AccompanimentScreen> = {}): AccompanimentScreen => ({
  price_list: priceList(),
  legal_basis: ACCOMPANIMENT_LEGAL_BASIS,
  orders: [],
  call_offs: [{ id: ORDER_ID, title: "E-guichet état civil 2027", status: "awarded" }],
  ...over,
});
