"""The ``course-grade`` command line (also ``python -m grader``). No logic lives here: each
subcommand parses its arguments and hands them to the keyword-only ``main`` of its module,
imported only when that subcommand runs (``build`` alone needs jupytext, for instance)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console

from grader import GraderError

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
                return 1 if changed else 0
            console.print(f"build: wrote {len(changed)} notebooks")
            return 0
        if args.command == "grade":
            from grader.grading import grade_batch
            from grader.reports import print_table, table_console, write_reports
            from grader.sandbox import isolation_level
            from grader.suites import load_assignment

            level = isolation_level()
            warm = not args.fresh_workers and level.startswith("bubblewrap")
            console.print(f"isolation: {level}" + (", workers forked from a warm pool" * warm))
            results = grade_batch(
                args.assignment,
                args.submissions,
                jobs=args.jobs,
                device=args.device,
                show_progress=console.is_terminal,
                warm=not args.fresh_workers,
            )
            assignment = load_assignment(args.assignment)
            write_reports(assignment, results, args.out)
            print_table(assignment, results, table_console())
            console.print(f"reports written to {args.out}")
            return 2 if any(r.status == "grader-error" for r in results) else 0
        if args.command == "nbgrader-config":
            from grader.nbgrader_bridge import nbgrader_config

            print(nbgrader_config(), end="")
            return 0
        if args.command == "validate":
            from grader import validate

            return 0 if validate.main(assignments=args.assignments, device=args.device) else 1
        from grader import calibrate

        limits = calibrate.main(device=args.device, assignments=args.assignments)
        for name, lim in limits.items():
            slowest = max(lim.tests.values(), default=0.0)
            console.print(
                f"{name}: cell limit {lim.cell:g} s, test limits up to {slowest:g} s "
                f"({len(lim.tests)} tests, {lim.device})"
            )
        return 0
    except GraderError as exc:
        console.print(f"[red]course-grade: {exc}[/red]")
        return 2


if __name__ == "__main__":
    sys.exit(main())
