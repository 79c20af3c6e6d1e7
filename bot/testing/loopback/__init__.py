"""A small, strict Discord (REST v10 and gateway v10 on 127.0.0.1) for the real client."""
