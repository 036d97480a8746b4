import type { PolicyRule } from "../rule";
import { addressOf, blocksOf, isResourceOf } from "../values";

const GUEST_FIELDS = ["cpu_kind", "cpus", "memory_mb"];

/**
 * FLY006 · What: a machine does not declare its guest size (cpu_kind, cpus, memory_mb).
 * Why: Fly then picks the size, so cost and capacity change without a reviewed diff, and the
 * machine's volume cannot be placed on a host that fits it.
 */
export const fly006: PolicyRule = {
  id: "FLY006",
  level: "error",
  title: "machines declare their size",
  what: "A machine does not declare its guest size (cpu_kind, cpus, memory_mb).",
  why: "Fly then chooses the size, so cost and capacity change without a reviewed diff.",
  appliesTo: (node) => isResourceOf(node, "fly_machine"),
  check: (node, context) => {
    if (!isResourceOf(node, "fly_machine")) return [];
    const config = context.config(node);
    if (!config) return [];
    const guest = blocksOf(config.guest)[0] ?? {};
    const missing = GUEST_FIELDS.filter((field) => guest[field] === undefined || guest[field] === null || guest[field] === "");
    return missing.length === 0 ? [] : [{ message: `${addressOf(node)} has no guest ${missing.join(", ")}` }];
  },
};
