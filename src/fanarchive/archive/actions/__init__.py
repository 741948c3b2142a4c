"""State changes. Every `do_*` runs inside a transaction and writes the search outbox row for what
it changed; every `check_*` validates first and raises ActionError with a message for people."""


class ActionError(ValueError):
    pass
