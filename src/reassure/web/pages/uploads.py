"""Uploads of a scenario (YAML) or a pledge table (CSV, XLSX), with a dry-run preview before anything is written.

The upload is checked as `reassure import --dry-run` checks a file (the same import_document, rolled back): the page
lists what would be created, updated and deleted per entity, or every problem by file, row and field. A clean file
is then written by a confirm button, in one transaction, by the same import.

Between preview and confirm the file waits server-side (docs/adr/0036): in a folder of its own named by a random id,
readable by the server's user only, bound to the browser session and the signed-in user that uploaded it, with its
SHA-256 given to the confirm form; confirm checks all three, imports exactly those bytes, and removes the folder.
Folders older than an hour are removed at the next upload. At most MAX_BYTES are kept (the import's own limit).
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from reassure.core.errors import NotFound, Problem
from reassure.core.identity import Role
from reassure.core.text_files import MAX_BYTES, InputFileError
from reassure.domains.scenarios.importing import ImportReport, import_document
from reassure.domains.scenarios.service import list_scenarios
from reassure.scenario_io.load import TABLE_SUFFIXES, YAML_SUFFIXES, load_document
from reassure.services.caller import Caller
from reassure.web.pages.common import caller_of, check_csrf, claim, forget_older, private_folder, render
from reassure.web.session import Browser

router = APIRouter(include_in_schema=False)
FOLDER = Path(tempfile.gettempdir()) / "reassure-uploads"
KEEP_SECONDS = 3600
CHUNK = 1024 * 1024
_ID = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")
ACTION = "import scenarios and pledges"


def _owner(browser: Browser) -> str:
    return f"{browser.identity.user}\n{browser.session_id}"


def _safe_name(filename: str | None) -> str:
    """Return the uploaded file's name as shown and stored: its last part, plain characters only, at most 100."""
    name = _UNSAFE.sub("_", Path((filename or "").replace("\\", "/")).name).strip(" .")[-100:]
    return name or "upload"


def _store(upload: UploadFile, browser: Browser, scenario: str) -> tuple[str, Path, str]:
    """Keep an upload (at most MAX_BYTES) in a new folder of its own; return its id, path and SHA-256."""
    forget_older(FOLDER, KEEP_SECONDS)  # previews never confirmed
    upload_id = secrets.token_urlsafe(24)
    folder = private_folder(FOLDER) / upload_id
    folder.mkdir(mode=0o700)
    path = folder / _safe_name(upload.filename)
    digest, size = hashlib.sha256(), 0
    with path.open("wb") as out:
        while chunk := upload.file.read(CHUNK):
            size += len(chunk)
            if size > MAX_BYTES:
                shutil.rmtree(folder, ignore_errors=True)
                raise InputFileError([Problem(path.name, "", "", f"the file is larger than {MAX_BYTES:,} bytes")])
            digest.update(chunk)
            out.write(chunk)
    meta = {"owner": _owner(browser), "sha256": digest.hexdigest(), "name": path.name, "scenario": scenario}
    (folder / "upload.json").write_text(json.dumps(meta), encoding="utf-8")
    return upload_id, path, digest.hexdigest()


def _stored(upload_id: str, sha256: str, browser: Browser) -> tuple[Path, dict[str, Any]]:
    """Claim the kept upload of this session with this id and hash for one confirm, or NotFound (gone, another's,
    changed, or claimed already by a confirm sent at the same moment: one preview is imported once)."""
    gone = NotFound("this upload is no longer kept (confirmed already, older than an hour, or from another "
                    "session): upload the file again")
    if not _ID.match(upload_id):
        raise gone
    folder = private_folder(FOLDER) / upload_id
    try:
        meta = json.loads((folder / "upload.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise gone from None
    if (not isinstance(meta, dict) or not secrets.compare_digest(str(meta.get("owner", "")), _owner(browser))
            or not secrets.compare_digest(str(meta.get("sha256", "")), sha256)):
        raise gone
    claimed = claim(folder)  # of two confirms at once, one claims it and the other finds it gone
    if claimed is None:
        raise gone
    path = claimed / str(meta.get("name", ""))
    if path.parent != claimed or not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != sha256:
        shutil.rmtree(claimed, ignore_errors=True)
        raise gone
    return path, meta


def _shown(error: InputFileError, path: Path) -> list[Problem]:
    """Return the problems with the file named as uploaded (never the server's folder)."""
    return [replace(p, file=p.file.replace(str(path), path.name)) if p.file else p for p in error.problems]


def _import(caller: Caller, path: Path, scenario: str | None, *, dry_run: bool) -> ImportReport:
    """Import a kept file as `reassure import` does: one transaction, rolled back on a dry run."""
    document = load_document(path, follow_table=False)

    def work(db: Session) -> ImportReport:
        report = import_document(document, db=db, origin=path.name, scenario_name=scenario or None)
        if dry_run:
            db.rollback()
        return report

    return caller.write(work)


def _page(request: Request, caller: Caller, status_code: int = 200, **context: Any) -> HTMLResponse:
    scenarios = caller.read(lambda db: list_scenarios(db=db))
    context.setdefault("scenario", "")
    return render(request, "imports.html", status_code=status_code, scenarios=scenarios, max_bytes=MAX_BYTES,
                  **context)


@router.get("/imports", response_class=HTMLResponse)
def imports(request: Request, scenario: Annotated[str, Query(max_length=120)] = "") -> HTMLResponse:
    caller = caller_of(request)
    caller.identity.require(Role.PLANNER, ACTION)  # a viewer gets no form that would fail
    return _page(request, caller, scenario=scenario)


@router.post("/imports/preview", response_class=HTMLResponse)
def preview(request: Request, file: Annotated[UploadFile, File()],
            scenario: Annotated[str, Form(max_length=120)] = "",
            csrf: Annotated[str, Form(max_length=100)] = "") -> HTMLResponse:
    """Check an uploaded file with a dry run: what it would change, or every problem; nothing is written."""
    browser = check_csrf(request, csrf)
    caller = caller_of(request)
    caller.identity.require(Role.PLANNER, ACTION)  # refused before the file is kept
    name = _safe_name(file.filename)
    if not name.lower().endswith(YAML_SUFFIXES + TABLE_SUFFIXES):
        problem = Problem(name, "", "", "expected a .yaml, .yml, .csv or .xlsx file")
        return _page(request, caller, 422, scenario=scenario, problems=[problem], file_name=name)
    try:
        upload_id, path, digest = _store(file, browser, scenario)
    except InputFileError as error:
        return _page(request, caller, 422, scenario=scenario, problems=error.problems, file_name=name)
    try:
        report = _import(caller, path, scenario, dry_run=True)
    except InputFileError as error:
        shutil.rmtree(path.parent, ignore_errors=True)
        return _page(request, caller, 422, scenario=scenario, problems=_shown(error, path), file_name=path.name)
    except Exception:
        shutil.rmtree(path.parent, ignore_errors=True)
        raise
    return _page(request, caller, scenario=scenario, report=report, file_name=path.name, upload_id=upload_id,
                 sha256=digest)


@router.post("/imports/confirm", response_class=HTMLResponse)
def confirm(request: Request, upload_id: Annotated[str, Form(max_length=100)],
            sha256: Annotated[str, Form(max_length=64)], csrf: Annotated[str, Form(max_length=100)] = "",
            ) -> HTMLResponse:
    """Write a previewed upload in one transaction (the same import); the kept file is removed."""
    browser = check_csrf(request, csrf)
    caller = caller_of(request)
    caller.identity.require(Role.PLANNER, ACTION)
    path, meta = _stored(upload_id, sha256, browser)
    scenario = str(meta.get("scenario") or "")
    try:
        report = _import(caller, path, scenario, dry_run=False)
    except InputFileError as error:  # the data changed since the preview: nothing written, every problem shown
        return _page(request, caller, 422, scenario=scenario, problems=_shown(error, path), file_name=path.name)
    finally:
        shutil.rmtree(path.parent, ignore_errors=True)
    return _page(request, caller, scenario=scenario, report=report, file_name=path.name, written=True)
