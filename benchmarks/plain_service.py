"""The yardstick of `benchmarks/web.py`: a minimal plain FastAPI + SQLAlchemy Core service of the same read semantics
as reassure's `/api/v1/pledges` and `/api/v1/me` (issue 27), on the same database. Not product code.

Per request, like reassure: the bearer token is looked up by its SHA-256 in api_tokens joined to users (active, not
revoked, not expired); pledges are read with the same releasability filter written as SQL (PUBLIC, or a REL TO list
naming the reader's nation, on the pledge, its scenario and its nation's row), one page in SQL with its sources (only
those the reader sees) and the total. Default FastAPI (its JSON encoding) on default uvicorn (httptools and uvloop
when installed), no cache.

Run: python benchmarks/plain_service.py --port 8100 [--processes 2]   (database: REASSURE_DATABASE_URL)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
from datetime import UTC, datetime
from typing import Any

import uvicorn
from fastapi import FastAPI, Header, HTTPException
from sqlalchemy import create_engine, text

PLEDGES = """
SELECT p.id, s.name AS scenario, p.key, p.nation_code AS nation, n.name AS nation_name, p.domain, p.capability,
       p.qty_kind, p.qty_value, p.qty_low, p.qty_high, p.personnel_per_unit, p.locations, p.available_from,
       p.available_to, p.max_tour, p.min_dwell,
       p.caveats, p.conditions, p.status, p.probability, p.standing, p.notes, p.rel_to AS marking
FROM pledges p JOIN scenarios s ON s.id = p.scenario_id JOIN nations n ON n.code = p.nation_code
WHERE {visible_p} AND {visible_s}
ORDER BY s.name, s.id, p.nation_code, p.key, p.id LIMIT :limit OFFSET :offset"""
TOTAL = """SELECT count(*) FROM pledges p JOIN scenarios s ON s.id = p.scenario_id JOIN nations n
ON n.code = p.nation_code WHERE {visible_p} AND {visible_s}"""
SOURCES = """SELECT ps.pledge_id, src.key FROM pledge_sources ps JOIN sources src ON src.id = ps.source_id
WHERE ps.pledge_id IN ({ids}) AND {visible_src} ORDER BY src.key"""


def visible(alias: str) -> str:
    """Return the releasability filter of one table as SQL (`:pattern` is ',NAT,' wrapped in %)."""
    return f"({alias}.rel_to = 'PUBLIC' OR {alias}.rel_to LIKE :pattern)"


def decoded(value: Any) -> Any:
    """Return a JSON column's value (SQLite hands back its text, PostgreSQL the value)."""
    return json.loads(value) if isinstance(value, str) else value


def create() -> FastAPI:
    """Return the app on the database the environment names."""
    engine = create_engine(os.environ["REASSURE_DATABASE_URL"])
    app = FastAPI()

    def reader(authorization: str | None) -> dict[str, Any]:
        if not authorization or not authorization.startswith("Bearer "):
            raise HTTPException(401, "no token")
        digest = hashlib.sha256(authorization[7:].strip().encode()).hexdigest()
        with engine.connect() as conn:
            row = conn.execute(text("SELECT u.name, u.nation, u.roles, u.active, t.revoked_at, t.expires_at FROM "
                                    "api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = :h"),
                               {"h": digest}).mappings().first()
        if row is None or not row["active"] or row["revoked_at"] is not None:
            raise HTTPException(401, "invalid token")
        expires = row["expires_at"]
        expires = datetime.fromisoformat(expires) if isinstance(expires, str) else expires
        if (expires if expires.tzinfo else expires.replace(tzinfo=UTC)) <= datetime.now(UTC):
            raise HTTPException(401, "invalid token")
        return dict(row)

    @app.get("/api/v1/me")
    def me(authorization: str | None = Header(None)) -> dict[str, Any]:
        user = reader(authorization)
        return {"user": user["name"], "nation": user["nation"], "roles": decoded(user["roles"])}

    @app.get("/api/v1/pledges")
    def pledges(limit: int = 100, offset: int = 0, authorization: str | None = Header(None)) -> dict[str, Any]:
        user = reader(authorization)
        args = {"pattern": f"%,{user['nation']},%", "limit": limit, "offset": offset}
        where = {"visible_p": visible("p"), "visible_s": visible("s")}
        with engine.connect() as conn:
            rows = [dict(r) for r in conn.execute(text(PLEDGES.format(**where)), args).mappings()]
            total = conn.execute(text(TOTAL.format(**where)), args).scalar_one()
            sources: dict[int, list[str]] = {}
            if rows:
                ids = ", ".join(str(int(r["id"])) for r in rows)
                for pid, key in conn.execute(text(SOURCES.format(ids=ids, visible_src=visible("src"))), args):
                    sources.setdefault(pid, []).append(key)
        for r in rows:
            r["sources"] = sources.get(r.pop("id"), [])
            for column in ("locations", "caveats", "conditions"):
                r[column] = decoded(r[column])
        return {"items": rows, "total": total, "limit": limit, "offset": offset}

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--processes", type=int, default=1)
    args = parser.parse_args()
    uvicorn.run("plain_service:create", factory=True, host="127.0.0.1", port=args.port, workers=args.processes,
                log_level="warning")


if __name__ == "__main__":
    main()
