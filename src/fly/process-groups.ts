/**
 * Fly's process groups: what a name may be. flyctl itself checks no characters (its `[processes]` keys
 * are free map keys; Fly's own reports use `bar_web` and names starting with digits, superfly/flyctl
 * PRs #2026 and #3280), but a group's name is also its internal DNS label
 * (`<group>.process.<app>.internal`, Fly's private-networking docs), its machines' `fly_process_group`
 * metadata and FLY_PROCESS_GROUP. So flystack takes every name that works in all of those, exactly as
 * written: letters, digits, `_` and `-`, at most 63 characters (a DNS label), not starting or ending
 * with `-`, and not a name flyctl keeps for itself.
 */

export const GROUP_NAME = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;

/** Groups flyctl uses for its own machines (superfly/fly-go: the release command's and `fly console`'s). */
export const RESERVED_GROUPS: readonly string[] = ["fly_app_release_command", "fly_app_console"];

/** Why `name` cannot be a process group, or undefined. */
export function groupNameProblem(name: string): string | undefined {
  if (RESERVED_GROUPS.includes(name)) return `is a process group flyctl keeps for its own machines (${RESERVED_GROUPS.join(", ")})`;
  if (!GROUP_NAME.test(name)) return "must be 1 to 63 letters, digits, '_' or '-', not starting or ending with '-' (it is the group's internal DNS label, <group>.process.<app>.internal)";
  return undefined;
}
