/**
 * The alerts every app gets, over Fly's built-in instance and volume series (docs: Metrics on
 * Fly.io): `fly_instance_up` (1 while a machine reports), `fly_instance_cpu{mode}` (a counter that
 * restarts from zero when the machine boots), `fly_instance_memory_mem_*` (bytes, from the guest's
 * /proc/meminfo) and `fly_volume_used_pct` (0–100). Instance series carry `app`, `region`, `host`
 * and `instance` (the machine id) but no process group, so machines are counted per app and region.
 */
import type { AppConfig, ProcessGroupConfig } from "../../config/types";
import { type AlertRule, type RuleContext, promString, runbookLink } from "./types";

/** Memory in use, as a share of the guest's, above which `MemoryNearLimit` fires. */
export const MEMORY_LIMIT_SHARE = 0.9;
/** Volume usage in percent above which `VolumeUsageHigh` fires. */
export const VOLUME_USAGE_PERCENT = 80;
/** Boots within `RESTART_WINDOW` that make a restart loop. */
export const RESTARTS_IN_LOOP = 3;
export const RESTART_WINDOW = "30m";

/**
 * Machines of a group that should be running all the time: every machine, unless the group may stop
 * (restart policy "no"), or a service lets Fly stop idle machines. Then only the machines kept on by
 * `minMachinesRunning` count: the first N of the primary region (as ProcessGroup creates them).
 */
export function alwaysRunning(group: ProcessGroupConfig): Map<string, number> {
  const perRegion = new Map<string, number>();
  if (group.restart?.policy === "no") return perRegion;
  const count = group.count ?? 1;
  const primary = group.regions[0];
  for (const region of group.regions) {
    let running = 0;
    for (let index = 1; index <= count; index++) {
      const stoppable = (group.services ?? []).some((s) => {
        const keptOn = region === primary && index <= (s.minMachinesRunning ?? 0);
        return !keptOn && (s.autostop ?? "off") !== "off";
      });
      if (!stoppable) running++;
    }
    if (running > 0) perRegion.set(region, running);
  }
  return perRegion;
}

function machinesDown(app: AppConfig, context: RuleContext): AlertRule[] {
  const expected = new Map<string, { count: number; groups: string[] }>();
  for (const [name, group] of Object.entries(app.groups)) {
    for (const [region, count] of alwaysRunning(group)) {
      const entry = expected.get(region) ?? { count: 0, groups: [] };
      entry.count += count;
      entry.groups.push(`${name} (${count})`);
      expected.set(region, entry);
    }
  }
  const alert = "MachinesDown";
  return [...expected].map(([region, { count, groups }]) => ({
    alert,
    expr: `(count(fly_instance_up{app=${promString(app.name)},region=${promString(region)}}) or vector(0)) < ${count}`,
    for: "5m",
    labels: { severity: "page", environment: context.environment, app: app.name, region },
    annotations: {
      summary: `${app.name}: fewer than ${count} machines running in ${region}`,
      description: `{{ $value }} of the ${count} machines declared always running in ${region} (groups ${groups.join(", ")}) have reported for 5 minutes.`,
      runbook_url: runbookLink(context, alert),
    },
  }));
}

function restartLoop(app: AppConfig, context: RuleContext): AlertRule {
  const alert = "MachineRestartLoop";
  return {
    alert,
    // The idle-time counter only grows while a machine runs; each reset is a boot.
    expr: `max by (instance, region) (resets(fly_instance_cpu{app=${promString(app.name)},mode="idle"}[${RESTART_WINDOW}])) >= ${RESTARTS_IN_LOOP}`,
    labels: { severity: "ticket", environment: context.environment, app: app.name },
    annotations: {
      summary: `${app.name}: machine {{ $labels.instance }} in {{ $labels.region }} restarted {{ $value }} times in ${RESTART_WINDOW}`,
      description: `Machine {{ $labels.instance }} of ${app.name} booted at least ${RESTARTS_IN_LOOP} times in ${RESTART_WINDOW}: its process keeps exiting and Fly keeps restarting it.`,
      runbook_url: runbookLink(context, alert),
    },
  };
}

function memoryNearLimit(app: AppConfig, context: RuleContext): AlertRule {
  const alert = "MemoryNearLimit";
  const selector = `app=${promString(app.name)}`;
  return {
    alert,
    expr: `1 - fly_instance_memory_mem_available{${selector}} / fly_instance_memory_mem_total{${selector}} > ${MEMORY_LIMIT_SHARE}`,
    for: "10m",
    labels: { severity: "ticket", environment: context.environment, app: app.name },
    annotations: {
      summary: `${app.name}: machine {{ $labels.instance }} uses over ${MEMORY_LIMIT_SHARE * 100}% of its memory`,
      description: `Machine {{ $labels.instance }} of ${app.name} in {{ $labels.region }} has used more than ${MEMORY_LIMIT_SHARE * 100}% of its guest's memory for 10 minutes; the kernel's OOM killer is next.`,
      runbook_url: runbookLink(context, alert),
    },
  };
}

function volumeUsageHigh(app: AppConfig, context: RuleContext): AlertRule {
  const alert = "VolumeUsageHigh";
  return {
    alert,
    expr: `fly_volume_used_pct{app=${promString(app.name)}} > ${VOLUME_USAGE_PERCENT}`,
    for: "15m",
    labels: { severity: "ticket", environment: context.environment, app: app.name },
    annotations: {
      summary: `${app.name}: volume {{ $labels.id }} is {{ $value }}% full`,
      description: `Volume {{ $labels.id }} of ${app.name} in {{ $labels.region }} has been over ${VOLUME_USAGE_PERCENT}% full for 15 minutes.`,
      runbook_url: runbookLink(context, alert),
    },
  };
}

/** The platform alerts of one app: machines down, restart loops, memory, and volume usage when it has volumes. */
export function platformRules(app: AppConfig, context: RuleContext): AlertRule[] {
  const hasVolume = Object.values(app.groups).some((g) => g.volume !== undefined);
  return [...machinesDown(app, context), restartLoop(app, context), memoryNearLimit(app, context), ...(hasVolume ? [volumeUsageHigh(app, context)] : [])];
}
