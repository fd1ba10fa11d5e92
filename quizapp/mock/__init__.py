"""The mock interview: its plan and state machine, scoring, report and store (no Textual)."""
