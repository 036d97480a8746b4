/** Monthly cost estimates of environments from their synthesized Terraform JSON. */
export { estimateEnvironment } from "./estimate";
export { diffCosts, type Amounts, type CostDiff, type EnvironmentCostDiff, type ResourceChange, type ResourceCostDiff } from "./diff";
export { renderCostMarkdown, costHeadline } from "./markdown";
export { toCostJson, type CostJson, type CostJsonEnvironment, type CostJsonItem } from "./json";
export { formatMoney, formatRange, formatDelta, roundCents } from "./money";
export { DEFAULT_PRICES, parsePrices, PriceFileError, type Prices } from "./prices";
export { CostEstimateError, UnknownRegionError } from "./errors";
export type { AppCost, CostItem, EnvironmentCost, NotEstimated } from "./types";
