/**
 * Fly.io regions a machine or volume can be placed in.
 *
 * Source: Fly.io's regions documentation (fly.io/docs/reference/regions) and `flyctl platform regions`,
 * as of 2026. Regions Fly has announced as deprecated are kept while existing machines can
 * still run there; a region unknown here is rejected at validation time rather than at apply.
 */
export const FLY_REGIONS: Readonly<Record<string, string>> = {
  ams: "Amsterdam, Netherlands",
  arn: "Stockholm, Sweden",
  atl: "Atlanta, Georgia (US)",
  bog: "Bogotá, Colombia",
  bom: "Mumbai, India",
  bos: "Boston, Massachusetts (US)",
  cdg: "Paris, France",
  den: "Denver, Colorado (US)",
  dfw: "Dallas, Texas (US)",
  ewr: "Secaucus, NJ (US)",
  eze: "Ezeiza, Argentina",
  fra: "Frankfurt, Germany",
  gdl: "Guadalajara, Mexico",
  gig: "Rio de Janeiro, Brazil",
  gru: "Sao Paulo, Brazil",
  hkg: "Hong Kong, Hong Kong",
  iad: "Ashburn, Virginia (US)",
  jnb: "Johannesburg, South Africa",
  lax: "Los Angeles, California (US)",
  lhr: "London, United Kingdom",
  mad: "Madrid, Spain",
  mia: "Miami, Florida (US)",
  nrt: "Tokyo, Japan",
  ord: "Chicago, Illinois (US)",
  otp: "Bucharest, Romania",
  phx: "Phoenix, Arizona (US)",
  qro: "Querétaro, Mexico",
  scl: "Santiago, Chile",
  sea: "Seattle, Washington (US)",
  sin: "Singapore, Singapore",
  sjc: "San Jose, California (US)",
  syd: "Sydney, Australia",
  waw: "Warsaw, Poland",
  yul: "Montreal, Canada",
  yyz: "Toronto, Canada",
};

export function isFlyRegion(code: string): boolean {
  return Object.prototype.hasOwnProperty.call(FLY_REGIONS, code);
}
