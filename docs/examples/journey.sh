#!/usr/bin/env bash
# A parent's journey through the Mijn Herstel API as plain curl commands.
#
#   BASE=http://127.0.0.1:8080 bash docs/examples/journey.sh
#
# Against what `cargo run -p mijn-herstel` serves out of the box (development mode, demo persons,
# development IdP). Every step prints one line; any error stops the script (set -e and
# `curl --fail-with-body`, which prints the problem+json body of a 4xx/5xx).
#
# Needs: curl (7.76 or newer), jq, openssl. Run it against a fresh database: a parent has at most
# one open claim and one upcoming conversation, so a second run as the same parent stops at
# "create a claim" (409). PERSONA picks another demo parent (see docs/getting-started.md).
set -euo pipefail
shopt -s inherit_errexit  # a failing curl inside $(…) stops the script too

BASE=${BASE:-http://127.0.0.1:8080}
API="$BASE/v1"
# The test persons (api/src/identity/persona.rs): Fatima El Amrani, a parent; Ruud Mulder, an expert.
PERSONA=${PERSONA:-0193a6c2-0000-7000-8000-000000000001}
EXPERT=${EXPERT:-0193a6c2-0000-7000-8000-000000000022}
# Where the app receives its one-time code: on the development allowlist (login.app_redirect_uris).
APP_REDIRECT=https://app.mijn-herstel.example/inloggen/klaar

for tool in curl jq openssl; do
  command -v "$tool" >/dev/null || { echo "journey.sh needs $tool" >&2; exit 1; }
done

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
step() { printf '\n== %s\n' "$*"; }
# Every call: on a 4xx/5xx, print the problem+json body to stderr and fail; quiet otherwise.
c() {
  local out rc=0
  out=$(curl --silent --show-error --fail-with-body "$@") || rc=$?
  if [ "$rc" -ne 0 ]; then printf '%s\n' "$out" >&2; return "$rc"; fi
  printf '%s\n' "$out"
}
uuid() { cat /proc/sys/kernel/random/uuid 2>/dev/null || openssl rand -hex 16; }
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

# login <persona id> <provider: digid | advocaat | medewerker> → prints the token response.
# What the app and the system browser do, with curl following each redirect by hand.
login() {
  local persona=$1 provider=$2 verifier challenge state authorize page action callback app code
  # 1. The app makes a PKCE pair (RFC 7636) and a state.
  verifier=$(openssl rand 48 | b64url)
  challenge=$(printf '%s' "$verifier" | openssl dgst -sha256 -binary | b64url)
  state=$(openssl rand 12 | b64url)
  # 2. The system browser opens our login URL; we answer 302 to the IdP (here: the dev IdP).
  authorize=$(c -o /dev/null -w '%{redirect_url}' -H 'Accept: text/html,*/*;q=0.8' -G "$API/inloggen/$provider" \
    --data-urlencode "redirectUri=$APP_REDIRECT" --data-urlencode "codeChallenge=$challenge" \
    --data-urlencode "codeChallengeMethod=S256" --data-urlencode "state=$state")
  # 3. The IdP's page: a form with hidden fields, a list of test persons, a level of assurance.
  page=$(c "$authorize")
  action=$(printf '%s' "$page" | sed -n 's/.*<form method="post" action="\([^"]*\)".*/\1/p')
  local fields=()
  while IFS=$'\t' read -r name value; do
    fields+=(--data-urlencode "$name=$value")
  done < <(printf '%s' "$page" | sed -n 's/.*<input type="hidden" name="\([^"]*\)" value="\([^"]*\)".*/\1\t\2/p' |
    sed 's/&quot;/"/g; s/&#39;/'"'"'/g; s/&lt;/</g; s/&gt;/>/g; s/&amp;/\&/g')
  # 4. The person picks a test person and the level "substantial" and presses "Inloggen": the IdP
  #    answers 302 to our callback, which answers 302 to the app with a one-time code.
  callback=$(c -o /dev/null -w '%{redirect_url}' "${fields[@]}" \
    --data-urlencode "persona=$persona" --data-urlencode "acr=http://eidas.europa.eu/LoA/substantial" \
    --data-urlencode "simulatie=normaal" "${BASE}${action}")
  app=$(c -o /dev/null -w '%{redirect_url}' "$callback")
  case "$app" in "$APP_REDIRECT?"*) ;; *) echo "login: expected a redirect to the app, got '$app'" >&2; return 1 ;; esac
  [ "$(jq -rn --arg u "${app#*\?}" '$u | split("&") | map(split("=")) | map({(.[0]): .[1]}) | add | .state')" = "$state" ] ||
    { echo "login: state changed" >&2; return 1; }
  # (the code stays as it came, URL-encoded, and is sent on with --data as is)
  code=$(jq -rn --arg u "${app#*\?}" '$u | split("&") | map(split("=")) | map({(.[0]): .[1]}) | add | .code')
  # 5. The app exchanges the code with its verifier for our tokens.
  c -X POST "$API/token" --data-urlencode grant_type=authorization_code --data "code=$code" \
    --data-urlencode "code_verifier=$verifier" --data-urlencode "redirect_uri=$APP_REDIRECT"
}

# A header of the last response (written with -D).
header() { tr -d '\r' <"$WORK/headers" | sed -n "s/^$1: //Ip" | tail -n 1; }

step "Log in as the demo parent through the development IdP (PKCE, one-time code, POST /v1/token)"
TOKENS=$(login "$PERSONA" digid)
TOKEN=$(jq -r .access_token <<<"$TOKENS")
REFRESH=$(jq -r .refresh_token <<<"$TOKENS")
AUTH=(-H "Authorization: Bearer $TOKEN")
echo "logged in as $(c "${AUTH[@]}" "$API/mij" | jq -r '.naam'); access token valid $(jq -r .expires_in <<<"$TOKENS") s"

step "Read the current questionnaire (public): GET /v1/vragenlijsten/actueel"
c "$API/vragenlijsten/actueel" | jq -r '"version \(.versie): \(.stappen | length) steps: \([.stappen[].id] | join(", "))"'

step "Create a claim (aanvraag): POST /v1/aanvragen"
CLAIM=$(c -D "$WORK/headers" -X POST "${AUTH[@]}" "$API/aanvragen")
ID=$(jq -r .id <<<"$CLAIM")
ETAG=$(header etag)
echo "claim $ID, status $(jq -r .status <<<"$CLAIM"), content version $(jq -r .inhoudVersie <<<"$CLAIM"), ETag $ETAG"

step "Answer the questionnaire step by step: PUT /v1/aanvragen/{id}/stappen/{stap} with If-Match"
# The answers of the demo parent (the same as tests/src/aanvraag.rs). Each save returns a new
# ETag; the next save sends it in If-Match (a stale one gets 412, none at all 428).
save() {
  local stap=$1 answers=$2 result
  result=$(c -D "$WORK/headers" -X PUT "${AUTH[@]}" -H "If-Match: $ETAG" -H 'Content-Type: application/json' \
    --data "{\"antwoorden\": $answers}" "$API/aanvragen/$ID/stappen/$stap")
  ETAG=$(header etag)
  echo "step $stap saved: $(jq -r '"\(.voortgang.beantwoord)/\(.voortgang.totaal) answered, next step: \(.huidigeStap // "none")"' <<<"$result")"
}
save start '{"start.erkend": true, "start.ib-definitief": true, "start.eerder-afgewikkeld": "nee", "start.advocaat": false, "start.taal": "nl"}'
save gegevens '{"gegevens.toestemming": []}'
save tijdlijn '{"tijdlijn.probleemstart": "2012-03-01", "tijdlijn.toeslagjaren": [{"jaar": 2010, "teruggevorderd": 300000, "terugbetaald": 150000, "datum-terugvordering": "2012-03-01"}], "tijdlijn.gezinsleden": 4, "tijdlijn.leefgebieden": ["wonen", "werk-inkomen", "schulden", "gezin", "gezondheid", "opleiding", "bezittingen", "kosten"]}'
save wonen '{"wonen.geraakt": true, "wonen.verlies-soort": "koopwoning", "wonen.verlies-datum": "2014-05-01", "wonen.noodgedwongen-verhuisd": true, "wonen.verhuis-datum": "2014-06-01", "wonen.dakloos": true, "wonen.dakloos-jaren": 2, "wonen.dakloos-sinds": "2014-06-01"}'
save werk-inkomen '{"werk-inkomen.geraakt": true, "werk-inkomen.baan-verloren": true, "werk-inkomen.baanverlies-datum": "2013-01-15", "werk-inkomen.minder-gewerkt": true, "werk-inkomen.minder-gewerkt-jaren": 3, "werk-inkomen.minder-gewerkt-sinds": "2013-02-01", "werk-inkomen.onderneming-beeindigd": false, "werk-inkomen.pensioen-gemist": false}'
save schulden '{"schulden.geraakt": true, "schulden.beslag": true, "schulden.beslag-datum": "2012-09-01", "schulden.beslag-duur": "lang", "schulden.deurwaarder": false}'
save gezin '{"gezin.geraakt": true, "gezin.relatiebreuk": true, "gezin.relatiebreuk-datum": "2011-06-01", "gezin.uithuisplaatsing": true, "gezin.uithuisgeplaatst-aantal": 2, "gezin.uithuisplaatsing-datum": "2015-01-01"}'
save gezondheid '{"gezondheid.geraakt": true, "gezondheid.ernst": "zwaar", "gezondheid.klachten-sinds": "2012-06-01"}'
save opleiding '{"opleiding.geraakt": true, "opleiding.vertraging-jaren": 1, "opleiding.sinds": "2013-09-01"}'
save bezittingen '{"bezittingen.geraakt": true, "bezittingen.waarde-klasse": "tot-5000", "bezittingen.datum": "2013-03-01"}'
save kosten '{"kosten.geraakt": true, "kosten.vervangende-opvang": false, "kosten.juridisch": "aanzienlijk"}'
save eigen-verhaal '{"eigen-verhaal.tekst": "Wij verloren ons huis en daarna bijna alles."}'
save ondersteuning '{"ondersteuning.herstelrechtgesprek": true}'
save overzicht '{"overzicht.naar-waarheid": true}'

step "Read the personalised damage posts (schadeposten): GET /v1/aanvragen/{id}/schadeposten"
POSTS=$(c "${AUTH[@]}" "$API/aanvragen/$ID/schadeposten")
jq -r '.resultaten[] | "  \(.id): \(.status), € \(.bedrag / 100)"' <<<"$POSTS"
echo "total € $(jq -r '.totaal / 100' <<<"$POSTS") (framework $(jq -r .kaderversie <<<"$POSTS"), official amounts: $(jq -r .vastgesteld <<<"$POSTS"))"
EVIDENCE_FOR=$(jq -r '[.resultaten[] | select(.bewijsNodig != null) | .id][0] // empty' <<<"$POSTS")

step "Upload evidence for post '${EVIDENCE_FOR:-the whole claim}': POST /v1/aanvragen/{id}/bewijsstukken with an Idempotency-Key"
# The file is the body (no multipart); its type is decided by its first bytes, the name comes
# from Content-Disposition, the post from ?betreft=.
printf '%%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%%%EOF\n' >"$WORK/brief.pdf"
UPLOAD_KEY=$(uuid)
DOC=$(c -X POST "${AUTH[@]}" -H "Idempotency-Key: $UPLOAD_KEY" -H 'Content-Type: application/pdf' \
  -H 'Content-Disposition: attachment; filename="brief-deurwaarder.pdf"' \
  --data-binary "@$WORK/brief.pdf" "$API/aanvragen/$ID/bewijsstukken${EVIDENCE_FOR:+?betreft=$EVIDENCE_FOR}")
echo "document $(jq -r .id <<<"$DOC"): $(jq -r '"\(.bestandsnaam), \(.soort), \(.grootte) bytes, scan \(.scan)"' <<<"$DOC")"
AGAIN=$(c -D "$WORK/headers" -X POST "${AUTH[@]}" -H "Idempotency-Key: $UPLOAD_KEY" -H 'Content-Type: application/pdf' \
  -H 'Content-Disposition: attachment; filename="brief-deurwaarder.pdf"' \
  --data-binary "@$WORK/brief.pdf" "$API/aanvragen/$ID/bewijsstukken${EVIDENCE_FOR:+?betreft=$EVIDENCE_FOR}")
echo "the same upload again with the same key: Idempotent-Replayed: $(header idempotent-replayed), same document: $([ "$(jq -r .id <<<"$AGAIN")" = "$(jq -r .id <<<"$DOC")" ] && echo yes || echo NO)"
echo "documents on the claim: $(c "${AUTH[@]}" "$API/aanvragen/$ID/bewijsstukken" | jq '.resultaten | length')"

step "Submit the claim (indienen): POST /v1/aanvragen/{id}/indieningen with an Idempotency-Key"
SUBMITTED=$(c -X POST "${AUTH[@]}" -H "Idempotency-Key: $(uuid)" -H 'Content-Type: application/json' \
  --data '{"verklaringNaarWaarheid": true}' "$API/aanvragen/$ID/indieningen")
echo "submitted: reference $(jq -r .referentie <<<"$SUBMITTED"), status $(jq -r .status <<<"$SUBMITTED"), frozen total € $(jq -r '.totaal / 100' <<<"$SUBMITTED")"

step "Where does the claim stand: GET /v1/aanvragen/{id}/tijdlijn"
c "${AUTH[@]}" "$API/aanvragen/$ID/tijdlijn" | jq -r '"status \(.status) (\(.betekenis.en)) next: \(.volgendeStap.en) [\(.aanZet), usually \(.verwachteDuurDagen) days]"'

step "Read the inbox (berichten): GET /v1/mij/berichten"
c "${AUTH[@]}" "$API/mij/berichten?page=1&pageSize=5" | jq -r '"\(.resultaten | length) messages on this page; newest: \(.resultaten[0].onderwerp // .resultaten[0].titel // "-")"'

step "Make sure the demo expert has a weekly schedule (as the expert, GET/PUT /v1/gespreksleiders/mij/rooster)"
# The demo data gives the experts office hours; this step keeps the script working on a
# database where they were removed. An expert (or a beheerder) keeps the schedule; If-Match "*"
# on the first save, the ETag after that.
EXPERT_TOKEN=$(login "$EXPERT" medewerker | jq -r .access_token)
EAUTH=(-H "Authorization: Bearer $EXPERT_TOKEN")
ROOSTER_STATUS=$(curl --silent --output "$WORK/rooster" --write-out '%{http_code}' "${EAUTH[@]}" "$API/gespreksleiders/mij/rooster")
if [ "$ROOSTER_STATUS" = 200 ] && [ "$(jq '.week | length' "$WORK/rooster")" -gt 0 ]; then
  echo "the expert already has a schedule"
else
  c -X PUT "${EAUTH[@]}" -H 'If-Match: *' -H 'Content-Type: application/json' --data '{
      "vormen": ["video", "telefoon"], "talen": ["nl", "en"], "uitzonderingen": [], "afwezig": [],
      "week": [{"dag": "ma", "van": "09:00", "tot": "17:00"}, {"dag": "di", "van": "09:00", "tot": "17:00"},
               {"dag": "wo", "van": "09:00", "tot": "17:00"}, {"dag": "do", "van": "09:00", "tot": "17:00"},
               {"dag": "vr", "van": "09:00", "tot": "17:00"}]}' \
    "$API/gespreksleiders/mij/rooster" >/dev/null
  echo "schedule saved: weekdays 09:00–17:00 (Dutch time), video and telephone"
fi

step "List free times for a restorative conversation (herstelrechtgesprek): GET /v1/tijdsloten"
c "$API/gesprekstypen" | jq -r '.resultaten[] | "kind \(.code): \(.naam), \(.duurMin) min, book \(.boekenVooraf) ahead"'
VAN=$(date -u -d '+3 days' +%F 2>/dev/null || date -u -v+3d +%F)
TOT=$(date -u -d '+16 days' +%F 2>/dev/null || date -u -v+16d +%F)
SLOTS=$(c "${AUTH[@]}" -G "$API/tijdsloten" --data-urlencode soort=herstelrechtgesprek --data-urlencode vorm=video \
  --data-urlencode "van=$VAN" --data-urlencode "tot=$TOT")
echo "$(jq '.resultaten | length' <<<"$SLOTS") free times between $VAN and $TOT; first: $(jq -r '.resultaten[0] | "\(.startLokaal) with \(.naam)"' <<<"$SLOTS")"
SLOT=$(jq -c '.resultaten[0] // empty' <<<"$SLOTS")
[ -n "$SLOT" ] || { echo "no free time found" >&2; exit 1; }

step "Book the first free time: POST /v1/gesprekken with an Idempotency-Key"
BOOKING=$(jq -c '{soort: "herstelrechtgesprek", vorm: "video", gespreksleider: .gespreksleider, start: .start, voorkeuren: {taal: "nl"}}' <<<"$SLOT")
CONVERSATION=$(c -X POST "${AUTH[@]}" -H "Idempotency-Key: $(uuid)" -H 'Content-Type: application/json' --data "$BOOKING" "$API/gesprekken")
echo "conversation $(jq -r .id <<<"$CONVERSATION"): $(jq -r '"\(.status), \(.startLokaal // .start), \(.vorm)"' <<<"$CONVERSATION")"

step "Refresh the session (POST /v1/token grant_type=refresh_token), then log out (DELETE /v1/mij/sessie)"
NEW=$(c -X POST "$API/token" --data-urlencode grant_type=refresh_token --data-urlencode "refresh_token=$REFRESH")
TOKEN=$(jq -r .access_token <<<"$NEW")
c -o /dev/null -X DELETE -H "Authorization: Bearer $TOKEN" "$API/mij/sessie"
AFTER=$(curl --silent --output /dev/null --write-out '%{http_code}' -H "Authorization: Bearer $TOKEN" "$API/mij")
echo "new tokens received, logged out; GET /v1/mij with the old access token now answers $AFTER"
[ "$AFTER" = 401 ]

printf '\nJourney complete: claim %s submitted, conversation booked.\n' "$ID"
