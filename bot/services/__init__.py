"""Services that orchestrate domain rules, storage and HTTP clients; never import discord.

What a service must send to Discord it sends through a callable that a cog hands it.
"""
