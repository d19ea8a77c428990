"""Web editing with Decap CMS on the same Markdown files (`invoke cms`).

- ``config``: the editor's ``config.yml``, generated from the site's own definitions (the metadata
  fields of ``plugins/frontmatter``, ``PEOPLE``, ``BOOKING_TARGETS``, the citation styles, the
  categories in use): a new field or person appears in the editor without a second edit.
- ``check``: builds the site with one entry as the editor holds it (in a scratch copy of
  ``content/``) and returns the build's ``file:line: error:`` lines and the page it made, for the
  editor's preview.
- ``server``: ``python -m sitetools.cms``: serves ``/admin/`` (the Decap bundle from
  ``node_modules/decap-cms``, the generated config, ``admin/``) on 127.0.0.1, the check endpoint,
  and runs Decap's local backend (``decap-server``) as its child, stopped on exit.
- ``admin/``: the theme-independent editor page and its script (the Pelican header format,
  previews).

Nothing here is written into ``output/``: a production build contains no ``/admin/``.
"""
