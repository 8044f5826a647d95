#!/usr/bin/env python3
"""Writes a synthetic Wsyncmgr.log in the legacy SMS trace format for benchmarks.

Usage: gen_wsyncmgr.py OUT SIZE_MB. Daily cycles of a regular WSUS sync (mostly
"Synchronizing update {guid}" lines, as in real site-server logs), each followed by a
healthy legacy sync; the last legacy sync fails with the 954474 error. Deterministic
(fixed seed); all host names and ids are invented.
"""
import random
import sys

out, size_mb = sys.argv[1], int(sys.argv[2])
target = size_mb * 1_000_000
rng = random.Random(954474)
COMP = "SMS_WSUS_SYNC_MANAGER"
TITLES = [
    "Security Update for Windows XP (KB951698)",
    "Cumulative Security Update for Internet Explorer 7 for Windows Server 2003 (KB950759)",
    "Update for Microsoft Office Outlook 2007 Junk Email Filter (KB951334)",
    "Security Update for Microsoft Office Excel 2003 (KB948988)",
    "Windows Malicious Software Removal Tool - June 2008 (KB890830)",
]


def trailer(day, sec, thread=3572):
    h, m, s = sec // 3600 % 24, sec // 60 % 60, sec % 60
    return f"  $$<{COMP}><06-{day:02d}-2008 {h:02d}:{m:02d}:{s:02d}.{rng.randrange(1000):03d}+420><thread={thread} (0x{thread:X})>\n"


def guid():
    return "%08x-%04x-%04x-%04x-%012x" % (
        rng.getrandbits(32), rng.getrandbits(16), rng.getrandbits(16), rng.getrandbits(16), rng.getrandbits(48))


def legacy_sync(day, sec, failing):
    lines = [
        "Performing legacy sync",
        'STATMSG: ID=6709 SEV=I LEV=M SOURCE="SMS Server" COMP="SMS_WSUS_SYNC_MANAGER" SYS=CM07CEN01.corp.contoso.com SITE=CEN PID=2412 TID=3572 GMTDATE=Fri Jun 13 17:04:55.073 2008 ISTR0="" ISTR1="" ISTR2="" ISTR3="" ISTR4="" ISTR5="" ISTR6="" ISTR7="" ISTR8="" ISTR9="" NUMATTRS=0',
        'Started with command line: C:\\Program Files\\Microsoft Configuration Manager\\bin\\i386\\updatewuscatalog.exe /site:CEN /catalog:"C:\\Program Files\\Microsoft Updates Inventory Tool\\PkgSource\\wsusscn2.cab"',
        "Processing security catalog C:\\Program Files\\Microsoft Updates Inventory Tool\\PkgSource\\wsusscn2.cab ...",
        "Initializing catalog C:\\Program Files\\Microsoft Updates Inventory Tool\\PkgSource\\wsusscn2.cab for synchronization.",
        "Pre-processing updates...",
    ]
    if failing:
        lines += [
            "Error 0x80004005, Unexpected DeploymentAction for update 1293995. Returned from CreateUpdateNode",
            "Updates summary: 0 processed, 0 matched, 0 outdated, 0 updated",
        ]
    else:
        lines += ["Updates summary: 1210 processed, 1210 matched, 0 outdated, 7 updated"]
    return "".join(l + trailer(day, sec + i) for i, l in enumerate(lines))


written = 0
day = 1
with open(out, "w", encoding="utf-8", newline="\r\n") as f:
    while True:
        parts = []
        sec = 36000
        parts.append("Wakeup for scheduled regular sync" + trailer(day % 28 + 1, sec))
        parts.append("Starting Sync" + trailer(day % 28 + 1, sec))
        parts.append("Synchronizing SMS database with WSUS server CM07CEN01.corp.contoso.com" + trailer(day % 28 + 1, sec))
        for i in range(4000):
            sec += rng.randrange(2)
            parts.append(f"Synchronizing update {guid()} - {rng.choice(TITLES)}" + trailer(day % 28 + 1, sec))
            if i % 500 == 0:
                parts.append(f"sync: SMS synchronizing updates, processed {i} out of 4000 items ({i // 40}%)" + trailer(day % 28 + 1, sec))
        parts.append("Done synchronizing SMS with WSUS Server CM07CEN01.corp.contoso.com" + trailer(day % 28 + 1, sec))
        block = "".join(parts)
        last = written + len(block) >= target
        block += legacy_sync(day % 28 + 1, sec + 5, failing=last)
        f.write(block)
        written += len(block)
        day += 1
        if last:
            break
