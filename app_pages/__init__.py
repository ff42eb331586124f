"""The app's pages beside the chat (app.py): sign-in and the maintainers' page."""
