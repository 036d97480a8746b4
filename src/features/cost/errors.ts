/**
 * Why an estimate could not be made. Each message starts with `<environment>: <address>:` so the
 * reader can find the resource; the estimator never guesses a price to get past a problem.
 */
export class CostEstimateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CostEstimateError";
  }
}

/** A machine in a region prices.json has no multiplier for (a silent 1.0 would under-price it). */
export class UnknownRegionError extends CostEstimateError {
  constructor(
    where: string,
    readonly region: string,
    readonly pricedRegions: readonly string[],
    readonly why?: string,
  ) {
    super(
      `${where}: no price multiplier is known for region "${region}"${why ? ` (${why})` : ""}; ` +
        `regions with prices: ${[...pricedRegions].sort().join(", ")}`,
    );
    this.name = "UnknownRegionError";
  }
}
