"""``python -m grader`` is ``course-grade``."""

import sys

from grader.cli import main

sys.exit(main())
