"""The REVIEW stage: one self-contained HTML page per document, the page
images with the reading drawn over them, the records beside, and an edit mode
that downloads corrections (see ``normalize.corrections``)."""
