"""Hidden inputs drawn at grading time: a trusted generator per submission and per test.

Fixed hidden inputs leak: a table of the reference's answers on them, passed from one term to
the next, would pass every suite. So besides their fixed edge cases, the suites draw inputs from
the ranges where each contract holds, with a generator seeded from

- the **course secret**: ``$COURSE_GRADE_SEED`` or ``--seed`` (at least 16 characters), else a
  random secret made once per grading machine and kept in its cache folder (never in the
  repository), stretched by scrypt;
- the **submission**: the code of the cells that are graded, in order;
- the **test**: its pytest node id, so one test's draws do not depend on which others run.

The submission's seed, ``H(key, code)``, is written to ``results.json``; grading again with the
same secret draws the same inputs, so the scores are reproduced exactly. The seed gives away one
submission's draws, which it has been graded on already; testing guesses of the secret against
it costs a scrypt per guess, against at least 16 characters. Only the sandbox keeps the secret
from the worker: at the ``rlimits`` levels student code can read the grader's environment and
files (see docs/security.md).
"""

from __future__ import annotations

import functools
import hashlib
import os
import secrets
import time

import numpy as np

from grader import UsageError
from grader.layout import cache_dir

SEED_ENV = "COURSE_GRADE_SEED"
#: The machine's own secret, under :func:`grader.layout.cache_dir`.
SECRET_FILE = "course-secret"
#: The shortest secret accepted: the seed in results.json must not let a student test guesses.
MIN_SECRET = 16


def course_secret(option: str | None = None) -> str:
    """The course secret: ``option`` (``--seed``), else ``$COURSE_GRADE_SEED``, else this
    machine's own (128 random bits), made on first use; UsageError for one shorter than
    :data:`MIN_SECRET`."""
    for value, where in ((option, "--seed"), (os.environ.get(SEED_ENV), SEED_ENV)):
        if value is not None:
            if len(value.strip()) < MIN_SECRET:
                raise UsageError(
                    f"{where} must be at least {MIN_SECRET} characters (a random one: "
                    "python3 -c 'import secrets; print(secrets.token_hex(16))')"
                )
            return value
    path = cache_dir() / SECRET_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    try:  # exactly one of two graders starting at once makes it; both then read it
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(handle, "w") as made:
            made.write(secrets.token_hex(16))
    for _ in range(100):  # the maker may not have written it yet
        text = path.read_text().strip()
        if text:
            return text
        time.sleep(0.01)
    raise UsageError(f"the course secret {path} is empty: delete it, or set {SEED_ENV}")


def _digest(*parts: bytes) -> int:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(len(part).to_bytes(8, "little") + part)
    return int.from_bytes(hasher.digest()[:8], "little")


@functools.cache
def _key(secret: str) -> bytes:
    """The secret stretched by scrypt (about 50 ms): every guess at it costs as much."""
    return hashlib.scrypt(secret.encode(), salt=b"course-grade draws", n=2**14, r=8, p=1)


def submission_seed(secret: str, sources: list[str]) -> int:
    """``H(key(secret), the sources of the cells graded, in order)``: the seed of one
    submission's draws. The code, not the file: nbgrader's copy of a notebook (other metadata,
    outputs) draws what ``course-grade`` draws for it."""
    encoded = (source.encode("utf-8", "surrogatepass") for source in sources)
    return _digest(_key(secret), *encoded)


def rng_for(seed: int, nodeid: str) -> np.random.Generator:
    """The trusted generator of one test for the submission seeded ``seed``."""
    return np.random.default_rng([seed, _digest(nodeid.encode())])
