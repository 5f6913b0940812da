"""Text: reading article files (read) and splitting them into tokens and sentences (tokens)."""
