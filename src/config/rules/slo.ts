import type { ConfigRule, RuleProblem } from "./rule";
import { quote } from "../issue";

/**
 * An SLO is measured on Fly's edge HTTP metrics of the app: the service must be reachable through
 * Fly's public proxy with an `http` handler, and one objective per app (the edge series carry no
 * service label, so two services' objectives would measure the same traffic).
 */
export const slo: ConfigRule = {
  id: "slo",
  check: (env) => {
    const problems: RuleProblem[] = [];
    for (const [appKey, app] of Object.entries(env.apps)) {
      const isPublic = (app.ips?.sharedIpv4 ?? true) || (app.ips?.ipv6 ?? true) || (app.ips?.dedicatedIpv4 ?? false);
      let first: string | undefined;
      for (const [groupKey, group] of Object.entries(app.groups)) {
        (group.services ?? []).forEach((service, i) => {
          if (!service.slo) return;
          const path = `apps.${appKey}.groups.${groupKey}.services[${i}].slo`;
          if (!service.ports.some((p) => p.handlers?.includes("http"))) {
            problems.push({ path, message: `needs a port with the "http" handler: Fly's edge metrics the objectives are measured on count only HTTP responses` });
          }
          if (!isPublic) {
            problems.push({ path, message: `app ${quote(appKey)} has no public address (ips): Fly's edge metrics count only traffic through its public proxy` });
          }
          if (first !== undefined) {
            problems.push({ path, message: `${first} already declares this app's objectives; Fly's edge metrics cover all of an app's HTTP traffic, so an app has one slo` });
          }
          first ??= path;
        });
      }
    }
    return problems;
  },
};
