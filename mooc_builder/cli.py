"""The `mooc` command: argument parsing and printing only; the work is in build/ and the stages below it."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import functools
import gc
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from mooc_builder import __version__, shortcuts
from mooc_builder import new as scaffold
from mooc_builder.build import BuildOptions, build, check
from mooc_builder.build.export import run_export
from mooc_builder.build.locate import content_folder, default_output
from mooc_builder.diagnostics import Report, counted, display_path
from mooc_builder.exports import EXPORTS, Export, ExportError
from mooc_builder.load.schema import write_schemas
from mooc_builder.load.values import date_problem
from mooc_builder.model import Site, limits
from mooc_builder.render.renderer import ThemeError
from mooc_builder.write.files import WriteError
from mooc_builder.write.weight import BUDGET, heaviest_media, heaviest_pages


@contextmanager
def _author_errors(target: Path, cannot: str) -> Iterator[None]:
    """Problems with the output, the theme or the disk, said in one line each (exit status 1)."""
    try:
        yield
    except (WriteError, ExportError) as exc:
        click.echo(f"{target}: {exc}", err=True)
        sys.exit(1)
    except ThemeError as exc:
        click.echo(f"theme error: {exc}; nothing was changed.", err=True)
        sys.exit(1)
    except OSError as exc:
        click.echo(f"{cannot}: {exc.strerror or exc}", err=True)
        if exc.errno == errno.EFBIG:
            click.echo("The output's file system refuses a file this big: a FAT32 USB stick holds no file over "
                       "4 GB. Format the stick as exFAT, or build onto the computer's disk and copy from there. "
                       "The previous site was left as it was.", err=True)
        elif exc.errno == errno.ENOSPC:
            click.echo("The previous site was left as it was.", err=True)
        sys.exit(1)


def _content(_ctx: click.Context, _param: click.Parameter, value: Path | None) -> Path:
    return value if value is not None else content_folder(Path.cwd())


CONTENT = click.argument("content_dir", required=False, type=click.Path(path_type=Path), callback=_content)


def _print_report(report: Report, strict: bool, building: bool) -> None:
    for item in report.errors:
        click.echo(str(item), err=True)
        if item.excerpt:
            click.echo(item.excerpt, err=True)
    if report.warnings:
        label = counted(len(report.warnings), "error", "errors") + " (--strict)" if strict else counted(
            len(report.warnings), "warning", "warnings")
        click.echo(f"{label}:", err=True)
        for item in report.warnings:
            click.echo(f"  {item}", err=True)
    if report.errors:
        click.echo(counted(len(report.errors), "error", "errors") + (": nothing was built." if building else "."),
                   err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mooc")
def cli() -> None:
    """Build static course sites from YAML and Markdown.

    Write courses in a content folder (see the README for the format), check them
    with `mooc check`, and build the site with `mooc build`. The site works from a
    web server, from a subfolder, and offline from a USB stick (file://).
    """


@cli.command("check")
@CONTENT
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1 if there are any).")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json: the report as one JSON object on standard output, for editors and CI.")
def check_command(content_dir: Path, strict: bool, output_format: str) -> None:
    """Check CONTENT_DIR (default: content, or the folder with a site.yml you are in) and list every error
    and warning.

    Each line reads FILE:LINE:COL: what is wrong; what would be right.
    With --format json: {"diagnostics": [{"file", "line", "column", "severity",
    "message", "hint"}, ...], "errors": N, "warnings": N, "ok": true|false}.
    Exit status: 0 when clean, 1 when there are errors (or warnings with --strict).
    """
    _site, report = check(content_dir)
    failed = bool(report.errors) or (strict and bool(report.warnings))
    if output_format == "json":
        click.echo(json.dumps(report_json(report, strict), ensure_ascii=False, indent=1))
        sys.exit(1 if failed else 0)
    _print_report(report, strict, building=False)
    if not failed:
        warned = f" ({counted(len(report.warnings), 'warning', 'warnings')})" if report.warnings else ""
        click.echo(f"{content_dir}: OK{warned}")
    sys.exit(1 if failed else 0)


@cli.command("schema")
@click.argument("folder", default="schemas", type=click.Path(file_okay=False, path_type=Path))
def schema_command(folder: Path) -> None:
    """Write the JSON Schemas of site.yml, course.yml, module.yml, quizzes and
    sequences' front matter into FOLDER (default: schemas, in the current folder).

    An editor that reads them (VS Code with the YAML extension) completes keys and
    underlines mistakes: start a file with
    # yaml-language-server: $schema=<path to FOLDER>/course.schema.json
    Nothing is written outside FOLDER.
    """
    try:
        written = write_schemas(folder)
    except OSError as exc:
        click.echo(f"cannot write {folder}: {exc.strerror or exc}", err=True)
        sys.exit(1)
    for path in written:
        click.echo(str(path))


def report_json(report: Report, strict: bool) -> dict[str, object]:
    """The report as `mooc check --format json` gives it: one entry per diagnostic, errors first."""
    items = [{"file": d.pos.file, "line": d.pos.line, "column": d.pos.col or (1 if d.pos.line else None),
              "severity": d.severity.value, "message": d.message, "hint": d.hint}
             for d in [*report.errors, *report.warnings]]
    failed = bool(report.errors) or (strict and bool(report.warnings))
    return {"diagnostics": items, "errors": len(report.errors), "warnings": len(report.warnings), "ok": not failed}


def _parse_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date; write YYYY-MM-DD, e.g. 2017-11-20") from None
    problem = date_problem(day)
    if problem:
        raise click.BadParameter(f"'{value}' {problem}; write a date between {limits.FIRST_YEAR} and "
                                 f"{limits.LAST_YEAR}, e.g. 2017-11-20")
    return day


def _source_date() -> dt.datetime | None:
    """SOURCE_DATE_EPOCH (reproducible-builds.org): the date of the sources, in seconds since 1970, which dates
    the files of the download bundles; a value that is not one stops the command, as the specification asks."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value is None:
        return None
    if value.isascii() and value.isdigit() and len(value) <= limits.MAX_INTEGER_DIGITS:
        with contextlib.suppress(OverflowError, ValueError, OSError):  # past the year 9999
            return dt.datetime.fromtimestamp(int(value), dt.UTC)
    raise click.UsageError(f"SOURCE_DATE_EPOCH={value!r} is not a number of seconds since 1970-01-01; set it to "
                           "one (e.g. `git log -1 --format=%ct`) or unset it")


@cli.command("build")
@CONTENT
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Folder to write the site into; it is replaced whole, atomically. Default: _site, beside the "
                   "content folder when you run mooc inside it.")
@click.option("--as-of", callback=_parse_date, metavar="YYYY-MM-DD",
              help="Build as if today were this date (session and enrolment wording; the date of the download "
                   "bundles' files, unless SOURCE_DATE_EPOCH gives the sources' date). Default: today.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors: build nothing if there are any.")
@click.option("--theme", type=click.Path(path_type=Path, file_okay=False, exists=True),
              help="Use this theme folder instead of the default theme.")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), help="Processes that render pages (default: one per core).")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors and warnings.")
@click.option("-v", "--verbose", is_flag=True, help="Also print the time spent in each stage.")
def build_command(content_dir: Path, output: Path | None, as_of: dt.date, strict: bool, theme: Path | None,
                  jobs: int | None, quiet: bool, verbose: bool) -> None:
    """Build CONTENT_DIR (default: content, or the folder with a site.yml you are in) into a static site.

    The site is written to a temporary folder and swapped in at the end, so a
    failed build leaves the previous site untouched. Two builds of the same
    content on the same date give byte-identical files.
    """
    if output is None:
        output = default_output(content_dir, Path.cwd())
    live = sys.stdout.isatty() and not quiet
    started = time.perf_counter()
    source_date = _source_date()

    def progress(stage: str, done: int, total: int) -> None:
        click.echo(f"\r  {stage}: {done}/{total}  {time.perf_counter() - started:.1f} s", nl=False)

    with _author_errors(output, f"cannot write {output}"):
        result = build(BuildOptions(content_dir, output, as_of, theme, strict, jobs=jobs, source_date=source_date),
                       progress if live else None)
    if live:
        click.echo("\r" + " " * 60 + "\r", nl=False)
    _print_report(result.report, strict, building=True)
    if not result.ok:
        if not result.report.errors:
            click.echo("warnings with --strict: nothing was built.", err=True)
        sys.exit(1)
    if quiet:
        return
    if result.unchanged:
        click.echo(f"Nothing changed since the last build of {output}/ ({result.pages} pages, {result.bundles} "
                   f"download bundles): left as it was, checked in {result.seconds:.2f} s.")
        return
    made = f" ({result.handouts_made} printable handouts laid out)" if result.handouts_made else ""
    click.echo(f"Built {result.pages} pages ({result.rendered} rendered, {len(result.written)} files written), "
               f"{result.bundles} download bundles and {result.files} files into {output}/ in {result.seconds:.2f} s"
               f"{made}.")
    if verbose:
        scope = f"; only {', '.join(result.scope)} had changed" if result.scope else ""
        click.echo(f"  work spread over {result.processes}{scope}")
        for stage, seconds in result.stages.items():
            click.echo(f"  {stage:<22} {seconds:7.3f} s")
    if result.site is not None:
        _print_weights(output, result.site)


def _print_weights(output: Path, site: Site) -> None:
    """The heaviest sequence pages (HTML + CSS + JS) and media: what a slow link will feel."""
    sequences = [output / s.page.file for c in site.courses for s in c.sequences]
    for weight in heaviest_pages(output, sequences):
        flag = "  OVER BUDGET" if weight.total > BUDGET else ""
        click.echo(f"  page  {weight.total / 1000:6.1f} kB ({weight.gzipped / 1000:.1f} kB gzipped) "
                   f"{weight.page}{flag}")
    for name, size in heaviest_media(output, [m.output.as_posix() for m in site.all_media()]):
        click.echo(f"  media {size / 1000:6.1f} kB {name}")


@cli.command("serve")
@CONTENT
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (IPv4 or IPv6). 0.0.0.0 or :: shows the site to the whole local network "
                   "(a training room).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port (0: any free).")
@click.option("--reload/--no-reload", default=None,
              help="Rebuild after each save and reload the pages (default: on for 127.0.0.1, off otherwise).")
@click.option("--open", "open_browser", is_flag=True, help="Open the site in the default browser.")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Keep the served site in this folder (default: a temporary folder, removed on exit).")
@click.option("--as-of", callback=_parse_date, metavar="YYYY-MM-DD", help="Build as if today were this date.")
@click.option("--theme", type=click.Path(path_type=Path, file_okay=False, exists=True), help="Theme folder.")
def serve_command(content_dir: Path, host: str, port: int, reload: bool | None, open_browser: bool,
                  output: Path | None, as_of: dt.date, theme: Path | None) -> None:
    """Serve CONTENT_DIR (default: content, or the folder with a site.yml you are in) for a preview or a
    training room.

    For an author (the default, on 127.0.0.1): every save rebuilds what it
    affects and the pages in the browser reload themselves; while the content
    has errors, each page shows them. For a room: --host 0.0.0.0 serves the site
    to the local network (no reload, nothing watched), with video seeking. For a
    public site, use a web server (see the README).
    """
    # Imported here: `mooc build` need not load the server and the file watcher.
    from mooc_builder.serve.address import is_loopback
    from mooc_builder.serve.http import BindError
    from mooc_builder.serve.session import ServeOptions, run, temporary_output

    reloading = is_loopback(host) if reload is None else reload
    temporary = temporary_output() if output is None else None
    target = temporary.site if temporary is not None else output
    assert target is not None
    options = ServeOptions(BuildOptions(content_dir, target, as_of, theme, source_date=_source_date()), host, port,
                           reloading, open_browser, temporary=temporary)
    try:
        # The site is built into the output folder before the port is opened: a failure of the one is said as
        # a problem with the folder, of the other with the address (BindError's message says what to try).
        with _author_errors(target, f"cannot write the site into {target}"):
            try:
                run(options, click.echo)
            except BindError as exc:
                click.echo(str(exc), err=True)
                sys.exit(1)
    except KeyboardInterrupt:
        click.echo("Stopped.")


@cli.group("export", invoke_without_command=True)
@click.pass_context
def export_group(context: click.Context) -> None:
    """Export a course for another system; `mooc export` alone lists the exports."""
    if context.invoked_subcommand is None:
        click.echo("Exports (mooc export NAME --help says more):")
        for name, export in EXPORTS.items():
            click.echo(f"  {name:<10} {export.help}")


def _size(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 1_000_000 else f"{max(1, round(size / 1000))} kB"


def _export_command(export: Export) -> None:
    """`mooc export NAME`, with the export's own options."""

    def command(content_dir: Path, course_id: str | None, output: Path | None, as_of: dt.date, theme: Path | None,
                **chosen: str) -> None:
        target = output or Path(f"<{export.name} package>")
        with _author_errors(target, f"cannot write {target}"):
            result = run_export(export.name, content_dir, course_id, chosen, output, as_of, theme)
        _print_report(result.report, strict=False, building=False)
        if result.written is None or result.path is None:
            click.echo("No package was written.", err=True)
            sys.exit(1)
        click.echo(f"Wrote {display_path(result.path)} ({result.written.summary}, {_size(result.size)}).")

    for option in reversed(export.options):
        command = click.option(f"--{option.name}", option.name, type=click.Choice(option.choices),
                               default=option.default, show_default=True, help=option.help)(command)
    command = click.option("--theme", type=click.Path(path_type=Path, file_okay=False, exists=True),
                           help="Theme folder.")(command)
    command = click.option("--as-of", callback=_parse_date, metavar="YYYY-MM-DD",
                           help="Build as if today were this date (session and enrolment wording). "
                                "Default: today.")(command)
    command = click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), metavar="FILE",
                           help="The file to write (replaced if it exists). Default: named after the course, "
                                "in the working folder.")(command)
    command = click.option("--course", "course_id", metavar="ID",
                           help="The id of the course to package (its folder name under courses/); needed "
                                "when the site has several.")(command)
    command = CONTENT(command)
    export_group.command(export.name, help=f"{export.description}\n\nCONTENT_DIR: the content folder "
                         "(default: content).")(command)


for _export in EXPORTS.values():
    _export_command(_export)


@cli.group("new")
def new_group() -> None:
    """Start a site, a course, a module, a sequence or a quiz from a commented template.

    \b
    mooc new site DIR [--language fr|en]   a new site in DIR: site.yml, a first course
    mooc new course ID     inside a site (site.yml here or above): courses/ID/ with
                           a first module and page, listed in site.yml courses: if
                           the site lists its courses
    mooc new module ID     inside a course folder: the next NN-ID/ with a first page
    mooc new sequence ID   inside a module folder: the next NN-ID.md
    mooc new quiz ID       inside a module folder: ID.quiz.yml, named by the page
                           NN-ID.md (made when there is none)

    An ID is lower-case letters, digits and hyphens (le-bac-jaune). Nothing is ever
    overwritten; the templates are in the site's language and pass `mooc check`.
    """


def _new(make: Callable[[], scaffold.Plan]) -> None:
    try:
        plan = make()
        written = scaffold.write(plan)
    except scaffold.NewError as exc:
        click.echo(f"mooc new: {exc}", err=True)
        sys.exit(1)
    say = functools.partial(scaffold.say, plan.language)
    here = Path.cwd()
    edited = {path for path, _ in plan.edits}
    for label, paths in (("created", [p for p in written if p not in edited]), ("changed", sorted(edited))):
        if paths:
            click.echo(say(label))
            for path in paths:
                click.echo(f"  {display_path(Path(os.path.relpath(path, here)))}")
    for note in plan.notes:
        click.echo(note)
    site = Path(os.path.relpath(plan.site, here))
    click.echo(say("next", command="mooc check" + ("" if site == Path("content") else f" {site}")))


@new_group.command("site")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
@click.option("--language", type=click.Choice(scaffold.LANGUAGES), default="fr", show_default=True,
              help="The site's language: its templates, interface and these messages.")
def new_site_command(directory: Path, language: str) -> None:
    """A new site in DIRECTORY: site.yml and a first course, ready to check and build."""
    _new(lambda: scaffold.new_site(directory, language))


@new_group.command("course")
@click.argument("ident", metavar="ID")
def new_course_command(ident: str) -> None:
    """A new course courses/ID/, with a first module and page (run inside a site)."""
    _new(lambda: scaffold.new_course(Path.cwd(), ident))


@new_group.command("module")
@click.argument("ident", metavar="ID")
def new_module_command(ident: str) -> None:
    """The next module NN-ID/ of this course, with a first page (run inside a course folder)."""
    _new(lambda: scaffold.new_module(Path.cwd(), ident))


@new_group.command("sequence")
@click.argument("ident", metavar="ID")
def new_sequence_command(ident: str) -> None:
    """The next sequence NN-ID.md of this module (run inside a module folder)."""
    _new(lambda: scaffold.new_sequence(Path.cwd(), ident))


@new_group.command("quiz")
@click.argument("ident", metavar="ID")
def new_quiz_command(ident: str) -> None:
    """ID.quiz.yml in this module, named by the sequence NN-ID.md (made when there is none)."""
    _new(lambda: scaffold.new_quiz(Path.cwd(), ident))


class Terminated(BaseException):
    """SIGTERM arrived: unwind as an interruption does (every cleanup runs), then exit 128 + 15."""


def _terminated(_signum: int, _frame: object) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # once: a second one must not cut the cleanup short
    raise Terminated


def main() -> None:
    """Entry point: no traceback ever reaches an author (set MOOC_DEBUG=1 to see one)."""
    wrong = shortcuts.problem()
    if wrong:
        click.echo(f"mooc: {wrong}", err=True)
        sys.exit(2)
    if threading.current_thread() is threading.main_thread():
        # A service manager's or a shell's `kill` stops a build as Ctrl-C does: its temporary folders removed,
        # the previous site as it was (by default Python would end at once, leaving them).
        signal.signal(signal.SIGTERM, _terminated)
    try:
        cli(standalone_mode=True)
    except SystemExit:  # click ends every command so, the output written and its folders swapped in
        # A build keeps its model to the end, and Python's last collection at exit would scan those millions
        # of objects for cycles once more, after the work is done: a tenth of a one-edit build of 2,000
        # sequences (docs/PERFORMANCE.md). Frozen, they are left out of it; exit handlers still run.
        if shortcuts.enabled(shortcuts.Shortcut.FROZEN_EXIT):
            gc.freeze()
        raise
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    except Terminated:
        click.echo("Stopped (SIGTERM); nothing was changed.", err=True)
        sys.exit(128 + signal.SIGTERM)
    except Exception as exc:
        if os.environ.get("MOOC_DEBUG"):
            raise
        click.echo(f"mooc: internal error ({type(exc).__name__}: {exc}). This is a bug in mooc-builder, "
                   "not in your content; please report it with the command you ran. "
                   "Set MOOC_DEBUG=1 to see the details.", err=True)
        sys.exit(3)


if __name__ == "__main__":
    main()
