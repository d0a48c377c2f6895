"""What stops a command before it starts: told in a line or a few, never a traceback.

Light on purpose (standard library only): the command line catches these without paying
for the modules that raise them.
"""

from __future__ import annotations

import sys

EXIT_FAILED, EXIT_USAGE = 1, 2


class StartupProblem(Exception):
    """A command cannot start; ``str(problem)`` is what the operator reads, a line each."""

    exit_code = EXIT_FAILED

    def __init__(self, *lines: str) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


class SettingsError(StartupProblem):
    """Bad settings: one line per bad variable, each naming it and a good value."""

    exit_code = EXIT_USAGE


class ServiceUnreachable(StartupProblem):
    """A service the settings name (the database) does not answer."""

    exit_code = EXIT_FAILED


def tell(problem: StartupProblem) -> int:
    """Print ``problem`` on stderr, each line prefixed ``gridbot:``; its exit code."""
    for line in problem.lines:
        print(f"gridbot: {line}", file=sys.stderr, flush=True)
    return problem.exit_code
