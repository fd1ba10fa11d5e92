"""The Textual terminal app; the only package that imports Textual. Entry point: `quizapp.tui.app.run`."""
