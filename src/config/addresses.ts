/**
 * Every Terraform address a configuration gives, with the configuration path that makes it: the
 * resources, variables and outputs the constructs and the stack will write. Built from the same
 * naming functions (naming.ts) the constructs use, and a test synthesizes a stack and compares, so
 * validation (rules/unique-addresses.ts) and synthesis cannot disagree about which two things would
 * share an address (and the later silently overwrite the earlier in cdk.tf.json).
 */
import type { EnvironmentConfig } from "./types";
import { quote } from "./issue";
import { DNS_RECORD_PURPOSES, hostnameKind, logicalIds } from "../fly/naming";
import { deployedApps } from "./monitoring";

export interface PlannedAddress {
  /** `fly_machine.api_web_iad_1`, `var.api_DATABASE_URL`, `output.api_hostnames` */
  readonly address: string;
  /** The configuration path that makes it: `apps.api.groups.web`, `apps.api.domains[0]`. */
  readonly path: string;
  /** What is at the path, for messages: `hostname "api.example.com"`, `group "web" of app "api"`. */
  readonly what: string;
}

const quoted = quote;

/** In configuration order: per app, the app, its IPs, secrets, groups (machines, volumes, release), domains, outputs. */
export function plannedAddresses(env: EnvironmentConfig): PlannedAddress[] {
  const out: PlannedAddress[] = [];
  // The monitoring app too: its addresses must not collide with an app's either.
  for (const [appKey, app] of Object.entries(deployedApps(env))) {
    // The monitoring app is made by the environment's `monitoring` setting.
    const appPath = Object.hasOwn(env.apps, appKey) ? `apps.${appKey}` : "monitoring";
    const appWhat = `app key ${quoted(appKey)}`;
    const add = (address: string, path: string, what: string) => out.push({ address, path, what });
    add(`fly_app.${logicalIds.app(appKey)}`, appPath, appWhat);
    const ips = {
      shared_ipv4: app.ips?.sharedIpv4 ?? true,
      ipv6: app.ips?.ipv6 ?? true,
      dedicated_ipv4: app.ips?.dedicatedIpv4 ?? false,
      flycast: app.ips?.flycast ?? false,
    } as const;
    for (const kind of ["shared_ipv4", "ipv6", "dedicated_ipv4", "flycast"] as const) {
      if (ips[kind]) add(`fly_ip.${logicalIds.ip(appKey, kind)}`, appPath, appWhat);
    }
    for (const name of Object.keys(app.secrets ?? {})) {
      const id = logicalIds.secret(appKey, name);
      const what = `secret ${quoted(name)} of app ${quoted(appKey)}`;
      add(`var.${id}`, `${appPath}.secrets.${name}`, what);
      add(`fly_secret.${id}`, `${appPath}.secrets.${name}`, what);
    }
    for (const [groupKey, group] of Object.entries(app.groups)) {
      const path = `${appPath}.groups.${groupKey}`;
      const what = `group ${quoted(groupKey)} of app ${quoted(appKey)}`;
      if (group.release) add(`null_resource.${logicalIds.release(appKey, groupKey)}`, path, what);
      if (group.deploy?.strategy === "bluegreen") {
        add(`terraform_data.${logicalIds.generation(appKey, groupKey)}`, path, what);
        add(`terraform_data.${logicalIds.cutover(appKey, groupKey)}`, path, what);
      }
      if (group.deploy?.canary) add(`null_resource.${logicalIds.canaryGate(appKey, groupKey)}`, path, what);
      for (const region of group.regions) {
        for (let index = 1; index <= (group.count ?? 1); index++) {
          if (group.volume) add(`fly_volume.${logicalIds.volume(appKey, groupKey, region, index)}`, path, what);
          add(`fly_machine.${logicalIds.machine(appKey, groupKey, region, index)}`, path, what);
        }
      }
    }
    (app.domains ?? []).forEach((hostname, i) => {
      const path = `${appPath}.domains[${i}]`;
      const what = `hostname ${quoted(hostname)}`;
      add(`fly_cert.${logicalIds.cert(appKey, hostname)}`, path, what);
      for (const purpose of DNS_RECORD_PURPOSES[hostnameKind(hostname, env.dns.zone)]) {
        add(`cloudflare_dns_record.${logicalIds.dnsRecord(appKey, hostname, purpose)}`, path, what);
      }
      add(`fly_cert_validation.${logicalIds.cert(appKey, hostname)}`, path, what);
    });
    add(`output.${logicalIds.output(appKey, "hostnames")}`, appPath, appWhat);
    add(`output.${logicalIds.output(appKey, "ip_addresses")}`, appPath, appWhat);
    if ((app.domains ?? []).length > 0) add(`output.${logicalIds.output(appKey, "certificate_status")}`, appPath, appWhat);
  }
  return out;
}
