"""schemathesis over a world with a real thing behind every identifier (run by the Rust test
`tests/tests/api/schemathesis.rs`, which builds the access matrix's world and writes wereld.json).

1. The rightful calls: every row of the matrix table, in its order, as a schemathesis case of
   its operation (the rightful caller's token, the current ETag, the world's identifiers), every
   response through all of schemathesis' checks and compared with the status the row expects.
   The login steps go through a real login (start, the IdP's page, return, token).
2. `schemathesis run` over every operation, all phases, with each operation's path parameters
   pinned to the world's identifiers and the rightful caller's token (hooks.py), so the generated
   bodies meet real resources in real states instead of 404s.
3. The summary (summary.py) over both; exit code non-zero on any failure or any operation that
   never reached its success status.

    python wereld.py target/schemathesis/wereld.json
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent


def fill(text: str, ids: dict[str, str]) -> str:
    for k, v in ids.items():
        text = text.replace("{" + k + "}", v)
    return text


def path_parameters(template: str, path: str) -> dict[str, str]:
    pattern = "^" + re.sub(r"\\\{([^}]+)\\\}", r"(?P<\1>[^/]+)", re.escape(template)) + "$"
    pattern = pattern.replace("(?P<", "(?P<p_")
    m = re.match(pattern, path)
    if not m:
        raise RuntimeError(f"{path} past niet op {template}")
    return {k[2:]: urllib.parse.unquote(v) for k, v in m.groupdict().items()}


def location(response) -> str:  # noqa: ANN001
    """A schemathesis response's Location header (its headers are lists by lower-case name)."""
    value = response.headers.get("location") or response.headers.get("Location")
    return value[0] if isinstance(value, list) else value


def verification_code(world: dict) -> str:
    """The address confirmation's code: in the outbox until sent, then in the mail folder."""
    for _ in range(100):
        with sqlite3.connect(world["database"]) as db:
            row = db.execute(
                "SELECT tekst FROM uitgaand_bericht WHERE soort = 'emailadres-verificatie' ORDER BY aangemaakt_op DESC"
            ).fetchone()
        texts = [row[0]] if row else []
        texts += [p.read_text(errors="ignore") for p in Path(world["mailMap"]).glob("*") if p.is_file()]
        for text in texts:
            for line in text.splitlines():
                line = line.strip()
                if len(line) == 6 and line.isdigit():
                    return line
        time.sleep(0.05)
    raise RuntimeError("geen verificatiecode in de mail")


class Rightful:
    """Step 1: the table's rows as schemathesis cases."""

    def __init__(self, world: dict, schema, log) -> None:  # noqa: ANN001
        self.world = world
        self.schema = schema
        self.log = log
        self.base = world["origin"] + "/v1"
        self.ids: dict[str, str] = dict(world["ids"])
        self.tokens: dict[str, str] = dict(world["tokens"])
        self.failures: list[str] = []
        self.calls = 0

    def call(self, op_id: str, *, wie: str = "", path: str | None = None, query=None, body=None,  # noqa: ANN001
             media_type: str | None = None, headers: dict | None = None, expect: int | None = None):
        import requests  # schemathesis' own dependency
        from schemathesis.core.transport import Response  # noqa: F401 - the type validate_response takes

        op = self.schema.find_operation_by_id(op_id)
        hdrs = dict(headers or {})
        if wie:
            hdrs["Authorization"] = f"Bearer {self.tokens[wie]}"
        kwargs = {"headers": hdrs, "query": query or {}}
        if path is not None:
            kwargs["path_parameters"] = path_parameters(op.path, path)
        if body is not None:
            kwargs["body"] = body
            kwargs["media_type"] = media_type or "application/json"
        case = op.Case(**kwargs)
        session = requests.Session()
        response = case.call(base_url=self.base, session=session, allow_redirects=False)
        self.calls += 1
        self.log.write(json.dumps({"operation": op.label, "status": response.status_code, "fase": "rechtmatig"}) + "\n")
        try:
            case.validate_response(response, headers=hdrs)
        except Exception as error:  # noqa: BLE001 - schemathesis raises a group of check failures
            self.failures.append(f"{op_id}: {error}")
        if expect is not None and response.status_code != expect:
            self.failures.append(f"{op_id} als {wie or 'niemand'}: {response.status_code}, verwacht {expect}: {response.text[:300]}")
        return response

    def etag(self, wie: str, path: str) -> str:
        import requests

        r = requests.get(self.base + path, headers={"Authorization": f"Bearer {self.tokens[wie]}"}, timeout=30)
        return r.headers.get("ETag", "*")

    def send(self, wie: str, method: str, path: str, body: dict) -> dict:
        import requests

        r = requests.request(method, self.base + path, json=body, timeout=30,
                             headers={"Authorization": f"Bearer {self.tokens[wie]}", "Idempotency-Key": str(uuid.uuid4())})
        if r.status_code >= 300:
            raise RuntimeError(f"{method} {path}: {r.status_code} {r.text[:300]}")
        return r.json()

    def login(self) -> None:
        """inloggenStarten → the IdP's page → inloggenTerugkeer → tokenOphalen, each validated."""
        import base64
        import hashlib
        import html
        import secrets

        import requests
        from login import APP_REDIRECT, FATIMA, SUBSTANTIAL

        verifier = secrets.token_urlsafe(48)
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        start = self.call("inloggenStarten", path="/inloggen/digid", expect=302, headers={"Accept": "text/html,*/*;q=0.8"},
                          query={"redirectUri": APP_REDIRECT, "codeChallenge": challenge,
                                 "codeChallengeMethod": "S256", "state": "rechtmatig"})
        page = requests.get(urllib.parse.urljoin(self.base + "/", location(start)), timeout=30).text
        action = html.unescape(re.search(r'action="([^"]+)"', page).group(1))
        fields = [(html.unescape(a), html.unescape(b))
                  for a, b in re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)"', page)]
        fields += [("persona", FATIMA), ("acr", SUBSTANTIAL), ("simulatie", "normaal")]
        submitted = requests.post(urllib.parse.urljoin(self.base + "/", action), data=fields, allow_redirects=False, timeout=30)
        back = urllib.parse.urlsplit(urllib.parse.urljoin(self.base + "/", submitted.headers["Location"]))
        ret = self.call("inloggenTerugkeer", path=back.path.removeprefix("/v1"), expect=302,
                        query=dict(urllib.parse.parse_qsl(back.query)))
        code = urllib.parse.parse_qs(urllib.parse.urlsplit(location(ret)).query)["code"][0]
        self.call("tokenOphalen", expect=200, media_type="application/x-www-form-urlencoded",
                  body={"grant_type": "authorization_code", "code": code, "code_verifier": verifier,
                        "redirect_uri": APP_REDIRECT})

    def row(self, row: dict) -> None:
        op = row["op"]
        if op in ("inloggenStarten", "inloggenTerugkeer"):
            return  # part of the login below
        if op == "tokenOphalen":
            self.login()
            return
        if op == "emailadresBevestigen":
            self.ids["code"] = verification_code(self.world)
        wie = row["wie"]
        path, _, query = fill(row["pad"], self.ids).partition("?")
        headers = {"Idempotency-Key": str(uuid.uuid4())}
        if row["etagVan"]:
            headers["If-Match"] = self.etag(wie, fill(row["etagVan"], self.ids))
        body, media_type = None, None
        operation = self.schema.find_operation_by_id(op)
        if op == "bewijsstukToevoegen":
            body, media_type = b"%PDF-1.4\n%%EOF\n", "application/pdf"
            headers["Content-Disposition"] = 'attachment; filename="brief.pdf"'
        elif row["body"] is not None:
            body = json.loads(fill(json.dumps(row["body"]), self.ids))
        elif row["methode"] in ("POST", "PUT") and operation.body:
            body = {}
        response = self.call(op, wie=wie, path=path, query=dict(urllib.parse.parse_qsl(query)), body=body,
                             media_type=media_type, headers=headers, expect=row["status"])
        if row["bewaar"] and response.status_code < 300:
            self.ids[row["bewaar"]] = response.json()["id"]
        if op == "machtigingWeigeren":
            # The next row revokes: Pieter is invited again and accepts, as in the matrix.
            m = self.send("fatima", "POST", "/machtigingen", {
                "registratienummer": "A-20871", "bevoegdheden": ["gesprekken-plannen"], "geldigTot": self.ids["over-90"]})
            self.send("pieter", "POST", f"/machtigingen/{m['id']}/aanvaardingen", {})
            self.ids["machtiging-pieter"] = m["id"]


def pinned_config(base: Path, rows: list[dict], ids: dict[str, str], schema, out: Path) -> Path:  # noqa: ANN001
    """schemathesis.toml plus, per operation, its path parameters pinned to the world's things."""
    lines = [base.read_text(), "", "# Generated by wereld.py: the world's identifiers per operation."]
    for row in rows:
        path = fill(row["pad"], ids).partition("?")[0]
        if "{" in path:
            continue
        op = schema.find_operation_by_id(row["op"])
        params = path_parameters(op.path, path)
        if not params:
            continue
        lines += ["", "[[operations]]", f'include-operation-id = "{row["op"]}"',
                  "parameters = { " + ", ".join(f'"path.{k}" = "{v}"' for k, v in params.items()) + " }"]
    config = out / "schemathesis.toml"
    config.write_text("\n".join(lines) + "\n")
    return config


def main() -> int:
    world_path = Path(sys.argv[1]).resolve()
    world = json.loads(world_path.read_text())
    out = world_path.parent
    os.environ["ST_WERELD"] = str(world_path)
    sys.path.insert(0, str(HERE))
    import schemathesis

    import hooks  # noqa: F401 - the serializers for the upload's media types

    schema = schemathesis.openapi.from_path(world["spec"])
    statuses = out / "statuses.ndjson"
    started = time.time()
    with statuses.open("a", encoding="utf-8") as log:
        rightful = Rightful(world, schema, log)
        for row in world["rijen"]:
            try:
                rightful.row(row)
            except Exception as error:  # noqa: BLE001 - report every row, not just the first
                rightful.failures.append(f"{row['op']}: {type(error).__name__}: {error}")
    print(f"rechtmatige aanroepen: {rightful.calls}, fouten: {len(rightful.failures)}")
    for failure in rightful.failures:
        print("  " + failure.replace("\n", "\n    "))

    config = pinned_config(HERE / "schemathesis.toml", world["rijen"], rightful.ids, schema, out)
    (out / "report").mkdir(exist_ok=True)
    env = dict(os.environ, PYTHONPATH=str(HERE), SCHEMATHESIS_HOOKS="hooks", ST_ORIGIN=world["origin"],
               ST_STATUS_LOG=str(statuses))
    fuzz_started = time.time()
    with (out / "schemathesis.log").open("w", encoding="utf-8") as fuzz_log:
        proc = subprocess.Popen(
            [str(Path(sys.executable).parent / "schemathesis"), "--config-file", str(config), "run", world["spec"],
             "--url", world["origin"] + "/v1",
             "--phases", "examples,coverage,fuzzing,stateful",
             "--max-examples", os.environ.get("ST_MAX_EXAMPLES", "50"),
             "--seed", os.environ.get("ST_SEED", "20261203"),
             "--workers", "1", "--generation-database", "none", "--request-timeout", "30",
             "--report", "junit", "--report-junit-path", str(out / "report/junit.xml"), "--no-color",
             *os.environ.get("ST_ARGS", "").split()],
            cwd=out, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        for line in proc.stdout:
            sys.stdout.write(line)
            fuzz_log.write(line)
        fuzz_status = proc.wait()
    summary = subprocess.run(
        [sys.executable, str(HERE / "summary.py"), "--spec", world["spec"], "--junit", str(out / "report/junit.xml"),
         "--log", str(out / "schemathesis.log"), "--statuses", str(statuses),
         "--seconds", str(int(time.time() - fuzz_started)), "--rightful", str(rightful.calls),
         "--rightful-failures", str(len(rightful.failures)), "--out", str(out / "summary.json")],
        check=False,
    )
    print(f"totaal: {int(time.time() - started)} s")
    return 1 if rightful.failures or fuzz_status != 0 or summary.returncode != 0 else 0


if __name__ == "__main__":
    sys.exit(main())
