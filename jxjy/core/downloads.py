from django.http import FileResponse, Http404
from django.utils.translation import gettext as _


def attachment_response(attachment) -> FileResponse:
    """Send a stored file as a download, never rendered in the browser (the caller checked the rights)."""
    try:
        content = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("附件文件不存在。")) from None
    response = FileResponse(
        content, as_attachment=True, filename=attachment.original_name, content_type=attachment.mime_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
