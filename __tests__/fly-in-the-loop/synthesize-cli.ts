/**
 * synthesizeForLoop as a program: what the line proof (line-proof.test.ts) runs in a repository
 * migrated to CDK Terrain, on Node 22, to synthesize the loop's environment with that line.
 *
 *   tsx __tests__/fly-in-the-loop/synthesize-cli.ts ARGS.json
 *   ARGS: { project, environments, flyApiUrl, cloudflareApiUrl, providers }
 */
import * as fs from "node:fs";
import { synthesizeForLoop, type LoopSynthOptions } from "./synthesize";
import type { EnvironmentConfig } from "../../src/config/types";

const args = JSON.parse(fs.readFileSync(process.argv[2], "utf8")) as LoopSynthOptions & { project: string; environments: EnvironmentConfig[] };
const stacks = synthesizeForLoop(args.project, args.environments, args);
process.stdout.write(`${JSON.stringify(stacks)}\n`);
