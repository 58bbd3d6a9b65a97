"""Evidence files: the kinds accepted, and a check that a file is what its name says.

A file is judged by its first bytes (with `filetype`), not by its name or the browser's word: an
executable renamed to .pdf, or a photo saved as .docx, is refused with a message naming it.
"""

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

OLE = {"doc", "xls", "ppt"}  # Office 97-2003 and WPS files share one container
OOXML = {"docx", "xlsx", "pptx", "zip"}
TEXT = None  # plain text has no signature: accepted when nothing binary is recognised
VIDEO = {"mp4", "m4v", "mov", "3gp"}

# extension -> what its content may be recognised as
ACCEPTED = {
    "pdf": {"pdf"}, "ofd": {"zip"},
    "jpg": {"jpg"}, "jpeg": {"jpg"}, "png": {"png"}, "gif": {"gif"}, "bmp": {"bmp"}, "tif": {"tif"},
    "tiff": {"tif"}, "heic": {"heic"}, "webp": {"webp"},
    "doc": OLE, "xls": OLE, "ppt": OLE, "wps": OLE, "et": OLE, "dps": OLE,
    "docx": OOXML, "xlsx": OOXML, "pptx": OOXML,
    "odt": {"odt", "zip"}, "ods": {"ods", "zip"}, "odp": {"odp", "zip"},
    "mp4": VIDEO, "mov": VIDEO, "mp3": {"mp3"}, "m4a": {"m4a", "mp4"}, "wav": {"wav"}, "amr": {"amr"},
    "zip": {"zip"}, "rar": {"rar"}, "7z": {"7z"},
    "txt": TEXT, "csv": TEXT,
}
SNIFFED_BYTES = 8192


def _recognised(head):
    kind = filetype.guess(head)
    if kind is not None:
        return kind.extension
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    return None


def check_evidence_file(upload):
    """Raise ValidationError, naming the file, unless it is small enough, of an accepted kind and what its
    extension says; the upload is left ready to read."""
    name = upload.name.rsplit("/", 1)[-1]
    limit = settings.EVIDENCE_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(_("%(name)s is %(size)s; a file may be at most %(limit)s.")
                              % {"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)})
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ACCEPTED:
        raise ValidationError(_("%(name)s: this kind of file is not accepted as evidence. Accepted: %(kinds)s.")
                              % {"name": name, "kinds": ", ".join(sorted(ACCEPTED))})
    upload.seek(0)
    head = upload.read(SNIFFED_BYTES)
    upload.seek(0)
    found = _recognised(head)
    expected = ACCEPTED[extension]
    if found not in (expected or {None}) or (expected is TEXT and b"\x00" in head):
        raise ValidationError(
            _("%(name)s is not really a .%(extension)s file (its content is %(found)s). Save it again in its own "
              "format and upload that.")
            % {"name": name, "extension": extension, "found": f".{found}" if found else _("not recognised")})
    return upload
