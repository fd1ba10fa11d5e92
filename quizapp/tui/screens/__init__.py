"""The app's screens: browse, the three question kinds, the model answer, settings, confirmations."""
