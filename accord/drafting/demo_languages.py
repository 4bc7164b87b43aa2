"""Demo: the framework agreement's Persian version, partly translated (decision 0163).

Idempotent; built through the services by the pen-holder, so the versions page shows a
version that holds up adoption, the side-by-side view shows translated, missing and
aligned provisions, and the bilingual exports have something in both columns.
"""

from accord.accounts.models import User
from accord.drafting.demo import FRAMEWORK
from accord.drafting.language_models import LanguageVersion
from accord.drafting.models import Document, Provision
from accord.drafting.services import languages
from accord.drafting.tree import tree_order
from accord.process.models import Process

# The first words of an original provision -> its Persian (the same brackets and options).
PERSIAN = {
    "Recalling the Islamabad": (
        "با یادآوری یادداشت تفاهم اسلام‌آباد و تفاهم‌های حاصل‌شده در دریاچهٔ لوسرن،"
    ),
    "Determined to manage": (
        "مصمم به مدیریت اختلافات خود از طریق [سازوکارهای دائمی]{IR} "
        "[گفت‌وگوی ساختاریافته و مستمر]{US}،"
    ),
    "Either Party may refer": (
        "هر یک از طرفین می‌تواند موضوع عدم اجرا را به کمیسیون مشترک ارجاع دهد، "
        "که ظرف 15 روز به آن رسیدگی خواهد کرد."
    ),
}
HEADINGS = {"Purpose": "هدف", "Dispute resolution": "حل‌وفصل اختلافات"}


def demo_content_ensure(*, process: Process) -> None:
    document = Document.objects.filter(process=process, title=FRAMEWORK).first()
    pen = User.objects.filter(username="pk-rapporteur", delegation__process=process).first()
    if document is None or pen is None or document.frozen:
        return
    if LanguageVersion.objects.filter(document=document, language="fa").exists():
        return
    version = languages.language_version_add(
        actor=pen,
        document_id=str(document.public_id),
        language="fa",
        title="موافقت‌نامهٔ جامع — چارچوب",
    )
    for p in tree_order(Provision.objects.filter(document=document)):
        text = next((fa for start, fa in PERSIAN.items() if p.text.startswith(start)), None)
        heading = HEADINGS.get(p.heading, "")
        if text is None and not heading:
            continue
        languages.provision_translate(
            actor=pen,
            version_id=str(version.public_id),
            provision_wid=p.wid,
            text=text or "",
            heading=heading,
        )
