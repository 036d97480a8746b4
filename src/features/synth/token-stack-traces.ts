/**
 * cdktf records a creation stack trace on every token it makes (Lazy, Intrinsic, the
 * ComplexList/ComplexObject behind every nested block, dynamic blocks): at 1,000 machines that was
 * over a third of synthesis (a full trace each, then mapped through source maps under tsx). The
 * traces are never written: they only appear in cdktf's own messages about a misused token
 * ("Object creation stack: …"). `new App({ stackTraces: false })` does not stop them (it only
 * covers construct metadata), and neither does a low `Error.stackTraceLimit`: cdktf's private
 * `captureStackTrace` raises the limit to Number.MAX_SAFE_INTEGER around its own capture.
 *
 * So, for the duration of `fn` only, that private function is replaced by one that returns no
 * frames, the same as cdktf's own result when V8 gives no trace. Errors keep their own `stack` (this
 * does not touch Error.stackTraceLimit), so FLYSTACK_DEBUG=1 still prints a full trace. cdktf
 * calls the function through its module's exports object (`(0, stack_trace_1.captureStackTrace)()`),
 * which is what makes the replacement visible to it; __tests__/synth/token-stack-traces.test.ts
 * fails if a cdktf upgrade changes that, and checks that the output is byte-identical.
 */

type CaptureStackTrace = (below?: unknown) => string[];

/**
 * The module's capture functions tokens call through its exports: `captureStackTrace` (CDKTF 0.21)
 * and, on CDK Terrain, `captureCreationStack` (which tokens call instead; it also honours
 * CDKTN_DISABLE_CREATION_STACK). Every one present is switched off.
 */
export const TRACE_FUNCTIONS = ["captureStackTrace", "captureCreationStack"] as const;
type StackTraceModule = Partial<Record<(typeof TRACE_FUNCTIONS)[number], CaptureStackTrace>>;

// eslint-disable-next-line @typescript-eslint/no-require-imports -- cdktf's private module, patched in place (see above)
const cdktfStackTrace = require("cdktf/lib/tokens/private/stack-trace") as StackTraceModule;

const noFrames: CaptureStackTrace = () => [];

const present = () => TRACE_FUNCTIONS.filter((name) => typeof cdktfStackTrace?.[name] === "function");

/** True when cdktf's token stack traces can be switched off in this version of cdktf. */
export function canSkipTokenStackTraces(): boolean {
  return present().length > 0;
}

/** The function tokens call for their creation stack: the one a test counts. */
export function tokenTraceFunction(): (typeof TRACE_FUNCTIONS)[number] {
  return typeof cdktfStackTrace?.captureCreationStack === "function" ? "captureCreationStack" : "captureStackTrace";
}

/**
 * Runs `fn` with cdktf's per-token stack traces switched off (unless `keep`: to see in cdktf's
 * token errors where a token was made), restoring them afterwards whatever happens. Nested calls are fine.
 */
export function withoutTokenStackTraces<T>(fn: () => T, keep = false): T {
  const names = present();
  if (keep || names.length === 0) return fn();
  const previous = names.map((name) => [name, cdktfStackTrace[name]] as const);
  for (const name of names) cdktfStackTrace[name] = noFrames;
  try {
    return fn();
  } finally {
    for (const [name, fn0] of previous) cdktfStackTrace[name] = fn0;
  }
}
