"""Report a problem from start to finish in a real browser, and find it on the track page.

Service picker → service page → details (the service's questions) → location (search and
choose an address) → open requests nearby → photos (a PNG upload) → contact → review → send →
confirmation → track page. In English and Spanish, on a phone and a desktop, once with
JavaScript off and once with the keyboard alone; axe-core checks every step and a screenshot
of each is saved (`report-flow-<nn>-<step>-<language>-<viewport>.png`).
"""

import re
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import translation
from PIL import Image, ImageDraw

from civicdesk.cases.models import Case
from civicdesk.cases.services.merging import case_merge
from civicdesk.contacts.choices import Channel
from civicdesk.geo.selectors import address_search
from civicdesk.intake.services import IntakeSubmission, intake_submit

from .data import demo_addresses_load
from .harness import AxeAudit, BrowserPages, Remote, screenshot

pytestmark = pytest.mark.browser

SERVICE = {"en": "Street light out", "es": "Farol apagado"}
PROBLEM = {"en": "It flickers", "es": "Parpadea"}
ADDRESS = "25 Sheridan St, Jamaica Plain 02130"
DESCRIPTION = "The light by the bus stop flickers all night."


def t(language: str, text: str) -> str:
    """A portal string in the page's language, from the same catalog the pages use."""
    with translation.override(language):
        return translation.gettext(text)


def street_light_reported(
    channel: Channel, lat: float | None, long: float | None, address: str
) -> Case:
    case = intake_submit(
        submission=IntakeSubmission(
            channel=channel,
            service_code="street-light-out",
            lat=lat,
            long=long,
            address=address,
            attributes={"problem": "out"},
        )
    ).case
    assert case is not None
    return case


@pytest.fixture
def report_setup(demo: None, tmp_path: Path):
    """Addresses to search, an open request nearby, photos kept in a temporary folder."""
    assert demo_addresses_load(tmp_path, streets=("Sheridan St",)) > 0
    (chosen, *_others) = address_search(ADDRESS)
    assert chosen.label == ADDRESS
    nearby = street_light_reported(
        Channel.VOICE, chosen.lat, chosen.long, "27 Sheridan St, Jamaica Plain 02130"
    )
    photo = tmp_path / "street-light.png"
    image = Image.new("RGB", (120, 90), "#1a4480")
    ImageDraw.Draw(image).ellipse((40, 10, 80, 50), fill="#ffbe2e")
    image.save(photo)
    with override_settings(CIVICDESK_REPORT_DRAFT_DIR=str(tmp_path / "drafts")):
        yield {"photo": photo, "nearby": nearby.reference}


class Flow:
    """One resident's report: checks each page with axe and keeps its screenshot."""

    def __init__(self, pages: BrowserPages, axe: AxeAudit, page: Remote, name: str) -> None:
        self.pages, self.axe, self.page, self.name = pages, axe, page, name
        self.count = 0

    def step(self, step: str, heading: str | None = None) -> None:
        if heading is not None:
            self.pages.expect(self.page.get_by_role("heading", level=1)).to_contain_text(heading)
        self.count += 1
        label = f"report-flow-{self.count:02d}-{step}-{self.name}"
        self.axe.check(self.page, label)
        screenshot(self.page, label)


def at(page: Remote, step: str) -> None:
    """Wait for the report step `step` (a skip link may have added "#main-content")."""
    page.wait_for_url(re.compile(rf"/{step}/(#[\w-]*)?$"))


def tick(page: Remote, text: str) -> None:
    """Choose a USWDS radio button or checkbox the way people do: on its label (the input
    itself is hidden under the drawn box)."""
    label = page.locator(".usa-radio__label, .usa-checkbox__label").filter(has_text=text)
    label.first.click()
    assert page.locator(f"#{label.first.get_attribute('for')}").is_checked()


def _check_sent(reference: str, *, email: str) -> None:
    case = Case.objects.select_related("service_type", "resident").get(reference=reference)
    assert case.service_type.code == "street-light-out"
    assert case.attachments.count() == 1
    assert case.address == ADDRESS
    assert case.description == DESCRIPTION
    assert case.resident is not None
    assert email in {point.value for point in case.resident.contact_points.all()}


@pytest.mark.parametrize(
    ("language", "viewport", "javascript"),
    [
        ("en", "phone", True),
        ("en", "desktop", True),
        ("es", "phone", True),
        ("es", "desktop", True),
        ("en", "phone", False),
    ],
    ids=["en-phone", "en-desktop", "es-phone", "es-desktop", "en-phone-nojs"],
)
def test_report_a_problem(
    browser_pages: BrowserPages,
    axe: AxeAudit,
    report_setup: dict,
    language: str,
    viewport: str,
    javascript: bool,
) -> None:
    expect = browser_pages.expect
    page = browser_pages.open(viewport, language, javascript=javascript)
    flow = Flow(
        browser_pages, axe, page, f"{language}-{viewport}" + ("" if javascript else "-nojs")
    )

    # The service picker, then the service's page and its start button.
    page.goto("/report/")
    page.get_by_role("link", name=SERVICE[language], exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SERVICE[language])
    page.get_by_role("button", name=t(language, "Start your report")).click()

    # Details: the service's own question, and a description.
    at(page, "details")
    flow.step("details", t(language, "Details"))
    # Nothing answered: an error summary at the top, and the message beside the question.
    page.get_by_role("button", name=t(language, "Continue"), exact=True).click()
    summary = page.get_by_role("alert").filter(has_text=t(language, "There is a problem"))
    expect(summary).to_contain_text(t(language, "Choose an answer."))
    if javascript:
        expect(summary).to_be_focused()
    expect(page.locator("#attribute-problem-error")).to_be_visible()
    flow.step("details-errors")
    tick(page, PROBLEM[language])
    page.get_by_label(t(language, "Describe the problem")).fill(DESCRIPTION)
    page.get_by_role("button", name=t(language, "Continue"), exact=True).click()

    # Location: search the gazetteer and choose the address.
    at(page, "location")
    flow.step("location", t(language, "Location"))
    address = page.get_by_label(t(language, "Address of the problem"))
    if javascript:
        address.press_sequentially("25 Sheridan", delay=20)
        option = page.get_by_role("option", name=ADDRESS)
        expect(option).to_be_visible()
        flow.step("location-suggestions")
        option.click()
        expect(address).to_have_value(ADDRESS)
        expect(page.locator("#lat")).not_to_have_value("")
    else:
        address.fill("25 Sheridan")
        page.get_by_role("button", name=t(language, "Find address")).click()
        expect(page.get_by_label(ADDRESS, exact=True)).to_be_attached()
        flow.step("location-choices")
        tick(page, ADDRESS)
    page.get_by_role("button", name=t(language, "Continue"), exact=True).click()

    # An open request of the same kind nearby: the resident's is a different one.
    at(page, "nearby")
    expect(page.locator(f'[data-request="{report_setup["nearby"]}"]')).to_be_visible()
    flow.step("nearby")
    page.get_by_role("link", name=t(language, "Mine is a different problem: continue")).click()

    # Photos: add one, see it listed, go on.
    at(page, "photos")
    flow.step("photos", t(language, "Photos"))
    photos = page.get_by_label(re.compile(re.escape(t(language, "Add photos or documents"))))
    photos.set_input_files(str(report_setup["photo"]))
    page.get_by_role("button", name=t(language, "Add files")).click()
    expect(page.locator(".report-photos")).to_contain_text("street-light.png")
    flow.step("photos-added")
    page.get_by_role("button", name=t(language, "Continue"), exact=True).click()

    # Contact details, with updates.
    at(page, "contact")
    flow.step("contact", t(language, "Contact"))
    email = f"resident.{language}.{viewport}@example.org"
    page.get_by_label(re.compile("^" + re.escape(t(language, "First name")))).fill("Rosa")
    page.get_by_label(re.compile("^" + re.escape(t(language, "Email address")))).fill(email)
    tick(page, t(language, "Send me updates about this request"))
    page.get_by_role("button", name=t(language, "Continue"), exact=True).click()

    # Review everything, then send.
    at(page, "review")
    main = page.locator("main")
    for shown in (SERVICE[language], PROBLEM[language], DESCRIPTION, ADDRESS, "street-light.png"):
        expect(main).to_contain_text(shown)
    expect(main).to_contain_text(email)
    flow.step("review", t(language, "Review"))
    page.get_by_role("button", name=t(language, "Send report")).click()

    # The confirmation gives the reference number; the track page shows the request.
    at(page, "done")
    reference = page.locator("[data-reference]").get_attribute("data-reference")
    assert reference and re.fullmatch(r"\d{2}-\d{6}", reference)
    flow.step("done", t(language, "Report sent"))
    _check_sent(reference, email=email)

    page.get_by_role("link", name=t(language, "Check this report")).click()
    page.wait_for_url(re.compile(r"/track/\?reference="))
    request = page.locator(f'[data-request="{reference}"]')
    expect(request).to_contain_text(SERVICE[language])
    expect(request).to_contain_text(ADDRESS)
    expect(request).to_contain_text(DESCRIPTION)
    flow.step("track")
    axe.assert_clean()


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_merged_report_leads_to_the_request_it_joined(
    browser_pages: BrowserPages, axe: AxeAudit, report_setup: dict, language: str
) -> None:
    expect = browser_pages.expect
    original = Case.objects.get(reference=report_setup["nearby"])
    duplicate = street_light_reported(Channel.WEB, original.lat, original.long, ADDRESS)
    case_merge(duplicate=duplicate, original=original, actor=None)
    page = browser_pages.open("phone", language)

    page.goto(f"/track/?reference={duplicate.reference}")
    notice = page.get_by_role(
        "region",
        name=t(language, "Now handled as request %(original)s") % {"original": original.reference},
    )
    expect(notice).to_be_visible()
    axe.check(page, f"track-merged-{language}")
    screenshot(page, f"track-merged-{language}")
    notice.get_by_role("link").click()

    page.wait_for_url(re.compile(rf"/track/\?reference={original.reference}$"))
    expect(page.locator(f'[data-request="{original.reference}"]')).to_be_visible()
    axe.assert_clean()


# Keyboard only -----------------------------------------------------------------------------

_FOCUS_SHOWN = """(element) => {
  if (element !== document.activeElement) return "not focused";
  // USWDS hides the real radio and checkbox and draws the focus ring on the label's box.
  const shown = element.matches(".usa-radio__input, .usa-checkbox__input")
    ? getComputedStyle(element.labels[0], "::before")
    : getComputedStyle(element);
  const ring = shown.outlineStyle !== "none" && parseFloat(shown.outlineWidth) > 0;
  const shadow = shown.boxShadow && shown.boxShadow !== "none";
  return ring || shadow ? "" : "focused without a visible focus indicator";
}"""


def tab_to(page: Remote, target: Remote, *, backwards: bool = False, limit: int = 80) -> None:
    """Press Tab (or Shift+Tab) until `target` has the focus, then check the focus shows."""
    key = "Shift+Tab" if backwards else "Tab"
    handle = target.element_handle()
    for _ in range(limit):
        if page.evaluate("(element) => element === document.activeElement", handle):
            break
        page.keyboard.press(key)
    problem = page.evaluate(_FOCUS_SHOWN, handle)
    assert not problem, f"{target}: {problem}"


def test_report_a_problem_with_the_keyboard_only(
    browser_pages: BrowserPages, axe: AxeAudit, report_setup: dict
) -> None:
    """Tab, Shift+Tab, Space and Enter (and typing) only; every control shows its focus."""
    expect = browser_pages.expect
    page = browser_pages.open("desktop", "en")
    keyboard = page.keyboard
    # The system file dialog is the one thing a test cannot drive by keyboard: Playwright
    # answers it. Registered now, so the dialog is intercepted before the key opens it.
    photo = str(report_setup["photo"])
    page.on("filechooser", lambda chooser: chooser.set_files(photo))
    flow = Flow(browser_pages, axe, page, "en-desktop-keyboard")

    def skip_to_main() -> None:
        """On a new page, use the skip link. A page reached by a form sent from a page whose
        address had "#main-content" (after the skip link) keeps it, and opens at the main
        content already."""
        if page.evaluate("() => document.activeElement.closest('main') !== null"):
            return
        keyboard.press("Tab")
        expect(page.locator(".usa-skipnav")).to_be_focused()
        keyboard.press("Enter")
        expect(page.locator("main")).to_be_focused()

    page.goto("/report/")
    skip_to_main()
    tab_to(page, page.get_by_role("link", name="Street light out", exact=True))
    keyboard.press("Enter")
    page.wait_for_url("**/report/street-light-out/")
    skip_to_main()
    tab_to(page, page.get_by_role("button", name="Start your report"))
    keyboard.press("Enter")

    at(page, "details")
    flow.step("details")
    skip_to_main()
    tab_to(page, page.get_by_label("It is off at night", exact=True))
    keyboard.press("Space")
    expect(page.get_by_label("It is off at night", exact=True)).to_be_checked()
    description = page.get_by_label("Describe the problem")
    tab_to(page, description)
    keyboard.type(DESCRIPTION)
    # Back one control and forward again: the order runs both ways.
    tab_to(page, page.locator("#attribute-pole-number"), backwards=True)
    tab_to(page, page.get_by_role("button", name="Continue", exact=True))
    keyboard.press("Enter")

    at(page, "location")
    flow.step("location")
    skip_to_main()
    tab_to(page, page.get_by_label("Address of the problem"))
    keyboard.type("25 Sheridan")
    tab_to(page, page.get_by_role("button", name="Find address"))
    keyboard.press("Enter")
    choice = page.get_by_label(ADDRESS, exact=True)
    expect(choice).to_be_attached()
    skip_to_main()
    tab_to(page, choice)
    keyboard.press("Space")
    expect(choice).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Continue", exact=True))
    keyboard.press("Enter")

    at(page, "nearby")
    flow.step("nearby")
    skip_to_main()
    tab_to(page, page.get_by_role("link", name="Mine is a different problem: continue"))
    keyboard.press("Enter")

    at(page, "photos")
    flow.step("photos")
    skip_to_main()
    tab_to(page, page.locator("#photos"))
    keyboard.press("Space")  # opens the file chooser, which the handler above answers
    page.wait_for_function("() => document.getElementById('photos').files.length === 1")
    tab_to(page, page.get_by_role("button", name="Add files"))
    keyboard.press("Enter")
    expect(page.locator(".report-photos")).to_contain_text("street-light.png")
    flow.step("photos-added")
    skip_to_main()
    tab_to(page, page.get_by_role("button", name="Continue", exact=True))
    keyboard.press("Enter")

    at(page, "contact")
    flow.step("contact")
    skip_to_main()
    tab_to(page, page.get_by_label(re.compile("^First name")))
    keyboard.type("Rosa")
    tab_to(page, page.get_by_label(re.compile("^Email address")))
    keyboard.type("keyboard.user@example.org")
    tab_to(page, page.get_by_label(re.compile("^Send me updates")))
    keyboard.press("Space")
    expect(page.get_by_label(re.compile("^Send me updates"))).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Continue", exact=True))
    keyboard.press("Enter")

    at(page, "review")
    flow.step("review")
    skip_to_main()
    tab_to(page, page.get_by_role("button", name="Send report"))
    keyboard.press("Enter")

    at(page, "done")
    reference = page.locator("[data-reference]").get_attribute("data-reference")
    flow.step("done")
    skip_to_main()
    tab_to(page, page.get_by_role("link", name="Check this report"))
    keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/track/\?reference="))
    expect(page.locator(f'[data-request="{reference}"]')).to_contain_text("Street light out")
    flow.step("track")
    axe.assert_clean()
