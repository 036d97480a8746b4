import type { PolicyRule, RuleResult } from "../rule";
import { addressOf, blocksOf, isResourceOf, show } from "../values";

/**
 * FLY009 · What: a service port has the `http` handler without `tls`: it serves plain HTTP.
 * Why: provider ampbase-io/fly 0.2 cannot set Fly's force_https, so nothing redirects those
 * requests to HTTPS; cookies and credentials travel in clear text.
 * A warning: an app that redirects itself (using X-Forwarded-Proto) suppresses it with that reason.
 */
export const fly009: PolicyRule = {
  id: "FLY009",
  level: "warning",
  title: "HTTPS only",
  what: "A service port has the http handler without tls, so it serves plain HTTP.",
  why: "Provider ampbase-io/fly 0.2 cannot set force_https, so nothing redirects plain HTTP to HTTPS.",
  appliesTo: (node) => isResourceOf(node, "fly_machine"),
  check: (node, context) => {
    if (!isResourceOf(node, "fly_machine")) return [];
    const config = context.config(node);
    if (!config) return [];
    const results: RuleResult[] = [];
    blocksOf(config.service).forEach((service, i) => {
      for (const port of blocksOf(service.port)) {
        const handlers = Array.isArray(port.handlers) ? port.handlers.map(String) : [];
        if (handlers.includes("http") && !handlers.includes("tls")) {
          results.push({
            message: `${addressOf(node)} service[${i}] port ${show(port.port)} has handlers [${handlers.join(", ")}] without tls: plain HTTP with no redirect`,
          });
        }
      }
    });
    return results;
  },
};
