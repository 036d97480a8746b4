import * as fs from "node:fs";
import * as path from "node:path";
import { type Command, EXIT } from "../command";
import { parseArgs, UsageError } from "../args";
import { ConfigValidationError } from "../../src/config/issue";
import type { DashboardFile } from "../../src/features/dashboards/build";
import type { Dashboard } from "../../src/features/dashboards/model";

// Loading and validating environments (zod, the type checker) happens when the command runs, never for --help.
/* eslint-disable @typescript-eslint/no-require-imports */
const build = () => require("../../src/features/dashboards/build") as typeof import("../../src/features/dashboards/build");
const compare = () => require("../../src/features/dashboards/compare") as typeof import("../../src/features/dashboards/compare");
const load = () => require("../../src/config/load") as typeof import("../../src/config/load");
const validate = () => require("../../src/config/validate") as typeof import("../../src/config/validate");
/* eslint-enable @typescript-eslint/no-require-imports */
import { BaseRevisionError, checkoutRevision } from "../base-revision";

const DEFAULT_OUT = "dashboards";

export const dashboards: Command = {
  name: "dashboards",
  summary: "Write a Grafana dashboard per app (golden signals, SLO budgets) and an overview per environment",
  help: `Usage: flystack dashboards [ENV…] [--out DIR] [--json] [--changed-since REF]

Writes, for each environment, one Grafana dashboard (JSON model) per app and one overview:
DIR/<environment>/<app>.json and DIR/<environment>/overview.json. Each app's dashboard shows the
four golden signals from Fly's built-in series (latency P50/P90/P99, traffic by status, 5xx and 4xx
error rates, and saturation: CPU, memory, load and concurrency against the groups' guest sizes and
the services' concurrency limits, volume usage) and, for each SLO, the error budget left over 30
days and the burn rates over the alerts' windows, linked to the runbook. Every panel reads the data
source the dashboard's "datasource" variable selects.

With monitoring.grafana, the monitoring app's Grafana is provisioned with exactly these files.
Without it, import them into Fly's managed Grafana (docs/runbook.md, "Dashboards").

Arguments:
  ENV…                 Environments; globs work. Default: every environment.
Options:
  --out DIR            Where to write. Default: ${DEFAULT_OUT}
  --json               Print { dashboards: [ { environment, name, file, uid, title, panels: [title…],
                       queries: n } ] } instead of a list.
  --changed-since REF  Write nothing: print (Markdown) which dashboards and panels differ from what
                       git revision REF's "flystack dashboards" makes (for the pull-request job summary).
  --help               Show this help.

Exit codes: 0 written; 1 invalid configuration, or a name that matches no environment.`,
  async run(args, ctx) {
    const { options, positionals } = parseArgs(args, { out: { kind: "string" }, json: { kind: "boolean" }, "changed-since": { kind: "string" } });
    let files: DashboardFile[];
    try {
      files = headDashboards(ctx.cwd, positionals);
    } catch (error) {
      if (!(error instanceof ConfigValidationError)) throw error;
      ctx.stderr.write(`${error.message}\n`);
      return EXIT.error;
    }
    if (options["changed-since"]) {
      const ref = options["changed-since"];
      let base: Map<string, Dashboard>;
      try {
        base = await baseDashboards(ctx, ref);
      } catch (error) {
        if (!(error instanceof BaseRevisionError)) throw error;
        ctx.stderr.write(`flystack dashboards: ${error.message}\n`);
        return EXIT.error;
      }
      const head = new Map(files.map((f) => [`${f.environment}/${f.name}`, f.dashboard]));
      const selected = positionals.length > 0 ? new Map([...base].filter(([k]) => head.has(k) || files.some((f) => k.startsWith(`${f.environment}/`)))) : base;
      ctx.stdout.write(compare().renderDashboardChanges(compare().compareDashboards(selected, head), ref));
      return EXIT.ok;
    }
    const out = path.resolve(ctx.cwd, options.out ?? DEFAULT_OUT);
    for (const f of files) {
      fs.mkdirSync(path.join(out, f.environment), { recursive: true });
      fs.writeFileSync(path.join(out, f.environment, `${f.name}.json`), build().dashboardJson(f.dashboard));
    }
    if (options.json) {
      const list = files.map((f) => ({
        environment: f.environment,
        name: f.name,
        file: path.relative(ctx.cwd, path.join(out, f.environment, `${f.name}.json`)),
        uid: f.dashboard.uid,
        title: f.dashboard.title,
        panels: f.dashboard.panels.filter((p) => p.type !== "row").map((p) => p.title),
        queries: build().dashboardQueries(f.dashboard).length,
      }));
      ctx.stdout.write(`${JSON.stringify({ dashboards: list }, null, 2)}\n`);
    } else {
      for (const f of files) ctx.stdout.write(`${path.relative(ctx.cwd, path.join(out, f.environment, `${f.name}.json`))}: ${f.dashboard.title}, ${f.dashboard.panels.filter((p) => p.type !== "row").length} panels\n`);
    }
    return EXIT.ok;
  },
};

/** The dashboards of this checkout's environments (loaded and validated, not synthesized). */
function headDashboards(cwd: string, patterns: readonly string[]): DashboardFile[] {
  const { sources, issues } = load().loadEnvironmentSources(path.join(cwd, "environments"));
  const environments = validate().validateEnvironments(sources, issues);
  const matches = (name: string) => patterns.length === 0 || patterns.some((p) => new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`).test(name));
  const selected = environments.filter((e) => matches(e.name));
  if (patterns.length > 0 && selected.length === 0) throw new UsageError(`no environment matches ${patterns.join(", ")}; environments: ${environments.map((e) => e.name).join(", ")}`);
  return selected.flatMap(build().environmentDashboards);
}

/** What REF's own `flystack dashboards` writes (empty when REF has no such command). */
async function baseDashboards(ctx: Parameters<Command["run"]>[1], ref: string): Promise<Map<string, Dashboard>> {
  // Only a checkout: dashboards are made from the configuration, never from synthesis.
  const base = await checkoutRevision(ctx, ref);
  try {
    const out = path.join(path.dirname(base.worktree), "dashboards");
    const run = await ctx.runner.run(process.execPath, [path.join(base.worktree, "bin", "flystack.js"), "dashboards", "--out", out], { cwd: base.worktree, env: ctx.env });
    const result = new Map<string, Dashboard>();
    if (run.code !== 0) {
      const why = `${run.stderr}${run.stdout}`.trim().split("\n").slice(-3).join(" / ");
      ctx.stderr.write(`flystack dashboards: ${ref} makes no dashboards (its flystack has no "dashboards" command, or it failed: ${why}): every dashboard counts as added\n`);
      return result;
    }
    for (const environment of fs.existsSync(out) ? fs.readdirSync(out) : []) {
      for (const file of fs.readdirSync(path.join(out, environment)).filter((f) => f.endsWith(".json"))) {
        result.set(`${environment}/${path.basename(file, ".json")}`, JSON.parse(fs.readFileSync(path.join(out, environment, file), "utf8")) as Dashboard);
      }
    }
    return result;
  } finally {
    await base.cleanup();
  }
}
