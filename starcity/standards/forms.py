"""The upload form: a standard file, or its text pasted. The file is checked like every upload,
by `core.uploads` (UTF-8 text without NUL bytes, at most 1 MB, named .yaml, .yml or .json);
what the file says is the scoring engine's to judge."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from starcity.core.errors import ValidationFailed
from starcity.core.uploads import validate_upload

MAX_STANDARD_BYTES = 1024 * 1024


class StandardUploadForm(forms.Form):
    file = forms.FileField(
        label=_("标准文件"),
        required=False,
        help_text=_("YAML 或 JSON 格式(starcity/standard@1)，UTF-8 编码，不超过 1 MB。"),
    )
    text = forms.CharField(
        label=_("或粘贴文件内容"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 16, "cols": 100, "spellcheck": "false"}),
    )

    def clean_file(self) -> dict[str, str] | None:
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        try:
            checked = validate_upload(upload, allowed={"yaml"}, max_bytes=MAX_STANDARD_BYTES)
        except ValidationFailed as exc:
            raise forms.ValidationError(str(exc.message)) from exc
        upload.seek(0)
        try:
            content = upload.read().decode("utf-8")
        except UnicodeDecodeError as exc:  # past what the content check reads
            message = _("文件“%(name)s”不是 UTF-8 编码的文本文件（YAML 或 JSON）。")
            raise forms.ValidationError(message % {"name": checked.name}) from exc
        return {"name": checked.name, "content": content}

    def clean_text(self) -> str:
        # Browsers send pasted text with CRLF line ends; the file a user pasted had LF.
        text = self.cleaned_data.get("text") or ""
        if len(text.encode("utf-8")) > MAX_STANDARD_BYTES:
            raise forms.ValidationError(_("内容过长：标准文件不超过 1 MB。"))
        return text.replace("\r\n", "\n")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        has_file, has_text = bool(cleaned.get("file")), bool((cleaned.get("text") or "").strip())
        if not self.errors and has_file == has_text:
            raise forms.ValidationError(_("请上传一个标准文件，或粘贴文件内容(二者选一)。"))
        return cleaned

    def submission(self) -> tuple[str, str]:
        """(content, source name) of a valid form."""
        upload = self.cleaned_data.get("file")
        if upload:
            return upload["content"], upload["name"]
        return self.cleaned_data["text"], ""
