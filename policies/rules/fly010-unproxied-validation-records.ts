import type { PolicyRule, RuleContext, SynthesizedResource } from "../rule";
import { addressOf, isResourceOf, show } from "../values";

const DNS_RECORD_TYPES = ["cloudflare_dns_record", "cloudflare_record"];
const RECORD_REFERENCE = /\b(cloudflare_(?:dns_)?record)\.([A-Za-z0-9_-]+)\b/g;

/**
 * FLY010 · What: a DNS record that validates a Fly certificate is proxied by Cloudflare.
 * Why: Cloudflare's proxy answers in Fly's place, so the ACME challenge fails and the certificate
 * is never issued (or stops renewing).
 * A record validates a certificate when a fly_cert_validation lists it in validation_dependencies
 * or when its content references a fly_cert. Proxied must be false or unset; an expression cannot
 * be checked at synthesis and is a finding too.
 */
export const fly010: PolicyRule = {
  id: "FLY010",
  level: "error",
  title: "certificate records not proxied",
  what: "A DNS record that validates a Fly certificate is proxied by Cloudflare.",
  why: "Cloudflare's proxy answers in Fly's place, so the ACME challenge fails and the certificate is never issued or renewed.",
  appliesTo: (node) => isResourceOf(node, ...DNS_RECORD_TYPES),
  check: (node, context) => {
    if (!isResourceOf(node, ...DNS_RECORD_TYPES)) return [];
    const config = context.config(node);
    if (!config) return [];
    const proxied = config.proxied ?? false;
    if (proxied === false) return [];
    const content = config.content ?? config.value;
    const validates = validatedAddresses(context).has(addressOf(node)) || (typeof content === "string" && content.includes("fly_cert."));
    return validates ? [{ message: `${addressOf(node)} validates a Fly certificate but has proxied = ${show(proxied)}; it must be false` }] : [];
  },
};

/**
 * Addresses of the records any fly_cert_validation waits on, computed once per stack (memoized on
 * the context's read-only resource list, as FLY004 does): once per record would be quadratic in the apps.
 */
const validatedIndex = new WeakMap<readonly SynthesizedResource[], Set<string>>();

function validatedAddresses(context: RuleContext): Set<string> {
  const validations = context.resources("fly_cert_validation");
  let addresses = validatedIndex.get(validations);
  if (!addresses) {
    addresses = collectValidatedAddresses(validations);
    validatedIndex.set(validations, addresses);
  }
  return addresses;
}

function collectValidatedAddresses(validations: readonly SynthesizedResource[]): Set<string> {
  const addresses = new Set<string>();
  for (const validation of validations) {
    const dependencies = validation.config.validation_dependencies;
    for (const dependency of Array.isArray(dependencies) ? dependencies : [dependencies]) {
      if (typeof dependency !== "string") continue;
      for (const match of dependency.matchAll(RECORD_REFERENCE)) addresses.add(`${match[1]}.${match[2]}`);
    }
  }
  return addresses;
}
