// Run-time contract check: every response is compared with what the OpenAPI document declares for
// that operation, status and content type; every JSON body (success or problem+json) is validated
// with ajv (JSON Schema 2020-12, the dialect of OpenAPI 3.1). The schemas come from the document
// itself: its `components.schemas` are registered once under an `$id`, so the document's own
// `#/components/schemas/...` references resolve unchanged.

import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import formats from "ajv-formats";

import { describe, isRecord, type JsonObject, type Operation, type OpenApiDocument } from "./document.js";

/**
 * Checks skipped because the document is known to be wrong, each with its defect. Keep this list in
 * this one place; it should be empty once the API is fixed. A listed defect that no longer occurs is
 * reported at the end of the run, so the entry can be removed.
 */
export interface KnownDefect {
  readonly operationId: string;
  readonly status: number;
  readonly check: "status" | "content-type" | "schema" | "header";
  readonly defect: string;
}

export const KNOWN_DOCUMENT_DEFECTS: readonly KnownDefect[] = [];

const DOCUMENT_ID = "urn:mijn-herstel:openapi";

export class ContractViolation extends Error {
  override readonly name = "ContractViolation";
}

interface Stats {
  requests: number;
  validated: number;
  operations: Map<string, number>;
  skipped: string[];
}

function mediaType(header: string | null): string {
  return (header ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

function isJson(media: string): boolean {
  return media === "application/json" || media.endsWith("+json");
}

/** A schema from the document with its local references made absolute (for inline schemas). */
function absolute(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(absolute);
  if (!isRecord(schema)) return schema;
  const copy: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    copy[key] = key === "$ref" && typeof value === "string" && value.startsWith("#/") ? `${DOCUMENT_ID}${value}` : absolute(value);
  }
  return copy;
}

function formatErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .slice(0, 10)
    .map((e) => `${e.instancePath === "" ? "(body)" : e.instancePath} ${e.message ?? e.keyword} ${describe(e.params)}`)
    .join("; ");
}

export class ContractValidator {
  private readonly ajv: Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly seenDefects = new Set<KnownDefect>();
  readonly stats: Stats = { requests: 0, validated: 0, operations: new Map(), skipped: [] };

  constructor(private readonly document: OpenApiDocument) {
    this.ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
    formats.default(this.ajv);
    // OpenAPI's own schema keyword, and the document wrapper key used below.
    this.ajv.addVocabulary(["example", "components"]);
    // OpenAPI format registry values ajv-formats does not know.
    this.ajv.addFormat("int32", { type: "number", validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
    this.ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isInteger(n) });
    this.ajv.addFormat("binary", true);
    const components = document.raw["components"];
    const schemas = isRecord(components) ? components["schemas"] : undefined;
    this.ajv.addSchema({ $id: DOCUMENT_ID, components: { schemas: isRecord(schemas) ? schemas : {} } });
  }

  private validatorFor(key: string, schema: unknown): ValidateFunction {
    const known = this.compiled.get(key);
    if (known !== undefined) return known;
    const prepared = absolute(schema);
    if (typeof prepared !== "boolean" && !isRecord(prepared)) {
      throw new ContractViolation(`${key}: the document's schema is not a schema: ${describe(schema)}`);
    }
    let validate: ValidateFunction;
    try {
      validate = this.ajv.compile(prepared);
    } catch (error: unknown) {
      // ajv's strict mode refuses schemas that cannot mean what they say (a required property
      // that is not defined, an unknown keyword or format): a defect of the document too.
      throw new ContractViolation(`${key}: the document's schema does not compile: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.compiled.set(key, validate);
    return validate;
  }

  private violation(operation: Operation, status: number, check: KnownDefect["check"], message: string): void {
    const known = KNOWN_DOCUMENT_DEFECTS.find(
      (d) => d.operationId === operation.operationId && d.status === status && d.check === check,
    );
    if (known !== undefined) {
      this.seenDefects.add(known);
      this.stats.skipped.push(`${operation.operationId} ${status} ${check}`);
      console.warn(`  ! KNOWN DOCUMENT DEFECT (check skipped): ${operation.operationId} ${status}: ${known.defect}`);
      return;
    }
    throw new ContractViolation(`${operation.operationId} (${operation.method} ${operation.template}) ${status}: ${message}`);
  }

  /**
   * Checks one response against the document. Reads a clone, so the caller can still read the body.
   * Throws a ContractViolation naming the operation, the status and what is wrong.
   */
  async check(method: string, url: string, response: Response): Promise<void> {
    const pathname = new URL(url).pathname;
    const operation = this.document.findOperation(method, pathname);
    if (operation === undefined) {
      throw new ContractViolation(`${method} ${pathname}: no operation in the document matches this request`);
    }
    this.stats.requests++;
    this.stats.operations.set(operation.operationId, (this.stats.operations.get(operation.operationId) ?? 0) + 1);
    const status = response.status;
    const declared = this.document.response(operation, status);
    if (declared === undefined) {
      const body = await response.clone().text();
      this.violation(
        operation,
        status,
        "status",
        `status not documented (documented: ${this.document.statuses(operation).join(", ")}); body: ${body.slice(0, 300)}`,
      );
      return;
    }
    this.checkHeaders(operation, status, declared, response);
    const body = await response.clone().text();
    if (body === "") return;
    const media = mediaType(response.headers.get("content-type"));
    const content = declared["content"];
    const entry = isRecord(content) ? (content[media] ?? content["*/*"]) : undefined;
    if (!isRecord(entry)) {
      const documented = isRecord(content) ? Object.keys(content).join(", ") : "no body";
      this.violation(operation, status, "content-type", `content type ${describe(media)} not documented (documented: ${documented})`);
      return;
    }
    if (!isJson(media)) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      this.violation(operation, status, "schema", `body is not JSON although the content type is ${media}: ${body.slice(0, 200)}`);
      return;
    }
    const schema = entry["schema"];
    if (schema === undefined) return;
    const validate = this.validatorFor(`${operation.operationId} ${status} ${media}`, schema);
    if (validate(parsed)) {
      this.stats.validated++;
      return;
    }
    this.violation(operation, status, "schema", `body does not match the schema: ${formatErrors(validate.errors)}; body: ${describe(parsed)}`);
  }

  /** Headers the response declares: present when `required`, and matching their schema. */
  private checkHeaders(operation: Operation, status: number, declared: JsonObject, response: Response): void {
    const headers = declared["headers"];
    if (!isRecord(headers)) return;
    for (const [name, raw] of Object.entries(headers)) {
      const definition = this.document.resolve(raw);
      if (!isRecord(definition)) continue;
      const value = response.headers.get(name);
      if (value === null) {
        if (definition["required"] === true) this.violation(operation, status, "header", `required header ${name} is missing`);
        continue;
      }
      const schema = definition["schema"];
      if (!isRecord(schema)) continue;
      const numeric = schema["type"] === "integer" || schema["type"] === "number";
      const validate = this.validatorFor(`${operation.operationId} ${status} header ${name}`, schema);
      if (!validate(numeric ? Number(value) : value)) {
        this.violation(operation, status, "header", `header ${name}: ${describe(value)} does not match: ${formatErrors(validate.errors)}`);
      }
    }
  }

  /** Listed defects that did not occur in this run (fixed? remove them from the list). */
  unseenDefects(): KnownDefect[] {
    return KNOWN_DOCUMENT_DEFECTS.filter((d) => !this.seenDefects.has(d));
  }
}
