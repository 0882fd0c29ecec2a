"""Make the rule-test builders importable (they live in rule_builders.py next to the tests)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
