import * as fs from "node:fs";
import * as path from "node:path";
import { type Command, EXIT } from "../command";
import { parseArgs } from "../args";
import { synthesize } from "../synth";
import { readSynthesizedStacks } from "../synthesized";
import { DEFAULT_FLY_API_URL } from "../../src/fly/api/client";
import { flyClientFromEnv } from "../fly-client";
import { auditStack, type StackAudit } from "../../src/features/audit/audit";
import { renderAuditMarkdown } from "../../src/features/audit/report";

export const audit: Command = {
  name: "audit",
  summary: "Compare what the stacks declare with what Fly's API shows (changes made with flyctl)",
  help: `Usage: flystack audit [ENV…] [--json] [--report FILE] [--skip-synth]

Reads each declared app from Fly's Machines API (read only) and compares it with the synthesized
stack: apps, machines (image, guest, env, services, checks, containers and their files, metrics, restart, mounts, region,
state; unmanaged or missing ones), volumes (missing, extra, unattached, size, encryption, snapshot
retention, daily backups), certificates (missing, unconfigured, validation errors, expiring within
21 days), public IPs (missing or extra) and secret names. Terraform's refresh sees almost none of
these.

Arguments:
  ENV…               Stacks to audit; globs work. Default: every stack.
Options:
  --json             Print { stacks: [ { stack, status, findings, error? } ] } instead of Markdown.
  --report FILE      Also write the Markdown report to FILE.
  --skip-synth       Audit the stacks already in cdktf.out.
  --help             Show this help.
Environment:
  FLY_API_TOKEN          A token with read access to the apps (fly tokens create readonly). Required.
  FLYSTACK_FLY_API_URL   The API's base URL, without /v1. Default: ${DEFAULT_FLY_API_URL}.
  FLYSTACK_FLY_API_TIMEOUT_MS, FLYSTACK_FLY_API_RETRY_BASE_MS, FLYSTACK_FLY_API_TOTAL_MS
                         Per-request timeout (10000), first retry delay (500), total budget (30000).

Exit codes: 0 clean; 2 drift found; 1 an error (never read as clean).`,
  async run(args, ctx) {
    const { options, positionals } = parseArgs(args, {
      json: { kind: "boolean" },
      report: { kind: "string" },
      "skip-synth": { kind: "boolean" },
    });
    const client = flyClientFromEnv(ctx, "audit");
    if (!client) {
      ctx.stderr.write("flystack audit needs FLY_API_TOKEN: a token with read access to the apps (fly tokens create readonly).\n");
      return EXIT.error;
    }
    if (!options["skip-synth"] && !(await synthesize(ctx, { select: positionals })).ok) return EXIT.error;
    const stacks = readSynthesizedStacks(path.join(ctx.cwd, "cdktf.out"), positionals);
    const results: StackAudit[] = [];
    for (const stack of stacks) {
      if (ctx.runner.interruption?.interrupted) break;
      ctx.stderr.write(`audit: ${stack.name}…\n`);
      const result = await auditStack(stack.name, stack.json, client);
      ctx.stderr.write(`audit: ${stack.name}: ${result.status}${result.status === "drift" ? ` (${result.findings.length} findings)` : ""}\n`);
      results.push(result);
    }
    const markdown = renderAuditMarkdown(results);
    if (options.report) fs.writeFileSync(path.resolve(ctx.cwd, options.report), `${markdown}\n`);
    ctx.stdout.write(options.json ? `${JSON.stringify({ stacks: results }, null, 2)}\n` : `${markdown}\n`);
    if (results.some((r) => r.status === "error")) return EXIT.error;
    return results.some((r) => r.status === "drift") ? EXIT.changes : EXIT.ok;
  },
};
