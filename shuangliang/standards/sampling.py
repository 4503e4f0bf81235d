"""Drawing a sample of unions and pairing unions for a mutual check, reproducibly.

Both take a seed and work on a list sorted by primary key, so the same seed over the same
unions gives the same result (`random.Random(seed)` is stable across Python versions for
`random()` and `shuffle`). Nothing here touches the database.
"""

import math
import random
from dataclasses import dataclass
from decimal import Decimal

WEIGHTS = ("none", "focus", "never_inspected")
WEIGHT_FACTOR = 3.0  # a weighted union is three times as likely to be drawn


@dataclass(frozen=True)
class Candidate:
    union_id: int
    township_id: int
    focus: bool = False
    never_inspected: bool = False


def draw_sample(
    candidates: list[Candidate],
    *,
    seed: str,
    percent: Decimal | None = None,
    number: int | None = None,
    weight: str = "none",
) -> list[int]:
    """Union ids drawn per township: `percent` of each township (rounded up, at least one
    from each township that has unions), or `number` in all, shared out in proportion to the
    townships' sizes. With a weight, focus or never-inspected unions are WEIGHT_FACTOR times
    as likely to be drawn (weighted sampling without replacement, Efraimidis–Spirakis)."""
    if (percent is None) == (number is None):
        raise ValueError("Give a percentage or a number.")
    if weight not in WEIGHTS:
        raise ValueError(f"unknown weight {weight!r}")
    rng = random.Random(seed)
    strata: dict[int, list[Candidate]] = {}
    for candidate in sorted(candidates, key=lambda c: c.union_id):
        strata.setdefault(candidate.township_id, []).append(candidate)
    townships = sorted(strata)
    total = sum(len(strata[t]) for t in townships)
    if percent is not None:
        quotas = {t: max(1, math.ceil(len(strata[t]) * Decimal(percent) / 100)) for t in townships}
    else:
        wanted = min(int(number), total)
        exact = {t: Decimal(wanted) * len(strata[t]) / total for t in townships} if total else {}
        quotas = {t: int(exact[t]) for t in townships}
        left = wanted - sum(quotas.values())
        for t in sorted(townships, key=lambda t: (-(exact[t] - quotas[t]), t))[:left]:
            quotas[t] += 1
    drawn: list[int] = []
    for township in townships:
        members = strata[township]
        keyed = []
        for candidate in members:
            w = 1.0
            if (weight == "focus" and candidate.focus) or (
                weight == "never_inspected" and candidate.never_inspected
            ):
                w = WEIGHT_FACTOR
            keyed.append((rng.random() ** (1.0 / w), candidate.union_id))
        keyed.sort(reverse=True)
        drawn += sorted(union_id for _, union_id in keyed[: quotas[township]])
    return drawn


class PairingError(ValueError):
    """No pairing satisfies the rules (e.g. one township holds more than half the unions)."""


def pair_unions(
    candidates: list[Candidate], *, seed: str, allow_same_township: bool = False
) -> list[tuple[int, int]]:
    """(inspecting union, inspected union) pairs: every union inspects exactly one other and
    is inspected by exactly one other, never itself and, unless allowed, never one of its
    own township. Unions are shuffled, dealt round-robin from the townships (largest first)
    into a ring, and each inspects the next in the ring."""
    if len(candidates) < 2:
        raise PairingError("At least two unions are needed for a mutual check.")
    rng = random.Random(seed)
    strata: dict[int, list[int]] = {}
    township_of: dict[int, int] = {}
    for candidate in sorted(candidates, key=lambda c: c.union_id):
        strata.setdefault(candidate.township_id, []).append(candidate.union_id)
        township_of[candidate.union_id] = candidate.township_id
    for members in strata.values():
        rng.shuffle(members)
    ring: list[int] = []
    if allow_same_township:
        ring = [c for members in strata.values() for c in members]
        rng.shuffle(ring)
    else:
        biggest = max(len(m) for m in strata.values())
        if biggest * 2 > len(candidates):
            raise PairingError(
                "One township holds more than half of the unions, so they cannot all be "
                "paired with unions of other townships."
            )
        # Deal from the townships in turn, the largest first, always avoiding the township
        # just dealt: adjacent unions then come from different townships.
        queues = {t: list(m) for t, m in strata.items()}
        last = None
        while any(queues.values()):
            order = sorted(
                (t for t in queues if queues[t] and t != last),
                key=lambda t: (-len(queues[t]), t),
            )
            if not order:
                raise PairingError("No pairing keeps every union out of its own township.")
            township = order[0]
            ring.append(queues[township].pop())
            last = township
        if township_of[ring[0]] == township_of[ring[-1]]:
            # Close the ring: move the last union to the first place where it fits.
            tail = ring.pop()
            for i in range(1, len(ring)):
                if township_of[ring[i - 1]] != township_of[tail] != township_of[ring[i]]:
                    ring.insert(i, tail)
                    break
            else:
                raise PairingError("No pairing keeps every union out of its own township.")
    pairs = [(ring[i], ring[(i + 1) % len(ring)]) for i in range(len(ring))]
    return pairs
