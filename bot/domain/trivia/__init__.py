"""Trivia: the question bank and pack validation, scoring, no-repeat selection, game rules."""
