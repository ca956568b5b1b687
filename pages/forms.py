"""The public contact form (with its honeypot field)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from pages.models import ContactMessage

HONEYPOT_FIELD = "website"
MESSAGE_MAX_LENGTH = 5000
# Fields whose text ends up in mail headers (subject, Reply-To, sender name): a line
# break there could add headers, so it is refused rather than stored.
HEADER_FIELDS = ("name", "email", "subject")
LINE_BREAK_ERROR = _("Please keep this on one line (no line breaks).")
TOO_LONG_ERROR = _(
    "Your message is longer than %(limit)s characters, so it was not accepted. "
    "Please shorten it, or write to us by email."
)


def has_line_break(value):
    return any(ch in value for ch in "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


class ContactForm(forms.ModelForm):
    """Name, email, subject and message, plus a field only bots fill in.

    The honeypot `website` is moved off-screen by CSS, hidden from assistive
    technology (aria-hidden) and skipped by the keyboard (tabindex=-1); a submission
    that fills it is treated as spam by the view.
    """

    message = forms.CharField(
        label=_("Message"), max_length=MESSAGE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 6})
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    class Meta:
        model = ContactMessage
        fields = ["name", "email", "subject", "message"]
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }
        labels = {"name": _("Your name"), "email": _("Your email")}
        help_texts = {"email": _("We only use it to answer you.")}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "contact-%s")
        super().__init__(*args, **kwargs)
        self._describe_fields(errors={})

    def full_clean(self):
        super().full_clean()
        self._describe_fields(errors=self._errors or {})
        if self.is_bound and len(self.data.get("message", "")) > MESSAGE_MAX_LENGTH:
            # Never send an over-long text back to the page (it could be megabytes).
            self.data = self.data.copy()
            self.data["message"] = ""
            self._errors["message"] = self.error_class(
                [TOO_LONG_ERROR % {"limit": MESSAGE_MAX_LENGTH}], renderer=self.renderer
            )

    def clean(self):
        cleaned = super().clean()
        for name in HEADER_FIELDS:
            # Checked on the raw input: the form's stripping must not hide a line break.
            if has_line_break(self.data.get(name, "")):
                self._errors.pop(name, None)
                self.add_error(name, LINE_BREAK_ERROR)
        return cleaned

    def _describe_fields(self, errors):
        """Point each input at its help text and error (aria-describedby, aria-invalid)."""
        for name, field in self.fields.items():
            ids = []
            if name in errors:
                field.widget.attrs["aria-invalid"] = "true"
                ids.append(f"contact-{name}-error")
            if field.help_text:
                ids.append(f"contact-{name}-help")
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)

    @property
    def is_spam(self):
        return bool(self.data.get(HONEYPOT_FIELD, "").strip())

    def visible_fields(self):
        return [field for field in super().visible_fields() if field.name != HONEYPOT_FIELD]
