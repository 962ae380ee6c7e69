"""Keep personal data and secrets out of log files: whatever a log line says, it goes out masked."""

import logging
import re

from .identity import mask_id_number

# 18 characters standing alone: 6-digit area, 8-digit birth date, 3 digits and a check character.
ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])", re.ASCII)
# A mainland mobile standing alone, with or without +86/0086/86 before it.
MOBILE_IN_TEXT = re.compile(r"(?<![\d])((?:\+|00)?86[\s-]?)?(1[3-9]\d)\d{4}(\d{4})(?!\d)", re.ASCII)
# password=…, "token": "…", Authorization: … — the value goes, the name stays so the line still reads.
SECRET_IN_TEXT = re.compile(
    r"""(?i)\b(password\d?|passwd|pwd|token|secret|csrfmiddlewaretoken|sessionid|api[_-]?key|authorization)"""
    r"""(["']?\s*[:=]\s*["']?)([^\s&"',;}]+)"""
)


def redact(text: str) -> str:
    text = ID_IN_TEXT.sub(lambda m: mask_id_number(m.group(0)), text)
    text = MOBILE_IN_TEXT.sub(lambda m: f"{m.group(1) or ''}{m.group(2)}****{m.group(3)}", text)
    return SECRET_IN_TEXT.sub(lambda m: f"{m.group(1)}{m.group(2)}***", text)


class RedactPersonalData(logging.Filter):
    """A handler filter: the message and any traceback are masked before they are written."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not turn a log call into an error
            message = f"{record.msg} {record.args}"
        record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True
