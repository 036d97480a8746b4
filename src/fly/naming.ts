/** Names derived from configuration keys. Changing one renames live Fly resources: treat them as a contract. */

/** The Fly volume of machine `index` (1-based) of a group in `region`. */
export function volumeName(prefix: string, region: string, index: number): string {
  return `${prefix}_${region}_${index}`;
}

/**
 * The Fly machine name of machine `index` (1-based) of a group in `region`. A group's name is kept as
 * Fly has it everywhere Fly sees the group (metadata, DNS); in a machine's name, which Fly documents
 * no character rule for, it is written as a hostname label would be: `_` as `-`, lower case. Names of
 * groups of lowercase letters, digits and dashes are unchanged by this.
 */
export function machineName(appName: string, group: string, region: string, index: number): string {
  return `${appName}-${group.replace(/_/g, "-").toLowerCase()}-${region}-${index}`;
}

/** A Terraform-identifier-safe form of a key (`api-v2` → `api_v2`). */
export function terraformSafe(key: string): string {
  return key.replace(/[^A-Za-z0-9_]/g, "_");
}

/**
 * Terraform logical IDs. They are the addresses reviewers read in plans (`fly_volume.db_postgres_iad_1`)
 * and the keys of state: renaming one makes Terraform destroy and recreate the resource, so they
 * are derived from configuration keys only, never from the construct tree, and tests pin them.
 */
export const logicalIds = {
  app: (appKey: string) => terraformSafe(appKey),
  ip: (appKey: string, kind: "shared_ipv4" | "ipv6" | "dedicated_ipv4" | "flycast") => `${terraformSafe(appKey)}_${kind}`,
  secret: (appKey: string, name: string) => `${terraformSafe(appKey)}_${name}`,
  machine: (appKey: string, group: string, region: string, index: number) =>
    `${terraformSafe(appKey)}_${terraformSafe(group)}_${region}_${index}`,
  volume: (appKey: string, group: string, region: string, index: number) =>
    `${terraformSafe(appKey)}_${terraformSafe(group)}_${region}_${index}`,
  release: (appKey: string, group: string) => `${terraformSafe(appKey)}_${terraformSafe(group)}_release`,
  /** A blue-green group's generation (terraform_data): its machines are replaced when it changes. */
  generation: (appKey: string, group: string) => `${terraformSafe(appKey)}_${terraformSafe(group)}_generation`,
  /** A blue-green group's cutover (terraform_data): the old set is destroyed only after it, that is after every new machine. */
  cutover: (appKey: string, group: string) => `${terraformSafe(appKey)}_${terraformSafe(group)}_cutover`,
  /** A rolling group's canary gate (null_resource). */
  canaryGate: (appKey: string, group: string) => `${terraformSafe(appKey)}_${terraformSafe(group)}_canary_gate`,
  cert: (appKey: string, hostname: string) => `${terraformSafe(appKey)}_${hostnameId(hostname)}`,
  dnsRecord: (appKey: string, hostname: string, purpose: DnsRecordPurpose) =>
    `${terraformSafe(appKey)}_${hostnameId(hostname)}_${purpose}`,
  /** The stack's outputs of one app (`api_hostnames`). */
  output: (appKey: string, kind: AppOutput) => `${terraformSafe(appKey)}_${kind}`,
};

export type DnsRecordPurpose = "cname" | "a" | "aaaa" | "acme_challenge";
export type AppOutput = "hostnames" | "ip_addresses" | "certificate_status";

export type HostnameKind = "apex" | "subdomain" | "wildcard";

/** What DNS records a hostname of `zone` needs: the apex (A and AAAA), a subdomain (CNAME), a wildcard (CNAME and the ACME challenge). */
export function hostnameKind(hostname: string, zone: string): HostnameKind {
  if (hostname.startsWith("*.")) return "wildcard";
  return hostname === zone ? "apex" : "subdomain";
}

/** The records constructs/domain.ts makes for a hostname of each kind, by purpose. */
export const DNS_RECORD_PURPOSES: Readonly<Record<HostnameKind, readonly DnsRecordPurpose[]>> = {
  apex: ["a", "aaaa"],
  subdomain: ["cname"],
  wildcard: ["cname", "acme_challenge"],
};

/** `*.preview.example.com` → `wildcard_preview_example_com` */
function hostnameId(hostname: string): string {
  return terraformSafe(hostname.replace(/^\*\./, "wildcard."));
}
