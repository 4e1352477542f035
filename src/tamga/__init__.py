"""Tamga: screen names and portfolios against sanctions lists, and track designations."""

__version__ = "0.1.0"
