"""The upload form: a standard file, or its text pasted. The form checks the upload itself
(size, name, that it is UTF-8 text); what the file says is the scoring engine's to judge."""

from pathlib import PurePath
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_STANDARD_BYTES = 1024 * 1024
ALLOWED_SUFFIXES = (".yaml", ".yml", ".json")


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
        name = PurePath(upload.name or "").name
        if not name.lower().endswith(ALLOWED_SUFFIXES):
            raise forms.ValidationError(_("文件名须以 .yaml、.yml 或 .json 结尾。"))
        if upload.size > MAX_STANDARD_BYTES:
            raise forms.ValidationError(_("文件过大：标准文件不超过 1 MB。"))
        raw = upload.read()
        if b"\x00" in raw:
            raise forms.ValidationError(_("这不是文本文件：标准文件须为 UTF-8 编码的 YAML 或 JSON。"))
        try:
            content = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(_("文件不是 UTF-8 编码。")) from exc
        return {"name": name, "content": content}

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
