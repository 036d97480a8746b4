/**
 * Structural validation of an environment file: types, required fields, allowed values and
 * unknown keys. Rules that look across fields (memory per CPU, hostnames in the zone, secrets
 * in env, …) live one per file in `rules/`, and run only on configs that pass this schema.
 */
import { z } from "zod";
import type { EnvironmentConfig } from "./types";
import { CPU_KINDS } from "../fly/guest";

const name = z.string().regex(/^[a-z][a-z0-9-]*$/, {
  error: "must start with a lowercase letter and hold only lowercase letters, digits and dashes",
});
const duration = z.string().regex(/^\d+(ms|s|m|h)$/, { error: 'must be a duration such as "10s", "500ms" or "1m"' });
const port = z.number().int().min(1).max(65535);

const check = z.strictObject({
  type: z.enum(["http", "tcp"]),
  port: port.optional(),
  path: z.string().startsWith("/", { error: 'must start with "/"' }).optional(),
  interval: duration.optional(),
  timeout: duration.optional(),
  gracePeriod: duration.optional(),
});

const service = z.strictObject({
  internalPort: port,
  protocol: z.enum(["tcp", "udp"]).optional(),
  ports: z
    .array(
      z.strictObject({
        port,
        handlers: z.array(z.enum(["http", "tls", "proxy_proto", "pg_tls"])).optional(),
      }),
    )
    .min(1, { error: "must list at least one port" }),
  autostop: z.enum(["off", "stop", "suspend"]).optional(),
  autostart: z.boolean().optional(),
  minMachinesRunning: z.number().int().min(0).optional(),
  concurrency: z
    .strictObject({
      type: z.enum(["connections", "requests"]),
      softLimit: z.number().int().min(1),
      hardLimit: z.number().int().min(1),
    })
    .optional(),
  checks: z.array(check).optional(),
});

// The reason's length is the guardrails' to judge (FLY000), so every bad suppression is listed with its construct.
const suppressions = z.array(z.strictObject({ id: z.string().regex(/^FLY\d{3}$/, { error: 'must be a rule ID such as "FLY009"' }), reason: z.string() })).optional();

const group = z.strictObject({
  image: z.string().min(1),
  command: z.array(z.string()).min(1).optional(),
  guest: z.strictObject({
    cpuKind: z.enum(CPU_KINDS),
    cpus: z.number().int().min(1),
    memoryMb: z.number().int().min(1),
  }),
  regions: z.array(z.string()).min(1, { error: "must list at least one region" }),
  count: z.number().int().min(1).max(100).optional(),
  env: z.record(z.string(), z.string()).optional(),
  services: z.array(service).optional(),
  checks: z.array(check.extend({ port: z.number({ error: "a machine-level check needs a port (1 to 65535)" }).int().min(1).max(65535) })).optional(),
  restart: z
    .strictObject({
      policy: z.enum(["no", "always", "on-failure"]),
      maxRetries: z.number().int().min(0).optional(),
    })
    .optional(),
  volume: z
    .strictObject({
      name: z.string().regex(/^[a-z][a-z0-9_]*$/, {
        error: "must start with a lowercase letter and hold only lowercase letters, digits and underscores",
      }),
      path: z.string().startsWith("/", { error: 'must be an absolute path starting with "/"' }),
      sizeGb: z.number().int().min(1).max(500),
      encrypted: z.boolean().optional(),
      snapshotRetentionDays: z.number().int().min(1).max(60).optional(),
      autoBackup: z.boolean().optional(),
    })
    .optional(),
  deploy: z.strictObject({ strategy: z.enum(["rolling", "immediate"]).optional() }).optional(),
  release: z.strictObject({ command: z.array(z.string()).min(1) }).optional(),
  suppressions,
});

const app = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,61}[a-z0-9]$/, {
      error: "must be 2 to 63 lowercase letters, digits and dashes, not starting or ending with a dash",
    }),
  ips: z
    .strictObject({
      sharedIpv4: z.boolean().optional(),
      ipv6: z.boolean().optional(),
      dedicatedIpv4: z.boolean().optional(),
      flycast: z.boolean().optional(),
    })
    .optional(),
  secrets: z.record(z.string(), z.strictObject({ version: z.string().min(1) })).optional(),
  domains: z.array(z.string()).optional(),
  suppressions,
  groups: z.record(name, group).refine((groups) => Object.keys(groups).length > 0, {
    error: "must define at least one process group",
  }),
});

const state = z.discriminatedUnion("backend", [
  z.strictObject({
    backend: z.literal("s3"),
    bucket: z.string().min(3),
    region: z.string().min(1).optional(),
    endpoint: z.url({ protocol: /^https?$/ }).optional(),
  }),
  z.strictObject({
    backend: z.literal("hcp"),
    organization: z.string().min(1),
    hostname: z.string().min(1).optional(),
  }),
  z.strictObject({ backend: z.literal("local"), directory: z.string().min(1).optional() }),
]);

export const environmentSchema = z.strictObject({
  name,
  project: name,
  protected: z.boolean().optional(),
  fly: z.strictObject({ org: z.string().min(1) }),
  dns: z.strictObject({
    zone: z.string().regex(/^([a-z0-9-]+\.)+[a-z]{2,}$/, { error: "must be a lowercase domain such as example.com" }),
    cloudflareZoneId: z.string().regex(/^[0-9a-f]{32}$/, { error: "must be 32 lowercase hex characters" }),
  }),
  state,
  apps: z.record(name, app).refine((apps) => Object.keys(apps).length > 0, { error: "must define at least one app" }),
});

// The schema and the documented interfaces must describe the same thing: this fails to compile if they drift.
type Parsed = z.output<typeof environmentSchema>;
const schemaMatchesTypes: (parsed: Parsed) => EnvironmentConfig = (parsed) => parsed;
void schemaMatchesTypes;
