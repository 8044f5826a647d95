//! A running `avisa serve` for tests: started on a free port, its output read line by
//! line, asked over plain HTTP/1.1, and stopped (SIGTERM, so it removes its temporary
//! preview folder) when dropped.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

pub(crate) struct Server {
    child: Child,
    /// `stdout` and `stderr` lines, as they come.
    lines: Receiver<String>,
    /// Every line read so far.
    pub(crate) seen: Vec<String>,
    /// The lines read that no `wait_line` has taken yet (stdout and stderr lines may come
    /// in any order).
    pending: Vec<String>,
    /// `http://127.0.0.1:PORT/`
    pub(crate) url: String,
    /// The folder the preview is built in.
    pub(crate) preview: PathBuf,
}

/// An HTTP answer.
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) headers: String,
    pub(crate) body: String,
}

impl Server {
    /// Starts `avisa serve --root ROOT --port 0 EXTRA…` and waits until it serves.
    pub(crate) fn start(root: &Path, extra: &[&str]) -> Server {
        Server::start_with_tmp(root, extra, None)
    }

    /// `start`, with `TMPDIR` (where its preview goes) set to `tmp` when given.
    pub(crate) fn start_with_tmp(root: &Path, extra: &[&str], tmp: Option<&Path>) -> Server {
        let mut command = Command::new(env!("CARGO_BIN_EXE_avisa"));
        if let Some(tmp) = tmp {
            command.env("TMPDIR", tmp);
        }
        let mut child = command
            .args(["serve", "--port", "0", "--root"])
            .arg(root)
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start `avisa serve`");
        let (tx, lines) = channel();
        let out = child.stdout.take().expect("piped stdout");
        let err = child.stderr.take().expect("piped stderr");
        let tx2 = tx.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                let _ = tx2.send(line);
            }
        });
        let mut server = Server {
            child,
            lines,
            seen: Vec::new(),
            pending: Vec::new(),
            url: String::new(),
            preview: PathBuf::new(),
        };
        let line = server.wait_line("serving ");
        // serving http://127.0.0.1:PORT/ (the preview is in DIR); Ctrl+C to stop
        let rest = line.strip_prefix("serving ").unwrap();
        let (url, rest) = rest.split_once(' ').unwrap();
        let dir = rest
            .strip_prefix("(the preview is in ")
            .and_then(|r| r.strip_suffix("); Ctrl+C to stop"))
            .unwrap_or_else(|| panic!("unexpected line: {line}"));
        server.url = url.to_string();
        server.preview = PathBuf::from(dir);
        server
    }

    /// Takes the first line starting with `prefix` that no call has taken yet, waiting for
    /// it up to 60 s.
    pub(crate) fn wait_line(&mut self, prefix: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(i) = self.pending.iter().position(|l| l.starts_with(prefix)) {
                return self.pending.remove(i);
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    self.pending.push(line);
                }
                Err(_) => panic!(
                    "no line starting with `{prefix}` within 60 s; got:\n{}",
                    self.seen.join("\n")
                ),
            }
        }
    }

    /// `127.0.0.1:PORT`
    pub(crate) fn authority(&self) -> String {
        self.url["http://".len()..self.url.len() - 1].to_string()
    }

    /// GET `path` (relative to the server's address).
    pub(crate) fn get(&self, path: &str) -> Answer {
        get(&self.authority(), path, &self.authority())
    }

    /// GET `path` with `Host: HOST`.
    pub(crate) fn get_with_host(&self, path: &str, host: &str) -> Answer {
        get(&self.authority(), path, host)
    }

    /// The state of the builds (`/.avisa/build`), waiting for a build after `since`.
    pub(crate) fn state(&self, since: Option<&str>) -> serde_json::Value {
        state(&self.authority(), since)
    }

    /// Asks the server to stop (SIGTERM), waits for it to exit; its exit status and every
    /// line it wrote.
    pub(crate) fn stop(self) -> (std::process::ExitStatus, Vec<String>) {
        self.stop_with("-TERM")
    }

    /// `stop` with another signal (`-INT`: Ctrl+C).
    pub(crate) fn stop_with(mut self, signal: &str) -> (std::process::ExitStatus, Vec<String>) {
        let status = Command::new("kill")
            .arg(signal)
            .arg(self.child.id().to_string())
            .status()
            .expect("run kill");
        assert!(status.success());
        let exit = self.child.wait().expect("wait for `avisa serve`");
        // the readers stop at the end of both pipes
        while let Ok(line) = self.lines.recv_timeout(Duration::from_secs(10)) {
            self.seen.push(line);
        }
        (exit, std::mem::take(&mut self.seen))
    }
}

/// GET `path` from the server at `authority` (`127.0.0.1:PORT`), with `Host: HOST`.
pub(crate) fn get(authority: &str, path: &str, host: &str) -> Answer {
    let mut stream = TcpStream::connect(authority).expect("connect to the server");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    write!(
        stream,
        "GET /{path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read the answer");
    let text = String::from_utf8(raw).expect("a UTF-8 answer");
    let (headers, body) = text.split_once("\r\n\r\n").expect("headers, then a body");
    let status = headers
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in {headers}"));
    Answer {
        status,
        headers: headers.to_ascii_lowercase(),
        body: body.to_string(),
    }
}

/// The state of the builds of the server at `authority`, waiting for a build after `since`
/// (from any thread: a page's long poll).
pub(crate) fn state(authority: &str, since: Option<&str>) -> serde_json::Value {
    let path = match since {
        Some(g) => format!(".avisa/build?since={g}"),
        None => ".avisa/build".to_string(),
    };
    let answer = get(authority, &path, authority);
    assert_eq!(answer.status, 200, "{}", answer.body);
    serde_json::from_str(&answer.body).expect("the state is JSON")
}

impl Drop for Server {
    /// Stops the server as Ctrl+C would, so it removes its temporary preview folder; kills
    /// it if it has not stopped within 10 s.
    fn drop(&mut self) {
        if let Ok(Some(_)) = self.child.try_wait() {
            return;
        }
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
