// Logging in as an app does, through the development IdP (the DigiD stand-in), with PKCE:
// GET /v1/inloggen/{provider} → the IdP's page → submit its form with the persona → callback →
// redirect to the app with a one-time code → POST /v1/token. The browser steps are plain fetch with
// `redirect: "manual"` (HTML and redirects, not JSON operations), but the two API redirects are
// still checked against the document; the token exchange is a typed call.
// Same steps as tests/schemathesis/login.py and tests/src/login.rs.

import { createHash, randomBytes } from "node:crypto";

import { type ApiClient, UnexpectedResponse, expectData, header } from "./api.js";
import type { ContractValidator } from "./validator.js";

/** On the server's default allowlist (`login.app_redirect_uris`). */
export const APP_REDIRECT = "https://app.mijn-herstel.example/inloggen/klaar";
const SUBSTANTIAL = "http://eidas.europa.eu/LoA/substantial";

/** Test persons (api/src/identity/persona.rs). */
export const FATIMA = "0193a6c2-0000-7000-8000-000000000001"; // ouder, logs in with DigiD
export const RUUD = "0193a6c2-0000-7000-8000-000000000022"; // gespreksleider, logs in as medewerker

function base64url(bytes: Buffer): string {
  return bytes.toString("base64url");
}

function unescapeHtml(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

function form(page: string): { action: string; fields: [string, string][] } {
  const action = /action="([^"]+)"/.exec(page)?.[1];
  if (action === undefined) throw new UnexpectedResponse("development IdP page has no form");
  const fields: [string, string][] = [];
  for (const match of page.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)"/g)) {
    const [, name, value] = match;
    if (name !== undefined && value !== undefined) fields.push([unescapeHtml(name), unescapeHtml(value)]);
  }
  return { action: unescapeHtml(action), fields };
}

async function redirect(what: string, response: Response): Promise<string> {
  if (response.status !== 302) {
    const body = await response.text();
    throw new UnexpectedResponse(`${what}: expected 302, got ${response.status}: ${body.slice(0, 300)}`);
  }
  return header(what, response, "Location");
}

export interface Tokens {
  readonly accessToken: string;
  readonly refreshToken: string;
}

export async function login(
  origin: string,
  anonymous: ApiClient,
  validator: ContractValidator,
  provider: "digid" | "advocaat" | "medewerker",
  persona: string,
): Promise<Tokens> {
  const verifier = base64url(randomBytes(48));
  const challenge = base64url(createHash("sha256").update(verifier).digest());
  const state = base64url(randomBytes(12));

  // 1. The app opens the login URL (documented operation inloggenStarten: 302 to the IdP).
  const start = new URL(`/v1/inloggen/${encodeURIComponent(provider)}`, origin);
  start.search = new URLSearchParams({
    redirectUri: APP_REDIRECT,
    codeChallenge: challenge,
    codeChallengeMethod: "S256",
    state,
  }).toString();
  const started = await fetch(start, { redirect: "manual", headers: { Accept: "text/html,*/*;q=0.8" } });
  await validator.check("GET", start.toString(), started);
  const authorize = new URL(await redirect("inloggenStarten", started), origin);

  // 2. The development IdP's page (not part of the API) and its form, submitted with the persona.
  const page = await fetch(authorize, { redirect: "manual" });
  if (page.status !== 200) throw new UnexpectedResponse(`development IdP page: expected 200, got ${page.status}`);
  const { action, fields } = form(await page.text());
  fields.push(["persona", persona], ["acr", SUBSTANTIAL], ["simulatie", "normaal"]);
  const submitted = await fetch(new URL(action, origin), {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
  const callback = new URL(await redirect("development IdP form", submitted), origin);

  // 3. The IdP sends the browser back to the API (documented operation inloggenTerugkeer: 302 to the app).
  const returned = await fetch(callback, { redirect: "manual" });
  await validator.check("GET", callback.toString(), returned);
  const app = await redirect("inloggenTerugkeer", returned);
  if (!app.startsWith(APP_REDIRECT)) throw new UnexpectedResponse(`login went to ${app}, not to the app`);
  const query = new URL(app).searchParams;
  const code = query.get("code");
  if (query.get("state") !== state || code === null) {
    throw new UnexpectedResponse(`the app redirect carries no code or the wrong state: ${app}`);
  }

  // 4. The app exchanges the one-time code (typed call, form-encoded as OAuth wants).
  const tokens = expectData(
    "tokenOphalen",
    200,
    await anonymous.POST("/token", {
      body: { grant_type: "authorization_code", code, code_verifier: verifier, redirect_uri: APP_REDIRECT },
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    }),
  );
  if (tokens.token_type !== "Bearer") throw new UnexpectedResponse(`token_type ${tokens.token_type}`);
  return { accessToken: tokens.access_token, refreshToken: tokens.refresh_token };
}
