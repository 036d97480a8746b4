import * as fs from "node:fs";
import * as path from "node:path";
import { type Command, EXIT } from "../command";
import { parseArgs } from "../args";
import { readManifest, selectStacks } from "../stacks";
import { readStackFile } from "../stack-files";
import { parseTime, prometheusFromEnv } from "../prometheus-client";
import { describeBudget, errorBudgets, type BudgetStatus } from "../../src/features/budget/budget";
import { PrometheusError } from "../../src/features/prometheus/client";

export const OVERRIDE_TRAILER = "Flystack-Budget-Override";

/** `flystack budget`: the deploy workflow's error-budget freeze, before each apply. */
export const budget: Command = {
  name: "budget",
  summary: "Refuse to deploy an app whose 30-day SLO error budget is spent (unless the commit overrides it)",
  help: `Usage: flystack budget [STACK…] [--json] [--at TIME] [--allowed-out FILE]

For each app of the selected stacks (in cdktf.out, as "flystack unseal" or a synthesis left them)
that declares an SLO, reads its 30-day error budget from Fly's Prometheus
(https://api.fly.io/prometheus/<org>): the share of requests answered with a 5xx (availability), or
slower than the objective (latency), over 30 days, against what the objective allows. When a budget
is spent, the deploy is refused, naming the app, its SLO and the budget left: feature work waits
until reliability is back within the objective.

A fix goes through anyway when the checked-out commit (git HEAD) carries the trailer
  ${OVERRIDE_TRAILER}: <reason>
and the reason is printed with the budgets (the deploy workflow puts them in the job summary).

Arguments:
  STACK…      Stacks to check; globs work. Default: every stack in cdktf.out.
Options:
  --json      Print { budgets: [ { stack, app, flyName, objective, badRatio, budget, left, spent } ],
              override: reason | null, refused: boolean }.
  --at TIME   Judge the 30 days ending at TIME (seconds since the epoch or ISO 8601). Default: now.
  --allowed-out FILE
              Also write the selected stacks that may deploy, one per line: those none of whose
              apps has spent its budget (every one when overridden); none when the metrics could
              not be read. For a workflow batch, so one app's spent budget holds back its own stack only.
  --help      Show this help.

Environment: FLY_API_TOKEN (reads the organization's metrics); FLYSTACK_PROMETHEUS_URL instead of
Fly's Prometheus.

Exit codes: 0 no budget spent, or overridden; 1 a budget is spent (refused), or the metrics could not be read.`,
  async run(args, ctx) {
    const { options, positionals } = parseArgs(args, { json: { kind: "boolean" }, at: { kind: "string" }, "allowed-out": { kind: "string" } });
    const allowedOut = options["allowed-out"] === undefined ? undefined : path.resolve(ctx.cwd, options["allowed-out"]);
    // Nothing may deploy until the budgets are read.
    if (allowedOut) fs.writeFileSync(allowedOut, "");
    const at = options.at ? parseTime(options.at, "--at") : Date.now() / 1000;
    const stacks = selectStacks(readManifest(path.join(ctx.cwd, "cdktf.out")), positionals);
    const checked: (BudgetStatus & { stack: string })[] = [];
    try {
      for (const stack of stacks) {
        const metadata = readStackFile(stack.dir).metadata;
        if (!metadata?.slos || metadata.slos.length === 0) continue;
        const org = metadata.org;
        const client = prometheusFromEnv(ctx, org ?? "");
        for (const status of await errorBudgets(client, metadata.slos, at)) checked.push({ stack: stack.name, ...status });
      }
    } catch (error) {
      if (!(error instanceof PrometheusError)) throw error;
      ctx.stderr.write(`flystack budget: the error budgets could not be read, so the deploy is refused: ${error.message}\n`);
      return EXIT.error;
    }
    const spent = checked.filter((s) => s.spent);
    const override = spent.length > 0 ? await overrideReason(ctx) : undefined;
    const refused = spent.length > 0 && override === undefined;
    if (allowedOut) {
      const held = new Set(refused ? spent.map((s) => s.stack) : []);
      fs.writeFileSync(allowedOut, stacks.filter((s) => !held.has(s.name)).map((s) => `${s.name}\n`).join(""));
    }
    if (options.json) {
      ctx.stdout.write(`${JSON.stringify({ budgets: checked, override: override ?? null, refused }, null, 2)}\n`);
    } else {
      const lines = ["## Error budgets (30 days)", ""];
      if (checked.length === 0) lines.push("No app of these stacks declares an SLO: nothing to check.");
      else lines.push(...checked.map((s) => `- \`${s.stack}\`: ${describeBudget(s)}`));
      if (spent.length > 0) {
        const names = spent.map((s) => `${s.app} (${s.objective}, ${(s.left * 100).toFixed(1)}% left)`).join(", ");
        lines.push(
          "",
          override !== undefined
            ? `**Overridden**: the error budget of ${names} is spent; the commit's ${OVERRIDE_TRAILER} trailer lets it through: "${override}"`
            : `**Refused**: the error budget of ${names} is spent. Fix reliability first, or let a fix through with the commit trailer "${OVERRIDE_TRAILER}: <reason>".`,
        );
      }
      ctx.stdout.write(`${lines.join("\n")}\n`);
    }
    return refused ? EXIT.error : EXIT.ok;
  },
};

/** The override trailer of the commit checked out, or undefined. */
async function overrideReason(ctx: Parameters<Command["run"]>[1]): Promise<string | undefined> {
  const result = await ctx.runner.run("git", ["log", "-1", `--format=%(trailers:key=${OVERRIDE_TRAILER},valueonly,separator=%x0A)`], { cwd: ctx.cwd, env: ctx.env });
  if (result.code !== 0) return undefined;
  const reason = result.stdout.split("\n").map((l) => l.trim()).find((l) => l !== "");
  return reason === undefined ? undefined : reason.slice(0, 300);
}
