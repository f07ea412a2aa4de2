"""Domain errors of the corpus layer."""


class CorpusError(Exception):
    """Base class: something about an input document prevents ingesting it."""


class UnsupportedFormat(CorpusError):
    pass


class UnreadableDocument(CorpusError):
    """The file exists but cannot be turned into text (empty, binary, broken, no text layer)."""
