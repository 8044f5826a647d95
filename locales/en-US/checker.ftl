# The embedded log checker (templates/partials/log_checker.html, assets/checker.js).
# Variables: $log_name (e.g. Wsyncmgr.log), $name (suggested file names), $percent,
# $line and $session_line (line references), $verdict (a verdict label), $file (a file name),
# $seconds (how long the page waited for a check that made no progress).

checker-privacy = The check runs in this page. Your log never leaves your browser: nothing is uploaded or stored.
checker-noscript = The log checker needs JavaScript. The rest of this page works without it.
checker-drop = Drop { $log_name } here. You can drop several files at once, for example the older .lo_ file together with the .log.
checker-file-hint = Look for: { $name }
checker-choose = Choose files
checker-paste-label = Or paste lines from the log:
checker-check = Check pasted text
checker-reset = Reset
checker-progress = Reading the log… { $percent }%
checker-verdict-affected = Affected
checker-verdict-not-affected = Not affected
checker-verdict-inconclusive = Inconclusive
checker-empty = Inconclusive: the log is empty.
checker-not-text = Inconclusive: this is not a text log. Choose the .log file itself, not an archive or a program.
checker-note-history = An earlier session at line { $line } gave a different result: { $verdict }.
checker-note-unfinished = A later session at line { $line } has not finished; the result comes from the session at line { $session_line }.
checker-file-binary = { $file } is not a text file and was skipped.
checker-file-empty = { $file } is empty.
checker-lines-heading = Lines found in the log
checker-legend-evidence = Evidence for the result
checker-legend-match = Other matching line
checker-truncated = More matching lines were found than this page shows.
checker-error = The log could not be read:
checker-stalled = The check was stopped after { $seconds } seconds without progress: one of its rules is too slow on a line of this log, so nothing can be concluded. Please tell the publisher of this advisory.
checker-pasted-name = pasted text
