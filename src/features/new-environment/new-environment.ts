/**
 * `flystack new env`: derives a new environment from an existing one (its own name, Fly app names
 * and hostnames, unprotected), validates the whole new set of environments, and renders the file.
 * Nothing here writes to the project: the caller writes the text once every check passed.
 */
import { deployedApps } from "../../config/monitoring";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { environmentSchema } from "../../config/schema";
import { environmentFileNames, loadEnvironmentSources } from "../../config/load";
import { ensureTypeScriptRequire } from "../../config/typescript-require";
import { environmentIssues, validateEnvironments } from "../../config/validate";
import { type ConfigIssue, ConfigValidationError, formatIssue } from "../../config/issue";
import { type HelperExport, renderEnvironmentFile } from "../../config/render-environment";
import type { AppConfig, EnvironmentConfig } from "../../config/types";

/** Where the new environment's hostnames go. */
export type HostnameTarget =
  /** Under `<label>.<the source's zone>`, in the source's zone. */
  | { readonly subdomain: string }
  /** Into another Cloudflare zone. */
  | { readonly zone: string; readonly cloudflareZoneId: string };

export interface NewEnvironmentOptions {
  readonly name: string;
  readonly from: string;
  readonly hostnames: HostnameTarget;
  /** @default false */
  readonly protected?: boolean;
  /** The command line, for the file's header. */
  readonly command?: string;
}

export interface NewEnvironmentPlan {
  /** Absolute path of the file to write. */
  readonly file: string;
  readonly text: string;
  readonly config: EnvironmentConfig;
  /** `[from, to]` per app name and per hostname, in config order. */
  readonly appNames: readonly (readonly [string, string])[];
  readonly hostnames: readonly (readonly [string, string])[];
  /** Paths of plain strings that still mention the source environment (env values), to review. */
  readonly mentions: readonly string[];
}

/** Why no file was written; `issues` when the result (or the existing set) does not validate. */
export class NewEnvironmentError extends Error {
  constructor(
    message: string,
    readonly issues: readonly ConfigIssue[] = [],
  ) {
    super(issues.length === 0 ? message : `${message}\n${issues.map((i) => `  - ${formatIssue(i)}`).join("\n")}`);
    this.name = "NewEnvironmentError";
  }
}

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Why `name` cannot name an environment (the schema's rule for `name`), or undefined. */
export function environmentNameProblem(name: string): string | undefined {
  const parsed = environmentSchema.shape.name.safeParse(name);
  return parsed.success ? undefined : parsed.error.issues.map((i) => i.message).join("; ");
}

/**
 * The new environment's Fly app name: the source environment's name as a dash-separated part of
 * the app name replaced by the new one (`acme-api-staging` → `acme-api-qa`), or a last part that
 * abbreviates it (`acme-api-prod` from production → `acme-api-qa`), else `-<name>` appended.
 */
export function deriveAppName(appName: string, from: string, to: string): string {
  const parts = appName.split("-");
  const fromParts = from.split("-");
  for (let i = parts.length - fromParts.length; i >= 0; i--) {
    if (fromParts.every((p, j) => parts[i + j] === p)) return [...parts.slice(0, i), to, ...parts.slice(i + fromParts.length)].join("-");
  }
  const last = parts[parts.length - 1];
  if (parts.length > 1 && last.length >= 3 && from.startsWith(last)) return [...parts.slice(0, -1), to].join("-");
  return `${appName}-${to}`;
}

/**
 * The new environment's hostname: the part below the source's zone, without a last label equal to
 * the source's name (`api.staging` → `api`), put under `<label>.<zone>` or into the new zone.
 */
export function moveHostname(hostname: string, sourceZone: string, from: string, target: HostnameTarget): string {
  const below = hostname === sourceZone ? [] : hostname.slice(0, -(sourceZone.length + 1)).split(".");
  if (below[below.length - 1] === from) below.pop();
  const under = "subdomain" in target ? `${target.subdomain}.${sourceZone}` : target.zone;
  return [...below, under].join(".");
}

/** The new configuration; every field not named here is the source's. */
export function deriveEnvironment(source: EnvironmentConfig, options: NewEnvironmentOptions): EnvironmentConfig {
  const { name, from, hostnames: target } = options;
  const apps = Object.fromEntries(
    Object.entries(source.apps).map(([key, app]): [string, AppConfig] => [
      key,
      {
        ...app,
        name: deriveAppName(app.name, from, name),
        ...(app.domains ? { domains: app.domains.map((h) => moveHostname(h, source.dns.zone, from, target)) } : {}),
      },
    ]),
  );
  // Keys in the shipped files' order.
  return {
    name,
    project: source.project,
    protected: options.protected ?? false,
    fly: source.fly,
    dns: "subdomain" in target ? source.dns : { zone: target.zone, cloudflareZoneId: target.cloudflareZoneId },
    state: source.state,
    apps,
    // The monitoring app is an app too: its Fly name is global, so it gets the new environment's.
    ...(source.monitoring ? { monitoring: { ...source.monitoring, name: deriveAppName(source.monitoring.name, from, name) } } : {}),
  };
}

/** Paths of strings in `value` mentioning `word` (as a whole dash/dot/underscore-separated word). */
function mentionsOf(value: unknown, word: string, at: string, skip: (path: string) => boolean): string[] {
  if (skip(at)) return [];
  if (typeof value === "string") return new RegExp(`(^|[^a-z0-9])${word.replace(/-/g, "\\-")}([^a-z0-9]|$)`, "i").test(value) ? [at] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => mentionsOf(v, word, `${at}[${i}]`, skip));
  if (typeof value === "object" && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => mentionsOf(v, word, at === "" ? k : `${at}.${k}`, skip));
  }
  return [];
}

/** Exports of the environment helper files (`_*.ts`), so the file can use them by name. */
function helperExports(directory: string): HelperExport[] {
  return fs
    .readdirSync(directory)
    .filter((f) => f.startsWith("_") && f.endsWith(".ts") && !f.endsWith(".d.ts"))
    .sort()
    .flatMap((file) => {
      let loaded: unknown;
      try {
        ensureTypeScriptRequire();
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- helpers are discovered at run time
        loaded = require(path.join(directory, file));
      } catch {
        return [];
      }
      if (typeof loaded !== "object" || loaded === null) return [];
      return Object.entries(loaded)
        .filter(([exported, value]) => exported !== "default" && exported !== "__esModule" && typeof value !== "function" && value !== undefined)
        .map(([exported, value]) => ({ module: `./${path.basename(file, ".ts")}`, name: exported, value }));
    });
}

/**
 * Loads the rendered text the way environments are loaded, from a scratch folder beside links to
 * the helpers, and returns its default export; proves the file means what was derived.
 */
function loadRendered(directory: string, name: string, text: string): unknown {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-new-env-"));
  try {
    for (const file of fs.readdirSync(directory).filter((f) => f.startsWith("_"))) fs.symlinkSync(path.join(directory, file), path.join(scratch, file));
    const file = path.join(scratch, `${name}.ts`);
    fs.writeFileSync(file, text);
    ensureTypeScriptRequire();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = require(file) as { default?: unknown };
    return loaded.default;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

export interface EnvironmentsFolder {
  /** Absolute path of the environments folder. */
  readonly directory: string;
  /** How messages name the folder, e.g. `environments`. @default the absolute path */
  readonly displayName?: string;
  /** Import path of src/config/types from a file in the folder, e.g. `../src/config/types`. */
  readonly typesModule: string;
}

/**
 * Plans `environments/<name>.ts` from `environments/<from>.ts`. Throws NewEnvironmentError when
 * the name is taken or invalid, the source is missing or invalid, or the new set of environments
 * (cross-environment rules included) would not validate.
 */
export function planNewEnvironment(project: EnvironmentsFolder, options: NewEnvironmentOptions): NewEnvironmentPlan {
  const { name, from } = options;
  const { directory, typesModule } = project;
  const relative = project.displayName ?? directory;
  const problem = environmentNameProblem(name);
  if (problem) throw new NewEnvironmentError(`"${name}" is not a valid environment name: it ${problem}`);
  const file = path.join(directory, `${name}.ts`);
  if (fs.existsSync(file)) throw new NewEnvironmentError(`environment "${name}" already exists (${path.join(relative, `${name}.ts`)}); choose another name, or edit that file`);
  if ("subdomain" in options.hostnames) {
    const bad = options.hostnames.subdomain.split(".").find((label) => !DNS_LABEL.test(label));
    if (bad !== undefined) throw new NewEnvironmentError(`--subdomain "${options.hostnames.subdomain}" is not a DNS label: use lowercase letters, digits and dashes, not starting or ending with a dash`);
  }
  const known = environmentFileNames(directory).map((f) => path.basename(f, ".ts"));
  if (!known.includes(from)) {
    throw new NewEnvironmentError(`no environment "${from}" to copy (${path.join(relative, `${from}.ts`)} does not exist); environments: ${known.join(", ") || "none"}`);
  }
  const { sources, issues: loadIssues } = loadEnvironmentSources(directory);
  const source = sources.find((s) => s.name === from);
  const checked = source ? environmentIssues(source) : undefined;
  if (!checked?.config || checked.issues.length > 0) {
    throw new NewEnvironmentError(`environment "${from}" is not valid itself; fix it first:`, checked?.issues ?? loadIssues.filter((i) => i.environment === from));
  }
  // The file's own value (checked above) keeps its author's key order; the parsed one is in schema order.
  const original = source!.value as EnvironmentConfig;
  const config = deriveEnvironment(original, options);
  try {
    validateEnvironments([...sources, { name, value: config }], loadIssues);
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    throw new NewEnvironmentError(`the new environment "${name}" would not validate with the others, so nothing was written:`, error.issues);
  }

  const header = [
    `${name}: generated from ${from} (${path.join(relative, `${from}.ts`)}) by \`${options.command ?? `flystack new env ${name} --from ${from}`}\`.`,
    `Its own Fly app names and hostnames; everything else as ${from} had it. This file is yours to edit.`,
  ];
  const text = renderEnvironmentFile(config, { header, typesModule, helpers: helperExports(directory) });
  const reloaded = loadRendered(directory, name, text);
  if (!isDeepStrictEqual(JSON.parse(JSON.stringify(reloaded ?? null)), JSON.parse(JSON.stringify(config)))) {
    throw new NewEnvironmentError(`internal error: the rendered ${path.join(relative, `${name}.ts`)} does not load as the derived configuration; nothing was written (please report this)`);
  }

  const pairs = (f: (c: EnvironmentConfig) => string[]) => {
    const before = f(original);
    return f(config).map((after, i) => [before[i], after] as const);
  };
  return {
    file,
    text,
    config,
    appNames: pairs((c) => Object.values(deployedApps(c)).map((a) => a.name)),
    hostnames: pairs((c) => Object.values(c.apps).flatMap((a) => a.domains ?? [])),
    mentions: mentionsOf(config, from, "", (p) => p === "name" || p === "monitoring.name" || /^apps\.[^.]+\.(name|domains)/.test(p)),
  };
}
