"""Discord plumbing every cog shares: the bot class, the command tree, checks, buttons, loops.

This is the only package under `bot/` (with `bot/testing/` and `bot/__main__.py`) that may import
discord; feature code that talks to Discord lives in `cogs/`.
"""
