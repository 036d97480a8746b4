/**
 * Reading an answer's JSON: parse it, check its outer shape, and treat `null` like an absent field.
 * Every problem is a FlyAnswerError naming the request and what Fly's document says it returns, never
 * a bare "Unexpected end of JSON input" or "x.filter is not a function".
 */
import { FlyAnswerError } from "../errors";

export type Json = Record<string, unknown>;

/** What a JSON value is, in a few words, for messages ("an object with keys a, b", "null"). */
export function describeJson(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === "object") {
    const keys = Object.keys(value as object);
    return keys.length === 0 ? "an empty object" : `an object with keys ${keys.slice(0, 5).join(", ")}${keys.length > 5 ? ", …" : ""}`;
  }
  return `a ${typeof value} (${JSON.stringify(value).slice(0, 40)})`;
}

export function parseAnswer(text: string, endpoint: string, expected: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new FlyAnswerError(endpoint, `the answer is not JSON (${why}; ${text.length} bytes); expected ${expected}`);
  }
}

/** A JSON array (`null` reads as empty: Go writes an empty list as null). */
export function asList(value: unknown, endpoint: string, expected: string): unknown[] {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) throw new FlyAnswerError(endpoint, `expected ${expected}, got ${describeJson(value)}`);
  return value;
}

export function asObject(value: unknown, endpoint: string, expected: string): Json {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new FlyAnswerError(endpoint, `expected ${expected}, got ${describeJson(value)}`);
  return value as Json;
}

/** Each item of a list must be an object; `what` names one ("machine"). */
export function objectsIn(list: readonly unknown[], endpoint: string, what: string): Json[] {
  return list.map((item, i) => asObject(item, endpoint, `each item to be a ${what} object (item ${i})`));
}

/**
 * The value with every `null` field removed, at any depth (and `null` list items dropped): Fly's older
 * answers write null for an unset list, map or pointer where newer ones leave the field out, and the
 * two mean the same.
 */
export function withoutNulls<T>(value: T): T {
  if (Array.isArray(value)) return value.filter((v) => v !== null).map((v) => withoutNulls(v)) as T;
  if (typeof value !== "object" || value === null) return value;
  const out: Json = {};
  for (const [key, v] of Object.entries(value as Json)) if (v !== null) out[key] = withoutNulls(v);
  return out as T;
}
