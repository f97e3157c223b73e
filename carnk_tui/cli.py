"""The ``carnk-tui`` command: a thin layer over the loader, the exporters and the app.

Exit status: 0 success, 1 invalid data or a failed action, 2 usage errors.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING
from collections.abc import Sequence

from carnk_tui.kb.problems import KnowledgeBaseError

if TYPE_CHECKING:
    from carnk_tui.kb.knowledge_base import KnowledgeBase
    from carnk_tui.kb.model import Lang

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def _data_options(parser: argparse.ArgumentParser, top: bool = False) -> None:
    # a sub-command's defaults would overwrite the same options given before it: only the top sets them
    parser.add_argument("--data", metavar="DIR", type=Path, default=None if top else argparse.SUPPRESS,
                        help="use the knowledge base in DIR instead of the bundled one")
    parser.add_argument("--extra", metavar="DIR", type=Path, action="append", default=[] if top else argparse.SUPPRESS,
                        help="add the records in DIR on top of the knowledge base (repeatable)")


def _size(value: str) -> tuple[int, int]:
    """'120x34' -> (120, 34)."""
    width, sep, height = value.lower().partition("x")
    if not sep or not width.isdigit() or not height.isdigit() or int(width) < 40 or int(height) < 12:
        raise argparse.ArgumentTypeError(f"{value!r} is not a size such as 120x34 (at least 40x12)")
    return int(width), int(height)


def _lang_option(parser: argparse.ArgumentParser, top: bool = False) -> None:
    parser.add_argument("--lang", choices=("zh", "en"), default=None if top else argparse.SUPPRESS,
                        help="language (default: from the locale, else zh)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="carnk-tui", description="A terminal explorer of the CAR-NK cell-therapy landscape.")
    _data_options(parser, top=True)
    _lang_option(parser, top=True)
    parser.add_argument("--open", metavar="TEXT", help="start on the record whose id or name matches TEXT")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    validate = sub.add_parser("validate", help="check a knowledge base and report every problem")
    validate.add_argument("dir", nargs="?", type=Path, metavar="DIR", help="knowledge base to check (default: bundled)")
    _data_options(validate)

    export = sub.add_parser("export", help="write the knowledge base as JSON, Markdown or CSV")
    export.add_argument("--format", required=True, choices=("json", "md", "csv"))
    export.add_argument("--out", type=Path, metavar="FILE", help="write to FILE instead of standard output")
    export.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    _lang_option(export)
    _data_options(export)

    shot = sub.add_parser("screenshot", help="write an SVG of every tab in both languages")
    shot.add_argument("--out", type=Path, default=Path("screens"), metavar="DIR", help="directory (default: screens/)")
    shot.add_argument("--notes", action="store_true",
                      help="only the captures of a speaker-notes terminal beside its slide "
                           "(notes-zh.svg, notes-en.svg)")
    shot.add_argument("--only", metavar="NAMES", default=None,
                      help="only these captures, comma-separated (e.g. registry-study,registry-changes: made when "
                           "--extra adds an imported registry)")
    _data_options(shot)

    present = sub.add_parser("present", help="a guided tour of the knowledge base, one large slide at a time")
    present.add_argument("--export", type=Path, metavar="DIR",
                         help="write every slide to DIR instead of presenting: SVGs and an index.html to step "
                              "through them offline (or, with --format md, slides.md)")
    present.add_argument("--format", choices=("svg", "md"), default="svg",
                         help="with --export: svg (slides as pictures, and index.html; default) or md (Markdown)")
    present.add_argument("--size", type=_size, default=None, metavar="WxH",
                         help="with --export: the terminal size slides are drawn for (default: 120x34)")
    present.add_argument("--notes", action="store_true",
                         help="show the speaker notes of the slide a presentation in another terminal shows")
    _lang_option(present)
    _data_options(present)

    serve = sub.add_parser("serve", help="serve the app to a web browser (loopback only unless --host says otherwise)")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default: 127.0.0.1; any other makes the app reachable "
                            "from the network)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    serve.add_argument("--public-url", metavar="URL", default=None,
                       help="the address browsers use, when it is not http://HOST:PORT (e.g. behind a proxy)")
    serve.add_argument("--present", action="store_true", help="serve the presentation instead of the explorer")
    serve.add_argument("--font-size", type=int, default=16, metavar="PX",
                       help="the page's text size in pixels (default: 16; larger for a projector)")
    _lang_option(serve)
    _data_options(serve)
    _registry_commands(sub)
    return parser


def _registry_commands(sub: argparse._SubParsersAction) -> None:
    imp = sub.add_parser("import", help="import studies from a registry (ClinicalTrials.gov downloads or a query)")
    imp.add_argument("registry", choices=("ctgov",), help="the registry: ctgov (ClinicalTrials.gov)")
    imp.add_argument("files", nargs="*", type=Path, metavar="FILE",
                     help="downloaded search results: API v2 JSON, or the website's CSV")
    imp.add_argument("--query", metavar="TEXT", help="download the studies matching TEXT through the API instead")
    imp.add_argument("--max", type=int, default=1000, metavar="N",
                     help="with --query: at most N studies (default 1000)")
    imp.add_argument("--out", type=Path, metavar="DIR",
                     help="the registry directory to write (default: the one the app loads; load DIR with --extra)")
    imp.add_argument("--as-of", metavar="DATE", help="the date the files were downloaded (default: each file's date)")
    imp.add_argument("--add", action="store_true", help="keep the studies of the previous import that FILE lacks")
    _data_options(imp)
    diff = sub.add_parser("diff", help="what changed between two registry downloads or knowledge-base directories")
    diff.add_argument("old", type=Path, metavar="OLD")
    diff.add_argument("new", type=Path, metavar="NEW")
    diff.add_argument("--format", choices=("md", "csv", "json"), default="md", help="table format (default: md)")
    _lang_option(diff)


def data_dirs(args: argparse.Namespace) -> list[Path]:
    from carnk_tui.kb.locations import bundled_data_dir

    base = getattr(args, "dir", None) or args.data or bundled_data_dir()
    return _with_registry([base, *args.extra])


def _with_registry(dirs: list[Path]) -> list[Path]:
    """`dirs` and the imported registry directory, when there is one and it is not among them."""
    from carnk_tui.kb.locations import registry_dirs

    named = {d.resolve() for d in dirs}
    return [*dirs, *(d for d in registry_dirs() if d.resolve() not in named)]


def load_kb(args: argparse.Namespace, cached: bool = True) -> KnowledgeBase:
    """The knowledge base the options name; from the cache of valid loads unless `cached` is False."""
    if cached:
        from carnk_tui.kb.cache import load_cached

        return load_cached(data_dirs(args))
    from carnk_tui.kb.loader import load

    return load(data_dirs(args), share=False)  # (only validate loads uncached: it keeps nothing)


def _report(error: KnowledgeBaseError) -> int:
    for problem in error.problems:
        print(problem, file=sys.stderr)
    print(f"{len(error.problems)} problem(s) found; nothing was loaded.", file=sys.stderr)
    return EXIT_INVALID


def cmd_validate(args: argparse.Namespace) -> int:
    kb = load_kb(args, cached=False)
    counts = ", ".join(f"{n} {name}" for name, n in kb.counts().items())
    print(f"valid: {counts} ({', '.join(str(d) for d in data_dirs(args))})")
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from carnk_tui.export import render
    from carnk_tui.views.i18n import default_lang

    if args.out is not None and args.out.exists() and not args.force:
        print(f"carnk-tui: {args.out} exists; use --force to overwrite it", file=sys.stderr)
        return EXIT_INVALID
    kb = load_kb(args)
    output = render(kb, args.format, args.lang or default_lang())
    if args.out is None:
        sys.stdout.write(output)
    else:
        args.out.write_text(output, encoding="utf-8")
        print(f"wrote {args.out}", file=sys.stderr)
    return EXIT_OK


def cmd_screenshot(args: argparse.Namespace) -> int:
    from carnk_tui.ui.gallery import write_gallery, write_notes_captures

    kb = load_kb(args)
    if args.notes:
        written = write_notes_captures(kb, args.out)
    else:
        from carnk_tui.ui.gallery import shot_names

        only = None
        if args.only is not None:
            only = frozenset(name.strip() for name in args.only.split(",") if name.strip())
            unknown = sorted(only - set(shot_names(kb)))
            if unknown or not only:
                print(f"carnk-tui: screenshot --only: no capture named {', '.join(unknown) or '(none given)'}; "
                      f"this knowledge base has: {', '.join(shot_names(kb))}", file=sys.stderr)
                return EXIT_USAGE
        written = write_gallery(kb, args.out, only)
    for path in written:
        print(path)
    return EXIT_OK


def cmd_present(args: argparse.Namespace) -> int:
    from carnk_tui.views.i18n import default_lang

    lang = args.lang or default_lang()
    if args.notes:
        from carnk_tui.ui.notes import NotesApp, NotesChannel

        NotesApp(NotesChannel.default(), lang).run()
        return EXIT_OK
    if args.export is None and (args.size is not None or args.format != "svg"):
        print("carnk-tui: --size and --format go with --export DIR", file=sys.stderr)
        return EXIT_USAGE
    kb = load_kb(args)
    if args.export is not None:
        return _export_deck(kb, lang, args.export, args.format, args.size)
    from carnk_tui.ui.notes import NotesChannel
    from carnk_tui.ui.screens.presentation import make_present_app

    app = make_present_app(kb, lang=lang, channel=NotesChannel.default())
    app.run()
    return app.return_code or EXIT_OK


def _export_deck(kb: KnowledgeBase, lang: Lang, out: Path, format: str, size: tuple[int, int] | None) -> int:
    if format == "md":
        from carnk_tui.export.slides import deck_markdown, plan_for

        out.mkdir(parents=True, exist_ok=True)
        path = out / "slides.md"
        path.write_text(deck_markdown(kb, lang, *plan_for(size)), encoding="utf-8")
        print(path)
        return EXIT_OK
    from carnk_tui.ui.gallery import DECK_SIZE, write_deck

    written = write_deck(kb, lang, out, size or DECK_SIZE)
    print(f"{len(written) - 1} slides: {written[-1]}")
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from carnk_tui.serve import run

    kb = load_kb(args)  # invalid data is reported here, once, not in every browser session
    return run(args, kb)


def cmd_import(args: argparse.Namespace) -> int:
    from carnk_tui.kb.locations import registry_dir, registry_dirs
    from carnk_tui.registry.commands import run_import

    out = args.out or registry_dir()
    if out is None:
        print("carnk-tui: no registry directory (CARNK_TUI_REGISTRY_DIR is empty); give --out DIR", file=sys.stderr)
        return EXIT_USAGE
    skip = {d.resolve() for d in [*registry_dirs(), out]}  # link to the knowledge base, not to the old import
    return run_import(args.files, args.query, args.max, out, args.as_of,
                      [d for d in data_dirs(args) if d.resolve() not in skip], args.add)


def cmd_diff(args: argparse.Namespace) -> int:
    from carnk_tui.registry.commands import run_diff
    from carnk_tui.views.i18n import default_lang
    from carnk_tui.views.registry_overview import change_word

    return run_diff(args.old, args.new, args.format, change_word(args.lang or default_lang()))


def cmd_app(args: argparse.Namespace) -> int:
    from carnk_tui.ui.app import make_app

    from carnk_tui.ui.notes import NotesChannel

    app = make_app(None, lang=args.lang, open_text=args.open, data_dirs=data_dirs(args), remember=True)
    app.notes_channel = NotesChannel.default()  # `p` presents to a notes window too
    app.run()
    if app.startup_problems:
        raise KnowledgeBaseError(app.startup_problems)
    return app.return_code or EXIT_OK


COMMANDS = {"validate": cmd_validate, "export": cmd_export, "screenshot": cmd_screenshot, "present": cmd_present,
            "serve": cmd_serve, "import": cmd_import, "diff": cmd_diff, None: cmd_app}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except KnowledgeBaseError as error:
        return _report(error)
    except KeyboardInterrupt:
        return 130
    except OSError as error:
        print(f"carnk-tui: {error}", file=sys.stderr)
        return EXIT_INVALID
