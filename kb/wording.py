"""The fixed sentences the product says when it does not answer, shared by code, prompts and tests."""

NOT_FOUND = "The documents in this knowledge base don't cover this."
OUT_OF_SCOPE = ("This question is outside what this knowledge base covers: "
                "California state telecommunications policy.")
EMPTY = "The question is empty."
