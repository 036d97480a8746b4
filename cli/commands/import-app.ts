/**
 * `flystack import app NAME… --env ENV`: reads each live app through the audit's Fly client and
 * writes it into environments/ENV.ts as an app entry that adopts what exists (see AdoptConfig):
 * the first plan imports instead of creating.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { EXIT, type CliContext } from "../command";
import { parseArgs, UsageError } from "../args";
import { flyClientFromEnv } from "../fly-client";
import { loadEnvironmentSources } from "../../src/config/load";
import type { AppConfig, EnvironmentConfig } from "../../src/config/types";
import { FlyApiError } from "../../src/fly/api/errors";
import { addAppsToEnvironment, EnvironmentFileError } from "../../src/features/import/environment-file";
import { readLiveApp } from "../../src/features/import/live/read";
import { type ImportNote, liveAppToConfig } from "../../src/features/import/live/to-config";

export const IMPORT_APP_HELP = `Usage: flystack import app NAME… --env ENV [--app-key KEY] [--secret-version V] [--json] [--dry-run]

Reads each Fly app NAME through Fly's Machines API (read only) and writes it into
environments/ENV.ts as an app entry: machines grouped by Fly process group, their regions,
counts, image (pinned by the digest Fly reports), guest, env, services, checks, restart policy and
volume; public and Flycast addresses; certificates (hostnames in the environment's DNS zone become
domains); secret names (never values). The entry's \`adopt\` records the id of every machine, volume,
address and certificate, so the first \`flystack plan ENV\` imports them instead of creating new ones:

  - machines keep their Fly names and config (the provider reads back only a machine's identity; the
    adopted machines' config is left as Fly runs it until the app's entry changes, when the next
    plan updates them with the declared config);
  - volumes keep their Fly names (a name forces replacement); a shared IPv4 keeps the type the
    provider's import guesses (public_v4) rather than being replaced;
  - certificates are imported without DNS records or a validation gate (they are issued already);
  - secrets cannot be imported: their creates write the values you supply (TF_VAR_<app key>_<NAME>)
    at apply, so set each to its current value first. The report lists them.

Everything the entry cannot say exactly (another machine's differing config, a second address of a
kind, a certificate outside the zone, init commands…) is listed in the report with what to do.

Arguments:
  NAME…              Fly app names.
Options:
  --env ENV          The environment to write into (environments/ENV.ts). Required.
  --app-key KEY      The app's key in the environment (one NAME only). Default: NAME.
  --secret-version V Version written for each secret (a rotation marker). Default: adopted-<today>.
  --json             Print { apps: [ { key, name, file, adopted, notes } ] } instead of Markdown.
  --dry-run          Print the entries; write nothing.
  --help             Show this help.
Environment:
  FLY_API_TOKEN          A token with read access to the apps (fly tokens create readonly). Required.
  FLYSTACK_FLY_API_URL   The API's base URL, without /v1 (as for flystack audit).

Exit codes: 0 written; 1 an error (nothing written).`;

interface ImportedApp {
  readonly key: string;
  readonly app: AppConfig;
  readonly notes: readonly ImportNote[];
}

/** The environment-file key for a Fly app name: lowercase letters, digits and dashes, starting with a letter. */
function keyFor(name: string): string {
  const key = name.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^[^a-z]+/, "");
  return key || "app";
}

/** The environment written into, or (when it is new) the one its file will be copied from, as addAppsToEnvironment does. */
function environmentNamed(cwd: string, env: string): EnvironmentConfig | undefined {
  const { sources } = loadEnvironmentSources(path.join(cwd, "environments"));
  return (sources.find((s) => s.name === env) ?? sources[0])?.value as EnvironmentConfig | undefined;
}

function adoptedSummary(app: AppConfig): string {
  const a = app.adopt;
  const parts = [
    `app ${app.name}`,
    `${Object.keys(a?.machines ?? {}).length} machine(s)`,
    `${Object.keys(a?.volumes ?? {}).length} volume(s)`,
    `${Object.keys(a?.ips ?? {}).length} address(es)`,
    `${(a?.certificates ?? []).length} certificate(s)`,
  ];
  return parts.join(", ");
}

function renderReport(env: string, file: string | undefined, apps: readonly ImportedApp[]): string {
  const lines = [`## flystack import app → ${env}${file ? ` (${file})` : " (dry run)"}`, ""];
  for (const { key, app, notes } of apps) {
    lines.push(`### \`${key}\`: ${app.name}`, "", `Adopts ${adoptedSummary(app)}.`, "");
    if (notes.length === 0) lines.push("Nothing to note: the entry says what Fly runs.", "");
    else lines.push("| where | why | what to do |", "| --- | --- | --- |", ...notes.map((n) => `| \`${n.path}\` | ${n.reason.replace(/\|/g, "\\|")} | ${n.instead.replace(/\|/g, "\\|")} |`), "");
  }
  lines.push(`Next: \`flystack plan ${env}\` should show imports only (and a create per secret, whose value you supply); apply it to adopt.`);
  return lines.join("\n");
}

export async function importApp(args: readonly string[], ctx: CliContext): Promise<number> {
  const { options, positionals } = parseArgs(args, {
    env: { kind: "string" },
    "app-key": { kind: "string" },
    "secret-version": { kind: "string" },
    json: { kind: "boolean" },
    "dry-run": { kind: "boolean" },
  });
  if (positionals.length === 0) throw new UsageError("name at least one Fly app: flystack import app NAME… --env ENV");
  if (!options.env) throw new UsageError("--env ENV is required: the environment to write the apps into");
  if (options["app-key"] && positionals.length > 1) throw new UsageError("--app-key names one app's key; give one NAME with it");
  const client = flyClientFromEnv(ctx, "import");
  if (!client) {
    ctx.stderr.write("flystack import app needs FLY_API_TOKEN: a token with read access to the apps (fly tokens create readonly).\n");
    return EXIT.error;
  }
  // Before reading Fly: the apps are written into environments/ENV.ts, so the folder must be here.
  if (!fs.existsSync(path.join(ctx.cwd, "environments"))) {
    ctx.stderr.write(`flystack import app: there is no environments/ folder in ${ctx.cwd}: run it from the project's root (where environments/ and main.ts are); nothing read, nothing written\n`);
    return EXIT.error;
  }
  const environment = environmentNamed(ctx.cwd, options.env);
  const secretVersion = options["secret-version"] ?? `adopted-${new Date().toISOString().slice(0, 10)}`;

  const imported: ImportedApp[] = [];
  for (const name of positionals) {
    ctx.stderr.write(`import: reading ${name}…\n`);
    let live;
    try {
      live = await readLiveApp(client, name);
    } catch (error) {
      if (!(error instanceof FlyApiError)) throw error;
      ctx.stderr.write(`flystack import app: ${error.message}\n`);
      return EXIT.error;
    }
    if (!live) {
      ctx.stderr.write(`flystack import app: Fly has no app "${name}" (or FLY_API_TOKEN cannot see it); nothing written\n`);
      return EXIT.error;
    }
    if (environment && live.org && live.org !== environment.fly.org)
      ctx.stderr.write(`import: note: ${name} is in organization ${live.org}, environment ${options.env} uses ${environment.fly.org}\n`);
    const { app, notes } = liveAppToConfig(live, { secretVersion, zone: environment?.dns.zone });
    ctx.stderr.write(`import: ${name}: ${adoptedSummary(app)}; ${notes.length} note(s)\n`);
    imported.push({ key: options["app-key"] ?? keyFor(name), app, notes });
  }

  let file: string | undefined;
  if (options["dry-run"]) {
    ctx.stdout.write(`${JSON.stringify(Object.fromEntries(imported.map((i) => [i.key, i.app])), null, 2)}\n`);
  } else {
    try {
      const written = addAppsToEnvironment(
        ctx.cwd,
        options.env,
        imported.map(({ key, app }) => ({ key, app })),
        { header: [`Apps imported from Fly by \`flystack import app ${positionals.join(" ")} --env ${options.env}\`.`] },
      );
      file = path.relative(ctx.cwd, written.file);
    } catch (error) {
      if (!(error instanceof EnvironmentFileError)) throw error;
      ctx.stderr.write(`flystack import app: ${error.message}\n`);
      return EXIT.error;
    }
  }
  if (options.json) ctx.stdout.write(`${JSON.stringify({ apps: imported.map(({ key, app, notes }) => ({ key, name: app.name, file, adopted: app.adopt, notes })) }, null, 2)}\n`);
  else ctx.stdout.write(`${renderReport(options.env, file, imported)}\n`);
  return EXIT.ok;
}
