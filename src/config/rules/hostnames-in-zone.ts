import type { ConfigRule } from "./rule";

const HOSTNAME = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Every hostname is a valid name inside the environment's DNS zone, served by one app only. */
export const hostnamesInZone: ConfigRule = {
  id: "hostnames-in-zone",
  check: (env) => {
    const zone = env.dns.zone;
    const owner = new Map<string, string>();
    return Object.entries(env.apps).flatMap(([appKey, app]) =>
      (app.domains ?? []).flatMap((hostname, i) => {
        const path = `apps.${appKey}.domains[${i}]`;
        if (!HOSTNAME.test(hostname)) {
          return [{ path, message: `"${hostname}" is not a valid lowercase hostname (a wildcard is allowed only as the first label, "*.")` }];
        }
        if (hostname !== zone && !hostname.endsWith(`.${zone}`)) {
          return [{ path, message: `hostname "${hostname}" is outside the environment's DNS zone "${zone}"; use "${zone}" or a name ending in ".${zone}"` }];
        }
        const other = owner.get(hostname);
        owner.set(hostname, path);
        return other ? [{ path, message: `hostname "${hostname}" is already served by ${other}` }] : [];
      }),
    );
  },
};
