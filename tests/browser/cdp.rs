//! A minimal Chrome DevTools Protocol client for the browser tests: starts Debian's
//! headless Chromium with `--remote-debugging-pipe` (commands on fd 3, replies on fd 4,
//! wired to the child's stdin/stdout by `sh`), sends commands and waits for replies.
//! Nothing is downloaded; a missing browser is an error with an install hint.

use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// How long one DevTools command may take before the test fails.
const CALL_TIMEOUT: Duration = Duration::from_secs(90);

/// The hint printed when no browser can be found.
pub(crate) const INSTALL_HINT: &str = "install it with `apt-get update && apt-get install -y chromium` \
     (Debian), or point AVISA_CHROMIUM at a Chromium/Chrome binary";

/// Finds the browser: `override_path` (from AVISA_CHROMIUM) when given, else the first of
/// chromium, chromium-browser, google-chrome, google-chrome-stable on `path_var`.
pub(crate) fn locate(
    override_path: Option<OsString>,
    path_var: Option<OsString>,
) -> Result<PathBuf, String> {
    if let Some(p) = override_path.filter(|p| !p.is_empty()) {
        let p = PathBuf::from(p);
        return if p.is_file() {
            Ok(p)
        } else {
            Err(format!(
                "AVISA_CHROMIUM is `{}`, which is not a file: {INSTALL_HINT}",
                p.display()
            ))
        };
    }
    let names = [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ];
    if let Some(path_var) = path_var {
        for dir in std::env::split_paths(&path_var) {
            for name in names {
                let candidate = dir.join(name);
                if candidate.is_file() {
                    return Ok(candidate);
                }
            }
        }
    }
    Err(format!(
        "no Chromium found on PATH (looked for {}): {INSTALL_HINT}",
        names.join(", ")
    ))
}

/// A running headless Chromium and its DevTools pipe.
pub(crate) struct Chromium {
    child: Child,
    stdin: ChildStdin,
    replies: Receiver<Value>,
    next_id: u64,
    profile: tempfile::TempDir,
}

/// One page (tab) attached with a flat session.
pub(crate) struct Tab {
    pub(crate) target_id: String,
    pub(crate) session_id: String,
}

impl Chromium {
    /// Starts the browser with a fresh profile; panics with an install hint when it is missing.
    pub(crate) fn launch() -> Chromium {
        let exe = match locate(std::env::var_os("AVISA_CHROMIUM"), std::env::var_os("PATH")) {
            Ok(exe) => exe,
            Err(e) => panic!("the browser tests need headless Chromium: {e}"),
        };
        let profile = tempfile::tempdir().expect("create a temporary browser profile");
        let log = std::fs::File::create(profile.path().join("chromium.log"))
            .expect("create the browser log file");
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(r#"exec "$0" "$@" 3<&0 4>&1 0</dev/null 1>&2"#)
            .arg(&exe)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--remote-debugging-pipe",
            ])
            .arg(format!(
                "--user-data-dir={}",
                profile.path().join("data").display()
            ))
            .arg("about:blank")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log))
            .spawn()
            .unwrap_or_else(|e| panic!("start `{}`: {e}", exe.display()));
        let stdin = child.stdin.take().expect("piped stdin");
        let mut stdout = child.stdout.take().expect("piped stdout");
        let (tx, replies) = channel();
        std::thread::spawn(move || {
            let mut buf: Vec<u8> = Vec::new();
            let mut chunk = [0u8; 64 * 1024];
            loop {
                let n = match stdout.read(&mut chunk) {
                    Ok(0) | Err(_) => return,
                    Ok(n) => n,
                };
                buf.extend_from_slice(&chunk[..n]);
                while let Some(end) = buf.iter().position(|b| *b == 0) {
                    let message: Vec<u8> = buf.drain(..=end).collect();
                    if let Ok(v) = serde_json::from_slice::<Value>(&message[..message.len() - 1])
                        && tx.send(v).is_err()
                    {
                        return;
                    }
                }
            }
        });
        Chromium {
            child,
            stdin,
            replies,
            next_id: 0,
            profile,
        }
    }

    /// The last lines Chromium wrote to stderr, for failure messages.
    pub(crate) fn log_tail(&self) -> String {
        let text =
            std::fs::read_to_string(self.profile.path().join("chromium.log")).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(15)..].join("\n")
    }

    /// Sends one command and returns its `result`, or the protocol error as `Err`.
    pub(crate) fn try_call(
        &mut self,
        method: &str,
        params: Value,
        session: Option<&str>,
    ) -> Result<Value, String> {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({ "id": id, "method": method, "params": params });
        if let Some(s) = session {
            message["sessionId"] = json!(s);
        }
        let mut bytes = serde_json::to_vec(&message).expect("serialize a command");
        bytes.push(0);
        self.stdin
            .write_all(&bytes)
            .and_then(|()| self.stdin.flush())
            .map_err(|e| format!("write to the DevTools pipe: {e}\n{}", self.log_tail()))?;
        let deadline = Instant::now() + CALL_TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.replies.recv_timeout(left) {
                Ok(reply) if reply.get("id").and_then(Value::as_u64) == Some(id) => {
                    return match reply.get("error") {
                        Some(e) => Err(format!("{method}: {e}")),
                        None => Ok(reply.get("result").cloned().unwrap_or(Value::Null)),
                    };
                }
                Ok(_event) => {}
                Err(RecvTimeoutError::Timeout) => {
                    return Err(format!(
                        "{method}: no reply within {CALL_TIMEOUT:?}\n{}",
                        self.log_tail()
                    ));
                }
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(format!(
                        "{method}: the browser closed the pipe\n{}",
                        self.log_tail()
                    ));
                }
            }
        }
    }

    /// Sends one command; panics on a protocol error.
    pub(crate) fn call(&mut self, method: &str, params: Value, session: Option<&str>) -> Value {
        self.try_call(method, params, session)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// Opens `url` in a new tab and attaches to it.
    pub(crate) fn open(&mut self, url: &str) -> Tab {
        let target = self.call("Target.createTarget", json!({ "url": url }), None);
        let target_id = target["targetId"].as_str().expect("targetId").to_string();
        let attached = self.call(
            "Target.attachToTarget",
            json!({ "targetId": target_id, "flatten": true }),
            None,
        );
        let session_id = attached["sessionId"]
            .as_str()
            .expect("sessionId")
            .to_string();
        Tab {
            target_id,
            session_id,
        }
    }

    /// Evaluates `expression` in the page (awaiting a returned promise) and returns its value.
    pub(crate) fn try_eval(&mut self, tab: &Tab, expression: &str) -> Result<Value, String> {
        let reply = self.try_call(
            "Runtime.evaluate",
            json!({ "expression": expression, "awaitPromise": true, "returnByValue": true }),
            Some(&tab.session_id),
        )?;
        if let Some(details) = reply.get("exceptionDetails") {
            return Err(format!("page exception: {details}"));
        }
        Ok(reply["result"].get("value").cloned().unwrap_or(Value::Null))
    }

    /// Like `try_eval`, panicking on errors.
    pub(crate) fn eval(&mut self, tab: &Tab, expression: &str) -> Value {
        self.try_eval(tab, expression)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// Evaluates `expression` and returns a remote object id (for DOM commands).
    pub(crate) fn object_id(&mut self, tab: &Tab, expression: &str) -> String {
        let reply = self.call(
            "Runtime.evaluate",
            json!({ "expression": expression }),
            Some(&tab.session_id),
        );
        reply["result"]["objectId"]
            .as_str()
            .unwrap_or_else(|| panic!("`{expression}` is not an object: {reply}"))
            .to_string()
    }

    /// Polls `condition` (a JS expression) until it is `true`; panics after `timeout`.
    pub(crate) fn wait_for(&mut self, tab: &Tab, condition: &str, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        let mut last = String::new();
        while Instant::now() < deadline {
            match self.try_eval(tab, condition) {
                Ok(Value::Bool(true)) => return,
                Ok(v) => last = v.to_string(),
                Err(e) => last = e,
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "timed out waiting for `{condition}` (last: {last})\n{}",
            self.log_tail()
        );
    }

    /// Waits (30 s at most) until `tab` shows `url` and has loaded it whole.
    pub(crate) fn wait_loaded(&mut self, tab: &Tab, url: &str) {
        let condition = format!(
            "location.href === {} && document.readyState === 'complete'",
            json!(url)
        );
        self.wait_for(tab, &condition, Duration::from_secs(30));
    }

    /// The process id of the browser (the root of its renderer processes).
    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Closes a tab.
    pub(crate) fn close(&mut self, tab: Tab) {
        let _ = self.try_call(
            "Target.closeTarget",
            json!({ "targetId": tab.target_id }),
            None,
        );
    }
}

impl Drop for Chromium {
    fn drop(&mut self) {
        let _ = self.try_call("Browser.close", json!({}), None);
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
