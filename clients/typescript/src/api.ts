// The typed client: openapi-fetch over the types openapi-typescript generated from the document,
// with two middlewares: the bearer token, and the contract check of every response.

import createClient, { type Client, type Middleware } from "openapi-fetch";

import type { paths } from "./generated/schema.js";
import { ContractViolation, type ContractValidator } from "./validator.js";

export type ApiClient = Client<paths>;

export class UnexpectedResponse extends Error {
  override readonly name = "UnexpectedResponse";
}

/** A client for `baseUrl` (`http://host:port/v1`), signed in with `token` when given. */
export function apiClient(baseUrl: string, validator: ContractValidator, token?: string): ApiClient {
  const client = createClient<paths>({ baseUrl, headers: { Accept: "application/json" } });
  if (token !== undefined) {
    const auth: Middleware = {
      onRequest({ request }) {
        request.headers.set("Authorization", `Bearer ${token}`);
        return request;
      },
    };
    client.use(auth);
  }
  const contract: Middleware = {
    async onResponse({ request, response, schemaPath }) {
      await validator.check(request.method, request.url, response);
      // The operation the typed call named must be the one the URL matches in the document.
      const path = new URL(request.url).pathname;
      const base = new URL(baseUrl).pathname.replace(/\/$/, "");
      const template = schemaPath;
      const segments = template.split("/").map((s) => (/^\{[^}]+\}$/.test(s) ? "[^/]+" : s.replace(/[.*+?^$()|[\]\\]/g, "\\$&")));
      if (!new RegExp(`^${base}${segments.join("/")}$`).test(path)) {
        throw new ContractViolation(`${request.method} ${path} does not match the called template ${template}`);
      }
      return response;
    },
  };
  client.use(contract);
  return client;
}

interface Result<T> {
  readonly data?: T;
  readonly error?: unknown;
  readonly response: Response;
}

function summary(result: Result<unknown>): string {
  const body = result.error ?? result.data;
  const text = JSON.stringify(body) ?? "";
  return `${result.response.status} ${result.response.headers.get("content-type") ?? ""} ${text.slice(0, 500)}`;
}

/** The body of a successful call with exactly the `expected` status; anything else ends the run. */
export function expectData<T>(what: string, expected: number, result: Result<T>): T {
  if (result.response.status !== expected || result.data === undefined) {
    throw new UnexpectedResponse(`${what}: expected ${expected}, got ${summary(result)}`);
  }
  return result.data;
}

/** A call that must succeed with `expected` and has no body (204). */
export function expectEmpty(what: string, expected: number, result: Result<unknown>): void {
  if (result.response.status !== expected) {
    throw new UnexpectedResponse(`${what}: expected ${expected}, got ${summary(result)}`);
  }
}

/** The problem body of a call that must fail with exactly `expected`. */
export function expectProblem<E>(what: string, expected: number, result: { readonly error?: E; readonly response: Response }): E {
  if (result.response.status !== expected || result.error === undefined) {
    throw new UnexpectedResponse(`${what}: expected problem ${expected}, got ${result.response.status}`);
  }
  const media = result.response.headers.get("content-type") ?? "";
  if (!media.startsWith("application/problem+json")) {
    throw new UnexpectedResponse(`${what}: expected application/problem+json, got ${media}`);
  }
  return result.error;
}

/** The value of a response header the flow needs (ETag, Location). */
export function header(what: string, response: Response, name: string): string {
  const value = response.headers.get(name);
  if (value === null || value === "") {
    throw new UnexpectedResponse(`${what}: response ${response.status} has no ${name} header`);
  }
  return value;
}
