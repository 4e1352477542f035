"""The HTTP service (``tamga serve``): yente-compatible matching, search, records, batch screening.

Surfaces only: every endpoint is a call into :mod:`tamga.match`, :mod:`tamga.screen` or
:mod:`tamga.store`. See :func:`tamga.api.app.create_app`.
"""

from tamga.api.app import create_app
from tamga.api.limits import Limits

__all__ = ["Limits", "create_app"]
