"""JSON bodies as every endpoint writes them: UTF-8 as is, compact."""

from __future__ import annotations

import json
from typing import Any

from starlette.responses import JSONResponse


def json_bytes(data: Any) -> bytes:
    """Compact UTF-8 JSON; a lone surrogate a client sent (as ``\\ud800``) is written as "?"."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    return text.encode("utf-8", errors="replace")


class Json(JSONResponse):
    """A JSON response that also writes dates and other plain objects (as their text)."""

    def render(self, content: Any) -> bytes:
        return json_bytes(content)


def error(status: int, detail: str, **extra: Any) -> Json:
    return Json({"detail": detail, **extra}, status_code=status)
