"""The platform's PDFs, drawn with ReportLab: the font (fonts), the colours (ink), Chinese line breaking
(text), drawing helpers on a canvas in points (draw: wrapped text, labelled lines, QR codes, a watermark),
QR code matrices (qr) and the flowing A4 sheet in millimetres with boxed tables and numbered pages (sheet).
The helpers take plain values; each document is a small layout module of its feature (filings.pdf,
certificates.pdf, hours.pdf).

Why ReportLab (bench/pdf.py, one core, CPU time):
the 申报表 of a region-scale filing (300 courses, 150 teachers, 60 textbooks; 49 pages) took 3,442 ms with
fpdf2 2.8.9 as the project first drew it and takes 994 ms on this sheet; a certificate renders in 3.8 ms
and is rendered and signed in 8.2 ms (x86_64, 2 cores, 2026-12; 5.7 and 9.2 ms before the font's path was
checked once and QR codes were made from a per-length basis, `qr`). fpdf2 was dropped with its second
font setting and line-breaker.
"""
