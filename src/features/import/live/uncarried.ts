/**
 * What an import does not carry, said out loud: every field of a live object that the written entry
 * does not hold becomes a note, unless it is unset (empty, or the value that means "unset"). Fields
 * flystack knows have a reason and a way forward; a field it does not know (a newer Fly API) is
 * reported as such, never dropped in silence. Pure.
 */

export type Note = (path: string, reason: string, instead: string) => void;

export interface FieldRule {
  readonly reason: string;
  readonly instead: string;
  /** True for a value that means "unset" (nothing is lost). @default empty values only */
  readonly unset?: (value: unknown) => boolean;
}

const KEEP_WITH_FLYCTL = "it stays as Fly runs it until the first change to the group sends flystack's config, which drops it; keep the app out of flystack if it matters";

/** The rule for a field the provider cannot send. */
export const providerCannot = (what: string, instead = KEEP_WITH_FLYCTL, unset?: (value: unknown) => boolean): FieldRule => ({ reason: `the provider (ampbase-io/fly 0.2) cannot set ${what}`, instead, unset });

export const isFalse = (value: unknown): boolean => value === false;

/** Empty: absent, an empty string, list or object. */
export function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === "") return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === "object" && Object.keys(value as object).length === 0;
}

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/** Notes every field of `object` that is neither carried nor unset. */
export function noteUncarried(object: object | undefined, path: string, carried: ReadonlySet<string>, rules: Readonly<Record<string, FieldRule>>, note: Note): void {
  for (const [key, value] of Object.entries(object ?? {})) {
    if (carried.has(key) || isEmpty(value)) continue;
    const rule = rules[key];
    if (rule?.unset?.(value)) continue;
    if (rule) note(`${path}.${key}`, `${rule.reason} (${shown(value)})`, rule.instead);
    else note(`${path}.${key}`, `a field flystack does not know (${shown(value)}): not carried`, "look it up in Fly's Machines API reference; if the app depends on it, keep the app out of flystack for now");
  }
}
