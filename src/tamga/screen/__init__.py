"""Screening many queries: a file of names (:mod:`.batch`), a fund's holdings (:mod:`.portfolio`)."""
