import { CPU_COUNTS, memoryProblem } from "../../fly/guest";
import type { GuestConfig } from "../types";
import { type ConfigRule, type RuleProblem, groupsOf } from "./rule";

/** CPU count and memory must be a size Fly offers for the CPU kind: a group's guest, and its release machine's. */
export const guestSize: ConfigRule = {
  id: "guest-size",
  check: (env) =>
    groupsOf(env).flatMap(({ group, path }) => [
      ...guestProblems(group.guest, `${path}.guest`),
      ...(group.release?.guest ? guestProblems(group.release.guest, `${path}.release.guest`) : []),
    ]),
};

/** A guest Fly does not offer, at `path` (`….guest`): the CPU count first, then the memory for it. */
export function guestProblems(guest: GuestConfig, path: string): RuleProblem[] {
  const { cpuKind, cpus, memoryMb } = guest;
  const counts = CPU_COUNTS[cpuKind];
  if (!counts.includes(cpus)) return [{ path: `${path}.cpus`, message: `${cpus} CPUs is not offered for ${cpuKind} machines; allowed: ${counts.join(", ")}` }];
  const problem = memoryProblem(cpuKind, cpus, memoryMb);
  return problem ? [{ path: `${path}.memoryMb`, message: problem }] : [];
}
