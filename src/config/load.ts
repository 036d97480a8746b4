/**
 * Loads the environment files: type-checked and required in a worker thread with a deadline
 * (./bounded-load.ts), so a file that loops or nests without end is an issue naming it, never a hang.
 */
export { DEFAULT_CACHE_DIR, DEFAULT_LOAD_TIMEOUT_MS, environmentFileNames, loadErrorMessage, type LoadedEnvironments, type LoadEnvironmentOptions } from "./load-here";
export { loadInWorker as loadEnvironmentSources } from "./bounded-load";
