"""The recovery checklist's build pipeline (steps in pipeline.py; wired to MkDocs by hooks/tool_build.py)."""
