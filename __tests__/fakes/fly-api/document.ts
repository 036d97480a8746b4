/**
 * The trimmed Fly Machines API document as the fake uses it: a route table (path template → regex,
 * method → operationId and request body schema) and body validators compiled with Ajv. Everything
 * comes from providers/fly-machines.openapi.json, so the fake serves exactly what the document
 * describes and a request the document does not allow is refused.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv, { type ValidateFunction } from "ajv";
import type { operations } from "../../../.gen/fly-api/machines";

export type OperationId = keyof operations;

export interface Route {
  readonly method: string;
  readonly template: string;
  readonly pattern: RegExp;
  readonly params: readonly string[];
  readonly operationId: OperationId;
  /** Component schema name of the JSON request body, if the operation takes one. */
  readonly bodySchema?: string;
  readonly bodyRequired: boolean;
}

interface Operation {
  operationId: OperationId;
  requestBody?: { required?: boolean; content: Record<string, { schema: { $ref: string } }> };
}

interface Document {
  paths: Record<string, Record<string, Operation | unknown>>;
  components: { schemas: Record<string, unknown> };
}

const DOCUMENT_FILE = path.join(__dirname, "..", "..", "..", "providers", "fly-machines.openapi.json");
const METHODS = ["get", "put", "post", "delete", "patch"];

function loadDocument(): Document {
  return JSON.parse(fs.readFileSync(DOCUMENT_FILE, "utf8")) as Document;
}

export function routes(doc: Document = loadDocument()): Route[] {
  const out: Route[] = [];
  for (const [template, item] of Object.entries(doc.paths)) {
    const params = [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, "([^/]+)")}$`);
    for (const method of METHODS) {
      const op = item[method] as Operation | undefined;
      if (!op) continue;
      const ref = op.requestBody?.content["application/json"]?.schema.$ref;
      out.push({
        method: method.toUpperCase(),
        template,
        pattern,
        params,
        operationId: op.operationId,
        bodySchema: ref?.replace("#/components/schemas/", ""),
        bodyRequired: op.requestBody?.required === true,
      });
    }
  }
  return out;
}

/**
 * Fly's Go server rejects unknown fields; the document leaves `additionalProperties` open. Closing
 * every object schema that lists its properties makes a misspelt or invented field a 400 here too.
 * Maps (`additionalProperties: {...}`) and bare `{type: object}` stay open.
 */
function closeObjects(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closeObjects);
  if (typeof schema !== "object" || schema === null) return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) out[key] = closeObjects(value);
  if ("properties" in out && !("additionalProperties" in out)) out.additionalProperties = false;
  return out;
}

export class BodyValidator {
  private readonly ajv: Ajv;
  private readonly cache = new Map<string, ValidateFunction>();

  constructor(doc: Document = loadDocument()) {
    // strict: false because the document carries OpenAPI/x- keywords (example, x-flystack-note) that are not JSON Schema.
    this.ajv = new Ajv({ strict: false, allErrors: false });
    this.ajv.addSchema({ $id: "fly", components: { schemas: closeObjects(doc.components.schemas) } });
  }

  /** Undefined when `body` fits the named schema, otherwise a message in Fly's words-ish. */
  validate(schemaName: string, body: unknown): string | undefined {
    let fn = this.cache.get(schemaName);
    if (!fn) {
      fn = this.ajv.getSchema(`fly#/components/schemas/${schemaName}`);
      if (!fn) throw new Error(`fake Fly API: no schema ${schemaName} in the document`);
      this.cache.set(schemaName, fn);
    }
    if (fn(body)) return undefined;
    const error = fn.errors?.[0];
    if (!error) return "invalid request body";
    const where = error.instancePath || "body";
    if (error.keyword === "additionalProperties") return `json: unknown field "${String(error.params.additionalProperty)}" in ${where}`;
    return `json: ${where} ${error.message ?? "is invalid"}`;
  }
}
