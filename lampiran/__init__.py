"""lampiran: Indonesian SK lampiran tables to clean, validated data."""

__version__ = "0.1.0"
