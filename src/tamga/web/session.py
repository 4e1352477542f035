"""Signing in to the web interface: an API key pasted once, kept in an HttpOnly cookie.

The cookie holds the key itself, so the API accepts it as it accepts the header (see
``tamga.api.auth``): HttpOnly (no script reads it), ``SameSite=Strict`` (no other site's page sends
it), ``Secure`` over HTTPS, and never in a URL. Changes (POST) signed in by cookie must also come
from this server's own pages (Origin check), sign-in and sign-out included. With ``--no-auth``
there is no sign-in at all.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tamga.api.auth import COOKIE, key_name, presented_key, same_origin
from tamga.web.render import SECURITY_HEADERS, page

SESSION_SECONDS = 12 * 3600  # a sign-in lasts a working day
router = APIRouter(include_in_schema=False)


class SignInRequired(Exception):
    """The page needs a key and the request brought none that is valid."""


async def viewer(request: Request) -> str | None:
    """The name of the key the person using the page signed in with (``None`` when the server
    needs no key); a page dependency. Keeps the key in ``request.state`` for API calls."""
    keyring = request.app.state.keyring
    if keyring is None:
        return None
    try:
        key = presented_key(request, request.headers.get("authorization"))
        name = await key_name(keyring, key)
    except HTTPException as exc:
        if exc.status_code == 403:
            raise
        raise SignInRequired() from None
    request.state.api_key = key
    request.state.key_name = name
    return name


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path on this server, never another site."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else "/"


async def sign_in_required(request: Request, exc: Exception) -> Response:
    """To the sign-in page, coming back here after. A link followed from another site arrives
    without the SameSite=Strict cookie; the page then reloads itself once, from this site, so
    that a person already signed in is not asked again."""
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if request.method == "GET" and request.headers.get("sec-fetch-site") == "cross-site":
        return page(request, "reload.html", target=here)
    if request.method != "GET":
        return HTMLResponse("sign in first", status_code=401, headers=SECURITY_HEADERS)
    return RedirectResponse(f"/signin?next={quote(here, safe='')}", status_code=303)


@router.get("/signin", response_class=HTMLResponse)
async def signin_page(request: Request, next: str | None = None) -> Response:
    if request.app.state.keyring is None:
        return RedirectResponse(safe_next(next), status_code=303)
    return page(request, "signin.html", next=safe_next(next), error=None)


@router.post("/signin", response_class=HTMLResponse)
async def signin(
    request: Request, key: Annotated[str, Form()] = "", next: Annotated[str, Form()] = "/"
) -> Response:
    keyring = request.app.state.keyring
    if keyring is None:
        return RedirectResponse(safe_next(next), status_code=303)
    if not same_origin(request):
        return page(
            request, "signin.html", 403, next=safe_next(next), error="Sign in from this site's own page."
        )
    key = key.strip()
    try:
        if not key:
            raise HTTPException(401, detail="Paste an API key.")
        await key_name(keyring, key)
    except HTTPException as exc:
        return page(request, "signin.html", 401, next=safe_next(next), error=str(exc.detail))
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(
        COOKIE,
        key,
        max_age=SESSION_SECONDS,
        path="/",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response


@router.post("/signout")
async def signout(request: Request) -> Response:
    if not same_origin(request):
        raise HTTPException(403, detail="sign out from this site's own page")
    response = RedirectResponse("/signin" if request.app.state.keyring is not None else "/", status_code=303)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
    return response
