// A complete parent journey against a running Mijn Herstel server, through a client generated from
// openapi/openapi.json only: log in (development IdP, PKCE), create a claim, answer every step of
// the questionnaire (If-Match/ETag), read the personalised damage posts, upload evidence, submit,
// and book a restorative conversation. Every response is checked against the document (validator.ts).
//
//   node dist/journey.js http://127.0.0.1:8080     (or TS_ORIGIN=…)
//
// Exits 0 when the whole journey went as the document says, 1 with a message naming the step,
// operation and status otherwise. TS_OPENAPI (default ../../openapi/openapi.json) is the document the
// responses are checked against; TS_SUMMARY, when set, is where the summary JSON is written.

import { randomUUID } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

import { ANSWERS } from "./answers.js";
import { apiClient, expectData, expectEmpty, expectProblem, header, UnexpectedResponse } from "./api.js";
import { OpenApiDocument } from "./document.js";
import { FATIMA, login, RUUD } from "./login.js";
import { ContractValidator } from "./validator.js";

/** A tiny PDF, enough for the server's content sniffing. */
const PDF = "%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

function day(offset: number): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + offset);
  return d.toISOString().slice(0, 10);
}

function euro(cents: number): string {
  return `€ ${(cents / 100).toLocaleString("nl-NL", { minimumFractionDigits: 2 })}`;
}

function log(message: string): void {
  console.log(`  ${message}`);
}

async function main(): Promise<void> {
  const started = performance.now();
  const origin = (process.argv[2] ?? process.env["TS_ORIGIN"] ?? "http://127.0.0.1:8080").replace(/\/$/, "");
  const documentPath = process.env["TS_OPENAPI"] ?? fileURLToPath(new URL("../../../openapi/openapi.json", import.meta.url));
  const document = await OpenApiDocument.load(documentPath);
  const validator = new ContractValidator(document);
  const baseUrl = `${origin}${document.basePath}`;
  const anonymous = apiClient(baseUrl, validator);
  console.log(`journey against ${baseUrl}, checked against ${documentPath}`);

  // 0. The server is up, and serves the document the types were generated from.
  expectData("gereedheid", 200, await anonymous.GET("/ready"));
  const served: unknown = await (await fetch(`${baseUrl}/openapi.json`)).json();
  if (JSON.stringify(served) !== JSON.stringify(document.raw)) {
    console.warn("  ! the running server serves a different OpenAPI document than the file (stale binary?)");
  }
  const actueel = expectData("vragenlijstActueel", 200, await anonymous.GET("/vragenlijsten/actueel"));
  log(`questionnaire ${actueel.versie}: ${actueel.stappen.length} steps`);
  expectProblem("mijOphalen without a token", 401, await anonymous.GET("/mij"));

  // 1. Log in as a parent through the development IdP.
  const parentTokens = await login(origin, anonymous, validator, "digid", FATIMA);
  const parent = apiClient(baseUrl, validator, parentTokens.accessToken);
  const mij = expectData("mijOphalen", 200, await parent.GET("/mij"));
  if (!mij.rollen.includes("ouder")) throw new UnexpectedResponse(`logged in without the ouder role: ${mij.rollen.join(",")}`);
  log(`logged in as ${mij.naam} (${mij.soort}, ${mij.rollen.join(", ")})`);

  // 2. A new claim.
  const created = await parent.POST("/aanvragen");
  const claim = expectData("aanvraagMaken", 201, created);
  let etag = header("aanvraagMaken", created.response, "ETag");
  const id = claim.id;
  log(`claim ${id} (${claim.status}, content ${claim.inhoudVersie}), ETag ${etag}`);

  // 3. The questionnaire of the claim's content version, and every step answered in its order.
  const vragenlijst = expectData(
    "vragenlijstOphalen",
    200,
    await parent.GET("/vragenlijsten/{versie}", { params: { path: { versie: claim.inhoudVersie } } }),
  );
  for (const stepId of Object.keys(ANSWERS)) {
    if (!vragenlijst.stappen.some((s) => s.id === stepId)) {
      throw new UnexpectedResponse(`prepared answers for step ${stepId}, which the questionnaire does not have`);
    }
  }
  let first = true;
  for (const step of vragenlijst.stappen) {
    const answers = ANSWERS[step.id];
    if (answers === undefined) throw new UnexpectedResponse(`the questionnaire has step ${step.id}, no answers prepared`);
    const questions = new Set(step.vragen.map((v) => v.id));
    const unknown = Object.keys(answers).filter((k) => !questions.has(k));
    if (unknown.length > 0) throw new UnexpectedResponse(`step ${step.id}: unknown questions ${unknown.join(", ")}`);
    const saved = await parent.PUT("/aanvragen/{id}/stappen/{stap}", {
      params: { path: { id, stap: step.id }, header: { "If-Match": etag } },
      body: { antwoorden: answers },
    });
    const after = expectData(`stapOpslaan ${step.id}`, 200, saved);
    const stale = etag;
    etag = header(`stapOpslaan ${step.id}`, saved.response, "ETag");
    const progress = after.stappen.find((s) => s.id === step.id);
    if (progress === undefined || !progress.opgeslagen) throw new UnexpectedResponse(`step ${step.id} not saved: ${JSON.stringify(progress)}`);
    log(`step ${step.id.padEnd(14)} ${progress.compleet ? "complete" : "incomplete"}, ${after.voortgang.beantwoord}/${after.voortgang.totaal} answered, total ${euro(after.totaal)}`);
    if (first) {
      // Optimistic concurrency: a second device still holding the old version is refused.
      const p = expectProblem(
        "stapOpslaan with a stale ETag",
        412,
        await parent.PUT("/aanvragen/{id}/stappen/{stap}", {
          params: { path: { id, stap: step.id }, header: { "If-Match": stale } },
          body: { antwoorden: answers },
        }),
      );
      log(`stale ETag refused: ${p.status} ${p.title}`);
      first = false;
    }
  }
  const current = await parent.GET("/aanvragen/{id}", { params: { path: { id } } });
  const complete = expectData("aanvraagOphalen", 200, current);
  etag = header("aanvraagOphalen", current.response, "ETag");
  const open = complete.stappen.filter((s) => s.zichtbaar && !s.compleet).map((s) => s.id);
  if (open.length > 0) throw new UnexpectedResponse(`steps still incomplete: ${open.join(", ")}`);
  // (voortgang also counts optional questions left empty, so it need not reach its total.)
  log(`all ${complete.stappen.filter((s) => s.zichtbaar).length} visible steps complete, ${complete.voortgang.beantwoord}/${complete.voortgang.totaal} questions answered`);

  // 4. The personalised damage posts; an unchanged claim answers 304 to If-None-Match.
  const postsResult = await parent.GET("/aanvragen/{id}/schadeposten", { params: { path: { id } } });
  const posten = expectData("schadepostenOphalen", 200, postsResult);
  const postsTag = header("schadepostenOphalen", postsResult.response, "ETag");
  if (posten.totaal !== complete.totaal) throw new UnexpectedResponse(`posts total ${posten.totaal} ≠ claim total ${complete.totaal}`);
  const counted = posten.resultaten.filter((p) => p.status === "toegekend" || p.status === "onderbouwing-nodig");
  log(`${posten.resultaten.length} damage posts, ${counted.length} apply, total ${euro(posten.totaal)} (framework ${posten.kaderversie}${posten.vastgesteld ? "" : ", illustrative"})`);
  for (const p of counted) log(`  ${p.id.padEnd(28)} ${p.status.padEnd(18)} ${euro(p.bedrag)}`);
  const notModified = await parent.GET("/aanvragen/{id}/schadeposten", {
    params: { path: { id }, header: { "If-None-Match": postsTag } },
  });
  expectEmpty("schadepostenOphalen If-None-Match", 304, notModified);

  // 5. Evidence for a post that asks for it: a PDF, once (Idempotency-Key), then read back.
  const needsEvidence = counted.find((p) => p.bewijsNodig !== undefined && p.bewijsNodig !== null) ?? counted[0];
  const betreft = needsEvidence?.id;
  const uploaded = expectData(
    "bewijsstukToevoegen",
    201,
    await parent.POST("/aanvragen/{id}/bewijsstukken", {
      params: {
        path: { id },
        query: betreft === undefined ? {} : { betreft },
        header: { "Idempotency-Key": randomUUID(), "Content-Disposition": 'attachment; filename="vonnis ontruiming.pdf"' },
      },
      headers: { "Content-Type": "application/pdf" },
      body: PDF,
      bodySerializer: (body) => new TextEncoder().encode(body),
    }),
  );
  if (uploaded.grootte !== PDF.length || uploaded.soort !== "pdf") {
    throw new UnexpectedResponse(`evidence stored as ${uploaded.soort}, ${uploaded.grootte} bytes`);
  }
  log(`evidence ${uploaded.bestandsnaam} (${uploaded.mediatype}, ${uploaded.grootte} bytes) for ${uploaded.betreft ?? "the whole claim"}`);
  const list = expectData("bewijsstukkenLezen", 200, await parent.GET("/aanvragen/{id}/bewijsstukken", { params: { path: { id } } }));
  if (!list.resultaten.some((b) => b.id === uploaded.id)) throw new UnexpectedResponse("uploaded evidence not in the list");
  const content = await parent.GET("/aanvragen/{id}/bewijsstukken/{bewijsstuk}/inhoud", {
    params: { path: { id, bewijsstuk: uploaded.id } },
    parseAs: "text",
  });
  if (content.response.status !== 200 || content.data !== PDF) {
    throw new UnexpectedResponse(`bewijsstukInhoud: ${content.response.status}, the file did not come back byte for byte`);
  }

  // 6. Submitting: without the statement of truth refused (all problems at once), then once for real.
  const refused = expectProblem(
    "aanvraagIndienen without the statement",
    400,
    await parent.POST("/aanvragen/{id}/indieningen", {
      params: { path: { id }, header: { "Idempotency-Key": randomUUID() } },
      body: { verklaringNaarWaarheid: false },
    }),
  );
  log(`without the statement of truth: ${refused.status} ${(refused.errors ?? []).map((e) => e.pointer).join(", ")}`);
  const key = randomUUID();
  const indiening = expectData(
    "aanvraagIndienen",
    201,
    await parent.POST("/aanvragen/{id}/indieningen", {
      params: { path: { id }, header: { "Idempotency-Key": key } },
      body: { verklaringNaarWaarheid: true },
    }),
  );
  const replay = expectData(
    "aanvraagIndienen (retry, same key)",
    201,
    await parent.POST("/aanvragen/{id}/indieningen", {
      params: { path: { id }, header: { "Idempotency-Key": key } },
      body: { verklaringNaarWaarheid: true },
    }),
  );
  if (replay.referentie !== indiening.referentie) throw new UnexpectedResponse("a retry with the same key submitted twice");
  log(`submitted: ${indiening.referentie}, ${indiening.status}, ${euro(indiening.totaal)}`);
  const tijdlijn = expectData("tijdlijnOphalen", 200, await parent.GET("/aanvragen/{id}/tijdlijn", { params: { path: { id } } }));
  if (tijdlijn.status !== "ingediend") throw new UnexpectedResponse(`timeline status ${tijdlijn.status}`);
  log(`timeline: ${tijdlijn.overgangen.map((o) => o.naar).join(" → ")}, next: ${tijdlijn.aanZet}`);

  // 7. An expert publishes a schedule (a fresh development database has none).
  const expertTokens = await login(origin, anonymous, validator, "medewerker", RUUD);
  const expert = apiClient(baseUrl, validator, expertTokens.accessToken);
  const existing = await expert.GET("/gespreksleiders/mij/rooster");
  let roosterTag = "*";
  if (existing.response.status === 200) roosterTag = header("roosterOphalen", existing.response, "ETag");
  else expectProblem("roosterOphalen (none yet)", 404, existing);
  const week = ["ma", "di", "wo", "do", "vr"].map((dag) => ({ dag, van: "09:00", tot: "17:00" }));
  expectData(
    "roosterVastleggen",
    200,
    await expert.PUT("/gespreksleiders/mij/rooster", {
      params: { header: { "If-Match": roosterTag } },
      body: { vormen: ["video", "telefoon"], talen: ["nl", "en"], week, uitzonderingen: [], afwezig: [] },
    }),
  );

  // 8. The parent books a restorative conversation in a free slot.
  const typen = expectData("gesprekstypenOphalen", 200, await parent.GET("/gesprekstypen"));
  const soort = typen.resultaten.find((t) => t.code === "herstelrechtgesprek") ?? typen.resultaten[0];
  if (soort === undefined) throw new UnexpectedResponse("no conversation types");
  const slots = expectData(
    "tijdslotenOphalen",
    200,
    await parent.GET("/tijdsloten", {
      params: { query: { soort: soort.code, vorm: "video", van: day(3), tot: day(17), taal: "nl" } },
    }),
  );
  const slot = slots.resultaten[0];
  if (slot === undefined) throw new UnexpectedResponse(`no free ${soort.code} slots between ${day(3)} and ${day(17)}`);
  log(`${slots.resultaten.length} free slots for ${soort.naam}; first: ${slot.startLokaal} with ${slot.naam}`);
  const gesprek = expectData(
    "gesprekBoeken",
    201,
    await parent.POST("/gesprekken", {
      params: { header: { "Idempotency-Key": randomUUID() } },
      body: {
        soort: soort.code,
        vorm: "video",
        gespreksleider: slot.gespreksleider,
        start: slot.start,
        voorkeuren: { taal: "nl", onderwerp: "Hoe het met de kinderen ging." },
      },
    }),
  );
  if (gesprek.status !== "geboekt") throw new UnexpectedResponse(`conversation ${gesprek.status}`);
  const mine = expectData("gesprekkenOphalen", 200, await parent.GET("/gesprekken"));
  if (!mine.resultaten.some((g) => g.id === gesprek.id)) throw new UnexpectedResponse("booked conversation not listed");
  log(`booked ${gesprek.soort} on ${gesprek.startLokaal} (${gesprek.vorm}) with ${gesprek.gespreksleider.naam}`);

  // 9. Logging out.
  expectEmpty("uitloggen", 204, await parent.DELETE("/mij/sessie"));
  expectEmpty("uitloggen (expert)", 204, await expert.DELETE("/mij/sessie"));

  const seconds = (performance.now() - started) / 1000;
  const stats = validator.stats;
  const summary = {
    ok: true,
    requests: stats.requests,
    operations: stats.operations.size,
    documentedOperations: document.operationIds().length,
    validated: stats.validated,
    skippedKnownDefects: stats.skipped,
    seconds: Math.round(seconds * 100) / 100,
    referentie: indiening.referentie,
  };
  for (const d of validator.unseenDefects()) {
    console.warn(`  ! KNOWN_DOCUMENT_DEFECTS lists ${d.operationId} ${d.status} ${d.check}, which did not occur: remove it?`);
  }
  const file = process.env["TS_SUMMARY"];
  if (file !== undefined && file !== "") await writeFile(file, `${JSON.stringify(summary, null, 2)}\n`);
  console.log(
    `journey ok: ${stats.requests} API calls to ${stats.operations.size} operations, ${stats.validated} JSON responses validated, ` +
      `${stats.skipped.length} checks skipped for known document defects, ${summary.seconds} s`,
  );
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  console.error(`journey FAILED: ${message}`);
  process.exitCode = 1;
});
