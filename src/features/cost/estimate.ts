/**
 * Estimates what one environment costs per month on Fly.io, from its synthesized `cdk.tf.json`.
 *
 * Priced (one item per resource): fly_machine (CPU and RAM by region; 0 at the minimum when every
 * service auto-stops), fly_volume (provisioned size), fly_ip (dedicated IPv4; the rest free) and
 * fly_cert (per organization, see certificates.ts). fly_app, fly_secret and fly_cert_validation
 * cost nothing and make no item. Another fly_* type is listed as not estimated rather than priced
 * at 0, and resources of other providers (Cloudflare, null) are not billed by Fly.
 *
 * Usage-based charges (volume snapshots beyond 10 GB, root filesystems of stopped machines) are
 * listed in `notEstimated`, never given a number.
 */
import { priceCertificates, type CertificateInput } from "./certificates";
import { CostEstimateError } from "./errors";
import { priceMachine } from "./machine";
import { formatMoney } from "./money";
import { DEFAULT_PRICES, type Prices } from "./prices";
import { appKeyOf, instanceCount, isObject, literalNumber, literalString, orgOf, readStack, type StackResource, type StackView } from "./stack-json";
import type { AppCost, CostItem, EnvironmentCost, NotEstimated } from "./types";

/** Fly resources that are free by nature: they get no item. */
const FREE_TYPES: ReadonlySet<string> = new Set(["fly_app", "fly_secret", "fly_cert_validation"]);
const NO_APP = "(no app)";

interface Collected {
  readonly items: CostItem[];
  readonly notEstimated: NotEstimated[];
  /** Blue-green machines: they run twice while a deploy lasts. */
  blueGreen?: { machines: number; monthly_max: number };
}

function rate(amount: number, unit: string): string {
  return `${formatMoney(amount)}/${unit}`;
}

function item(resource: StackResource, stack: StackView, monthly: number, monthlyMax: number, note: string): CostItem {
  const app = appKeyOf(resource.body.app, stack.apps);
  return { address: resource.address, type: resource.type, ...(app === undefined ? {} : { app }), monthly, monthly_max: monthlyMax, note };
}

function times(count: number, note: string): string {
  return count === 1 ? note : `${count} instances (count); each ${note}`;
}

function addMachine(resource: StackResource, stack: StackView, prices: Prices, where: string, out: Collected): void {
  const count = instanceCount(resource, where);
  const price = priceMachine(resource, prices, where);
  const blueGreen = isObject(resource.body.lifecycle) && resource.body.lifecycle.create_before_destroy === true;
  const note = blueGreen ? `${times(count, price.note)}; blue-green: twice while a deploy runs` : times(count, price.note);
  out.items.push(item(resource, stack, price.canStop ? 0 : price.full * count, price.full * count, note));
  if (blueGreen) out.blueGreen = { machines: (out.blueGreen?.machines ?? 0) + count, monthly_max: (out.blueGreen?.monthly_max ?? 0) + price.full * count };
  if (price.canStop) {
    out.notEstimated.push({
      address: resource.address,
      charge: "root filesystem while the machine is stopped or suspended",
      rate: rate(prices.stoppedMachineRootfs.perGbMonth, "GB-month of used rootfs"),
    });
  }
}

function addVolume(resource: StackResource, stack: StackView, prices: Prices, where: string, out: Collected): void {
  const count = instanceCount(resource, where);
  const sizeGb = literalNumber(resource.body.size_gb, where, "size_gb");
  if (sizeGb < 0) throw new CostEstimateError(`${where}: size_gb must not be negative, got ${sizeGb}`);
  const monthly = sizeGb * prices.volumes.perProvisionedGbMonth * count;
  out.items.push(item(resource, stack, monthly, monthly, times(count, `${sizeGb} GB provisioned`)));
  // Fly takes daily snapshots unless auto_backup_enabled is false.
  if (resource.body.auto_backup_enabled !== false) {
    out.notEstimated.push({
      address: resource.address,
      charge: `volume snapshots beyond the first ${prices.volumeSnapshots.freeGbPerOrganizationMonth} GB per organization`,
      rate: rate(prices.volumeSnapshots.perGbMonth, "GB-month stored"),
    });
  }
}

function addIp(resource: StackResource, stack: StackView, prices: Prices, where: string, out: Collected): void {
  const count = instanceCount(resource, where);
  const type = literalString(resource.body.type, where, "type");
  const byType = prices.ips.perMonthByType;
  if (!Object.prototype.hasOwnProperty.call(byType, type)) {
    throw new CostEstimateError(`${where}: no price is known for IP type "${type}"; priced types: ${Object.keys(byType).sort().join(", ")}`);
  }
  const monthly = byType[type] * count;
  const label = type === "public_v4" ? "dedicated IPv4" : type === "private_v6" ? "Flycast (private IPv6)" : type === "shared_v4" ? "shared IPv4" : type === "public_v6" ? "Anycast IPv6" : type;
  out.items.push(item(resource, stack, monthly, monthly, times(count, byType[type] === 0 ? `${label}: free` : label)));
}

/**
 * Estimates one environment's monthly cost from its synthesized stack JSON (`cdk.tf.json`), read
 * defensively: anything that cannot be priced exactly (an unknown region, a Terraform expression
 * where a size belongs, an unknown IP type) throws a CostEstimateError naming the resource.
 */
export function estimateEnvironment(name: string, stackJson: unknown, prices: Prices = DEFAULT_PRICES): EnvironmentCost {
  const stack = readStack(stackJson, name);
  const out: Collected = { items: [], notEstimated: [] };
  const certificates: CertificateInput[] = [];

  for (const resource of stack.resources) {
    const where = `${name}: ${resource.address}`;
    switch (resource.type) {
      case "fly_machine":
        addMachine(resource, stack, prices, where, out);
        break;
      case "fly_volume":
        addVolume(resource, stack, prices, where, out);
        break;
      case "fly_ip":
        addIp(resource, stack, prices, where, out);
        break;
      case "fly_cert":
        if (instanceCount(resource, where) !== 1) throw new CostEstimateError(`${where}: a certificate with count cannot be priced (its hostname varies)`);
        certificates.push({ resource, org: orgOf(resource, stack), where });
        break;
      default:
        if (resource.type.startsWith("fly_") && !FREE_TYPES.has(resource.type)) {
          out.notEstimated.push({ address: resource.address, charge: `${resource.type}: no price is known for this resource type`, rate: "unknown" });
        }
    }
  }
  const certificatePrices = priceCertificates(certificates, prices);
  for (const { resource } of certificates) {
    const price = certificatePrices.get(resource.address);
    if (price !== undefined) out.items.push(item(resource, stack, price.monthly, price.monthly, price.note));
  }

  const items = [...out.items].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  return {
    name,
    currency: prices.currency,
    monthly: sum(items.map((i) => i.monthly)),
    monthly_max: sum(items.map((i) => i.monthly_max)),
    items,
    apps: appSubtotals(items),
    notEstimated: out.notEstimated,
    ...(out.blueGreen ? { blueGreen: out.blueGreen } : {}),
    prices: { date: prices.date, source: prices.source },
  };
}

function sum(amounts: readonly number[]): number {
  return amounts.reduce((total, amount) => total + amount, 0);
}

function appSubtotals(items: readonly CostItem[]): AppCost[] {
  const byApp = new Map<string, { monthly: number; monthly_max: number }>();
  for (const i of items) {
    const key = i.app ?? NO_APP;
    const total = byApp.get(key) ?? { monthly: 0, monthly_max: 0 };
    byApp.set(key, { monthly: total.monthly + i.monthly, monthly_max: total.monthly_max + i.monthly_max });
  }
  return [...byApp.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([app, total]) => ({ app, ...total }));
}
