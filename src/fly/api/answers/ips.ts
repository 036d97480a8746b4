/**
 * IP assignments (GET /v1/apps/{app}/ip_assignments) and what kind each is. Fly's answer has no `type`:
 * it is derived as fly-go's IPAssignment.Type() does (superfly/fly-go flaps/flaps_ip_assignments.go):
 * egress first, then a Flycast (private) address by its `fdaa:` prefix, then `shared`, then the
 * address family. `network` marks a Flycast address in newer answers, but older ones have no `network`
 * field (and newer ones write `network: null` for public addresses), so the prefix decides, as in
 * flyctl (internal/command/ips/render.go); a `network` object counts too.
 */
import type { components } from "../../../../.gen/fly-api/machines";
import { asList, asObject, objectsIn, withoutNulls } from "./json";

export type FlyIpAssignment = components["schemas"]["IPAssignment"];

/** The kinds an assignment can be: the fly_ip types flystack declares, and egress addresses (never declared). */
export type IpKind = "shared_v4" | "v4" | "v6" | "private_v6" | "egress_v4" | "egress_v6";

export function ipKind(ip: FlyIpAssignment): IpKind {
  const address = ip.ip ?? "";
  const v6 = address.includes(":");
  if (ip.egress) return v6 ? "egress_v6" : "egress_v4";
  if (address.toLowerCase().startsWith("fdaa:") || ip.network !== undefined) return "private_v6";
  if (ip.shared) return "shared_v4";
  return v6 ? "v6" : "v4";
}

/** An address reachable from the internet (what the audit calls an extra public address). */
export const isPublicKind = (kind: IpKind): boolean => kind === "shared_v4" || kind === "v4" || kind === "v6";

export function readIpAssignments(body: unknown, endpoint: string): FlyIpAssignment[] {
  const expected = "a JSON object { ips: [IPAssignment] }";
  const answer = asObject(body, endpoint, expected);
  return objectsIn(asList(answer.ips, endpoint, `${expected} whose ips is a list`), endpoint, "IP assignment").map((ip) => withoutNulls(ip) as FlyIpAssignment);
}
