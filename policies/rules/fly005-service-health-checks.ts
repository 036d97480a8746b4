import type { PolicyRule, RuleResult } from "../rule";
import { addressOf, blocksOf, isResourceOf, show } from "../values";

/**
 * FLY005 · What: a machine service has no health check.
 * Why: without one, Fly Proxy routes traffic to a broken machine and the provider does not wait
 * for it to be healthy, so a rolling deploy rolls a bad release everywhere.
 * Error in protected environments; a warning elsewhere, so a staging experiment (a debug port)
 * does not block synthesis but still shows up.
 */
export const fly005: PolicyRule = {
  id: "FLY005",
  level: "error",
  title: "services have health checks",
  what: "A machine service has no health check.",
  why: "Without one, Fly Proxy routes to broken machines and a rolling deploy does not stop at a bad release.",
  appliesTo: (node) => isResourceOf(node, "fly_machine"),
  check: (node, context) => {
    if (!isResourceOf(node, "fly_machine")) return [];
    const config = context.config(node);
    if (!config) return [];
    const level = context.protected ? "error" : "warning";
    const results: RuleResult[] = [];
    blocksOf(config.service).forEach((service, i) => {
      if (blocksOf(service.check).length === 0) {
        results.push({ level, message: `${addressOf(node)} service[${i}] (internal port ${show(service.internal_port)}) has no check` });
      }
    });
    return results;
  },
};
