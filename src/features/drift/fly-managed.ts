/**
 * Attributes Fly changes by design, which a refresh-only plan reads back as "changed outside
 * Terraform" although nobody changed anything. A drift entry whose changed attributes are all
 * listed here for its type is noise, not drift. Decided from providers/fly.schema.json (each is a
 * Computed-only attribute, or Computed+Optional without a value flystack sets) and from what the
 * real ampbase-io/fly provider refreshes (the facts file shared/fly-provider-facts.md, "What a refresh reads
 * back"). Anything not listed (an image digest, a volume's size, a certificate's CNAME target) is drift.
 */
export const FLY_MANAGED: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  fly_machine: {
    state: "Fly Proxy's autostop/autostart stops and starts machines; a crash and restart changes it too",
    instance_id: "a new instance on every restart, autostart resume or host move (a real config change also moves image_digest, which is drift)",
    private_ip: "the 6PN address changes when Fly migrates the machine to another host",
  },
  fly_volume: {
    attached_machine_id: "set by Fly when the machine mounting the volume is created, after the volume: read only on the next refresh",
    state: "Fly's volume lifecycle (created, hydrating, restoring, …)",
    zone: "the hardware zone Fly picked; it changes when Fly migrates the volume to another host",
  },
  fly_cert: {
    status: "certificate issuance and renewal progress (Let's Encrypt), driven by Fly",
    configured: "whether Fly currently serves a valid certificate: changes around renewals and DNS checks",
    dns_configured: "Fly's latest DNS-01 check result",
    http_configured: "Fly's latest HTTP-01 check result",
    alpn_configured: "Fly's latest TLS-ALPN-01 check result",
    dns_provider: "Fly's guess of the zone's DNS host",
    rate_limited_until: "Let's Encrypt rate limiting, set and cleared by Fly",
    a_records: "the A addresses Fly lists for the hostname: follow the app's IPs (flystack's records use the fly_ip resources)",
    aaaa_records: "the AAAA addresses Fly lists for the hostname: follow the app's IPs (flystack's records use the fly_ip resources)",
  },
  fly_cert_validation: {
    configured: "a snapshot of the certificate at validation time",
    status: "a snapshot of the certificate at validation time",
  },
};

/** The top-level attribute of a changed path: `guest` of `guest.cpus`, `a_records` of `a_records[1]`. */
export function topLevel(path: string): string {
  const m = /^[^.[]+/.exec(path);
  return m ? m[0] : path;
}

/** Whether Fly changes this attribute (a path under it) of this resource type by design. */
export function isFlyManaged(type: string, path: string): boolean {
  return Object.prototype.hasOwnProperty.call(FLY_MANAGED[type] ?? {}, topLevel(path));
}
