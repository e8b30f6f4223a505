import { formatMoney, type VatBasis } from "../format";

/** An amount in cents, always with HTVA or TVAC. */
export function Money({ cents, basis }: { cents: number; basis: VatBasis }) {
  return <span className="money">{formatMoney(cents, basis)}</span>;
}
