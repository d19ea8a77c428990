"""Project tooling shared by tasks.py and the tests: the strict, atomic build."""
