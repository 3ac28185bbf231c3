"""Coverage-guided fuzzing of the import parsers with atheris (`make fuzz`, never in CI)."""
