/*
 * avisa log checker (rule schema v1, SPEC.md §4): a pure, streaming engine that reads
 * dropped or pasted logs in the reader's browser, plus a thin DOM layer that writes only
 * with textContent/createTextNode/createElement. No dependencies, no network APIs: the
 * same file runs as a Web Worker (no `document`) or on the main thread as a fallback.
 */
(function avisaChecker(scope) {
  "use strict";

  // ---------------------------------------------------------------------------------
  // Engine (pure: no DOM, no I/O besides reading the Blobs it is handed)
  // ---------------------------------------------------------------------------------

  var OPENER = "<![LOG[";
  var CM_CLOSE =
    /\]LOG\]!><time="[^"]*"[ \t]+date="[^"]*"[ \t]+component="([^"]*)"[ \t]+context="[^"]*"[ \t]+type="([^"]*)"[ \t]+thread="[^"]*"(?:[ \t]+file="[^"]*")?>[ \t]*$/;
  var LEGACY = /^\$\$<([^<>]*)><([^<>]*)><thread=([^<>]*)>[ \t]*$/;
  var CLIPBOARD = /^(.*)\t([^\t]*)\t([^\t]*)\t([0-9]+ \(0x[0-9A-Fa-f]+\))[ \t]*$/s;
  var CM_MAX_LINES = 10000;
  var CM_MAX_CHARS = 8 * 1024 * 1024;
  var FILE_FACTOR = 4294967296; // a line ref is fileIndex * 2^32 + line number
  var VIEW_CAP = 3000; // physical lines (matches and context) kept with their text for display
  var CONTEXT = 2; // unmatched lines shown before and after each matched record
  var TEXT_CAP = 4000; // characters of one physical line kept for display
  var KINDS = ["sms_legacy", "cmtrace", "clipboard", "plain"];

  /** Marker thrown by a feeder when a BOM-less file is not valid UTF-8 (restart as windows-1252). */
  function Restart() {}

  function isSpaceTab(c) {
    return c === 32 || c === 9;
  }

  /** Trims spaces and tabs (only those) at both ends. */
  function trimSpaceTab(s) {
    var a = 0;
    var b = s.length;
    while (a < b && isSpaceTab(s.charCodeAt(a))) a++;
    while (b > a && isSpaceTab(s.charCodeAt(b - 1))) b--;
    return a === 0 && b === s.length ? s : s.slice(a, b);
  }

  /** Trims spaces, tabs and `~` at both ends (legacy SMS messages). */
  function trimLegacy(s) {
    var a = 0;
    var b = s.length;
    var c;
    while (a < b && ((c = s.charCodeAt(a)) === 32 || c === 9 || c === 126)) a++;
    while (b > a && ((c = s.charCodeAt(b - 1)) === 32 || c === 9 || c === 126)) b--;
    return s.slice(a, b);
  }

  function asciiLower(s) {
    return s.replace(/[A-Z]+/g, function (m) {
      return m.toLowerCase();
    });
  }

  /** Splits a file name into ASCII-lower-cased stem and rollover role ("lo_", "log" or ""). */
  function rolloverName(name) {
    var lower = asciiLower(String(name));
    var ext = lower.slice(-4);
    if (ext === ".lo_" || ext === ".log") return { stem: lower.slice(0, -4), ext: ext.slice(1) };
    return { stem: lower, ext: "" };
  }

  /**
   * Orders inputs (SPEC §4.3 step 1): each `X.lo_` goes directly before its `X.log`
   * (stem compared ASCII case-insensitively), other files keep the given order.
   * Returns [{index, pairNext, pairPrev}] where index points into `names`.
   */
  function orderInputs(names) {
    var parts = names.map(rolloverName);
    var taken = names.map(function () {
      return false;
    });
    var partner = names.map(function () {
      return -1;
    });
    for (var i = 0; i < names.length; i++) {
      if (parts[i].ext !== "log") continue;
      for (var j = 0; j < names.length; j++) {
        if (!taken[j] && parts[j].ext === "lo_" && parts[j].stem === parts[i].stem) {
          taken[j] = true;
          partner[i] = j;
          break;
        }
      }
    }
    var out = [];
    for (var k = 0; k < names.length; k++) {
      if (taken[k]) continue;
      if (partner[k] >= 0) {
        out.push({ index: partner[k], pairNext: true, pairPrev: false });
        out.push({ index: k, pairNext: false, pairPrev: true });
      } else {
        out.push({ index: k, pairNext: false, pairPrev: false });
      }
    }
    return out;
  }

  /** Compiles one condition (SPEC §4.2) into a predicate over a session's match lists. */
  function compileCondition(cond, index) {
    function sig(name) {
      if (!Object.prototype.hasOwnProperty.call(index, name)) {
        throw new Error("unknown signal `" + name + "`");
      }
      return index[name];
    }
    if (cond === null || typeof cond !== "object") throw new Error("condition must be an object");
    if ("present" in cond) {
      var p = sig(cond.present);
      return function (lists) {
        return lists[p].length > 0;
      };
    }
    if ("absent" in cond) {
      var a = sig(cond.absent);
      return function (lists) {
        return lists[a].length === 0;
      };
    }
    if ("count" in cond) {
      var c = sig(cond.count.signal);
      var lo = cond.count.at_least;
      var hi = cond.count.at_most;
      return function (lists) {
        var n = lists[c].length;
        return (lo === null || lo === undefined || n >= lo) && (hi === null || hi === undefined || n <= hi);
      };
    }
    if ("sequence" in cond) {
      var seq = cond.sequence.map(sig);
      return function (lists) {
        var last = -1;
        for (var i = 0; i < seq.length; i++) {
          var list = lists[seq[i]];
          var found = -1;
          for (var k = 0; k < list.length; k++) {
            if (list[k].i > last) {
              found = list[k].i;
              break;
            }
          }
          if (found < 0) return false;
          last = found;
        }
        return true;
      };
    }
    if ("all" in cond || "any" in cond) {
      var isAll = "all" in cond;
      var subs = (isAll ? cond.all : cond.any).map(function (s) {
        return compileCondition(s, index);
      });
      return function (lists) {
        for (var i = 0; i < subs.length; i++) {
          if (subs[i](lists) !== isAll) return !isAll;
        }
        return isAll;
      };
    }
    if ("not" in cond) {
      var inner = compileCondition(cond.not, index);
      return function (lists) {
        return !inner(lists);
      };
    }
    throw new Error("unknown condition");
  }

  /** Compiles the `check` object of the page data: regexes, signal indexes, verdict predicates. */
  function compileCheck(check) {
    var index = {};
    var signals = check.signals.map(function (s, i) {
      index[s.name] = i;
      return {
        name: s.name,
        re: new RegExp(s.regex, "su" + (s.ignore_case ? "i" : "")),
        comp: s.component ? asciiLower(s.component) : null,
      };
    });
    var start = -1;
    if (check.sessions && check.sessions.start !== undefined && check.sessions.start !== null) {
      if (!Object.prototype.hasOwnProperty.call(index, check.sessions.start)) {
        throw new Error("unknown session start signal");
      }
      start = index[check.sessions.start];
    }
    var rules = check.verdicts.map(function (v) {
      return {
        verdict: v.verdict,
        message: v.message,
        when: compileCondition(v.when, index),
        evidence: (v.evidence || []).map(function (n) {
          if (!Object.prototype.hasOwnProperty.call(index, n)) throw new Error("unknown evidence signal");
          return index[n];
        }),
      };
    });
    return { signals: signals, start: start, rules: rules, otherwise: check.otherwise };
  }

  function clip(t) {
    // A line kept for display must not be a V8 "sliced string": that would keep its whole
    // decoded chunk alive. Concatenating, then slicing, copies it into a string of its own.
    return t.length > TEXT_CAP ? (" " + t.slice(0, TEXT_CAP)).slice(1) + "\u2026" : (" " + t).slice(1);
  }

  /**
   * The streaming evaluator: fed physical lines (already decoded and split) file by file,
   * it builds records, matches signals, cuts sessions and keeps only the current session's
   * match lists plus the last conclusive one.
   */
  function Engine(compiled, names) {
    this.c = compiled;
    this.names = names; // in processing order
    this.multi = names.length > 1;
    this.nrec = 0;
    this.kinds = { sms_legacy: 0, cmtrace: 0, clipboard: 0, plain: 0 };
    this.sig = compiled.signals.map(function () {
      return [];
    });
    this.hl = [];
    this.view = []; // {r, t, hl}: highlighted lines and their context, in input order
    this.before = []; // up to CONTEXT unmatched lines since the last shown one
    this.afterLeft = 0; // unmatched lines still to show after the last matched record
    this.sessions = [];
    this.cur = null;
    this.last = null;
    this.pend = null;
    this.carry = null;
    this.compRaw = null;
    this.compLow = "";
  }

  Engine.prototype.snapshot = function () {
    var cur = this.cur;
    var p = this.pend;
    return {
      nrec: this.nrec,
      kinds: Object.assign({}, this.kinds),
      sig: this.sig.map(function (a) {
        return a.length;
      }),
      hl: this.hl.length,
      view: this.view.length,
      before: this.before.slice(),
      afterLeft: this.afterLeft,
      sessions: this.sessions.length,
      cur: cur,
      curLists: cur
        ? cur.lists.map(function (a) {
            return a.length;
          })
        : null,
      last: this.last,
      pend: p ? { lines: p.lines.slice(), texts: p.texts.slice(), size: p.size } : null,
      carry: this.carry,
    };
  };

  Engine.prototype.restore = function (s) {
    this.nrec = s.nrec;
    this.kinds = Object.assign({}, s.kinds);
    for (var i = 0; i < this.sig.length; i++) this.sig[i].length = s.sig[i];
    this.hl.length = s.hl;
    this.view.length = s.view;
    this.before = s.before.slice();
    this.afterLeft = s.afterLeft;
    this.sessions.length = s.sessions;
    this.cur = s.cur;
    if (s.cur) {
      s.cur.entry.verdict = null;
      for (var k = 0; k < s.cur.lists.length; k++) s.cur.lists[k].length = s.curLists[k];
    }
    this.last = s.last;
    this.pend = s.pend ? { lines: s.pend.lines.slice(), texts: s.pend.texts.slice(), size: s.pend.size } : null;
    this.carry = s.carry;
  };

  /** One physical line of the current file; `ref` = fileIndex * 2^32 + line number. */
  Engine.prototype.line = function (text, ref) {
    var L;
    if (this.carry !== null) {
      var c = this.carry;
      this.carry = null;
      L = { t: c.t + text, r: c.r, p: [{ r: c.r, t: clip(c.t) }, { r: ref, t: clip(text) }] };
    } else {
      L = { t: text, r: ref, p: null };
    }
    this.feed(L);
  };

  /** The unterminated last line of an `X.lo_`: it continues into the first line of `X.log`. */
  Engine.prototype.hold = function (text, ref) {
    this.carry = { t: text, r: ref };
  };

  /** A boundary between unrelated inputs (or the end): nothing continues across it. */
  Engine.prototype.boundary = function () {
    if (this.carry !== null) {
      var c = this.carry;
      this.carry = null;
      this.feed({ t: c.t, r: c.r, p: null });
    }
    if (this.pend !== null) this.failPending();
  };

  Engine.prototype.feed = function (L) {
    var t = L.t;
    var m;
    if (this.pend !== null) {
      if (t.lastIndexOf(OPENER, 0) === 0) {
        this.failPending();
      } else {
        var p = this.pend;
        p.lines.push(L);
        p.size += t.length;
        m = closeMatch(t);
        if (m !== null) {
          p.texts.push(t.slice(0, m.index));
          this.pend = null;
          this.emit("cmtrace", p.texts.join("\n"), m[1], p.lines);
        } else {
          p.texts.push(t);
          if (p.lines.length >= CM_MAX_LINES || p.size > CM_MAX_CHARS) this.failPending();
        }
        return;
      }
    }
    if (t.lastIndexOf(OPENER, 0) === 0) {
      var rest = t.slice(OPENER.length);
      m = closeMatch(rest);
      if (m !== null) {
        this.emit("cmtrace", rest.slice(0, m.index), m[1], [L]);
      } else {
        this.pend = { lines: [L], texts: [rest], size: t.length };
        if (t.length > CM_MAX_CHARS) this.failPending();
      }
      return;
    }
    this.single(L);
  };

  function closeMatch(t) {
    if (t.indexOf("]LOG]!>") < 0) return null;
    return CM_CLOSE.exec(t);
  }

  /** A CMTrace opener found no close: it is parsed as a single line, then scanning resumes. */
  Engine.prototype.failPending = function () {
    var p = this.pend;
    this.pend = null;
    for (var i = 0; i < p.lines.length; i++) this.single(p.lines[i]);
  };

  /** Classifies one line that does not open a CMTrace record: legacy, clipboard or plain. */
  Engine.prototype.single = function (L) {
    var t = L.t;
    var m;
    var at = t.lastIndexOf("$$<");
    if (at >= 0 && (m = LEGACY.exec(t.slice(at))) !== null) {
      this.emit("sms_legacy", trimLegacy(t.slice(0, at)), m[1], [L]);
      return;
    }
    if (t.indexOf("\t") >= 0 && (m = CLIPBOARD.exec(t)) !== null) {
      this.emit("clipboard", trimSpaceTab(m[1]), m[2], [L]);
      return;
    }
    this.emit("plain", trimSpaceTab(t), "", [L]);
  };

  Engine.prototype.emit = function (kind, msg, comp, lines) {
    this.kinds[kind]++;
    var idx = this.nrec++;
    var sigs = this.c.signals;
    var parts = null;
    var matched = null;
    var compLow = null;
    for (var i = 0; i < sigs.length; i++) {
      var s = sigs[i];
      if (s.comp !== null && comp !== "") {
        if (compLow === null) {
          if (comp !== this.compRaw) {
            this.compRaw = comp;
            this.compLow = asciiLower(comp);
          }
          compLow = this.compLow;
        }
        if (compLow !== s.comp) continue;
      }
      if (parts === null) parts = msg.indexOf("\n") >= 0 ? msg.split("\n").map(trimSpaceTab) : [trimSpaceTab(msg)];
      for (var k = 0; k < parts.length; k++) {
        if (s.re.test(parts[k])) {
          if (matched === null) matched = [];
          matched.push(i);
          break;
        }
      }
    }
    var first = lines[0].r;
    if (matched !== null && this.c.start >= 0 && matched.indexOf(this.c.start) >= 0) {
      this.closeSession();
      this.openSession(first, first);
    } else if (this.cur === null) {
      this.openSession(null, first);
    }
    if (matched === null) {
      this.context(lines);
      return;
    }
    var refs = [];
    var phys = [];
    for (var l = 0; l < lines.length; l++) {
      var L = lines[l];
      if (L.p !== null) {
        for (var q = 0; q < L.p.length; q++) {
          refs.push(L.p[q].r);
          phys.push(L.p[q]);
        }
      } else {
        refs.push(L.r);
        phys.push({ r: L.r, t: clip(L.t) });
      }
    }
    var rec = { i: idx, refs: refs, phys: phys };
    for (var j = 0; j < matched.length; j++) {
      this.sig[matched[j]].push(first);
      this.cur.lists[matched[j]].push(rec);
    }
    for (var b = 0; b < this.before.length; b++) this.show(this.before[b], false);
    this.before.length = 0;
    for (var h = 0; h < phys.length; h++) {
      this.hl.push(phys[h].r);
      this.show(phys[h], true);
    }
    this.afterLeft = CONTEXT;
  };

  /** Keeps the physical lines of an unmatched record as context (after a match, or in the ring before one). */
  Engine.prototype.context = function (lines) {
    for (var l = 0; l < lines.length; l++) {
      var parts = lines[l].p !== null ? lines[l].p : [lines[l]];
      for (var q = 0; q < parts.length; q++) {
        if (this.afterLeft > 0) {
          this.afterLeft--;
          this.show(parts[q], false);
        } else {
          this.before.push(parts[q]);
          if (this.before.length > CONTEXT) this.before.shift();
        }
      }
    }
  };

  Engine.prototype.show = function (ph, isMatch) {
    if (this.view.length < VIEW_CAP) this.view.push({ r: ph.r, t: clip(ph.t), hl: isMatch });
  };

  Engine.prototype.openSession = function (start, first) {
    var entry = { start: start, first: first, verdict: null };
    this.sessions.push(entry);
    this.cur = {
      entry: entry,
      idx: this.sessions.length - 1,
      lists: this.c.signals.map(function () {
        return [];
      }),
    };
  };

  Engine.prototype.closeSession = function () {
    var cur = this.cur;
    if (cur === null) return;
    this.cur = null;
    var rules = this.c.rules;
    for (var k = 0; k < rules.length; k++) {
      if (rules[k].when(cur.lists)) {
        cur.entry.verdict = rules[k].verdict;
        this.last = { idx: cur.idx, lists: cur.lists, rule: k };
        return;
      }
    }
  };

  Engine.prototype.refOut = function (ref) {
    if (ref === null) return null;
    var f = Math.floor(ref / FILE_FACTOR);
    var line = ref - f * FILE_FACTOR;
    return this.multi ? this.names[f] + ":" + line : line;
  };

  /** Ends the input and returns {result (the expected.json structure), view (for display)}. */
  Engine.prototype.finish = function (files) {
    this.boundary();
    this.closeSession();
    var self = this;
    var R = function (r) {
      return self.refOut(r);
    };
    var c = this.c;
    var result = {
      verdict: "inconclusive",
      message: "",
      placeholders: {},
      files: files,
      record_kinds: {},
      sessions: [],
      decided_session: null,
      signals: {},
      highlight: [],
      evidence: [],
      notes: [],
    };
    var view = { lines: [], dropped: 0, fill: {}, notes: [] };
    c.signals.forEach(function (s, i) {
      result.signals[s.name] = self.sig[i].map(R);
    });
    var hasText = files.some(function (f) {
      return f.status === "text";
    });
    if (!hasText) {
      result.message = files.some(function (f) {
        return f.status === "binary";
      })
        ? "not_text"
        : "empty";
      result.message_scope = "site";
      return { result: result, view: view };
    }
    KINDS.forEach(function (k) {
      if (self.kinds[k] > 0) result.record_kinds[k] = self.kinds[k];
    });
    result.sessions = this.sessions.map(function (s) {
      return { start: R(s.start), verdict: s.verdict };
    });
    result.highlight = this.hl.map(R);
    var evidenceKeys = {};
    var evidenceLines = [];
    var last = this.last;
    if (last === null) {
      result.verdict = c.otherwise.verdict;
      result.message = c.otherwise.message;
    } else {
      var rule = c.rules[last.rule];
      result.verdict = rule.verdict;
      result.message = rule.message;
      result.decided_session = last.idx;
      var start = this.sessions[last.idx].start;
      var recs = [];
      var seen = {};
      var keyRec = null;
      rule.evidence.forEach(function (si) {
        var list = last.lists[si];
        if (keyRec === null && list.length > 0) keyRec = list[0];
        list.forEach(function (rec) {
          if (!seen[rec.i]) {
            seen[rec.i] = true;
            recs.push(rec);
          }
        });
      });
      recs.sort(function (a, b) {
        return a.i - b.i;
      });
      recs.forEach(function (rec) {
        rec.phys.forEach(function (ph) {
          result.evidence.push(R(ph.r));
          evidenceKeys[ph.r] = true;
          evidenceLines.push(ph);
        });
      });
      if (keyRec !== null) result.placeholders.line = R(keyRec.refs[0]);
      result.placeholders.session_line = R(start);
      if (keyRec !== null) {
        // As in the JSON: "FILE:LINE" when there are several inputs.
        view.fill.line = String(R(keyRec.refs[0]));
        view.fill.file = this.names[Math.floor(keyRec.refs[0] / FILE_FACTOR)];
      }
      view.fill.session_line = start === null ? String(R(this.sessions[last.idx].first)) : String(R(start));
      for (var i = 0; i < this.sessions.length; i++) {
        var s = this.sessions[i];
        var shown = String(R(s.start === null ? s.first : s.start));
        if (i < last.idx && s.verdict !== null && s.verdict !== rule.verdict) {
          result.notes.push({ kind: "history", session_start: R(s.start), verdict: s.verdict });
          view.notes.push({ kind: "history", line: shown, verdict: s.verdict });
        } else if (i > last.idx) {
          result.notes.push({ kind: "unfinished_session", session_start: R(s.start) });
          view.notes.push({ kind: "unfinished_session", line: shown, verdict: null });
        }
      }
    }
    // Display list: the kept highlighted and context lines plus every evidence line, in input order.
    var merged = [];
    var a = 0;
    var b = 0;
    var shownView = this.view;
    var shownMatches = 0;
    while (a < shownView.length || b < evidenceLines.length) {
      var pick;
      var isMatch;
      if (b >= evidenceLines.length || (a < shownView.length && shownView[a].r <= evidenceLines[b].r)) {
        pick = shownView[a++];
        isMatch = pick.hl;
        if (b < evidenceLines.length && evidenceLines[b].r === pick.r) b++;
      } else {
        pick = evidenceLines[b++];
        isMatch = true;
      }
      if (isMatch) shownMatches++;
      var f = Math.floor(pick.r / FILE_FACTOR);
      merged.push({
        ref: String(R(pick.r)),
        file: f,
        line: pick.r - f * FILE_FACTOR,
        text: pick.t,
        match: isMatch,
        evidence: evidenceKeys[pick.r] === true,
      });
    }
    view.lines = merged;
    view.dropped = Math.max(0, this.hl.length - shownMatches);
    return { result: result, view: view };
  };

  /**
   * Decodes one input (BOM sniffing, UTF-8 validity with restart, windows-1252), splits it
   * into physical lines (CRLF, LF, lone CR; a CR at a chunk end is carried) and feeds them
   * to the engine. A file with U+0000 is rolled back and only counted.
   */
  function Feeder(engine, fileIndex, holdLast, forced) {
    this.eng = engine;
    this.base = fileIndex * FILE_FACTOR;
    this.holdLast = holdLast;
    this.forced = forced; // null, or "windows-1252" after a failed UTF-8 attempt
    this.snap = engine.snapshot();
    this.dec = null;
    this.head = null;
    this.encoding = null;
    this.fatal = false;
    this.binary = false;
    this.lines = 0;
    this.partial = "";
    this.skipLF = false;
    this.endsNL = false;
    this.any = false;
  }

  Feeder.prototype.open = function (head) {
    var skip = 0;
    var label;
    if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
      this.encoding = "utf-8-bom";
      label = "utf-8";
      skip = 3;
    } else if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) {
      this.encoding = label = "utf-16le";
      skip = 2;
    } else if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) {
      this.encoding = label = "utf-16be";
      skip = 2;
    } else if (this.forced) {
      this.encoding = label = this.forced;
    } else {
      this.encoding = label = "utf-8";
      this.fatal = true;
    }
    this.dec = new TextDecoder(label, { fatal: this.fatal, ignoreBOM: true });
    return head.subarray(skip);
  };

  Feeder.prototype.decode = function (bytes, last) {
    try {
      return last ? this.dec.decode(bytes) : this.dec.decode(bytes, { stream: true });
    } catch (e) {
      if (this.fatal) throw new Restart();
      throw e;
    }
  };

  /** Feeds a chunk of bytes; throws Restart when the file must be re-read as windows-1252. */
  Feeder.prototype.push = function (bytes) {
    if (this.dec === null) {
      var head = this.head === null ? bytes : concatBytes(this.head, bytes);
      if (head.length < 3) {
        this.head = head;
        return;
      }
      this.head = null;
      bytes = this.open(head);
    }
    this.text(this.decode(bytes, false));
  };

  /** Feeds decoded text directly (pasted text: no bytes, no encoding question). */
  Feeder.prototype.pushText = function (s) {
    if (this.dec === null && this.encoding === null) this.encoding = "utf-8";
    this.text(s);
  };

  Feeder.prototype.text = function (s) {
    var n = s.length;
    if (n === 0) return;
    this.any = true;
    if (!this.binary && s.indexOf("\u0000") >= 0) {
      this.binary = true;
      this.eng.restore(this.snap);
    }
    var pos = 0;
    if (this.skipLF) {
      this.skipLF = false;
      if (s.charCodeAt(0) === 10) pos = 1;
    }
    var lf = s.indexOf("\n", pos);
    var cr = s.indexOf("\r", pos);
    while (lf >= 0 || cr >= 0) {
      var end;
      var next;
      if (cr < 0 || (lf >= 0 && lf < cr)) {
        end = lf;
        next = lf + 1;
      } else {
        end = cr;
        if (cr + 1 < n) {
          next = s.charCodeAt(cr + 1) === 10 ? cr + 2 : cr + 1;
        } else {
          next = n;
          this.skipLF = true;
        }
      }
      var line = this.partial === "" ? s.slice(pos, end) : this.partial + s.slice(pos, end);
      this.partial = "";
      this.lines++;
      if (!this.binary) this.eng.line(line, this.base + this.lines);
      pos = next;
      if (lf >= 0 && lf < pos) lf = s.indexOf("\n", pos);
      if (cr >= 0 && cr < pos) cr = s.indexOf("\r", pos);
    }
    this.endsNL = pos === n;
    if (pos < n) this.partial = this.partial === "" ? s.slice(pos) : this.partial + s.slice(pos);
  };

  /** Ends the file and returns its `files[]` entry (SPEC README: status, encoding, lines, ends_with_newline). */
  Feeder.prototype.end = function (name) {
    if (this.dec === null && this.encoding === null) {
      var rest = this.open(this.head === null ? new Uint8Array(0) : this.head);
      this.head = null;
      this.text(this.decode(rest, true));
    } else if (this.dec !== null) {
      this.text(this.decode(new Uint8Array(0), true));
    }
    if (this.partial !== "") {
      this.lines++;
      if (!this.binary) {
        var ref = this.base + this.lines;
        if (this.holdLast) this.eng.hold(this.partial, ref);
        else this.eng.line(this.partial, ref);
      }
      this.partial = "";
    }
    // A binary file is not read as text: no lines, as the CLI reports it.
    return {
      file: name,
      status: !this.any ? "empty" : this.binary ? "binary" : "text",
      encoding: this.encoding,
      lines: this.binary ? 0 : this.lines,
      ends_with_newline: this.any && !this.binary && this.endsNL,
    };
  };

  function concatBytes(a, b) {
    var out = new Uint8Array(a.length + b.length);
    out.set(a, 0);
    out.set(b, a.length);
    return out;
  }

  /** Pure, synchronous check of byte arrays: inputs = [{name, bytes: Uint8Array}]. */
  function checkBuffers(check, inputs) {
    var compiled = compileCheck(check);
    var order = orderInputs(
      inputs.map(function (x) {
        return x.name;
      })
    );
    var names = order.map(function (o) {
      return String(inputs[o.index].name);
    });
    var eng = new Engine(compiled, names);
    var files = [];
    order.forEach(function (o, fi) {
      if (!o.pairPrev) eng.boundary();
      var forced = null;
      for (;;) {
        var f = new Feeder(eng, fi, o.pairNext, forced);
        try {
          f.push(inputs[o.index].bytes);
          files.push(f.end(names[fi]));
          return;
        } catch (e) {
          if (!(e instanceof Restart)) throw e;
          eng.restore(f.snap);
          forced = "windows-1252";
        }
      }
    });
    return eng.finish(files);
  }

  /**
   * Pure, synchronous check of one pasted text (line breaks as typed; no decoding). Fed in
   * slices, so that `hooks.progress(done, total)` can tell a long text from a stalled check.
   */
  function checkText(check, name, text, hooks) {
    var eng = new Engine(compileCheck(check), [String(name)]);
    var f = new Feeder(eng, 0, false, null);
    var SLICE = 1 << 20;
    for (var at = 0; at < text.length; ) {
      var end = Math.min(text.length, at + SLICE);
      // never between the two halves of a character outside the BMP
      var last = text.charCodeAt(end - 1);
      if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
      f.pushText(text.slice(at, end));
      at = end;
      if (hooks && hooks.progress) hooks.progress(at, text.length);
    }
    return eng.finish([f.end(String(name))]);
  }

  /**
   * Streaming check of Blobs/Files (never a whole-file string): `hooks.progress(done, total)`
   * is called per chunk; `hooks.pause()` may return a promise to yield to the page.
   */
  async function checkBlobs(check, blobs, hooks) {
    var compiled = compileCheck(check);
    var order = orderInputs(
      blobs.map(function (b) {
        return b.name;
      })
    );
    var names = order.map(function (o) {
      return String(blobs[o.index].name);
    });
    var eng = new Engine(compiled, names);
    var files = [];
    var total = 0;
    var done = 0;
    blobs.forEach(function (b) {
      total += b.size;
    });
    for (var fi = 0; fi < order.length; fi++) {
      var o = order[fi];
      var blob = blobs[o.index];
      if (!o.pairPrev) eng.boundary();
      var forced = null;
      var before = done;
      for (;;) {
        var f = new Feeder(eng, fi, o.pairNext, forced);
        var reader = blob.stream().getReader();
        done = before;
        try {
          for (;;) {
            var step = await reader.read();
            if (step.done) break;
            f.push(step.value);
            done += step.value.length;
            if (hooks && hooks.progress) hooks.progress(done, total);
            if (hooks && hooks.pause) {
              var wait = hooks.pause();
              if (wait) await wait;
            }
          }
          files.push(f.end(names[fi]));
          break;
        } catch (e) {
          try {
            reader.cancel();
          } catch (ignored) {
            // the stream may already be closed
          }
          if (!(e instanceof Restart)) throw e;
          eng.restore(f.snap);
          forced = "windows-1252";
        }
      }
    }
    return eng.finish(files);
  }

  var api = {
    compileCheck: compileCheck,
    orderInputs: orderInputs,
    checkBuffers: checkBuffers,
    checkText: checkText,
    checkBlobs: checkBlobs,
  };

  // ---------------------------------------------------------------------------------
  // Worker branch: no document. Messages: {type: "files", check, files} | {type: "text", check, name, text}.
  // ---------------------------------------------------------------------------------

  if (typeof document === "undefined") {
    var lastPost = 0;
    // also what tells the page that the check is still moving (see `Checker.start`)
    var hooks = {
      progress: function (done, total) {
        var now = Date.now();
        if (now - lastPost >= 100) {
          lastPost = now;
          scope.postMessage({ type: "progress", done: done, total: total });
        }
      },
    };
    scope.onmessage = function (e) {
      var d = e.data;
      var job =
        d.type === "text"
          ? Promise.resolve().then(function () {
              return checkText(d.check, d.name, d.text, hooks);
            })
          : checkBlobs(d.check, d.files, hooks);
      job.then(
        function (out) {
          scope.postMessage({ type: "result", out: out });
        },
        function (err) {
          scope.postMessage({ type: "error", message: String((err && err.message) || err) });
        }
      );
    };
    scope.postMessage({ type: "ready" });
    return;
  }

  scope.AvisaChecker = api;

  // ---------------------------------------------------------------------------------
  // DOM layer: writes only with textContent / createTextNode / createElement.
  // ---------------------------------------------------------------------------------

  var scriptUrl = document.currentScript ? document.currentScript.src : "";
  var blobUrl = null;
  var workerBroken = false;
  var CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

  function hex(n, width) {
    var s = n.toString(16);
    while (s.length < width) s = "0" + s;
    return s;
  }

  /** Appends text with control and bidi characters shown as visible escapes (\x1b, \u202e). */
  function appendEscaped(parent, text) {
    var at = 0;
    var m;
    CONTROL.lastIndex = 0;
    while ((m = CONTROL.exec(text)) !== null) {
      if (m.index > at) parent.appendChild(document.createTextNode(text.slice(at, m.index)));
      var code = m[0].charCodeAt(0);
      var esc = document.createElement("span");
      esc.className = "avisa-ctl";
      esc.textContent = code <= 0xff ? "\\x" + hex(code, 2) : "\\u" + hex(code, 4);
      esc.setAttribute("title", "U+" + hex(code, 4).toUpperCase());
      parent.appendChild(esc);
      at = m.index + 1;
    }
    if (at < text.length) parent.appendChild(document.createTextNode(text.slice(at)));
  }

  var TOKEN = /\{([a-z_]+)\}/g;

  /**
   * Appends a trusted UI or advisory text with its `{name}` tokens replaced by values,
   * which are untrusted and shown with visible escapes. The template's own characters
   * (e.g. Fluent's U+2068/U+2069 isolation around a token) are kept as they are.
   */
  function appendFilled(parent, template, values) {
    var text = String(template);
    var at = 0;
    var m;
    TOKEN.lastIndex = 0;
    while ((m = TOKEN.exec(text)) !== null) {
      if (!Object.prototype.hasOwnProperty.call(values, m[1])) continue;
      if (m.index > at) parent.appendChild(document.createTextNode(text.slice(at, m.index)));
      appendEscaped(parent, String(values[m[1]]));
      at = TOKEN.lastIndex;
    }
    if (at < text.length) parent.appendChild(document.createTextNode(text.slice(at)));
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function makeWorker() {
    if (workerBroken || typeof Worker === "undefined") return null;
    if (scriptUrl && location.protocol !== "file:") {
      try {
        return new Worker(scriptUrl);
      } catch (e) {
        // fall through to a worker built from this script's own source
      }
    }
    try {
      if (blobUrl === null) {
        var src = "(" + avisaChecker.toString() + ")(self);\n";
        blobUrl = URL.createObjectURL(new Blob([src], { type: "text/javascript" }));
      }
      return new Worker(blobUrl);
    } catch (e) {
      workerBroken = true;
      return null;
    }
  }

  /** Resolves on the next task, so the page can paint and handle input between chunks. */
  function nextTask() {
    return new Promise(function (resolve) {
      var ch = new MessageChannel();
      ch.port1.onmessage = function () {
        ch.port1.close();
        resolve();
      };
      ch.port2.postMessage(null);
    });
  }

  function Checker(root) {
    this.root = root;
    this.data = JSON.parse(root.querySelector(".avisa-checker-data").textContent);
    this.input = root.querySelector(".avisa-checker-files");
    this.drop = root.querySelector(".avisa-checker-drop");
    this.paste = root.querySelector(".avisa-checker-text");
    this.progress = root.querySelector(".avisa-checker-progress");
    this.out = root.querySelector(".avisa-checker-result");
    this.job = null;
    this.forceMain = root.getAttribute("data-worker") === "off";
    var self = this;
    this.input.addEventListener("change", function () {
      var files = Array.prototype.slice.call(self.input.files || []);
      if (files.length) self.start({ files: files });
    });
    ["dragenter", "dragover"].forEach(function (type) {
      self.drop.addEventListener(type, function (e) {
        e.preventDefault();
        if (e.dataTransfer) e.dataTransfer.dropEffect = "copy";
        self.drop.classList.add("is-dragover");
      });
    });
    this.drop.addEventListener("dragleave", function () {
      self.drop.classList.remove("is-dragover");
    });
    this.drop.addEventListener("drop", function (e) {
      e.preventDefault();
      self.drop.classList.remove("is-dragover");
      var files = e.dataTransfer ? Array.prototype.slice.call(e.dataTransfer.files) : [];
      if (files.length) self.start({ files: files });
    });
    root.querySelector(".avisa-checker-check").addEventListener("click", function () {
      self.start({ text: self.paste.value });
    });
    root.querySelector(".avisa-checker-reset").addEventListener("click", function () {
      self.reset();
    });
    root.classList.add("is-ready");
  }

  Checker.prototype.t = function (key) {
    return this.root.getAttribute("data-t-" + key) || "";
  };

  Checker.prototype.cancel = function () {
    if (this.job) {
      this.job.cancelled = true;
      clearTimeout(this.job.watchdog);
      if (this.job.worker) this.job.worker.terminate();
      this.job = null;
    }
  };

  Checker.prototype.reset = function () {
    this.cancel();
    this.input.value = "";
    this.paste.value = "";
    this.out.textContent = "";
    this.out.hidden = true;
    this.out.removeAttribute("data-verdict");
    this.out.removeAttribute("data-message");
    this.out.removeAttribute("data-engine");
    this.showProgress(null);
  };

  Checker.prototype.showProgress = function (percent) {
    var bar = this.progress.querySelector("progress");
    var label = this.progress.querySelector(".avisa-checker-progress-text");
    if (percent === null) {
      this.progress.hidden = true;
      return;
    }
    this.progress.hidden = false;
    bar.value = percent;
    label.textContent = "";
    appendFilled(label, this.t("progress"), { percent: String(percent) });
  };

  Checker.prototype.start = function (payload) {
    this.cancel();
    this.out.textContent = "";
    this.out.hidden = true;
    this.out.removeAttribute("data-verdict");
    this.out.setAttribute("aria-busy", "true");
    this.showProgress(0);
    var job = { cancelled: false, worker: null };
    this.job = job;
    var self = this;
    var worker = this.forceMain ? null : makeWorker();
    if (worker === null) {
      this.runMain(job, payload);
      return;
    }
    job.worker = worker;
    var ready = false;
    // Second line of defence behind the rule linter: a regular expression that backtracks
    // without end on some line would hold the worker forever. The worker says how far it
    // got several times a second; when it has said nothing for `data-stall-seconds`, it is
    // stopped and the page says so (the CLI, whose regex engine never backtracks, is
    // unaffected). Without a worker the check runs on this thread, which nothing can stop.
    var seconds = Number(this.root.getAttribute("data-stall-seconds")) || 20;
    function rearm() {
      clearTimeout(job.watchdog);
      job.watchdog = setTimeout(function () {
        if (job.cancelled || self.job !== job) return;
        worker.terminate();
        self.stalled(job, seconds);
      }, seconds * 1000);
    }
    worker.onmessage = function (e) {
      if (job.cancelled) return;
      var d = e.data;
      if (d.type === "result" || d.type === "error") clearTimeout(job.watchdog);
      else rearm();
      if (d.type === "ready") {
        ready = true;
      } else if (d.type === "progress") {
        self.showProgress(Math.floor((100 * d.done) / Math.max(1, d.total)));
      } else if (d.type === "result") {
        worker.terminate();
        self.finish(job, d.out, "worker");
      } else if (d.type === "error") {
        worker.terminate();
        self.fail(job, d.message);
      }
    };
    worker.onerror = function (e) {
      if (e && e.preventDefault) e.preventDefault();
      clearTimeout(job.watchdog);
      worker.terminate();
      if (job.cancelled) return;
      if (!ready) {
        // The worker could not start (e.g. CSP without blob: from file://): run here instead.
        workerBroken = true;
        job.worker = null;
        self.runMain(job, payload);
      } else {
        self.fail(job, (e && e.message) || "worker error");
      }
    };
    var check = this.data.check;
    rearm();
    if (payload.files) {
      worker.postMessage({ type: "files", check: check, files: payload.files });
    } else {
      worker.postMessage({ type: "text", check: check, name: this.t("pasted-name"), text: payload.text });
    }
  };

  Checker.prototype.runMain = function (job, payload) {
    var self = this;
    var check = this.data.check;
    var lastYield = Date.now();
    var run = payload.files
      ? checkBlobs(check, payload.files, {
          progress: function (done, total) {
            if (!job.cancelled) self.showProgress(Math.floor((100 * done) / Math.max(1, total)));
          },
          pause: function () {
            if (job.cancelled) return Promise.reject(new Error("cancelled"));
            var now = Date.now();
            if (now - lastYield < 30) return null;
            lastYield = now;
            return nextTask();
          },
        })
      : nextTask().then(function () {
          return checkText(check, self.t("pasted-name"), payload.text);
        });
    run.then(
      function (out) {
        self.finish(job, out, "main");
      },
      function (err) {
        self.fail(job, String((err && err.message) || err));
      }
    );
  };

  Checker.prototype.fail = function (job, message) {
    if (job.cancelled || this.job !== job) return;
    this.job = null;
    this.showProgress(null);
    this.out.removeAttribute("aria-busy");
    this.out.textContent = "";
    this.out.hidden = false;
    this.out.setAttribute("data-verdict", "error");
    var p = el("p", "avisa-checker-error", this.t("error") + " ");
    appendEscaped(p, message);
    this.out.appendChild(p);
  };

  /** The worker made no progress for `seconds` and was stopped: inconclusive, and why. */
  Checker.prototype.stalled = function (job, seconds) {
    if (job.cancelled || this.job !== job) return;
    this.job = null;
    this.showProgress(null);
    var box = this.out;
    box.textContent = "";
    box.removeAttribute("aria-busy");
    box.hidden = false;
    box.setAttribute("data-engine", "worker");
    box.setAttribute("data-message", "stalled");
    var verdict = el("p", "avisa-verdict verdict-inconclusive");
    verdict.appendChild(el("strong", "avisa-verdict-label", this.verdictLabel("inconclusive")));
    verdict.appendChild(document.createTextNode(" "));
    var msg = el("span", "avisa-verdict-message");
    appendFilled(msg, this.t("stalled"), { seconds: String(seconds) });
    verdict.appendChild(msg);
    box.appendChild(verdict);
    box.setAttribute("data-verdict", "inconclusive");
  };

  Checker.prototype.verdictLabel = function (v) {
    return this.t("verdict-" + String(v).replace(/_/g, "-")) || String(v);
  };

  Checker.prototype.finish = function (job, out, engineName) {
    if (job.cancelled || this.job !== job) return;
    this.job = null;
    this.showProgress(null);
    var self = this;
    var r = out.result;
    var view = out.view;
    var box = this.out;
    box.textContent = "";
    box.removeAttribute("aria-busy");
    box.setAttribute("data-engine", engineName);
    box.setAttribute("data-message", r.message);

    var text =
      r.message_scope === "site"
        ? this.t(r.message === "not_text" ? "not-text" : "empty")
        : this.data.messages && typeof this.data.messages[r.message] === "string"
          ? this.data.messages[r.message]
          : r.message;
    var values = {
      line: view.fill.line !== undefined ? view.fill.line : "?",
      file: view.fill.file !== undefined ? view.fill.file : "?",
      session_line: view.fill.session_line !== undefined ? view.fill.session_line : "?",
    };
    var verdict = el("p", "avisa-verdict verdict-" + r.verdict.replace(/_/g, "-"));
    verdict.appendChild(el("strong", "avisa-verdict-label", this.verdictLabel(r.verdict)));
    verdict.appendChild(document.createTextNode(" "));
    var msg = el("span", "avisa-verdict-message");
    // a message this translation lacks is the default locale's: marked as in its language,
    // so it reads right on a page in another direction
    var borrowed = this.data.borrowed;
    if (
      r.message_scope !== "site" &&
      borrowed &&
      borrowed.messages.indexOf(r.message) !== -1
    ) {
      msg.setAttribute("lang", borrowed.lang);
      msg.setAttribute("dir", borrowed.dir);
    }
    appendFilled(msg, text, values);
    verdict.appendChild(msg);
    box.appendChild(verdict);

    if (view.notes.length) {
      var notes = el("ul", "avisa-checker-notes");
      view.notes.forEach(function (n) {
        var key = n.kind === "history" ? "note-history" : "note-unfinished";
        var li = el("li", "avisa-note avisa-note-" + n.kind.replace(/_/g, "-"));
        appendFilled(li, self.t(key), {
          line: n.line,
          verdict: n.verdict === null ? "" : self.verdictLabel(n.verdict),
          session_line: values.session_line,
        });
        notes.appendChild(li);
      });
      box.appendChild(notes);
    }

    var skipped = r.files.filter(function (f) {
      return f.status !== "text";
    });
    if (skipped.length && r.message_scope !== "site") {
      var ul = el("ul", "avisa-checker-skipped");
      skipped.forEach(function (f) {
        var li = el("li");
        appendFilled(li, self.t(f.status === "binary" ? "file-binary" : "file-empty"), { file: f.file });
        ul.appendChild(li);
      });
      box.appendChild(ul);
    }

    if (view.lines.length) {
      box.appendChild(el("h3", "avisa-log-heading", this.t("lines-heading")));
      var legend = el("p", "avisa-log-legend");
      legend.appendChild(el("mark", "avisa-mark-evidence", this.t("legend-evidence")));
      legend.appendChild(document.createTextNode(" "));
      legend.appendChild(el("mark", "avisa-mark-match", this.t("legend-match")));
      box.appendChild(legend);
      var logView = el("div", "avisa-log-view");
      logView.setAttribute("role", "list");
      var prev = null;
      view.lines.forEach(function (line) {
        if (prev !== null && (prev.file !== line.file || prev.line + 1 !== line.line)) {
          var gap = el("div", "avisa-log-gap", "\u22ef");
          gap.setAttribute("aria-hidden", "true");
          logView.appendChild(gap);
        }
        prev = line;
        var cls = "avisa-log-line";
        if (line.match) cls += " avisa-log-match";
        if (line.evidence) cls += " avisa-log-evidence";
        if (!line.match) cls += " avisa-log-context";
        var row = el("div", cls);
        row.setAttribute("role", "listitem");
        row.setAttribute("data-line", line.ref);
        if (line.evidence) row.setAttribute("data-evidence", "true");
        var ref = el("span", "avisa-log-ref");
        appendEscaped(ref, line.ref);
        row.appendChild(ref);
        var code = el("code", "avisa-log-text");
        if (line.match) {
          var mark = el("mark", line.evidence ? "avisa-mark-evidence" : "avisa-mark-match");
          appendEscaped(mark, line.text);
          code.appendChild(mark);
        } else {
          appendEscaped(code, line.text);
        }
        row.appendChild(code);
        logView.appendChild(row);
      });
      box.appendChild(logView);
      if (view.dropped > 0) box.appendChild(el("p", "avisa-log-truncated", this.t("truncated")));
    }
    box.setAttribute("data-verdict", r.verdict);
    box.hidden = false;
  };

  function init() {
    var roots = document.querySelectorAll(".avisa-checker");
    if (roots.length) {
      // A file dropped beside a drop zone must not make the browser navigate away to it.
      ["dragover", "drop"].forEach(function (type) {
        document.addEventListener(type, function (e) {
          var types = e.dataTransfer ? e.dataTransfer.types : null;
          if (types && Array.prototype.indexOf.call(types, "Files") >= 0) e.preventDefault();
        });
      });
    }
    for (var i = 0; i < roots.length; i++) {
      try {
        new Checker(roots[i]);
      } catch (e) {
        roots[i].setAttribute("data-checker-error", String((e && e.message) || e));
      }
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})(typeof self !== "undefined" ? self : this);
