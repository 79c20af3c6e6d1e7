"""What Spaces previews say: nothing is saved (follow) or posted (announce) until confirmed."""

from __future__ import annotations

from bot.core.confirm import ConfirmWords

PREVIEW_WORDS = ConfirmWords(
    prefix="spaces:preview:",
    confirm_label="Save",
    not_yours="Only the moderator who ran `/spaces follow` can save this.",
    cancelled="Cancelled: nothing was saved.",
    expired="This preview expired and nothing was saved; run `/spaces follow` again.",
    confirming="Too late to cancel: it is already being saved.",
    already_cancelled="This was cancelled and nothing was saved; run `/spaces follow` again.",
)

ANNOUNCE_WORDS = ConfirmWords(
    prefix="spaces:announce:",
    confirm_label="Post",
    not_yours="Only the moderator who ran `/spaces announce` can post this.",
    cancelled="Cancelled: nothing was posted and nobody was pinged.",
    expired="This preview expired and nothing was posted; run `/spaces announce` again.",
    confirming="Too late to cancel: the announcement is already being posted.",
    already_cancelled="This was cancelled and nothing was posted; run `/spaces announce` again.",
)
