"""Ongoing monitoring: watchlists re-screened whenever a list changes, alerts, analysts' decisions,
a tamper-evident audit log, and webhook notifications.

* :mod:`~tamga.monitor.watchlists` — named sets of counterparties kept in the store;
* :mod:`~tamga.monitor.rescreen` — a monitoring run: what changed since the last one, re-screened
  (:mod:`~tamga.monitor.delta` screens against the changed entities only);
* :mod:`~tamga.monitor.alerts` — one alert per (row, entity) pair, open until decided or gone;
* :mod:`~tamga.monitor.decisions` — match or false positive on a (screened name, entity) pair, which
  one-off screening honours too (:func:`~tamga.monitor.decisions.annotate`);
* :mod:`~tamga.monitor.audit` — the hash-chained log of all of the above;
* :mod:`~tamga.monitor.webhooks` — signed notifications of new alerts, retried until delivered.
"""
