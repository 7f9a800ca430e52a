"""Ingest: adapters that turn outside formats into canonical tables, and loading them."""
