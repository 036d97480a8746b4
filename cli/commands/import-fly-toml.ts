/**
 * `flystack import fly-toml PATH… --env ENV`: each fly.toml becomes an app entry in
 * environments/ENV.ts (parse.ts reads it, translate.ts maps it, environment-file.ts writes and
 * validates it); the report lists every key that could not be carried over as it was.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { EXIT, type CliContext } from "../command";
import { parseArgs, UsageError } from "../args";
import { EnvironmentFileError, addAppsToEnvironment } from "../../src/features/import/environment-file";
import { FlyTomlSyntaxError, parseFlyToml } from "../../src/features/import/fly-toml/parse";
import { FlyTomlImportError, type ImportNote, type Translation, translateFlyToml } from "../../src/features/import/fly-toml/translate";

export const IMPORT_FLY_TOML_HELP = `Usage: flystack import fly-toml PATH… --env ENV [--app-key KEY] [--name NAME] [--region REGION]
                              [--image REF | --image GROUP=REF…] [--json] [--dry-run]

Translates each fly.toml (Fly Launch's app configuration) into an app entry of environments/ENV.ts,
written as readable TypeScript, reading it as flyctl does: app name, primary_region (also set as
PRIMARY_REGION, as flyctl does), [build] image, [env], [processes] (one process group each, named as
Fly names it; an empty command runs the image's CMD; without [processes], one group "app"),
[http_service] (ports 80 and 443) and [[services]] with ports (numbers or numeric strings),
handlers, checks, concurrency, auto_stop_machines, auto_start_machines and min_machines_running,
[[vm]] sizes (presets and per-process), [[mounts]], [[files]] (local_path files are read now, beside
the fly.toml), top-level [checks] with their names, [[restart]], [[metrics]] and [deploy] strategy,
release_command and release_command_vm. A section without processes belongs to the default group
(app, else the first), as on Fly; a [[vm]] without processes sizes every group.

Every key that cannot be expressed (force_https, build settings, [[statics]], swap…) is
listed in the report with the reason and what to do instead; nothing is dropped silently
(docs/fly-toml-import.md lists the decision for every key). fly.toml
holds no machine count: each group gets one machine in primary_region, or as many as
min_machines_running keeps running. It holds no secrets either: add the names \`fly secrets list\`
shows under the app's secrets (\`flystack import app\` reads them from the live app). An [env] name
that looks like a credential is declared as a secret instead, without its value.

The app is added to the apps of an existing environments/ENV.ts (the rest of the file is kept as it
is), or ENV.ts is created with the project, Fly organization, DNS zone and state of the first other
environment. Nothing is written unless every environment, the new entry included, validates.

Arguments:
  PATH…               fly.toml files, one app each.
Options:
  --env ENV           The environment to write into (environments/ENV.ts). Required.
  --app-key KEY       The app's key under apps (one PATH only). Default: the app's name.
  --name NAME         The Fly app's name, for a fly.toml without \`app\` (Postgres Flex's, older ones); one PATH only.
  --region REGION     The primary region, for a fly.toml without \`primary_region\` (before 2023); wins over the file's.
  --image REF         The image of every process group, when fly.toml builds it ([build] without
                      image) or to replace [build] image. Pinned: @sha256:… or a tag other than latest.
  --image GROUP=REF   The image of one process group (repeatable); wins over --image REF.
  --json              Print { apps: [ { file, key, name, notes: [ { path, reason, instead } ], carried: [ { path, to } ] } ] };
                      on failure { error: { message, problems?: [ { path, reason, instead } ] } }, exit 1.
  --dry-run           Print the environment file that would be written (the report goes to stderr); write nothing.
  --help              Show this help.

Exit codes: 0 written (or printed, with --dry-run); 1 nothing written: a file missing or not TOML
(file:line:column), a value that needs your input (listed, e.g. a fly.toml that builds its image
and no --image), an app key or Fly app name already used, or a result that would not validate.`;

/** `--image GROUP=REF`: a group name as Fly has them (src/fly/process-groups.ts), then the image. */
const GROUP_IMAGE = /^([A-Za-z0-9_-]+)=(.+)$/;

interface Imported extends Translation {
  readonly source: string;
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|");
}

function notesTable(notes: readonly ImportNote[]): string[] {
  return ["| fly.toml key | why | what to do |", "| --- | --- | --- |", ...notes.map((n) => `| \`${n.path}\` | ${cell(n.reason)} | ${cell(n.instead)} |`)];
}

function renderReport(env: string, file: string, dryRun: boolean, imported: readonly Imported[]): string {
  const lines = [`## flystack import fly-toml → ${env} (${file}${dryRun ? ", dry run: nothing written" : ""})`, ""];
  for (const { source, appKey, app, report } of imported) {
    const groups = Object.entries(app.groups).map(([name, g]) => `${name} (${g.count ?? 1}× ${g.guest.cpuKind}-cpu-${g.guest.cpus}x ${g.guest.memoryMb} MB in ${g.regions.join(", ")})`);
    lines.push(`### \`${appKey}\`: ${app.name}, from ${source}`, "", `Process groups: ${groups.join(", ")}.`, "", ...notesTable(report), "");
  }
  lines.push(`Next: review ${file} against this report, then \`bin/flystack preview ${env}\`.`);
  return lines.join("\n");
}

export async function importFlyToml(args: readonly string[], ctx: CliContext): Promise<number> {
  const { options, positionals } = parseArgs(args, {
    env: { kind: "string" },
    "app-key": { kind: "string" },
    name: { kind: "string" },
    region: { kind: "string" },
    image: { kind: "list" },
    json: { kind: "boolean" },
    "dry-run": { kind: "boolean" },
  });
  if (positionals.length === 0) throw new UsageError("name at least one fly.toml: flystack import fly-toml PATH… --env ENV");
  if (!options.env) throw new UsageError("--env ENV is required: the environment to write the apps into");
  if (options["app-key"] !== undefined && positionals.length > 1) throw new UsageError("--app-key names one app's key; give one PATH with it");
  if (options.name !== undefined && positionals.length > 1) throw new UsageError("--name names one app; give one PATH with it");
  // With --json a failure is JSON on stdout too, so a program reading it always gets an answer.
  const fail = (message: string, problems?: readonly ImportNote[]): number => {
    if (options.json) ctx.stdout.write(`${JSON.stringify({ error: { message, ...(problems ? { problems } : {}) } }, null, 2)}\n`);
    ctx.stderr.write(`flystack import fly-toml: ${message}${problems ? `\n${problems.map((p) => `  - ${p.path}: ${p.reason}; ${p.instead}`).join("\n")}` : ""}\n`);
    return EXIT.error;
  };
  let image: string | undefined;
  const groupImages: Record<string, string> = {};
  for (const value of options.image) {
    const match = GROUP_IMAGE.exec(value);
    if (match) groupImages[match[1]] = match[2];
    else if (image !== undefined) throw new UsageError("--image REF (for every group) is given twice; use --image GROUP=REF per group");
    else image = value;
  }

  const imported: Imported[] = [];
  for (const given of positionals) {
    const file = path.resolve(ctx.cwd, given);
    let text: string;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return fail(`cannot read ${given}: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : (error as Error).message}; nothing written`);
    }
    try {
      // [[files]] local_path is read beside the fly.toml, as flyctl reads it from the app's directory.
      const readLocal = (local: string) => fs.readFileSync(path.resolve(path.dirname(file), local));
      const translation = translateFlyToml(parseFlyToml(text, given), { appKey: options["app-key"], name: options.name, region: options.region, image, groupImages, readLocal });
      ctx.stderr.write(`import: ${given}: app ${translation.app.name} as ${translation.appKey}, ${translation.report.length} note(s)\n`);
      imported.push({ ...translation, source: given });
    } catch (error) {
      if (error instanceof FlyTomlSyntaxError) return fail(`${error.message}; nothing written`);
      if (!(error instanceof FlyTomlImportError)) throw error;
      return fail(`${given} cannot be imported as it is; nothing written. Supply:`, error.problems);
    }
  }

  const environmentsDir = ctx.env.FLYSTACK_ENVIRONMENTS_DIR ? path.resolve(ctx.cwd, ctx.env.FLYSTACK_ENVIRONMENTS_DIR) : undefined;
  const command = ["flystack import fly-toml", ...args].join(" ");
  let written;
  try {
    written = addAppsToEnvironment(
      ctx.cwd,
      options.env,
      imported.map(({ appKey, app, source }) => ({ key: appKey, app, comment: `${appKey}: imported from ${source} by \`flystack import fly-toml\`; review it against the import report` })),
      {
        header: [`${options.env}: created by \`${command}\`.`, "Project, Fly organization, DNS zone and state come from another environment; review the imported apps."],
        environmentsDir,
        dryRun: options["dry-run"],
      },
    );
  } catch (error) {
    if (!(error instanceof EnvironmentFileError)) throw error;
    return fail(error.message);
  }
  const file = path.relative(ctx.cwd, written.file);
  if (!options["dry-run"]) ctx.stderr.write(`import: ${written.created ? "created" : "updated"} ${file}\n`);
  const result = options.json
    ? JSON.stringify({ apps: imported.map(({ appKey, app, report, carried }) => ({ file, key: appKey, name: app.name, notes: report, carried })), ...(options["dry-run"] ? { text: written.text } : {}) }, null, 2)
    : renderReport(options.env, file, options["dry-run"], imported);
  if (options["dry-run"] && !options.json) {
    ctx.stdout.write(written.text);
    ctx.stderr.write(`${result}\n`);
  } else ctx.stdout.write(`${result}\n`);
  return EXIT.ok;
}
