/**
 * Pure pieces of the fake Fly Machines API: the API's types (generated from the trimmed document),
 * deterministic identifiers and addresses, image references, and how a certificate's DNS state is
 * derived from what a test's `dnsLookup` says.
 */
import { createHash } from "node:crypto";
import type { components } from "../../../.gen/fly-api/machines";

export type Schemas = components["schemas"];
export type Machine = Schemas["Machine"];
export type MachineConfig = Schemas["fly.MachineConfig"];
export type Volume = Schemas["Volume"];
export type IPAssignment = Schemas["IPAssignment"];
export type CertificateDetail = Schemas["CertificateDetail"];
export type CertificateCheckResponse = Schemas["CertificateCheckResponse"];
export type CheckStatus = Schemas["CheckStatus"];

/** `(name, type) => records`: what public DNS answers, as the test wants Fly to see it. */
export type DnsLookup = (name: string, type: string) => string[];

export const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

/** A Fly-looking id whose characters come from a counter, so runs are reproducible. */
export function fakeId(prefix: string, n: number, length: number): string {
  return prefix + sha256(`${prefix}${n}`).slice(0, length);
}

/** What Fly reports as `image_ref`: the image string split up, with a digest (fake but stable per image). */
export function imageRef(image: string): Schemas["ImageRef"] {
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) [rest, digest] = [rest.slice(0, at), rest.slice(at + 1)];
  let registry = "docker-hub-mirror.fly.io";
  const slash = rest.indexOf("/");
  if (slash > 0 && /[.:]|^localhost$/.test(rest.slice(0, slash))) [registry, rest] = [rest.slice(0, slash), rest.slice(slash + 1)];
  let tag = "latest";
  const colon = rest.lastIndexOf(":");
  if (colon >= 0) [rest, tag] = [rest.slice(0, colon), rest.slice(colon + 1)];
  if (registry === "docker-hub-mirror.fly.io" && !rest.includes("/")) rest = `library/${rest}`;
  return { registry, repository: rest, tag, digest: digest ?? `sha256:${sha256(image)}`, labels: {} };
}

/** Deterministic addresses from the documentation ranges (RFC 5737, RFC 3849) and Fly's private range: never anyone's real address. */
export function fakeAddress(type: string, n: number): { ip: string; shared: boolean } | undefined {
  switch (type) {
    case "v4":
      return { ip: `203.0.113.${n % 250}`, shared: false };
    case "shared_v4":
      return { ip: "203.0.113.254", shared: true };
    case "v6":
      return { ip: `2001:db8:0:1::${n.toString(16)}`, shared: false };
    case "private_v6":
      // Flycast addresses are in Fly's private fdaa::/16 range (a unique-local range, nobody's public address).
      return { ip: `fdaa:0:1:f::${n.toString(16)}`, shared: false };
    default:
      return undefined;
  }
}

/** The `_acme-challenge` CNAME Fly asks for a hostname of an app (DNS-01 validation). */
export function acmeChallenge(app: string, hostname: string): { name: string; target: string } {
  const bare = hostname.replace(/^\*\./, "");
  return { name: `_acme-challenge.${bare}`, target: `${bare}.${sha256(app).slice(0, 6)}.flydns.net` };
}

/**
 * Public DNS that holds exactly what Fly asks of each certificate (`hostnamesToApps`: hostname → app),
 * as if the records had been made by hand: for runs without the DNS provider.
 */
export function dnsAsRequired(hostnamesToApps: (hostname: string) => string | undefined): DnsLookup {
  return (name, type) => {
    if (type !== "CNAME") return [];
    const challenged = name.startsWith("_acme-challenge.") ? name.slice("_acme-challenge.".length) : undefined;
    if (challenged) {
      const host = [challenged, `*.${challenged}`].find((h) => hostnamesToApps(h));
      return host ? [acmeChallenge(hostnamesToApps(host)!, host).target] : [];
    }
    const app = hostnamesToApps(name);
    return app ? [`${app}.fly.dev`] : [];
  };
}

export interface FakeCertificate {
  hostname: string;
  createdAt: Date;
  /** Set once DNS let the (pretend) ACME order complete; cleared when the certificate expires. */
  issuedAt?: Date;
  expiresAt?: Date;
}

const DAY_MS = 86_400_000;
const normalise = (s: string): string => s.toLowerCase().replace(/\.$/, "");

/**
 * Recomputes a certificate against DNS as Fly's validator would, mutating its issue/expiry, and
 * returns the detail. A certificate is issued once either the `_acme-challenge` CNAME (DNS-01, the only
 * way for a wildcard) or the hostname itself (CNAME to `<app>.fly.dev`, or A/AAAA at the app's IPs)
 * resolves as required; it then stays issued until it expires, when DNS is consulted again.
 */
export function evaluateCertificate(app: string, cert: FakeCertificate, ips: IPAssignment[], lookup: DnsLookup, now: Date): CertificateCheckResponse {
  const wildcard = cert.hostname.startsWith("*.");
  const bare = cert.hostname.replace(/^\*\./, "");
  const look = (name: string, type: string): string[] => lookup(name, type).map(normalise);
  const v4 = ips.filter((i) => i.ip && !i.ip.includes(":")).map((i) => i.ip as string);
  const v6 = ips.filter((i) => i.ip?.includes(":") && !i.ip.startsWith("fdaa:")).map((i) => i.ip as string);
  const cnameTarget = `${app}.fly.dev`;
  const acme = acmeChallenge(app, cert.hostname);
  const records = { a: look(cert.hostname, "A"), aaaa: look(cert.hostname, "AAAA"), cname: look(cert.hostname, "CNAME"), acme: look(acme.name, "CNAME") };
  const acmeOk = records.acme.includes(acme.target);
  const pointsAtApp = !wildcard && (records.cname.includes(cnameTarget) || records.a.some((a) => v4.includes(a)) || records.aaaa.some((a) => v6.includes(a)));

  if (cert.expiresAt && cert.expiresAt <= now) cert.issuedAt = cert.expiresAt = undefined;
  if (!cert.issuedAt && (acmeOk || pointsAtApp)) {
    cert.issuedAt = now;
    cert.expiresAt = new Date(now.getTime() + 90 * DAY_MS);
  }
  const issued = cert.issuedAt !== undefined && cert.expiresAt !== undefined;
  const expiresAt = cert.expiresAt?.toISOString();
  return {
    hostname: cert.hostname,
    acme_requested: true,
    configured: issued,
    status: issued ? "Ready" : "Awaiting configuration",
    dns_provider: "unknown",
    dns_requirements: {
      cname: cnameTarget,
      a: v4,
      aaaa: v6,
      acme_challenge: acme,
      ownership: { name: `_fly-ownership.${bare}`, app_value: `app-${sha256(`app:${app}`).slice(0, 20)}`, org_value: `org-${sha256(`org:${app}`).slice(0, 20)}` },
    },
    dns_records: { a: records.a, aaaa: records.aaaa, cname: records.cname, acme_challenge_cname: records.acme[0] ?? "" },
    validation: { dns_configured: acmeOk, http_configured: pointsAtApp, alpn_configured: pointsAtApp, ownership_txt_configured: false },
    validation_errors: issued
      ? []
      : [{ code: "DNS_NOT_CONFIGURED", message: `no DNS record for ${cert.hostname} points at ${app}`, remediation: `add a CNAME to ${cnameTarget} or ${acme.name} CNAME ${acme.target}`, timestamp: now.toISOString() }],
    certificates: issued
      ? [{ source: "fly", status: "active", issuer: "Let's Encrypt", created_at: cert.issuedAt?.toISOString(), expires_at: expiresAt, issued: [{ type: "ecdsa", certificate_authority: "lets_encrypt", expires_at: expiresAt }] }]
      : [{ source: "fly", status: "pending_validation", created_at: cert.createdAt.toISOString() }],
  };
}
