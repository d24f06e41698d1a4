// The OpenAPI document as data: loading it, finding the operation a request went to, and the
// response object it declares for a status. Nothing here knows about Mijn Herstel in particular.

import { readFile } from "node:fs/promises";

export type JsonObject = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function describe(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 600 ? `${text.slice(0, 600)}…` : text;
}

type Method = "get" | "put" | "post" | "delete" | "patch" | "head" | "options" | "trace";
const METHODS: readonly Method[] = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

function isMethod(value: string): value is Method {
  return METHODS.some((m) => m === value);
}

export interface Operation {
  readonly operationId: string;
  readonly method: string;
  readonly template: string;
  readonly object: JsonObject;
}

interface Template {
  readonly template: string;
  readonly pattern: RegExp;
  /** Literal segments count more: `/gespreksleiders/mij/rooster` wins over `/gespreksleiders/{id}/rooster`. */
  readonly literals: number;
  readonly item: JsonObject;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export class OpenApiDocument {
  readonly raw: JsonObject;
  /** The server path the document's paths are relative to (`/v1`). */
  readonly basePath: string;
  private readonly templates: Template[];

  constructor(raw: unknown) {
    if (!isRecord(raw)) throw new Error("the OpenAPI document is not a JSON object");
    const version = raw["openapi"];
    if (typeof version !== "string" || !version.startsWith("3.1")) {
      throw new Error(`OpenAPI 3.1 expected, the document says ${describe(version)}`);
    }
    this.raw = raw;
    this.basePath = OpenApiDocument.serverPath(raw);
    const paths = raw["paths"];
    if (!isRecord(paths)) throw new Error("the OpenAPI document has no paths");
    this.templates = Object.entries(paths).flatMap(([template, item]) => {
      if (!isRecord(item)) return [];
      const segments = template.split("/");
      const pattern = new RegExp(
        `^${segments.map((s) => (/^\{[^}]+\}$/.test(s) ? "[^/]+" : escapeRegExp(s))).join("/")}$`,
      );
      const literals = segments.filter((s) => s !== "" && !s.startsWith("{")).length;
      return [{ template, pattern, literals, item }];
    });
    this.templates.sort((a, b) => b.literals - a.literals);
  }

  static async load(file: string): Promise<OpenApiDocument> {
    const text = await readFile(file, "utf8");
    const parsed: unknown = JSON.parse(text);
    return new OpenApiDocument(parsed);
  }

  private static serverPath(raw: JsonObject): string {
    const servers = raw["servers"];
    if (!Array.isArray(servers)) return "";
    const first: unknown = servers[0];
    if (!isRecord(first)) return "";
    const url = first["url"];
    if (typeof url !== "string") return "";
    return new URL(url, "http://placeholder").pathname.replace(/\/$/, "");
  }

  /** Every operation in the document, for the coverage line. */
  operationIds(): string[] {
    return this.templates.flatMap((t) =>
      Object.entries(t.item).flatMap(([method, op]) =>
        isMethod(method) && isRecord(op) && typeof op["operationId"] === "string" ? [op["operationId"]] : [],
      ),
    );
  }

  /** The operation a request with this method and URL path went to, if the document has it. */
  findOperation(method: string, pathname: string): Operation | undefined {
    const lower = method.toLowerCase();
    if (!isMethod(lower)) return undefined;
    let path = pathname;
    if (this.basePath !== "") {
      if (path !== this.basePath && !path.startsWith(`${this.basePath}/`)) return undefined;
      path = path.slice(this.basePath.length);
    }
    for (const t of this.templates) {
      if (!t.pattern.test(path)) continue;
      const object = t.item[lower];
      if (!isRecord(object)) continue;
      const operationId = object["operationId"];
      return {
        operationId: typeof operationId === "string" ? operationId : `${lower.toUpperCase()} ${t.template}`,
        method: lower.toUpperCase(),
        template: t.template,
        object,
      };
    }
    return undefined;
  }

  /** Follows a local `$ref` (`#/components/responses/...`) to the object it names. */
  resolve(value: unknown): unknown {
    let current = value;
    for (let hops = 0; hops < 10 && isRecord(current); hops++) {
      const ref = current["$ref"];
      if (typeof ref !== "string") return current;
      current = this.pointer(ref);
    }
    return current;
  }

  pointer(ref: string): unknown {
    if (!ref.startsWith("#/")) throw new Error(`only local references are supported, not ${ref}`);
    let current: unknown = this.raw;
    for (const part of ref.slice(2).split("/")) {
      const key = decodeURIComponent(part).replace(/~1/g, "/").replace(/~0/g, "~");
      if (!isRecord(current)) throw new Error(`dangling reference ${ref}`);
      current = current[key];
    }
    if (current === undefined) throw new Error(`dangling reference ${ref}`);
    return current;
  }

  /** The response object the operation declares for this status (exact, then `4XX`, then `default`). */
  response(operation: Operation, status: number): JsonObject | undefined {
    const responses = operation.object["responses"];
    if (!isRecord(responses)) return undefined;
    const declared =
      responses[String(status)] ?? responses[`${String(status).charAt(0)}XX`] ?? responses["default"];
    if (declared === undefined) return undefined;
    const resolved = this.resolve(declared);
    return isRecord(resolved) ? resolved : undefined;
  }

  /** The statuses the operation declares, for messages. */
  statuses(operation: Operation): string[] {
    const responses = operation.object["responses"];
    return isRecord(responses) ? Object.keys(responses) : [];
  }
}
