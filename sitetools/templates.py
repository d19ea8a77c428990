"""Templates compiled once per process: Pelican makes a new Jinja environment for every generator
(and the live preview for every rebuild), and each compiles base.html and the rest again. This
in-memory bytecode cache (Jinja's public `bytecode_cache` option, set in JINJA_ENVIRONMENT by
`sitetools.build.load_settings`) hands every later environment the compiled code. The key holds
the template's source checksum and every option that changes compiled code, so an edited template,
or an environment with other options, compiles afresh."""

from __future__ import annotations

import jinja2
from jinja2.bccache import Bucket


class CompiledOnce(jinja2.BytecodeCache):
    def __init__(self) -> None:
        self.code: dict[str, object] = {}

    def get_bucket(self, environment, name, filename, source) -> Bucket:
        options = (
            environment.autoescape,
            sorted(environment.extensions),
            environment.block_start_string, environment.block_end_string,
            environment.variable_start_string, environment.variable_end_string,
            environment.comment_start_string, environment.comment_end_string,
            environment.line_statement_prefix, environment.line_comment_prefix,
            environment.trim_blocks, environment.lstrip_blocks, environment.newline_sequence,
            environment.keep_trailing_newline, environment.optimized, environment.finalize,
            environment.is_async,
        )  # fmt: skip
        key = f"{self.get_cache_key(name, filename)}:{hash(repr(options))}"
        bucket = Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def __reduce__(self):  # Pelican's content cache pickles the settings: store a reference
        return (_process_cache, ())

    def load_bytecode(self, bucket: Bucket) -> None:
        found = self.code.get(bucket.key)
        if found is not None and found[0] == bucket.checksum:
            bucket.code = found[1]

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = (bucket.checksum, bucket.code)


#: The one cache of this process.
COMPILED = CompiledOnce()


def _process_cache() -> CompiledOnce:
    return COMPILED


def compile_once(settings: dict) -> None:
    """Give every Jinja environment Pelican makes from `settings` the process's compiled templates."""
    settings["JINJA_ENVIRONMENT"] = {**settings.get("JINJA_ENVIRONMENT", {}), "bytecode_cache": COMPILED}
