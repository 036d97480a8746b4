import { Construct } from "constructs";
import { DnsRecord } from "../.gen/providers/cloudflare/dns-record";
import { Cert } from "../.gen/providers/fly/cert";
import { CertValidation } from "../.gen/providers/fly/cert-validation";
import type { Ip } from "../.gen/providers/fly/ip";
import type { DnsConfig } from "../src/config/types";
import { type HostnameKind, hostnameKind, logicalIds } from "../src/fly/naming";
import { terraformLiteral } from "../src/util/terraform-literal";

export interface DomainProps {
  /** Fly app name (a reference to the app resource). */
  readonly appName: string;
  /** The app's key in the environment config; names logical IDs. */
  readonly appKey: string;
  /** Hostname inside `dns.zone`: the apex, a subdomain, or a wildcard (`*.preview.example.com`). */
  readonly hostname: string;
  readonly dns: DnsConfig;
  /** The app's public IPv4 address; needed for an apex hostname. The certificate is made after it. @default none */
  readonly ipv4?: Ip;
  /** The app's public IPv6 address; needed for an apex hostname. The certificate is made after it. @default none */
  readonly ipv6?: Ip;
  /** TTL of the records, in seconds. @default 60 */
  readonly ttl?: number;
  /**
   * The certificate exists on Fly (`flystack import app`): import it as `<flyAppName>/<hostname>`
   * and make no DNS records or validation gate: it is issued already, its DNS records are in place
   * outside this stack, and the provider's import leaves the certificate's `id` null, which a gate
   * could not reference. @default not adopted: certificate, records and gate are created
   */
  readonly adoptedFrom?: { readonly flyAppName: string };
}

export { type HostnameKind, hostnameKind };

/**
 * A custom hostname: Fly's certificate, the Cloudflare records it asks for, and a validation
 * gate that holds the apply until the certificate is issued. Records are never proxied:
 * Cloudflare's proxy would answer Fly's ACME challenge itself and the certificate would never validate.
 */
export class Domain extends Construct {
  public readonly cert: Cert;
  public readonly records: readonly DnsRecord[];
  /** The validation gate; none for an adopted certificate. */
  public readonly validation?: CertValidation;
  public readonly kind: HostnameKind;
  public readonly hostname: string;

  constructor(scope: Construct, id: string, props: DomainProps) {
    super(scope, id);
    const { hostname, dns, appKey } = props;
    if (hostname !== dns.zone && !hostname.endsWith(`.${dns.zone}`)) {
      throw new Error(`Domain ${hostname}: outside the DNS zone "${dns.zone}"`);
    }
    this.kind = hostnameKind(hostname, dns.zone);
    this.hostname = hostname;
    const ttl = props.ttl ?? 60;

    // Created after the app's public addresses: Fly lists them in the certificate's DNS requirements
    // (a_records, aaaa_records) when the certificate is made, and would otherwise list them only on
    // the next refresh, which drift detection then reports as a change outside Terraform.
    const addresses = [props.ipv4, props.ipv6].filter((ip): ip is Ip => ip !== undefined);
    this.cert = new Cert(this, "cert", { app: props.appName, hostname: terraformLiteral(hostname), dependsOn: addresses.length > 0 ? addresses : undefined });
    this.cert.overrideLogicalId(logicalIds.cert(appKey, hostname));
    if (props.adoptedFrom) {
      this.cert.importFrom(`${props.adoptedFrom.flyAppName}/${hostname}`);
      this.records = [];
      return;
    }

    const record = (purpose: "cname" | "a" | "aaaa" | "acme_challenge", type: string, name: string, content: string) => {
      const r = new DnsRecord(this, purpose, {
        zoneId: terraformLiteral(dns.cloudflareZoneId),
        name: terraformLiteral(name),
        type,
        content,
        ttl,
        proxied: false,
        comment: terraformLiteral(`flystack: ${purpose} for ${hostname} (Fly app ${appKey})`),
      });
      r.overrideLogicalId(logicalIds.dnsRecord(appKey, hostname, purpose));
      return r;
    };

    const records: DnsRecord[] = [];
    if (this.kind === "apex") {
      if (!props.ipv4 || !props.ipv6) {
        throw new Error(`Domain ${hostname}: an apex hostname needs the app's public IPv4 and IPv6 addresses (A and AAAA records; a CNAME is not allowed at the apex)`);
      }
      records.push(record("a", "A", hostname, props.ipv4.address));
      records.push(record("aaaa", "AAAA", hostname, props.ipv6.address));
    } else {
      records.push(record("cname", "CNAME", hostname, this.cert.cname));
      if (this.kind === "wildcard") {
        // Wildcards validate only through DNS-01: the _acme-challenge CNAME is mandatory.
        records.push(record("acme_challenge", "CNAME", `_acme-challenge.${hostname.slice(2)}`, this.cert.acmeChallengeTarget));
      }
    }
    this.records = records;

    this.validation = new CertValidation(this, "validation", {
      certId: this.cert.id,
      validationDependencies: records.map((r) => r.id),
    });
    this.validation.overrideLogicalId(logicalIds.cert(appKey, hostname));
  }
}
