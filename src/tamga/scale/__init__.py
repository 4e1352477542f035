"""Batch screening at scale: the same screening of a file of names, run on a local process pool,
on Dask or on Spark.

- :mod:`~tamga.scale.partition`: the one function the workers run, over a partition of queries and
  the read-only screener, and the Arrow schemas of its input and output;
- :mod:`~tamga.scale.payload`: the index serialised once, shipped once, loaded once per worker;
- :mod:`~tamga.scale.io`: CSV or Parquet in (malformed rows set aside), JSONL or Parquet out;
- :mod:`~tamga.scale.local_engine`, :mod:`~tamga.scale.dask_engine`,
  :mod:`~tamga.scale.spark_engine`: the engines, behind :class:`~tamga.scale.engine.Engine`;
- :mod:`~tamga.scale.runner`: a file through an engine, as ``tamga screen --engine`` runs it;
- :mod:`~tamga.scale.synthetic`: a generated customer file with planted matches, for load tests.
"""
