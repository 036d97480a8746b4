/** IPs and secrets: declared ones must exist on Fly (secrets by name only), and no public IP beyond them. Pure. */
import type { FlyIpAssignment, FlySecretName } from "../fly-api/client";
import type { Declared } from "./desired";
import type { Finding } from "./types";

/** The fly_ip `type` an assignment is: shared_v4, v4, v6 or private_v6. */
export function ipType(ip: FlyIpAssignment): string {
  if (ip.network) return "private_v6";
  if (ip.shared) return "shared_v4";
  return ip.ip?.includes(":") ? "v6" : "v4";
}

const normalType = (type: unknown): string => (type === "public_v6" ? "v6" : String(type));

export function auditIps(declared: readonly Declared[], live: readonly FlyIpAssignment[]): Omit<Finding, "app">[] {
  const pool = [...live];
  const out: Omit<Finding, "app">[] = [];
  for (const d of declared) {
    const i = pool.findIndex((ip) => ipType(ip) === normalType(d.attrs.type));
    if (i >= 0) pool.splice(i, 1);
    else out.push({ resource: d.address, field: "ip", expected: String(d.attrs.type), actual: "missing", severity: "drift" });
  }
  // A public address nobody declared (`fly ips allocate-v4`) exposes the app beyond what the code says.
  for (const ip of pool.filter((p) => ipType(p) !== "private_v6"))
    out.push({ resource: ip.ip ?? "?", field: "ip", expected: "none", actual: `${ipType(ip)} ${ip.ip ?? ""}`.trim(), severity: "drift" });
  return out;
}

export function auditSecrets(declared: readonly Declared[], live: readonly FlySecretName[]): Omit<Finding, "app">[] {
  const names = new Set(live.map((s) => s.name));
  return declared.filter((d) => !names.has(String(d.attrs.name))).map((d) => ({ resource: d.address, field: "secret", expected: String(d.attrs.name), actual: "missing", severity: "drift" as const }));
}
