import { type Command, EXIT } from "../command";
import { parseArgs } from "../args";
import { synthesize } from "../synth";
import { selectStacks } from "../stacks";
import { renderFindingsTable } from "../findings-table";

export const check: Command = {
  name: "check",
  summary: "Run the guardrails (policy rules FLY001…) and list findings and suppressions",
  help: `Usage: flystack check [ENV…] [--json]

Synthesizes every environment in memory (nothing is written) and runs the guardrails of policies/:
one rule per file, each with an ID (FLY001…), a level, what is wrong and why it matters.

Arguments:
  ENV…      Environments to report on; globs work. Default: every environment.
Options:
  --json    Print { findings: [ { stack, ruleId, level, path, message } ], suppressions: [ { stack, ruleId, path, reason } ] }.
  --help    Show this help.

Exit codes: 0 no error findings (warnings allowed); 1 any error finding, or invalid configuration.`,
  async run(args, ctx) {
    const { options, positionals } = parseArgs(args, { json: { kind: "boolean" } });
    const result = await synthesize(ctx, { write: false, select: positionals });
    if (!result.report) return EXIT.error;
    const wanted = new Set(selectStacks(result.environments.map((name) => ({ name, dir: "", dependencies: [] })), positionals).map((s) => s.name));
    const findings = result.report.findings.filter((f) => wanted.has(f.stack));
    const suppressions = result.report.suppressions.filter((s) => wanted.has(s.stack));
    ctx.stdout.write(options.json ? `${JSON.stringify({ findings, suppressions }, null, 2)}\n` : `${renderFindingsTable(findings, suppressions)}\n`);
    return findings.some((f) => f.level === "error") ? EXIT.error : EXIT.ok;
  },
};
