"""The vendored axe-core is the version package.json pins (no browser needed)."""

import json
import re

from .harness import AXE_SOURCE_PATH, ROOT


def test_vendored_axe_is_the_pinned_version():
    pinned = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["devDependencies"]
    header = AXE_SOURCE_PATH.read_text(encoding="utf-8")[:200]
    match = re.match(r"/\*! axe v(\S+)", header)
    assert match, "tests/browser/vendor/axe.min.js does not start with axe-core's banner"
    assert match.group(1) == pinned["axe-core"]
    licence = AXE_SOURCE_PATH.with_name("axe-core-LICENSE.txt").read_text(encoding="utf-8")
    assert licence.startswith("Mozilla Public License, version 2.0")
