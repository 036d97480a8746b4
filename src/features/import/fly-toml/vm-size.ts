/**
 * fly.toml's `[[vm]]` as a flystack guest: Fly's size presets (`size = "performance-2x"`), with
 * `cpu_kind`, `cpus` and `memory` overriding them the way fly deploy applies them. Sizes come from
 * Fly's machine-sizing guide and pricing page: a shared CPU comes with 256 MB, a performance CPU
 * with 2 GB, and memory must be a multiple of the kind's step.
 */
import { CPU_COUNTS, type CpuKind, memoryRange } from "../../../fly/guest";
import type { GuestConfig } from "../../../config/types";

/** CPU-only presets; GPU presets (a10, l40s, a100-40gb, a100-80gb) have no flystack guest. */
export const VM_PRESETS: Readonly<Record<string, GuestConfig>> = {
  "shared-cpu-1x": { cpuKind: "shared", cpus: 1, memoryMb: 256 },
  "shared-cpu-2x": { cpuKind: "shared", cpus: 2, memoryMb: 512 },
  "shared-cpu-4x": { cpuKind: "shared", cpus: 4, memoryMb: 1024 },
  "shared-cpu-8x": { cpuKind: "shared", cpus: 8, memoryMb: 2048 },
  "performance-1x": { cpuKind: "performance", cpus: 1, memoryMb: 2048 },
  "performance-2x": { cpuKind: "performance", cpus: 2, memoryMb: 4096 },
  "performance-4x": { cpuKind: "performance", cpus: 4, memoryMb: 8192 },
  "performance-8x": { cpuKind: "performance", cpus: 8, memoryMb: 16384 },
  "performance-16x": { cpuKind: "performance", cpus: 16, memoryMb: 32768 },
};

export const GPU_PRESETS = ["a10", "l40s", "a100-40gb", "a100-80gb"];

/** Fly's default when fly.toml sets no size. */
export const DEFAULT_GUEST: GuestConfig = VM_PRESETS["shared-cpu-1x"];

/** `"1gb"`, `"512mb"`, `"2048"` or `1024` (megabytes) as megabytes; undefined when unreadable. */
export function memoryMb(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isInteger(value) && value > 0 ? value : undefined;
  if (typeof value !== "string") return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(gb|g|mb|m)?\s*$/i.exec(value);
  if (!match) return undefined;
  const amount = Number(match[1]) * (/^g/i.test(match[2] ?? "") ? 1024 : 1);
  return Number.isInteger(amount) && amount > 0 ? amount : undefined;
}

/**
 * The smallest memory Fly accepts for the kind and CPU count that is at least `mb`, or undefined
 * when `mb` is above the largest. Rounding up keeps at least the memory the app had.
 */
export function roundMemoryUp(kind: CpuKind, cpus: number, mb: number): number | undefined {
  const range = memoryRange(kind, cpus);
  const rounded = Math.max(range.minMb, Math.ceil(mb / range.stepMb) * range.stepMb);
  return rounded <= range.maxMb ? rounded : undefined;
}

export function cpuCountOffered(kind: CpuKind, cpus: number): boolean {
  return CPU_COUNTS[kind].includes(cpus);
}

/** A preset's default memory for a kind and CPU count set without one (Fly's per-CPU minimum). */
export function defaultMemory(kind: CpuKind, cpus: number): number {
  return memoryRange(kind, cpus).minMb;
}
