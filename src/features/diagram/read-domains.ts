/**
 * Domains (`fly_cert` hostnames) and the Cloudflare records that serve them.
 *
 * A record is attached to a certificate by the strongest link the stack holds, in this order:
 * 1. the certificate's `fly_cert_validation` waits for the record (flystack gates each
 *    certificate on exactly the records its hostname needs);
 * 2. the record's `content` is an attribute of the certificate (`cname`, `acme_challenge_target`);
 * 3. the record's name is the certificate's hostname (an apex A/AAAA pointing at the app's IPs);
 * 4. the record's name is `_acme-challenge.<h>` for a certificate of `<h>` or `*.<h>`.
 * Records linked to no certificate are kept apart (`unattachedRecords`), not dropped.
 */
import { appResolver } from "./app-refs";
import type { DnsRecord, DnsTarget, Domain } from "./types";
import {
  booleanAt,
  compareText,
  dependsOnKeys,
  parseReference,
  referencedKey,
  resourcesOfType,
  stringAt,
  stringsAt,
  type JsonObject,
} from "./stack-json";

const ACME_CHALLENGE = "_acme-challenge.";

export function readDomains(stack: JsonObject, notes: string[]): { domains: Domain[]; unattachedRecords: DnsRecord[] } {
  const resolveApp = appResolver(stack);
  const certs = resourcesOfType(stack, "fly_cert");
  const ips = resourcesOfType(stack, "fly_ip");

  const hostnames = new Map<string, string>();
  for (const [key, cert] of certs) hostnames.set(key, stringAt(cert, "hostname") ?? key);
  // Certificates by normalized hostname, first logical ID first, for links 3 and 4.
  const certByHostname = new Map<string, string>();
  for (const [key, hostname] of hostnames) {
    if (!certByHostname.has(normalize(hostname))) certByHostname.set(normalize(hostname), key);
  }
  const validatedBy = validationLinks(stack, certs);

  const recordsByCert = new Map<string, DnsRecord[]>();
  const unattachedRecords: DnsRecord[] = [];
  for (const [key, body] of resourcesOfType(stack, "cloudflare_dns_record")) {
    const record: DnsRecord = {
      key,
      type: stringAt(body, "type") ?? "?",
      name: stringAt(body, "name") ?? key,
      proxied: booleanAt(body, "proxied") ?? false,
      target: targetOf(stringAt(body, "content"), certs, ips, resolveApp),
    };
    const certKey =
      validatedBy.get(key) ??
      (record.target.kind === "cert" ? record.target.certKey : undefined) ??
      certByHostname.get(normalize(record.name)) ??
      acmeChallengeCert(record.name, certByHostname);
    if (certKey === undefined) {
      unattachedRecords.push(record);
    } else {
      const list = recordsByCert.get(certKey) ?? [];
      list.push(record);
      recordsByCert.set(certKey, list);
    }
  }

  const domains = [...certs.entries()].map(([certKey, cert]): Domain => {
    const hostname = hostnames.get(certKey) ?? certKey;
    const appValue = stringAt(cert, "app");
    const appKey = resolveApp(appValue);
    if (appKey === undefined) {
      notes.push(`fly_cert.${certKey}: its app ${appValue === undefined ? "(none)" : JSON.stringify(appValue)} is no fly_app of this stack`);
    }
    return {
      certKey,
      hostname,
      appKey,
      wildcard: hostname.startsWith("*."),
      records: sortRecords(recordsByCert.get(certKey) ?? []),
    };
  });
  domains.sort((a, b) => compareText(normalize(a.hostname), normalize(b.hostname)) || compareText(a.certKey, b.certKey));
  return { domains, unattachedRecords: sortRecords(unattachedRecords) };
}

/** Record logical ID → certificate logical ID, from each `fly_cert_validation`. */
function validationLinks(stack: JsonObject, certs: ReadonlyMap<string, JsonObject>): Map<string, string> {
  const links = new Map<string, string>();
  for (const [, validation] of resourcesOfType(stack, "fly_cert_validation")) {
    const certKey = referencedKey(stringAt(validation, "cert_id"), "fly_cert");
    if (certKey === undefined || !certs.has(certKey)) continue;
    const recordKeys = [
      ...stringsAt(validation, "validation_dependencies").flatMap((value) => referencedKey(value, "cloudflare_dns_record") ?? []),
      ...dependsOnKeys(validation, "cloudflare_dns_record"),
    ];
    for (const recordKey of recordKeys) if (!links.has(recordKey)) links.set(recordKey, certKey);
  }
  return links;
}

function targetOf(
  content: string | undefined,
  certs: ReadonlyMap<string, JsonObject>,
  ips: ReadonlyMap<string, JsonObject>,
  resolveApp: (app: string | undefined) => string | undefined,
): DnsTarget {
  const reference = parseReference(content);
  if (reference?.type === "fly_cert" && certs.has(reference.key)) {
    return { kind: "cert", certKey: reference.key, attribute: reference.attribute };
  }
  const ip = reference?.type === "fly_ip" ? ips.get(reference.key) : undefined;
  if (reference !== undefined && ip !== undefined) {
    return { kind: "ip", ipKey: reference.key, appKey: resolveApp(stringAt(ip, "app")) };
  }
  return { kind: "other", content };
}

function acmeChallengeCert(name: string, certByHostname: ReadonlyMap<string, string>): string | undefined {
  const normalized = normalize(name);
  if (!normalized.startsWith(ACME_CHALLENGE)) return undefined;
  const host = normalized.slice(ACME_CHALLENGE.length);
  return certByHostname.get(`*.${host}`) ?? certByHostname.get(host);
}

/** DNS names are case-insensitive, and a trailing dot (fully qualified) names the same host. */
function normalize(hostname: string): string {
  return hostname.toLowerCase().replace(/\.$/, "");
}

function sortRecords(records: DnsRecord[]): DnsRecord[] {
  return records.sort(
    (a, b) => compareText(normalize(a.name), normalize(b.name)) || compareText(a.type, b.type) || compareText(a.key, b.key),
  );
}
