"""Screening many queries: reading a file of names, screening in parallel, writing results."""
