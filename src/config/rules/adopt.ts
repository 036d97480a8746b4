import { adoptSlot } from "../adoption";
import { quote } from "../issue";
import type { AppConfig } from "../types";
import type { ConfigRule, RuleProblem } from "./rule";

const IP_KINDS = { sharedIpv4: true, ipv6: true, dedicatedIpv4: false, flycast: false } as const;

/** Every machine slot of an app (`web-iad-1`), with whether its group has a volume. */
function slotsOf(app: AppConfig): Map<string, { hasVolume: boolean }> {
  const slots = new Map<string, { hasVolume: boolean }>();
  for (const [group, config] of Object.entries(app.groups))
    for (const region of config.regions) for (let i = 1; i <= (config.count ?? 1); i++) slots.set(adoptSlot(group, region, i), { hasVolume: config.volume !== undefined });
  return slots;
}

/**
 * What an app adopts must be something the app declares: each adopted machine or volume a slot of
 * one of its groups (a volume only where the group has one), each adopted address an address kind
 * the app has, each adopted certificate one of its domains. Otherwise the import would attach a
 * live resource to nothing, or the first apply would create a second one beside it.
 */
export const adopt: ConfigRule = {
  id: "adopt",
  check: (env) =>
    Object.entries(env.apps).flatMap(([appKey, app]) => {
      const taken = app.adopt;
      if (!taken) return [];
      const path = `apps.${appKey}.adopt`;
      const problems: RuleProblem[] = [];
      const slots = slotsOf(app);
      const listed = [...slots.keys()].join(", ");
      for (const kind of ["machines", "volumes"] as const) {
        const ids = new Map<string, string>();
        for (const [slot, resource] of Object.entries(taken[kind] ?? {})) {
          const known = slots.get(slot);
          if (!known) problems.push({ path: `${path}.${kind}.${slot}`, message: `no machine slot ${quote(slot)} in this app; its slots are ${listed}` });
          else if (kind === "volumes" && !known.hasVolume) problems.push({ path: `${path}.volumes.${slot}`, message: `the group of slot ${quote(slot)} declares no volume; add one to the group, or remove this entry` });
          const other = ids.get(resource.id);
          if (other) problems.push({ path: `${path}.${kind}.${slot}.id`, message: `${quote(resource.id)} is adopted twice (also by ${other})` });
          ids.set(resource.id, slot);
        }
      }
      for (const [kind, address] of Object.entries(taken.ips ?? {})) {
        const wanted = app.ips?.[kind as keyof typeof IP_KINDS] ?? IP_KINDS[kind as keyof typeof IP_KINDS];
        if (address !== undefined && !wanted) problems.push({ path: `${path}.ips.${kind}`, message: `the app does not declare ips.${kind}; set it to true to adopt ${quote(address)}, or remove this entry` });
      }
      for (const [i, hostname] of (taken.certificates ?? []).entries())
        if (!(app.domains ?? []).includes(hostname)) problems.push({ path: `${path}.certificates.${i}`, message: `${quote(hostname)} is not one of the app's domains; add it to domains, or remove it here` });
      return problems;
    }),
};
