"""The web interface served by ``tamga serve``: search, entity pages, batch screening, portfolios
and the tracker, for people who never open a terminal.

Pages are rendered on the server from the API's own answers (``tamga.web.calls``), with small
scripts for type-ahead, upload progress and alert review that call the same API from the browser.
No build step: templates, CSS and scripts ship in the package.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from tamga.web import pages, session

STATIC = Path(__file__).parent / "static"


def mount(app: FastAPI) -> None:
    """Add the pages, the sign-in routes and ``/static`` to the API's app."""
    app.include_router(session.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_exception_handler(session.SignInRequired, session.sign_in_required)
