/** What sealing (./plan-crypto.ts) and signing (./plan-signature.ts) share: the bundle's file name and their error. */
export const BUNDLE_FILE = "plan-bundle.enc";

/** A bundle that cannot be sealed, signed, verified or opened; the message says why. */
export class SealError extends Error {}
