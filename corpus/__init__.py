"""The corpus layer: read policy documents, clean them, extract metadata and cut cited chunks.

Public entry points: :func:`corpus.pipeline.ingest_paths` and the records in :mod:`corpus.models`.
"""
