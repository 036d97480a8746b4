/**
 * Safe pieces of GitHub-flavoured Markdown built from text that comes from a plan (addresses,
 * for_each keys, type names, reasons). Such text may hold any character, so it must not be able
 * to break a table, open HTML, start a code block, or mention someone.
 */
import type { AttributePath } from "./plan-json";

/**
 * A code span holding `text` literally. Code spans do not interpret Markdown, HTML or
 * @mentions; the fence is one backtick longer than the longest run of backticks inside, which
 * is how a code span "escapes" backticks. In a table cell `|` must still be written `\|`: GFM
 * splits cells before it reads code spans, and turns `\|` back into `|`.
 */
export function codeSpan(text: string, inTable: boolean): string {
  const flat = text.replace(/\r\n|\r|\n/g, " ");
  if (flat === "") return "";
  const longestRun = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longestRun + 1);
  const content = inTable ? flat.replace(/\|/g, "\\|") : flat;
  // CommonMark strips one space from each end when both are spaces; padding keeps a leading or
  // trailing backtick apart from the fence and keeps edge spaces.
  const pad = /^[` ]|[` ]$/.test(content) ? " " : "";
  return `${fence}${pad}${content}${pad}${fence}`;
}

/** Plain text with every character that means something in Markdown or HTML escaped. */
export function escapeText(text: string): string {
  return text.replace(/\r\n|\r|\n/g, " ").replace(/[\\`*_{}[\]<>#|~&!]/g, "\\$&");
}

/** `["services", 0, "ports"]` → `services[0].ports`; odd map keys are quoted: `env["A B"]`. */
export function formatPath(path: AttributePath): string {
  return path
    .map((step, i) => {
      if (typeof step === "number") return `[${step}]`;
      if (i === 0) return step;
      return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(step) ? `.${step}` : `[${JSON.stringify(step)}]`;
    })
    .join("");
}

// A Map, not an object literal, so a reason such as "constructor" cannot find a prototype member.
const REASONS: ReadonlyMap<string, string> = new Map([
  ["replace_because_cannot_update", "cannot be updated in place"],
  ["replace_because_tainted", "tainted (a previous apply failed part-way)"],
  ["replace_by_request", "replacement requested with `-replace`"],
  ["replace_by_triggers", "`replace_triggered_by` changed"],
  ["delete_because_no_resource_config", "removed from the configuration"],
  ["delete_because_wrong_repetition", "`count` or `for_each` was added or removed"],
  ["delete_because_count_index", "its `count` index is out of range"],
  ["delete_because_each_key", "its `for_each` key is gone"],
  ["delete_because_no_module", "its module was removed"],
  ["delete_because_no_move_target", "the target of its `moved` block does not exist"],
]);

/** Markdown explaining an `action_reason`; a reason Terraform adds later is shown as is. */
export function describeReason(reason: string, inTable: boolean): string {
  return REASONS.get(reason) ?? codeSpan(reason, inTable);
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
