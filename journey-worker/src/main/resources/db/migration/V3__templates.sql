-- Stored message templates and snippets (partials for {% render %} / {% include %}), per project.
-- The current row is what renders; every save also writes an immutable version row, so a PUT
-- never loses what was there before.
CREATE TABLE message_template (
    id          text PRIMARY KEY,
    project_id  text NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    name        text NOT NULL,
    fields      jsonb NOT NULL,
    version     integer NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX message_template_by_project ON message_template (project_id, created_at);

CREATE TABLE message_template_version (
    template_id  text NOT NULL REFERENCES message_template (id) ON DELETE CASCADE,
    version      integer NOT NULL,
    name         text NOT NULL,
    fields       jsonb NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (template_id, version)
);

-- A snippet's name is how templates refer to it, so it is unique within its project.
CREATE TABLE snippet (
    id          text PRIMARY KEY,
    project_id  text NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    name        text NOT NULL,
    source      text NOT NULL,
    version     integer NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (project_id, name)
);

CREATE TABLE snippet_version (
    snippet_id  text NOT NULL REFERENCES snippet (id) ON DELETE CASCADE,
    version     integer NOT NULL,
    name        text NOT NULL,
    source      text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (snippet_id, version)
);
