import * as path from "node:path";

/**
 * The project's root folder (package.json, environments/, node_modules/), whether this code runs from
 * its TypeScript sources (tsx, jest's SWC: this file is src/util/project-root.ts) or from their build
 * (bin/flystack: dist/src/util/project-root.js). Code reachable from the CLI finds repository files from
 * here, never from its own __dirname, which is one level deeper in dist/.
 */
export const PROJECT_ROOT = __filename.endsWith(".ts") ? path.join(__dirname, "..", "..") : path.join(__dirname, "..", "..", "..");
