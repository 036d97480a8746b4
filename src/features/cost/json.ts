/**
 * The `--json` output of the cost command, a contract other tools parse:
 *
 *   { "currency": "USD",
 *     "environments": [ { "name", "monthly", "monthly_max",
 *                         "items": [ { "address", "type", "monthly", "monthly_max" } ] } ] }
 *
 * Exactly these keys, amounts rounded to cents (money.ts). Per-app subtotals, notes and the
 * not-estimated charges are in the Markdown report only, so the contract stays small and stable.
 */
import { roundCents } from "./money";
import type { EnvironmentCost } from "./types";

export interface CostJsonItem {
  readonly address: string;
  readonly type: string;
  readonly monthly: number;
  readonly monthly_max: number;
}

export interface CostJsonEnvironment {
  readonly name: string;
  readonly monthly: number;
  readonly monthly_max: number;
  readonly items: readonly CostJsonItem[];
}

export interface CostJson {
  readonly currency: string;
  readonly environments: readonly CostJsonEnvironment[];
}

export function toCostJson(envs: readonly EnvironmentCost[]): CostJson {
  const currencies = [...new Set(envs.map((e) => e.currency))];
  if (currencies.length > 1) throw new Error(`environments were priced in different currencies: ${currencies.join(", ")}`);
  return {
    currency: currencies[0] ?? "USD",
    environments: envs.map((env) => ({
      name: env.name,
      monthly: roundCents(env.monthly),
      monthly_max: roundCents(env.monthly_max),
      items: env.items.map((item) => ({
        address: item.address,
        type: item.type,
        monthly: roundCents(item.monthly),
        monthly_max: roundCents(item.monthly_max),
      })),
    })),
  };
}
