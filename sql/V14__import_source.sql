-- Who loaded an import: someone through the API or a file ('upload'), or the service's own demo authority on first
-- start ('demo'). The file name cannot tell them apart, since a sender chooses it. The demo users exist only while
-- every import that succeeded is the demo's and no live event has arrived (README, "What you will see").
ALTER TABLE imports ADD COLUMN source text NOT NULL DEFAULT 'upload' CHECK (source IN ('upload', 'demo'));
