"""The demo county (示範縣): a deterministic register that mirrors the source document.

141 enterprises in production (plus 14 that are not), 138 of them covered by a union and
127 of those with all three counted contracts signed and in force, with committees, chairs'
photos, a work team and one account per role. Dates are relative to the day of loading.
"""

from .builder import DemoResult, demo_exists, demo_figures, load_demo
from .data import COUNTY_CODE, DEMO_PASSWORD, DEMO_USERNAMES, EXPECTED_FIGURES

__all__ = [
    "COUNTY_CODE",
    "DEMO_PASSWORD",
    "DEMO_USERNAMES",
    "EXPECTED_FIGURES",
    "DemoResult",
    "demo_exists",
    "demo_figures",
    "load_demo",
]
