"""The platform's PDFs, drawn with ReportLab: the font (fonts), the colours (ink), Chinese line breaking
(text), drawing helpers on a canvas in points (draw: wrapped text, labelled lines, QR codes, a watermark)
and the flowing A4 sheet in millimetres with boxed tables and numbered pages (sheet). The helpers take plain
values; each document is a small layout module of its feature (filings.pdf, certificates.pdf, hours.pdf).

Why ReportLab (bench/pdf.py, one core, CPU time):
the 申报表 of a region-scale filing (300 courses, 150 teachers, 60 textbooks; 49 pages) took 3,442 ms with
fpdf2 2.8.9 as the project first drew it and takes 994 ms on this sheet; a certificate renders in 7.9 ms
and is rendered and signed in 13.2 ms (x86_64, 2 cores, 2026-12). fpdf2 was dropped with its second font
setting and line-breaker.
"""
