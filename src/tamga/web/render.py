"""Rendering pages: the Jinja2 environment (autoescape on), its filters, and the headers every
page is sent with.

Everything a page shows that came from a list, an upload or a query is escaped by Jinja; URLs from
the lists are shown as links only when they are http(s). Names get ``lang`` and ``dir`` from their
script, so that a browser picks a font that has the glyphs (CJK) and lays out right-to-left text
(Arabic, Hebrew) the right way round.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader

from tamga import __version__
from tamga.web.explain import describe

# Content Security Policy: scripts, styles and images from this server only; no inline script,
# no framing, forms post only here. A page that an attacker got text into still runs nothing.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",  # pages show screened names: keep them out of shared caches
}
RTL_SCRIPTS = frozenset({"Arabic", "Hebrew", "Syriac", "Thaana", "Nko"})
# lang for scripts whose font choice depends on it; other scripts get "und-<ISO 15924 code>"
SCRIPT_LANGS = {"Han": "zh", "Hiragana": "ja", "Katakana": "ja", "Hangul": "ko"}
SCRIPT_CODES = {
    "Latin": "Latn",
    "Cyrillic": "Cyrl",
    "Arabic": "Arab",
    "Greek": "Grek",
    "Hebrew": "Hebr",
    "Thai": "Thai",
    "Georgian": "Geor",
    "Armenian": "Armn",
    "Devanagari": "Deva",
    "Bengali": "Beng",
    "Tamil": "Taml",
    "Myanmar": "Mymr",
    "Khmer": "Khmr",
    "Ethiopic": "Ethi",
    "Tibetan": "Tibt",
    "Mongolian": "Mong",
}
RELATION_WORDS = {  # kind -> (on the record that states it, on the record it points at)
    "owned_by": ("owned by", "owns it: owned by this one"),
    "subsidiary_of": ("subsidiary of", "subsidiary"),
    "subordinate_of": ("subordinate of", "subordinate body"),
    "linked_to": ("linked to", "linked to this one"),
    "alias_of": ("alias of", "alias record"),
}


def name_attrs(name: dict[str, Any]) -> dict[str, str]:
    """``lang`` and ``dir`` for a name as the store gives it (``{"full", "script", "lang"…}``)."""
    script = name.get("script")
    lang = name.get("lang") or SCRIPT_LANGS.get(script or "")
    if not lang and script in SCRIPT_CODES:
        lang = f"und-{SCRIPT_CODES[script]}"
    attrs = {"dir": "rtl" if script in RTL_SCRIPTS else "auto"}
    if lang:
        attrs["lang"] = lang
    return attrs


def safe_url(value: Any) -> str | None:
    """``value`` if it is an http(s) URL (a list could carry ``javascript:``), else ``None``."""
    text = str(value or "").strip()
    return text if urlsplit(text).scheme in ("http", "https") else None


def quote_id(entity_id: str) -> str:
    """An entity id as one path segment: ``ftm-x:a/b?c`` must not become two segments and a query."""
    return quote(entity_id, safe=":@")


def entity_path(entity_id: str) -> str:
    return "/entity/" + quote_id(entity_id)


def pct(value: Any, digits: int = 0) -> str:
    if value is None:
        return "–"
    return f"{float(value) * 100:.{digits}f}%"


def number(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}"
    return f"{int(value):,}"


def relation_words(kind: str, incoming: bool = False) -> str:
    words = RELATION_WORDS.get(kind, (kind.replace("_", " "),) * 2)
    return words[1] if incoming else words[0]


environment = Environment(
    loader=PackageLoader("tamga.web", "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
)
environment.filters.update(
    name_attrs=name_attrs,
    safe_url=safe_url,
    entity_path=entity_path,
    quote_id=quote_id,
    pct=pct,
    number=number,
    relation_words=relation_words,
    describe=describe,
)
environment.globals.update(version=__version__)


def page(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """A page rendered with ``context`` and the security headers; the template also gets
    ``viewer`` (the signed-in key's name), ``auth`` (whether keys are needed) and ``path``."""
    html = environment.get_template(template).render(
        viewer=getattr(request.state, "key_name", None),
        auth=request.app.state.keyring is not None,
        path=request.url.path,
        **context,
    )
    return HTMLResponse(html, status_code=status_code, headers=SECURITY_HEADERS)
