"""The one exception type for mistakes a user can fix; the CLI prints it without a traceback."""


class PinnlabError(Exception):
    """A user-facing error: the message names the problem and the fix."""


def unknown_name(kind: str, name: str, valid) -> PinnlabError:
    return PinnlabError(f"unknown {kind} {name!r}; valid {kind}s: {', '.join(sorted(valid))}")
