"""A nation's own choices, made by its admin and released to that nation only: the scenario its pages and briefs
open on (so no other nation's record, however it is named, becomes anyone's landing page)."""
