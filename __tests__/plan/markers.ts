/**
 * Plants a marker value in every place of a plan JSON that must never be shown: each value (at any
 * depth) its `before_sensitive`/`after_sensitive` marks, each write-only attribute (`…_wo`), each
 * sensitive output, and every variable's value. A renderer that prints one of them prints its marker.
 */
export const MARKER = "MARKER-must-not-leak";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
const isRecord = (v: unknown): v is Record<string, Json> => typeof v === "object" && v !== null && !Array.isArray(v);

export interface Planted {
  readonly plan: Record<string, Json>;
  /** Where markers went, e.g. `resource_changes[1].after.env.API_KEY`. */
  readonly places: string[];
}

export function plantMarkers(plan: unknown): Planted {
  const copy = JSON.parse(JSON.stringify(plan)) as Record<string, Json>;
  const places: string[] = [];
  const mark = (where: string): string => {
    places.push(where);
    return `${MARKER}-${places.length}`;
  };

  /** Replaces every value under a `true` of `marks` (the value itself when `marks` is true). */
  const plantSensitive = (value: Json, marks: unknown, where: string): Json => {
    if (marks === true) return mark(where);
    if (Array.isArray(marks) && Array.isArray(value)) return value.map((v, i) => plantSensitive(v, marks[i], `${where}[${i}]`));
    if (isRecord(marks) && isRecord(value)) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k in marks ? plantSensitive(v, marks[k], `${where}.${k}`) : v]));
    }
    return value;
  };
  /** Every `…_wo` attribute gets a marker, wherever it is (Terraform writes null there; a renderer must not care). */
  const plantWriteOnly = (value: Json, where: string): Json => {
    if (Array.isArray(value)) return value.map((v, i) => plantWriteOnly(v, `${where}[${i}]`));
    if (!isRecord(value)) return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k.endsWith("_wo") ? mark(`${where}.${k}`) : plantWriteOnly(v, `${where}.${k}`)]));
  };

  for (const list of ["resource_changes", "resource_drift"]) {
    const changes = copy[list];
    if (!Array.isArray(changes)) continue;
    changes.forEach((entry, i) => {
      if (!isRecord(entry) || !isRecord(entry.change)) return;
      const change = entry.change;
      for (const side of ["before", "after"] as const) {
        const where = `${list}[${i}].${side}`;
        if (change[side] === undefined || change[side] === null) continue;
        change[side] = plantWriteOnly(plantSensitive(change[side], change[`${side}_sensitive`], where), where);
      }
    });
  }
  const outputs = copy.output_changes;
  if (isRecord(outputs)) {
    for (const [name, change] of Object.entries(outputs)) {
      if (!isRecord(change)) continue;
      for (const side of ["before", "after"] as const) {
        if (change[side] !== undefined && change[side] !== null) change[side] = plantSensitive(change[side], change[`${side}_sensitive`], `output_changes.${name}.${side}`);
      }
    }
  }
  const variables = copy.variables;
  if (isRecord(variables)) for (const [name, variable] of Object.entries(variables)) if (isRecord(variable)) variable.value = mark(`variables.${name}.value`);
  return { plan: copy, places };
}
