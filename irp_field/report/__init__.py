"""The report: content in the inspectorate's words, written as Markdown, HTML or DOCX."""
