import type { PolicyRule } from "../rule";
import { addressOf, isObject, isResourceOf } from "../values";

/** Resources whose deletion loses what a re-apply cannot bring back (data, the app's name and IPs). */
const STATEFUL = ["fly_app", "fly_volume"];

/**
 * FLY001 · What: in a protected environment, a fly_app or fly_volume lacks lifecycle.prevent_destroy.
 * Why: one bad plan (a renamed key, a removed group) would delete the app or its data for good.
 */
export const fly001: PolicyRule = {
  id: "FLY001",
  level: "error",
  title: "prevent_destroy on stateful resources",
  what: "In a protected environment, a fly_app or fly_volume lacks lifecycle.prevent_destroy.",
  why: "One bad plan (a renamed key, a removed group) would delete the app or its data for good.",
  appliesTo: (node) => isResourceOf(node, ...STATEFUL),
  check: (node, context) => {
    if (!context.protected || !isResourceOf(node, ...STATEFUL)) return [];
    const config = context.config(node);
    if (!config) return [];
    const lifecycle = config.lifecycle;
    if (isObject(lifecycle) && lifecycle.prevent_destroy === true) return [];
    return [{ message: `${addressOf(node)} has no lifecycle.prevent_destroy = true in protected environment "${context.stack}"` }];
  },
};
