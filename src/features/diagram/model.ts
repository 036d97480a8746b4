/**
 * What an environment's diagram shows, read from its synthesized stack (`cdk.tf.json`), not from
 * the environment file: the diagram then shows what Terraform will be asked to create, including
 * whatever the constructs derived (machine counts per region, volumes per machine, DNS records
 * per hostname kind).
 *
 * Everything is aggregated (machines per group, region and size; volumes per group, region, size
 * and mount) so that an environment of a thousand machines still reads as a handful of nodes, and
 * everything is sorted so that the same stack always gives the same model.
 */
import { readApps } from "./read-apps";
import { readDomains } from "./read-domains";
import { isObject } from "./stack-json";
import type { DiagramModel } from "./types";

/** A machine's `guest` block. */
export type { GuestSize, MachinePlacement, VolumeSet, ProcessGroup, AppIp, App, DnsTarget, DnsRecord, Domain, DiagramModel } from "./types";

export class DiagramInputError extends Error {
  override readonly name = "DiagramInputError";
}

/** Builds the diagram model of a parsed `cdk.tf.json`. */
export function readDiagramModel(stack: unknown): DiagramModel {
  if (!isObject(stack)) {
    throw new DiagramInputError("not a synthesized stack: expected the JSON object of a cdk.tf.json");
  }
  const resources = stack["resource"];
  // An empty stack has no "resource" at all; anything else under that name is not Terraform JSON.
  if (resources !== undefined && !isObject(resources)) {
    throw new DiagramInputError('not a synthesized stack: "resource" must be an object of resource types');
  }
  const notes: string[] = [];
  const apps = readApps(stack, notes);
  const { domains, unattachedRecords } = readDomains(stack, notes);
  return { apps, domains, unattachedRecords, notes };
}
