"""The printed brief: the BriefContext of the service layer rendered as HTML (charts and maps inline as SVG) and as
PDF (WeasyPrint), with the releasability banner and page numbers on every page. It computes nothing itself."""
