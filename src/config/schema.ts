/**
 * Structural validation of an environment file: types, required fields, allowed values and
 * unknown keys. Rules that look across fields (memory per CPU, hostnames in the zone, secrets
 * in env, …) live one per file in `rules/`, and run only on configs that pass this schema.
 */
import { z } from "zod";
import { groupNameProblem } from "../fly/process-groups";
import type { EnvironmentConfig } from "./types";
import { CPU_KINDS } from "../fly/guest";

/**
 * A string of at most `max` characters. Every string of a configuration has a bound, so no value can
 * make validation, synthesis or a message slow or huge; the message states the bound, never the value.
 */
function text(max: number, unit = `${max} characters`) {
  return z.string().max(max, { error: (issue) => `is ${typeof issue.input === "string" ? issue.input.length : "too many"} characters; at most ${unit} allowed` });
}

/** Strings Terraform's backend block reads as they are: a `${` or `%{` there would be a template. */
function noTemplate(max: number) {
  return text(max).refine((s) => !s.includes("${") && !s.includes("%{"), { error: 'must not contain "${" or "%{": Terraform would read it as a template' });
}

/**
 * The longest run of characters cdktf reads as a possible encoded number (digits, `.`, `-`, `+`, `|`).
 * cdktf (0.21, tokens/private/encoding.js NUMBER_TOKEN_REGEX) searches every string it writes with
 * `/[-|\d|.\+]+(e[-|\d|.|e|E|\+]+)/g`, which rescans such a run from each of its characters: time
 * grows with the square of the run (a 100,000-digit value takes minutes). Long values are fine; long
 * runs are refused.
 */
export const MAX_NUMBER_RUN = 256;
export function longestNumberRun(value: string): number {
  let longest = 0;
  let run = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    // 0-9 . - + |
    if ((c >= 48 && c <= 57) || c === 46 || c === 45 || c === 43 || c === 124) {
      run++;
      if (run > longest) longest = run;
    } else run = 0;
  }
  return longest;
}

/** `text` for long values written into every machine (env values, command arguments). */
function longText(max: number, unit: string) {
  return text(max, unit).check((ctx) => {
    // A value over its bound is already refused; judging its runs would only repeat that.
    if (ctx.value.length > max) return;
    const run = longestNumberRun(ctx.value);
    if (run > MAX_NUMBER_RUN) {
      ctx.issues.push({
        code: "custom",
        input: ctx.value,
        message: `holds ${run} digits, dots, dashes, plus signs or "|" in a row; at most ${MAX_NUMBER_RUN} allowed (cdktf's synthesis slows down with the square of such a run)`,
      });
    }
  });
}

/** Fly app and process-group names, environment and project names: 63 characters (a DNS label). */
const MAX_NAME = 63;
/** Environment-variable and secret names. */
const MAX_VARIABLE_NAME = 255;
/** An environment variable's value: 64 KiB. */
export const MAX_ENV_VALUE = 64 * 1024;
/** One argument of a command. */
const MAX_ARGUMENT = 4096;
/** A file's base64 content in the configuration: 256 KiB (Fly keeps a machine's whole config small). */
const MAX_FILE_BASE64 = 256 * 1024;
/** An HTTP path of a check, a mount path, a state directory. */
const MAX_PATH = 1024;

const name = text(MAX_NAME).regex(/^[a-z][a-z0-9-]*$/, {
  error: "must start with a lowercase letter and hold only lowercase letters, digits and dashes",
});
/** A process group's name, as Fly has it (src/fly/process-groups.ts). */
const groupName = text(MAX_NAME).check((ctx) => {
  const problem = groupNameProblem(ctx.value);
  if (problem !== undefined && ctx.value.length <= MAX_NAME) ctx.issues.push({ code: "custom", input: ctx.value, message: problem });
});
const duration = text(16).regex(/^\d+(ms|s|m|h)$/, { error: 'must be a duration such as "10s", "500ms" or "1m"' });
const variableName = text(MAX_VARIABLE_NAME);
const command = z.array(longText(MAX_ARGUMENT, `${MAX_ARGUMENT} characters per argument`)).min(1).max(256, { error: "must have at most 256 arguments" });
const port = z.number().int().min(1).max(65535);
/** An objective in percent: below 50 is no objective; 100 leaves no error budget to burn; 99.999 leaves a budget of 1e-5. */
const objectivePercent = z
  .number()
  .min(50, { error: "must be a percentage from 50 to 99.999" })
  .max(99.999, { error: "must be at most 99.999: 100% leaves no error budget (every error would page), and a finer objective one too small to measure" });

const check = z.strictObject({
  type: z.enum(["http", "tcp"]),
  port: port.optional(),
  path: text(MAX_PATH).startsWith("/", { error: 'must start with "/"' }).optional(),
  method: z.enum(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"], { error: "must be an HTTP method in upper case: GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS" }).optional(),
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
  slo: z
    .strictObject({
      availability: objectivePercent.optional(),
      latencyMs: z.strictObject({ p: objectivePercent, under: z.number().int().min(1).max(60_000, { error: "must be at most 60000 ms" }) }).optional(),
    })
    .refine((slo) => slo.availability !== undefined || slo.latencyMs !== undefined, { error: "must declare availability, latencyMs or both" })
    .optional(),
});

// The reason's length is the guardrails' to judge (FLY000), so every bad suppression is listed with its construct.
const suppressions = z.array(z.strictObject({ id: text(16).regex(/^FLY\d{3}$/, { error: 'must be a rule ID such as "FLY009"' }), reason: text(1000) })).optional();

const appName = text(MAX_NAME).regex(/^[a-z0-9][a-z0-9-]{0,61}[a-z0-9]$/, {
  error: "must be 2 to 63 lowercase letters, digits and dashes, not starting or ending with a dash",
});
const guest = z.strictObject({
  cpuKind: z.enum(CPU_KINDS),
  cpus: z.number().int().min(1),
  memoryMb: z.number().int().min(1),
});

const group = z.strictObject({
  image: text(512).min(1),
  command: command.optional(),
  guest,
  regions: z.array(text(16)).min(1, { error: "must list at least one region" }).max(64, { error: "must list at most 64 regions" }),
  count: z.number().int().min(1).max(100).optional(),
  env: z.record(variableName, longText(MAX_ENV_VALUE, `${MAX_ENV_VALUE} characters (64 KiB)`)).optional(),
  services: z.array(service).optional(),
  checks: z
    .array(
      check.extend({
        port: z.number({ error: "a machine-level check needs a port (1 to 65535)" }).int().min(1).max(65535),
        name: text(63).regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, { error: "must be letters, digits, '_', '.' or '-', starting with a letter or digit" }).optional(),
      }),
    )
    .superRefine((checks, ctx) => {
      const names = checks.map((c, i) => c.name ?? `${c.type}_${c.port}_${i}`);
      names.forEach((name, i) => {
        if (names.indexOf(name) !== i) ctx.addIssue({ code: "custom", path: [i, "name"], message: `"${name}" names two machine-level checks; each needs its own name` });
      });
    })
    .optional(),
  restart: z
    .strictObject({
      policy: z.enum(["no", "always", "on-failure"]),
      maxRetries: z.number().int().min(0).optional(),
    })
    .optional(),
  volume: z
    .strictObject({
      name: text(30).regex(/^[a-z][a-z0-9_]*$/, {
        error: "must start with a lowercase letter and hold only lowercase letters, digits and underscores",
      }),
      path: text(MAX_PATH).startsWith("/", { error: 'must be an absolute path starting with "/"' }),
      sizeGb: z.number().int().min(1).max(500),
      encrypted: z.boolean().optional(),
      snapshotRetentionDays: z.number().int().min(1).max(60).optional(),
      autoBackup: z.boolean().optional(),
    })
    .optional(),
  deploy: z
    .strictObject({
      strategy: z.enum(["rolling", "immediate", "bluegreen"]).optional(),
      canary: z
        .strictObject({
          window: text(10).regex(/^\d+(s|m)$/, { error: 'must be a duration in seconds or minutes, e.g. "600s" or "10m"' }),
          maxErrorRatio: z.number().min(1, { error: "must be at least 1 (the canary may err as often as the others)" }).max(100),
          maxLatencyRatio: z.number().min(1, { error: "must be at least 1 (the canary may be as slow as the others)" }).max(100),
          quantile: z.number().min(0.5).max(0.999).optional(),
          minRequests: z.number().int().min(1).max(10_000_000).optional(),
          onInsufficientData: z.enum(["pass", "fail"]).optional(),
        })
        .optional(),
    })
    .optional(),
  release: z.strictObject({ command, guest: guest.optional() }).optional(),
  files: z
    .array(
      z
        .strictObject({
          guestPath: text(MAX_PATH).startsWith("/", { error: 'must be an absolute path starting with "/"' }),
          rawValue: longText(MAX_FILE_BASE64, `${MAX_FILE_BASE64} characters (256 KiB of base64)`)
            .regex(/^[A-Za-z0-9+/]*={0,2}$/, { error: "must be base64 (A–Z, a–z, 0–9, +, /, then up to two =)" })
            .optional(),
          secretName: variableName.optional(),
          mode: z.number().int().min(0).max(0o7777, { error: "must be permission bits from 0 to 0o7777 (4095)" }).optional(),
        })
        .refine((f) => (f.rawValue === undefined) !== (f.secretName === undefined), { error: "needs exactly one of rawValue (the base64 content) and secretName (an app secret holding it)" }),
    )
    .max(64, { error: "must list at most 64 files" })
    .optional(),
  suppressions,
  metrics: z.strictObject({ port, path: text(MAX_PATH).startsWith("/", { error: 'must start with "/"' }).optional(), https: z.boolean().optional() }).optional(),
});

const slot = text(MAX_NAME + 16).regex(/^[A-Za-z0-9_][A-Za-z0-9_-]*-[a-z0-9]+-\d+$/, { error: 'must be a slot "<group>-<region>-<n>", such as "web-iad-1"' });
const adoptedResource = z.strictObject({
  id: text(64).regex(/^[A-Za-z0-9_-]+$/, { error: "must be a Fly id: letters, digits, dashes and underscores" }),
  name: text(MAX_NAME).min(1, { error: "must not be empty" }),
});
const adopt = z.strictObject({
  fingerprint: text(71).regex(/^sha256:[0-9a-f]{64}$/, { error: 'must be "sha256:" and 64 hex digits, as flystack import app writes it' }),
  machines: z.record(slot, adoptedResource).optional(),
  volumes: z.record(slot, adoptedResource).optional(),
  ips: z
    .strictObject({
      sharedIpv4: text(45).optional(),
      ipv6: text(45).optional(),
      dedicatedIpv4: text(45).optional(),
      flycast: text(45).optional(),
    })
    .optional(),
  certificates: z.array(text(253)).max(100).optional(),
});

const app = z.strictObject({
  name: appName,
  ips: z
    .strictObject({
      sharedIpv4: z.boolean().optional(),
      ipv6: z.boolean().optional(),
      dedicatedIpv4: z.boolean().optional(),
      flycast: z.boolean().optional(),
    })
    .optional(),
  secrets: z.record(variableName, z.strictObject({ version: text(64).min(1) })).optional(),
  domains: z.array(text(253, "253 characters (DNS's limit)")).max(100, { error: "must list at most 100 hostnames" }).optional(),
  suppressions,
  groups: z
    .record(groupName, group)
    .refine((groups) => Object.keys(groups).length > 0, { error: "must define at least one process group" })
    .superRefine((groups, ctx) => {
      // Fly's DNS does not tell `Web` from `web`: both would answer as one <group>.process.<app>.internal.
      const seen = new Map<string, string>();
      for (const key of Object.keys(groups)) {
        const other = seen.get(key.toLowerCase());
        if (other !== undefined) ctx.addIssue({ code: "custom", path: [key], message: `differs from group "${other}" only in case; they would share one internal DNS name` });
        else seen.set(key.toLowerCase(), key);
      }
    }),
  adopt: adopt.optional(),
});

const receiver = z.strictObject({
  kind: z.enum(["slack", "pagerduty", "webhook"], { error: 'must be "slack", "pagerduty" or "webhook"' }),
  version: text(64).min(1),
});
const monitoring = z.strictObject({
  name: appName,
  region: text(16),
  prometheusTokenVersion: text(64).min(1),
  receivers: z.strictObject({ page: receiver, ticket: receiver.optional() }),
  runbookUrl: text(2048).min(1).optional(),
  guest: guest.optional(),
  grafana: z.strictObject({ adminPasswordVersion: text(64).min(1), guest: guest.optional() }).optional(),
});

const state = z.discriminatedUnion("backend", [
  z.strictObject({
    backend: z.literal("s3"),
    bucket: text(63).regex(/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/, { error: "must be an S3 bucket name: lowercase letters, digits, dots and dashes" }).min(3),
    region: text(32).regex(/^[a-z0-9-]+$/, { error: "must be a region such as us-east-1 or auto" }).optional(),
    endpoint: noTemplate(2048).pipe(z.url({ protocol: /^https?$/ })).optional(),
  }),
  z.strictObject({
    backend: z.literal("hcp"),
    organization: text(255).regex(/^[A-Za-z0-9_-]+$/, { error: "must be an HCP Terraform organization name: letters, digits, dashes and underscores" }),
    hostname: text(253).regex(/^[A-Za-z0-9.-]+(:\d+)?$/, { error: "must be a host name such as app.terraform.io" }).optional(),
  }),
  z.strictObject({ backend: z.literal("local"), directory: noTemplate(MAX_PATH).min(1).optional() }),
]);

/** `YYYY-MM-DD`, a real calendar day. */
export const isoDate = text(10).check((ctx) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(ctx.value)) {
    if (ctx.value.length <= 10) ctx.issues.push({ code: "custom", input: ctx.value, message: 'must be an ISO date such as "2026-12-31"' });
    return;
  }
  const d = new Date(`${ctx.value}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== ctx.value) ctx.issues.push({ code: "custom", input: ctx.value, message: "must be a real calendar date" });
});

// Expired entries stay valid configuration: `flystack drift` reports their drift again, naming the expiry.
const acceptedDrift = z
  .array(
    z.strictObject({
      address: text(1024).min(1, { error: "must not be empty" }),
      field: text(1024).min(1, { error: "must not be empty (leave it out to accept every attribute)" }).optional(),
      reason: text(1000).min(10, { error: "must say why, in at least 10 characters" }),
      expires: isoDate,
    }),
  )
  .max(1000, { error: "must list at most 1000 entries" })
  .optional();

export const environmentSchema = z.strictObject({
  name,
  project: name,
  protected: z.boolean().optional(),
  fly: z.strictObject({ org: text(MAX_NAME).regex(/^[a-z0-9][a-z0-9-]*$/, { error: "must be a Fly organization slug: lowercase letters, digits and dashes" }) }),
  dns: z.strictObject({
    zone: text(253).regex(/^([a-z0-9-]+\.)+[a-z]{2,}$/, { error: "must be a lowercase domain such as example.com" }),
    cloudflareZoneId: text(32).regex(/^[0-9a-f]{32}$/, { error: "must be 32 lowercase hex characters" }),
  }),
  state,
  apps: z.record(name, app).refine((apps) => Object.keys(apps).length > 0, { error: "must define at least one app" }),
  acceptedDrift,
  stacks: z.enum(["per-environment", "per-app"], { error: 'must be "per-environment" or "per-app"' }).optional(),
  monitoring: monitoring.optional(),
});

// The schema and the documented interfaces must describe the same thing: this fails to compile if they drift.
type Parsed = z.output<typeof environmentSchema>;
const schemaMatchesTypes: (parsed: Parsed) => EnvironmentConfig = (parsed) => parsed;
void schemaMatchesTypes;
