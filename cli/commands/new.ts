import * as fs from "node:fs";
import * as path from "node:path";
import { type Command, EXIT } from "../command";
import { parseArgs, UsageError } from "../args";
import type { HostnameTarget } from "../../src/features/new-environment/new-environment";

// Loads the configuration schema (zod) and the environments: only when the command runs.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const newEnvironment = () => require("../../src/features/new-environment/new-environment") as typeof import("../../src/features/new-environment/new-environment");

export const newCommand: Command = {
  name: "new",
  summary: "Create a new environment file from an existing environment (own app names and hostnames)",
  help: `Usage: flystack new env NAME --from SOURCE [--subdomain LABEL | --zone ZONE --cloudflare-zone-id ID] [--protected]

Writes environments/NAME.ts: SOURCE's configuration with name NAME, Fly app names of its own (the
SOURCE part of each app name replaced by NAME, e.g. acme-api-staging → acme-api-NAME, or -NAME
appended), hostnames of its own, and protected: false. State keys follow from the environment name
(<project>/NAME/<stack>.tfstate). Sizes, regions, images, secrets and env values are SOURCE's:
review them. Nothing is written unless every environment, the new one included, validates
(cross-environment checks too: no app name, hostname or DNS record claimed twice).

Hostnames: the part of each hostname below SOURCE's zone, without a last label equal to SOURCE
(api.staging.example.com → api), goes
  under LABEL.<zone>, in SOURCE's zone       with --subdomain LABEL (default: --subdomain NAME)
  into ZONE, a Cloudflare zone of its own    with --zone ZONE --cloudflare-zone-id ID

Arguments:
  NAME                       The new environment: lowercase letters, digits and dashes, starting with a letter.
Options:
  --from SOURCE              The environment to copy (environments/SOURCE.ts). Required.
  --subdomain LABEL          Put hostnames under LABEL.<SOURCE's zone>.
  --zone ZONE                Put hostnames into ZONE (with --cloudflare-zone-id).
  --cloudflare-zone-id ID    The Cloudflare zone ID of ZONE (32 hex characters).
  --protected                Make the new environment protected (prevent_destroy, guarded deletes).
  --help                     Show this help.

Exit codes: 0 written; 1 nothing written (NAME exists or is invalid, SOURCE missing or invalid, or the
result would not validate; every problem is listed).`,
  async run(args, ctx) {
    const { options, positionals } = parseArgs(args, {
      from: { kind: "string" },
      subdomain: { kind: "string" },
      zone: { kind: "string" },
      "cloudflare-zone-id": { kind: "string" },
      protected: { kind: "boolean" },
    });
    const [kind, name, ...extra] = positionals;
    if (kind !== "env") throw new UsageError(kind === undefined ? 'say what to create: "new env NAME --from SOURCE"' : `cannot create "${kind}"; only "env"`);
    if (name === undefined) throw new UsageError("name the new environment: new env NAME --from SOURCE");
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
    if (options.from === undefined) throw new UsageError("--from SOURCE is required: the environment to copy");
    const zoneId = options["cloudflare-zone-id"];
    if (options.subdomain !== undefined && (options.zone !== undefined || zoneId !== undefined)) {
      throw new UsageError("--subdomain and --zone/--cloudflare-zone-id are alternatives; give one");
    }
    if ((options.zone === undefined) !== (zoneId === undefined)) throw new UsageError("--zone and --cloudflare-zone-id go together");
    const hostnames: HostnameTarget =
      options.zone !== undefined && zoneId !== undefined ? { zone: options.zone, cloudflareZoneId: zoneId } : { subdomain: options.subdomain ?? name };

    const directory = ctx.env.FLYSTACK_ENVIRONMENTS_DIR ? path.resolve(ctx.cwd, ctx.env.FLYSTACK_ENVIRONMENTS_DIR) : path.join(ctx.cwd, "environments");
    const displayName = path.relative(ctx.cwd, directory) || ".";
    const typesModule = path.relative(directory, path.join(ctx.cwd, "src", "config", "types")).split(path.sep).join("/");
    const { NewEnvironmentError, planNewEnvironment } = newEnvironment();
    let plan;
    try {
      plan = planNewEnvironment(
        { directory, displayName, typesModule: typesModule.startsWith(".") ? typesModule : `./${typesModule}` },
        { name, from: options.from, hostnames, protected: options.protected, command: ["flystack new", ...args].join(" ") },
      );
    } catch (error) {
      if (!(error instanceof NewEnvironmentError)) throw error;
      ctx.stderr.write(`flystack new env: ${error.message}\n`);
      return EXIT.error;
    }
    // "wx": never overwrite a file that appeared since the check.
    fs.writeFileSync(plan.file, plan.text, { flag: "wx" });
    const file = path.join(displayName, `${name}.ts`);
    const width = Math.max(0, ...[...plan.appNames, ...plan.hostnames].map(([from]) => from.length));
    const lines = [
      `wrote ${file} (from ${options.from}; protected: ${plan.config.protected ? "true" : "false"})`,
      "Fly app names:",
      ...plan.appNames.map(([from, to]) => `  ${from.padEnd(width)}  →  ${to}`),
      ...(plan.hostnames.length > 0
        ? [`hostnames (zone ${plan.config.dns.zone}):`, ...plan.hostnames.map(([from, to]) => `  ${from.padEnd(width)}  →  ${to}`)]
        : ["hostnames: none"]),
      ...(plan.mentions.length > 0 ? [`still say "${options.from}" (review): ${plan.mentions.join(", ")}`] : []),
      "",
      `Next: review ${file}, then run bin/flystack preview`,
    ];
    ctx.stdout.write(`${lines.join("\n")}\n`);
    return EXIT.ok;
  },
};
