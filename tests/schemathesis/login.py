"""Log a demo person in through the development IdP, as an app would, and print the access token.

The same steps as `tests/src/login.rs`: open `/v1/inloggen/{provider}` with a PKCE challenge,
follow the redirect to the development IdP's page, submit its form with the chosen persona, follow
the callback back to the API, take the one-time code from the redirect to the app and exchange it
at `POST /v1/token`. Standard library only (no redirects are followed automatically).

    python login.py http://127.0.0.1:8080 [persona-id] [provider]
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import secrets
import sys
import urllib.error
import urllib.parse
import urllib.request
from email.message import Message

# On the default allowlist (`login.app_redirect_uris`).
APP_REDIRECT = "https://app.mijn-herstel.example/inloggen/klaar"
APP_STATE = "schemathesis"
SUBSTANTIAL = "http://eidas.europa.eu/LoA/substantial"

# Test persons (api/src/identity/persona.rs) and the provider each logs in with.
FATIMA = "0193a6c2-0000-7000-8000-000000000001"  # ouder
LOTTE = "0193a6c2-0000-7000-8000-000000000011"  # advocaat
ANOUK = "0193a6c2-0000-7000-8000-000000000021"  # behandelaar
RUUD = "0193a6c2-0000-7000-8000-000000000022"  # gespreksleider
INGRID = "0193a6c2-0000-7000-8000-000000000023"  # beheerder



def provider_of(persona: str) -> str:
    """The persona ids number parents 0x, lawyers 1x and staff 2x."""
    return {"0": "digid", "1": "advocaat", "2": "medewerker"}.get(persona[-2], "digid")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def _send(url: str, data: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[int, Message, bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with _OPENER.open(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:  # 3xx (not followed) and 4xx/5xx
        return error.code, error.headers, error.read()


def _location(step: str, status: int, headers: Message, body: bytes) -> str:
    location = headers.get("Location")
    if status != 302 or not location:
        raise RuntimeError(f"{step}: 302 expected, got {status}: {body[:300]!r}")
    return location


def _form(page: str) -> tuple[str, list[tuple[str, str]]]:
    action = re.search(r'action="([^"]+)"', page)
    if not action:
        raise RuntimeError("dev IdP page has no form")
    fields = [
        (html.unescape(m.group(1)), html.unescape(m.group(2)))
        for m in re.finditer(r'<input type="hidden" name="([^"]*)" value="([^"]*)"', page)
    ]
    return html.unescape(action.group(1)), fields


def login(origin: str, persona: str = FATIMA, provider: str | None = None) -> dict:
    """The token response (`access_token`, `refresh_token`, …) for `persona`."""
    origin = origin.rstrip("/")
    provider = provider or provider_of(persona)
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    query = urllib.parse.urlencode(
        {"redirectUri": APP_REDIRECT, "codeChallenge": challenge, "codeChallengeMethod": "S256", "state": APP_STATE}
    )
    authorize = _location(
        "start",
        *_send(f"{origin}/v1/inloggen/{provider}?{query}", headers={"Accept": "text/html,*/*;q=0.8"}),
    )
    status, _, page = _send(urllib.parse.urljoin(origin + "/", authorize))
    if status != 200:
        raise RuntimeError(f"dev IdP page: {status}")
    action, fields = _form(page.decode())
    fields += [("persona", persona), ("acr", SUBSTANTIAL), ("simulatie", "normaal")]
    callback = _location(
        "submit",
        *_send(
            urllib.parse.urljoin(origin + "/", action),
            data=urllib.parse.urlencode(fields).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        ),
    )
    app = _location("callback", *_send(urllib.parse.urljoin(origin + "/", callback)))
    if not app.startswith(APP_REDIRECT):
        raise RuntimeError(f"callback went to {app}")
    params = urllib.parse.parse_qs(urllib.parse.urlsplit(app).query)
    if params.get("state") != [APP_STATE] or "code" not in params:
        raise RuntimeError(f"no code in {app}")
    status, _, body = _send(
        f"{origin}/v1/token",
        data=urllib.parse.urlencode(
            {
                "grant_type": "authorization_code",
                "code": params["code"][0],
                "code_verifier": verifier,
                "redirect_uri": APP_REDIRECT,
            }
        ).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    if status != 200:
        raise RuntimeError(f"token: {status}: {body[:300]!r}")
    return json.loads(body)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    persona = sys.argv[2] if len(sys.argv) > 2 else FATIMA
    provider = sys.argv[3] if len(sys.argv) > 3 else None
    print(login(sys.argv[1], persona, provider)["access_token"])
