"""What each view shows, as plain data (details, compare rows, timeline, results, slides, filters, search).

Never imports Textual.
"""
