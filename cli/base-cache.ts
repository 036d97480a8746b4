/**
 * Synthesized output kept by commit: DIR/<commit>/cdktf.out, with DIR/<commit>/origin.json saying
 * where it was written (absolute paths inside its stacks start there). The deploy of main saves its
 * own synthesis (`flystack stacks --save-cache DIR`); a pull request's `--changed-since REF
 * --base-cache DIR` then finds REF's synthesis there and, whose inputs it records, synthesizes only
 * the stacks whose inputs changed. Missing (or unreadable), REF is synthesized in a worktree and kept.
 * workflows keep DIR with actions/cache, keyed by the commit.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { CliContext } from "./command";
import { BaseRevisionError, resolveCommit, type SynthesizedRevision, synthesizeRevision } from "./base-revision";
import { isComplete, readRecord, SynthesisRecordError, withCommit, writeRecord } from "../src/features/synth/synthesis-record";
import { readManifest } from "./stacks";

const ORIGIN_FILE = "origin.json";

interface Origin {
  /** The project folder the synthesis ran in. */
  readonly root: string;
  /** Its cdktf.out as written. */
  readonly outdir: string;
}

/** REF's synthesis from `cacheDir` when kept there, else synthesized in a worktree (and kept, with `cacheDir`). */
export async function baseSynthesis(ctx: CliContext, ref: string, cacheDir: string | undefined): Promise<SynthesizedRevision> {
  if (cacheDir === undefined) return synthesizeRevision(ctx, ref);
  const commit = await resolveCommit(ctx, ref);
  if (!commit) throw new BaseRevisionError(`"${ref}" is not a commit in this repository`);
  const entry = path.join(path.resolve(ctx.cwd, cacheDir), commit);
  const cached = readEntry(ctx, entry, commit);
  if (cached) {
    ctx.stderr.write(`the base revision ${ref} (${commit.slice(0, 12)}): its synthesis from ${path.relative(ctx.cwd, entry) || entry}\n`);
    return cached;
  }
  ctx.stderr.write(`the base revision ${ref} (${commit.slice(0, 12)}) is not in ${cacheDir}: synthesizing it, and keeping it there\n`);
  const fresh = await synthesizeRevision(ctx, ref);
  try {
    keep(entry, fresh.outdir, { root: fresh.worktree, outdir: fresh.outdir });
  } finally {
    await fresh.cleanup();
  }
  const kept = readEntry(ctx, entry, commit);
  if (!kept) throw new BaseRevisionError(`the base revision ${ref} synthesized, but ${entry} does not read back`);
  return kept;
}

/**
 * Keeps this checkout's synthesis (cdktf.out, which must be complete: every stack written) in
 * DIR/<commit>/, replacing whatever DIR held: a cache saved from DIR holds this commit only.
 */
export function saveSynthesis(ctx: CliContext, cacheDir: string, commit: string): string {
  const outdir = path.join(ctx.cwd, "cdktf.out");
  const record = readRecord(outdir);
  if (!record) throw new BaseRevisionError(`--save-cache: ${path.relative(ctx.cwd, outdir)} has no synthesis record (${outdir}/flystack-synthesis.json): synthesize with flystack first`);
  if (!isComplete(record)) throw new BaseRevisionError("--save-cache: this synthesis left out stacks whose inputs were unchanged: only a full synthesis can serve as a base");
  if (record.commit !== commit) throw new BaseRevisionError(`--save-cache: cdktf.out was synthesized at ${record.commit ?? "an unknown commit"}, not at ${commit}`);
  const dir = path.resolve(ctx.cwd, cacheDir);
  fs.rmSync(dir, { recursive: true, force: true });
  const entry = path.join(dir, commit);
  keep(entry, outdir, { root: ctx.cwd, outdir });
  return entry;
}

function keep(entry: string, outdir: string, origin: Origin): void {
  fs.rmSync(entry, { recursive: true, force: true });
  fs.mkdirSync(entry, { recursive: true });
  const target = path.join(entry, "cdktf.out");
  // Only what the manifest lists (an earlier run's leftovers in cdktf.out are not part of this synthesis).
  fs.mkdirSync(path.join(target, "stacks"), { recursive: true });
  for (const stack of readManifest(outdir)) fs.cpSync(stack.dir, path.join(target, "stacks", stack.name), { recursive: true, filter: (src) => path.basename(src) !== ".terraform" });
  for (const file of ["manifest.json", "flystack-synthesis.json"]) fs.copyFileSync(path.join(outdir, file), path.join(target, file));
  fs.writeFileSync(path.join(entry, ORIGIN_FILE), `${JSON.stringify(origin)}\n`);
}

/** The kept synthesis of `commit` in `entry`, or undefined (said on stderr when it is there but unusable). */
function readEntry(ctx: CliContext, entry: string, commit: string): SynthesizedRevision | undefined {
  const outdir = path.join(entry, "cdktf.out");
  if (!fs.existsSync(outdir)) return undefined;
  try {
    const origin = JSON.parse(fs.readFileSync(path.join(entry, ORIGIN_FILE), "utf8")) as Partial<Origin>;
    let record = readRecord(outdir);
    if (!record || !isComplete(record) || typeof origin.root !== "string" || typeof origin.outdir !== "string") throw new SynthesisRecordError("incomplete");
    if (record.commit !== undefined && record.commit !== commit) throw new SynthesisRecordError(`it records commit ${record.commit}, not ${commit}`);
    if (record.commit === undefined) {
      record = withCommit(record, commit);
      writeRecord(outdir, record);
    }
    return { outdir, worktree: origin.root, writtenOutdir: origin.outdir, record, cleanup: async () => undefined };
  } catch (error) {
    ctx.stderr.write(`${entry} is not a usable synthesis (${error instanceof Error ? error.message : String(error)}): synthesizing the revision again\n`);
    return undefined;
  }
}
