-- PostgreSQL translation of ../0003_musicbrainz_cache.sql.
CREATE TABLE musicbrainz_cache (
    query_norm  TEXT PRIMARY KEY,           -- normalized name the user asked for
    mbid        TEXT,                       -- NULL: MusicBrainz had no usable match (negative)
    payload     TEXT,                       -- JSON of the artist's core data; NULL when negative
    fetched_at  BIGINT NOT NULL             -- epoch seconds (UTC)
);
CREATE INDEX musicbrainz_cache_fetched_at ON musicbrainz_cache(fetched_at);
