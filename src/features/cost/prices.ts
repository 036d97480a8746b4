/**
 * The price list the estimator reads: `prices.json`, checked once when loaded. The file is edited by
 * hand when Fly changes its prices, so a typo (a missing region source, a negative price, a string
 * where a number belongs) must fail loudly here rather than turn into a wrong estimate.
 */
import { isObject, type JsonObject } from "../../util/json-object";
import raw from "./prices.json";

export type CpuKindPrice = "shared" | "performance";

export interface RegionMultiplierSource {
  readonly regions: readonly string[];
  readonly source: string;
  readonly note?: string;
}

export interface Prices {
  /** When the prices were read, e.g. "2026-08". */
  readonly date: string;
  readonly source: string;
  readonly currency: string;
  /** A month is 30 days. Informational: every price below is already per month. */
  readonly hoursPerMonth: number;
  readonly machines: {
    readonly cpuPerMonth: Readonly<Record<CpuKindPrice, number>>;
    readonly ramPerGbMonth: number;
    readonly mbPerGb: number;
    /** Only regions with a sourced multiplier; a region missing here is an error, never 1.0. */
    readonly regionMultipliers: Readonly<Record<string, number>>;
    readonly regionMultiplierSources: readonly RegionMultiplierSource[];
    /** Region → why it has no multiplier. */
    readonly regionsWithoutMultiplier: Readonly<Record<string, string>>;
  };
  readonly volumes: { readonly perProvisionedGbMonth: number };
  readonly volumeSnapshots: { readonly perGbMonth: number; readonly freeGbPerOrganizationMonth: number; readonly why: string };
  readonly stoppedMachineRootfs: { readonly perGbMonth: number; readonly why: string };
  /** fly_ip `type` → price per month. A type missing here is an error. */
  readonly ips: { readonly perMonthByType: Readonly<Record<string, number>> };
  readonly certificates: {
    readonly perHostnameMonth: number;
    readonly freeHostnamesPerOrganization: number;
    readonly wildcardPerMonth: number;
    readonly wildcardsUseFreeAllowance: boolean;
  };
}

export class PriceFileError extends Error {
  constructor(message: string) {
    super(`invalid price file: ${message}`);
    this.name = "PriceFileError";
  }
}

type Json = JsonObject;

function object(value: unknown, path: string): Json {
  if (!isObject(value)) throw new PriceFileError(`${path} must be an object`);
  return value;
}

function text(value: unknown, path: string): string {
  if (typeof value !== "string" || value.trim() === "") throw new PriceFileError(`${path} must be a non-empty string`);
  return value;
}

function price(value: unknown, path: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new PriceFileError(`${path} must be a number of at least 0, got ${JSON.stringify(value)}`);
  }
  return value;
}

function positive(value: unknown, path: string): number {
  const n = price(value, path);
  if (n === 0) throw new PriceFileError(`${path} must be greater than 0`);
  return n;
}

function numberMap(value: unknown, path: string, check: (v: unknown, p: string) => number): Record<string, number> {
  const entries = Object.entries(object(value, path)).map(([key, v]) => [key, check(v, `${path}.${key}`)] as const);
  return Object.fromEntries(entries);
}

function sources(value: unknown, multipliers: Readonly<Record<string, number>>): RegionMultiplierSource[] {
  const path = "machines.regionMultiplierSources";
  if (!Array.isArray(value)) throw new PriceFileError(`${path} must be an array`);
  const list = value.map((entry: unknown, i): RegionMultiplierSource => {
    const o = object(entry, `${path}[${i}]`);
    if (!Array.isArray(o.regions)) throw new PriceFileError(`${path}[${i}].regions must be an array`);
    return {
      regions: o.regions.map((r: unknown, j) => text(r, `${path}[${i}].regions[${j}]`)),
      source: text(o.source, `${path}[${i}].source`),
      note: o.note === undefined ? undefined : text(o.note, `${path}[${i}].note`),
    };
  });
  // Every multiplier names where it came from, exactly once: a number without a source is invented.
  const seen = new Map<string, number>();
  for (const region of list.flatMap((s) => s.regions)) seen.set(region, (seen.get(region) ?? 0) + 1);
  for (const region of Object.keys(multipliers)) {
    if (seen.get(region) !== 1) throw new PriceFileError(`region "${region}" must be listed in exactly one of ${path}`);
  }
  for (const region of seen.keys()) {
    if (!(region in multipliers)) throw new PriceFileError(`${path} lists "${region}", which has no multiplier`);
  }
  return list;
}

/** Checks an untrusted price list (normally prices.json) and returns it typed. */
export function parsePrices(value: unknown): Prices {
  const root = object(value, "the file");
  const machines = object(root.machines, "machines");
  const cpu = object(machines.cpuPerMonth, "machines.cpuPerMonth");
  const regionMultipliers = numberMap(machines.regionMultipliers, "machines.regionMultipliers", positive);
  const without = object(machines.regionsWithoutMultiplier ?? {}, "machines.regionsWithoutMultiplier");
  const regionsWithoutMultiplier = Object.fromEntries(
    Object.entries(without).map(([region, why]) => [region, text(why, `machines.regionsWithoutMultiplier.${region}`)]),
  );
  const snapshots = object(root.volumeSnapshots, "volumeSnapshots");
  const rootfs = object(root.stoppedMachineRootfs, "stoppedMachineRootfs");
  const certificates = object(root.certificates, "certificates");
  if (typeof certificates.wildcardsUseFreeAllowance !== "boolean") {
    throw new PriceFileError("certificates.wildcardsUseFreeAllowance must be true or false");
  }
  const freeHostnames = price(certificates.freeHostnamesPerOrganization, "certificates.freeHostnamesPerOrganization");
  if (!Number.isInteger(freeHostnames)) throw new PriceFileError("certificates.freeHostnamesPerOrganization must be an integer");

  return {
    date: text(root.date, "date"),
    source: text(root.source, "source"),
    currency: text(root.currency, "currency"),
    hoursPerMonth: positive(root.hoursPerMonth, "hoursPerMonth"),
    machines: {
      cpuPerMonth: {
        shared: price(cpu.shared, "machines.cpuPerMonth.shared"),
        performance: price(cpu.performance, "machines.cpuPerMonth.performance"),
      },
      ramPerGbMonth: price(machines.ramPerGbMonth, "machines.ramPerGbMonth"),
      mbPerGb: positive(machines.mbPerGb, "machines.mbPerGb"),
      regionMultipliers,
      regionMultiplierSources: sources(machines.regionMultiplierSources, regionMultipliers),
      regionsWithoutMultiplier,
    },
    volumes: { perProvisionedGbMonth: price(object(root.volumes, "volumes").perProvisionedGbMonth, "volumes.perProvisionedGbMonth") },
    volumeSnapshots: {
      perGbMonth: price(snapshots.perGbMonth, "volumeSnapshots.perGbMonth"),
      freeGbPerOrganizationMonth: price(snapshots.freeGbPerOrganizationMonth, "volumeSnapshots.freeGbPerOrganizationMonth"),
      why: text(snapshots.why, "volumeSnapshots.why"),
    },
    stoppedMachineRootfs: {
      perGbMonth: price(rootfs.perGbMonth, "stoppedMachineRootfs.perGbMonth"),
      why: text(rootfs.why, "stoppedMachineRootfs.why"),
    },
    ips: { perMonthByType: numberMap(object(root.ips, "ips").perMonthByType, "ips.perMonthByType", price) },
    certificates: {
      perHostnameMonth: price(certificates.perHostnameMonth, "certificates.perHostnameMonth"),
      freeHostnamesPerOrganization: freeHostnames,
      wildcardPerMonth: price(certificates.wildcardPerMonth, "certificates.wildcardPerMonth"),
      wildcardsUseFreeAllowance: certificates.wildcardsUseFreeAllowance,
    },
  };
}

/** The shipped price list, `src/features/cost/prices.json`. */
export const DEFAULT_PRICES: Prices = parsePrices(raw);
