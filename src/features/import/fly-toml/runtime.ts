/**
 * How a group runs: `[env]`, `[[restart]]`, `[[metrics]]`, `[deploy]` (strategy and release command),
 * and the top-level keys flystack reports rather than carries. Pure.
 */
import type { DeployConfig, MetricsConfig, ReleaseConfig, RestartConfig } from "../../../config/types";
import { ENV_VAR_NAME } from "../../../config/rules/secret-names";
import { credentialWord } from "../../../config/rules/no-credentials-in-env";
import { quote } from "../../../config/issue";
import { groupsFor, type ProcessGroups } from "./groups";
import { guestOfVm } from "./guest";
import type { Ledger } from "./ledger";
import { type FlyToml, isTable, type Table } from "./parse";
import { commandLine, port, wholeNumber } from "./values";

const BUILD_INSTEAD = "build and push the image yourself (e.g. `fly deploy --build-only --push`, or docker build and push in CI) and import with --image REF, pinned";

export interface Env {
  readonly env: Record<string, string>;
  /** Credential-looking names, declared as secrets without their value. */
  readonly secrets: Set<string>;
}

/**
 * `[env]`, every value as the string flyctl makes of it; names that look like credentials become
 * secrets. flyctl sets PRIMARY_REGION on every machine (over `[env]`), so the entry does too.
 */
export function envOf(toml: FlyToml, region: string | undefined, ledger: Ledger): Env {
  const env: Record<string, string> = {};
  const secrets = new Set<string>();
  for (const [key, value] of Object.entries(toml.env ?? {})) {
    const path = `env.${key}`;
    if (!ENV_VAR_NAME.test(key)) ledger.problem(path, `${quote(key)} is not an environment variable name flystack accepts`, "rename it: letters, digits and underscores, not starting with a digit");
    else if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") ledger.problem(path, "is not a string, number or boolean", "write the value as a string");
    else if (credentialWord(key) !== undefined) {
      secrets.add(key);
      ledger.note(path, `looks like a credential (its name says ${credentialWord(key)}), and flystack keeps credentials out of plain env; declared under secrets instead, without its value`, "set its value as the secret's TF_VAR_ variable (`flystack stacks --json` lists it), and rotate it: it was readable in fly.toml");
    } else {
      env[key] = String(value);
      ledger.carry(path, `env.${key}${typeof value === "string" ? "" : ` (${JSON.stringify(value)} as the string flyctl makes of it)`}`);
    }
  }
  if (toml.env !== undefined && Object.keys(toml.env).length === 0) ledger.carry("env", "(empty)");
  if (region !== undefined) env.PRIMARY_REGION = region;
  return { env, secrets };
}

/** `[[restart]]` per group: `never` is Fly's "no"; `retries` only with on-failure. */
export function restartOf(toml: FlyToml, groups: ProcessGroups, ledger: Ledger): Map<string, RestartConfig> {
  const restarts = new Map<string, RestartConfig>();
  (toml.restart ?? []).forEach((restart, r) => {
    const path = `restart[${r}]`;
    const policy = restart.policy === "never" || restart.policy === "no" ? "no" : restart.policy === "always" || restart.policy === "on-failure" ? restart.policy : undefined;
    const targets = groupsFor(restart.processes, groups, path, ledger);
    if (policy === undefined) {
      ledger.problem(`${path}.policy`, `${quote(restart.policy)} is not a restart policy`, 'use "always", "never" or "on-failure"');
      return;
    }
    if (restart.policy === "no") ledger.note(`${path}.policy`, 'flyctl refuses "no" (its word is "never"); read as Fly\'s "no"', 'write "never" so fly deploy reads it too');
    else ledger.carry(`${path}.policy`, `restart.policy "${policy}"`);
    let retries: number | undefined;
    if (restart.retries !== undefined) {
      if (policy !== "on-failure") ledger.note(`${path}.retries`, `retries apply only to the "on-failure" policy, not ${quote(restart.policy)}`, "remove retries");
      else {
        retries = wholeNumber(restart.retries, `${path}.retries`, ledger, "a retry count");
        if (retries !== undefined) ledger.carry(`${path}.retries`, "restart.maxRetries");
      }
    }
    const config: RestartConfig = retries !== undefined ? { policy, maxRetries: retries } : { policy };
    for (const group of targets) restarts.set(group, config);
  });
  return restarts;
}

/** `[[metrics]]` (or the legacy `[experimental] metrics_port`/`metrics_path`): the endpoint Fly scrapes, per group. */
export function metricsOf(toml: FlyToml, groups: ProcessGroups, ledger: Ledger): Map<string, MetricsConfig> {
  const metrics = new Map<string, MetricsConfig>();
  const experimental = (toml.experimental ?? {}) as Table;
  const entries: { entry: Table; path: string; portKey: string; pathKey: string }[] = (toml.metrics ?? []).map((entry, i) => ({ entry, path: `metrics[${i}]`, portKey: "port", pathKey: "path" }));
  if (experimental.metrics_port !== undefined) entries.push({ entry: { port: experimental.metrics_port, path: experimental.metrics_path }, path: "experimental", portKey: "metrics_port", pathKey: "metrics_path" });
  for (const { entry, path, portKey, pathKey } of entries) {
    const number = port(entry.port, `${path}.${portKey}`, ledger, false);
    if (number === undefined) continue;
    ledger.carry(`${path}.${portKey}`, "metrics.port");
    if (entry.path !== undefined && (typeof entry.path !== "string" || !entry.path.startsWith("/"))) {
      ledger.problem(`${path}.${pathKey}`, `${quote(entry.path)} is not a path`, 'use a path starting with "/", such as "/metrics"');
      continue;
    }
    if (entry.path !== undefined) ledger.carry(`${path}.${pathKey}`, "metrics.path");
    if (typeof entry.https === "boolean") ledger.carry(`${path}.https`, "metrics.https");
    const config: MetricsConfig = { port: number, ...(typeof entry.path === "string" && entry.path !== "/metrics" ? { path: entry.path } : {}), ...(entry.https === true ? { https: true } : {}) };
    for (const group of groupsFor(path === "experimental" ? undefined : entry.processes, groups, path, ledger)) {
      // flyctl applies the first entry that matches a group.
      if (metrics.has(group)) ledger.note(`${path}`, `process group ${quote(group)} already has a metrics endpoint; flyctl applies the first`, "the first is kept");
      else metrics.set(group, config);
    }
  }
  return metrics;
}

export interface Deploy {
  readonly deploy?: DeployConfig;
  /** Run once per deploy: flystack runs it with the default group. */
  readonly release?: ReleaseConfig;
}

/** `[deploy]`: the strategy, and the release command with its machine's size. */
export function deployOf(toml: FlyToml, ledger: Ledger, withVolume: boolean): Deploy {
  const deploy = (toml.deploy ?? {}) as Table;
  let strategy: DeployConfig["strategy"];
  if (deploy.strategy === "rolling" || deploy.strategy === "immediate") {
    strategy = deploy.strategy;
    ledger.carry("deploy.strategy", `deploy.strategy "${strategy}"`);
  } else if (deploy.strategy === "bluegreen" && !withVolume) {
    // fly deploy's bluegreen: a new machine beside each old one, traffic moved once all pass their checks.
    strategy = "bluegreen";
    ledger.carry("deploy.strategy", 'deploy.strategy "bluegreen"');
  } else if (deploy.strategy === "bluegreen") {
    strategy = "rolling";
    ledger.note("deploy.strategy", 'bluegreen needs machines without volumes (a volume attaches to one machine; Fly\'s docs say the same of fly deploy); written as "rolling"', "keep rolling, or move the data off the volume");
  } else if (deploy.strategy === "canary") {
    strategy = "rolling";
    ledger.note(
      "deploy.strategy",
      'written as "rolling": its first machine is the canary, gated by its checks (as fly deploy\'s canary); to also judge it by its error rate and latency, add deploy.canary',
      "add deploy.canary { window, maxErrorRatio, maxLatencyRatio } to judge the canary by its metrics",
    );
  } else if (deploy.strategy !== undefined) ledger.problem("deploy.strategy", `${quote(deploy.strategy)} is not a deploy strategy`, 'use "rolling", "immediate", "canary" or "bluegreen"');
  if (deploy.max_unavailable !== undefined) ledger.note("deploy.max_unavailable", "flystack's rolling deploy replaces one machine at a time (max_unavailable 1)", 'use strategy "immediate" to update every machine at once');
  if (deploy.wait_timeout !== undefined) ledger.note("deploy.wait_timeout", "provider ampbase-io/fly 0.2 waits a fixed 120 s for each machine to start and pass its checks", "make machines start and pass checks within 120 s");
  if (deploy.release_command_timeout !== undefined) ledger.note("deploy.release_command_timeout", "flystack's release hook waits for the command as long as it runs (no timeout)", "make the command end within the deploy's time, or bound it inside the command");
  if (deploy.seed_command !== undefined) ledger.note("deploy.seed_command", "a one-time seed command flystack does not run", "run it once by hand with `fly machine run … --rm`");
  let release: ReleaseConfig | undefined;
  if (deploy.release_command !== undefined) {
    const command = commandLine(deploy.release_command, "deploy.release_command", ledger);
    if (command === null) ledger.carry("deploy.release_command", "(empty: no release command)");
    else if (command) {
      ledger.carry("deploy.release_command", "release.command");
      const vm = deploy.release_command_vm;
      const guest = isTable(vm) ? guestOfVm(vm, "deploy.release_command_vm", ledger) : undefined;
      release = { command, ...(guest ? { guest } : {}) };
    }
  } else if (deploy.release_command_vm !== undefined) ledger.note("deploy.release_command_vm", "sizes a release command this fly.toml does not have", "remove it");
  return { ...(strategy ? { deploy: { strategy } } : {}), ...(release ? { release } : {}) };
}

/** Top-level keys and sections flystack reports instead of carrying. */
export function reportRuntime(toml: FlyToml, ledger: Ledger): void {
  const simple: [string, string, string][] = [
    ["kill_signal", "provider ampbase-io/fly 0.2 cannot set a machine's stop signal", "handle Fly's default SIGINT in the app"],
    ["kill_timeout", "provider ampbase-io/fly 0.2 cannot set a machine's stop timeout", "make the app shut down within Fly's default 5 s"],
    ["swap_size_mb", "provider ampbase-io/fly 0.2 cannot give machines swap", "choose a guest with enough memory"],
    ["console_command", "a flyctl setting (`fly console`), not part of the machines", "run it with `fly ssh console -C …`"],
    ["host_dedication_id", "provider ampbase-io/fly 0.2 has no host dedication setting", "keep this app on fly deploy if it needs dedicated hosts"],
    ["machine_config", "raw machine config that fly deploy merges in; the provider takes only its own fields", "move each setting into the group's configuration where flystack has it"],
    ["container", "a container definition for fly deploy's multi-container machines", "keep this app on fly deploy, or use one image"],
    ["machine_checks", "deploy-time machine checks are a fly deploy feature the provider cannot run", "run the check in CI before the apply"],
  ];
  for (const [key, reason, instead] of simple) if (toml[key] !== undefined) ledger.note(key, reason, instead);
  for (const key of Object.keys((toml.build ?? {}) as Table).filter((k) => k !== "image")) ledger.note(`build.${key}`, "a build setting: flystack deploys an image that is already built", BUILD_INSTEAD);
  if (isTable(toml.build) && Object.keys(toml.build).length === 0) ledger.carry("build", "(empty: nothing to build)");
  (toml.statics ?? []).forEach((_, i) => ledger.note(`statics[${i}]`, "Fly Proxy's static file serving is a fly deploy feature the provider cannot set", "serve the files from the app or a CDN (e.g. Tigris or Cloudflare)"));
  const experimental = (toml.experimental ?? {}) as Table;
  if (Object.keys(experimental).length === 0 && toml.experimental !== undefined) ledger.carry("experimental", "(empty)");
  const ignoredByFly = ["allowed_public_ports", "private_network"];
  for (const key of Object.keys(experimental).filter((k) => !["cmd", "metrics_port", "metrics_path"].includes(k))) {
    if (ignoredByFly.includes(key)) ledger.note(`experimental.${key}`, "an Apps V1 setting Fly's machines ignore", "remove it");
    else ledger.note(`experimental.${key}`, "an experimental fly deploy setting flystack has no equivalent for", key === "entrypoint" || key === "exec" ? "bake it into the image's ENTRYPOINT/CMD" : key === "kill_timeout" ? "make the app shut down within Fly's default 5 s" : "remove it");
  }
}
