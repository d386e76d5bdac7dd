"""Package data: frame lexicons, verb lexicons and stopwords (see README.md)."""
