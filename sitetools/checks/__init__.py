"""The checks behind `invoke check` (see sitetools/check.py): one module per kind of check.

Each check takes the built site (a `Site`) and returns table rows (`Row`): page type, check,
result, where to look. A check whose tool is missing raises `MissingTool`, which the runner
turns into a failing row naming the install command, so a check never passes by not running.
"""
