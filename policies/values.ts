/**
 * Reading synthesized Terraform JSON. Rules look at what `cdk.tf.json` will hold (tokens resolved
 * to `${…}` expressions, overrides applied), so every value is `unknown` until checked here.
 */
import { TerraformResource } from "cdktf";
import type { IConstruct } from "constructs";

import { isObject, type JsonObject } from "../src/util/json-object";
import { hasTemplateSequence } from "../src/util/terraform-literal";

/** One synthesized block (a resource's attributes, a backend's settings, a nested block) is a JsonObject. */
export { isObject, type JsonObject };


/**
 * The objects of a nested block. cdktf writes a list block as an array and a single block
 * (`guest`, `compute`) as an object; an absent block is no objects.
 */
export function blocksOf(value: unknown): JsonObject[] {
  if (Array.isArray(value)) return value.filter(isObject);
  return isObject(value) ? [value] : [];
}

/** A string map (`env`, `metadata`), without entries whose value is not a string. */
export function stringMap(value: unknown): Record<string, string> {
  if (!isObject(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === "string"));
}

/**
 * A Terraform expression (`${var.image}`, `${fly_app.api.name}`): its value is known only at plan
 * time. An escaped `$${` (a literal from configuration, src/util/terraform-literal.ts) is not one.
 */
export function isExpression(value: unknown): value is string {
  return typeof value === "string" && value.includes("{") && hasTemplateSequence(value);
}

/** A value as it reads in Terraform, for messages: `true`, `5`, `"off"`, `${var.x}`, or `unset`. */
export function show(value: unknown): string {
  if (value === undefined || value === null) return "unset";
  if (isExpression(value)) return value;
  return JSON.stringify(value);
}

/** The resource when `node` is a Terraform resource of one of `types`. */
export function isResourceOf(node: IConstruct, ...types: string[]): node is TerraformResource {
  return TerraformResource.isTerraformResource(node) && types.includes(node.terraformResourceType);
}

/** `fly_volume.db_postgres_iad_1`: the address a reviewer reads in a plan. */
export function addressOf(resource: TerraformResource): string {
  return `${resource.terraformResourceType}.${resource.friendlyUniqueId}`;
}

/** `${fly_app.api.name}` reads as `fly_app.api` in messages; plain names stay as they are. */
export function showReference(value: unknown): string {
  if (typeof value !== "string") return show(value);
  const match = /^\$\{([a-z0-9_]+\.[A-Za-z0-9_-]+)\.[a-z0-9_]+\}$/.exec(value);
  return match ? match[1] : value;
}
