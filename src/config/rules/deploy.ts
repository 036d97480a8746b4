import { type ConfigRule, type RuleProblem, groupsOf } from "./rule";
import { BLUEGREEN_SUFFIX_LENGTH, MAX_MACHINE_NAME } from "../deploy-generation";
import { machineName } from "../../fly/naming";
import { durationMs } from "../../fly/duration";

/** Canary windows from one minute to an hour: shorter sees too little traffic, longer holds a deploy too long. */
const MIN_WINDOW_MS = 60_000;
const MAX_WINDOW_MS = 3_600_000;

/**
 * A group's deploy strategy can run: blue-green only without a volume (a volume attaches to one
 * machine, so a second set cannot mount it) or adopted machines, and with names that still fit
 * Fly's limit after the generation suffix; canary analysis only on a rolling group with an HTTP
 * service (Fly's per-machine series, `fly_app_http_*`, count only HTTP traffic).
 */
export const deploy: ConfigRule = {
  id: "deploy",
  check: (env) =>
    groupsOf(env).flatMap(({ app, groupKey, group, path }) => {
      const problems: RuleProblem[] = [];
      const strategy = group.deploy?.strategy ?? "rolling";
      if (strategy === "bluegreen") {
        if (group.volume) {
          problems.push({
            path: `${path}.deploy.strategy`,
            message: `"bluegreen" needs a group without a volume: a volume attaches to one machine, so the new set could not mount it while the old one runs; use "rolling" (each machine updated in place on its own volume)`,
          });
        }
        if (Object.keys(app.adopt?.machines ?? {}).some((slot) => slot.startsWith(`${groupKey}-`))) {
          problems.push({ path: `${path}.deploy.strategy`, message: `"bluegreen" replaces every machine under a new name; adopt the group's machines with "rolling" first, then switch` });
        }
        const longest = group.regions.map((region) => machineName(app.name, groupKey, region, group.count ?? 1)).sort((a, b) => b.length - a.length)[0] ?? "";
        if (longest.length + BLUEGREEN_SUFFIX_LENGTH > MAX_MACHINE_NAME) {
          problems.push({
            path: `${path}.deploy.strategy`,
            message: `"bluegreen" names each set's machines <name>-<generation>: "${longest}" would grow to ${longest.length + BLUEGREEN_SUFFIX_LENGTH} characters, over Fly's ${MAX_MACHINE_NAME}; shorten the app or group name`,
          });
        }
      }
      const canary = group.deploy?.canary;
      if (canary) {
        if (strategy !== "rolling") problems.push({ path: `${path}.deploy.canary`, message: `canary analysis needs strategy "rolling" (the first machine is the canary), not ${JSON.stringify(strategy)}` });
        const window = durationMs(canary.window);
        if (window === undefined || window < MIN_WINDOW_MS || window > MAX_WINDOW_MS) {
          problems.push({ path: `${path}.deploy.canary.window`, message: `${JSON.stringify(canary.window)} is not a window from 1m to 60m` });
        }
        const http = (group.services ?? []).some((s) => s.ports.some((p) => (p.handlers ?? []).includes("http")));
        if (!http) {
          problems.push({
            path: `${path}.deploy.canary`,
            message: "canary analysis needs a service with an http handler: Fly's per-machine series (fly_app_http_responses_count, fly_app_http_response_time_seconds) count only HTTP traffic",
          });
        }
      }
      return problems;
    }),
};
