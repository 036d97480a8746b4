/**
 * What a `change.actions` list amounts to, as one kind.
 *
 * Terraform 1.x writes these lists: ["no-op"], ["create"], ["read"], ["update"], ["delete"],
 * ["delete","create"] and ["create","delete"] (replace), ["forget"], and ["create","forget"]
 * (replace whose old object is left alone: `removed { lifecycle { destroy = false } }`).
 * Terraform's docs suggest scanning the list for "delete" so that future combinations are still
 * recognised as deleting; lists this module does not know are classified the same cautious way.
 */

export type ActionKind = "create" | "update" | "replace" | "delete" | "no-op" | "read" | "forget" | "other";

export function classifyActions(actions: readonly string[]): ActionKind {
  const has = (action: string): boolean => actions.includes(action);
  const only = (action: string): boolean => actions.length > 0 && actions.every((a) => a === action);

  if (only("no-op")) return "no-op";
  if (only("read")) return "read";
  if (only("forget")) return "forget";
  // Anything that both makes a new object and gets rid of the old one is a replacement, whatever
  // the order (create_before_destroy only changes the order).
  if (has("create") && (has("delete") || has("forget"))) return "replace";
  // Checked before create/update so that an unknown list with "delete" in it still warns.
  if (has("delete")) return "delete";
  if (has("create")) return "create";
  if (has("update")) return "update";
  return "other";
}

/** Kinds that can lose data or cause downtime: the old object goes away. */
export function isDestructive(kind: ActionKind): boolean {
  return kind === "delete" || kind === "replace";
}
