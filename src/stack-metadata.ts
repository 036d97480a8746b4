/**
 * What synthesis records about each stack for the tooling that runs later without synthesizing
 * (`flystack apply` decides from it whether a destroy needs `--allow-destroy`). Terraform ignores
 * the top-level "//" key of a `.tf.json` file: it is the JSON syntax's comment.
 */
export interface FlystackStackMetadata {
  readonly environment: string;
  readonly protected: boolean;
}

import { isObject } from "./json-object";

export const METADATA_KEY = "flystack";

/** Reads the metadata from a parsed `cdk.tf.json`, or undefined when it has none (a stack not made by flystack). */
export function readStackMetadata(json: unknown): FlystackStackMetadata | undefined {
  const comment = isObject(json) ? json["//"] : undefined;
  const value = isObject(comment) ? comment[METADATA_KEY] : undefined;
  if (!isObject(value)) return undefined;
  const { environment, protected: isProtected } = value;
  if (typeof environment !== "string" || typeof isProtected !== "boolean") return undefined;
  return { environment, protected: isProtected };
}
