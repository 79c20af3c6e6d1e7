-- MusicBrainz fallback cache (issue 8). Global, not guild data: it holds only MusicBrainz's CC0
-- core data, shared by every server. Rows older than the TTL are refetched, then purged.
CREATE TABLE musicbrainz_cache (
    query_norm  TEXT PRIMARY KEY,           -- normalized name the user asked for
    mbid        TEXT,                       -- NULL: MusicBrainz had no usable match (negative)
    payload     TEXT,                       -- JSON of the artist's core data; NULL when negative
    fetched_at  INTEGER NOT NULL            -- epoch seconds (UTC)
);
CREATE INDEX musicbrainz_cache_fetched_at ON musicbrainz_cache(fetched_at);
