/**
 * The one primitive every reader of synthesized Terraform JSON (`cdk.tf.json`) starts from. The
 * readers differ on purpose in what they do with a surprise (cost: an error; diagram: a note;
 * policies: a finding), but they agree on what a JSON object is.
 */
export type JsonObject = Readonly<Record<string, unknown>>;

/** A JSON object: not null, not an array. */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
