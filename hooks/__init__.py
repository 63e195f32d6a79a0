"""Esrok MkDocs hooks (loaded by mkdocs.yml `hooks:`) and the post scaffolder.

`hooks` is a package so that `python -m hooks.scaffold "Title"` works and the
pure helpers can be unit-tested as `hooks.<module>`.
"""
