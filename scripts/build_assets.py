"""Build the resident portal's front-end libraries into the package (run by `make assets`).

Reads the npm packages that `npm ci` installed from package-lock.json into node_modules/ and
writes what the site serves into src/civicdesk/portal/static/portal/vendor/:

    uswds/css/uswds.min.css      our USWDS build (src/civicdesk/portal/assets/uswds-theme.scss)
    uswds/js/uswds.min.js        prebuilt USWDS JavaScript, and uswds-init.min.js
    uswds/fonts/source-sans-pro/ the four Source Sans Pro faces the theme declares (woff2)
    uswds/img/                   every image the CSS refers to, plus the banner's and the sprite
    htmx/htmx.min.js
    leaflet/leaflet.js, leaflet.css, images/
    SOURCES.md                   versions and licences, written from the installed packages

The output is committed, so `make demo` and `make test` need only Python; node and npm are
needed only to change a version or the theme. The vendor directory is rebuilt from scratch each
time, so a file that is no longer used does not linger.
"""

import json
import posixpath
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
USWDS = NODE_MODULES / "@uswds" / "uswds"
THEME = ROOT / "src" / "civicdesk" / "portal" / "assets" / "uswds-theme.scss"
VENDOR = ROOT / "src" / "civicdesk" / "portal" / "static" / "portal" / "vendor"

# Images the templates use directly (the CSS's own are found by reading it).
USWDS_TEMPLATE_IMAGES = (
    "us_flag_small.png",
    "icon-dot-gov.svg",
    "icon-https.svg",
    "usa-icons-bg/search--white.svg",
    "sprite.svg",
)
FONT_FACES = ("regular", "bold", "italic", "bolditalic")
LEAFLET_IMAGES = (
    "layers.png",
    "layers-2x.png",
    "marker-icon.png",
    "marker-icon-2x.png",
    "marker-shadow.png",
)
SOURCE_MAP_COMMENT = re.compile(r"\n?//# sourceMappingURL=\S+\s*$")
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


def package_version(package_dir: Path) -> str:
    return str(json.loads((package_dir / "package.json").read_text(encoding="utf-8"))["version"])


def copy(source: Path, target: Path) -> None:
    if not source.is_file():
        sys.exit(f"build_assets: {source.relative_to(ROOT)} is missing; run `npm ci` first.")
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)


def copy_script(source: Path, target: Path) -> None:
    """Copy a minified script without its source-map comment: the map is not shipped, and a
    comment pointing at a missing file makes every browser with devtools open ask for it."""
    copy(source, target)
    text = target.read_text(encoding="utf-8")
    target.write_text(SOURCE_MAP_COMMENT.sub("", text), encoding="utf-8")


def build_uswds_css(target: Path) -> None:
    sass = NODE_MODULES / ".bin" / "sass"
    target.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(  # noqa: S603 - fixed arguments, no shell
        [
            str(sass),
            "--quiet-deps",
            "--silence-deprecation=import,global-builtin",
            "--style=compressed",
            "--no-source-map",
            f"--load-path={USWDS / 'packages'}",
            str(THEME),
            str(target),
        ],
        check=True,
    )


def copy_css_references(css_file: Path, source_root: Path, target_root: Path) -> int:
    """Copy every image the stylesheet points at, to the same place relative to it.

    Fonts are copied by name instead (only the faces in FONT_FACES); a font the CSS declares
    but that is not copied stops the build, so a theme change cannot leave a broken link.
    """
    count = 0
    for reference in sorted(set(CSS_URL.findall(css_file.read_text(encoding="utf-8")))):
        if reference.startswith(("data:", "#")):
            continue
        relative = posixpath.normpath(posixpath.join("css", reference))
        if relative.startswith(".."):
            sys.exit(f"build_assets: the CSS points outside its package: {reference}")
        if relative.startswith("fonts/"):
            face = posixpath.basename(relative).removeprefix("sourcesanspro-")
            if face.removesuffix("-webfont.woff2") not in FONT_FACES:
                sys.exit(f"build_assets: the CSS declares a font that is not copied: {reference}")
            continue
        copy(source_root / relative, target_root / relative)
        count += 1
    return count


def write_sources(versions: dict[str, str]) -> None:
    text = f"""# Vendored front-end libraries

Built by `make assets` (`scripts/build_assets.py`) from the npm packages pinned in
`package.json` and `package-lock.json`. Do not edit these files by hand: change the version or
`src/civicdesk/portal/assets/uswds-theme.scss` and run `make assets` again.

| directory | package | version | licence |
| --- | --- | --- | --- |
| `uswds/` | [`@uswds/uswds`](https://github.com/uswds/uswds) (U.S. Web Design System) | {versions["uswds"]} | public domain in the U.S. and CC0 1.0 elsewhere; see below for the parts that are not |
| `uswds/fonts/source-sans-pro/` | Source Sans Pro, as subset by USWDS | from USWDS {versions["uswds"]} | SIL Open Font License 1.1, © 2010, 2012, 2014 Adobe Systems Incorporated, Reserved Font Name "Source" |
| `uswds/img/usa-icons*/`, `uswds/img/sprite.svg` | Google Material Icons, modified by GSA | from USWDS {versions["uswds"]} | Apache License 2.0 (icons); GSA's changes CC0 1.0 |
| `htmx/` | [`htmx.org`](https://htmx.org/) | {versions["htmx"]} | 0BSD (Zero-Clause BSD) |
| `leaflet/` | [`leaflet`](https://leafletjs.com/) | {versions["leaflet"]} | BSD 2-Clause, © 2010-2023 Volodymyr Agafonkin, © 2010-2011 CloudMade |

`uswds/css/uswds.min.css` is compiled from USWDS's Sass packages with our theme settings (one
typeface, the components the portal uses, fewer utility variants); `uswds/js/` is USWDS's
prebuilt JavaScript. Only the files the site uses are copied. Each package's own licence file
is in `LICENSES/` beside this file; the font licence (OFL 1.1) is also embedded in the font
files.
"""  # noqa: E501 - a Markdown table
    (VENDOR / "SOURCES.md").write_text(text, encoding="utf-8")


def main() -> None:
    if not USWDS.is_dir():
        sys.exit("build_assets: node_modules/ is missing; run `npm ci` first.")
    if VENDOR.exists():
        shutil.rmtree(VENDOR)
    uswds_out = VENDOR / "uswds"
    css = uswds_out / "css" / "uswds.min.css"
    build_uswds_css(css)
    images = copy_css_references(css, USWDS / "dist", uswds_out)
    for name in USWDS_TEMPLATE_IMAGES:
        copy(USWDS / "dist" / "img" / name, uswds_out / "img" / name)
    for name in ("uswds.min.js", "uswds-init.min.js"):
        copy_script(USWDS / "dist" / "js" / name, uswds_out / "js" / name)
    for face in FONT_FACES:
        name = f"sourcesanspro-{face}-webfont.woff2"
        source = USWDS / "dist" / "fonts" / "source-sans-pro" / name
        copy(source, uswds_out / "fonts" / "source-sans-pro" / name)

    htmx = NODE_MODULES / "htmx.org"
    copy_script(htmx / "dist" / "htmx.min.js", VENDOR / "htmx" / "htmx.min.js")

    leaflet = NODE_MODULES / "leaflet"
    copy_script(leaflet / "dist" / "leaflet.js", VENDOR / "leaflet" / "leaflet.js")
    copy(leaflet / "dist" / "leaflet.css", VENDOR / "leaflet" / "leaflet.css")
    for name in LEAFLET_IMAGES:
        copy(leaflet / "dist" / "images" / name, VENDOR / "leaflet" / "images" / name)

    copy(USWDS / "LICENSE.md", VENDOR / "LICENSES" / "uswds.md")
    copy(htmx / "LICENSE", VENDOR / "LICENSES" / "htmx.txt")
    copy(leaflet / "LICENSE", VENDOR / "LICENSES" / "leaflet.txt")
    write_sources(
        {
            "uswds": package_version(USWDS),
            "htmx": package_version(htmx),
            "leaflet": package_version(leaflet),
        }
    )
    total = sum(path.stat().st_size for path in VENDOR.rglob("*") if path.is_file())
    print(
        f"build_assets: wrote {VENDOR.relative_to(ROOT)} "
        f"({images} images from the CSS, {total // 1024} KB in all)"
    )


if __name__ == "__main__":
    main()
