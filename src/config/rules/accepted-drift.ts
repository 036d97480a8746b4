import { plannedAddresses } from "../addresses";
import { quote } from "../issue";
import type { ConfigRule, RuleProblem } from "./rule";

/**
 * Each `acceptedDrift` entry names a resource this environment declares (a typo would accept
 * nothing, silently), and no two entries accept the same address and field. An expired entry is
 * still valid: `flystack drift` reports its drift again, naming the expiry.
 */
export const acceptedDrift: ConfigRule = {
  id: "accepted-drift",
  check: (env) => {
    const entries = env.acceptedDrift ?? [];
    if (entries.length === 0) return [];
    const declared = new Set(plannedAddresses(env).map((p) => p.address).filter((a) => !a.startsWith("var.") && !a.startsWith("output.")));
    const seen = new Set<string>();
    const problems: RuleProblem[] = [];
    entries.forEach((entry, i) => {
      const path = `acceptedDrift[${i}]`;
      if (!declared.has(entry.address)) {
        problems.push({ path: `${path}.address`, message: `${quote(entry.address)} is not a resource of this environment; use an address from \`flystack drift\` or the plan, e.g. fly_machine.<app>_<group>_<region>_<n>` });
      }
      const key = `${entry.address}\u0000${entry.field ?? ""}`;
      if (seen.has(key)) problems.push({ path, message: `accepts ${quote(entry.address)}${entry.field === undefined ? "" : ` field ${quote(entry.field)}`} a second time; keep one entry` });
      seen.add(key);
    });
    return problems;
  },
};
