-- Trivia (issue 5): games, answers, seen questions, member stats, server packs, settings, daily.
CREATE TABLE trivia_settings (
    guild_id             INTEGER PRIMARY KEY REFERENCES guilds(guild_id) ON DELETE CASCADE,
    seconds_per_question INTEGER NOT NULL DEFAULT 20 CHECK (seconds_per_question BETWEEN 10 AND 60),
    questions_per_game   INTEGER NOT NULL DEFAULT 5 CHECK (questions_per_game BETWEEN 1 AND 20),
    daily_channel_id     INTEGER,
    daily_time           TEXT CHECK (daily_time IS NULL OR length(daily_time) = 5),  -- 'HH:MM' local
    updated_at           INTEGER NOT NULL
);

-- A 'game' is started by a member; a 'daily' is the one-question game of the daily post.
CREATE TABLE trivia_games (
    game_id             INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id            INTEGER NOT NULL REFERENCES guilds(guild_id) ON DELETE CASCADE,
    channel_id          INTEGER NOT NULL,
    starter_id          INTEGER,
    kind                TEXT NOT NULL DEFAULT 'game' CHECK (kind IN ('game', 'daily')),
    status              TEXT NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'ended')),
    category            TEXT,
    seed                INTEGER NOT NULL,
    seconds             INTEGER NOT NULL CHECK (seconds > 0),
    question_ids        TEXT NOT NULL,                 -- JSON array of question ids, in order
    current_index       INTEGER NOT NULL DEFAULT -1,
    question_open       INTEGER NOT NULL DEFAULT 0 CHECK (question_open IN (0, 1)),
    current_correct     INTEGER,                       -- button (0-3) of the open question
    question_started_ms INTEGER,                       -- epoch milliseconds, for the speed bonus
    message_ids         TEXT NOT NULL DEFAULT '[]',    -- JSON array of posted question messages
    started_at          INTEGER NOT NULL,
    ended_at            INTEGER,
    end_reason          TEXT
);
-- One running game per channel, enforced by the database as well as by the cog.
CREATE UNIQUE INDEX trivia_games_one_per_channel
    ON trivia_games(guild_id, channel_id) WHERE status = 'running' AND kind = 'game';
CREATE INDEX trivia_games_running ON trivia_games(status, kind);

-- Every answer is also the score event the weekly leaderboard sums (answered_at).
CREATE TABLE trivia_answers (
    game_id      INTEGER NOT NULL REFERENCES trivia_games(game_id) ON DELETE CASCADE,
    q_index      INTEGER NOT NULL,
    member_id    INTEGER NOT NULL,
    guild_id     INTEGER NOT NULL REFERENCES guilds(guild_id) ON DELETE CASCADE,
    choice       INTEGER NOT NULL CHECK (choice BETWEEN 0 AND 3),
    correct      INTEGER NOT NULL CHECK (correct IN (0, 1)),
    points       INTEGER NOT NULL CHECK (points >= 0),
    elapsed_ms   INTEGER NOT NULL,
    answered_at  INTEGER NOT NULL,                     -- epoch seconds (UTC)
    applied      INTEGER NOT NULL DEFAULT 0 CHECK (applied IN (0, 1)),
    PRIMARY KEY (game_id, q_index, member_id)
);
CREATE INDEX trivia_answers_guild_time ON trivia_answers(guild_id, answered_at);
CREATE INDEX trivia_answers_unapplied ON trivia_answers(game_id) WHERE applied = 0;

-- Questions this server has seen in the current cycle of their pool (bank, category or pack).
CREATE TABLE trivia_seen (
    guild_id     INTEGER NOT NULL REFERENCES guilds(guild_id) ON DELETE CASCADE,
    question_id  TEXT NOT NULL,
    seen_at      INTEGER NOT NULL,
    PRIMARY KEY (guild_id, question_id)
);

CREATE TABLE trivia_stats (
    guild_id        INTEGER NOT NULL REFERENCES guilds(guild_id) ON DELETE CASCADE,
    member_id       INTEGER NOT NULL,
    points          INTEGER NOT NULL DEFAULT 0,
    games           INTEGER NOT NULL DEFAULT 0,
    answered        INTEGER NOT NULL DEFAULT 0,
    correct         INTEGER NOT NULL DEFAULT 0,
    current_streak  INTEGER NOT NULL DEFAULT 0,
    best_streak     INTEGER NOT NULL DEFAULT 0,
    updated_at      INTEGER NOT NULL,
    PRIMARY KEY (guild_id, member_id)
);
CREATE INDEX trivia_stats_points ON trivia_stats(guild_id, points DESC);

CREATE TABLE trivia_packs (
    pack_id         INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id        INTEGER NOT NULL REFERENCES guilds(guild_id) ON DELETE CASCADE,
    name            TEXT NOT NULL COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 50),
    created_by      INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    question_count  INTEGER NOT NULL CHECK (question_count BETWEEN 1 AND 200),
    UNIQUE (guild_id, name)
);

CREATE TABLE trivia_pack_questions (
    pack_id       INTEGER NOT NULL REFERENCES trivia_packs(pack_id) ON DELETE CASCADE,
    guild_id      INTEGER NOT NULL REFERENCES guilds(guild_id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    prompt        TEXT NOT NULL CHECK (length(prompt) <= 300),
    answer        TEXT NOT NULL CHECK (length(answer) <= 80),
    accepted      TEXT NOT NULL DEFAULT '[]',          -- JSON array
    distractors   TEXT NOT NULL,                       -- JSON array of exactly 3
    category      TEXT NOT NULL,
    year          INTEGER,
    source_url    TEXT,
    source_quote  TEXT,
    PRIMARY KEY (pack_id, position)
);
CREATE INDEX trivia_pack_questions_guild ON trivia_pack_questions(guild_id);

-- The daily question: which game holds it and the local date it was posted for.
CREATE TABLE trivia_daily (
    guild_id    INTEGER PRIMARY KEY REFERENCES guilds(guild_id) ON DELETE CASCADE,
    game_id     INTEGER REFERENCES trivia_games(game_id) ON DELETE SET NULL,
    posted_for  TEXT NOT NULL,                         -- local date 'YYYY-MM-DD'
    message_id  INTEGER
);
