/** Certificates: a page of the list ({ certificates, next_cursor?, total_count? }) and one certificate's detail. */
import type { components } from "../../../../.gen/fly-api/machines";
import { asList, asObject, objectsIn, withoutNulls } from "./json";

export type FlyCertificateSummary = components["schemas"]["CertificateSummary"];
export type FlyCertificateDetail = components["schemas"]["CertificateDetail"];

export interface CertificatePage {
  readonly certificates: FlyCertificateSummary[];
  /** The next page's cursor; undefined on the last page. */
  readonly next?: string;
}

export function readCertificatePage(body: unknown, endpoint: string): CertificatePage {
  const expected = "a JSON object { certificates: [CertificateSummary], next_cursor? }";
  const answer = asObject(body, endpoint, expected);
  const certificates = objectsIn(asList(answer.certificates, endpoint, `${expected} whose certificates is a list`), endpoint, "certificate").map((c) => withoutNulls(c) as FlyCertificateSummary);
  const next = typeof answer.next_cursor === "string" && answer.next_cursor !== "" ? answer.next_cursor : undefined;
  return { certificates, next };
}

export function readCertificateDetail(body: unknown, endpoint: string): FlyCertificateDetail {
  return withoutNulls(asObject(body, endpoint, "a JSON object (CertificateDetail)")) as FlyCertificateDetail;
}
