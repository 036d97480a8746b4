/**
 * Reading a synthesized `cdk.tf.json` without trusting its shape.
 *
 * The diagram is documentation: a stack edited by hand, written by a newer flystack or by another
 * CDKTF program must still produce a diagram (with notes about what could not be placed), never a
 * crash. So everything here takes `unknown` and answers `undefined` when a value is not what the
 * diagram needs.
 */

import { isObject, type JsonObject } from "../../util/json-object";

export { isObject, type JsonObject };


// Array.isArray narrows `unknown` to `any[]`; this keeps the elements `unknown`.
function isArray(value: unknown): value is readonly unknown[] {
  return Array.isArray(value);
}

export function stringAt(object: JsonObject, key: string): string | undefined {
  const value = object[key];
  return typeof value === "string" ? value : undefined;
}

export function numberAt(object: JsonObject, key: string): number | undefined {
  const value = object[key];
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

export function booleanAt(object: JsonObject, key: string): boolean | undefined {
  const value = object[key];
  return typeof value === "boolean" ? value : undefined;
}

/**
 * The objects of a nested block. CDKTF writes a `list` block as an array and a `single` block as
 * an object, but a hand-written stack may use either form for either kind, so both are accepted.
 */
export function blocksAt(object: JsonObject, key: string): readonly JsonObject[] {
  const value = object[key];
  if (isObject(value)) return [value];
  return isArray(value) ? value.filter(isObject) : [];
}

/** A `single` block (`guest`, `metadata`): the object, or the first object of a one-element list. */
export function blockAt(object: JsonObject, key: string): JsonObject | undefined {
  return blocksAt(object, key)[0];
}

export function stringsAt(object: JsonObject, key: string): readonly string[] {
  const value = object[key];
  return isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

/** `resource.<type>` of the stack: its instances by logical ID, skipping entries that are not objects. */
export function resourcesOfType(root: JsonObject, type: string): ReadonlyMap<string, JsonObject> {
  const resources = root["resource"];
  const byType = isObject(resources) ? resources[type] : undefined;
  const result = new Map<string, JsonObject>();
  if (!isObject(byType)) return result;
  for (const key of Object.keys(byType).sort(compareText)) {
    const body = byType[key];
    if (isObject(body)) result.set(key, body);
  }
  return result;
}

/** A reference to another resource's attribute: `${fly_app.api.name}` → fly_app, api, name. */
export interface ResourceReference {
  readonly type: string;
  readonly key: string;
  readonly attribute: string;
}

// A whole-string interpolation of one resource attribute, as CDKTF writes a token of another
// resource. Expressions (`${max(...)}`, `${a.b.c}-suffix`) are not references to one resource.
const REFERENCE = /^\$\{([A-Za-z_][A-Za-z0-9_-]*)\.([A-Za-z_][A-Za-z0-9_-]*)\.([A-Za-z_][A-Za-z0-9_]*)\}$/;

export function parseReference(value: string | undefined): ResourceReference | undefined {
  const match = value === undefined ? null : REFERENCE.exec(value);
  if (match === null) return undefined;
  const [, type = "", key = "", attribute = ""] = match;
  return { type, key, attribute };
}

/** The logical ID of `type` that `value` references (`${<type>.<key>.<any attribute>}`), if any. */
export function referencedKey(value: string | undefined, type: string): string | undefined {
  const reference = parseReference(value);
  return reference?.type === type ? reference.key : undefined;
}

/** `depends_on` entries are plain addresses (`null_resource.api_web_release`), not interpolations. */
export function dependsOnKeys(object: JsonObject, type: string): readonly string[] {
  const prefix = `${type}.`;
  return stringsAt(object, "depends_on")
    .filter((address) => address.startsWith(prefix))
    .map((address) => address.slice(prefix.length));
}

/**
 * Code-unit order, the same on every machine: `localeCompare` depends on the ICU data and locale
 * of the process, and the diagram must not change between a laptop and CI.
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
