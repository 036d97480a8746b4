/**
 * What an estimate holds. Amounts are full-precision numbers in the price list's currency per
 * month; they are rounded to cents only when printed (money.ts) or serialized (json.ts).
 *
 * `monthly` is the least the resource can cost in a month as configured (an auto-stopped machine
 * may stay stopped: 0), `monthly_max` the most (every machine running all month). Fly recommends
 * budgeting for the maximum.
 */
export interface CostItem {
  /** `<type>.<name>`, e.g. `fly_machine.api_web_iad_1`. */
  readonly address: string;
  readonly type: string;
  /** Key of the fly_app it belongs to (`api` from `${fly_app.api.name}`). */
  readonly app?: string;
  readonly monthly: number;
  readonly monthly_max: number;
  /** Why the price is what it is, e.g. `shared-cpu-1x 512 MB in iad; auto-stops`. */
  readonly note?: string;
}

export interface AppCost {
  /** The app key, or `(no app)` for resources without one. */
  readonly app: string;
  readonly monthly: number;
  readonly monthly_max: number;
}

/** A charge that depends on usage and so has no number in the estimate. */
export interface NotEstimated {
  readonly address: string;
  /** What is billed, e.g. `volume snapshots beyond the first 10 GB per organization`. */
  readonly charge: string;
  /** The rate, e.g. `$0.08/GB-month`. */
  readonly rate: string;
}

export interface EnvironmentCost {
  readonly name: string;
  readonly currency: string;
  readonly monthly: number;
  readonly monthly_max: number;
  /** One per priced resource, sorted by address. */
  readonly items: readonly CostItem[];
  /** Subtotals per app, sorted by app key. */
  readonly apps: readonly AppCost[];
  readonly notEstimated: readonly NotEstimated[];
  /**
   * Machines of blue-green groups (create_before_destroy): while a deploy runs, the new set runs
   * beside the old one, so these cost twice for those minutes. Absent without any.
   */
  readonly blueGreen?: { readonly machines: number; readonly monthly_max: number };
  /** Which price list the estimate used. */
  readonly prices: { readonly date: string; readonly source: string };
}
