"""The ``course-grade`` command line (also ``python -m grader``). No logic lives here: each
subcommand parses its arguments and hands them to the keyword-only ``main`` of its module,
imported only when that subcommand runs (``build`` alone needs jupytext, for instance).

Exit statuses (:class:`Exit`): 0 done; 1 a check found a problem (``build --check`` stale,
``validate`` missed); 2 a bad invocation, found before any work starts; 3 a fault of the grader
(a ``grader-error`` record, or the grader itself failed)."""

from __future__ import annotations

import argparse
import enum
import sys
import traceback
from pathlib import Path

from rich.console import Console

from grader import GraderError, UsageError
from grader.status import Status


class Exit(enum.IntEnum):
    """The exit statuses of ``course-grade`` (see the module docstring)."""

    OK = 0
    CHECK_FAILED = 1
    USAGE = 2  # argparse's own status for a usage error
    GRADER_FAULT = 3


DEVICE_HELP = "where student and reference code may compute: auto (CUDA if present), cpu, cuda"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="course-grade", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("build", help="regenerate solutions/ and assignments/ from course_lib")
    p.add_argument("assignments", nargs="*", help="assignment folder names (default: all)")
    p.add_argument("--check", action="store_true", help="change nothing; exit 1 if stale")

    p = sub.add_parser("grade", help="grade submissions in sandboxed workers")
    p.add_argument("assignment", help="assignment folder name, e.g. hw01_delta_sequences")
    p.add_argument(
        "submissions",
        nargs="+",
        type=Path,
        help=".ipynb files or folders (an nbgrader submitted/ tree is recognised)",
    )
    p.add_argument("--out", type=Path, required=True, help="folder for grades.csv and reports")
    p.add_argument("--jobs", type=int, default=1, help="submissions graded at once (default 1)")
    p.add_argument("--device", default="auto", help=DEVICE_HELP)
    p.add_argument(
        "--fresh-workers",
        action="store_true",
        help="start a fresh interpreter per submission instead of forking it from a warm pool "
        "(slower; the pool is used only under bubblewrap)",
    )
    p.add_argument(
        "--seed",
        help="the course secret behind the hidden inputs drawn at grading time (default: "
        "$COURSE_GRADE_SEED, else this machine's own); the same secret regrades identically",
    )

    p = sub.add_parser("validate", help="reference 100 %%, stubs 0, every mutant loses points")
    p.add_argument("assignments", nargs="*", help="assignment folder names (default: all)")
    p.add_argument("--device", default="auto", help=DEVICE_HELP)

    sub.add_parser(
        "nbgrader-config",
        help="print the nbgrader_config.py block that makes nbgrader autograde in the sandbox",
    )

    p = sub.add_parser("calibrate", help="measure the reference timings behind the time limits")
    p.add_argument("assignments", nargs="*", help="assignment folder names (default: all)")
    p.add_argument("--device", default="auto", help=DEVICE_HELP)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    console = Console(stderr=True)
    try:
        if args.command == "build":
            from grader import build

            changed = build.main(check=args.check, assignments=args.assignments)
            if args.check:
                for line in changed:
                    console.print(f"stale: {line}")
                console.print("build: up to date" if not changed else "build: STALE")
                return Exit.CHECK_FAILED if changed else Exit.OK
            console.print(f"build: wrote {len(changed)} notebooks")
            return Exit.OK
        if args.command == "grade":
            from grader.grading import grade_batch
            from grader.reports import check_out, print_table, table_console, write_reports
            from grader.sandbox import isolation_level
            from grader.suites import load_assignment
            from grader.warm_pool import pool_possible

            check_out(args.out)
            level = isolation_level()
            warm = not args.fresh_workers and pool_possible(level)
            console.print(f"isolation: {level}" + (", workers forked from a warm pool" * warm))
            results = grade_batch(
                args.assignment,
                args.submissions,
                jobs=args.jobs,
                device=args.device,
                show_progress=console.is_terminal,
                warm=not args.fresh_workers,
                secret=args.seed,
            )
            assignment = load_assignment(args.assignment)
            write_reports(assignment, results, args.out)
            print_table(assignment, results, table_console())
            console.print(f"reports written to {args.out}")
            faults = any(r.status is Status.GRADER_ERROR for r in results)
            return Exit.GRADER_FAULT if faults else Exit.OK
        if args.command == "nbgrader-config":
            from grader.nbgrader_bridge import nbgrader_config

            print(nbgrader_config(), end="")
            return Exit.OK
        if args.command == "validate":
            from grader import validate

            passed = validate.main(assignments=args.assignments, device=args.device)
            return Exit.OK if passed else Exit.CHECK_FAILED
        from grader import calibrate

        limits = calibrate.main(device=args.device, assignments=args.assignments)
        for name, lim in limits.items():
            slowest = max(lim.tests.values(), default=0.0)
            console.print(
                f"{name}: cell limit {lim.cell:g} s, test limits up to {slowest:g} s "
                f"({len(lim.tests)} tests, {lim.device})"
            )
        return Exit.OK
    except UsageError as exc:
        console.print(f"course-grade: {exc}", style="red", markup=False, highlight=False)
        return Exit.USAGE
    except GraderError as exc:
        console.print(f"course-grade: {exc}", style="red", markup=False, highlight=False)
        return Exit.GRADER_FAULT
    except Exception:  # a bug of ours: say so with the traceback, and a status of its own
        console.print(traceback.format_exc(), markup=False, highlight=False)
        console.print("course-grade: internal error (the traceback is above)", style="red")
        return Exit.GRADER_FAULT


if __name__ == "__main__":
    sys.exit(main())
