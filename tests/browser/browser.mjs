// A real Chromium against a running Mijn Herstel server:
//
//  (a) the DigiD-style login as a parent's app starts it: the system browser opens
//      /v1/inloggen/digid with a PKCE challenge, the development IdP's page is shown, a test
//      person is chosen by clicking, the form is submitted, and the final redirect to the app's
//      claimed https link is intercepted (page.route: nothing goes to the network). The one-time
//      code is then exchanged at POST /v1/token from node, and the token is used once (GET /v1/mij).
//  (b) the API documentation at /v1/docs: Swagger UI renders, lists as many operations as
//      /v1/openapi.json holds, and the browser requested nothing from any other host (no CDN).
//
//   node browser.mjs http://127.0.0.1:8080 [screenshot-dir]
//
// Environment: CHROMIUM (default /usr/bin/chromium), BROWSER_PERSONA (the name as shown on the
// IdP page, default "Jeroen de Boer": not the preselected person, so the click must count).
// Exit code 0 when every check passed, 1 otherwise.

import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const ORIGIN = (process.argv[2] || process.env.MH_BROWSER_ORIGIN || 'http://127.0.0.1:8080').replace(/\/$/, '');
const SHOTS = process.argv[3] || 'screenshots';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const PERSONA = process.env.BROWSER_PERSONA || 'Jeroen de Boer';
// On the development allowlist (login.app_redirect_uris); the app's claimed https link.
const APP_REDIRECT = 'https://app.mijn-herstel.example/inloggen/klaar';
const APP_HOST = new URL(APP_REDIRECT).host;
const SERVER_HOST = new URL(ORIGIN).host;
// The same server under a name that is not loopback (Chromium maps it to 127.0.0.1): Swagger UI
// behaves differently on localhost/127.0.0.1 (it skips its online validator badge there), so the
// no-CDN check runs under this name too, as it would on a real host.
const ALIAS = 'docs.mijn-herstel.test';
const ALIAS_ORIGIN = `${new URL(ORIGIN).protocol}//${ALIAS}:${new URL(ORIGIN).port}`;
const ALIAS_HOST = new URL(ALIAS_ORIGIN).host;
const SUBSTANTIAL = 'http://eidas.europa.eu/LoA/substantial';

const checks = [];
const check = (ok, what, detail = '') => {
  checks.push({ ok: !!ok, what, detail });
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${detail ? ` — ${detail}` : ''}`);
  return !!ok;
};
const b64url = (buf) => buf.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const seconds = (t0) => ((Date.now() - t0) / 1000).toFixed(1);

mkdirSync(SHOTS, { recursive: true });
const userDataDir = mkdtempSync(join(tmpdir(), 'mh-chromium-'));
const started = Date.now();

// Every request the browser makes, by phase; anything not to the server (or to the app link,
// which is answered in the browser) is refused and counted as a failure.
let phase = 'start';
const requests = [];
const foreign = [];

const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: CHROMIUM,
  headless: true,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--host-resolver-rules=MAP ${ALIAS} 127.0.0.1`,
  ],
  viewport: { width: 1280, height: 900 },
  locale: 'nl-NL',
});

const page = context.pages()[0] || (await context.newPage());

// Interception through the DevTools protocol's Fetch domain rather than page.route: Playwright's
// route sees only the first request of a redirect chain, and the app link is reached through two
// redirects (IdP → our callback → the app). Fetch pauses every request, redirects included.
let appRedirect = null;
const cdp = await context.newCDPSession(page);
await cdp.send('Fetch.enable', { patterns: [{ urlPattern: '*', requestStage: 'Request' }] });
cdp.on('Fetch.requestPaused', async ({ requestId, request }) => {
  try {
    const url = new URL(request.url);
    requests.push({ phase, method: request.method, url: url.href });
    if (url.host === SERVER_HOST || url.host === ALIAS_HOST) return await cdp.send('Fetch.continueRequest', { requestId });
    if (url.host === APP_HOST && phase === 'login') {
      // The app's claimed link: the OS would hand it to the app. Answer it here, no network.
      appRedirect = url;
      return await cdp.send('Fetch.fulfillRequest', {
        requestId,
        responseCode: 200,
        responseHeaders: [{ name: 'Content-Type', value: 'text/html; charset=utf-8' }],
        body: Buffer.from('<!doctype html><title>App</title><p>Terug in de app.</p>').toString('base64'),
      });
    }
    foreign.push({ phase, url: url.href });
    return await cdp.send('Fetch.failRequest', { requestId, errorReason: 'BlockedByClient' });
  } catch (e) {
    if (!String(e).includes('closed')) console.log(`     interception error: ${e}`);
  }
});

const consoleErrors = [];
page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(`${phase}: ${m.text()}`); });
page.on('pageerror', (e) => consoleErrors.push(`${phase}: ${e.message}`));
page.on('response', (r) => { if (r.status() >= 400) consoleErrors.push(`${phase}: ${r.status()} for ${r.url().replace(ORIGIN, '')}`); });

let status = 0;
try {
  // ---------------------------------------------------------------- (a) login through the dev IdP
  phase = 'login';
  const t0 = Date.now();
  const verifier = b64url(randomBytes(48));
  const challenge = b64url(createHash('sha256').update(verifier).digest());
  const state = b64url(randomBytes(12));
  const start = new URL(`${ORIGIN}/v1/inloggen/digid`);
  start.search = new URLSearchParams({ redirectUri: APP_REDIRECT, codeChallenge: challenge, codeChallengeMethod: 'S256', state }).toString();

  const shown = await page.goto(start.href, { waitUntil: 'load' });
  check(shown && shown.status() === 200, 'login start redirects to the development IdP page', `${shown && shown.status()} ${page.url().replace(ORIGIN, '')}`.slice(0, 120));
  check(new URL(page.url()).pathname === '/dev-idp/digid/authorize', 'the page is the dev IdP authorize page', new URL(page.url()).pathname);
  await page.getByRole('heading', { name: /Ontwikkel-inlogdienst/ }).waitFor();
  const personas = await page.getByRole('radio').count();
  check(personas === 4, 'the IdP page offers the four test parents', `${personas} radio buttons`);
  await page.screenshot({ path: join(SHOTS, 'idp.png'), fullPage: true });

  // Choose like a user: click the person's label, pick the level, press the button.
  await page.getByText(PERSONA, { exact: false }).click();
  check(await page.getByLabel(PERSONA).isChecked(), `clicking "${PERSONA}" selects that person`);
  await page.getByLabel('Betrouwbaarheidsniveau').selectOption(SUBSTANTIAL);
  await page.getByLabel('Simulatie').selectOption('normaal');
  await page.screenshot({ path: join(SHOTS, 'idp-gekozen.png'), fullPage: true });
  await Promise.all([
    page.waitForURL((u) => u.host === APP_HOST, { timeout: 15000 }),
    page.getByRole('button', { name: 'Inloggen' }).click(),
  ]);
  check(appRedirect !== null, 'the browser was sent to the app link (intercepted, no network)', appRedirect ? `${appRedirect.origin}${appRedirect.pathname}` : 'none');
  const code = appRedirect && appRedirect.searchParams.get('code');
  check(appRedirect && `${appRedirect.origin}${appRedirect.pathname}` === APP_REDIRECT, 'redirect goes exactly to the registered redirectUri');
  check(code && code.length >= 16, 'the redirect carries a one-time code', code ? `${code.length} characters` : 'missing');
  check(appRedirect && appRedirect.searchParams.get('state') === state, 'the redirect carries our state unchanged');

  // The app's part: exchange the code with its PKCE verifier.
  const form = (o) => ({ method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(o).toString() });
  const tokenRes = await fetch(`${ORIGIN}/v1/token`, form({ grant_type: 'authorization_code', code: code || '', code_verifier: verifier, redirect_uri: APP_REDIRECT }));
  const tokens = await tokenRes.json().catch(() => ({}));
  check(tokenRes.status === 200 && typeof tokens.access_token === 'string' && tokens.access_token.split('.').length === 3,
    'POST /v1/token gives an access token (JWT)', `${tokenRes.status} token_type=${tokens.token_type} expires_in=${tokens.expires_in}`);
  check(typeof tokens.refresh_token === 'string', 'and a refresh token');
  const again = await fetch(`${ORIGIN}/v1/token`, form({ grant_type: 'authorization_code', code: code || '', code_verifier: verifier, redirect_uri: APP_REDIRECT }));
  const againBody = await again.json().catch(() => ({}));
  check(again.status === 400 && againBody.error === 'invalid_grant', 'the code works once (second exchange: 400 invalid_grant)', `${again.status} ${againBody.error}`);
  const mij = await fetch(`${ORIGIN}/v1/mij`, { headers: { Authorization: `Bearer ${tokens.access_token}` } });
  const mijBody = await mij.json().catch(() => ({}));
  check(mij.status === 200 && JSON.stringify(mijBody).includes(PERSONA), `GET /v1/mij with the token answers as ${PERSONA}`, `${mij.status}`);
  console.log(`     login took ${seconds(t0)} s`);

  // ---------------------------------------------------------------- (b) the documentation
  phase = 'docs';
  const t1 = Date.now();
  const doc = await (await fetch(`${ORIGIN}/v1/openapi.json`)).json();
  const methods = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];
  const expected = Object.values(doc.paths).reduce((n, item) => n + methods.filter((m) => item[m]).length, 0);
  const docsRes = await page.goto(`${ORIGIN}/v1/docs`, { waitUntil: 'networkidle' });
  check(docsRes && docsRes.status() === 200, 'GET /v1/docs (308 to /v1/docs/) shows the Swagger UI page', `${docsRes && docsRes.status()}`);
  await page.locator('.swagger-ui .info .title').first().waitFor({ timeout: 20000 });
  await page.locator('.opblock').first().waitFor({ timeout: 20000 });
  const title = (await page.locator('.swagger-ui .info .title').first().innerText()).trim();
  check(title.includes(doc.info.title), 'Swagger UI shows the document title', title.replace(/\s+/g, ' '));
  // Expand collapsed tags, if any, so every operation block is in the page.
  for (const tag of await page.locator('.opblock-tag-section:not(.is-open) .opblock-tag').all()) await tag.click();
  const rendered = await page.locator('.opblock').count();
  check(rendered === expected, 'every operation of /v1/openapi.json is listed', `${rendered} operation blocks rendered, ${expected} operations in the document`);
  const tags = await page.locator('.opblock-tag').count();
  check(tags === (doc.tags || []).length, 'every tag is a section', `${tags} sections, ${(doc.tags || []).length} tags`);
  await page.screenshot({ path: join(SHOTS, 'docs.png'), fullPage: false });
  await page.screenshot({ path: join(SHOTS, 'docs-volledig.png'), fullPage: true });
  const docsRequests = requests.filter((r) => r.phase === 'docs');
  check(docsRequests.length > 0 && docsRequests.every((r) => new URL(r.url).host === SERVER_HOST),
    'the docs loaded only from the server', `${docsRequests.length} requests, all to ${SERVER_HOST}`);

  // The same page under a non-loopback name, as on a real host.
  phase = 'docs-alias';
  const aliasRes = await page.goto(`${ALIAS_ORIGIN}/v1/docs`, { waitUntil: 'networkidle' });
  await page.locator('.opblock').first().waitFor({ timeout: 20000 });
  await page.waitForTimeout(1000);
  const aliasRendered = await page.locator('.opblock').count();
  const aliasRequests = requests.filter((r) => r.phase === 'docs-alias');
  const aliasForeign = foreign.filter((f) => f.phase === 'docs-alias');
  check(aliasRes && aliasRes.status() === 200 && aliasRendered === expected,
    `under the name ${ALIAS} the docs render too`, `${aliasRendered} operation blocks`);
  check(aliasForeign.length === 0, `under ${ALIAS} nothing is requested from another host`,
    aliasForeign.length ? aliasForeign.map((f) => f.url).join(', ') : `${aliasRequests.length} requests, all to ${ALIAS_HOST}`);
  console.log(`     docs took ${seconds(t1)} s`);
} catch (e) {
  check(false, 'the run finished without an exception', String(e && e.stack ? e.stack.split('\n').slice(0, 3).join(' | ') : e));
  await page.screenshot({ path: join(SHOTS, 'fout.png'), fullPage: true }).catch(() => {});
} finally {
  phase = 'end';
  check(foreign.length === 0, 'no request to any other host (no CDN, no phoning home)',
    foreign.length ? foreign.map((f) => `${f.phase}: ${f.url}`).join(', ') : `${requests.length} requests in total`);
  if (consoleErrors.length) console.log(`     browser console errors: ${consoleErrors.join(' | ')}`);
  if (process.env.BROWSER_VERBOSE) for (const r of requests) console.log(`     ${r.phase} ${r.method} ${r.url.replace(ORIGIN, '')}`.slice(0, 160));
  await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
  const failed = checks.filter((c) => !c.ok).length;
  console.log(`\n${checks.length - failed}/${checks.length} checks passed in ${seconds(started)} s; screenshots in ${SHOTS}`);
  status = failed ? 1 : 0;
}
process.exit(status);
