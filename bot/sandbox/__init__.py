"""The sandbox: every command in a browser, against the real bot, a loopback Discord and fake X."""
