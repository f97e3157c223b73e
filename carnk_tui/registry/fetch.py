"""Download studies through the ClinicalTrials.gov API v2 (``/api/v2/studies``), page by page.

Optional: everything else works from downloaded files. The address can be changed with the
environment variable CARNK_TUI_CTGOV_URL (the tests point it at a local server).
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from datetime import date
from typing import Any

from carnk_tui import __version__
from carnk_tui.registry.ctgov import MAX_FILE_BYTES, InputProblem, RegistryInputError, Study, parse_bytes

API_ENV = "CARNK_TUI_CTGOV_URL"
API_URL = "https://clinicaltrials.gov/api/v2/studies"
#: studies asked for per page (the API allows up to 1000)
PAGE_SIZE = 100
#: a query never fetches more than this many pages, whatever the server says
MAX_PAGES = 200
TIMEOUT = 30.0
#: only the modules an import reads
FIELDS = ("protocolSection.identificationModule,protocolSection.statusModule,protocolSection.designModule,"
          "protocolSection.sponsorCollaboratorsModule,protocolSection.conditionsModule,"
          "protocolSection.armsInterventionsModule,protocolSection.contactsLocationsModule,hasResults")


class FetchError(Exception):
    """The registry could not be reached or answered something unusable; the message says what to do."""


def api_url() -> str:
    return os.environ.get(API_ENV) or API_URL


def fetch(query: str, max_studies: int, as_of: str | None = None,
          progress: Callable[[int], None] | None = None) -> list[Study]:
    """Up to `max_studies` studies matching `query`, read today (or `as_of`)."""
    when = as_of or date.today().isoformat()
    studies: list[Study] = []
    problems: list[InputProblem] = []
    token: str | None = None
    for page_number in range(1, MAX_PAGES + 1):
        wanted = min(PAGE_SIZE, max_studies - len(studies))
        if wanted <= 0:
            break
        params = {"query.term": query, "pageSize": str(wanted), "format": "json", "fields": FIELDS}
        if token:
            params["pageToken"] = token
        url = f"{api_url()}?{urllib.parse.urlencode(params)}"
        page = _get(url)
        found = parse_bytes(page, f"page {page_number} of the answer", when, problems)
        if problems:
            raise RegistryInputError(problems)
        studies.extend(found[:wanted])
        if progress is not None:
            progress(len(studies))
        token = _next_token(page)
        if not token or not found:
            break
    return studies


def _get(url: str) -> bytes:
    request = urllib.request.Request(url, headers={"Accept": "application/json",
                                                   "User-Agent": f"carnk-tui/{__version__}"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            data = response.read(MAX_FILE_BYTES + 1)
    except urllib.error.HTTPError as error:
        detail = error.read(500).decode("utf-8", "replace").strip()
        raise FetchError(f"ClinicalTrials.gov answered {error.code} {error.reason}"
                         + (f": {detail}" if detail else "")) from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise FetchError(f"could not reach ClinicalTrials.gov ({reason}). Are you offline? You can download the "
                         "search results from clinicaltrials.gov (Download, JSON or CSV) and import the file "
                         "instead.") from None
    if len(data) > MAX_FILE_BYTES:
        raise FetchError("ClinicalTrials.gov sent a page over "
                         f"{MAX_FILE_BYTES / 1e6:.0f} MB; ask for fewer studies (--max)")
    return data


def _next_token(page: bytes) -> str | None:
    try:
        value: Any = json.loads(page)
    except ValueError:
        return None
    token = value.get("nextPageToken") if isinstance(value, dict) else None
    return token if isinstance(token, str) and token else None
