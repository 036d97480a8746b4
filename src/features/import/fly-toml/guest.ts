/**
 * `[[vm]]` as a group's guest: the `[[vm]]` naming the group, else one naming no process (which
 * applies to every group), else Fly's default size. As flyctl applies them: the `size` preset, then
 * `memory`, then the explicit `cpu_kind`, `cpus` and `memory_mb` (which wins over `memory`). Pure.
 */
import type { GuestConfig } from "../../../config/types";
import { CPU_KINDS, type CpuKind } from "../../../fly/guest";
import type { Ledger } from "./ledger";
import type { FlyToml, Table } from "./parse";
import { cpuCountOffered, DEFAULT_GUEST, defaultMemory, GPU_PRESETS, memoryMb, roundMemoryUp, VM_PRESETS } from "./vm-size";
import { wholeNumber } from "./values";

/** Which `[[vm]]` entry sizes `group`: its own, else one without processes; -1 for none. */
export function vmIndexFor(toml: FlyToml, group: string): number {
  const vms = toml.vm ?? [];
  const own = vms.findIndex((vm) => Array.isArray(vm.processes) && (vm.processes as unknown[]).includes(group));
  return own !== -1 ? own : vms.findIndex((vm) => vm.processes === undefined || (Array.isArray(vm.processes) && vm.processes.length === 0));
}

/** A `[[vm]]`-shaped table (also `[deploy] release_command_vm`) as a guest; undefined (and a problem) when flystack cannot run it. */
export function guestOfVm(vm: Table, path: string, ledger: Ledger): GuestConfig | undefined {
  const size = vm.size === undefined ? undefined : String(vm.size);
  if (vm.gpus !== undefined || vm.gpu_kind !== undefined || (size !== undefined && GPU_PRESETS.includes(size))) {
    ledger.problem(size !== undefined && GPU_PRESETS.includes(size) ? `${path}.size` : `${path}.gpu_kind`, "flystack's guests have no GPUs (provider ampbase-io/fly 0.2 cannot ask for one)", "keep this app on fly deploy, or remove the GPU");
    return undefined;
  }
  let base: GuestConfig | undefined;
  if (size !== undefined) {
    base = VM_PRESETS[size];
    if (base === undefined) {
      ledger.problem(`${path}.size`, `${JSON.stringify(vm.size)} is not a Fly size preset`, `use one of ${Object.keys(VM_PRESETS).join(", ")}, or set cpu_kind, cpus and memory`);
      return undefined;
    }
    ledger.carry(`${path}.size`, "guest (the preset's kind, CPUs and memory)");
  }
  const kind = (vm.cpu_kind ?? base?.cpuKind ?? DEFAULT_GUEST.cpuKind) as CpuKind;
  if (!CPU_KINDS.includes(kind)) {
    ledger.problem(`${path}.cpu_kind`, `${JSON.stringify(vm.cpu_kind)} is not a CPU kind`, 'use "shared" or "performance"');
    return undefined;
  }
  if (vm.cpu_kind !== undefined) ledger.carry(`${path}.cpu_kind`, "guest.cpuKind");
  const cpus = vm.cpus === undefined ? (base?.cpus ?? 1) : wholeNumber(vm.cpus, `${path}.cpus`, ledger, "a CPU count");
  if (cpus === undefined) return undefined;
  if (!cpuCountOffered(kind, cpus)) {
    ledger.problem(`${path}.cpus`, `${cpus} CPUs is not offered for ${kind} machines`, "use a CPU count Fly offers (see src/fly/guest.ts)");
    return undefined;
  }
  if (vm.cpus !== undefined) ledger.carry(`${path}.cpus`, "guest.cpus");
  // flyctl applies `memory` first and the explicit `memory_mb` after it: memory_mb wins.
  const memoryKey = vm.memory_mb !== undefined ? "memory_mb" : vm.memory !== undefined ? "memory" : undefined;
  if (vm.memory_mb !== undefined && vm.memory !== undefined) ledger.note(`${path}.memory`, `memory_mb (${JSON.stringify(vm.memory_mb)}) is set too, and flyctl takes memory_mb`, "remove one of the two");
  let memory = base !== undefined && base.cpuKind === kind && base.cpus === cpus ? base.memoryMb : defaultMemory(kind, cpus);
  if (memoryKey !== undefined) {
    const mb = memoryKey === "memory_mb" ? (typeof vm.memory_mb === "number" ? vm.memory_mb : undefined) : memoryMb(vm.memory);
    if (mb === undefined) {
      ledger.problem(`${path}.${memoryKey}`, `${JSON.stringify(vm[memoryKey])} is not a memory size${memoryKey === "memory_mb" ? " (memory_mb takes a number of megabytes)" : ""}`, memoryKey === "memory_mb" ? "write memory_mb = 512, or memory = \"512mb\"" : 'write it as "512mb", "1gb" or megabytes');
      return undefined;
    }
    memory = mb;
  }
  const rounded = roundMemoryUp(kind, cpus, memory);
  if (rounded === undefined) {
    ledger.problem(`${path}.${memoryKey ?? "size"}`, `${memory} MB is more than ${kind}-cpu-${cpus}x machines take`, "use more CPUs, or less memory");
    return undefined;
  }
  if (memoryKey !== undefined) {
    if (rounded !== memory) ledger.note(`${path}.${memoryKey}`, `${memory} MB is not a size Fly accepts for ${kind}-cpu-${cpus}x; rounded up to ${rounded} MB`, "review memoryMb");
    else ledger.carry(`${path}.${memoryKey}`, "guest.memoryMb");
  }
  for (const key of ["kernel_args", "host_dedication_id"]) if (vm[key] !== undefined) ledger.note(`${path}.${key}`, "provider ampbase-io/fly 0.2 has no such guest setting", "remove it, or keep this app on fly deploy");
  if (vm.persist_rootfs !== undefined) {
    if (vm.persist_rootfs === "never") ledger.carry(`${path}.persist_rootfs`, "(never: Fly's default)");
    else ledger.note(`${path}.persist_rootfs`, "provider ampbase-io/fly 0.2 cannot keep a machine's root filesystem", "keep state on the group's volume");
  }
  return { cpuKind: kind, cpus, memoryMb: rounded };
}

/** The group's guest; Fly's default (shared-cpu-1x) when no `[[vm]]` applies. */
export function guestOf(toml: FlyToml, group: string, ledger: Ledger): GuestConfig | undefined {
  const index = vmIndexFor(toml, group);
  return index === -1 ? DEFAULT_GUEST : guestOfVm(toml.vm![index], `vm[${index}]`, ledger);
}
