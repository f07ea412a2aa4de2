"""Answers with citations: extractive by default, generative when an endpoint is configured."""
