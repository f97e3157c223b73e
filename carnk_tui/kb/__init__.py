"""The knowledge base: record types, YAML reading, validation, cache, locations. Never imports Textual."""
