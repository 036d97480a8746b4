/**
 * The price of one fly_machine: its guest (CPU kind, CPU count, memory) in its region, and whether
 * it can be stopped by Fly's proxy (then its minimum is 0).
 */
import { CostEstimateError, UnknownRegionError } from "./errors";
import type { Prices } from "./prices";
import { blocks, isObject, literalNumber, literalString, type StackResource } from "./stack-json";

export interface MachinePrice {
  /** Running all month. */
  readonly full: number;
  /** True when the machine may spend the month stopped or suspended, costing no CPU or RAM. */
  readonly canStop: boolean;
  /** e.g. `shared-cpu-1x 512 MB in iad; auto-stops (autostop "stop")` */
  readonly note: string;
}

const AUTOSTOP_VALUES = ["off", "stop", "suspend"] as const;
type Autostop = (typeof AUTOSTOP_VALUES)[number];

function autostopOf(service: Readonly<Record<string, unknown>>, where: string, index: number): Autostop {
  const value = service.autostop;
  // The Machines API leaves autostop off when a service does not set it.
  if (value === undefined || value === null) return "off";
  const found = AUTOSTOP_VALUES.find((v) => v === value);
  if (found === undefined) {
    throw new CostEstimateError(`${where}: service[${index}].autostop must be one of ${AUTOSTOP_VALUES.join(", ")}, got ${JSON.stringify(value)}`);
  }
  return found;
}

/** Looks the region up in the price list; a region without a multiplier is an error, never 1.0. */
export function regionMultiplier(prices: Prices, region: string, where: string): number {
  const multiplier = prices.machines.regionMultipliers[region];
  if (multiplier === undefined || !Object.prototype.hasOwnProperty.call(prices.machines.regionMultipliers, region)) {
    throw new UnknownRegionError(where, region, Object.keys(prices.machines.regionMultipliers), prices.machines.regionsWithoutMultiplier[region]);
  }
  return multiplier;
}

function sizeName(kind: string, cpus: number, memoryMb: number): string {
  const memory = memoryMb % 1024 === 0 ? `${memoryMb / 1024} GB` : `${memoryMb} MB`;
  return `${kind === "performance" ? "performance" : `${kind}-cpu`}-${cpus}x ${memory}`;
}

export function priceMachine(machine: StackResource, prices: Prices, where: string): MachinePrice {
  const guest = machine.body.guest;
  if (!isObject(guest)) {
    throw new CostEstimateError(`${where}: guest (cpu_kind, cpus, memory_mb) is required to price a machine, got ${JSON.stringify(guest ?? null)}`);
  }
  const kind = literalString(guest.cpu_kind, where, "guest.cpu_kind");
  if (kind !== "shared" && kind !== "performance") {
    throw new CostEstimateError(`${where}: guest.cpu_kind must be "shared" or "performance", got ${JSON.stringify(kind)}`);
  }
  const cpus = literalNumber(guest.cpus, where, "guest.cpus");
  const memoryMb = literalNumber(guest.memory_mb, where, "guest.memory_mb");
  if (cpus <= 0 || memoryMb <= 0) throw new CostEstimateError(`${where}: guest.cpus and guest.memory_mb must be positive, got ${cpus} and ${memoryMb}`);
  const region = literalString(machine.body.region, where, "region");

  const { cpuPerMonth, ramPerGbMonth, mbPerGb } = prices.machines;
  // Fly's formula: CPU plus RAM, both scaled by the region's markup.
  const full = (cpus * cpuPerMonth[kind] + (memoryMb / mbPerGb) * ramPerGbMonth) * regionMultiplier(prices, region, where);

  const services = blocks(machine.body.service, where, "service");
  const autostops = services.map((service, i) => autostopOf(service, where, i));
  const autoStops = autostops.length > 0 && autostops.every((a) => a !== "off");
  // desired_state "stopped" parks the machine: it costs nothing until someone starts it.
  const parked = machine.body.desired_state === "stopped";
  const size = `${sizeName(kind, cpus, memoryMb)} in ${region}`;
  const why = autoStops
    ? `auto-stops (autostop ${[...new Set(autostops)].map((a) => `"${a}"`).join(", ")}): $0 while stopped`
    : parked
      ? `desired_state "stopped": $0 until started`
      : services.length === 0
        ? "no services, so Fly's proxy never stops it: always on"
        : `autostop "off": always on`;
  return { full, canStop: autoStops || parked, note: `${size}; ${why}` };
}
