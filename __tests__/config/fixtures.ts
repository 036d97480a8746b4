/**
 * Builders for config-validation tests. Every call returns a fresh, deeply mutable object, so a
 * test can change one field and know every other field is valid.
 */
import type { EnvironmentConfig, ProcessGroupConfig, ServiceConfig } from "../../src/config/types";
import { environmentIssues } from "../../src/config/validate";
import { type ConfigIssue, formatIssue } from "../../src/config/issue";

/** `EnvironmentConfig` without the `readonly`s, so tests can edit a fixture in place. */
export type DeepMutable<T> = T extends readonly (infer U)[]
  ? DeepMutable<U>[]
  : T extends object
    ? { -readonly [K in keyof T]: DeepMutable<T[K]> }
    : T;

export type MutableEnvironment = DeepMutable<EnvironmentConfig>;
export type MutableGroup = DeepMutable<ProcessGroupConfig>;

/** A 64-hex-character sha256 digest. */
export const DIGEST = `sha256:${"0123456789abcdef".repeat(4)}`;

export const ZONE_ID = "3f2c9a7d1b8e4c6fa0d5e2b7c9f1a4d3";

/** Minimal but complete: one app (`api`) with one process group (`web`); passes the schema and every rule. */
export function validEnvironment(name = "staging"): MutableEnvironment {
  return {
    name,
    project: "acme",
    fly: { org: "acme" },
    dns: { zone: "example.com", cloudflareZoneId: ZONE_ID },
    state: { backend: "local" },
    apps: {
      api: {
        name: `acme-api-${name}`,
        groups: {
          web: validGroup(),
        },
      },
    },
  };
}

export function validGroup(): MutableGroup {
  return {
    image: "registry.fly.io/acme-api:v1.42.0",
    guest: { cpuKind: "shared", cpus: 1, memoryMb: 256 },
    regions: ["iad"],
  };
}

/** A public HTTPS service with no optional settings. */
export function validService(): DeepMutable<ServiceConfig> {
  return { internalPort: 8080, ports: [{ port: 443, handlers: ["tls", "http"] }] };
}

/** `env.apps.api.groups.web`, the group most tests edit. */
export function web(env: MutableEnvironment): MutableGroup {
  return env.apps.api.groups.web;
}

/** Adds a second app (`worker`, with group `worker`) with its own valid, distinct name. */
export function withWorkerApp(env: MutableEnvironment): MutableEnvironment {
  env.apps.worker = { name: `acme-worker-${env.name}`, groups: { worker: validGroup() } };
  return env;
}

/** Issues of one environment validated as file `<fileName>.ts` (default: its own name). */
export function issuesOf(env: unknown, fileName = "staging"): ConfigIssue[] {
  return environmentIssues({ name: fileName, value: env }).issues;
}

/** Issues rendered the way the CLI prints them. */
export function formattedIssuesOf(env: unknown, fileName = "staging"): string[] {
  return issuesOf(env, fileName).map(formatIssue);
}

/** A loose view of a fixture, for tests that put values of the wrong type or shape in it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- structural tests break the types on purpose
export function loose(env: MutableEnvironment): any {
  return env;
}
