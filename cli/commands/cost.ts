import { type Command, EXIT } from "../command";
import { parseArgs } from "../args";
import { synthesize } from "../synth";
import { costReport } from "../cost-report";
import { renderCostMarkdown, toCostJson } from "../../src/features/cost";

export const cost: Command = {
  name: "cost",
  summary: "Estimate each environment's monthly Fly.io cost, and its change against a git revision",
  help: `Usage: flystack cost [ENV…] [--json] [--base GIT_REF]

Synthesizes every environment and estimates its monthly cost from the synthesized Terraform JSON
(so everything in the stacks counts), per app and per resource: machines (CPU kind and count,
memory, region), volumes, dedicated IPv4 addresses and certificates. Machines that stop when idle
show a range, from none of them running (monthly) to all running (monthly_max). Prices, with their
date and source, are in src/features/cost/prices.json; usage-based charges are listed as not estimated.

Arguments:
  ENV…            Environments to estimate; globs work. Default: every environment.
Options:
  --json          Print { currency, environments: [ { name, monthly, monthly_max, items: [ { address, type, monthly, monthly_max } ] } ] }.
  --base GIT_REF  Also synthesize GIT_REF (in a temporary git worktree) and show the change per
                  environment and per resource. With --json, the estimate of this checkout only.
  --help          Show this help.

Exit codes: 0 estimated; 1 invalid configuration, a region without a known price, or a bad GIT_REF.`,
  async run(args, ctx) {
    const { options, positionals } = parseArgs(args, { json: { kind: "boolean" }, base: { kind: "string" } });
    if (!(await synthesize(ctx, { select: positionals })).ok) return EXIT.error;
    const report = await costReport(ctx, positionals, options.base);
    ctx.stdout.write(options.json ? `${JSON.stringify(toCostJson(report.head), null, 2)}\n` : `${renderCostMarkdown(report.head, report.diff)}\n`);
    return EXIT.ok;
  },
};
