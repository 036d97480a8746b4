/**
 * The guardrails' results as data, for `flystack check [ENV…] [--json]` and for main.ts: findings
 * and suppressions of an app, either evaluated in memory (`collectReport`, nothing written) or read
 * back from a synthesized output folder (`readSynthesizedReport`), and a plain-text table.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { TerraformStack } from "cdktf";
import type { IConstruct } from "constructs";
import { type EvaluateOptions, evaluateStackForGate } from "./evaluate";
import { formatFinding, type PolicyFinding, type PolicySuppressionRecord } from "./finding";
import { POLICY_METADATA_KEY } from "./pack";
import type { PolicyRule } from "./rule";
import { FLYSTACK_RULES } from "./rules";
import { fly000 } from "./rules/fly000-valid-suppressions";
import { isObject } from "./values";
import { withoutTokenStackTraces } from "../src/features/synth/token-stack-traces";

export { formatFinding, type PolicyFinding, type PolicySuppressionRecord } from "./finding";

export interface PolicyReport {
  readonly findings: readonly PolicyFinding[];
  readonly suppressions: readonly PolicySuppressionRecord[];
}

export interface CollectOptions extends EvaluateOptions {
  /** Only these stacks (environment names). @default every stack */
  readonly stacks?: readonly string[];
}

const CATALOGUE: readonly PolicyRule[] = [fly000, ...FLYSTACK_RULES];

/** The rule with this ID in the flystack catalogue. */
export function ruleById(id: string): PolicyRule | undefined {
  return CATALOGUE.find((rule) => rule.id === id);
}

/**
 * Evaluates the rules on every stack of an app (or the stacks named), without synthesizing or
 * annotating. Each stack is prepared first, as `app.synth()` would (an implicit local backend),
 * so the JSON judged is the JSON that would be written.
 */
export function collectReport(app: IConstruct, options: CollectOptions = {}): PolicyReport {
  const stacks = app.node.findAll().filter(TerraformStack.isStack);
  const wanted = options.stacks ? new Set(options.stacks) : undefined;
  if (wanted) {
    const unknown = [...wanted].filter((name) => !stacks.some((s) => s.node.id === name));
    if (unknown.length > 0) throw new Error(`unknown stack ${unknown.join(", ")}; have: ${stacks.map((s) => s.node.id).join(", ")}`);
  }
  const findings: PolicyFinding[] = [];
  const suppressions: PolicySuppressionRecord[] = [];
  for (const stack of stacks) {
    if (wanted && !wanted.has(stack.node.id)) continue;
    // Preparing a stack resolves every token, and cdktf would record a stack trace for each new one.
    const evaluation = withoutTokenStackTraces(() => {
      stack.prepareStack();
      return evaluateStackForGate(stack, options);
    });
    findings.push(...evaluation.findings.map(({ stack: s, ruleId, level, path: p, message }) => ({ stack: s, ruleId, level, path: p, message })));
    suppressions.push(...evaluation.suppressions);
  }
  return { findings, suppressions };
}

/** Thrown when any stack has an error finding; lists every finding of every stack, errors first. */
export class PolicyViolationError extends Error {
  constructor(public readonly report: PolicyReport) {
    const errors = report.findings.filter((f) => f.level === "error");
    const warnings = report.findings.filter((f) => f.level === "warning");
    const line = (f: PolicyFinding) => `  - ${f.stack}: ${formatFinding(f)} — ${ruleById(f.ruleId)?.why ?? ""}`.trimEnd().replace(/ —$/, "");
    super(
      `${errors.length} policy error${errors.length === 1 ? "" : "s"} in the synthesized stacks:\n` +
        errors.map(line).join("\n") +
        (warnings.length > 0 ? `\n${warnings.length} warning${warnings.length === 1 ? "" : "s"}:\n${warnings.map(line).join("\n")}` : "") +
        `\nFix them, or suppress one where it does not apply, with a reason of at least 10 characters (policies/README.md).`,
    );
    this.name = "PolicyViolationError";
  }
}

/**
 * The pre-synthesis gate for main.ts: evaluates every stack and throws a PolicyViolationError
 * listing every finding when any is an error, before anything is written. (The aspect alone would
 * stop `app.synth()` at the first failing stack, after writing the stacks before it.)
 */
export function assertNoPolicyErrors(app: IConstruct, options: CollectOptions = {}): PolicyReport {
  const report = collectReport(app, options);
  if (report.findings.some((f) => f.level === "error")) throw new PolicyViolationError(report);
  return report;
}

interface ManifestJson {
  readonly stacks?: Record<string, { readonly synthesizedStackPath?: string; readonly annotations?: readonly { constructPath: string; level: string; message: string }[] }>;
}

const LEVELS: Record<string, PolicyFinding["level"]> = { "@cdktf/error": "error", "@cdktf/warn": "warning" };

/**
 * The report of an app already synthesized to `outdir` (e.g. cdktf.out): findings from the
 * annotations in manifest.json (what the pack added, `[FLY…] path: message — why`), suppressions
 * from each stack's cdk.tf.json ("//" → flystack_policy).
 */
export function readSynthesizedReport(outdir: string, stacks?: readonly string[]): PolicyReport {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")) as ManifestJson;
  const findings: PolicyFinding[] = [];
  const suppressions: PolicySuppressionRecord[] = [];
  for (const [stack, entry] of Object.entries(manifest.stacks ?? {})) {
    if (stacks && !stacks.includes(stack)) continue;
    for (const annotation of entry.annotations ?? []) {
      const level = LEVELS[annotation.level];
      const match = /^\[(FLY\d{3})\] /.exec(annotation.message);
      if (!level || !match) continue;
      const ruleId = match[1];
      let message = annotation.message.slice(match[0].length);
      const prefix = `${annotation.constructPath}: `;
      if (message.startsWith(prefix)) message = message.slice(prefix.length);
      const why = ruleById(ruleId)?.why;
      if (why && message.endsWith(` — ${why}`)) message = message.slice(0, -` — ${why}`.length);
      findings.push({ stack, ruleId, level, path: annotation.constructPath, message });
    }
    if (!entry.synthesizedStackPath) continue;
    const file = path.join(outdir, entry.synthesizedStackPath);
    if (!fs.existsSync(file)) continue;
    const json: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
    const comment = isObject(json) && isObject(json["//"]) ? json["//"] : {};
    const policy = isObject(comment[POLICY_METADATA_KEY]) ? comment[POLICY_METADATA_KEY] : {};
    for (const s of Array.isArray(policy.suppressions) ? policy.suppressions : []) {
      if (isObject(s) && typeof s.ruleId === "string" && typeof s.path === "string" && typeof s.reason === "string") {
        suppressions.push({ stack, ruleId: s.ruleId, path: s.path, reason: s.reason });
      }
    }
  }
  return { findings, suppressions };
}

/** Columns padded to their widest cell; the last column is never padded. */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join("  ");
  return [line(header), ...rows.map(line)];
}

/**
 * Findings (errors first) and suppressions as plain text for a terminal, followed by why each
 * rule that appears matters, and a count.
 */
export function renderFindingsTable(findings: readonly PolicyFinding[], suppressions: readonly PolicySuppressionRecord[]): string {
  const out: string[] = [];
  const sorted = [...findings].sort((a, b) => (a.level === b.level ? 0 : a.level === "error" ? -1 : 1));
  if (sorted.length === 0) out.push("No findings.");
  else out.push(...table(["LEVEL", "RULE", "STACK", "PATH", "MESSAGE"], sorted.map((f) => [f.level, f.ruleId, f.stack, f.path, f.message])));
  if (suppressions.length > 0) {
    out.push("", "Suppressed:");
    out.push(...table(["RULE", "STACK", "PATH", "REASON"], suppressions.map((s) => [s.ruleId, s.stack, s.path, s.reason])));
  }
  const ids = [...new Set([...sorted.map((f) => f.ruleId), ...suppressions.map((s) => s.ruleId)])].sort();
  if (ids.length > 0) {
    out.push("", "Rules:");
    for (const id of ids) {
      const rule = ruleById(id);
      out.push(rule ? `  ${id}  ${rule.title}: ${rule.why}` : `  ${id}`);
    }
  }
  const errors = findings.filter((f) => f.level === "error").length;
  const warnings = findings.length - errors;
  out.push(
    "",
    `${findings.length} finding${findings.length === 1 ? "" : "s"} (${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}), ` +
      `${suppressions.length} suppression${suppressions.length === 1 ? "" : "s"}.`,
  );
  return `${out.join("\n")}\n`;
}
