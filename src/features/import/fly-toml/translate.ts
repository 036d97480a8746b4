/**
 * fly.toml → one flystack app, read as flyctl reads it. Every key is carried into the app (and the
 * ledger says where), or reported with why and what to do instead; a key neither carried nor
 * reported is reported at the end (ledger.ts), so nothing is dropped silently. What only the user can
 * supply (a name, a region, an image) and what flystack cannot run (a GPU) stop the import with every
 * such problem listed (FlyTomlImportError), so no half-right app is written. Pure but for `readLocal`.
 */
import type { AppConfig, CheckConfig, ProcessGroupConfig } from "../../../config/types";
import { imagePinProblem } from "../../../fly/image";
import { isFlyRegion } from "../../../fly/regions";
import { machineCheckOf } from "./checks";
import { groupsFor, processGroups } from "./groups";
import { guestOf, vmIndexFor } from "./guest";
import { type CarriedKey, type ImportNote, Ledger } from "./ledger";
import type { ParsedFlyToml, Table } from "./parse";
import { deployOf, envOf, metricsOf, reportRuntime, restartOf } from "./runtime";
import { servicesOf } from "./services";
import { filesOf, volumesOf } from "./storage";
import { port } from "./values";

export { DEFAULT_GROUP } from "./groups";
export type { CarriedKey, ImportNote } from "./ledger";

export interface TranslateOptions {
  /** The key under `apps`. @default the Fly app name (prefixed with "app-" when it starts with a digit) */
  readonly appKey?: string;
  /** `--name`: the Fly app's name, when the fly.toml has no `app`; wins over it. */
  readonly name?: string;
  /** `--region`: the primary region, when the fly.toml has no `primary_region`; wins over it. */
  readonly region?: string;
  /** `--image REF` for every group. */
  readonly image?: string;
  /** `--image GROUP=REF`, per process group; wins over `image`. */
  readonly groupImages?: Readonly<Record<string, string>>;
  /** Reads a `[[files]] local_path` (relative to the fly.toml). @default none: such a file is a problem */
  readonly readLocal?: (path: string) => Buffer;
}

export interface Translation {
  readonly appKey: string;
  readonly app: AppConfig;
  /** Keys not carried as they were (and what fly.toml does not hold). */
  readonly report: readonly ImportNote[];
  /** Keys carried, and where they went. */
  readonly carried: readonly CarriedKey[];
}

/** The fly.toml cannot become a valid app without the user's help; `problems` says what to supply. */
export class FlyTomlImportError extends Error {
  constructor(readonly problems: readonly ImportNote[]) {
    super(problems.map((p) => `${p.path}: ${p.reason}; ${p.instead}`).join("\n"));
    this.name = "FlyTomlImportError";
  }
}

const APP_NAME = /^[a-z0-9][a-z0-9-]{0,61}[a-z0-9]$/;
const APP_KEY = /^[a-z][a-z0-9-]*$/;

/** The app's name and key, region: from the file or the flags, each missing one a problem naming its flag. */
function identity(toml: Table, options: TranslateOptions, ledger: Ledger): { name: string; appKey: string; region: string | undefined } {
  const fromFile = typeof toml.app === "string" && toml.app !== "" ? toml.app : undefined;
  const name = options.name ?? fromFile ?? "";
  if (options.name === undefined && fromFile !== undefined) ledger.carry("app", "name");
  else if (toml.app !== undefined) ledger.note("app", options.name !== undefined ? `replaced by --name ${options.name}` : "is empty", "nothing to do");
  if (!APP_NAME.test(name)) {
    if (name === "") ledger.problem("app", "is missing: the fly.toml does not name its Fly app", "pass --name NAME (the app's name on Fly, `fly apps list`)");
    else ledger.problem(options.name !== undefined ? "--name" : "app", `${JSON.stringify(name)} is not a Fly app name`, "use 2 to 63 lowercase letters, digits and dashes (pass --name NAME)");
  }
  const derived = /^[0-9]/.test(name) ? `app-${name}` : name;
  const appKey = options.appKey ?? derived;
  // Without a name there is no key to derive: the name's problem says what to pass.
  if ((name !== "" || options.appKey !== undefined) && (!APP_KEY.test(appKey) || appKey.length > 63)) ledger.problem("--app-key", `${JSON.stringify(appKey)} cannot be the app's key under apps (lowercase letters, digits and dashes, starting with a letter)`, "pass --app-key KEY");
  const fileRegion = typeof toml.primary_region === "string" && toml.primary_region !== "" ? toml.primary_region : undefined;
  const region = options.region ?? fileRegion;
  if (options.region === undefined && fileRegion !== undefined) ledger.carry("primary_region", "regions, env.PRIMARY_REGION (flyctl sets it on every machine)");
  else if (toml.primary_region !== undefined) ledger.note("primary_region", options.region !== undefined ? `replaced by --region ${options.region}` : "is empty", "nothing to do");
  if (region === undefined) ledger.problem("primary_region", "is missing: flystack places machines by region (older fly.toml files have none)", "pass --region REGION (where the app runs now, `fly status`)");
  else if (!isFlyRegion(region)) ledger.problem(options.region !== undefined ? "--region" : "primary_region", `${JSON.stringify(region)} is not a Fly region flystack knows`, "use a region from `fly platform regions` (pass --region REGION)");
  return { name, appKey, region: region !== undefined && isFlyRegion(region) ? region : undefined };
}

/** Each group's image: --image GROUP=REF, --image REF, or [build] image; a missing one is one problem naming every group. */
function images(toml: Table, groups: readonly string[], options: TranslateOptions, ledger: Ledger): Map<string, string> {
  const build = (toml.build ?? {}) as Table;
  const out = new Map<string, string>();
  const missing: string[] = [];
  for (const group of Object.keys(options.groupImages ?? {}).filter((g) => !groups.includes(g)))
    ledger.problem(`--image ${group}=…`, `names process group ${JSON.stringify(group)}, which this fly.toml does not define`, `use one of ${groups.join(", ")}`);
  for (const group of groups) {
    const image = options.groupImages?.[group] ?? options.image ?? build.image;
    const from = options.groupImages?.[group] !== undefined ? `--image ${group}=…` : options.image !== undefined ? "--image" : "build.image";
    if (image === undefined) missing.push(group);
    else if (typeof image !== "string" || imagePinProblem(image) !== undefined) ledger.problem(from, typeof image === "string" ? imagePinProblem(image)! : "is not a string", "pass --image REF with a digest (@sha256:…) or a tag other than latest");
    else out.set(group, image);
  }
  if (missing.length > 0)
    ledger.problem("build.image", `fly.toml builds the image${missing.length > 1 ? "s" : ""} of process group${missing.length > 1 ? "s" : ""} ${missing.join(", ")} (fly deploy builds and pushes ${missing.length > 1 ? "them" : "it"}); flystack deploys an image that is already pushed`, "push the image and pass --image REF (or --image GROUP=REF per process group), pinned by digest or by a tag other than latest");
  if (build.image !== undefined && options.image === undefined && Object.keys(options.groupImages ?? {}).length < groups.length) ledger.carry("build.image", "groups.*.image");
  else if (build.image !== undefined) ledger.note("build.image", "replaced by --image", "nothing to do");
  return out;
}

/** Top-level `[checks]` per group (unscoped: the default group), names kept. */
function machineChecks(toml: Table, groups: ReturnType<typeof processGroups>, ledger: Ledger): Map<string, CheckConfig[]> {
  const http = toml.http_service as Table | undefined;
  const httpPort = http?.internal_port === undefined ? undefined : port(http.internal_port, "http_service.internal_port", new Ledger(), false);
  const out = new Map<string, CheckConfig[]>();
  for (const [name, check] of Object.entries((toml.checks ?? {}) as Record<string, Table>)) {
    const targets = groupsFor(check.processes, groups, `checks.${name}`, ledger);
    const config = machineCheckOf(name, check, httpPort, ledger);
    if (config) for (const group of targets) out.set(group, [...(out.get(group) ?? []), config]);
  }
  return out;
}

/** Translates one parsed fly.toml. Throws FlyTomlImportError listing everything that must be supplied. */
export function translateFlyToml(parsed: ParsedFlyToml, options: TranslateOptions = {}): Translation {
  const { toml } = parsed;
  const ledger = new Ledger();
  const { name, appKey, region } = identity(toml, options, ledger);
  const groups = processGroups(toml, ledger);
  const groupImages = images(toml, groups.names, options, ledger);
  const { env, secrets } = envOf(toml, region, ledger);
  const services = servicesOf(toml, groups, ledger);
  const volumes = volumesOf(toml, groups, ledger);
  const files = filesOf(toml, groups, ledger, options.readLocal, secrets);
  const restarts = restartOf(toml, groups, ledger);
  const metrics = metricsOf(toml, groups, ledger);
  const checks = machineChecks(toml, groups, ledger);
  const { deploy, release } = deployOf(toml, ledger, volumes.size > 0);
  (toml.vm ?? []).forEach((vm, i) => vm.processes !== undefined && ledger.carry(`vm[${i}].processes`, "(the groups it sizes)"));
  reportRuntime(toml, ledger);
  for (const { from, to } of parsed.aliases) ledger.carry(from, `(read as [${to}], as flyctl does)`);

  const result: Record<string, ProcessGroupConfig> = {};
  for (const group of groups.names) {
    const guest = guestOf(toml, group, ledger);
    const own = services.filter((s) => s.groups.includes(group)).map((s) => s.service);
    // fly.toml sets no machine count (`fly scale count` does): one per region, or as many as must keep running.
    const count = Math.max(1, ...own.map((s) => s.minMachinesRunning ?? 0));
    // The provider sets a command only on a container, and its containers take no mounts: a group
    // with a volume keeps the volume (its data) and runs the image's own CMD, which the note says.
    let command = groups.commands.get(group);
    if (command && volumes.has(group)) {
      ledger.note(groups.commandSource.get(group) ?? `processes.${group}`, `group ${JSON.stringify(group)} mounts a volume, and provider ampbase-io/fly 0.2 runs a command only in a container, which takes no mounts: the entry keeps the volume and leaves the command (${JSON.stringify(command.join(" "))}) out, so the machine runs the image's own CMD`, "bake the command into the image's CMD (a Dockerfile CMD line) before the first apply");
      command = undefined;
    }
    const image = groupImages.get(group);
    if (image === undefined || guest === undefined || region === undefined) continue;
    result[group] = {
      image,
      ...(command ? { command: [...command] } : {}),
      guest,
      regions: [region],
      ...(count > 1 ? { count } : {}),
      ...(Object.keys(env).length > 0 ? { env: { ...env } } : {}),
      ...(own.length > 0 ? { services: own } : {}),
      ...(checks.has(group) ? { checks: checks.get(group) } : {}),
      ...(restarts.has(group) ? { restart: restarts.get(group) } : {}),
      ...(volumes.has(group) ? { volume: volumes.get(group) } : {}),
      ...(files.has(group) ? { files: files.get(group) } : {}),
      ...(metrics.has(group) ? { metrics: metrics.get(group) } : {}),
      ...(deploy ? { deploy } : {}),
      // Fly runs release_command once per deploy, sized like the default group's machines: flystack runs it with that group.
      ...(release && group === groups.defaultGroup ? { release } : {}),
    };
  }
  if (ledger.problems.length > 0) throw new FlyTomlImportError(ledger.problems);
  ledger.reportUnaccounted(toml);

  const counts = Object.entries(result).map(([g, c]) => `${g}: ${c.count ?? 1}`);
  ledger.note("(machines)", `fly.toml sets no machine count (\`fly scale count\` does); written ${counts.join(", ")} in ${region}, the primary region (more where min_machines_running needs them)${vmIndexFor(toml, groups.defaultGroup) === -1 ? "; no [[vm]] sizes them, so the guest is Fly's default, shared-cpu-1x (`fly scale vm` may have changed it)" : ""}`, "set count, regions and guest to what `fly scale show` lists");
  const declared = [...secrets];
  ledger.note(
    "(secrets)",
    `fly.toml holds no secret values: they are set on Fly (\`fly secrets list\`)${declared.length > 0 ? `; declared from this file, without values: ${declared.join(", ")}` : ""}`,
    "declare every other secret name under secrets with a version (`flystack import app` reads them from the live app), and set each value as its TF_VAR_ variable before the first apply",
  );
  const hasServices = Object.values(result).some((g) => (g.services ?? []).length > 0);
  const app: AppConfig = {
    name,
    // An app without services is reached by nobody through Fly Proxy: it needs no public address.
    ...(hasServices ? {} : { ips: { sharedIpv4: false, ipv6: false } }),
    ...(secrets.size > 0 ? { secrets: Object.fromEntries([...secrets].map((s) => [s, { version: "1" }])) } : {}),
    groups: result,
  };
  return { appKey, app, report: ledger.notes, carried: ledger.carried };
}
