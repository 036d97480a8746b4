/** Certificates: each declared fly_cert hostname must exist, be configured without validation errors, and not expire within 21 days. Pure. */
import type { FlyCertificateDetail } from "../../fly/api/client";
import type { Declared } from "./desired";
import type { Finding } from "./types";

export const EXPIRY_WARNING_DAYS = 21;

export function auditCertificates(declared: readonly Declared[], live: ReadonlyMap<string, FlyCertificateDetail | undefined>, now: Date): Omit<Finding, "app">[] {
  const out: Omit<Finding, "app">[] = [];
  for (const d of declared) {
    const hostname = String(d.attrs.hostname);
    const cert = live.get(hostname);
    if (!cert) {
      out.push({ resource: d.address, field: "certificate", expected: hostname, actual: "missing", severity: "drift" });
      continue;
    }
    if (!cert.configured) out.push({ resource: d.address, field: "configured", expected: true, actual: cert.status ?? false, severity: "drift" });
    const errors = (cert.validation_errors ?? []).map((e) => [e.code, e.message].filter(Boolean).join(": ") + (e.remediation ? ` (${e.remediation})` : ""));
    if (errors.length > 0) out.push({ resource: d.address, field: "validation_errors", expected: "none", actual: errors.join("; "), severity: "drift" });
    const expiries = (cert.certificates ?? []).map((c) => (c.expires_at ? Date.parse(c.expires_at) : NaN)).filter((t) => !Number.isNaN(t));
    if (expiries.length === 0) continue;
    const days = (Math.max(...expiries) - now.getTime()) / 86_400_000;
    if (days < EXPIRY_WARNING_DAYS)
      out.push({ resource: d.address, field: "expires_at", expected: `more than ${EXPIRY_WARNING_DAYS} days`, actual: days < 0 ? "expired" : `in ${Math.floor(days)} days (${new Date(Math.max(...expiries)).toISOString().slice(0, 10)})`, severity: "drift" });
  }
  return out;
}
