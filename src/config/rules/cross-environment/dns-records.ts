/**
 * The Cloudflare records flystack creates for one custom hostname, as constructs/domain.ts makes
 * them (a test keeps the two in step): a CNAME for a subdomain, A and AAAA at the apex (no CNAME
 * is allowed there), and for a wildcard its CNAME plus the `_acme-challenge` CNAME that DNS-01
 * validation needs. Kept free of constructs so validation never loads the providers.
 */
export interface PlannedDnsRecord {
  readonly type: "A" | "AAAA" | "CNAME";
  readonly name: string;
}

export function dnsRecordsFor(hostname: string, zone: string): PlannedDnsRecord[] {
  if (hostname === zone) {
    return [
      { type: "A", name: hostname },
      { type: "AAAA", name: hostname },
    ];
  }
  if (hostname.startsWith("*.")) {
    return [
      { type: "CNAME", name: hostname },
      { type: "CNAME", name: `_acme-challenge.${hostname.slice(2)}` },
    ];
  }
  return [{ type: "CNAME", name: hostname }];
}

/** Two records at one name in one zone clash when their types are the same, or either is a CNAME (a CNAME stands alone). */
export function recordsClash(a: PlannedDnsRecord, b: PlannedDnsRecord): boolean {
  return a.name === b.name && (a.type === b.type || a.type === "CNAME" || b.type === "CNAME");
}
