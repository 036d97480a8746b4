import type { Command } from "../command";
import { plan } from "./plan";
import { apply } from "./apply";
import { drift } from "./drift";
import { summarize } from "./summarize";
import { cost } from "./cost";
import { diagram } from "./diagram";
import { check } from "./check";
import { preview } from "./preview";
import { newCommand } from "./new";
import { stacks } from "./stacks";
import { setup } from "./setup";
import { withSecrets } from "./with-secrets";
import { generate } from "./generate";
import { unseal } from "./unseal";
import { audit } from "./audit";
import { importCommand } from "./import";

/** Every command, in the order `flystack --help` lists them. */
export const COMMANDS: readonly Command[] = [preview, plan, apply, unseal, drift, audit, summarize, check, cost, diagram, generate, stacks, setup, withSecrets, newCommand, importCommand];
