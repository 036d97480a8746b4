/**
 * Blue-green deploys name each set of machines after its generation: a short hash of everything
 * the machines are made from. A changed config gives new names, so the new set is created beside
 * the old one; the same name would make the provider adopt the old machine and send nothing
 * (a machine created under an existing name is adopted as it runs: ../shared fly-provider-facts).
 */
import { createHash } from "node:crypto";

/** Fly machine names are DNS labels. */
export const MAX_MACHINE_NAME = 63;
/** `-g` and seven hex digits. */
export const BLUEGREEN_SUFFIX_LENGTH = 9;

/** Sorted keys at every level, so the hash depends on the values, never on how they were written. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    return `{${Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

/** The generation of a set of machines: seven hex digits of the hash of what they are made from. */
export function deployGeneration(made: unknown): string {
  return createHash("sha256").update(canonical(made)).digest("hex").slice(0, 7);
}

/** A machine's name in the blue-green set of `generation`. */
export function generationName(name: string, generation: string): string {
  return `${name}-g${generation}`;
}
