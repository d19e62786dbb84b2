"""Hidden inputs drawn at grading time: a trusted generator per submission and per test.

Fixed hidden inputs leak: a table of the reference's answers on them, passed from one term to
the next, would pass every suite. So besides their fixed edge cases, the suites draw inputs from
the ranges where each contract holds, with a generator seeded from

- the **course secret**: ``--seed``, else ``$COURSE_GRADE_SEED``, else a random secret made once
  per grading machine and kept in its cache folder (never in the repository);
- the **submission**: the code of the cells that are graded, in order;
- the **test**: its pytest node id, so one test's draws do not depend on which others run.

The submission's seed, ``H(secret, code)`` (64 bits, which do not give the secret away), is
written to ``results.json``; grading again with the same secret draws the same inputs, so the
scores are reproduced exactly.
"""

from __future__ import annotations

import hashlib
import os
import secrets

import numpy as np

from grader import UsageError
from grader.layout import cache_dir

SEED_ENV = "COURSE_GRADE_SEED"
#: The machine's own secret, under :func:`grader.layout.cache_dir`.
SECRET_FILE = "course-secret"


def course_secret(option: str | None = None) -> str:
    """The course secret: ``option`` (``--seed``), else ``$COURSE_GRADE_SEED``, else this
    machine's own, made on first use."""
    for value, where in ((option, "--seed"), (os.environ.get(SEED_ENV), SEED_ENV)):
        if value is not None:
            if not value.strip():
                raise UsageError(f"{where} must not be empty")
            return value
    path = cache_dir() / SECRET_FILE
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        made = path.with_suffix(f".{os.getpid()}")
        made.write_text(secrets.token_hex(16))
        made.chmod(0o600)
        made.replace(path)  # atomic: two graders starting at once agree on one secret
    return path.read_text().strip()


def _digest(*parts: bytes) -> int:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(len(part).to_bytes(8, "little") + part)
    return int.from_bytes(hasher.digest()[:8], "little")


def submission_seed(secret: str, sources: list[str]) -> int:
    """``H(secret, the sources of the cells graded, in order)``: the seed of one submission's
    draws. The code, not the file: nbgrader's copy of a notebook (other metadata, outputs)
    draws what ``course-grade`` draws for it."""
    return _digest(
        secret.encode(), *(source.encode("utf-8", "surrogatepass") for source in sources)
    )


def rng_for(seed: int, nodeid: str) -> np.random.Generator:
    """The trusted generator of one test for the submission seeded ``seed``."""
    return np.random.default_rng([seed, _digest(nodeid.encode())])
