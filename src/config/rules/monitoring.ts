import { unknownRegion } from "./known-regions";
import { guestProblems } from "./guest-size";
import { MONITORING_APP_KEY } from "../monitoring";
import type { ConfigRule, RuleProblem } from "./rule";
import { quote } from "../issue";

/**
 * The monitoring app is one more app of the environment (key `monitoring`): its key and Fly name
 * must be free, its region real, its guest a size Fly offers, and its runbook link no template.
 */
export const monitoring: ConfigRule = {
  id: "monitoring",
  check: (env) => {
    const m = env.monitoring;
    if (!m) return [];
    const problems: RuleProblem[] = [];
    if (Object.hasOwn(env.apps, MONITORING_APP_KEY)) {
      problems.push({ path: `apps.${MONITORING_APP_KEY}`, message: `the app key ${quote(MONITORING_APP_KEY)} is the monitoring app's when "monitoring" is set; rename this app's key` });
    }
    const owner = Object.entries(env.apps).find(([, app]) => app.name === m.name);
    if (owner) problems.push({ path: "monitoring.name", message: `Fly app name ${quote(m.name)} is already used by apps.${owner[0]}; Fly app names are global` });
    const unknown = unknownRegion(m.region);
    if (unknown) problems.push({ path: "monitoring.region", message: unknown });
    if (m.guest) problems.push(...guestProblems(m.guest, "monitoring.guest"));
    if (m.grafana?.guest) problems.push(...guestProblems(m.grafana.guest, "monitoring.grafana.guest"));
    if (m.runbookUrl !== undefined && /[\s"'`]/.test(m.runbookUrl)) {
      problems.push({ path: "monitoring.runbookUrl", message: "must be a URL or path without spaces or quotes (it is written into every alert's runbook_url)" });
    }
    return problems;
  },
};
