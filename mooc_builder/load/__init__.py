"""Load: an author's content folder into the model, every problem reported with its position."""
