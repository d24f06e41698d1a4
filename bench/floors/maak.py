#!/usr/bin/env python3
"""Turns the statements bench/floors/vang.sh captured into one pgbench script per endpoint.

    bench/floors/vang.sh mh_j_pop 70000 > vang.txt && bench/floors/maak.py vang.txt bench/floors

Each statement is replayed as the server sent it, its parameters written in as the literals the
log shows, except:
- the captured parent's ids (parent, claim, session; also inside a text such as a resource
  path) become variables set per transaction from `mh_id(kind, :i)` (mh_id.sql, one SELECT
  with \\gset), `i` drawn from the seeded parents whose claim has the endpoint's status
  (drafts, open offers; `-D n=<population>`), so the clients spread over the population
  instead of hitting one row;
- the id of an inserted row (`$1` of an INSERT) becomes `gen_random_uuid()::text`;
- the version check of a claim update uses the version just read (`\\gset c_` on the read that
  the server does anyway), so the update changes a row as the server's does.
"""

import hashlib
import re
import sys
import uuid

# Which parents an endpoint acts as (bench/last: drafts for saves and slots, open offers for
# reads), as the range of (37i + 11) mod 100 that gives that status (api/src/demo/ouder.rs).
OUDERS = {
    "get-claim": ("aanbod", 68, 75),
    "get-posts": ("aanbod", 68, 75),
    "save-answers": ("concept", 8, 32),
    "slots-week": ("concept", 8, 32),
}


def mh_id(soort, i):
    d = hashlib.sha256(b"mijn-herstel/populatie/v1:" + soort.encode() + i.to_bytes(8, "big")).digest()
    b = bytearray(d[:16])
    b[6] = (b[6] & 0x0F) | 0x80
    b[8] = (b[8] & 0x3F) | 0x80
    return str(uuid.UUID(bytes=bytes(b)))


def parameters(detail):
    """`$1 = 'a''b', $2 = NULL` -> {1: "'a''b'", 2: "NULL"}"""
    uit = {}
    for m in re.finditer(r"\$(\d+) = ('(?:[^']|'')*'|NULL)", detail):
        uit[int(m.group(1))] = m.group(2)
    return uit


def zonder_dubbelepunt(literal):
    """pgbench reads `:name` as a variable even inside a string literal (JSON is full of them):
    such a literal becomes an escape string with the colon as \\x3a, the same text."""
    if not re.search(r":[A-Za-z0-9_]", literal):
        return literal
    if not literal.startswith("'"):
        return literal
    return "E" + literal.replace("\\", "\\\\").replace(":", "\\x3a")


def met_ids(literal, ids):
    """A literal with a captured id in it as an SQL expression with mh_id(...) instead."""
    if not literal.startswith("'"):
        return literal
    tekst = literal[1:-1]
    for waarde, expr in ids.items():
        if waarde in tekst:
            delen = [f"'{d}'" if d else None for d in tekst.split(waarde)]
            stukken = []
            for k, deel in enumerate(delen):
                if k:
                    stukken.append(expr)
                if deel:
                    stukken.append(deel)
            return "(" + " || ".join(stukken) + ")"
    return literal


def script(naam, statements, indexen):
    regels = [f"-- The statements of one `{naam}` request (bench/floors/vang.sh, made by maak.py)."]
    ids = {}
    if naam in OUDERS:
        soort, van, tot = OUDERS[naam]
        i = indexen[soort]
        for kind in ("ouder", "aanvraag", "sessie"):
            ids[mh_id(kind, i)] = f"(:{kind})::text"
        # i = 73(p - 11) mod 100 inverts p = (37i + 11) mod 100: a parent of that status in
        # every hundred.
        regels += [
            f"\\set p random({van}, {tot})",
            "\\set i random(0, :n / 100 - 1) * 100 + (73 * (:p + 89)) % 100",
            # The ids once per transaction, so the statements below bind them as parameters,
            # as the server does (one round trip more than the server makes).
            "SELECT mh_id('ouder', :i) AS ouder, mh_id('aanvraag', :i) AS aanvraag, "
            "mh_id('sessie', :i) AS sessie \\gset",
        ]
    for sql, detail in statements:
        params = parameters(detail)
        gset = False
        if sql.startswith("INSERT INTO") and 1 in params:
            params[1] = "gen_random_uuid()::text"
        if sql.startswith('UPDATE "aanvraag"'):
            nieuw = re.search(r'"versie" = \$(\d+),', sql)
            oud = re.search(r'"aanvraag"\."versie" = \$(\d+)', sql)
            if nieuw and oud:
                params[int(nieuw.group(1))] = "(:c_versie)::bigint + 1"
                params[int(oud.group(1))] = "(:c_versie)::bigint"
        if sql.startswith('SELECT "aanvraag"."id", "aanvraag"."ouder_id", "aanvraag"."open_sleutel"') and naam == "save-answers":
            gset = True
        for k in sorted(params, reverse=True):
            sql = sql.replace(f"${k}", met_ids(zonder_dubbelepunt(params[k]), ids))
        regels.append(sql + (" \\gset c_" if gset else ";"))
    return "\n".join(regels) + "\n"


def main():
    bron, doel = sys.argv[1], sys.argv[2]
    secties, indexen, naam = {}, {}, None
    for regel in open(bron, encoding="utf-8"):
        regel = regel.rstrip("\n")
        if regel.startswith("# "):
            soort, i = regel[2:].split()
            indexen[soort] = int(i)
        elif regel.startswith("== "):
            naam = regel[3:]
            secties[naam] = []
        elif regel.startswith("-- "):
            naam = None
        elif naam and re.match(r"\d+\. ", regel):
            tekst = regel.split(". ", 1)[1]
            sql, _, detail = tekst.partition("   -- ")
            secties[naam].append((sql, detail))
    for naam, statements in secties.items():
        with open(f"{doel}/{naam}.sql", "w", encoding="utf-8") as f:
            f.write(script(naam, statements, indexen))
        print(f"{naam}: {len(statements)} statements", file=sys.stderr)


main()
