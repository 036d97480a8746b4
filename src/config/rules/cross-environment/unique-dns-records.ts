import { quote } from "../../issue";
import { type Claim, type CrossEnvironmentRule, describeClaim, domainsOf } from "./rule";
import { type PlannedDnsRecord, dnsRecordsFor, recordsClash } from "./dns-records";

/**
 * A DNS record (zone, name and type) is written by one environment.
 *
 * What is wrong: two environments' domains make records at the same name in the same Cloudflare
 * zone: the same CNAME, the apex's A and AAAA records, or a wildcard's `_acme-challenge` CNAME
 * (or a CNAME where the other environment has any record: a CNAME stands alone at its name).
 * Why it matters: each environment's Terraform state would own "its" copy of the record. A CNAME
 * clash fails one apply or lets the last apply overwrite the other's target; A and AAAA records
 * silently add up, so the apex answers with both environments' addresses in turn; a shared
 * `_acme-challenge` name sends one environment's certificate validation to the other's app.
 */
export const uniqueDnsRecords: CrossEnvironmentRule = {
  id: "cross-environment-dns-records",
  check: (environments) => {
    // By Cloudflare zone ID and record name: the records there so far, each with its claim.
    const claimed = new Map<string, { record: PlannedDnsRecord; claim: Claim }[]>();
    return environments.flatMap(({ file, config }) =>
      domainsOf(config).flatMap(({ hostname, path }) =>
        dnsRecordsFor(hostname, config.dns.zone).flatMap((record) => {
          const key = `${config.dns.cloudflareZoneId}/${record.name}`;
          const here = claimed.get(key) ?? [];
          claimed.set(key, [...here, { record, claim: { file, path } }]);
          // A clash inside one environment is a duplicate hostname: hostnames-in-zone reports it.
          const other = here.find((h) => h.claim.file !== file && recordsClash(h.record, record));
          if (other === undefined) return [];
          const theirs = other.record.type === record.type ? "" : ` with ${other.record.type === "A" ? "an" : "a"} ${other.record.type} record`;
          return [
            {
              environment: file,
              path,
              message: `DNS record ${record.type} ${quote(record.name)} in zone ${config.dns.zone} is also claimed by ${describeClaim(other.claim)}${theirs}; each environment needs its own DNS records`,
            },
          ];
        }),
      ),
    );
  },
};
