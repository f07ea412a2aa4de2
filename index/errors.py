"""Domain errors of the index layer (mapped to HTTP statuses in one place in the service)."""


class IndexLayerError(Exception):
    """Base class for index problems."""


class IndexNotReady(IndexLayerError):
    """No index has been built yet, or it is still loading."""


class IndexIncompatible(IndexLayerError):
    """The index on disk was built with another model, tokenizer or format."""


class BadQuery(ValueError):
    """The query or its parameters are not acceptable; the message says why."""


class BadFilter(BadQuery):
    """An unknown filter name or a value that matches nothing in the corpus."""
