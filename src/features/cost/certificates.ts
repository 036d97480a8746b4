/**
 * Certificate prices, which depend on the whole organization rather than on one certificate: Fly
 * gives every organization its first 10 single-hostname certificates free, then charges $0.10/month
 * each; a wildcard certificate is $1/month.
 *
 * Decisions:
 * - Wildcards do not use the free allowance (prices.json `wildcardsUseFreeAllowance: false`): Fly's
 *   pricing page grants the 10 free to "single hostname certificates" only, so a wildcard is always
 *   $1 and never pushes a single hostname out of the free 10.
 * - Which certificates are "the first 10" is Fly's business (creation order); the estimate frees the
 *   first 10 by Terraform address, so the total is right and the attribution stable between runs.
 * - The allowance is counted within the stack. An organization that holds certificates elsewhere
 *   (another environment in the same org, apps outside Terraform) may already have used it, so the
 *   estimate can be low by $0.10 per such certificate; the note on each free certificate says so.
 */
import type { Prices } from "./prices";
import { literalString, type StackResource } from "./stack-json";

export interface CertificateInput {
  readonly resource: StackResource;
  /** The organization it bills to, or undefined when the stack does not say. */
  readonly org: string | undefined;
  readonly where: string;
}

export interface CertificatePrice {
  readonly monthly: number;
  readonly note: string;
}

export function isWildcard(hostname: string): boolean {
  return hostname.startsWith("*.");
}

/** Prices every certificate of a stack; the result maps each address to its price. */
export function priceCertificates(certificates: readonly CertificateInput[], prices: Prices): Map<string, CertificatePrice> {
  const { perHostnameMonth, freeHostnamesPerOrganization, wildcardPerMonth, wildcardsUseFreeAllowance } = prices.certificates;
  const result = new Map<string, CertificatePrice>();
  const usedByOrg = new Map<string, number>();
  const sorted = [...certificates].sort((a, b) => (a.resource.address < b.resource.address ? -1 : 1));
  for (const { resource, org, where } of sorted) {
    const hostname = literalString(resource.body.hostname, where, "hostname");
    const wildcard = isWildcard(hostname);
    const orgName = org ?? "(organization unknown)";
    const kind = wildcard ? "wildcard certificate" : "single-hostname certificate";
    if (wildcard && !wildcardsUseFreeAllowance) {
      result.set(resource.address, { monthly: wildcardPerMonth, note: `${hostname}: ${kind}` });
      continue;
    }
    const position = (usedByOrg.get(orgName) ?? 0) + 1;
    usedByOrg.set(orgName, position);
    const free = position <= freeHostnamesPerOrganization;
    result.set(resource.address, {
      monthly: free ? 0 : wildcard ? wildcardPerMonth : perHostnameMonth,
      note: free
        ? `${hostname}: ${kind} ${position} of the ${freeHostnamesPerOrganization} free in org ${orgName} (counted within this stack)`
        : `${hostname}: ${kind} ${position} in org ${orgName}, beyond the ${freeHostnamesPerOrganization} free`,
    });
  }
  return result;
}
