"""Turn plain data into document bytes: spreadsheets, slides, reports, calendars.

- `tabular`: register lists as CSV and XLSX;
- `documents`: the plain `Minutes` data the minutes documents are rendered from;
- `markup`: the small Markdown subset in notes, parsed into blocks and runs;
- `docx` and `pdf`: minutes as a Word document and as a PDF (WeasyPrint);
- `ics`: meeting invitations and calendar feeds (iCalendar);
- `report_data`: the plain `ConsolidatedReport` progress reports are rendered from, and
  `pptx`, `report_pdf`, `report_xlsx`: that report as a deck, a PDF and a workbook, with
  the RAG colours they share in `_rag`.
"""
