import { type ConfigRule, groupsOf } from "./rule";
import type { RuleProblem } from "./rule";
import { quote } from "../issue";

/** Settings that only make sense together: limits in order, http checks with a path, command without volume, retries with on-failure. */
export const services: ConfigRule = {
  id: "services",
  check: (env) =>
    groupsOf(env).flatMap(({ group, path }) => {
      const problems: RuleProblem[] = [];
      const primaryMachines = group.count ?? 1;
      (group.services ?? []).forEach((service, s) => {
        const at = `${path}.services[${s}]`;
        if (service.concurrency && service.concurrency.softLimit > service.concurrency.hardLimit) {
          problems.push({ path: `${at}.concurrency.softLimit`, message: `softLimit ${service.concurrency.softLimit} is above hardLimit ${service.concurrency.hardLimit}; it must be at most hardLimit` });
        }
        if ((service.minMachinesRunning ?? 0) > primaryMachines) {
          problems.push({ path: `${at}.minMachinesRunning`, message: `${service.minMachinesRunning} machines cannot be kept running: the primary region has ${primaryMachines} (count); allowed 0 to ${primaryMachines}` });
        }
        (service.checks ?? []).forEach((check, c) => {
          if (check.type === "http" && check.path === undefined) {
            problems.push({ path: `${at}.checks[${c}].path`, message: `an http check needs a path such as "/health"` });
          }
        });
      });
      (group.checks ?? []).forEach((check, c) => {
        if (check.type === "http" && check.path === undefined) {
          problems.push({ path: `${path}.checks[${c}].path`, message: `an http check needs a path such as "/health"` });
        }
      });
      if (group.command && group.volume) {
        problems.push({ path: `${path}.command`, message: `a group with a volume cannot set command: the provider runs a command only in a container, and its containers take no volume mounts; bake the command into the image instead` });
      }
      if (group.restart?.maxRetries !== undefined && group.restart.policy !== "on-failure") {
        problems.push({ path: `${path}.restart.maxRetries`, message: `maxRetries applies only to the "on-failure" policy, not ${quote(group.restart.policy)}` });
      }
      return problems;
    }),
};
