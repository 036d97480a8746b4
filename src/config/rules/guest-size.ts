import { CPU_COUNTS, memoryProblem } from "../../fly/guest";
import { type ConfigRule, groupsOf } from "./rule";

/** CPU count and memory must be a size Fly offers for the CPU kind. */
export const guestSize: ConfigRule = {
  id: "guest-size",
  check: (env) =>
    groupsOf(env).flatMap(({ group, path }) => {
      const { cpuKind, cpus, memoryMb } = group.guest;
      const counts = CPU_COUNTS[cpuKind];
      if (!counts.includes(cpus)) {
        return [{ path: `${path}.guest.cpus`, message: `${cpus} CPUs is not offered for ${cpuKind} machines; allowed: ${counts.join(", ")}` }];
      }
      const problem = memoryProblem(cpuKind, cpus, memoryMb);
      return problem ? [{ path: `${path}.guest.memoryMb`, message: problem }] : [];
    }),
};
