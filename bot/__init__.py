"""Lightstick: a Discord bot for K-pop fan servers."""

__version__ = "0.1.0"
