"""Code that runs inside the sandbox: the worker loop, the data boundary, trusted test functions.

Only the standard library and numpy, and only relative imports: the sandbox binds this folder as a
top-level package named ``harness``, while the trusted side imports it as ``grader.harness``.
"""
