"""What happened to a submission, as one value (the ``status`` of every record and report)."""

from __future__ import annotations

import enum


class Status(enum.StrEnum):
    """A record's status, worst event first where several happened (see ``RunLog.note``)."""

    OK = "ok"
    #: A cell or a graded function ran past its time limit.
    TIMEOUT = "timeout"
    #: The worker died (a signal, an exit, a cap) and could not be restarted for everything.
    CRASHED = "crashed"
    #: The worker sent something that is not the protocol (student code wrote to the channel).
    PROTOCOL = "protocol"
    #: The file is not a readable, valid notebook.
    MALFORMED = "malformed"
    #: There is nothing to grade: no notebook, or not a regular file (a symbolic link).
    MISSING = "missing"
    #: The grader itself failed on this submission; the batch went on.
    GRADER_ERROR = "grader-error"
