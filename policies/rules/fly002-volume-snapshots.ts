import type { PolicyRule, RuleResult } from "../rule";
import { addressOf, isResourceOf, show } from "../values";

export const MIN_SNAPSHOT_DAYS = 7;
/** Fly's retention when `snapshot_retention` is unset (provider ampbase-io/fly 0.2 docs). */
const FLY_DEFAULT_SNAPSHOT_DAYS = 5;

/**
 * FLY002 · What: in a protected environment, a volume keeps snapshots under 7 days or has automatic backups off.
 * Why: snapshots are the only way back from a bad migration or deleted rows; a week covers a weekend and a slow discovery.
 */
export const fly002: PolicyRule = {
  id: "FLY002",
  level: "error",
  title: "volume snapshots and backups",
  what: `In a protected environment, a fly_volume keeps snapshots under ${MIN_SNAPSHOT_DAYS} days or has automatic backups off.`,
  why: "Snapshots are the only way back from a bad migration or deleted rows; a week covers a weekend and a slow discovery.",
  appliesTo: (node) => isResourceOf(node, "fly_volume"),
  check: (node, context) => {
    if (!context.protected || !isResourceOf(node, "fly_volume")) return [];
    const config = context.config(node);
    if (!config) return [];
    const results: RuleResult[] = [];
    const retention = config.snapshot_retention ?? FLY_DEFAULT_SNAPSHOT_DAYS;
    if (typeof retention !== "number" || retention < MIN_SNAPSHOT_DAYS) {
      const unset = config.snapshot_retention === undefined ? ` (unset: Fly's default is ${FLY_DEFAULT_SNAPSHOT_DAYS})` : "";
      results.push({ message: `${addressOf(node)} has snapshot_retention = ${show(retention)}${unset}; keep at least ${MIN_SNAPSHOT_DAYS} days` });
    }
    // Unset means on: the provider documents auto_backup_enabled as defaulting to true.
    const backups = config.auto_backup_enabled ?? true;
    if (backups !== true) {
      results.push({ message: `${addressOf(node)} has auto_backup_enabled = ${show(backups)}; it must be true` });
    }
    return results;
  },
};
