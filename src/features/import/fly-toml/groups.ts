/**
 * Process groups as flyctl reads them (superfly/flyctl internal/appconfig/processgroups.go): one per
 * `[processes]` entry, else the single group `app`; the default group is `app` when there is one,
 * else the first name in alphabetical order. A section without `processes` belongs to the default
 * group only (flyctl's Flatten), except `[[vm]]`, which then applies to every group.
 */
import { quote } from "../../../config/issue";
import { groupNameProblem } from "../../../fly/process-groups";
import type { Ledger } from "./ledger";
import type { FlyToml } from "./parse";
import { argumentList, commandLine, processNames } from "./values";

/** Fly's process group when fly.toml has no `[processes]`. */
export const DEFAULT_GROUP = "app";

export interface ProcessGroups {
  /** In file order. */
  readonly names: readonly string[];
  /** Where unscoped sections go. */
  readonly defaultGroup: string;
  /** Each group's command; absent: the image's own CMD. */
  readonly commands: ReadonlyMap<string, readonly string[]>;
  /** Where each command comes from: `processes.<group>` or `experimental.cmd`. */
  readonly commandSource: ReadonlyMap<string, string>;
}

export function processGroups(toml: FlyToml, ledger: Ledger): ProcessGroups {
  const processes = toml.processes ?? {};
  const names = Object.keys(processes).length > 0 ? Object.keys(processes) : [DEFAULT_GROUP];
  if (Object.keys(processes).length === 0 && toml.processes !== undefined) ledger.carry("processes", `(no process groups: Fly's one group, ${DEFAULT_GROUP})`);
  for (const name of names) {
    const problem = groupNameProblem(name);
    if (problem) ledger.problem(`processes.${name}`, `${quote(name)} ${problem}`, "rename the process in fly.toml and in every processes list that names it");
  }
  const commands = new Map<string, readonly string[]>();
  const commandSource = new Map<string, string>();
  for (const [name, line] of Object.entries(processes)) {
    const words = commandLine(line, `processes.${name}`, ledger);
    if (words) {
      commands.set(name, words);
      commandSource.set(name, `processes.${name}`);
    }
    if (words !== undefined) ledger.carry(`processes.${name}`, words ? `groups.${name}.command` : `groups.${name} (no command: the image's own CMD, as Fly runs an empty command)`);
  }
  // [experimental] cmd replaces the image's CMD where [processes] gives no command; a string is one argument.
  const experimental = argumentList(toml.experimental && (toml.experimental as Record<string, unknown>).cmd);
  if (experimental) {
    const takers = names.filter((g) => !commands.has(g));
    for (const group of takers) {
      commands.set(group, experimental);
      commandSource.set(group, "experimental.cmd");
    }
    ledger.carry("experimental.cmd", takers.length > 0 ? takers.map((g) => `groups.${g}.command`).join(", ") : "(every group has its own [processes] command)");
  }
  return { names, defaultGroup: names.includes(DEFAULT_GROUP) ? DEFAULT_GROUP : [...names].sort()[0], commands, commandSource };
}

/**
 * The groups a section's `processes` list names; without one, the default group only. Names that no
 * `[processes]` entry defines are reported (flyctl refuses them).
 */
export function groupsFor(processes: unknown, groups: ProcessGroups, path: string, ledger: Ledger): string[] {
  const names = processNames(processes);
  if (processes !== undefined) ledger.carry(`${path}.processes`, "(the groups it applies to)");
  if (names === undefined) return [groups.defaultGroup];
  for (const name of names.filter((n) => !groups.names.includes(n)))
    ledger.note(`${path}.processes`, `names process group ${quote(name)}, which [processes] does not define (flyctl refuses this)`, "remove it, or add the process to [processes]");
  return groups.names.filter((g) => names.includes(g));
}
