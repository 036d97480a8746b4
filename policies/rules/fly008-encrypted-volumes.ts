import type { PolicyRule } from "../rule";
import { addressOf, isResourceOf, show } from "../values";

/**
 * FLY008 · What: a volume is not encrypted at rest.
 * Why: an unencrypted volume exposes its data to anyone who gets the disk or a snapshot, and
 * encryption cannot be turned on after creation.
 * Unset passes: the provider documents `encrypted` as defaulting to true.
 */
export const fly008: PolicyRule = {
  id: "FLY008",
  level: "error",
  title: "encrypted volumes",
  what: "A fly_volume is not encrypted at rest.",
  why: "Its data would be readable from the disk or a snapshot, and encryption cannot be turned on after creation.",
  appliesTo: (node) => isResourceOf(node, "fly_volume"),
  check: (node, context) => {
    if (!isResourceOf(node, "fly_volume")) return [];
    const config = context.config(node);
    if (!config) return [];
    const encrypted = config.encrypted ?? true;
    return encrypted === true ? [] : [{ message: `${addressOf(node)} has encrypted = ${show(encrypted)}; it must be true` }];
  },
};
