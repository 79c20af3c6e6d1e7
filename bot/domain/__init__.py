"""Domain rules: pure logic for each feature. Never imports discord, never writes SQL, no HTTP."""
