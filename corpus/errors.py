"""Domain errors of the corpus layer."""


class CorpusError(Exception):
    """Base class: something about an input document prevents ingesting it."""


class UnsupportedFormat(CorpusError):
    pass


class UnreadableDocument(CorpusError):
    """The file exists but cannot be turned into text (empty, binary, broken, no text layer)."""


class TooLarge(CorpusError):
    """A file (or a batch) larger than the configured limit."""


class DocumentConflict(CorpusError):
    """The document would replace a different stored document, and replacing was not asked for."""
