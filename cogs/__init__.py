"""Discord glue: one extension per feature area."""
