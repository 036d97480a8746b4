/** What bounded-load.ts and load-worker.ts pass each other. */
import type { MessagePort } from "node:worker_threads";
import type { ConfigIssue } from "./issue";
import type { EnvironmentSource } from "./validate";

/** Slots of the shared Int32Array. */
export const FLAG = {
  /** 1 once the answer is posted. */
  done: 0,
  /** What the worker is doing (STAGE). */
  stage: 1,
} as const;

export const STAGE = {
  typecheck: 0,
  /** Loading file i of the sorted environment files is `firstFile + i`. */
  firstFile: 1,
  /** After the last file: checking the values and posting them. */
  answering: -1,
} as const;

export interface WorkerInput {
  readonly directory: string;
  readonly options: { readonly typecheck?: boolean; readonly cacheDir?: string | false };
  readonly flags: SharedArrayBuffer;
  readonly port: MessagePort;
}

export type WorkerAnswer = { readonly sources: EnvironmentSource[]; readonly issues: ConfigIssue[] } | { readonly error: string };
