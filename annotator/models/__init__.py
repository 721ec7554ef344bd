"""The domain types that cross layers: plain dataclasses, no SQL, no terminal.

The bottom layer (see README.md, Development): everything may import it, it imports nothing
of ours but the schema.
"""
