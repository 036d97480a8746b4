/**
 * A defensive reader of a synthesized `cdk.tf.json`. The estimator takes the JSON as `unknown`
 * (it may come from disk, from another branch, from a hand-written fixture), so every value it
 * prices is checked here: a missing field or a Terraform expression where a literal is needed is an
 * error naming the resource, never a default that would hide a wrong price.
 */
import { CostEstimateError } from "./errors";

import { isObject, type JsonObject } from "../../util/json-object";

export { isObject, type JsonObject };

export interface StackResource {
  readonly type: string;
  readonly name: string;
  /** `<type>.<name>`, the Terraform address. */
  readonly address: string;
  readonly body: JsonObject;
}

export interface FlyAppInfo {
  readonly name?: string;
  readonly org?: string;
}

export interface StackView {
  /** Every managed resource, sorted by address so output and certificate order are stable. */
  readonly resources: readonly StackResource[];
  /** fly_app key → its literal name and org, when given. */
  readonly apps: ReadonlyMap<string, FlyAppInfo>;
  /** org_slug of the fly provider without alias, if literal. */
  readonly defaultOrg?: string;
  /** alias → org_slug of aliased fly providers. */
  readonly orgsByAlias: ReadonlyMap<string, string>;
}


const isExpression = (value: unknown): boolean => typeof value === "string" && value.includes("${");

function describe(value: unknown): string {
  return value === undefined ? "nothing" : JSON.stringify(value);
}

/** A literal number at `field`; Terraform expressions, strings and missing values are errors. */
export function literalNumber(value: unknown, where: string, field: string): number {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  const hint = isExpression(value) ? " (a Terraform expression cannot be priced)" : "";
  throw new CostEstimateError(`${where}: ${field} must be a literal number, got ${describe(value)}${hint}`);
}

/** A literal string at `field`; Terraform expressions and missing values are errors. */
export function literalString(value: unknown, where: string, field: string): string {
  if (typeof value === "string" && value !== "" && !isExpression(value)) return value;
  const hint = isExpression(value) ? " (a Terraform expression cannot be priced)" : "";
  throw new CostEstimateError(`${where}: ${field} must be a literal string, got ${describe(value)}${hint}`);
}

/** Nested blocks: CDKTF writes a list of objects; a single object is accepted as a list of one. */
export function blocks(value: unknown, where: string, field: string): JsonObject[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((block: unknown, i) => {
    if (!isObject(block)) throw new CostEstimateError(`${where}: ${field}[${i}] must be an object, got ${describe(block)}`);
    return block;
  });
}

/** How many instances a resource block makes: `count` when literal, 1 without it. */
export function instanceCount(resource: StackResource, where: string): number {
  if (resource.body.for_each !== undefined) {
    throw new CostEstimateError(`${where}: for_each cannot be priced (the instances are only known at plan time)`);
  }
  if (resource.body.count === undefined) return 1;
  const count = literalNumber(resource.body.count, where, "count");
  if (!Number.isInteger(count) || count < 0) throw new CostEstimateError(`${where}: count must be a whole number, got ${count}`);
  return count;
}

const APP_REFERENCE = /^\$\{fly_app\.([A-Za-z0-9_-]+)\.name\}$/;

/**
 * The app key a resource belongs to: `${fly_app.api.name}` → `api`; a literal Fly app name → the
 * key of the fly_app with that name, or the name itself when this stack does not declare it.
 */
export function appKeyOf(value: unknown, apps: ReadonlyMap<string, FlyAppInfo>): string | undefined {
  if (typeof value !== "string" || value === "") return undefined;
  const reference = APP_REFERENCE.exec(value);
  if (reference) return reference[1];
  if (isExpression(value)) return undefined;
  for (const [key, app] of apps) if (app.name === value) return key;
  return value;
}

function readProviders(value: unknown, where: string): { defaultOrg?: string; orgsByAlias: Map<string, string> } {
  const orgsByAlias = new Map<string, string>();
  let defaultOrg: string | undefined;
  for (const provider of blocks(value, where, "provider.fly")) {
    const org = typeof provider.org_slug === "string" && !isExpression(provider.org_slug) ? provider.org_slug : undefined;
    if (typeof provider.alias === "string") {
      if (org !== undefined) orgsByAlias.set(provider.alias, org);
    } else {
      defaultOrg = org;
    }
  }
  return { defaultOrg, orgsByAlias };
}

/** Reads and checks the parts of a stack's JSON the estimator uses. */
export function readStack(stackJson: unknown, environment: string): StackView {
  if (!isObject(stackJson)) throw new CostEstimateError(`${environment}: the stack JSON must be an object, got ${describe(stackJson)}`);
  const providers = stackJson.provider === undefined ? {} : stackJson.provider;
  if (!isObject(providers)) throw new CostEstimateError(`${environment}: provider must be an object`);
  const { defaultOrg, orgsByAlias } = readProviders(providers.fly, environment);

  const resourceRoot = stackJson.resource === undefined ? {} : stackJson.resource;
  if (!isObject(resourceRoot)) throw new CostEstimateError(`${environment}: resource must be an object`);
  const resources: StackResource[] = [];
  for (const [type, byName] of Object.entries(resourceRoot)) {
    if (!isObject(byName)) throw new CostEstimateError(`${environment}: resource.${type} must be an object`);
    for (const [name, body] of Object.entries(byName)) {
      if (!isObject(body)) throw new CostEstimateError(`${environment}: ${type}.${name} must be an object`);
      resources.push({ type, name, address: `${type}.${name}`, body });
    }
  }
  resources.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));

  const apps = new Map<string, FlyAppInfo>();
  for (const app of resources.filter((r) => r.type === "fly_app")) {
    const literal = (v: unknown) => (typeof v === "string" && v !== "" && !isExpression(v) ? v : undefined);
    apps.set(app.name, { name: literal(app.body.name), org: literal(app.body.org) });
  }
  return { resources, apps, defaultOrg, orgsByAlias };
}

/** The Fly organization a resource bills to: its app's `org`, else its provider's `org_slug`. */
export function orgOf(resource: StackResource, stack: StackView): string | undefined {
  const appKey = appKeyOf(resource.body.app, stack.apps);
  const appOrg = appKey === undefined ? undefined : stack.apps.get(appKey)?.org;
  if (appOrg !== undefined) return appOrg;
  const provider = resource.body.provider;
  if (typeof provider === "string" && provider.startsWith("fly.")) return stack.orgsByAlias.get(provider.slice(4));
  return stack.defaultOrg;
}
