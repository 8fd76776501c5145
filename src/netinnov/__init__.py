"""netinnov: collaboration networks and collaborative innovation in the public sector."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("netinnov")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = ["__version__"]
