import { plannedAddresses } from "../addresses";
import type { ConfigRule, RuleProblem } from "./rule";

/**
 * No two things in the configuration map to one Terraform address.
 *
 * What is wrong: logical IDs replace every character Terraform does not allow in a name with `_`
 * (src/fly/naming.ts), so hostnames `web-v2.example.com` and `web.v2.example.com`, or app `db` with
 * group `x-postgres` beside app `db-x` with group `postgres`, give the same address.
 * Why it matters: cdk.tf.json holds one resource per address, so the later would silently replace
 * the earlier: a certificate, a machine or a volume missing from every plan.
 * Each pair of paths is reported once, at the later path, with the first address they share.
 */
export const uniqueAddresses: ConfigRule = {
  id: "unique-addresses",
  check: (env) => {
    const first = new Map<string, { path: string; what: string }>();
    const reported = new Set<string>();
    const problems: RuleProblem[] = [];
    for (const planned of plannedAddresses(env)) {
      const other = first.get(planned.address);
      if (other === undefined) {
        first.set(planned.address, planned);
        continue;
      }
      // The same path twice (a hostname listed twice) is hostnames-in-zone's to report.
      if (other.path === planned.path || (other.what === planned.what && other.path.replace(/\[\d+\]$/, "") === planned.path.replace(/\[\d+\]$/, ""))) continue;
      const pair = `${other.path}\u0000${planned.path}`;
      if (reported.has(pair)) continue;
      reported.add(pair);
      problems.push({
        path: planned.path,
        message: `${planned.what} gives the same Terraform address ${planned.address} as ${other.path} (${other.what.startsWith("hostname ") ? other.what.slice("hostname ".length) : other.what}); rename one`,
      });
    }
    return problems;
  },
};
