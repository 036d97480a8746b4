import type { ConfigRule } from "./rule";
import { quote } from "../issue";

const HOSTNAME = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Every hostname is a valid name inside the environment's DNS zone, served by one app only; the apex needs public IPv4 and IPv6. */
export const hostnamesInZone: ConfigRule = {
  id: "hostnames-in-zone",
  check: (env) => {
    const zone = env.dns.zone;
    const owner = new Map<string, string>();
    return Object.entries(env.apps).flatMap(([appKey, app]) =>
      (app.domains ?? []).flatMap((hostname, i) => {
        const path = `apps.${appKey}.domains[${i}]`;
        if (hostname.length > 253) {
          return [{ path, message: `hostname ${quote(hostname)} is ${hostname.length} characters; DNS allows at most 253` }];
        }
        if (!HOSTNAME.test(hostname)) {
          return [{ path, message: `${quote(hostname)} is not a valid lowercase hostname (a wildcard is allowed only as the first label, "*.")` }];
        }
        if (hostname !== zone && !hostname.endsWith(`.${zone}`)) {
          return [{ path, message: `hostname ${quote(hostname)} is outside the environment's DNS zone ${quote(zone)}; use ${quote(zone)} or a name ending in ${quote(`.${zone}`)}` }];
        }
        const other = owner.get(hostname);
        owner.set(hostname, path);
        if (other) return [{ path, message: `hostname ${quote(hostname)} is already served by ${other}` }];
        const hasIpv4 = (app.ips?.sharedIpv4 ?? true) || (app.ips?.dedicatedIpv4 ?? false);
        const hasIpv6 = app.ips?.ipv6 ?? true;
        if (hostname === zone && !(hasIpv4 && hasIpv6)) {
          return [{ path, message: `the apex ${quote(hostname)} needs A and AAAA records, so the app needs a public IPv4 (sharedIpv4 or dedicatedIpv4) and ipv6; enable them in apps.${appKey}.ips` }];
        }
        return [];
      }),
    );
  },
};
