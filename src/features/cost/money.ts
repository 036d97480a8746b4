/**
 * Money at the edge: amounts stay full-precision numbers inside the estimator and are rounded to
 * cents only here, when they are printed or put in the JSON output.
 *
 * Rounding rule: the nearest cent of the amount's exact binary (IEEE-754) value, ties away from
 * zero: `Number.prototype.toFixed(2)`. That is how Fly's pricing page rounds (it formats its
 * numbers with `Intl.NumberFormat`, which uses the same rule), and it is the only simple rule that
 * reproduces Fly's published figures from the per-month prices in prices.json:
 *
 *   shared-cpu-1x 256 MB: 0.695 + 0.25 × 5 = 1.945 exactly in decimal, but the double is
 *     1.94499999999999984… → $1.94 (published $1.94)
 *   shared-cpu-1x 512 MB: 0.695 + 0.5 × 5 → double 3.19499999999999984… → $3.19 (published $3.19)
 *   shared-cpu-1x 1 GB:   0.695 + 1 × 5   → double 5.69500000000000028… → $5.70 (published $5.70)
 *   shared-cpu-1x 2 GB:   0.695 + 2 × 5   → double 10.69500000000000028… → $10.70 (published $10.70)
 *
 * Decimal rounding cannot do it: half-up gives $1.95 and $3.20, half-down (or truncation) $5.69
 * and $10.69, half-even $3.20 — each a cent off somewhere. The published figures really
 * come from Fly's per-second rates (shared vCPU with 256 MB $0.00000075/s, RAM $0.00000193/GB/s,
 * × 2,592,000 s: $1.944, $3.19464, $5.69592, $10.69848), of which $0.695 and $5 are themselves
 * roundings; the doubles of the half-cent ties happen to fall on the same side. Any other amount is
 * at most half a cent from its exact value, so a figure is never more than one cent off.
 */

/** Rounds to cents (see the rule above); never returns -0. */
export function roundCents(amount: number): number {
  if (!Number.isFinite(amount)) throw new RangeError(`not a finite amount of money: ${amount}`);
  const rounded = Number(amount.toFixed(2));
  return rounded === 0 ? 0 : rounded;
}

/** `$1,234.56`, or `-$1,234.56` for a negative amount. */
export function formatMoney(amount: number): string {
  const cents = roundCents(amount);
  const [whole, fraction] = Math.abs(cents).toFixed(2).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${cents < 0 ? "-" : ""}$${grouped}.${fraction}`;
}

/** `$3.19`, or `$0.00 – $3.19` when the minimum and the maximum differ once rounded. */
export function formatRange(min: number, max: number): string {
  return roundCents(min) === roundCents(max) ? formatMoney(max) : `${formatMoney(min)} – ${formatMoney(max)}`;
}

/** `+$3.26`, `-$1.00`, or `±$0.00`. */
export function formatDelta(delta: number): string {
  const cents = roundCents(delta);
  if (cents === 0) return "±$0.00";
  return cents > 0 ? `+${formatMoney(cents)}` : formatMoney(cents);
}
