"""Serves app.py and starts loading the model and index when the server starts, before any page opens."""
from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

import streamlit as st

from kb import serve


@asynccontextmanager
async def lifespan(_app):
    serve.knowledge_base()  # returns at once; the loading goes on in a background thread
    yield None


app = st.App(Path(__file__).with_name("app.py"), lifespan=lifespan)
