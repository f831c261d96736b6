"""The case status machine, kept free of the database so it can be checked exhaustively."""

from civicdesk.cases.choices import CaseStatus, CloseReason

TRANSITIONS: dict[CaseStatus, frozenset[CaseStatus]] = {
    CaseStatus.NEW: frozenset(
        {CaseStatus.OPEN, CaseStatus.IN_PROGRESS, CaseStatus.WAITING, CaseStatus.CLOSED}
    ),
    CaseStatus.OPEN: frozenset({CaseStatus.IN_PROGRESS, CaseStatus.WAITING, CaseStatus.CLOSED}),
    CaseStatus.IN_PROGRESS: frozenset({CaseStatus.OPEN, CaseStatus.WAITING, CaseStatus.CLOSED}),
    # Waiting on the resident pauses the SLA clock; any move out of it starts the clock again.
    CaseStatus.WAITING: frozenset({CaseStatus.OPEN, CaseStatus.IN_PROGRESS, CaseStatus.CLOSED}),
    CaseStatus.CLOSED: frozenset({CaseStatus.OPEN}),
}

OPEN311_STATUS = {
    CaseStatus.NEW: "open",
    CaseStatus.OPEN: "open",
    CaseStatus.IN_PROGRESS: "open",
    CaseStatus.WAITING: "open",
    CaseStatus.CLOSED: "closed",
}


class TransitionError(ValueError):
    """A status change the machine does not allow; the message says why."""


def check_transition(
    current: CaseStatus, target: CaseStatus, close_reason: CloseReason | None
) -> None:
    if target == current:
        raise TransitionError(f"The request is already {current.label.lower()}.")
    if target not in TRANSITIONS[current]:
        raise TransitionError(
            f"A request that is {current.label.lower()} cannot become {target.label.lower()}."
        )
    if target == CaseStatus.CLOSED and close_reason is None:
        raise TransitionError("Closing a request needs a close reason.")
    if target != CaseStatus.CLOSED and close_reason is not None:
        raise TransitionError("Only closing a request takes a close reason.")
