"""The colours of the platform's PDFs."""

from reportlab.lib.colors import Color, HexColor

RED = HexColor("#9b1c1c")  # certificate titles and frame, the 学时证明's title
GOLD = HexColor("#b8860b")
INK = HexColor("#222222")  # body text of certificates and 学时证明
GREY = HexColor("#666666")
WHITE = Color(1, 1, 1)
BLACK = Color(0, 0, 0)
REVOKED = Color(0.8, 0, 0, alpha=0.25)  # the 已撤销 watermark
SEAL_RED = (0.80, 0.10, 0.10)  # the seal's ring and characters (RGB)
# The 申报表: grey fills of labels and captions, grey running header and footer.
LABEL_FILL = Color(242 / 255, 242 / 255, 242 / 255)
CAPTION_FILL = Color(226 / 255, 226 / 255, 226 / 255)
HEADER_TEXT = Color(110 / 255, 110 / 255, 110 / 255)
FOOTER_TEXT = Color(90 / 255, 90 / 255, 90 / 255)
