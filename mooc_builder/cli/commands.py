"""The `mooc` command: argument parsing and printing only; the work is in build/ and the stages below it."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from mooc_builder import __version__
from mooc_builder.build import BuildOptions, build, check
from mooc_builder.build.export import run_export
from mooc_builder.build.locate import content_folder, default_output
from mooc_builder.cli.speech import LANG, Group, echo, language, tr
from mooc_builder.diagnostics import Report, display_path, errors_counted, warnings_counted
from mooc_builder.exports import EXPORTS, Export, ExportError
from mooc_builder.lang.catalogue import Catalogue
from mooc_builder.lang.text import Text, listing, said, say, says
from mooc_builder.load.schema import write_schemas
from mooc_builder.load.values import date_problem
from mooc_builder.model import Site, limits
from mooc_builder.render.renderer import ThemeError
from mooc_builder.write.files import WriteError
from mooc_builder.write.weight import BUDGET, heaviest_media, heaviest_pages


@contextmanager
def _author_errors(target: Path, cannot: Text) -> Iterator[None]:
    """Problems with the output, the theme or the disk, said in one line each (exit status 1)."""
    try:
        yield
    except (WriteError, ExportError) as exc:
        echo(f"{target}: {tr(exc.args[0]) if exc.args and isinstance(exc.args[0], Text) else exc}", err=True)
        sys.exit(1)
    except ThemeError as exc:
        echo(say("theme error: {problem}; nothing was changed.", problem=str(exc)), err=True)
        sys.exit(1)
    except OSError as exc:
        echo(f"{tr(cannot)}: {exc.strerror or exc}", err=True)
        if exc.errno == errno.EFBIG:
            echo(say("The output's file system refuses a file this big: a FAT32 USB stick holds no file over "
                     "4 GB. Format the stick as exFAT, or build onto the computer's disk and copy from there. "
                     "The previous site was left as it was."), err=True)
        elif exc.errno == errno.ENOSPC:
            echo(say("The previous site was left as it was."), err=True)
        sys.exit(1)


def _content(_ctx: click.Context, _param: click.Parameter, value: Path | None) -> Path:
    return value if value is not None else content_folder(Path.cwd())


CONTENT = click.argument("content_dir", required=False, type=click.Path(path_type=Path), callback=_content)


def _print_report(report: Report, strict: bool, building: bool) -> None:
    spoken = language()
    for item in report.errors:
        echo(item.say(spoken), err=True)
        if item.excerpt:
            echo(item.excerpt, err=True)
    if report.warnings:
        count = len(report.warnings)
        echo(say("{count} (--strict):", count=errors_counted(count)) if strict else
             say("{count}:", count=warnings_counted(count)), err=True)
        for item in report.warnings:
            echo(f"  {item.say(spoken)}", err=True)
    if report.errors:
        errors = errors_counted(len(report.errors))
        echo(say("{count}: nothing was built.", count=errors) if building else say("{count}.", count=errors),
             err=True)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mooc", help="Show the version and exit.")
@LANG
def cli() -> None:
    """Build static course sites from YAML and Markdown.

    Start with `mooc new site DIR`, write courses in the content folder (the guide:
    `make docs`), check them with `mooc check`, and build the site with `mooc build`.
    The site works from a web server, from a subfolder, and offline from a USB stick
    (file://). Messages are in the system's language; --lang or MOOC_LANG chooses.
    """


@cli.command("check")
@CONTENT
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1 if there are any).")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              help="json: the report as one JSON object on standard output, for editors and CI (default: text).")
@LANG
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
        click.echo(json.dumps(report_json(report, strict, language()), ensure_ascii=False, indent=1))
        sys.exit(1 if failed else 0)
    _print_report(report, strict, building=False)
    if not failed:
        echo(say("{folder}: OK ({count})", folder=content_dir, count=warnings_counted(len(report.warnings)))
             if report.warnings else say("{folder}: OK", folder=content_dir))
    sys.exit(1 if failed else 0)


@cli.command("schema")
@click.argument("folder", default="schemas", type=click.Path(file_okay=False, path_type=Path))
@LANG
def schema_command(folder: Path) -> None:
    """Write the JSON Schemas of site.yml, course.yml, module.yml, quizzes and
    sequences' front matter into FOLDER (default: schemas, in the current folder).

    An editor that reads them (VS Code with the YAML extension) completes keys and
    underlines mistakes: start a file with
    # yaml-language-server: $schema=<path to FOLDER>/course.schema.json
    Nothing is written outside FOLDER. What the editor shows (what each key is
    for, what is wrong) is in mooc's language (--lang): write them with the
    site's language, e.g. --lang fr.
    """
    spoken = language()
    try:
        written = write_schemas(folder, spoken.language if spoken is not None else None)
    except OSError as exc:
        echo(say("cannot write {folder}: {problem}", folder=folder, problem=exc.strerror or exc), err=True)
        sys.exit(1)
    for path in written:
        click.echo(str(path))


def report_json(report: Report, strict: bool, spoken: Catalogue | None = None) -> dict[str, object]:
    """The report as `mooc check --format json` gives it: one entry per diagnostic, errors first, its message
    and hint in the language ``spoken`` (None: English)."""
    items = [{"file": d.pos.file, "line": d.pos.line, "column": d.pos.col or (1 if d.pos.line else None),
              "severity": d.severity.value, "message": said(d.message, spoken), "hint": said(d.hint, spoken)}
             for d in [*report.errors, *report.warnings]]
    failed = bool(report.errors) or (strict and bool(report.warnings))
    return {"diagnostics": items, "errors": len(report.errors), "warnings": len(report.warnings), "ok": not failed}


def _parse_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(tr(say("'{value}' is not a date; write YYYY-MM-DD, e.g. 2017-11-20",
                                        value=value))) from None
    problem = date_problem(day)
    if problem:
        raise click.BadParameter(tr(say("'{value}' {problem}; write a date between {first} and {last}, e.g. "
                                        "2017-11-20", value=value, problem=problem, first=limits.FIRST_YEAR,
                                        last=limits.LAST_YEAR)))
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
    raise click.UsageError(tr(say("SOURCE_DATE_EPOCH={value} is not a number of seconds since 1970-01-01; set "
                                  "it to one (e.g. `git log -1 --format=%ct`) or unset it", value=repr(value))))


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
@LANG
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

    with _author_errors(output, say("cannot write {path}", path=output)):
        result = build(BuildOptions(content_dir, output, as_of, theme, strict, jobs=jobs, source_date=source_date),
                       progress if live else None)
    if live:
        click.echo("\r" + " " * 60 + "\r", nl=False)
    _print_report(result.report, strict, building=True)
    if not result.ok:
        if not result.report.errors:
            echo(say("warnings with --strict: nothing was built."), err=True)
        sys.exit(1)
    if quiet:
        return
    if result.unchanged:
        echo(say("Nothing changed since the last build of {folder}/ ({pages}, {bundles}): left as it was, "
                 "checked in {seconds} s.", folder=output, pages=_pages(result.pages),
                 bundles=_bundles(result.bundles), seconds=_seconds(result.seconds)))
        return
    built = say("Built {pages} ({rendered} rendered, {written}), {bundles} and {files} into {folder}/ in "
                "{seconds} s", pages=_pages(result.pages), rendered=result.rendered,
                written=says("{n} file written", "{n} files written", len(result.written)),
                bundles=_bundles(result.bundles), files=says("{n} file", "{n} files", result.files), folder=output,
                seconds=_seconds(result.seconds))
    echo(say("{built} ({handouts}).", built=built, handouts=says(
        "{n} printable handout laid out", "{n} printable handouts laid out", result.handouts_made))
        if result.handouts_made else say("{built}.", built=built))
    if verbose:
        echo(say("  work spread over {processes}; only {changed} had changed", processes=result.processes,
                 changed=listing(result.scope, "and", quoted=False)) if result.scope else
             say("  work spread over {processes}", processes=result.processes))
        for stage, seconds in result.stages.items():
            click.echo(f"  {stage:<22} {seconds:7.3f} s")
    if result.site is not None:
        _print_weights(output, result.site)


def _pages(n: int) -> Text:
    return says("{n} page", "{n} pages", n)


def _bundles(n: int) -> Text:
    return says("{n} download bundle", "{n} download bundles", n)


def _seconds(seconds: float) -> str:
    spoken = language()
    return spoken.number(round(seconds, 2)) if spoken is not None else f"{seconds:.2f}"


def _print_weights(output: Path, site: Site) -> None:
    """The heaviest sequence pages (HTML + CSS + JS) and media: what a slow link will feel."""
    sequences = [output / s.page.file for c in site.courses for s in c.sequences]
    for weight in heaviest_pages(output, sequences):
        flag = "  " + tr(say("OVER BUDGET")) if weight.total > BUDGET else ""
        click.echo(f"  page  {weight.total / 1000:6.1f} kB ({weight.gzipped / 1000:.1f} kB gzipped) "
                   f"{weight.page}{flag}")
    for name, size in heaviest_media(output, [m.output.as_posix() for m in site.all_media()]):
        click.echo(f"  media {size / 1000:6.1f} kB {name}")


@cli.command("serve")
@CONTENT
@click.option("--host", default="127.0.0.1",
              help="Address to listen on (IPv4 or IPv6; default: 127.0.0.1). 0.0.0.0 or :: shows the site to the "
                   "whole local network (a training room).")
@click.option("--port", default=8000, type=click.IntRange(0, 65535), help="Port (default: 8000; 0: any free).")
@click.option("--reload/--no-reload", default=None,
              help="Rebuild after each save and reload the pages (default: on for 127.0.0.1, off otherwise).")
@click.option("--open", "open_browser", is_flag=True, help="Open the site in the default browser.")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Keep the served site in this folder (default: a temporary folder, removed on exit).")
@click.option("--as-of", callback=_parse_date, metavar="YYYY-MM-DD", help="Build as if today were this date.")
@click.option("--theme", type=click.Path(path_type=Path, file_okay=False, exists=True), help="Theme folder.")
@LANG
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
        with _author_errors(target, say("cannot write the site into {path}", path=target)):
            try:
                run(options, lambda text: echo(text), language())
            except BindError as exc:
                echo(exc.args[0] if exc.args and isinstance(exc.args[0], Text) else str(exc), err=True)
                sys.exit(1)
    except KeyboardInterrupt:
        echo(say("Stopped."))


@cli.group("export", invoke_without_command=True)
@click.pass_context
def export_group(context: click.Context) -> None:
    """Export a course for another system; `mooc export` alone lists the exports."""
    if context.invoked_subcommand is None:
        echo(say("Exports (mooc export NAME --help says more):"))
        for name, export in EXPORTS.items():
            echo(f"  {name:<10} {tr(export.help)}")


def _size(size: int) -> str:
    spoken = language()
    if spoken is not None:
        return spoken.size(size)
    return f"{size / 1_000_000:.1f} MB" if size >= 1_000_000 else f"{max(1, round(size / 1000))} kB"


def _export_command(export: Export) -> None:
    """`mooc export NAME`, with the export's own options."""

    def command(content_dir: Path, course_id: str | None, output: Path | None, as_of: dt.date, theme: Path | None,
                whole: bool = False, **chosen: str) -> None:
        if whole and course_id is not None:
            raise click.UsageError(tr(say("--all packs every course: give it without --course")))
        target = output or Path(f"<{export.name} package>")
        with _author_errors(target, say("cannot write {path}", path=target)):
            result = run_export(export.name, content_dir, course_id, chosen, output, as_of, theme, whole)
        _print_report(result.report, strict=False, building=False)
        if result.written is None or result.path is None:
            echo(say("No package was written."), err=True)
            sys.exit(1)
        echo(say("Wrote {path} ({summary}, {size}).", path=display_path(result.path),
                 summary=result.written.summary, size=_size(result.size)))

    for option in reversed(export.options):
        command = click.option(f"--{option.name}", option.name, type=click.Choice(option.choices),
                               default=option.default, help=option.help)(command)
    command = click.option("--theme", type=click.Path(path_type=Path, file_okay=False, exists=True),
                           help="Theme folder.")(command)
    command = click.option("--as-of", callback=_parse_date, metavar="YYYY-MM-DD",
                           help="Build as if today were this date (session and enrolment wording). "
                                "Default: today.")(command)
    if export.writes_folder:
        command = click.option("-o", "--output", type=click.Path(path_type=Path, file_okay=False),
                               metavar="FOLDER",
                               help="The folder to write into (what the course had there is replaced). "
                                    "Default: KOLIBRI_DATA, in the working folder.")(command)
    else:
        command = click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), metavar="FILE",
                               help="The file to write (replaced if it exists). Default: named after the "
                                    "course, in the working folder.")(command)
    if export.catalogue:
        command = click.option("--all", "whole", is_flag=True,
                               help="The whole catalogue, every course, in one file (instead of --course).")(command)
    command = click.option("--course", "course_id", metavar="ID",
                           help="The id of the course to package (its folder name under courses/); needed "
                                "when the site has several.")(command)
    command = CONTENT(LANG(command))
    export_group.command(export.name, help=f"{export.description}\n\nCONTENT_DIR: the content folder "
                         "(default: content).")(command)


for _export in EXPORTS.values():
    _export_command(_export)
