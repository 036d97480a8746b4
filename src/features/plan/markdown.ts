/**
 * One Markdown document for a pull-request comment covering the plans of several stacks.
 *
 * What it promises:
 * - The first thing a reader sees (after the optional hidden marker line) is a CAUTION alert
 *   listing every delete or replace of a stateful type in any stack.
 * - Each update, replacement and import shows what changes, before → after, with sensitive and
 *   write-only values masked (./attribute-changes.ts decides; this file only prints what it
 *   gives). Resources that change the same way share a row, named by their process group
 *   (./change-rows.ts), with the first machine (the canary of a rolling group) named.
 * - Each stack's whole plan, as `terraform show` prints it (Terraform masks sensitive values),
 *   follows in a fold.
 * - It stays under `maxLength` characters (GitHub rejects comments over 65,536): the whole-plan
 *   folds are trimmed first, then table rows are left out, least important first, each with a
 *   note saying so and where the full plan is.
 */
import { classifyActions, isDestructive, type ActionKind } from "./actions";
import type { PlanFacts } from "./facts";
import { codeSpan, describeReason, escapeText, formatPath, plural } from "./markdown-text";
import { isStatefulType, type PlanSummary, type ResourceSummary } from "./summarize";
import type { MachineGroup } from "../../config/stack-metadata";
import { changeRows, type ChangeRow } from "./change-rows";
import { SHOWN, type AttributeChange } from "./attribute-changes";

export const GITHUB_COMMENT_LIMIT = 65_536;
export const DEFAULT_MAX_LENGTH = 60_000;
/** Below this, even a comment with no table rows may not fit. */
const MIN_MAX_LENGTH = 1_000;
const DEFAULT_FOLD_AFTER_ROWS = 20;
/** A failure message is a reason, not a log: the log is in the workflow run. */
const MAX_FAILURE_MESSAGE = 2_000;
const WHOLE_PLAN = "for all of it run `terraform show` on the plan file, or bin/flystack plan locally";
const ARTIFACTS = "for the whole list run bin/flystack plan locally, or flystack summarize on the plan JSON";

export interface StackPlan {
  readonly stack: string;
  readonly summary: PlanSummary;
  /**
   * From `planFacts(plan)`. Without it the report cannot list which resources are imported or
   * moved (the summary only counts them), nor warn that a plan errored.
   */
  readonly facts?: PlanFacts;
  /** The stack's process groups (its cdk.tf.json metadata): rows name them. @default rows list addresses */
  readonly groups?: readonly MachineGroup[];
  /** `terraform show` of the plan, shown in a fold (trimmed first when the comment is too long). @default no fold */
  readonly planText?: string;
}

export interface FailedStack {
  readonly stack: string;
  /** Shown verbatim in a code block: pass a short reason, not a log that may hold values. */
  readonly message: string;
}

export interface PlanMarkdownOptions {
  /** Longest document to return, in UTF-16 code units (never fewer than GitHub counts). */
  readonly maxLength?: number;
  readonly failed?: readonly FailedStack[];
  /** Put on the first line, e.g. `<!-- flystack-plan:staging -->`, to find the comment again. */
  readonly marker?: string;
  /** Tables with more rows than this fold into `<details>`. */
  readonly foldAfterRows?: number;
  /** Stacks not planned on purpose (`flystack plan --changed-since`), each with why, e.g. `unchanged since origin/main`. */
  readonly skipped?: readonly NotPlannedStack[];
  /** Stacks that existed at the compared revision and no longer do: nothing plans their resources' destruction. */
  readonly removed?: readonly NotPlannedStack[];
}

export interface NotPlannedStack {
  readonly stack: string;
  readonly reason: string;
}

/** `Plan: 2 to add, 1 to change, 1 to replace, 0 to destroy.`, or `No changes.` */
export function planHeadline(summary: PlanSummary): string {
  if (summary.resources.length === 0 && summary.outputs.length === 0) return "No changes.";
  const { counts } = summary;
  const forget = summary.resources.filter((r) => classifyActions(r.actions) === "forget").length;
  const optional = [
    [counts.import, "import"],
    [counts.move, "move"],
    [forget, "forget"],
  ] as const;
  const extra = optional.filter(([count]) => count > 0).map(([count, verb]) => `, ${count} to ${verb}`);
  return `Plan: ${counts.create} to add, ${counts.update} to change, ${counts.replace} to replace, ${counts.delete} to destroy${extra.join("")}.`;
}

export function renderPlanMarkdown(stacks: readonly StackPlan[], options: PlanMarkdownOptions = {}): string {
  const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
  if (!Number.isInteger(maxLength) || maxLength < MIN_MAX_LENGTH) {
    throw new RangeError(`maxLength must be an integer of at least ${MIN_MAX_LENGTH}, got ${maxLength}`);
  }
  if (options.marker !== undefined && (options.marker.trim() === "" || /[\r\n]/.test(options.marker))) {
    throw new RangeError("marker must be a single non-empty line");
  }
  const fold = options.foldAfterRows ?? DEFAULT_FOLD_AFTER_ROWS;
  const failed = options.failed ?? [];

  const blocks: Block[] = [
    ...(options.marker === undefined ? [] : [text(options.marker)]),
    ...cautionBlocks(stacks),
    ...adoptionBlocks(stacks),
    text("## Terraform plan"),
    { kind: "note" },
    ...failedBlocks(failed),
    ...removedBlocks(options.removed ?? []),
    ...skippedBlocks(options.skipped ?? []),
    ...stacks.flatMap((stack) => stackBlocks(stack, fold)),
  ];
  if (stacks.length === 0 && failed.length === 0) blocks.push(text("No stacks were planned."));
  return fit(blocks, maxLength);
}

// ---------------------------------------------------------------------------------------------
// Document model: fixed text, and lists of rows that may be shortened to fit the length limit.

/** Lower numbers are kept longer when rows must be left out. */
const PRIORITY = { caution: 0, destructive: 1, change: 2, info: 3 } as const;
type Priority = (typeof PRIORITY)[keyof typeof PRIORITY];

type Block =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "note" }
  | {
      readonly kind: "rows";
      readonly priority: Priority;
      readonly rows: readonly string[];
      readonly render: (kept: readonly string[], omitted: number) => string;
    }
  /** A stack's whole plan: shown in full when there is room, else trimmed to the room left. */
  | { readonly kind: "fold"; readonly stack: string; readonly text: string };

function text(value: string): Block {
  return { kind: "text", text: value };
}

/**
 * Renders with as much as fits: every table row, most important first, and then the whole-plan
 * folds with the room left (trimmed, and saying so). Cuts the text only as a last resort.
 */
function fit(blocks: readonly Block[], maxLength: number): string {
  // Rank every row: by priority, then by position in the document.
  const entries = blocks.flatMap((block, b) =>
    block.kind === "rows" ? block.rows.map((_, r) => ({ b, r, priority: block.priority })) : [],
  );
  const sorted = entries.map((entry, position) => ({ ...entry, position }));
  sorted.sort((x, y) => x.priority - y.priority || x.position - y.position);
  const ranks = blocks.map((block) => (block.kind === "rows" ? block.rows.map(() => 0) : []));
  sorted.forEach(({ b, r }, rank) => {
    const blockRanks = ranks[b];
    if (blockRanks !== undefined) blockRanks[r] = rank;
  });
  const total = entries.length;
  const folds = blocks.flatMap((block, b) => (block.kind === "fold" ? [b] : []));

  /** `budgets`: characters of plan text each fold may show (absent: none). */
  const render = (keep: number, budgets: ReadonlyMap<number, number> = new Map()): string => {
    const omittedTotal = total - keep;
    const parts = blocks.map((block, b) => {
      switch (block.kind) {
        case "text":
          return block.text;
        case "note":
          return omittedTotal > 0
            ? `> [!NOTE]\n> ${plural(omittedTotal, "table row")} ${omittedTotal === 1 ? "was" : "were"} left out to keep this comment under GitHub's size limit; ${ARTIFACTS}.`
            : "";
        case "rows": {
          const kept = block.rows.filter((_, r) => (ranks[b]?.[r] ?? 0) < keep);
          return block.render(kept, block.rows.length - kept.length);
        }
        case "fold":
          return renderFold(block.stack, block.text, budgets.get(b) ?? 0);
      }
    });
    return `${parts.filter((part) => part !== "").join("\n\n")}\n`;
  };

  const withoutPlans = render(total);
  if (withoutPlans.length <= maxLength) {
    // Every row fits: the folds share what is left, in order, each as much as it needs.
    const budgets = new Map<number, number>();
    let room = maxLength - withoutPlans.length;
    for (const b of folds) {
      const block = blocks[b];
      if (block?.kind !== "fold") continue;
      const need = block.text.length + FOLD_OVERHEAD + block.stack.length;
      const give = Math.max(0, Math.min(need, room));
      budgets.set(b, give);
      room -= give;
    }
    // A trimmed fold's note and fence may take a little more than its budget: give some back.
    for (let attempt = 0; attempt < 8; attempt += 1) {
      const candidate = render(total, budgets);
      if (candidate.length <= maxLength) return candidate;
      const over = candidate.length - maxLength;
      const last = [...budgets].reverse().find(([, budget]) => budget > 0);
      if (!last) break;
      budgets.set(last[0], Math.max(0, last[1] - over - FOLD_OVERHEAD));
    }
    return withoutPlans;
  }
  // Longest prefix of the ranking that fits. Longer prefixes only add rows, so this is monotonic
  // but for the digits of the "N rows left out" counts, which the final check covers.
  let low = 0;
  let high = total - 1;
  let best: string | undefined;
  while (low <= high) {
    const middle = Math.floor((low + high) / 2);
    const candidate = render(middle);
    if (candidate.length <= maxLength) {
      best = candidate;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return best ?? cut(render(0), maxLength);
}

/** Characters a fold adds around its plan text: the details tags, the fence, a trimming note. */
const FOLD_OVERHEAD = 400;
/** Below this much room a fold shows no plan lines, only that they were left out. */
const MIN_FOLD_TEXT = 200;

function renderFold(stack: string, planText: string, budget: number): string {
  const summary = `<summary>Whole plan of ${codeSpan(stack, false)} (<code>terraform show</code>)</summary>`;
  const lines = planText.replace(/\r\n?/g, "\n").replace(/\n+$/, "").split("\n");
  const room = budget - FOLD_OVERHEAD - stack.length;
  if (planText.length <= room) return `<details>\n${summary}\n\n${codeBlock(lines.join("\n"))}\n\n</details>`;
  if (room < MIN_FOLD_TEXT) {
    return `<sub>The whole plan of ${codeSpan(stack, false)} was left out to keep this comment under GitHub's size limit; ${WHOLE_PLAN}.</sub>`;
  }
  const shown: string[] = [];
  let used = 0;
  for (const line of lines) {
    if (used + line.length + 1 > room) break;
    shown.push(line);
    used += line.length + 1;
  }
  const note = `Trimmed to keep this comment under GitHub's size limit: the first ${shown.length} of ${lines.length} lines; ${WHOLE_PLAN}.`;
  return `<details>\n${summary}\n\n${note}\n\n${codeBlock(shown.join("\n"))}\n\n</details>`;
}

/** Last resort when the text alone is too long (e.g. hundreds of stacks): cut at a line. */
function cut(document: string, maxLength: number): string {
  const note = `\n\n**This comment was cut short to stay under GitHub's size limit; ${ARTIFACTS}.**\n`;
  const room = maxLength - note.length;
  const end = document.lastIndexOf("\n", room);
  return document.slice(0, end > 0 ? end : room) + note;
}

// ---------------------------------------------------------------------------------------------
// Sections.

function cautionBlocks(stacks: readonly StackPlan[]): Block[] {
  const items = stacks.flatMap(({ stack, summary }) =>
    summary.resources
      .filter((resource) => isStatefulType(resource.type) && isDestructive(classifyActions(resource.actions)))
      .map((resource) => `> - ${codeSpan(stack, false)}: ${dangerText(resource)}`),
  );
  if (items.length === 0) return [];
  const header = [
    "> [!CAUTION]",
    `> **Possible data loss or downtime.** ${plural(items.length, "stateful resource")} will be deleted or replaced (volumes, apps, certificates, Fly secrets, IP addresses, DNS records). Check ${items.length === 1 ? "it" : "each one"} before merging.`,
    ">",
  ];
  return [
    {
      kind: "rows",
      priority: PRIORITY.caution,
      rows: items,
      render: (kept, omitted) =>
        [...header, ...kept, ...(omitted > 0 ? [`> - …and ${omitted} more; ${ARTIFACTS}.`] : [])].join("\n"),
    },
  ];
}

/**
 * A plan that adopts existing Fly resources (imports) and creates secrets: the provider cannot
 * import a secret, and its create writes the value supplied at apply over the one Fly holds.
 */
function adoptionBlocks(stacks: readonly StackPlan[]): Block[] {
  const items = stacks.flatMap(({ stack, summary }) =>
    summary.counts.import === 0 ? [] : summary.resources.filter((r) => r.type === "fly_secret" && r.actions.includes("create")).map((r) => `> - ${codeSpan(stack, false)}: ${codeSpan(r.address, false)}`),
  );
  if (items.length === 0) return [];
  const header = [
    "> [!WARNING]",
    `> **Secrets are not imported.** This plan adopts existing Fly resources, but the provider cannot import a secret: ${plural(items.length, "create")} below will write the value supplied at apply (TF_VAR_…) over the one on Fly. Set each to its current value before applying.`,
    ">",
  ];
  return [{ kind: "rows", priority: PRIORITY.caution, rows: items, render: (kept, omitted) => [...header, ...kept, ...(omitted > 0 ? [`> - …and ${omitted} more; ${ARTIFACTS}.`] : [])].join("\n") }];
}

function dangerText(resource: ResourceSummary): string {
  const what = `${codeSpan(resource.address, false)} (${codeSpan(resource.type, false)})`;
  const reason = resource.action_reason === null ? "" : `: ${describeReason(resource.action_reason, false)}`;
  if (classifyActions(resource.actions) === "delete") return `${what} will be **destroyed**${reason}`;
  const paths = resource.replace_paths ?? [];
  const because = paths.length === 0 ? "" : ` because of ${paths.map((p) => codeSpan(formatPath(p), false)).join(", ")}`;
  return `${what} will be **replaced**${because}${reason}`;
}

/** One line per reason: `2 stacks not planned, unchanged since origin/main: a, b.` */
function skippedBlocks(skipped: readonly NotPlannedStack[]): Block[] {
  const byReason = new Map<string, string[]>();
  for (const { stack, reason } of skipped) byReason.set(reason, [...(byReason.get(reason) ?? []), stack]);
  return [...byReason].map(([reason, names]) =>
    text(`${plural(names.length, "stack")} not planned, ${escapeText(reason)}: ${names.map((n) => codeSpan(n, false)).join(", ")}.`),
  );
}

function removedBlocks(removed: readonly NotPlannedStack[]): Block[] {
  if (removed.length === 0) return [];
  const items = removed.map(({ stack, reason }) => `> - ${codeSpan(stack, false)}: ${escapeText(reason)}`);
  return [
    text(
      [
        "> [!WARNING]",
        `> ${plural(removed.length, "stack")} no longer ${removed.length === 1 ? "exists" : "exist"}. Nothing here plans destroying ${removed.length === 1 ? "its" : "their"} resources: they keep running (and costing) until destroyed on purpose.`,
        ">",
        ...items,
      ].join("\n"),
    ),
  ];
}

function failedBlocks(failed: readonly FailedStack[]): Block[] {
  if (failed.length === 0) return [];
  return [
    text(`### ${plural(failed.length, "stack")} failed to plan\n\nThis comment does not cover ${failed.length === 1 ? "its" : "their"} changes, including any data loss.`),
    ...failed.map(({ stack, message }) => {
      const short = message.length > MAX_FAILURE_MESSAGE ? `${message.slice(0, MAX_FAILURE_MESSAGE)}\n… (cut; see the workflow log)` : message;
      return text(`**${codeSpan(stack, false)}** failed:\n\n${codeBlock(short)}`);
    }),
  ];
}

/** A fenced block showing `content` verbatim: its fence is longer than any backtick run inside. */
function codeBlock(content: string): string {
  const longestRun = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(Math.max(3, longestRun + 1));
  return `${fence}text\n${content.replace(/\r\n?/g, "\n")}\n${fence}`;
}

interface Table {
  readonly title: string;
  /** Resources the table covers, when a row may hold several. @default rows.length */
  readonly count?: number;
  readonly priority: Priority;
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

function stackBlocks({ stack, summary, facts, groups, planText }: StackPlan, fold: number): Block[] {
  const source = [
    `Plan file ${codeSpan(summary.file, false)}`,
    ...(facts?.terraform_version ? [`Terraform ${codeSpan(facts.terraform_version, false)}`] : []),
  ].join(", ");
  const blocks: Block[] = [text(`### ${codeSpan(stack, false)}`)];
  if (facts?.errored) {
    blocks.push(
      text("> [!WARNING]\n> Terraform stopped with errors while planning this stack: this plan is incomplete and cannot be applied."),
    );
  }
  blocks.push(text(`${planHeadline(summary)}\n\n<sub>${source}</sub>`));
  for (const table of stackTables(summary, facts, groups ?? [])) {
    if (table.rows.length > 0) blocks.push(tableBlock(table, fold));
  }
  if (planText !== undefined && planText.trim() !== "") blocks.push({ kind: "fold", stack, text: planText });
  return blocks;
}

function stackTables(summary: PlanSummary, facts: PlanFacts | undefined, groups: readonly MachineGroup[]): Table[] {
  const byKind = (...kinds: ActionKind[]): ResourceSummary[] =>
    summary.resources.filter((r) => kinds.includes(classifyActions(r.actions)));
  const address = (value: string): string => codeSpan(value, true);
  const type = (r: { readonly type: string }): string => codeSpan(r.type, true);
  // Flagged only where it matters: where the object goes away.
  const riskyType = (r: { readonly type: string }): string => type(r) + (isStatefulType(r.type) ? " (stateful)" : "");
  const actions = (list: readonly string[]): string => list.map(escapeText).join(", ");
  const reason = (r: { readonly action_reason: string | null }): string => (r.action_reason === null ? "—" : describeReason(r.action_reason, true));
  const paths = (r: { readonly replace_paths: ResourceSummary["replace_paths"] }): string =>
    r.replace_paths === null || r.replace_paths.length === 0
      ? "—"
      : r.replace_paths.map((p) => codeSpan(formatPath(p), true)).join(", ");

  const rowsOf = (...kinds: ActionKind[]): ChangeRow[] => changeRows(byKind(...kinds).filter((r) => !(facts?.imported.some((i) => i.address === r.address) ?? false)), groups);
  const tables: Table[] = [
    {
      title: "Create",
      priority: PRIORITY.change,
      header: ["Address", "Type"],
      rows: byKind("create").map((r) => [address(r.address), type(r)]),
    },
    {
      title: "Update",
      priority: PRIORITY.change,
      header: ["Resources", "Type", "What changes"],
      count: rowsOf("update").reduce((n, row) => n + row.addresses.length, 0),
      rows: rowsOf("update").map((row) => [resourcesCell(row), type(row), changesCell(row)]),
    },
    {
      title: "Replace",
      priority: PRIORITY.destructive,
      header: ["Resources", "Type", "Replaced because of", "Reason", "What changes"],
      count: rowsOf("replace").reduce((n, row) => n + row.addresses.length, 0),
      rows: rowsOf("replace").map((row) => [resourcesCell(row), riskyType(row), paths(row), reason(row), changesCell(row)]),
    },
    {
      title: "Delete",
      priority: PRIORITY.destructive,
      header: ["Address", "Type", "Reason"],
      rows: byKind("delete").map((r) => [address(r.address), riskyType(r), reason(r)]),
    },
  ];
  if (facts === undefined) {
    // Without facts, which no-op entries are imports and which are moves is not known.
    tables.push({
      title: "Import or move only",
      priority: PRIORITY.change,
      header: ["Address", "Type"],
      rows: byKind("no-op").map((r) => [address(r.address), type(r)]),
    });
  } else {
    tables.push(
      {
        title: "Import",
        priority: PRIORITY.change,
        header: ["Resources", "Type", "Actions", "What changes"],
        count: facts.imported.length,
        rows: changeRows(summary.resources.filter((r) => facts.imported.some((i) => i.address === r.address)), groups).map((row) => [
          resourcesCell(row),
          type(row),
          actions(row.actions),
          changesCell(row, "imported as it is", row.changes.length > 0 ? importedBefore(row.type) : undefined),
        ]),
      },
      {
        title: "Move",
        priority: PRIORITY.change,
        header: ["From", "To", "Type"],
        rows: facts.moved.map((r) => [address(r.previous_address), address(r.address), type(r)]),
      },
    );
  }
  tables.push(
    {
      title: "Forget (removed from state, not destroyed)",
      priority: PRIORITY.change,
      header: ["Address", "Type"],
      rows: byKind("forget").map((r) => [address(r.address), type(r)]),
    },
    {
      title: "Other",
      priority: PRIORITY.change,
      header: ["Address", "Type", "Actions"],
      rows: byKind("read", "other").map((r) => [address(r.address), type(r), actions(r.actions)]),
    },
    {
      title: "Output changes",
      priority: PRIORITY.info,
      header: ["Output", "Actions"],
      rows: summary.outputs.map((o) => [address(o.name), actions(o.actions)]),
    },
    {
      title: "Changed outside Terraform",
      priority: PRIORITY.info,
      header: ["Address", "Actions"],
      rows: summary.drift.map((d) => [address(d.address), actions(d.actions)]),
    },
  );
  return tables;
}

/** Most changed attributes one row lists; the whole plan fold has the rest. */
const MAX_CHANGE_LINES = 25;
/** Most addresses a grouped row lists in its fold. */
const MAX_LISTED_ADDRESSES = 50;

/** The resources of a row: one address, or a process group (`api/web`: 10 machines) with its first machine named, or a list. */
function resourcesCell(row: ChangeRow): string {
  const [first] = row.addresses;
  if (row.addresses.length === 1) return codeSpan(first, true);
  const listed = row.addresses.slice(0, MAX_LISTED_ADDRESSES).map((a) => codeSpan(a, true));
  const more = row.addresses.length > MAX_LISTED_ADDRESSES ? [`…and ${row.addresses.length - MAX_LISTED_ADDRESSES} more`] : [];
  if (row.group === undefined) return [...listed, ...more].join("<br>");
  const { group } = row;
  const whole = row.addresses.length === group.machines.length;
  const count = whole ? `${row.addresses.length} machines` : `${row.addresses.length} of ${group.machines.length} machines`;
  const order =
    group.strategy === "rolling"
      ? `first ${codeSpan(first, true)}${first === group.machines[0] ? " (the canary)" : ""}, then one at a time`
      : group.strategy === "bluegreen"
        ? "a blue-green deploy: the new set is created and passes its checks, then the old set is destroyed"
        : "all at once";
  return `**${codeSpan(group.name, true)}**: ${count}, ${order}<details><summary>in order</summary>${[...listed, ...more].join("<br>")}</details>`;
}

/**
 * What "before" means for an imported resource: what the import read back, not what Fly runs. The
 * Fly provider reads back only a machine's identity, so every declared value shows as new.
 */
function importedBefore(type: string): string {
  return type === "fly_machine"
    ? "_before: what the import reads back, a machine's identity only; Fly may run these values already_"
    : "_before: what the import reads back_";
}

/** One line per changed attribute, `path`: before → after; masked values read as Terraform words them. */
function changesCell(row: ChangeRow, nothing = "—", preface?: string): string {
  const value = (shown: string): string => (Object.values(SHOWN).includes(shown as (typeof SHOWN)[keyof typeof SHOWN]) ? `_${escapeText(shown)}_` : codeSpan(shown, true));
  const line = (change: AttributeChange): string => {
    const path = codeSpan(change.path, true);
    const forces = change.forces_replacement ? " **(forces replacement)**" : "";
    if (change.rotated) return `${path}: value rotated (version ${escapeText(change.before)} → ${escapeText(change.after)})${forces}`;
    return `${path}: ${value(change.before)} → ${value(change.after)}${forces}`;
  };
  const lines = row.changes.slice(0, MAX_CHANGE_LINES).map(line);
  if (row.changes.length > MAX_CHANGE_LINES) lines.push(`…and ${row.changes.length - MAX_CHANGE_LINES} more (see the whole plan below)`);
  if (row.hidden_computed > 0) lines.push(`_${plural(row.hidden_computed, "computed attribute")} known after apply not shown_`);
  if (lines.length === 0) return nothing;
  return (preface === undefined ? lines : [preface, ...lines]).join("<br>");
}

function tableBlock(table: Table, fold: number): Block {
  const line = (cells: readonly string[]): string => `| ${cells.join(" | ")} |`;
  const total = table.rows.length;
  const title = `${table.title} (${table.count ?? total})`;
  return {
    kind: "rows",
    priority: table.priority,
    rows: table.rows.map(line),
    render: (kept, omitted) => {
      const body = [
        ...(kept.length > 0 ? [[line(table.header), line(table.header.map(() => "---")), ...kept].join("\n")] : []),
        ...(omitted > 0 ? [`_${plural(omitted, kept.length > 0 ? "more row" : "row")} left out here; ${ARTIFACTS}._`] : []),
      ].join("\n\n");
      // GitHub needs blank lines around a table inside <details> to render it as a table.
      return total > fold
        ? `<details>\n<summary>${title}</summary>\n\n${body}\n\n</details>`
        : `#### ${title}\n\n${body}`;
    },
  };
}
