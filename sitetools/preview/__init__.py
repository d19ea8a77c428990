"""The writer's live preview: `python -m sitetools.preview [--output DIR] [--port 8000] [-e NAME=literal]`
(`invoke livereload`, `make livereload`).

One long-lived process keeps Pelican, the settings, the plugins (signals connected once) and the
last good build's content objects in memory, watches the project, and on every save:

- an article or page (a Markdown file) changed, was added or removed: **incremental**. Only the
  changed files are read again; every other content object is reused as it was. The site's lists
  (categories, tags, authors, archives, pagination) are rebuilt from all objects, exactly as
  Pelican builds them. Then only the outputs that can have changed are rendered: while the full
  build renders, every template's access to a content object is recorded (`recorder`), so an edit
  re-renders the pages that read the edited article. When an edit changes what Pelican groups or
  orders by (date, category, tags, authors, status, slug, URL, template...) or adds or removes a
  file, every output is rendered again. Files are written only when their bytes change (`writer`),
  and outputs no longer produced are deleted.
- a template, CSS, image or bibliography file changed: a full build in this process.
- plugin code or a settings file changed: the process restarts itself (plugins connect their
  signals once per process).

Correctness first: the incremental result equals a full build (tests/preview compare the trees).
Each plugin declares how its `*_finalized` receivers work (`scopes`): ``LIVE_RELOAD_SCOPE`` in the
plugin package, or ``receiver.live_reload_scope`` for one receiver. A receiver that declares nothing
makes every rebuild a full one (slower, never wrong).

The server (`server`: 127.0.0.1 only, and only to a loopback Host header) serves the output
folder; every HTML response gets a small script that listens to the server's events
(Server-Sent Events, `/__live/events`) and swaps in the changed page when a build finishes. When the
latest build failed, every HTML response is an error page listing the diagnostics instead of a
stale page. Nothing of this is written into the output folder. The Pagefind search index is built
in the background once the first build is live (search catches up a moment later).

The output folder is never deleted or half-written: the first build goes to a staging folder
that replaces it in one step, later files are written atomically, and every build holds the
same lock as `make build`. Pelican's internals it relies on: sitetools/pelican_private.py.
"""
