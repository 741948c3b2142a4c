"""Which works a viewer may see, as flags of the search documents; pure, shared by the archive's
access rule (archive/access.py decides a viewer's Visibility) and every search backend (which
exclude the documents `excluded_flags` names, and the tags only such documents use)."""

from __future__ import annotations

from dataclasses import dataclass

# The largest id a URL or query parameter may name: PostgreSQL's `integer` and the search
# backends' 32-bit id columns; beyond it nothing exists, and asking must not overflow a driver.
MAX_ROW_ID = 2**31 - 1


@dataclass(frozen=True)
class Visibility:
    restricted: bool = False  # may see works for logged-in readers only
    hidden: bool = False  # may see works an admin hid (staff)

    def excluded_flags(self) -> tuple[tuple[str, bool], ...]:
        """(document flag, value) pairs of the works this viewer may not see; drafts for everyone."""
        flags: list[tuple[str, bool]] = [("posted", False)]
        if not self.hidden:
            flags.append(("hidden", True))
        if not self.restricted:
            flags.append(("restricted", True))
        return tuple(flags)

    def sees(self, *, posted: bool, hidden: bool, restricted: bool) -> bool:
        values = {"posted": posted, "hidden": hidden, "restricted": restricted}
        return all(values[flag] != value for flag, value in self.excluded_flags())

    def audiences(self) -> tuple[int, ...]:
        """The audience codes (see `audience`) of the posted works this viewer may see."""
        return tuple(
            code
            for code in range(4)
            if self.sees(posted=True, hidden=bool(code & 2), restricted=bool(code & 1))
        )


def audience(*, hidden: bool, restricted: bool) -> int:
    """A posted work's audience as one small number a tag index can hold: a tag is stored with the
    codes of the posted works using it, and offered to a viewer whose `audiences()` meet them."""
    return (2 if hidden else 0) | (1 if restricted else 0)
