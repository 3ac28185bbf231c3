"""Turn plain data into document bytes: spreadsheets, slides, reports, calendars."""
