"""The 24/7 assistant: answers from the knowledge base and the catalog, and emergency detection
on every free-text input (`civicdesk.assistant.emergency`)."""
