/**
 * What synthesis records about each stack for the tooling that runs later without synthesizing
 * (`flystack apply` decides from it whether a destroy needs `--allow-destroy`). Terraform ignores
 * the top-level "//" key of a `.tf.json` file: it is the JSON syntax's comment.
 */
export interface FlystackStackMetadata {
  readonly environment: string;
  readonly protected: boolean;
}

export const METADATA_KEY = "flystack";

/** Reads the metadata from a parsed `cdk.tf.json`, or undefined when it has none (a stack not made by flystack). */
export function readStackMetadata(json: unknown): FlystackStackMetadata | undefined {
  if (typeof json !== "object" || json === null || !("//" in json)) return undefined;
  const comment = json["//"];
  if (typeof comment !== "object" || comment === null || !(METADATA_KEY in comment)) return undefined;
  const value: unknown = (comment as Record<string, unknown>)[METADATA_KEY];
  if (typeof value !== "object" || value === null) return undefined;
  const { environment, protected: isProtected } = value as Record<string, unknown>;
  if (typeof environment !== "string" || typeof isProtected !== "boolean") return undefined;
  return { environment, protected: isProtected };
}
