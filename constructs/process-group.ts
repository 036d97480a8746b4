import { Construct } from "constructs";
import { DataResource, type ITerraformDependable } from "cdktf";
import { Machine, type MachineCheck, type MachineContainer, type MachineFile, type MachineService } from "../.gen/providers/fly/machine";
import type { AdoptedResource, CheckConfig, FileConfig, ProcessGroupConfig, ServiceConfig } from "../src/config/types";
import { adoptSlot } from "../src/config/adoption";
import { logicalIds, machineName, volumeName } from "../src/fly/naming";
import { memoryProblem } from "../src/fly/guest";
import { terraformLiteral as literal, terraformLiteralMap } from "../src/util/terraform-literal";
import { MachineVolume } from "./machine-volume";
import { ReleaseHook } from "./release-hook";
import { suppress } from "../policies/suppressions";
import type { ContainerExtras } from "../src/config/monitoring";
import { deployGeneration, generationName } from "../src/config/deploy-generation";
import { CanaryGate } from "./canary-gate";

/** Metadata keys this project stamps on every machine it manages. */
export const MANAGED_METADATA = {
  managedBy: "flystack_managed_by",
  environment: "flystack_environment",
  group: "flystack_group",
} as const;

export interface ProcessGroupProps extends ProcessGroupConfig {
  /** Fly app name (a reference to the app resource). */
  readonly appName: string;
  /** The app's key in the environment config; names logical IDs. */
  readonly appKey: string;
  /** The group's name (`web`, `worker`, …): Fly's process group and part of every logical ID. */
  readonly groupName: string;
  /** Environment name, stamped in machine metadata. */
  readonly environment: string;
  /** Secrets version machines must start with, so a rotation restarts them. @default none */
  readonly minSecretsVersion?: number;
  /** Names of the app's secrets: a group with a `command` runs in a container, which must name them. @default none */
  readonly secretNames?: readonly string[];
  /** What the release command needs in place first (the app's secrets). @default nothing */
  readonly releaseDependsOn?: readonly ITerraformDependable[];
  /** Volumes get `prevent_destroy`. @default false */
  readonly protected?: boolean;
  /** Existing machines and volumes to import, by slot (`web-iad-1`). @default none: all created */
  readonly adopted?: ProcessGroupAdoption;
  /**
   * Files, entrypoint and secret names of the group's container, for groups flystack composes
   * itself (the monitoring app). Only with `command`: the provider's files and entrypoint are a container's.
   * @default none: the container gets every app secret under its own name
   */
  readonly container?: ContainerExtras;
  /** The Fly organization, whose Prometheus a canary gate reads. Needed with `deploy.canary`. @default none */
  readonly org?: string;
}

/** What a group takes over from Fly (see AdoptConfig in src/config/types.ts). */
export interface ProcessGroupAdoption {
  /** The Fly app's name as a plain string: import IDs must not depend on another resource. */
  readonly flyAppName: string;
  readonly machines: Readonly<Record<string, AdoptedResource>>;
  readonly volumes: Readonly<Record<string, AdoptedResource>>;
  /**
   * Leave the adopted machines' config as Fly runs it (`ignore_changes = all`): true while the app's
   * config is unchanged since the import, so the first plan imports without updating any machine.
   */
  readonly keepLiveConfig: boolean;
}

export interface GroupMachine {
  readonly region: string;
  /** 1-based index within the region. */
  readonly index: number;
  readonly machine: Machine;
  readonly volume?: MachineVolume;
}

const DEFAULT_INTERVAL = "15s";
const DEFAULT_TIMEOUT = "5s";

/**
 * A process group: `count` machines in each region running one image, with their services,
 * checks, volumes and release hook.
 *
 * Deploy order is decided here, at synthesis time. With `rolling` (the default) each machine
 * depends on the one before it, primary region first, so Terraform replaces or updates one
 * machine at a time and the provider waits for its checks before moving on; the first machine
 * is the canary; with `deploy.canary` a gate (CanaryGate) holds the roll after it and judges it by
 * its metrics. With `immediate` they all change at once. With `bluegreen` every change makes a new
 * set of machines under new names (the generation, a hash of what they are made from), created
 * beside the old set (`create_before_destroy`); the old set is destroyed only after the cutover,
 * which depends on every new machine, so only once all of them started and passed their checks.
 * The release hook, when set, runs before the first machine changes.
 */
export class ProcessGroup extends Construct {
  public readonly machines: readonly GroupMachine[];
  public readonly releaseHook?: ReleaseHook;
  public readonly strategy: "rolling" | "immediate" | "bluegreen";
  public readonly primaryRegion: string;
  /** Hash of what the group's machines are made from: a blue-green set's name suffix, a canary gate's trigger. */
  public readonly generation: string;
  /** The canary gate, with `deploy.canary`. */
  public readonly canaryGate?: CanaryGate;
  /** A blue-green group's generation and cutover resources. */
  public readonly blueGreen?: { readonly generation: DataResource; readonly cutover: DataResource };

  constructor(scope: Construct, id: string, props: ProcessGroupProps) {
    super(scope, id);
    suppress(this, props.suppressions ?? []);
    const count = props.count ?? 1;
    if (!Number.isInteger(count) || count < 1) {
      throw new Error(`ProcessGroup ${props.groupName}: count is ${count}; it must be a whole number of at least 1`);
    }
    if (props.regions.length === 0) throw new Error(`ProcessGroup ${props.groupName}: regions is empty; list at least one Fly region`);
    const memory = memoryProblem(props.guest.cpuKind, props.guest.cpus, props.guest.memoryMb);
    if (memory) throw new Error(`ProcessGroup ${props.groupName}: ${memory}`);
    if (props.container && props.command === undefined) {
      throw new Error(`ProcessGroup ${props.groupName}: container files, entrypoint and secrets need a command (they belong to the provider's container block)`);
    }

    this.strategy = props.deploy?.strategy ?? "rolling";
    this.primaryRegion = props.regions[0];
    if (this.strategy === "bluegreen" && props.volume) {
      throw new Error(`ProcessGroup ${props.groupName}: strategy "bluegreen" needs a group without a volume (a volume attaches to one machine); use "rolling"`);
    }
    if (props.deploy?.canary && this.strategy !== "rolling") throw new Error(`ProcessGroup ${props.groupName}: deploy.canary needs strategy "rolling", not "${this.strategy}"`);
    if (props.deploy?.canary && props.org === undefined) throw new Error(`ProcessGroup ${props.groupName}: deploy.canary needs org (the Fly organization whose Prometheus holds the app's series)`);
    // Everything the machines are made from (not where they run): a new value is a new release.
    this.generation = deployGeneration({
      image: props.image, command: props.command, env: props.env, files: props.files, guest: props.guest, services: props.services, checks: props.checks,
      restart: props.restart, metrics: props.metrics, minSecretsVersion: props.minSecretsVersion, secretNames: props.secretNames, container: props.container,
    });
    if (this.strategy === "bluegreen") {
      const generation = new DataResource(this, "generation", { input: { generation: this.generation } });
      generation.overrideLogicalId(logicalIds.generation(props.appKey, props.groupName));
      // Created once every machine of the new set exists (and passed its checks); Terraform destroys
      // the old set (the deposed objects of create_before_destroy) only after it.
      const cutover = new DataResource(this, "cutover", { input: { generation: this.generation } });
      cutover.overrideLogicalId(logicalIds.cutover(props.appKey, props.groupName));
      this.blueGreen = { generation, cutover };
    }

    if (props.release) {
      this.releaseHook = new ReleaseHook(this, "release", {
        appName: props.appName,
        image: props.image,
        command: props.release.command,
        region: this.primaryRegion,
        env: props.env,
        guest: props.release.guest ?? props.guest,
        logicalId: logicalIds.release(props.appKey, props.groupName),
        dependsOn: props.releaseDependsOn,
      });
    }

    const machines: GroupMachine[] = [];
    let previous: ITerraformDependable | undefined;
    for (const region of props.regions) {
      for (let index = 1; index <= count; index++) {
        const slot = adoptSlot(props.groupName, region, index);
        const adoptedMachine = props.adopted?.machines[slot];
        const adoptedVolume = props.adopted?.volumes[slot];
        // An adopted volume is mounted by id, not managed: the provider's import would replace it
        // (require_unique_zone has a default, forces replacement, and an import leaves it null).
        const volume = props.volume && !adoptedVolume
          ? new MachineVolume(this, `volume-${region}-${index}`, {
              appName: props.appName,
              name: volumeName(props.volume.name, region, index),
              region,
              // MachineVolume makes its own strings literal.
              sizeGb: props.volume.sizeGb,
              compute: props.guest,
              encrypted: props.volume.encrypted,
              snapshotRetentionDays: props.volume.snapshotRetentionDays,
              autoBackup: props.volume.autoBackup,
              protected: props.protected,
              logicalId: logicalIds.volume(props.appKey, props.groupName, region, index),
            })
          : undefined;

        // A service's minimum of running machines is met by leaving autostop off on the first
        // machines of the primary region; Fly may stop the others when idle.
        const keepRunning = region === this.primaryRegion;
        const dependsOn: ITerraformDependable[] = [];
        if (this.releaseHook) dependsOn.push(this.releaseHook.resource);
        if (this.strategy === "rolling" && previous) dependsOn.push(previous);
        const name = adoptedMachine?.name ?? machineName(props.appName, props.groupName, region, index);

        const machine = new Machine(this, `machine-${region}-${index}`, {
          app: props.appName,
          // Every string from configuration is written as given (terraformLiteral); the app name is a
          // reference (a cdktf token), which terraformLiteral leaves as it is.
          // A blue-green set is named after its generation: under the old name the provider would adopt
          // the old machine and send nothing (a create under an existing name is a silent no-op).
          name: literal(this.blueGreen ? generationName(name, this.generation) : name),
          region: literal(region),
          image: literal(props.image),
          // Without a command the machine runs the image as is; with one it runs a single container
          // (the provider's only way to set a command), and Fly then ignores the top-level env.
          env: props.command === undefined && props.env ? terraformLiteralMap(props.env) : undefined,
          container: props.command === undefined ? undefined : [toContainer(props)],
          // Files go where the group runs: the machine itself, or its one container.
          file: props.command === undefined && props.files && props.files.length > 0 ? props.files.map(toFile) : undefined,
          guest: { cpuKind: props.guest.cpuKind, cpus: props.guest.cpus, memoryMb: props.guest.memoryMb },
          metadata: {
            fly_process_group: literal(props.groupName),
            [MANAGED_METADATA.managedBy]: "flystack",
            [MANAGED_METADATA.environment]: literal(props.environment),
            [MANAGED_METADATA.group]: literal(props.groupName),
          },
          minSecretsVersion: props.minSecretsVersion,
          service: props.services?.map((s) => toService(s, keepRunning && index <= (s.minMachinesRunning ?? 0))),
          check: props.checks && props.checks.length > 0 ? props.checks.map((c, i) => toMachineCheck(c, i)) : undefined,
          restart: props.restart ? { policy: props.restart.policy, maxRetries: props.restart.maxRetries } : undefined,
          // Fly's scraper polls http://<machine>:<port><path>; the provider leaves an unset path to Fly ("/metrics").
          metrics: props.metrics ? { port: props.metrics.port, path: literal(props.metrics.path ?? "/metrics"), https: props.metrics.https } : undefined,
          mount: volume ? [{ volume: volume.volume.id, path: literal(props.volume!.path) }] : adoptedVolume && props.volume ? [{ volume: literal(adoptedVolume.id), path: literal(props.volume.path) }] : undefined,
          dependsOn: dependsOn.length > 0 ? dependsOn : undefined,
          // Fly cannot swap a machine's mounted volume in place (it refuses the update mid-apply):
          // when the volume is replaced its id changes, and the machine is replaced with it.
          lifecycle: this.blueGreen
            ? { createBeforeDestroy: true, replaceTriggeredBy: [`${this.blueGreen.generation.terraformResourceType}.${this.blueGreen.generation.friendlyUniqueId}`] }
            : volume || (adoptedMachine && props.adopted?.keepLiveConfig)
              ? {
                  replaceTriggeredBy: volume ? [`${volume.volume.terraformResourceType}.${volume.volume.friendlyUniqueId}.id`] : undefined,
                  // The provider reads back only a machine's identity, so an imported machine's state
                  // holds no config: without this the first plan would update (restart) every one.
                  ignoreChanges: adoptedMachine && props.adopted?.keepLiveConfig ? "all" : undefined,
                }
              : undefined,
        });
        machine.overrideLogicalId(logicalIds.machine(props.appKey, props.groupName, region, index));
        if (adoptedMachine) machine.importFrom(`${props.adopted!.flyAppName}/${adoptedMachine.id}`);
        machines.push({ region, index, machine, volume });
        previous = machine;
        // The canary gate: after the first machine, before all the others.
        if (machines.length === 1 && props.deploy?.canary) {
          this.canaryGate = new CanaryGate(this, "canary-gate", {
            appName: props.appName,
            org: props.org!,
            groupName: props.groupName,
            canaryMachineId: machine.id,
            groupSize: count * props.regions.length,
            release: this.generation,
            canary: props.deploy.canary,
            logicalId: logicalIds.canaryGate(props.appKey, props.groupName),
            dependsOn: [machine],
          });
          previous = this.canaryGate.resource;
        }
      }
    }
    this.machines = machines;
    if (this.blueGreen) this.blueGreen.cutover.dependsOn = machines.map(({ machine }) => `${machine.terraformResourceType}.${machine.friendlyUniqueId}`);
  }
}

function toContainer(props: ProcessGroupProps): MachineContainer {
  const extras = props.container;
  const secretEnv = extras?.secretEnv ?? Object.fromEntries((props.secretNames ?? []).map((name) => [name, name]));
  return {
    name: literal(props.groupName),
    image: literal(props.image),
    cmd: (props.command ?? []).map(literal),
    entrypoint: extras?.entrypoint?.map(literal),
    env: props.env ? terraformLiteralMap(props.env) : undefined,
    secret: Object.entries(secretEnv).map(([name, envVar]) => ({ envVar: literal(envVar), name: literal(name) })),
    file: containerFiles(props),
  };
}

/** A configured file as the provider's `file` block (machine or container: the same fields). */
function toFile(file: FileConfig): MachineFile {
  return { guestPath: literal(file.guestPath), rawValue: file.rawValue, secretName: file.secretName === undefined ? undefined : literal(file.secretName), mode: file.mode };
}

/** The container's files: those the group configures, then those flystack composes (the monitoring app's). */
function containerFiles(props: ProcessGroupProps): MachineFile[] | undefined {
  const files = [
    ...(props.files ?? []).map(toFile),
    // The provider sends raw_value as given: Fly expects the file's content base64-encoded.
    ...(props.container?.files ?? []).map((f) => ({ guestPath: literal(f.guestPath), rawValue: Buffer.from(f.content, "utf8").toString("base64"), mode: f.mode })),
  ];
  return files.length > 0 ? files : undefined;
}

function toService(service: ServiceConfig, alwaysOn: boolean): MachineService {
  return {
    internalPort: service.internalPort,
    protocol: service.protocol ?? "tcp",
    autostart: service.autostart ?? true,
    autostop: alwaysOn ? "off" : (service.autostop ?? "off"),
    port: service.ports.map((p) => ({
      port: p.port,
      handlers: p.handlers ? [...p.handlers] : undefined,
    })),
    concurrency: service.concurrency
      ? [{ type: service.concurrency.type, softLimit: service.concurrency.softLimit, hardLimit: service.concurrency.hardLimit }]
      : undefined,
    check: (service.checks ?? []).map((c) => ({
      type: c.type,
      port: c.port ?? service.internalPort,
      path: c.type === "http" && c.path !== undefined ? literal(c.path) : undefined,
      method: c.type === "http" && c.method !== undefined ? c.method : undefined,
      interval: literal(c.interval ?? DEFAULT_INTERVAL),
      timeout: literal(c.timeout ?? DEFAULT_TIMEOUT),
    })),
  };
}

function toMachineCheck(check: CheckConfig, index: number): MachineCheck {
  if (check.port === undefined) throw new Error(`machine check ${index}: a machine-level check needs a port`);
  return {
    name: literal(check.name ?? `${check.type}_${check.port}_${index}`),
    type: check.type,
    port: check.port,
    path: check.type === "http" && check.path !== undefined ? literal(check.path) : undefined,
    method: check.type === "http" && check.method !== undefined ? check.method : undefined,
    interval: literal(check.interval ?? DEFAULT_INTERVAL),
    timeout: literal(check.timeout ?? DEFAULT_TIMEOUT),
    gracePeriod: literal(check.gracePeriod ?? "10s"),
  };
}
