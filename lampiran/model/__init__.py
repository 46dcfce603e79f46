"""The bottom layer: the intermediate, the record contract, errors, atomic io, the vocabulary.

Every stage may import this package; it imports no stage and no app module."""
