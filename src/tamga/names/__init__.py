"""Name handling: transliteration to Latin, folding, legal-form removal, tokens for comparison."""

from tamga.names.normalize import fold, merge_particles, name_tokens
from tamga.names.transliterate import to_latin

__all__ = ["fold", "merge_particles", "name_tokens", "to_latin"]
