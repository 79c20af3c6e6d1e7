"""HTTP clients for the services Lightstick depends on (X, MusicBrainz)."""
