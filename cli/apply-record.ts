/**
 * DIR/applied.md: what each `flystack apply` run did, appended run after run, so a refused or failed
 * later run never erases what an earlier one applied. What a stack did comes from Terraform's state
 * before and after its apply (src/features/terraform/state-changes.ts), not from the exit code: after
 * a failure or an interruption the state says what was created, changed or destroyed.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { hasChanges, type StateChanges } from "../src/features/terraform/state-changes";

export type StackOutcome =
  | { readonly stack: string; readonly status: "applied"; readonly headline: string; readonly changes?: StateChanges }
  | { readonly stack: string; readonly status: "failed" | "interrupted" | "stale" | "canary failed"; readonly changes?: StateChanges; readonly stateUnreadable?: string }
  | { readonly stack: string; readonly status: "not attempted" };

export interface ApplyRun {
  /** When the run started (UTC). */
  readonly at: Date;
  readonly stacks: readonly StackOutcome[];
  /** Why the run stopped: a failure's message (shown in a code block). */
  readonly failure?: string;
  /** Why nothing was applied at all: the refusals. */
  readonly refused?: readonly string[];
}

const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;

/** `1 created (`a`), 2 changed (`b`, `c`)`; "no change" when nothing moved. */
export function describeChanges(changes: StateChanges): string {
  const parts = (
    [
      ["created", changes.created],
      ["changed", changes.changed],
      ["replaced", changes.replaced],
      ["destroyed", changes.destroyed],
    ] as const
  )
    .filter(([, list]) => list.length > 0)
    .map(([verb, list]) => `${list.length} ${verb} (${list.slice(0, 20).map(code).join(", ")}${list.length > 20 ? `, …and ${list.length - 20} more` : ""})`);
  return parts.length === 0 ? "no change" : parts.join(", ");
}

function line(outcome: StackOutcome): string {
  const name = `**${outcome.stack}**`;
  if (outcome.status === "not attempted") return `- ${name}: not attempted after the failure.`;
  if (outcome.status === "applied") {
    return `- ${name}: ${outcome.headline}${outcome.changes ? ` Applied; the state shows ${describeChanges(outcome.changes)}.` : ""}`;
  }
  const what = {
    failed: "failed",
    interrupted: "interrupted",
    stale: "refused by Terraform: the saved plan is stale",
    // Read by deploy.yml, which then rolls the stack back to the last deployed commit.
    "canary failed": "canary gate failed (the canary runs the new release, the rest of its group the old one)",
  }[outcome.status];
  if (outcome.changes) {
    return hasChanges(outcome.changes)
      ? `- ${name}: ${what}, **part of it was applied**: the state shows ${describeChanges(outcome.changes)}.`
      : `- ${name}: ${what}; the state shows no change: nothing of it was applied.`;
  }
  return `- ${name}: ${what}; what it applied is not known: the state could not be read (${outcome.stateUnreadable ?? "no answer"}). Run terraform show in its folder.`;
}

export function renderApplyRun(run: ApplyRun): string {
  const stamp = `${run.at.toISOString().slice(0, 19).replace("T", " ")} UTC`;
  if (run.refused) {
    return [`## flystack apply, ${stamp}`, "", "Refused: nothing was applied.", "", ...run.refused.map((p) => `- ${p.split("\n")[0]}`)].join("\n");
  }
  const changedSomething = run.stacks.some((s) => s.status === "applied" || (s.status !== "not attempted" && s.changes !== undefined && hasChanges(s.changes)));
  const unknown = run.stacks.some((s) => s.status !== "applied" && s.status !== "not attempted" && s.changes === undefined);
  const notAttempted = run.stacks.filter((s) => s.status === "not attempted").map((s) => s.stack);
  return [
    `## flystack apply, ${stamp}`,
    "",
    ...(changedSomething || unknown ? [] : ["Nothing was applied.", ""]),
    run.stacks.filter((s) => s.status !== "not attempted").map(line).join("\n"),
    ...(run.failure ? ["", "**Failed**", "", "```", run.failure, "```"] : []),
    ...(notAttempted.length > 0 ? ["", `Not attempted after the failure: ${notAttempted.join(", ")}.`] : []),
  ]
    .filter((part, i, all) => !(part === "" && all[i - 1] === ""))
    .join("\n");
}

/**
 * Appends the run to DIR/applied.md (earlier runs stay above it) and to DIR/applied.json (for
 * workflows: `{ runs: [ { at, stacks: [ { stack, status } ], refused? } ] }`, oldest first);
 * returns the run's Markdown.
 */
export function appendApplyRun(plansDir: string, run: ApplyRun): string {
  const file = path.join(plansDir, "applied.md");
  const markdown = renderApplyRun(run);
  const earlier = fs.existsSync(file) ? fs.readFileSync(file, "utf8").replace(/\n*$/, "\n\n") : "";
  fs.writeFileSync(file, `${earlier}${markdown}\n`);
  const json = path.join(plansDir, "applied.json");
  let runs: unknown[] = [];
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(json, "utf8"));
    if (parsed !== null && typeof parsed === "object" && Array.isArray((parsed as { runs?: unknown }).runs)) runs = (parsed as { runs: unknown[] }).runs;
  } catch {
    // none yet (or unreadable: this run starts it again; applied.md keeps the history)
  }
  runs.push({ at: run.at.toISOString(), stacks: run.stacks.map((s) => ({ stack: s.stack, status: s.status })), ...(run.refused ? { refused: run.refused.length } : {}) });
  fs.writeFileSync(json, `${JSON.stringify({ runs }, null, 2)}\n`);
  return markdown;
}
