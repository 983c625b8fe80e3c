#!/usr/bin/python3
"""Builds gtpclass(8) and gtpclass.yaml(5) from the sources the docs are
made of, so the pages cannot drift from them: each command's --help (the
binary's own option tables), and docs/OPERATIONS.md (the configuration
reference table, the signal table, the checks).

usage: man.py BIN OUTDIR VERSION
"""
import datetime
import re
import subprocess
import sys

BIN, OUT, VERSION = sys.argv[1:4]
DOC = open("docs/OPERATIONS.md").read()
DATE = datetime.date.today().isoformat()


def roff(text):
    """Markdown inline text to roff: code in bold, escapes."""
    text = text.replace("\\", "\\e")
    text = re.sub(r"`([^`]*)`", r"\\fB\1\\fR", text)
    text = re.sub(r"\*\*([^*]*)\*\*", r"\\fB\1\\fR", text)
    text = text.replace("-", "\\-")
    return text


def line_start(text):
    """A roff line must not start with a control character."""
    return "\\&" + text if text[:1] in ".'" else text


def table(heading):
    """The rows of the first markdown table after a heading."""
    start = DOC.index(heading)
    rows = []
    for line in DOC[start:].splitlines()[1:]:
        if line.startswith("## "):
            break
        if line.startswith("|") and not line.startswith("|---"):
            rows.append([c.strip() for c in line.strip("|").split(" | ")])
        elif rows and not line.startswith("|"):
            break
    return rows[1:]  # without the header row


def paragraphs(heading):
    """The prose of a section, up to its first table or list."""
    start = DOC.index(heading) + len(heading)
    body = DOC[start:].split("\n## ")[0]
    out = []
    for para in body.strip().split("\n\n"):
        if para.startswith(("|", "```", "- ")):
            break
        out.append(" ".join(para.split()))
    return out


def helps():
    top = subprocess.run([BIN, "--help"], capture_output=True, text=True).stdout
    names = re.findall(r"^  (\w+) ", top, re.M)
    for name in names:
        text = subprocess.run([BIN, name, "--help"], capture_output=True, text=True)
        yield name, (text.stdout or text.stderr).rstrip()


def page8():
    out = [f'.TH GTPCLASS 8 "{DATE}" "gtpclass {VERSION}" "System Administration"',
           ".SH NAME", "gtpclass \\- classify 5G user-plane (GTP-U) traffic with AF_XDP or in XDP",
           ".SH SYNOPSIS", ".B gtpclass", ".I command", ".RI [ options ]", ".br", ".B gtpclass --version",
           ".SH DESCRIPTION"]
    readme = open("README.md").read().split("\n\n")[1]
    out.append(line_start(roff(" ".join(readme.split()))))
    out.append(".SH COMMANDS")
    for name, text in helps():
        out += [f".SS {name}", ".nf"] + [line_start(l.replace("\\", "\\e")) for l in text.splitlines()] + [".fi"]
    out.append(".SH SIGNALS")
    for sig, effect in table("## Running instances and signals"):
        out += [".TP", f"\\fB{roff(sig)}\\fR", line_start(roff(effect))]
    out.append(".SH RELOAD")
    out += [line_start(roff(p)) for p in paragraphs("**Reload (SIGHUP).**")]
    out += [".SH FILES", ".TP", "\\fB/etc/gtpclass/IF.yaml\\fR",
            "the configuration of the instance on IF (gtpclass@IF.service); see \\fBgtpclass.yaml\\fR(5)",
            ".TP", "\\fB/run/gtpclass/IF.pid\\fR", "the lock and pid of the instance on IF",
            ".TP", "\\fB/sys/fs/bpf/gtpclass/IF/\\fR",
            "its pinned maps: verdicts, counters, stats (read by \\fBgtpclass stats\\fR), commands"]
    out += [".SH CAPABILITIES"] + [line_start(roff(p)) for p in paragraphs("## Capabilities")]
    out += [".SH EXIT STATUS", "0: success; 1: an error (named on stderr); 2: a bad command line; "
            "3: \\fBrun\\fR's totals did not balance; 4: the interface went away while running.",
            ".SH SEE ALSO", "\\fBgtpclass.yaml\\fR(5), \\fBxdp-loader\\fR(8), \\fBbpftool\\fR(8)"]
    return "\n".join(out) + "\n"


def page5():
    out = [f'.TH GTPCLASS.YAML 5 "{DATE}" "gtpclass {VERSION}" "File Formats"',
           ".SH NAME", "gtpclass.yaml \\- configuration of gtpclass(8)",
           ".SH DESCRIPTION"]
    out += [line_start(roff(p)) for p in paragraphs("## Configuration reference (`conf/gtpclass.yaml`)")]
    out.append(".SH KEYS")
    for key, default, meaning in table("## Configuration reference"):
        out += [".TP", f"{roff(key)} (default: {roff(default)})", line_start(roff(meaning))]
    out += [".SH CHECKING", ".B gtpclass check -c",
            ".I FILE", "reports every error of a file without touching an interface.",
            ".SH SEE ALSO", "\\fBgtpclass\\fR(8)"]
    return "\n".join(out) + "\n"


open(f"{OUT}/gtpclass.8", "w").write(page8())
open(f"{OUT}/gtpclass.yaml.5", "w").write(page5())
