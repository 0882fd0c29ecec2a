"""An analyst's work on the monitor (docs/adr/0037): ingest a report text (pasted or uploaded), upload an air-attack
table with a dry run that lists each problem by row and field before anything is written, and review an incident
(a standing with its reason, or a comment). Each form calls the audited domain action the CLI calls, is shown only
to analysts (and admins), and answers a refusal or a bad input as the page with its message, nothing written."""

from __future__ import annotations

import hashlib
import secrets
import shutil
import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from reassure.core.errors import InputError, Problem
from reassure.core.identity import Role
from reassure.core.markings import MarkingError, parse_marking
from reassure.domains.incidents.actions import ImportResult, import_air_attacks, ingest_report, review_incident
from reassure.domains.incidents.models import REVIEW_STANDINGS
from reassure.domains.incidents.service import get_incident
from reassure.http.conventions import MAX_INGEST_BYTES
from reassure.services.caller import Caller
from reassure.services.security import incident_picture
from reassure.web.pages.common import caller_of, check_csrf, claim, forget_older, private_folder, quote_key, render

router = APIRouter(include_in_schema=False)
# A checked table waits here for its confirmation: a folder of its own, not the dashboard uploads' (whose sweep
# forgets after one hour, not UPLOAD_HOURS)
UPLOADS = Path(tempfile.gettempdir()) / "reassure-air-attacks"
UPLOAD_HOURS = 2  # a check older than this is forgotten: check the file again
MAX_UPLOAD = MAX_INGEST_BYTES  # the request's limit lets a file this large (and its form) through
Field = Annotated[str, Form(max_length=200)]


def _analyst(request: Request, action: str) -> Caller:
    """Return the caller if they may take an analyst's action, else refuse (403) before anything is read."""
    caller = caller_of(request)
    caller.identity.require(Role.ANALYST, action)
    return caller


def _marking(text: str, problems: list[Problem]) -> str:
    try:
        return parse_marking(text).to_column()
    except MarkingError as error:
        problems.append(Problem("", "", "marking", str(error)))
        return ""


def _ingest_page(request: Request, caller: Caller, status_code: int = 200, **context: Any) -> HTMLResponse:
    own = f"REL TO {caller.identity.nation}"
    defaults = {"report": {"marking": own}, "table": {"marking": own}, "problems": None, "table_problems": None,
                "stored": None, "preview": None, "imported": None}
    return render(request, "ingest.html", status_code=status_code, **{**defaults, **context})


@router.get("/security/ingest", response_class=HTMLResponse)
def ingest(request: Request) -> HTMLResponse:
    """The analyst's ingest page: a report text, and an air-attack table (checked, then imported)."""
    return _ingest_page(request, _analyst(request, "ingest incidents"))


@router.post("/security/ingest/report", response_class=HTMLResponse)
def ingest_text(request: Request, text: Annotated[str, Form(max_length=200_000)] = "",
                upload: Annotated[UploadFile | None, File()] = None, name: Field = "",
                source: Annotated[str, Form(max_length=80)] = "", publisher: Field = "",
                grade: Annotated[str, Form(max_length=4)] = "", on_date: Annotated[str, Form(max_length=10)] = "",
                reported_by: Field = "", marking: Annotated[str, Form(max_length=400)] = "",
                csrf: Annotated[str, Form(max_length=100)] = "") -> HTMLResponse:
    """Store a report text (pasted, or an uploaded .txt) as one source's account: `reassure ingest report`."""
    check_csrf(request, csrf)
    caller = _analyst(request, "ingest incidents")
    form = {"text": text, "name": name, "source": source, "publisher": publisher, "grade": grade,
            "on_date": on_date, "reported_by": reported_by, "marking": marking}
    problems: list[Problem] = []
    rel_to = _marking(marking, problems)
    if upload is not None and upload.filename:
        raw = upload.file.read(MAX_UPLOAD + 1)
        try:
            text = raw.decode("utf-8") if len(raw) <= MAX_UPLOAD else ""
        except UnicodeDecodeError:
            problems.append(Problem(upload.filename[:120], "", "", "the file is not UTF-8 text"))
        if len(raw) > MAX_UPLOAD:
            problems.append(Problem(upload.filename[:120], "", "", f"larger than {MAX_UPLOAD // 1024**2} MB"))
        name = name or Path(upload.filename).name
    day: date | None = None
    if on_date.strip():
        try:
            day = date.fromisoformat(on_date.strip())
        except ValueError:
            problems.append(Problem("", "", "date", f"expected YYYY-MM-DD, got {on_date[:20]!r}"))
    if not text.strip() and not problems:
        problems.append(Problem("", "", "text", "paste the report's text or choose a text file"))
    label = Path(name.strip() or "pasted report").name or "pasted report"
    if not problems:
        try:
            result = caller.write(lambda db: _ingest(db, text, label, source, publisher, rel_to, day, grade,
                                                     reported_by))
        except InputError as error:
            problems = error.problems
        else:
            return _ingest_page(request, caller, stored=result)
    return _ingest_page(request, caller, status_code=422, report=form, problems=problems)


def _ingest(db: Any, text: str, name: str, source: str, publisher: str, rel_to: str, day: date | None, grade: str,
            reported_by: str) -> dict[str, Any]:
    result = ingest_report(text, db=db, name=name, source_id=source.strip() or None,
                           publisher=publisher.strip() or None, rel_to=rel_to, on_date=day,
                           grade=grade.strip() or None, reported_by=reported_by.strip() or None)
    return {"summary": result.summary,
            "incidents": [get_incident(k, db=db) for k in dict.fromkeys(result.summary.incident_keys)]}


def _owner(caller: Caller) -> str:
    return hashlib.sha256(f"{caller.identity.user}/{caller.identity.nation}".encode()).hexdigest()[:16]


def _stash(caller: Caller, upload: UploadFile, problems: list[Problem]) -> tuple[str, Path] | None:
    """Keep an uploaded table for its confirmation; return (token, path), or None with a problem."""
    raw = upload.file.read(MAX_UPLOAD + 1)
    filename = Path(upload.filename or "attacks.csv").name[:120] or "attacks.csv"
    if len(raw) > MAX_UPLOAD:
        problems.append(Problem(filename, "", "", f"larger than {MAX_UPLOAD // 1024**2} MB"))
        return None
    if not raw:
        problems.append(Problem(filename, "", "", "the file is empty"))
        return None
    forget_older(UPLOADS, UPLOAD_HOURS * 3600)  # checks never confirmed
    token = secrets.token_urlsafe(24)
    folder = private_folder(UPLOADS) / f"{_owner(caller)}-{token}"
    folder.mkdir(mode=0o700)
    path = folder / filename
    path.write_bytes(raw)
    return token, path


def _stashed(caller: Caller, token: str) -> Path | None:
    """Claim the table kept for this user under `token` for one import, or None (unknown, another user's,
    forgotten, or claimed already by a confirmation sent at the same moment: one check is imported once)."""
    if not token or not token.replace("-", "").replace("_", "").isalnum():
        return None
    folder = private_folder(UPLOADS) / f"{_owner(caller)}-{token}"
    claimed = claim(folder)  # of two confirmations at once, one claims it and the other finds it gone
    if claimed is None:
        return None
    try:
        files = sorted(claimed.iterdir())
    except OSError:
        return None
    if len(files) != 1:
        shutil.rmtree(claimed, ignore_errors=True)
        return None
    return files[0]


def _import(db: Any, path: Path, rel_to: str, *, dry_run: bool) -> ImportResult:
    result = import_air_attacks(path, db=db, rel_to=rel_to, strict=True)
    if dry_run:
        db.rollback()  # a check writes nothing: the same import, undone
    return result


@router.post("/security/ingest/air-attacks", response_class=HTMLResponse)
def ingest_table(request: Request, upload: Annotated[UploadFile | None, File()] = None,
                 token: Annotated[str, Form(max_length=64)] = "",
                 marking: Annotated[str, Form(max_length=400)] = "",
                 csrf: Annotated[str, Form(max_length=100)] = "") -> Response:
    """Check an uploaded air-attack table (a dry run: each problem by row and field, or what it would write), or,
    with the token of a clean check, import it: `reassure ingest air-attacks --strict`, nothing written on a bad
    file."""
    check_csrf(request, csrf)
    caller = _analyst(request, "ingest incidents")
    problems: list[Problem] = []
    rel_to = _marking(marking, problems)
    form = {"marking": marking}
    confirming = bool(token) and (upload is None or not upload.filename)
    if confirming:
        path = _stashed(caller, token)
        if path is None:
            problems.append(Problem("", "", "file", "this check is no longer kept: choose the file and check it "
                                    "again"))
    elif upload is None or not upload.filename:
        problems.append(Problem("", "", "file", "choose an air-attack table (CSV) to check"))
        path = None
    else:
        stashed = _stash(caller, upload, problems)
        token, path = stashed if stashed else ("", None)
    if problems or path is None:
        return _ingest_page(request, caller, status_code=422, table=form, table_problems=problems)
    try:
        result = caller.write(lambda db: _import(db, path, rel_to, dry_run=not confirming))
    except InputError as error:
        shutil.rmtree(path.parent, ignore_errors=True)
        named = [Problem(Path(p.file).name if p.file else "", p.where, p.field, p.message) for p in error.problems]
        return _ingest_page(request, caller, status_code=422, table=form, table_problems=named)
    if confirming:
        shutil.rmtree(path.parent, ignore_errors=True)
        return _ingest_page(request, caller, imported=result.summary)
    return _ingest_page(request, caller, table=form, preview={"summary": result.summary, "token": token,
                                                              "name": path.name})


@router.post("/security/review", response_model=None)
def review(request: Request, key: Annotated[str, Form(min_length=1, max_length=200)],
           text: Annotated[str, Form(max_length=4000)] = "", standing: Annotated[str, Form(max_length=16)] = "",
           marking: Annotated[str, Form(max_length=400)] = "",
           csrf: Annotated[str, Form(max_length=100)] = "") -> Response:
    """Record an analyst's standing of an incident with its reason, or a comment (`reassure incidents review` /
    `comment`); back to the incident's page, or the page with the problems and nothing written."""
    check_csrf(request, csrf)
    caller = _analyst(request, "review incidents")
    problems: list[Problem] = []
    rel_to = _marking(marking, problems)
    if not problems:
        try:
            caller.write(lambda db: review_incident(key, db=db, text=text, rel_to=rel_to,
                                                    standing=standing or None))
        except InputError as error:
            problems = error.problems
        else:
            return RedirectResponse(f"/security/incidents/{quote_key(key)}#reviews-heading", status_code=303)
    picture = caller.read(lambda db: incident_picture(key, db=db))
    return render(request, "incident.html", status_code=422, incident=picture.incident, conflicts=picture.conflicts,
                  may_relink=True, may_review=True, standings=REVIEW_STANDINGS,
                  own_marking=f"REL TO {caller.identity.nation}", problems=problems,
                  form={"text": text, "standing": standing, "marking": marking})

