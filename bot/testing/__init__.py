"""The testing kit: a loopback Discord, fake X and MusicBrainz servers, and a Lightstick runner.

Shipped with the package so that tests, benchmarks and the sandbox import one typed copy.
Everything here binds to 127.0.0.1 only.
"""
