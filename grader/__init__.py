"""course-grade: build the course's notebooks and grade submissions in sandboxed workers."""


class GraderError(Exception):
    """A fault of the grader or of its invocation (never a submission's failure)."""


class UsageError(GraderError):
    """A bad invocation: an argument that names nothing usable. Raised before any work starts."""
