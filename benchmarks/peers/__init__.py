"""Peer implementations of the TechEmpower tests, each written the idiomatic way.

All database peers read `DATABASE_URL` (an `sqlite:///` file or `postgresql://`
URL) prepared by `benchmarks.dataset`.
"""
