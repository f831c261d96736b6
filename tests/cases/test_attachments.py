import struct
import zlib
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image

from civicdesk.cases.choices import EventKind
from civicdesk.cases.models import Attachment, CaseEvent
from civicdesk.cases.services.attachments import attachment_store, attachment_validate

GPS_LATITUDE = (42.0, 21.0, 36.0)


def jpeg_with_gps(*, orientation: int | None = None, size: tuple[int, int] = (40, 20)) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "SecretPhone 9"  # Model
    if orientation is not None:
        exif[0x0112] = orientation
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = GPS_LATITUDE
    gps[3] = "W"
    gps[4] = (71.0, 3.0, 36.0)
    buffer = BytesIO()
    image.save(buffer, format="JPEG", exif=exif, quality=90)
    return buffer.getvalue()


def image_bytes(fmt: str, *, mode: str = "RGB", size: tuple[int, int] = (16, 12), **kw) -> bytes:
    buffer = BytesIO()
    Image.new(mode, size).save(buffer, format=fmt, **kw)
    return buffer.getvalue()


def pdf_bytes() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
        b"trailer << /Root 1 0 R >>\n%%EOF\n"
    )


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims a huge canvas: the header costs bytes, the pixels would cost memory."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


class TestValidateAccepts:
    def test_jpeg_is_reencoded_without_exif_or_gps(self):
        original = jpeg_with_gps()
        assert Image.open(BytesIO(original)).getexif().get_ifd(0x8825)  # the fixture has GPS
        clean = attachment_validate(upload=upload("IMG_0001.JPG", original, "image/jpeg"))
        assert clean.content_type == "image/jpeg"
        assert clean.extension == "jpg"
        stripped = Image.open(BytesIO(clean.content))
        assert stripped.format == "JPEG"
        assert len(stripped.getexif()) == 0
        assert "exif" not in stripped.info
        assert "icc_profile" not in stripped.info
        assert b"Exif" not in clean.content
        assert b"SecretPhone" not in clean.content
        assert (clean.width, clean.height) == (40, 20)
        assert clean.size == len(clean.content)

    def test_exif_orientation_is_applied(self):
        # Orientation 6 = rotate 90° clockwise to display: a 40x20 sensor image stands up.
        clean = attachment_validate(upload=upload("p.jpg", jpeg_with_gps(orientation=6)))
        assert (clean.width, clean.height) == (20, 40)
        assert len(Image.open(BytesIO(clean.content)).getexif()) == 0

    def test_png_stays_png_and_drops_text_and_exif(self):
        from PIL.PngImagePlugin import PngInfo

        info = PngInfo()
        info.add_text("Comment", "taken at 12 Secret Lane")
        exif = Image.Exif()
        exif[0x0110] = "SecretPhone 9"
        data = image_bytes("PNG", mode="RGBA", pnginfo=info, exif=exif)
        assert b"Secret" in data
        clean = attachment_validate(upload=upload("shot.png", data, "image/png"))
        assert clean.content_type == "image/png"
        image = Image.open(BytesIO(clean.content))
        assert image.format == "PNG"
        assert image.mode == "RGBA"
        assert b"Secret" not in clean.content
        assert len(image.getexif()) == 0

    def test_webp_accepted(self):
        clean = attachment_validate(upload=upload("a.webp", image_bytes("WEBP")))
        assert clean.content_type == "image/webp"

    def test_gif_first_frame_becomes_png(self):
        frames = [Image.new("P", (10, 10), color) for color in (1, 2, 3)]
        buffer = BytesIO()
        frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:])
        clean = attachment_validate(upload=upload("anim.gif", buffer.getvalue()))
        assert clean.content_type == "image/png"
        assert Image.open(BytesIO(clean.content)).size == (10, 10)

    def test_pdf_accepted_as_is(self):
        clean = attachment_validate(upload=upload("permit.pdf", pdf_bytes()))
        assert clean.content_type == "application/pdf"
        assert clean.content == pdf_bytes()
        assert clean.width is None

    def test_image_detected_by_content_not_by_name(self):
        data = image_bytes("PNG")
        clean = attachment_validate(upload=upload("notes.txt", data, "text/plain"))
        assert clean.content_type == "image/png"

    def test_works_with_plain_django_file(self):
        clean = attachment_validate(upload=ContentFile(image_bytes("JPEG"), name="x.jpg"))
        assert clean.content_type == "image/jpeg"

    @pytest.mark.parametrize(
        ("name", "expected"),
        [
            ("C:\\Users\\jane.doe\\Pictures\\pothole.jpg", "pothole.jpg"),
            ("/home/jane/pothole.jpg", "pothole.jpg"),
            ("../../etc/passwd", "passwd"),
            ("bad\x00name\x1b.jpg", "badname.jpg"),
            ("..", "upload"),
            ("", "upload"),
        ],
    )
    def test_original_name_is_sanitized(self, name, expected):
        clean = attachment_validate(upload=ContentFile(image_bytes("JPEG"), name=name))
        assert clean.original_name == expected

    def test_long_name_keeps_extension(self):
        clean = attachment_validate(
            upload=ContentFile(image_bytes("JPEG"), name="a" * 400 + ".jpg")
        )
        assert len(clean.original_name) <= 200
        assert clean.original_name.endswith(".jpg")


def assert_rejected(data: bytes, name: str, code: str, *, field: str = "media", ctype=""):
    with pytest.raises(ValidationError) as error:
        attachment_validate(
            upload=upload(name, data, ctype or "application/octet-stream"), field=field
        )
    assert list(error.value.error_dict) == [field]
    codes = [e.code for e in error.value.error_dict[field]]
    assert codes == [code]
    return error.value.message_dict[field][0]


class TestValidateRejects:
    def test_empty(self):
        message = assert_rejected(b"", "a.jpg", "empty")
        assert "JPEG, PNG, WebP or GIF" in message and "PDF" in message

    def test_oversize(self):
        with override_settings(CIVICDESK_MAX_UPLOAD_BYTES=1000):
            message = assert_rejected(b"\xff" * 1001, "a.jpg", "too_large")
        assert "larger than" in message

    def test_exactly_at_the_limit_is_fine(self):
        data = pdf_bytes()
        with override_settings(CIVICDESK_MAX_UPLOAD_BYTES=len(data)):
            attachment_validate(upload=upload("a.pdf", data))

    def test_oversize_without_trusting_reported_size(self):
        file = ContentFile(b"%PDF-" + b"x" * 2000 + b"%%EOF", name="a.pdf")
        with override_settings(CIVICDESK_MAX_UPLOAD_BYTES=1000), pytest.raises(ValidationError):
            attachment_validate(upload=file)

    @pytest.mark.parametrize(
        ("name", "data", "ctype"),
        [
            ("page.html", b"<!doctype html><script>alert(1)</script>", "text/html"),
            ("note.txt", b"just some text", "text/plain"),
            (
                "logo.svg",
                b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
                "image/svg+xml",
            ),
            ("setup.exe", b"MZ\x90\x00\x03" + b"\x00" * 200, "application/x-msdownload"),
            ("photo.jpg", b"<html>not a photo</html>", "image/jpeg"),
            ("a.bmp", None, "image/bmp"),
            ("a.tiff", None, "image/tiff"),
        ],
    )
    def test_not_an_accepted_type(self, name, data, ctype):
        if data is None:
            data = image_bytes("BMP" if name.endswith("bmp") else "TIFF")
        message = assert_rejected(data, name, "invalid", ctype=ctype)
        assert "JPEG, PNG, WebP or GIF" in message

    def test_jpg_that_is_really_a_pdf(self):
        assert_rejected(pdf_bytes(), "photo.jpg", "mismatch", ctype="image/jpeg")

    def test_pdf_claimed_by_client_type_but_image(self):
        assert_rejected(image_bytes("JPEG"), "scan", "mismatch", ctype="application/pdf")

    def test_truncated_jpeg(self):
        data = jpeg_with_gps(size=(300, 200))
        assert_rejected(data[: len(data) // 2], "cut.jpg", "invalid")

    def test_truncated_png(self):
        data = Image.effect_noise((200, 200), 50).convert("RGB")
        buffer = BytesIO()
        data.save(buffer, format="PNG")
        assert_rejected(buffer.getvalue()[:-2000], "cut.png", "invalid")

    def test_pdf_without_eof_is_damaged(self):
        assert_rejected(pdf_bytes().replace(b"%%EOF", b""), "a.pdf", "damaged")

    def test_decompression_bomb_header(self):
        # 50,000 x 50,000 pixels in a few hundred bytes; Pillow's own guard trips at open.
        message = assert_rejected(png_header_only(50_000, 50_000), "bomb.png", "too_many_pixels")
        assert "too large" in message

    def test_over_our_pixel_limit_but_under_pillows(self):
        data = png_header_only(8_000, 6_000)  # 48 MP: over 40 MP, under Pillow's 89 MP.
        assert_rejected(data, "big.png", "too_many_pixels")

    def test_pixel_limit_setting_is_used(self):
        with override_settings(CIVICDESK_MAX_IMAGE_PIXELS=100):
            assert_rejected(image_bytes("PNG", size=(11, 10)), "a.png", "too_many_pixels")
            attachment_validate(upload=upload("a.png", image_bytes("PNG", size=(10, 10))))

    def test_field_name_is_the_callers(self):
        assert_rejected(b"", "a.jpg", "empty", field="photo")


@pytest.mark.django_db
class TestStore:
    def test_store_saves_clean_file_and_event(self, case, agent):
        clean = attachment_validate(
            upload=upload("C:\\Users\\jane.doe\\IMG_0001.JPG", jpeg_with_gps(), "image/jpeg")
        )
        attachment = attachment_store(case=case, upload=clean, actor=agent, is_public=True)
        attachment.refresh_from_db()
        assert attachment.original_name == "IMG_0001.JPG"
        assert attachment.sha256 == clean.sha256
        assert attachment.size == clean.size
        assert attachment.uploaded_by == agent
        # The stored name is random: nothing of the resident's path or file name.
        stored = attachment.file.name or ""
        assert stored.startswith("attachments/")
        assert "jane" not in stored and "IMG_0001" not in stored
        assert stored.endswith(".jpg")
        with attachment.file.open("rb") as handle:
            saved = handle.read()
        assert saved == clean.content
        assert len(Image.open(BytesIO(saved)).getexif()) == 0
        assert b"SecretPhone" not in saved
        event = case.events.last()
        assert event.kind == EventKind.ATTACHMENT_ADDED
        assert event.is_public
        assert event.data["attachment_id"] == attachment.pk

    def test_private_attachment_event_is_internal(self, case):
        clean = attachment_validate(upload=upload("permit.pdf", pdf_bytes()))
        attachment_store(case=case, upload=clean, is_public=False)
        event = case.events.last()
        assert not event.is_public
        assert event.public_text == ""

    def test_nothing_stored_when_validation_fails(self, case):
        events = CaseEvent.objects.count()
        with pytest.raises(ValidationError):
            attachment_validate(upload=upload("x.html", b"<html></html>"))
        assert Attachment.objects.count() == 0
        assert CaseEvent.objects.count() == events
        assert stored_files() == []

    def test_file_removed_when_row_cannot_be_saved(self, case, monkeypatch):
        clean = attachment_validate(upload=upload("a.png", image_bytes("PNG")))

        def fail(*args, **kwargs):
            raise RuntimeError("database went away")

        monkeypatch.setattr("civicdesk.cases.services.attachments.case_event_record", fail)
        with pytest.raises(RuntimeError):
            attachment_store(case=case, upload=clean, is_public=True)
        assert Attachment.objects.count() == 0
        assert stored_files() == []
