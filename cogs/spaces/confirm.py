"""What a Spaces follow preview says: nothing is saved until the moderator presses Save."""

from __future__ import annotations

from bot.core.confirm import ConfirmWords

PREVIEW_WORDS = ConfirmWords(
    prefix="spaces:preview:",
    confirm_label="Save",
    not_yours="Only the moderator who ran `/spaces follow` can save this.",
    cancelled="Cancelled: nothing was saved.",
    expired="This preview expired and nothing was saved; run `/spaces follow` again.",
)
