// Test-only (never shipped): runs edge inputs through AvisaChecker.checkBuffers (whole
// buffers) and through checkBlobs with streams cut into tiny chunks and with real Files,
// and reports whether every result is identical, plus the whole-buffer result.
(async () => {
  const A = window.AvisaChecker;
  const sig = (name, regex, component) => ({ name, regex, ignore_case: false, component: component || null });
  const check = {
    id: "edge", log_name: "x.log", file_hint: [],
    signals: [
      sig("euro", "^price €5$"),
      sig("joined", "^Updates summary: 5 processed$"),
      sig("cm", "^second line of record$", "COMP"),
      sig("sync", "^Performing legacy sync"),
    ],
    verdicts: [{
      verdict: "affected",
      when: { any: [{ present: "euro" }, { present: "joined" }, { present: "cm" }] },
      message: "m", evidence: ["euro", "joined", "cm"],
    }],
    otherwise: { verdict: "not_affected", message: "n" },
  };
  const enc = (s) => new TextEncoder().encode(s);
  const cat = (...parts) => {
    const arrays = parts.map((p) => (typeof p === "string" ? enc(p) : Uint8Array.from(p)));
    const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
    let at = 0;
    for (const a of arrays) { out.set(a, at); at += a.length; }
    return out;
  };
  const utf16 = (s, be) => {
    const out = [];
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (be) out.push(c >> 8, c & 255); else out.push(c & 255, c >> 8);
    }
    return out;
  };
  const record = '<![LOG[first line\r\n';
  const close = 'second line of record]LOG]!><time="1" date="2" component="comp" context="" type="1" thread="3" file="">\r\n';
  const cases = {
    crlf_cr_lf: [["a.log", enc("a\r\nb\rc\n\r\nprice €5\r\n")]],
    windows_1252_late: [["a.log", cat("x".repeat(150000) + "\n", "price ", [0x80], "5\r\n")]],
    utf8_valid: [["a.log", enc("zz\nprice €5\n")]],
    utf16le_bom: [["a.log", cat([0xff, 0xfe], utf16("q\r\nprice €5\r\n", false))]],
    utf16be_bom: [["a.log", cat([0xfe, 0xff], utf16("price €5\n", true), [0x00])]],
    utf8_bom: [["a.log", cat([0xef, 0xbb, 0xbf], "price €5\n")]],
    binary_and_text: [["bin.log", enc("price €5\n\u0000\n")], ["b.log", enc("zzz\n")]],
    only_binary: [["bin.log", enc("a\u0000b")]],
    empty: [["a.log", new Uint8Array(0)]],
    rollover_join: [["X.LOG", enc("ary: 5 processed\nmore\n")], ["x.lo_", enc("first\nUpdates summ")]],
    cmtrace_across_rollover: [["y.log", enc(close)], ["y.lo_", enc(record)]],
    cmtrace_across_unrelated_files: [["a.log", enc(record)], ["b.log", enc(close)]],
    nel_and_ls_do_not_end_lines: [["a.log", enc("a\u0085b\u2028c\u000bd\u000ce\n")]],
  };
  const chunked = (name, bytes, size) => ({
    name, size: bytes.length,
    stream() {
      let at = 0;
      return new ReadableStream({
        pull(c) {
          if (at >= bytes.length) { c.close(); return; }
          c.enqueue(bytes.slice(at, at + size));
          at += size;
        },
      });
    },
  });
  const out = {};
  for (const [key, files] of Object.entries(cases)) {
    const whole = A.checkBuffers(check, files.map(([name, bytes]) => ({ name, bytes })));
    const wholeText = JSON.stringify(whole);
    const big = files.some(([, b]) => b.length > 10000);
    const sizes = big ? [4093, 65536] : [1, 2, 3, 7];
    let same = true;
    const diffs = [];
    for (const size of sizes) {
      const r = await A.checkBlobs(check, files.map(([n, b]) => chunked(n, b, size)));
      if (JSON.stringify(r) !== wholeText) { same = false; diffs.push({ size, r: r.result }); }
    }
    const real = await A.checkBlobs(check, files.map(([n, b]) => new File([b], n)));
    if (JSON.stringify(real) !== wholeText) { same = false; diffs.push({ size: "File", r: real.result }); }
    out[key] = { same, result: whole.result, diffs };
  }
  // Pasted text is fed in slices of 2^20 UTF-16 units: a CRLF and a character outside the
  // BMP across a slice boundary give what the same text read from bytes gives.
  const slice = 1 << 20;
  const pasted = {
    pasted_crlf_across_slices: "x".repeat(slice - 1) + "\r\nprice €5\r\n",
    pasted_surrogates_across_slices:
      "Performing legacy sync " + "y".repeat(slice - 24) + "😀\nUpdates summary: 5 processed\n",
  };
  for (const [key, text] of Object.entries(pasted)) {
    const whole = A.checkBuffers(check, [{ name: "a.log", bytes: enc(text) }]);
    const seen = [];
    const sliced = A.checkText(check, "a.log", text, { progress: (done, total) => seen.push([done, total]) });
    const same = JSON.stringify(sliced) === JSON.stringify(whole);
    out[key] = { same, result: whole.result, progress: seen, diffs: same ? [] : [{ r: sliced.result }] };
  }
  return out;
})()
