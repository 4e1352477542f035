"""Reading an uploaded file, as /screen, /portfolio and watchlist rows take them: a body or a
multipart field; and the request body that says so in the OpenAPI document."""

from __future__ import annotations

from fastapi import HTTPException, Request
from starlette.datastructures import UploadFile

from tamga.sources.base import InputFile


def upload_body(description: str, *binary_types: str) -> dict[str, object]:
    """The OpenAPI request body of an upload :func:`read_upload` reads: a CSV body, a body of one of
    ``binary_types``, or the ``file`` field of a multipart form."""
    content: dict[str, object] = {"text/csv": {"schema": {"type": "string"}}}
    content.update({kind: {"schema": {"type": "string", "format": "binary"}} for kind in binary_types})
    content["multipart/form-data"] = {
        "schema": {
            "type": "object",
            "required": ["file"],
            "properties": {"file": {"type": "string", "format": "binary"}},
        }
    }
    return {"content": content, "required": True, "description": description}


async def read_upload(request: Request, what: str, body_name: str) -> InputFile:
    """The uploaded file: the ``file`` field of a multipart form, else the whole body (named
    ``body_name``). ``what`` says in error messages what was expected ("the CSV", "the holdings").
    Compressed and empty uploads are refused with a clear 4xx."""
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        form = await request.form(max_files=1, max_fields=10)
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise HTTPException(400, detail=f"send {what} as the multipart field 'file'")
        data = await upload.read()
        name = upload.filename or body_name
    else:
        data = await request.body()
        name = body_name
    if data[:2] == b"\x1f\x8b":
        raise HTTPException(415, detail=f"compressed uploads are not accepted: send {what} as it is")
    if not data.strip():
        raise HTTPException(400, detail=f"{name}: the upload is empty")
    return InputFile.from_bytes(name, data)
