"""CivicDesk: one front door for non-emergency government service and information."""

__version__ = "0.1.0"
