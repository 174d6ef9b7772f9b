"""Specific exceptions the library raises; only the CLI and the app turn them into messages."""


class QAError(Exception):
    """Base class for every error the library raises on purpose."""


class IndexMissing(QAError):
    """No usable index: never built, from an older version, or corrupt."""


class ModelUnavailable(QAError):
    """The embedding model cannot be loaded or built."""


class StoreUnavailable(QAError):
    """The Chroma store (embedded or server) cannot be reached."""


class BadQuestion(QAError):
    """The question is empty, too long or otherwise unusable."""


class IndexBusy(QAError):
    """The index is being rebuilt right now."""


class CorpusError(QAError):
    """A corpus file cannot be read."""


class UploadRefused(QAError):
    """A file offered for the corpus (or named for removal) is refused; the message says why."""


class ConfigError(QAError):
    """A QA_* environment variable has a value that cannot be used."""
