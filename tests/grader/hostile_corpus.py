"""The hostile corpus: broken and hostile hw01 submissions, each with the exact outcome it must get.

Each :class:`Case` is data: how its notebook is made from the hw01 solution notebook (cells
replaced by grade_id, cells appended, a structural edit, or raw bytes) and what course-grade must
record for it (status, which questions score 0 while all others keep full marks, a substring of
the reason and of a cell error). ``tests/grader/test_hostile_corpus.py`` grades them all in one
batch; ``scripts/security_table.py`` runs the same notebooks through ``nbgrader autograde``.

Every case is bounded by construction, because the nbgrader run executes it unsandboxed: the fork
bomb stops at 300 processes that exit within 20 s, the disk fill stops at 2 GB and removes its
files, the memory bomb stops at 3 GB, the network case only talks to 127.0.0.1 on the port that
the test itself listens on, and the detached child writes only to paths of the :class:`Context`
(temp folders made by the test or script), for 20 s at most.

Placeholders in sources, filled from the :class:`Context` by :func:`build`: ``@ROOT@`` (project
checkout), ``@ESCAPE@`` (a folder a detached child would write to), ``@NEIGHBOUR@`` (another
submission's notebook), ``@PORT@`` (the oracle on 127.0.0.1), ``@TOKEN@`` (the process name a
detached child takes, so that a survivor can be found).
"""

from __future__ import annotations

import copy
import json
import shutil
import socket
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import numpy as np
from nbformat.v4 import new_code_cell, new_markdown_cell

from grader.calibrate import TimeLimits, load_limits
from grader.grading import grade_many
from grader.layout import ROOT, solution_notebook
from grader.notebook import Submission, with_cells_replaced
from grader.sandbox import Limits
from grader.suites import Assignment

from .submissions import make_submission

HW01 = "hw01_delta_sequences"
#: A smaller memory cap than the default, so the memory bomb is stopped at 2 GB.
WORKER_LIMITS = Limits(memory_bytes=2 * 1024**3)
#: Short cell limit so the looping cases cost seconds (the reference's slowest cell takes about
#: 1 s, 10 s leaves room for a loaded 2-core machine); hidden tests keep calibrated limits.
CELL_LIMIT = 10.0
#: ``Case.zero`` value meaning every question scores 0.
ALL = ("*",)
#: A broken ``lorentzian`` costs these: delta_pairing calls it, convergence_order calls that.
LORENTZIAN = ("lorentzian", "delta_pairing", "convergence_order")

#: What the cases may rely on, and the isolation levels that provide it.
FEATURES = {
    "hidden_fs": "the worker sees no project, solutions or other submissions (bubblewrap)",
    "no_network": "the worker has no network, not even loopback (bubblewrap)",
    "kills_detached": "processes that leave the worker's session are killed (bubblewrap or cgroup)",
    "other_user": "the worker runs as another user than the grader (bubblewrap, or a root grader)",
    "pid_cap": "the worker's process count is capped (cgroup, or RLIMIT_NPROC for a non-root user)",
    "tmp_cap": "the worker's /tmp is a size-capped private tmpfs (bubblewrap)",
}


def features_of(level: str, is_root: bool) -> set[str]:
    """The :data:`FEATURES` an isolation level gives, for a grader running as root or not."""
    found = set()
    bwrap, cgroup = level.startswith("bubblewrap"), level.endswith("+cgroup")
    if bwrap:
        found |= {"hidden_fs", "no_network", "kills_detached", "other_user", "tmp_cap"}
    if cgroup:
        found |= {"kills_detached", "pid_cap"}
    if is_root:
        found.add("other_user")
    else:
        found.add("pid_cap")
    return found


@dataclass(frozen=True)
class Context:
    """Where a corpus built for one run may point its hostile code."""

    folder: Path
    escape: Path
    neighbour: Path
    port: int
    token: str
    root: Path = ROOT

    def fill(self, source: str) -> str:
        for key, value in (
            ("@ROOT@", self.root),
            ("@ESCAPE@", self.escape),
            ("@NEIGHBOUR@", self.neighbour),
            ("@PORT@", self.port),
            ("@TOKEN@", self.token),
        ):
            source = source.replace(key, str(value))
        return source


@dataclass(frozen=True)
class Case:
    """One hostile or broken submission and the outcome course-grade must record for it."""

    name: str
    attack: str
    replace: dict[str, str] = field(default_factory=dict)
    extra: tuple[str, ...] = ()
    edit: Callable[[nbformat.NotebookNode], None] | None = None
    raw: Callable[[bytes], bytes] | None = None
    status: str = "ok"
    zero: tuple[str, ...] = ()
    reason: str = ""
    cell_error: str = ""
    needs: tuple[str, ...] = ()

    def expected_scores(self, questions: dict[str, float]) -> dict[str, float]:
        """Per-question scores: 0 for the questions in ``zero`` (all for :data:`ALL`), else full."""
        return {
            q: 0.0 if self.zero == ALL or q in self.zero else float(p) for q, p in questions.items()
        }


def build(case: Case, ctx: Context) -> Path:
    """Write ``case``'s notebook into ``ctx.folder``; return its path."""
    path = ctx.folder / f"{case.name}.ipynb"
    if case.raw is not None:
        path.write_bytes(case.raw(solution_notebook(HW01).read_bytes()))
        return path
    replace = {k: ctx.fill(v) for k, v in case.replace.items()}
    nb = with_cells_replaced(solution_notebook(HW01), replace)
    nb.cells += [new_code_cell(ctx.fill(src)) for src in case.extra]
    if case.edit is not None:
        case.edit(nb)
    nbformat.write(nb, path)
    return path


MUTANT_SINC = """\
import numpy as np


def sinc_kernel(x, eps):
    x = np.asarray(x, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.sin(x / eps) / (np.pi * x)
"""


def serve_oracle(server: socket.socket) -> None:
    """Answer ``[x, eps]`` lines with the Lorentzian's values (what an outside helper would do)."""
    while True:
        try:
            conn, _ = server.accept()
        except OSError:
            return
        with conn:
            x, eps = json.loads(conn.makefile().readline())
            x, eps = np.asarray(x, dtype=float), np.asarray(eps, dtype=float)
            conn.sendall(json.dumps((eps / (np.pi * (x**2 + eps**2))).tolist()).encode() + b"\n")


def survivors(token: str) -> list[int]:
    """Pids of live (not zombie) processes named ``token``, as the detached cases name them."""
    found = []
    for comm in Path("/proc").glob("[0-9]*/comm"):
        try:
            named = comm.read_text().strip() == token
            # A killed orphan stays a zombie until init reaps it: it is dead, not a survivor.
            alive = (comm.parent / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
        except OSError:
            continue
        if named and alive:
            found.append(int(comm.parent.name))
    return found


def grade_corpus(hw01: Assignment, tmp: Path, have: set[str]) -> dict[str, Any]:
    """Grade every runnable case in one batch, honest notebooks interleaved; also grade the
    honest notebooks alone (from copies, first) for the neighbour comparison."""
    folder, escape, clean = tmp / "submissions", tmp / "escape", tmp / "clean"
    for path in (folder, escape, clean):
        path.mkdir()
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    threading.Thread(target=serve_oracle, args=(server,), daemon=True).start()
    token = f"cgx{uuid.uuid4().hex[:8]}"
    honest = {
        "honest_a": make_submission(folder, "honest_a"),
        "partial_b": make_submission(folder, "partial_b", replace={"sinc_kernel": MUTANT_SINC}),
        "honest_c": make_submission(folder, "honest_c"),
    }
    ctx = Context(folder, escape, honest["honest_a"], server.getsockname()[1], token)
    neighbour_bytes = ctx.neighbour.read_bytes()
    limits = TimeLimits(CELL_LIMIT, load_limits(hw01, "cpu").tests, "cpu", "hostile-corpus")
    copies = [Submission(name, Path(shutil.copy(path, clean))) for name, path in honest.items()]
    alone = grade_many(hw01, copies, limits=limits, worker_limits=WORKER_LIMITS)
    cases = [Submission(c.name, build(c, ctx)) for c in CASES if set(c.needs) <= have]
    third = len(cases) // 3
    order = [
        Submission("partial_b", honest["partial_b"]),
        *cases[:third],
        *cases[third : 2 * third],
        Submission("honest_a", honest["honest_a"]),  # after the detached child: its target
        *cases[2 * third :],
        Submission("honest_c", honest["honest_c"]),
    ]
    started = time.perf_counter()
    mixed = grade_many(hw01, order, limits=limits, worker_limits=WORKER_LIMITS)
    seconds = time.perf_counter() - started
    time.sleep(0.5)  # an escaped child writes every 0.2 s
    server.close()
    return {
        "order": [s.name for s in order],
        "results": {r.name: r for r in mixed},
        "alone": {r.name: r for r in alone},
        "survivors": survivors(token),
        "escaped": sorted(p.name for p in escape.iterdir()),
        "neighbour_unchanged": ctx.neighbour.read_bytes() == neighbour_bytes,
        "seconds": seconds,
    }


# --- sources -------------------------------------------------------------------------------------

WRONG_LORENTZIAN = """\
def lorentzian(x, eps):
    shape = np.broadcast(np.asarray(x, dtype=float), np.asarray(eps, dtype=float)).shape
    return np.zeros(shape)
"""

EQ_LIAR = """\
class Anything(float):
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    __hash__ = float.__hash__
def lorentzian_mass(a, b, eps):
    return Anything(-1.0)
"""

FLOAT_LIAR = """\
class Quarter:
    def __float__(self): return 0.25
    def __eq__(self, other): return True
    def __lt__(self, other): return True
    __le__ = __gt__ = __ge__ = __lt__
    def __sub__(self, other): return 0.0
    __rsub__ = __sub__
    def __abs__(self): return 0.0
def lorentzian_mass(a, b, eps):
    return Quarter()
"""

ARRAY_LIAR = """\
class Claims:
    def __array__(self, dtype=None, copy=None): return np.zeros(3)
    def __eq__(self, other): return True
    def __sub__(self, other): return 0.0
    __rsub__ = __sub__
    def __abs__(self): return 0.0
def lorentzian_mass(a, b, eps):
    return Claims()
"""

FLOAT64_SUBCLASS = """\
class Rigged(np.float64):
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __lt__(self, other): return True
    __le__ = __gt__ = __ge__ = __lt__
    def __sub__(self, other): return Rigged(0.0)
    __rsub__ = __sub__
    def __abs__(self): return Rigged(0.0)
    __hash__ = np.float64.__hash__
def lorentzian_mass(a, b, eps):
    return Rigged(-1.0)
"""

NDARRAY_SUBCLASS = """\
class Rigged(np.ndarray):
    def __eq__(self, other): return np.ones(self.shape, dtype=bool)
    __le__ = __lt__ = __ge__ = __gt__ = __eq__
    def __sub__(self, other): return np.zeros(self.shape).view(Rigged)
    __rsub__ = __sub__
    def __abs__(self): return np.zeros(self.shape).view(Rigged)
def lorentzian_mass(a, b, eps):
    return np.full((), -1.0).view(Rigged)
"""

PATCHED_ALLCLOSE = (
    "import numpy as np, math\n"
    "np.allclose = lambda *a, **k: True\nnp.isclose = lambda *a, **k: True\n"
    "math.isclose = lambda *a, **k: True\n" + WRONG_LORENTZIAN
)

PATCHED_APPROX = (
    """\
import pytest
class _Yes:
    def __eq__(self, other): return True
pytest.approx = lambda *a, **k: _Yes()
"""
    + WRONG_LORENTZIAN
)

PATCHED_BUILTINS = (
    """\
import builtins
builtins.abs = lambda x: 0
builtins.round = lambda x, *a: 0
"""
    + WRONG_LORENTZIAN
)

PATCHED_NUMPY_TESTING = (
    """\
import numpy.testing
numpy.testing.assert_allclose = numpy.testing.assert_array_almost_equal = lambda *a, **k: None
np.array_equal = np.array_equiv = lambda *a, **k: True
"""
    + WRONG_LORENTZIAN
)

SEGFAULT = "import ctypes\nctypes.string_at(0)"

IGNORE_SIGNALS_AND_LOOP = """\
import signal
def lorentzian_sympy():
    for number in (signal.SIGTERM, signal.SIGINT, signal.SIGALRM, signal.SIGHUP):
        signal.signal(number, signal.SIG_IGN)
    while True:
        pass
"""

KILL_PARENT = """\
import os, signal
try:
    os.kill(os.getppid(), signal.SIGKILL)
except OSError as exc:
    print("could not kill the parent:", exc)
"""

MEMORY_BOMB = """\
def _bomb():
    hoard = []
    for _ in range(48):  # 48 x 64 MB, touched: 3 GB at most, then it stops and frees them
        hoard.append(np.ones(8 * 1024**2))
_bomb()
"""

FORK_BOMB = """\
import os, time
def _fork_bomb():
    for _ in range(300):  # at most 300 processes, each gone after 20 s
        if os.fork() == 0:
            try:
                import ctypes
                ctypes.CDLL(None).prctl(15, b"@TOKEN@", 0, 0, 0)  # PR_SET_NAME
            finally:
                time.sleep(20)
                os._exit(0)
_fork_bomb()
"""

HUGE_OUTPUT = 'for _ in range(100):  # 100 MB\n    print("x" * (1024**2 - 1))'

DISK_FILL = """\
import os, shutil, tempfile
_fill = tempfile.mkdtemp()
try:
    for _i in range(64):  # 64 x 32 MB: 2 GB at most, removed at the end
        with open(os.path.join(_fill, str(_i)), "wb") as _f:
            _f.write(b"\\0" * (32 * 1024**2))
finally:
    shutil.rmtree(_fill)
"""

DETACHED_CHILD = """\
import os, time
def _detach():
    worker = os.getpid()
    first = os.fork()
    if first:
        os.waitpid(first, 0)
        return
    os.setsid()
    if os.fork():
        os._exit(0)
    try:
        import ctypes
        ctypes.CDLL(None).prctl(15, b"@TOKEN@", 0, 0, 0)  # PR_SET_NAME, so a survivor is found
    except Exception:
        pass
    deadline = time.time() + 20  # gives up after 20 s
    while time.time() < deadline:
        try:
            os.kill(worker, 0)  # wait for the worker to end, then write
            time.sleep(0.1)
            continue
        except ProcessLookupError:
            pass
        for target in ("@ESCAPE@/escaped.txt", "@ESCAPE@/results.json", "@NEIGHBOUR@"):
            try:
                with open(target, "a") as f:
                    f.write("written by a detached child after the worker ended\\n")
            except OSError:
                pass
        time.sleep(0.2)
    os._exit(0)
_detach()
"""

FORGED_RESULTS = (
    """\
import json, os
_forged = {"score": 100.0, "tests": [{"name": "lorentzian", "score": 1, "max_score": 1}]}
for _folder in (os.getcwd(), os.path.expanduser("~"), "@ESCAPE@"):
    try:
        with open(os.path.join(_folder, "results.json"), "w") as _f:
            json.dump(_forged, _f)
    except OSError:
        pass
print("test_lorentzian PASSED\\n==== 118 passed in 0.50s ====\\nScore: 24/24")
"""
    + WRONG_LORENTZIAN
)

FORGED_PROTOCOL = """\
import fcntl, json, os, struct
_done = json.dumps({"__dict__": {"event": "done", "errors": {"__dict__": {}}}}).encode()
_forged = 0
for _fd in map(int, os.listdir("/proc/self/fd")):  # the reply pipe: the one pipe open for writing
    try:
        if (os.readlink(f"/proc/self/fd/{_fd}").startswith("pipe:")
                and fcntl.fcntl(_fd, fcntl.F_GETFL) & os.O_ACCMODE == os.O_WRONLY):
            _forged += os.write(_fd, struct.pack(">Q", len(_done)) + _done)
    except OSError:
        pass
print("forged bytes:", _forged)
"""

#: Only where it runs as course-grade's worker (``COURSE_DEVICE`` is in its environment) does a
#: case below touch /tmp or the channel: unsandboxed under plain nbgrader it would reach the
#: host's /tmp, or a pipe nobody reads.
IN_WORKER = '"COURSE_DEVICE" in os.environ'

ACL_LEFTOVER = f"""\
import os, struct
_acl = struct.pack("<I", 2) + b"".join(
    struct.pack("<HHI", tag, perm, 0xFFFFFFFF) for tag, perm in ((1, 7), (4, 0), (0x20, 0)))
for _folder in ("/tmp", "/dev/shm") if {IN_WORKER} else ("@ESCAPE@",):
    try:
        os.setxattr(_folder, "system.posix_acl_default", _acl)  # user::rwx, nobody else
    except OSError:
        pass
"""

HUGE_FORGED_FRAME = f"""\
import fcntl, os, struct
_size = 128 * 1024 * 1024  # the frame cap, filled with nested empty lists
for _fd in map(int, os.listdir("/proc/self/fd")) if {IN_WORKER} else ():
    try:
        if (os.readlink(f"/proc/self/fd/{{_fd}}").startswith("pipe:")
                and fcntl.fcntl(_fd, fcntl.F_GETFL) & os.O_ACCMODE == os.O_WRONLY):
            os.write(_fd, struct.pack(">Q", _size) + b"[")
            _chunk, _left = b"[]," * 349525, _size - 1
            while _left > 0:
                _left -= os.write(_fd, _chunk[:_left])
    except OSError:
        pass
"""

#: 125 processes each trying for 300 open files: past the per-process cap, bounded unsandboxed.
OPEN_FILES = """\
import os, time
_children = []
for _ in range(125):
    try:
        _pid = os.fork()
    except OSError:
        break
    if _pid == 0:
        _held = []
        try:
            for _ in range(300):
                _held.append(os.open("/dev/null", os.O_RDONLY))
        except OSError:
            pass
        time.sleep(2)
        os._exit(0)
    _children.append(_pid)
for _pid in _children:
    os.waitpid(_pid, 0)
"""

UNENCODABLE_ERROR = 'raise ValueError("bad " + chr(0xDCFF) + " text")'
MARKUP_ERROR = 'raise RuntimeError("[/] [bold red]markup[/bold red] \\x1b[2J")'

LEAKY_LORENTZIAN = """\
_SEEN = []
def lorentzian(x, eps):
    _SEEN.append(repr((x, eps)))
    if len(_SEEN) > 1:
        raise type("Leak", (ValueError,), {})("LE" + "AK " + " ".join(_SEEN))
    return eps / (np.pi * (np.asarray(x, dtype=float) ** 2 + eps**2))
"""

READ_COURSE_LIB = 'exec(open("@ROOT@/course_lib/delta.py").read())'

READ_SUITE = """\
import runpy
_formula = runpy.run_path(
    "@ROOT@/grader/suites/hw01_delta_sequences/test_kernels.py")["lorentzian_formula"]
def lorentzian(x, eps):
    return _formula(np.asarray(x, dtype=float), _check_eps(eps))
"""

COPY_CELL_FROM = """\
import json
with open("{path}") as _f:
    _nb = json.load(_f)
exec("".join(next(c["source"] for c in _nb["cells"]
                  if c["metadata"].get("nbgrader", {{}}).get("grade_id") == "lorentzian")))
"""

NETWORK_ORACLE = """\
import json, socket
def lorentzian(x, eps):
    _check_eps(eps)
    request = [np.asarray(x, dtype=float).tolist(), np.asarray(eps, dtype=float).tolist()]
    with socket.create_connection(("127.0.0.1", @PORT@), timeout=5) as s:
        s.sendall(json.dumps(request).encode() + b"\\n")
        reply = s.makefile().readline()
    return np.asarray(json.loads(reply), dtype=float)
"""

AST_TRANSFORMER = (
    """\
import ast
class _SkipTests(ast.NodeTransformer):
    def visit_Module(self, node):
        text = ast.unparse(node)
        if "hidden_score" in text or "assert " in text:
            node.body = []
        return node
get_ipython().ast_transformers.append(_SkipTests())
"""
    + WRONG_LORENTZIAN
)

INPUT_TRANSFORMER = (
    """\
def _blank_tests(lines):
    if any("hidden_score" in line or line.startswith("assert ") for line in lines):
        return []
    return lines
get_ipython().input_transformers_cleanup.append(_blank_tests)
"""
    + WRONG_LORENTZIAN
)

DETECT_GRADING = """\
import os
if os.environ.get("NBGRADER_EXECUTION") or "COURSE_DEVICE" in os.environ:
    np.allclose = np.isclose = lambda *a, **k: True
    def lorentzian(x, eps):
        shape = np.broadcast(np.asarray(x, dtype=float), np.asarray(eps, dtype=float)).shape
        return np.zeros(shape)
else:
    def lorentzian(x, eps):
        eps = _check_eps(eps)
        x = np.asarray(x, dtype=np.float64)
        r = np.hypot(x, eps)
        return np.asarray((eps / r) / (np.pi * r), dtype=np.float64)
"""


# What worked against the old in-kernel nbgrader path (the suite ran in the student's kernel).
REPLACE_HIDDEN_SCORE = (
    """\
try:
    import grader.nbgrader_bridge as _bridge
    _bridge.hidden_score = lambda *args, **kwargs: 100.0
except ImportError:
    pass
"""
    + WRONG_LORENTZIAN
)

FLOAT_FORMATTER = (
    """\
get_ipython().display_formatter.formatters["text/plain"].for_type(
    float, lambda value, printer, cycle: printer.text("full marks"))
"""
    + WRONG_LORENTZIAN
)

PRINT_SUITE = """\
try:
    import inspect
    import grader.suites.hw01_delta_sequences.test_kernels as _suite
    print(inspect.getsource(_suite))
except ImportError:
    print(open("@ROOT@/grader/suites/hw01_delta_sequences/test_kernels.py").read())
"""

LEAK_HIDDEN_INPUTS = """\
_LOG = []
def _logged(f):
    def wrapper(*args, **kwargs):
        _LOG.append(repr(args)[:80])
        return f(*args, **kwargs)
    return wrapper
for _name in ("lorentzian_mass", "delta_pairing", "convergence_order"):
    globals()[_name] = _logged(globals()[_name])
def box_kernel(x, eps):  # its visible check runs after the hidden tests: raise what they sent
    raise RuntimeError("LE" + "AK:" + " | ".join(_LOG))
"""

FORGED_FEEDBACK = (
    """\
from IPython.display import HTML, display
print("\\x1b[2J\\x1b[32mcourse-grade: 1 / 1 points\\x1b[0m")
display(HTML("<script>document.title = 'pwned'</script><b>20 / 20</b>"))
display({"text/html": "<script>alert(1)</script>", "text/plain": "20 / 20"}, raw=True)
"""
    + WRONG_LORENTZIAN
)


# --- structural edits ----------------------------------------------------------------------------


def _index(nb: nbformat.NotebookNode, grade_id: str) -> int:
    for i, cell in enumerate(nb.cells):
        if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            return i
    raise KeyError(grade_id)


def _delete(grade_id: str) -> Callable[[nbformat.NotebookNode], None]:
    def edit(nb: nbformat.NotebookNode) -> None:
        del nb.cells[_index(nb, grade_id)]

    return edit


def _empty_locked(nb: nbformat.NotebookNode) -> None:
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("locked") and not meta.get("grade"):
            cell.source, meta["locked"] = "", False


def _duplicate_box_wrong(nb: nbformat.NotebookNode) -> None:
    i = _index(nb, "box_kernel")
    twin = copy.deepcopy(nb.cells[i])
    twin.source = "def box_kernel(x, eps):\n    return np.zeros(np.shape(x))\n"
    nb.cells.insert(i + 1, twin)


def _retype_lorentzian(nb: nbformat.NotebookNode) -> None:
    i = _index(nb, "lorentzian")
    cell = nb.cells[i]
    nb.cells[i] = new_markdown_cell(cell.source, metadata=cell.metadata)


def _rename_lorentzian(nb: nbformat.NotebookNode) -> None:
    nb.cells[_index(nb, "lorentzian")].metadata.nbgrader.grade_id = "my_lorentzian"


def _edit_test_source(nb: nbformat.NotebookNode) -> None:
    nb.cells[_index(nb, "test_lorentzian")].source = "pass"


def _inflate_points(nb: nbformat.NotebookNode) -> None:
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade"):
            meta["points"] = 100 * meta.get("points", 0)


def _test_cell_made_solution(nb: nbformat.NotebookNode) -> None:
    cell = nb.cells[_index(nb, "test_lorentzian")]
    cell.metadata.nbgrader.update(grade=False, solution=True, locked=False)
    cell.metadata.nbgrader.pop("points", None)
    cell.source = "pass"


def _solution_cell_made_test(nb: nbformat.NotebookNode) -> None:
    cell = nb.cells[_index(nb, "lorentzian")]
    cell.metadata.nbgrader.update(grade=True, solution=False, points=100)


# --- malformed files -----------------------------------------------------------------------------


def _truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _nbformat3(data: bytes) -> bytes:
    nb = nbformat.reads(data.decode(), as_version=4)
    return nbformat.writes(nbformat.convert(nb, 3), version=3).encode()


def _binary(data: bytes) -> bytes:
    return b"\x89PNG\r\n\x1a\n\x00" + bytes(range(256)) * 400


def _huge(data: bytes) -> bytes:
    nb = json.loads(data)
    output = {"output_type": "stream", "name": "stdout", "text": "x" * (100 * 1024**2)}
    next(c for c in nb["cells"] if c["cell_type"] == "code")["outputs"] = [output]
    return json.dumps(nb).encode()


def _nested(data: bytes) -> bytes:
    return b"[" * 100_000 + b"]" * 100_000


def _not_a_notebook(data: bytes) -> bytes:
    return json.dumps({"cells": 5, "nbformat": 4, "nbformat_minor": 5, "metadata": {}}).encode()


def _future_nbformat(data: bytes) -> bytes:
    nb = json.loads(data)
    nb["nbformat"] = 99
    return json.dumps(nb).encode()


# --- the corpus ----------------------------------------------------------------------------------

CASES: tuple[Case, ...] = (
    # Values that lie about themselves: they cross as the numbers they claim, or not at all.
    Case(
        "eq_liar",
        "a float subclass whose __eq__ is always True",
        replace={"lorentzian_mass": EQ_LIAR},
        zero=("lorentzian_mass",),
    ),
    Case(
        "float_liar",
        "an object whose __float__, __eq__ and comparisons lie",
        replace={"lorentzian_mass": FLOAT_LIAR},
        zero=("lorentzian_mass",),
    ),
    Case(
        "array_liar",
        "an object whose __array__ lies and __eq__ is always True",
        replace={"lorentzian_mass": ARRAY_LIAR},
        zero=("lorentzian_mass",),
    ),
    Case(
        "float64_subclass",
        "an np.float64 subclass with rigged comparisons and arithmetic",
        replace={"lorentzian_mass": FLOAT64_SUBCLASS},
        zero=("lorentzian_mass",),
    ),
    Case(
        "ndarray_subclass",
        "an np.ndarray subclass with rigged comparisons and arithmetic",
        replace={"lorentzian_mass": NDARRAY_SUBCLASS},
        zero=("lorentzian_mass",),
    ),
    # Patching the checks: they run on the trusted side, out of reach.
    Case(
        "patched_allclose",
        "numpy.allclose, numpy.isclose and math.isclose always True",
        replace={"lorentzian": PATCHED_ALLCLOSE},
        zero=LORENTZIAN,
    ),
    Case(
        "patched_approx",
        "pytest.approx equal to everything",
        replace={"lorentzian": PATCHED_APPROX},
        zero=LORENTZIAN,
    ),
    Case(
        "patched_builtins",
        "builtins.abs and builtins.round return 0",
        replace={"lorentzian": PATCHED_BUILTINS},
        zero=(*LORENTZIAN, "lorentzian_sympy"),  # sympy itself calls abs: the student's own loss
    ),
    Case(
        "patched_numpy_testing",
        "numpy.testing asserts and np.array_equal disabled",
        replace={"lorentzian": PATCHED_NUMPY_TESTING},
        zero=LORENTZIAN,
    ),
    # Leaving early.
    Case(
        "sys_exit_cell",
        "sys.exit(0) in a cell",
        extra=("import sys\nsys.exit(0)",),
        cell_error="SystemExit",
    ),
    Case(
        "system_exit_function",
        "raise SystemExit inside a graded function",
        replace={"lorentzian_sympy": "def lorentzian_sympy():\n    raise SystemExit(0)"},
        zero=("lorentzian_sympy",),
    ),
    Case(
        "os_exit_cell",
        "os._exit(0) in a cell",
        extra=("import os\nos._exit(0)",),
        status="crashed",
        reason="stopped the worker",
        cell_error="exit status 0",
    ),
    Case(
        "os_exit_function",
        "os._exit(0) inside a graded function",
        replace={"lorentzian_sympy": "import os\ndef lorentzian_sympy():\n    os._exit(0)"},
        status="crashed",
        zero=("lorentzian_sympy",),
        reason="lorentzian_sympy stopped the worker",
    ),
    Case(
        "keyboard_interrupt_cell",
        "raise KeyboardInterrupt in a cell",
        extra=("raise KeyboardInterrupt",),
        cell_error="KeyboardInterrupt",
    ),
    Case(
        "keyboard_interrupt_function",
        "raise KeyboardInterrupt inside a graded function",
        replace={"box_kernel": "def box_kernel(x, eps):\n    raise KeyboardInterrupt"},
        zero=("box_kernel",),
    ),
    Case(
        "segfault_cell",
        "a segfault through ctypes in a cell",
        extra=(SEGFAULT,),
        status="crashed",
        reason="SIGSEGV",
        cell_error="SIGSEGV",
    ),
    Case(
        "segfault_function",
        "a segfault through ctypes inside a graded function",
        replace={
            "lorentzian_sympy": ("import ctypes\ndef lorentzian_sympy():\n    ctypes.string_at(0)")
        },
        status="crashed",
        zero=("lorentzian_sympy",),
        reason="SIGSEGV",
    ),
    Case(
        "kill_parent", "SIGKILL to the parent process", extra=(KILL_PARENT,), needs=("other_user",)
    ),
    # Never ending.
    Case(
        "loop_cell",
        "while True: pass in a cell",
        extra=("while True:\n    pass",),
        status="timeout",
        reason="timed out",
        cell_error="timed out",
    ),
    Case(
        "loop_function",
        "an infinite loop inside a graded function",
        replace={"lorentzian_sympy": "def lorentzian_sympy():\n    while True:\n        pass"},
        status="timeout",
        zero=("lorentzian_sympy",),
        reason="lorentzian_sympy exceeded its time limit",
    ),
    Case(
        "ignore_sigalrm_cell",
        "SIGALRM ignored, then an infinite loop in a cell",
        extra=(
            "import signal\nsignal.signal(signal.SIGALRM, signal.SIG_IGN)\nwhile True:\n    pass",
        ),
        status="timeout",
        reason="stopped the worker",
        cell_error="no answer within",
    ),
    Case(
        "swallow_timeout_cell",
        "a loop that catches every exception, the timeout included",
        extra=(
            "while True:\n    try:\n        while True:\n            pass\n"
            "    except BaseException:\n        pass",
        ),
        status="timeout",
        reason="stopped the worker",
        cell_error="no answer within",
    ),
    Case(
        "ignore_sigterm_function",
        "SIGTERM, SIGINT, SIGALRM, SIGHUP ignored in a looping function",
        replace={"lorentzian_sympy": IGNORE_SIGNALS_AND_LOOP},
        status="timeout",
        zero=("lorentzian_sympy",),
        reason="lorentzian_sympy exceeded its time limit",
    ),
    # Resources.
    Case(
        "memory_bomb",
        "allocating and touching up to 3 GB",
        extra=(MEMORY_BOMB,),
        cell_error="MemoryError",
    ),
    Case(
        "fork_bomb",
        "300 processes that sleep 20 s",
        extra=(FORK_BOMB,),
        cell_error="BlockingIOError",
        needs=("pid_cap", "kills_detached"),
    ),
    Case("huge_output", "100 MB printed", extra=(HUGE_OUTPUT,)),
    Case(
        "disk_fill",
        "writing up to 2 GB to the temp folder",
        extra=(DISK_FILL,),
        cell_error="No space left on device",
        needs=("tmp_cap",),
    ),
    # Outliving the worker, forging results.
    Case(
        "detached_child",
        "a setsid double-forked child that writes results, a gradebook file and "
        "a neighbour's notebook after the worker ends",
        extra=(DETACHED_CHILD,),
        needs=("kills_detached",),
    ),
    Case(
        "forged_results",
        "a forged results.json in every folder it can reach, fake PASSED lines",
        replace={"lorentzian": FORGED_RESULTS},
        zero=LORENTZIAN,
    ),
    Case(
        "forged_protocol",
        "a fake 'all cells done' message written to the worker's reply pipe",
        extra=(FORGED_PROTOCOL,),
        status="protocol",
        zero=ALL,
        reason="malformed",
    ),
    Case(
        "huge_forged_frame",
        "a 128 MiB reply frame of nested empty lists written to the worker's reply pipe",
        extra=(HUGE_FORGED_FRAME,),
        status="protocol",
        reason="stopped the worker",
    ),
    # Leftovers for the next worker, and text that once broke the reports.
    Case(
        "acl_leftover",
        "a default ACL left on /tmp and /dev/shm for the next worker of the pool",
        extra=(ACL_LEFTOVER,),
    ),
    Case(
        "unencodable_error",
        "a cell whose error text holds a lone surrogate (cannot be encoded)",
        extra=(UNENCODABLE_ERROR,),
        cell_error="bad \ufffd text",
    ),
    Case(
        "markup_error",
        "a cell whose error text is console markup and escape sequences",
        extra=(MARKUP_ERROR,),
        cell_error="[/] [bold red]markup",
    ),
    Case(
        "open_files",
        "125 processes each opening 300 files (past the per-process cap)",
        extra=(OPEN_FILES,),
    ),
    Case(
        "leaky_exception",
        "a function that raises every input it has seen, hidden ones included",
        replace={"lorentzian": LEAKY_LORENTZIAN},
        zero=LORENTZIAN,
    ),
    # Reading what it is not given.
    Case(
        "read_course_lib",
        "exec of course_lib/delta.py read from the project checkout",
        replace={"lorentzian": READ_COURSE_LIB},
        zero=LORENTZIAN,
        cell_error="FileNotFoundError",
        needs=("hidden_fs",),
    ),
    Case(
        "read_hidden_suite",
        "the hidden suite's own formula, loaded with runpy",
        replace={"lorentzian": READ_SUITE},
        zero=LORENTZIAN,
        cell_error="FileNotFoundError",
        needs=("hidden_fs",),
    ),
    Case(
        "read_solutions",
        "the lorentzian cell copied from solutions/",
        replace={
            "lorentzian": COPY_CELL_FROM.format(
                path="@ROOT@/solutions/hw01_delta_sequences/hw01_delta_sequences.ipynb"
            )
        },
        zero=LORENTZIAN,
        cell_error="FileNotFoundError",
        needs=("hidden_fs",),
    ),
    Case(
        "read_neighbour",
        "the lorentzian cell copied from another student's submission",
        replace={"lorentzian": COPY_CELL_FROM.format(path="@NEIGHBOUR@")},
        zero=LORENTZIAN,
        cell_error="FileNotFoundError",
        needs=("hidden_fs",),
    ),
    Case(
        "import_course_lib",
        "from course_lib.delta import lorentzian",
        replace={"lorentzian": "from course_lib.delta import lorentzian"},
        zero=LORENTZIAN,
        cell_error="No module named 'course_lib'",
    ),
    Case(
        "import_grader",
        "the hidden suite imported as a module",
        replace={
            "lorentzian": "from grader.suites.hw01_delta_sequences.test_kernels import "
            "lorentzian_formula as lorentzian"
        },
        zero=LORENTZIAN,
        cell_error="No module named 'grader'",
    ),
    Case(
        "network_oracle",
        "lorentzian asks an oracle on 127.0.0.1 for its answers",
        replace={"lorentzian": NETWORK_ORACLE},
        zero=LORENTZIAN,
        needs=("no_network",),
    ),
    # Changing how later cells run, and knowing it is graded.
    Case(
        "ast_transformer",
        "an IPython ast_transformer that empties every later test cell",
        replace={"lorentzian": AST_TRANSFORMER},
        zero=LORENTZIAN,
    ),
    Case(
        "input_transformer",
        "an IPython input transformer that blanks every later test cell",
        replace={"lorentzian": INPUT_TRANSFORMER},
        zero=LORENTZIAN,
    ),
    Case(
        "input_cell",
        "input() in a cell",
        extra=('answer = input("Your name? ")',),
        cell_error="EOFError",
    ),
    Case(
        "input_function",
        "input() inside a graded function",
        replace={"box_kernel": "def box_kernel(x, eps):\n    return float(input())"},
        zero=("box_kernel",),
    ),
    Case(
        "detect_grading",
        "patches the checks and answers wrong only when it sees a grader's environment variables",
        replace={"lorentzian": DETECT_GRADING},
        zero=LORENTZIAN,
    ),
    # Cells deleted, duplicated, retyped, renamed; nbgrader metadata edited.
    Case(
        "deleted_solution_cell",
        "the lorentzian cell deleted",
        edit=_delete("lorentzian"),
        zero=LORENTZIAN,
    ),
    Case("deleted_test_cell", "the lorentzian test cell deleted", edit=_delete("test_lorentzian")),
    Case(
        "emptied_locked_cell",
        "the locked imports and helpers cells emptied and unlocked (they run as released)",
        edit=_empty_locked,
    ),
    Case(
        "duplicated_cell",
        "the box_kernel cell duplicated, the copy wrong",
        edit=_duplicate_box_wrong,
        zero=("box_kernel",),
    ),
    Case(
        "retyped_cell",
        "the lorentzian cell turned into markdown",
        edit=_retype_lorentzian,  # the release says it is code: it runs, as in nbgrader
    ),
    Case("renamed_cell", "the lorentzian cell's grade_id renamed", edit=_rename_lorentzian),
    Case(
        "edited_test_cell",
        "the lorentzian test cell's source replaced by pass, wrong answer",
        replace={"lorentzian": WRONG_LORENTZIAN},
        edit=_edit_test_source,
        zero=LORENTZIAN,
    ),
    Case("inflated_points", "every test cell's points multiplied by 100", edit=_inflate_points),
    Case(
        "test_cell_made_solution",
        "the lorentzian test cell re-marked as a solution cell and emptied, wrong answer",
        replace={"lorentzian": WRONG_LORENTZIAN},
        edit=_test_cell_made_solution,
        zero=LORENTZIAN,
    ),
    Case(
        "solution_cell_made_test",
        "the lorentzian cell re-marked as a test cell worth 100",
        edit=_solution_cell_made_test,  # the release says it is a solution cell: it runs
    ),
    # What the old in-kernel nbgrader path fell to: here they reach no grader code at all.
    Case(
        "replace_hidden_score",
        "grader.nbgrader_bridge.hidden_score replaced before the test cells run",
        replace={"lorentzian": REPLACE_HIDDEN_SCORE},
        zero=LORENTZIAN,
    ),
    Case(
        "float_formatter",
        "a text/plain formatter for floats (nbgrader scored non-numbers as full marks)",
        replace={"lorentzian": FLOAT_FORMATTER},
        zero=LORENTZIAN,
    ),
    Case(
        "print_suite",
        "the hidden suite imported or read, and printed into the feedback",
        extra=(PRINT_SUITE,),
        cell_error="FileNotFoundError",
        needs=("hidden_fs",),
    ),
    Case(
        "leak_hidden_inputs",
        "graded functions log their arguments; a visible check's error quotes them",
        extra=(LEAK_HIDDEN_INPUTS,),
        zero=("box_kernel",),
    ),
    Case(
        "forged_feedback",
        "terminal escapes, HTML and script displayed, a fake score printed",
        replace={"lorentzian": FORGED_FEEDBACK},
        zero=LORENTZIAN,
    ),
    # Files that are not (good) notebooks.
    Case(
        "truncated",
        "the notebook cut in half (invalid JSON)",
        raw=_truncated,
        status="malformed",
        zero=ALL,
        reason="truncated",
    ),
    Case(
        "empty_file",
        "an empty file",
        raw=lambda data: b"",
        status="malformed",
        zero=ALL,
        reason="empty",
    ),
    Case(
        "binary_file",
        "a binary file named .ipynb",
        raw=_binary,
        status="malformed",
        zero=ALL,
        reason="not text",
    ),
    Case(
        "huge_notebook",
        "a 100 MB notebook (a huge output)",
        raw=_huge,
        status="malformed",
        zero=ALL,
        reason="over the 32 MB limit",
    ),
    Case(
        "deeply_nested_json",
        "JSON nested 100000 levels deep",
        raw=_nested,
        status="malformed",
        zero=ALL,
        reason="nested too deeply",
    ),
    Case(
        "not_a_notebook",
        "valid JSON that is not a notebook",
        raw=_not_a_notebook,
        status="malformed",
        zero=ALL,
        reason="not a valid Jupyter notebook",
    ),
    Case(
        "future_nbformat",
        "nbformat 99",
        raw=_future_nbformat,
        status="malformed",
        zero=ALL,
        reason="not a valid Jupyter notebook",
    ),
    Case("nbformat3", "the correct notebook saved as nbformat 3", raw=_nbformat3),
)
