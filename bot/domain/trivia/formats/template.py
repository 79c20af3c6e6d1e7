"""The ready-to-edit example pack that /trivia pack template sends."""

from __future__ import annotations

TEMPLATE_FILENAME = "lightstick-pack.yaml"

TEMPLATE = """\
# A Lightstick question pack. Edit it, then import it with /trivia pack import.
# Every value is read as the text you type: 11:11, 0606, Off and 2016-08-08 stay as written.
# Anchors (&), aliases (*) and merge keys (<<) are not allowed.
name: Our fandom quiz
description: Questions about our server and our favourite acts.
questions:
  # Multiple choice: the answer plus exactly 3 wrong answers (distractors).
  - prompt: Which year did our server open?
    answer: 2021
    distractors: [2019, 2020, 2022]
    year: 2021                        # optional: shown at the reveal
    source_url: https://example.org/our-history   # optional: shown with its real host
    source_quote: The server opened on a rainy Sunday.   # optional
  # Typed answer: no distractors. Members press "Answer" and type; case, spacing, punctuation and
  # small typos are forgiven, numbers are compared as numbers. List other spellings in accepted.
  - prompt: Which group released the song "Pink Venom"?
    answer: BLACKPINK
    accepted: [블랙핑크]
  - prompt: What is the title of the song we sing at midnight?
    answer: 11:11
"""
