/** IPs and secrets: declared ones must exist on Fly (secrets by name only), and no public IP beyond them. Pure. */
import type { FlyIpAssignment, FlySecretName } from "../../fly/api/client";
import { ipKind, isPublicKind } from "../../fly/api/answers/ips";
import type { Declared } from "./desired";
import type { Finding } from "./types";

/** A declared fly_ip `type` in the kinds of ipKind (the provider spells public addresses public_v4/public_v6). */
const declaredKind = (type: unknown): string => (type === "public_v6" ? "v6" : type === "public_v4" ? "v4" : String(type));

export function auditIps(declared: readonly Declared[], live: readonly FlyIpAssignment[]): Omit<Finding, "app">[] {
  const pool = [...live];
  const out: Omit<Finding, "app">[] = [];
  for (const d of declared) {
    const i = pool.findIndex((ip) => ipKind(ip) === declaredKind(d.attrs.type));
    if (i >= 0) pool.splice(i, 1);
    else out.push({ resource: d.address, field: "ip", expected: String(d.attrs.type), actual: "missing", severity: "drift" });
  }
  for (const ip of pool) {
    const kind = ipKind(ip);
    // A public address nobody declared (`fly ips allocate-v4`) exposes the app beyond what the code says.
    if (isPublicKind(kind)) out.push({ resource: ip.ip ?? "?", field: "ip", expected: "none", actual: `${kind} ${ip.ip ?? ""}`.trim(), severity: "drift" });
    // An egress address (`fly ips allocate-egress`) only changes where outbound traffic comes from; the provider cannot manage it.
    else if (kind === "egress_v4" || kind === "egress_v6") out.push({ resource: ip.ip ?? "?", field: "ip", expected: "none", actual: `${kind} ${ip.ip ?? ""} (outbound only; not managed by flystack)`, severity: "info" });
  }
  return out;
}

export function auditSecrets(declared: readonly Declared[], live: readonly FlySecretName[]): Omit<Finding, "app">[] {
  const names = new Set(live.map((s) => s.name));
  return declared.filter((d) => !names.has(String(d.attrs.name))).map((d) => ({ resource: d.address, field: "secret", expected: String(d.attrs.name), actual: "missing", severity: "drift" as const }));
}
