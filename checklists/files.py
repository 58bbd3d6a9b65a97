"""Stored files: evidence, exported workbooks and uploaded workbooks.

None of them is ever served by a static route, in any mode. The storages' `url()` points at the
`stored_file` view, so every link (the web pages, the admin's file widgets and inlines) goes through
a check of the user's reach; the responses are attachments with `nosniff`, and in production nginx
can send the bytes itself (`FILES_ACCEL_REDIRECT`, docs/deploy.md) once the view has said yes.
Stored names carry a random part, so that nobody can guess one.
"""

import mimetypes
import secrets
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header


class ServedThroughViews:
    """A storage whose links go to the access-checked view, never to the files themselves."""

    def url(self, name):
        return reverse("stored_file", args=[name])


class ProtectedFileSystemStorage(ServedThroughViews, FileSystemStorage):
    pass


try:
    from storages.backends.s3 import S3Storage
except (ImportError, ImproperlyConfigured):  # boto3 is installed only where evidence lives in S3 (docs/deploy.md)
    ProtectedS3Storage = None
else:
    class ProtectedS3Storage(ServedThroughViews, S3Storage):
        pass


def stored_name(folder, filename):
    """`folder/YYYY/MM/<random>/filename`: the user's file name kept, the path unguessable."""
    return f"{folder}/{timezone.localdate():%Y/%m}/{secrets.token_urlsafe(12)}/{filename}"


PREVIEW_TYPES = {"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp"}


def file_response(file, filename, preview=False):
    """The file as a download; through nginx's X-Accel-Redirect when the deployment asks for it.
    `preview`: shown in the browser instead, for a PDF or a picture only (never HTML, SVG or the like)."""
    inline = preview and mimetypes.guess_type(filename)[0] in PREVIEW_TYPES
    prefix = getattr(settings, "FILES_ACCEL_REDIRECT", "")
    if prefix and isinstance(file.storage, FileSystemStorage):
        content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(file.name)
        response["Content-Disposition"] = content_disposition_header(not inline, filename)
    else:
        response = FileResponse(file.open("rb"), as_attachment=not inline, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
