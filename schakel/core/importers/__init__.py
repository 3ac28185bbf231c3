"""Turn uploaded document bytes into plain data: spreadsheet registers, project plans."""
