"""Author tooling: validate a question, scaffold a new one, publish the question schema."""
