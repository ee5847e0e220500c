-- dialab database schema, version 4 (the newest).  Compiled into the binary; `dialab init`
-- applies it to new files.  Every change here also gets a forward migration in
-- src/store.c, which brings older files to this version when they are opened.
-- Each file is marked with PRAGMA application_id 0x444c4142 ("DLAB") and
-- PRAGMA user_version = the schema version.

CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

-- One row per `dialab import` run: where dialogues came from.
CREATE TABLE imports (
	id        INTEGER PRIMARY KEY,
	at        REAL NOT NULL,            -- Unix seconds
	annotator TEXT NOT NULL,            -- who ran it
	format    TEXT NOT NULL,
	paths     TEXT NOT NULL             -- JSON array of the inputs
);

CREATE TABLE dialogues (
	id        INTEGER PRIMARY KEY,
	ext_id    TEXT NOT NULL UNIQUE,     -- the "id" of the format
	user_id   TEXT,
	device    TEXT,                     -- JSON object, as imported
	context   TEXT,                     -- JSON object, as imported
	extra     TEXT,                     -- JSON object: fields dialab does not know
	n_turns   INTEGER NOT NULL,
	import_id INTEGER REFERENCES imports(id)
);
CREATE INDEX dialogues_user ON dialogues(user_id);

CREATE TABLE turns (
	id             INTEGER PRIMARY KEY,
	dialogue_id    INTEGER NOT NULL REFERENCES dialogues(id) ON DELETE CASCADE,
	idx            INTEGER NOT NULL,    -- 0-based position in the dialogue
	ts             REAL,                -- Unix seconds, for arithmetic
	ts_json        TEXT,                -- the time stamp exactly as given
	text           TEXT NOT NULL,
	asr_confidence REAL,
	nlu            TEXT,                -- JSON object: what the live assistant understood
	response       TEXT,
	barge_in       INTEGER,             -- 0, 1 or NULL (not known)
	device_state   TEXT,                -- JSON object
	audio          TEXT,
	extra          TEXT,                -- JSON object: fields dialab does not know
	UNIQUE (dialogue_id, idx)
);

-- Every proposal or gold label ever made; never updated.
CREATE TABLE labels (
	id          INTEGER PRIMARY KEY,
	dialogue_id INTEGER NOT NULL REFERENCES dialogues(id) ON DELETE CASCADE,
	turn_idx    INTEGER,                -- NULL: a label of the whole dialogue
	kind        TEXT NOT NULL,
	value       TEXT NOT NULL,          -- JSON
	confidence  REAL,
	source      TEXT NOT NULL,          -- model:NAME@V, human:A, implicit:S, import:F
	candidates  TEXT,                   -- JSON array of {value, confidence}
	extra       TEXT,                   -- JSON object: fields dialab does not know
	created_at  REAL NOT NULL
);
CREATE INDEX labels_dialogue ON labels(dialogue_id, turn_idx);

-- The append-only log of what reviewers decided.  The current human answer
-- is derived from it; undo and redo are appended rows, never deletions.
CREATE TABLE decisions (
	id          INTEGER PRIMARY KEY,
	annotator   TEXT NOT NULL,
	at          REAL NOT NULL,          -- Unix seconds
	dialogue_id INTEGER NOT NULL REFERENCES dialogues(id),
	turn_idx    INTEGER,                -- NULL: the dialogue
	kind        TEXT NOT NULL,
	label_id    INTEGER,                -- the proposal decided on, if any
	action      TEXT NOT NULL CHECK (action IN
	            ('accept', 'correct', 'reject', 'skip', 'undo', 'redo')),
	old_value   TEXT,                   -- JSON
	new_value   TEXT,                   -- JSON
	ms_spent    INTEGER,
	ref         INTEGER REFERENCES decisions(id)   -- what an undo/redo refers to; else
	                                               -- the first decision of its group
);
CREATE INDEX decisions_target ON decisions(dialogue_id, turn_idx, kind);
CREATE INDEX decisions_annotator ON decisions(annotator, id);
CREATE INDEX decisions_ref ON decisions(ref);        -- since schema 2

-- Trained models (since schema 3): one row per `dialab train` of one model.
CREATE TABLE models (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL,           -- intent, slots, ...
	version    INTEGER NOT NULL,        -- 1, 2, ... per name
	trained_at REAL NOT NULL,           -- Unix seconds
	annotator  TEXT NOT NULL,           -- who trained it
	n_train    INTEGER NOT NULL,        -- training examples
	params     TEXT NOT NULL,           -- JSON: hyper-parameters, seed, split
	metrics    TEXT,                    -- JSON: scores on the held-out split
	weights    BLOB NOT NULL,           -- the model's portable blob
	UNIQUE (name, version)
);

-- Teaching (since schema 4).  One row per `dialab teach` session.
CREATE TABLE teach_sessions (
	id         INTEGER PRIMARY KEY,
	user_id    TEXT NOT NULL,           -- who was taught about
	operator   TEXT NOT NULL,           -- who ran the session
	mode       TEXT NOT NULL,           -- stated, guided, moments, review
	started_at REAL NOT NULL,
	ended_at   REAL,
	state      TEXT                     -- JSON: a guided session's progress
);
CREATE INDEX teach_sessions_user ON teach_sessions(user_id, mode, id);

-- What users like and dislike.  Forgetting marks a row revoked and
-- keeps it: the feedback table says who did what, when.
CREATE TABLE preferences (
	id          INTEGER PRIMARY KEY,
	user_id     TEXT NOT NULL,
	domain      TEXT NOT NULL,          -- a catalog domain: sports, cuisine, ...
	slot        TEXT NOT NULL,          -- the slot it fills or biases
	value       TEXT NOT NULL,          -- the catalog's canonical value
	polarity    INTEGER NOT NULL CHECK (polarity IN (1, -1)),   -- like, dislike
	source      TEXT NOT NULL CHECK (source IN ('stated', 'guided', 'moment')),
	at          REAL NOT NULL,
	session_id  INTEGER REFERENCES teach_sessions(id),
	revoked_at  REAL,                   -- NULL while it holds
	replaced_by INTEGER REFERENCES preferences(id)   -- the newer one that revoked it
);
CREATE INDEX preferences_user ON preferences(user_id, domain);

-- Everything taught, as feedback with its provenance: the append-only log.
CREATE TABLE feedback (
	id            INTEGER PRIMARY KEY,
	user_id       TEXT NOT NULL,
	at            REAL NOT NULL,
	operator      TEXT NOT NULL,
	session_id    INTEGER REFERENCES teach_sessions(id),
	kind          TEXT NOT NULL,        -- prefer, forget, undo, redo, interpretation
	text          TEXT,                 -- what the user said
	value         TEXT,                 -- JSON: what was understood
	preference_id INTEGER REFERENCES preferences(id),
	dialogue      TEXT,                 -- a moment's dialogue (its format id)
	turns         TEXT                  -- JSON array: the moment's turn positions
);
CREATE INDEX feedback_user ON feedback(user_id, id);

-- Rewrites (schema 5): an utterance said instead of another before NLU,
-- mined from rephrase sessions or taught, and reviewed (dialab-rewrites(1)).
CREATE TABLE rewrites (
	id          INTEGER PRIMARY KEY,
	scope       TEXT NOT NULL CHECK (scope IN ('global', 'personal')),
	user_id     TEXT,                   -- the user of a personal rewrite; NULL when global
	from_text   TEXT NOT NULL,          -- normalised (tok_norm) utterance it replaces
	to_text     TEXT NOT NULL,          -- normalised utterance said instead
	support     INTEGER NOT NULL,       -- sessions in which from led to to
	p_before    REAL,                   -- P(success) of from, by the chain
	p_after     REAL,                   -- P(success) of to
	status      TEXT NOT NULL DEFAULT 'proposed'
	            CHECK (status IN ('proposed', 'accepted', 'rejected', 'retired')),
	provenance  TEXT NOT NULL,          -- JSON: {"kind": "mined"|"taught", ...}
	mined_at    REAL NOT NULL,
	decided_at  REAL,
	decided_by  TEXT,
	CHECK ((scope = 'global') = (user_id IS NULL))
);
CREATE UNIQUE INDEX rewrites_key ON rewrites(scope, coalesce(user_id, ''), from_text, to_text);
CREATE INDEX rewrites_from ON rewrites(from_text, status);

-- Every decision on a rewrite, append-only: who moved it from which status to which.
CREATE TABLE rewrite_decisions (
	id          INTEGER PRIMARY KEY,
	rewrite_id  INTEGER NOT NULL REFERENCES rewrites(id),
	annotator   TEXT NOT NULL,
	at          REAL NOT NULL,
	action      TEXT NOT NULL CHECK (action IN ('accept', 'reject', 'retire', 'undo')),
	old_status  TEXT NOT NULL,
	new_status  TEXT NOT NULL,
	ref         INTEGER REFERENCES rewrite_decisions(id)   -- the decision an undo undoes
);
CREATE INDEX rewrite_decisions_rewrite ON rewrite_decisions(rewrite_id, id);

-- The utterances that worked, for online rewriting (schema 5): how often
-- each was said and how often it ended a session in success, for all
-- users (user_id '') and for each.  Derived: every `rewrites mine` writes
-- it anew.
CREATE TABLE rewrite_forms (
	user_id     TEXT NOT NULL,          -- '' for all users
	form        TEXT NOT NULL,          -- normalised utterance
	successes   INTEGER NOT NULL,
	seen        INTEGER NOT NULL,
	PRIMARY KEY (user_id, form)
) WITHOUT ROWID;

-- Habits (schema 6): what each user's requests that worked said, learnt
-- from the logs by `dialab prefs learn`.  For a user, an intent and a
-- slot under a condition ('' always, or one context feature such as
-- prev=alarm_off, device=car, hour=morning): how many of the requests
-- that gave the slot a value (m) gave it this value (n).  Derived:
-- every run writes the user's rows anew.
CREATE TABLE habits (
	user_id    TEXT NOT NULL,
	intent     TEXT NOT NULL,
	slot       TEXT NOT NULL,
	cond       TEXT NOT NULL,
	value      TEXT NOT NULL,
	n          INTEGER NOT NULL,
	m          INTEGER NOT NULL,
	learnt_at  REAL NOT NULL,
	PRIMARY KEY (user_id, intent, slot, cond, value)
) WITHOUT ROWID;
