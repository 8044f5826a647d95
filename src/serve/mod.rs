//! `avisa serve`: a preview of the site on a local HTTP server, rebuilt whenever a file
//! of its `content/`, `templates/` or `locales/` changes, with pages that reload
//! themselves after each successful rebuild and show a failed one's problems.
//!
//! The preview is built into its own folder (a temporary one unless told otherwise),
//! never over the site's output: its pages load the live-reload script, may ask the
//! server when to reload, and link to the server's address in place of `base_url`.
//! Builds go through [`crate::build`], so a failed rebuild leaves the last good preview
//! being served. The HTTP side (tokio, axum, tower-http) and the file watching (notify)
//! are this module's alone; it never prints: what happens is told to a callback.

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime};

use axum::Router;
use axum::extract::{Query, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use notify_debouncer_full::notify::{EventKind, RecursiveMode, event::ModifyKind};
use notify_debouncer_full::{DebounceEventResult, new_debouncer};
use serde::{Deserialize, Serialize};
use tokio::sync::watch;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::{BuildOptions, BuildReport, Error, Preview};

/// Where the server answers with the live-reload script. Pages load it with the build they
/// come from (`?build=GENERATION`), so a page loaded just as a newer build ended reloads.
pub const SCRIPT_PATH: &str = "/.avisa/live-reload.js";
/// Where the script asks for the state of the builds (a long poll).
const STATE_PATH: &str = "/.avisa/build";
const SCRIPT: &str = include_str!("live_reload.js");
/// How long a poll waits for a build before it is answered anyway.
const POLL: Duration = Duration::from_secs(25);
/// Changes closer together than this make one rebuild (an editor's save is often several).
const DEBOUNCE: Duration = Duration::from_millis(150);
/// How long a connection may take to send a request's headers, or stay silent between
/// requests, before it is closed: sockets opened and left silent (a browser's spare
/// connections, or many on purpose) are not kept open for ever.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// How long an answer may wait for the client to take any of it before the connection is
/// closed: a client that asks for files and never reads them (many at once, on purpose)
/// does not hold the server's buffers and open files for ever.
const WRITE_TIMEOUT: Duration = Duration::from_secs(30);
/// Builds in a row that may find a file changed while they read it before the last such
/// failure is shown (the files keep changing: the site is being written to).
const CHANGED_ATTEMPTS: u32 = 5;
/// The folders of a site whose files make a build.
const SOURCES: [&str; 3] = ["content", "templates", "locales"];

/// What `avisa serve` is asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site folder.
    pub root: PathBuf,
    /// The preview's output folder; `None`: a temporary folder, deleted when the server stops.
    pub out: Option<PathBuf>,
    /// Warnings fail a build.
    pub strict: bool,
    /// Where to listen (port 0: any free port).
    pub addr: SocketAddr,
}

/// What happens while serving, for the caller to tell.
#[derive(Debug)]
pub enum ServeEvent<'a> {
    /// A build finished, how it ended and how long it took.
    Built(&'a Result<BuildReport, Error>, Duration),
    /// The server answers at this address; the preview is in this folder.
    Listening(&'a str, &'a Path),
    /// These files changed: a build follows.
    Changed(&'a [PathBuf]),
    /// Watching the sources failed in part: changes may go unseen until the next one.
    WatchFailed(String),
}

/// The state of the builds, as the live-reload script reads it.
#[derive(Debug, Clone, Serialize)]
struct BuildState {
    /// The build's own: changes with every build, and from one server to the next.
    generation: String,
    /// Whether the last build succeeded.
    ok: bool,
    /// Why it failed.
    problems: String,
}

#[derive(Deserialize)]
struct Since {
    since: Option<String>,
}

/// Builds the preview, serves it, and rebuilds it on every change to the sources until
/// the process is interrupted (Ctrl+C, SIGTERM or SIGHUP). Fails at once, before serving, when the
/// address cannot be listened on, the sources cannot be watched, or the first build meets
/// an operational failure (an unusable output folder); content problems do not stop it.
pub fn serve(opts: &ServeOptions, on: &(dyn Fn(ServeEvent<'_>) + Sync)) -> Result<(), Error> {
    let listener = TcpListener::bind(opts.addr).map_err(|e| bind_error(opts.addr, e))?;
    let local = listener
        .local_addr()
        .map_err(|e| Error::Usage(format!("cannot listen on {}: {e}", opts.addr)))?;
    listener
        .set_nonblocking(true)
        .map_err(|e| Error::Usage(format!("cannot listen on {local}: {e}")))?;
    let url = address(local);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Usage(format!("cannot start the server: {e}")))?;
    // caught from now on: an interrupt during the first build ends the server as soon as
    // it starts, and its temporary folder is removed all the same
    let stop_signals = {
        let _in_runtime = runtime.enter();
        StopSignals::catch()
    };
    // kept until the server stops, then deleted with the preview in it
    let (_scratch, _claim, out) = match &opts.out {
        Some(out) => {
            let claim = crate::output::claim_preview(&opts.root, out)?;
            (None, Some(claim), out.clone())
        }
        None => {
            let scratch = crate::output::ScratchFolder::new("avisa-serve.")?;
            let out = scratch.path().join("site");
            (Some(scratch), None, out)
        }
    };
    let instance = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    // changes with every build, and from one server to the next
    let generation = |n: u64| format!("{instance:x}.{n}");
    let (state_tx, state_rx) = watch::channel(BuildState {
        generation: generation(0),
        ok: false,
        problems: "not built yet".into(),
    });
    let mut builds = 0u64;
    let mut build = || {
        let started = Instant::now();
        // a file saved while the build read it (an editor saving again, a large site): no
        // fault of the site's, so built again at once rather than shown as a failure
        let mut attempts = 0;
        let result = loop {
            builds += 1;
            attempts += 1;
            let result = crate::build(&BuildOptions {
                root: opts.root.clone(),
                out: out.clone(),
                strict: opts.strict,
                base_url: Some(url.clone()),
                preview: Some(Preview {
                    script: format!("{SCRIPT_PATH}?build={}", generation(builds)),
                }),
            });
            match result {
                Err(e) if e.is_file_changed() && attempts < CHANGED_ATTEMPTS => {
                    std::thread::sleep(DEBOUNCE);
                }
                result => break result,
            }
        };
        let took = started.elapsed();
        state_tx.send_replace(BuildState {
            generation: generation(builds),
            ok: result.is_ok(),
            problems: match &result {
                Ok(_) => String::new(),
                Err(e) => problems_text(e),
            },
        });
        (result, took)
    };
    // content problems are shown until fixed; an unusable output folder stops it here,
    // told once, by the caller
    match build() {
        (Err(e @ (Error::Io { .. } | Error::Usage(_))), _) => return Err(e),
        (result, took) => on(ServeEvent::Built(&result, took)),
    }

    // the watcher's events, and `None` when the server has stopped
    let (events_tx, events) = mpsc::channel::<Option<DebounceEventResult>>();
    let stop = events_tx.clone();
    let mut watcher = new_debouncer(DEBOUNCE, None, move |r| {
        let _ = events_tx.send(Some(r));
    })
    .map_err(|e| Error::Usage(format!("cannot watch the site's files: {e}")))?;
    let root = std::fs::canonicalize(&opts.root).map_err(|e| Error::io(&opts.root, e))?;
    let sources = SOURCES.map(|s| root.join(s));
    watcher
        .watch(&root, RecursiveMode::NonRecursive)
        .map_err(|e| Error::Usage(format!("cannot watch `{}`: {e}", root.display())))?;
    watch_sources(&mut watcher, &sources, on);
    let app = app(&out, state_rx, local.ip().is_unspecified());

    std::thread::scope(|scope| {
        scope.spawn(move || {
            while let Some(batch) = next_batch(&events) {
                let changed = changed_sources(batch, &sources, on);
                if changed.is_empty() {
                    continue;
                }
                // `templates/` or `locales/` made (or made again) since the last look
                if changed.iter().any(|p| p.parent() == Some(root.as_path())) {
                    watch_sources(&mut watcher, &sources, on);
                }
                let shown: Vec<PathBuf> = (changed.iter())
                    .map(|p| p.strip_prefix(&root).unwrap_or(p).to_path_buf())
                    .collect();
                on(ServeEvent::Changed(&shown));
                let (result, took) = build();
                on(ServeEvent::Built(&result, took));
            }
        });
        let served = runtime.block_on(async {
            let listener = tokio::net::TcpListener::from_std(listener)
                .map_err(|e| Error::Usage(format!("cannot listen on {local}: {e}")))?;
            on(ServeEvent::Listening(&url, &out));
            tokio::select! {
                never = answer(listener, app, HEADER_TIMEOUT, WRITE_TIMEOUT) => match never {},
                () = stop_signals.received() => Ok(()),
            }
        });
        let _ = stop.send(None);
        served
    })
}

/// Answers HTTP/1.1 connections on `listener` with `app`, for as long as it is polled. A
/// connection that has not sent a request's headers `header_timeout` after it opened, or
/// after its last answer, is closed, and so is one whose client has taken none of an
/// answer for `write_timeout` (`axum::serve` has neither limit).
async fn answer(
    listener: tokio::net::TcpListener,
    app: Router,
    header_timeout: Duration,
    write_timeout: Duration,
) -> std::convert::Infallible {
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // a connection reset before it was taken, or no file descriptor free for now:
            // the next one may do
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        // the timer runs while a write waits for room in the socket's buffer and restarts
        // at each write that goes through
        let mut stream = tokio_io_timeout::TimeoutStream::new(stream);
        stream.set_write_timeout(Some(write_timeout));
        let stream = Box::pin(stream);
        tokio::spawn(async move {
            let mut http = hyper::server::conn::http1::Builder::new();
            http.timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(header_timeout);
            // a connection's failure (a reset, the timeout) is its own end, not the server's
            let _ = http
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await;
        });
    }
}

/// The server's routes: the script, the state of the builds, and the preview's files;
/// nothing cached, and (unless listening on every address) only requests naming the
/// server by an IP address or `localhost`.
fn app(out: &Path, state: watch::Receiver<BuildState>, any_host: bool) -> Router {
    let not_found = {
        let state = state.clone();
        get(move || {
            let page = not_found(&state.borrow());
            async move { page }
        })
    };
    let files = ServeDir::new(out).not_found_service(not_found);
    let mut app = Router::new()
        .route(SCRIPT_PATH, get(script))
        .route(STATE_PATH, get(build_state))
        .with_state(state)
        .fallback_service(files)
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ));
    app = app.layer(middleware::from_fn(plain_paths_only));
    app = app.layer(middleware::from_fn(single_ranges_only));
    if !any_host {
        app = app.layer(middleware::from_fn(local_hosts_only));
    }
    app.layer(middleware::from_fn(one_host))
}

/// Answers 400 (Bad Request) to an HTTP/1.1 request without a `Host` header, and to any
/// request with several or with one that is not text, as RFC 9112 §3.2 requires of a
/// server; such a request was answered, and one whose `Host` was not text passed the
/// localhost check unread.
async fn one_host(request: Request, next: Next) -> Response {
    let mut hosts = request.headers().get_all(header::HOST).iter();
    let problem = match (hosts.next(), hosts.next()) {
        (None, _) if request.version() >= axum::http::Version::HTTP_11 => {
            Some("an HTTP/1.1 request must name the server in a `Host` header")
        }
        (Some(_), Some(_)) => Some("a request may have only one `Host` header"),
        (Some(host), None) if host.to_str().is_err() => {
            Some("the `Host` header must be plain text (a name or an address)")
        }
        _ => None,
    };
    match problem {
        Some(problem) => (StatusCode::BAD_REQUEST, format!("{problem}\n")).into_response(),
        None => next.run(request).await,
    }
}

/// Drops a `Range` header the file service would answer wrongly, so the whole file is
/// sent (200), as RFC 9110 §14.2 lets a server do for any range: several ranges, one it
/// cannot read, one written otherwise than plainly (`Bytes=`, `00-09`, spaces, a suffix
/// `-N` longer than the file), or any with `If-Range` (which it ignored, sending part of a
/// file that had changed). Each of those got 416 (Range Not Satisfiable) or a wrong part.
async fn single_ranges_only(mut request: Request, next: Next) -> Response {
    let plain = (request.headers().get(header::RANGE)).map(|v| is_plain_byte_range(v.as_bytes()));
    if plain == Some(false) || (plain.is_some() && request.headers().contains_key(header::IF_RANGE))
    {
        request.headers_mut().remove(header::RANGE);
    }
    next.run(request).await
}

/// Whether a `Range` header's value is one byte range written plainly: `bytes=A-B` (A not
/// after B) or `bytes=A-`, numbers without leading zeros that fit in 64 bits.
fn is_plain_byte_range(value: &[u8]) -> bool {
    let Some(spec) = value.strip_prefix(b"bytes=") else {
        return false;
    };
    let Some(dash) = spec.iter().position(|&b| b == b'-') else {
        return false;
    };
    let number = |s: &[u8]| -> Option<u64> {
        let plain =
            !s.is_empty() && s.iter().all(u8::is_ascii_digit) && (s.len() == 1 || s[0] != b'0');
        plain
            .then(|| std::str::from_utf8(s).ok()?.parse().ok())
            .flatten()
    };
    match (number(&spec[..dash]), &spec[dash + 1..]) {
        (Some(_), []) => true,
        (Some(first), last) => number(last).is_some_and(|last| first <= last),
        (None, _) => false,
    }
}

/// Answers 404 at once for a path the preview has no file at and that the file service
/// would answer otherwise: one that starts with `//` (a folder's redirect to `//en-US/`
/// would send the browser to the host `en-US`), or with a segment longer than a file's
/// name can be (an error, 500, from the file system).
async fn plain_paths_only(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    // (a segment's length once decoded: each `%XX` is one byte)
    let decoded_len = |s: &str| s.len().saturating_sub(2 * s.matches('%').count());
    if path.starts_with("//") || path.split('/').any(|s| decoded_len(s) > 255) {
        return (
            StatusCode::NOT_FOUND,
            "Nothing is at this address in the preview.\n",
        )
            .into_response();
    }
    next.run(request).await
}

async fn script() -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/javascript; charset=utf-8"),
        )],
        SCRIPT,
    )
        .into_response()
}

/// The state of the builds: at once when the page has not seen the latest one, else when
/// the next build ends (or after [`POLL`]).
async fn build_state(
    State(mut state): State<watch::Receiver<BuildState>>,
    Query(q): Query<Since>,
) -> Response {
    if let Some(seen) = q.since {
        let _ = tokio::time::timeout(POLL, state.wait_for(|s| s.generation != seen)).await;
    }
    let now = state.borrow().clone();
    axum::Json(now).into_response()
}

/// The answer for a path the preview has no file at: a page that loads the script, so it
/// shows why the build failed and reloads when the file is there.
fn not_found(state: &BuildState) -> Response {
    let text = match state.ok {
        true => "Nothing is at this address in the preview.",
        false => {
            "The site has not been built as it is now: the last build failed (see the problems below, or the terminal)."
        }
    };
    let page = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Not found: avisa serve</title>\n<script src=\"{SCRIPT_PATH}?build={}\"></script>\n</head>\n<body>\n<h1>Not found</h1>\n<p>{text}</p>\n<p><a href=\"/\">The site's first page</a></p>\n</body>\n</html>\n",
        state.generation
    );
    (
        StatusCode::NOT_FOUND,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        )],
        page,
    )
        .into_response()
}

/// Refuses a request whose `Host` is a name other than `localhost`: a web page elsewhere
/// cannot read the preview (of advisories perhaps not yet public) through a name it makes
/// point at this machine (DNS rebinding).
async fn local_hosts_only(request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok());
    match host {
        Some(host) if !is_local_host(host) => (
            StatusCode::FORBIDDEN,
            format!(
                "avisa serve answers only to requests for localhost or an IP address, not `{host}` (listen on 0.0.0.0 with --bind to answer any)\n"
            ),
        )
            .into_response(),
        _ => next.run(request).await,
    }
}

/// `host` (a `Host` header: name or address, perhaps with a port) is `localhost` or an
/// IP address.
fn is_local_host(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        // [v6]:port
        Some(rest) => {
            return rest
                .split(']')
                .next()
                .is_some_and(|a| a.parse::<IpAddr>().is_ok());
        }
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    name.eq_ignore_ascii_case("localhost") || name.parse::<IpAddr>().is_ok()
}

/// Whether a file system event can change the site (not reads, nor times and permissions).
fn matters(kind: &EventKind) -> bool {
    !matches!(
        kind,
        EventKind::Access(_) | EventKind::Other | EventKind::Modify(ModifyKind::Metadata(_))
    )
}

type Watcher = notify_debouncer_full::Debouncer<
    notify_debouncer_full::notify::RecommendedWatcher,
    notify_debouncer_full::RecommendedCache,
>;

/// Watches each of the site's source folders that exists (again: watching is idempotent),
/// telling `on` why one could not be.
fn watch_sources(watcher: &mut Watcher, sources: &[PathBuf], on: &(dyn Fn(ServeEvent<'_>) + Sync)) {
    for dir in sources.iter().filter(|dir| dir.is_dir()) {
        if let Err(e) = watcher.watch(dir, RecursiveMode::Recursive) {
            on(ServeEvent::WatchFailed(format!(
                "cannot watch `{}`: {e}",
                dir.display()
            )));
        }
    }
}

/// The watcher's next results and whatever else has come meanwhile (during the last
/// build), for one build; `None` once the server has stopped.
fn next_batch(
    events: &mpsc::Receiver<Option<DebounceEventResult>>,
) -> Option<Vec<DebounceEventResult>> {
    let mut batch = vec![events.recv().ok()??];
    while let Ok(more) = events.try_recv() {
        batch.push(more?);
    }
    Some(batch)
}

/// The files of the site's sources that `batch` says changed, sorted, each once; the
/// watcher's errors go to `on`.
fn changed_sources(
    batch: Vec<DebounceEventResult>,
    sources: &[PathBuf],
    on: &(dyn Fn(ServeEvent<'_>) + Sync),
) -> Vec<PathBuf> {
    let mut changed = Vec::new();
    for result in batch {
        match result {
            Ok(events) => changed.extend(
                (events.into_iter())
                    .filter(|e| matters(&e.kind))
                    .flat_map(|e| e.event.paths)
                    .filter(|p| sources.iter().any(|s| p.starts_with(s))),
            ),
            Err(errors) => {
                for e in errors {
                    on(ServeEvent::WatchFailed(e.to_string()));
                }
            }
        }
    }
    changed.sort();
    changed.dedup();
    changed
}

/// The address to give a browser for `local`: `localhost` for a server on every address.
fn address(local: SocketAddr) -> String {
    match local.ip() {
        ip if ip.is_unspecified() => format!("http://localhost:{}/", local.port()),
        IpAddr::V4(ip) => format!("http://{ip}:{}/", local.port()),
        IpAddr::V6(ip) => format!("http://[{ip}]:{}/", local.port()),
    }
}

fn bind_error(addr: SocketAddr, e: std::io::Error) -> Error {
    let hint = match e.kind() {
        std::io::ErrorKind::AddrInUse => {
            ": another program listens there; choose another port with `--port` (0: any free one)"
        }
        std::io::ErrorKind::AddrNotAvailable => {
            ": this machine has no such address; choose another with `--bind`"
        }
        _ => "",
    };
    Error::Usage(format!("cannot listen on {addr}: {e}{hint}"))
}

/// Why a build failed, as the page shows it.
fn problems_text(e: &Error) -> String {
    match e {
        Error::Content(problems) => {
            let mut text = String::new();
            for p in problems {
                text.push_str(&format!("{p}\n\n"));
            }
            text + &crate::diag::tally(problems)
        }
        other => other.to_string(),
    }
}

/// The signals that stop the server: Ctrl+C (SIGINT) and, on Unix, SIGTERM and SIGHUP
/// (the terminal closed).
struct StopSignals {
    #[cfg(unix)]
    caught: Option<[tokio::signal::unix::Signal; 3]>,
}

impl StopSignals {
    /// Starts catching them (inside the runtime).
    fn catch() -> StopSignals {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let caught = (|| {
                Some([
                    signal(SignalKind::interrupt()).ok()?,
                    signal(SignalKind::terminate()).ok()?,
                    signal(SignalKind::hangup()).ok()?,
                ])
            })();
            StopSignals { caught }
        }
        #[cfg(not(unix))]
        StopSignals {}
    }

    /// Resolves when one has come (perhaps before this was first asked).
    async fn received(mut self) {
        #[cfg(unix)]
        if let Some([int, term, hup]) = &mut self.caught {
            tokio::select! {
                _ = int.recv() => {}
                _ = term.recv() => {}
                _ = hup.recv() => {}
            }
            return;
        }
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Serves `dir` on a free port of 127.0.0.1 for 20 s, with these timeouts.
    fn start(
        dir: &Path,
        header_timeout: Duration,
        write_timeout: Duration,
    ) -> (SocketAddr, std::thread::JoinHandle<()>) {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let std_listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        std_listener.set_nonblocking(true).expect("nonblocking");
        let addr = std_listener.local_addr().expect("address");
        let (_tx, state) = watch::channel(BuildState {
            generation: "1".to_string(),
            ok: true,
            problems: String::new(),
        });
        let app = app(dir, state, false);
        let server = std::thread::spawn(move || {
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(std_listener).expect("listener");
                tokio::select! {
                    never = answer(listener, app, header_timeout, write_timeout) => match never {},
                    () = tokio::time::sleep(Duration::from_secs(20)) => {}
                }
            });
        });
        (addr, server)
    }

    /// Sends `request` on a new connection to `addr` and reads the answer to its end.
    fn ask(addr: SocketAddr, request: &[u8]) -> String {
        use std::io::{Read, Write};
        let mut talker = std::net::TcpStream::connect(addr).expect("connect");
        talker.write_all(request).expect("send");
        let mut answered = String::new();
        talker.read_to_string(&mut answered).expect("answer");
        answered
    }

    /// An HTTP/1.1 request without `Host`, or with two, or with one that is not text, gets
    /// 400 (it got the file); HTTP/1.0 needs none.
    #[test]
    fn a_request_must_name_one_host() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("index.html"), "<p>hello</p>").expect("write");
        let (addr, server) = start(dir.path(), HEADER_TIMEOUT, WRITE_TIMEOUT);
        for (request, status) in [
            (&b"GET /index.html HTTP/1.1\r\nConnection: close\r\n\r\n"[..], "400"),
            (b"GET /index.html HTTP/1.1\r\nHost: localhost\r\nHost: localhost\r\nConnection: close\r\n\r\n", "400"),
            (b"GET /index.html HTTP/1.1\r\nHost: ev\xffil.example\r\nConnection: close\r\n\r\n", "400"),
            (b"GET /index.html HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", "200"),
            (b"GET /index.html HTTP/1.0\r\n\r\n", "200"),
        ] {
            let answered = ask(addr, request);
            let shown = String::from_utf8_lossy(request);
            assert!(answered.contains(&format!(" {status} ")), "{shown}: {answered}");
            if status == "400" {
                assert!(!answered.contains("hello"), "{shown}: {answered}");
            }
        }
        drop(server);
    }

    /// A client that asks for a large file and reads none of it is cut off after the write
    /// timeout: reading later gets less than the file (it got all of it, the server having
    /// held the answer for as long as the client stayed).
    #[test]
    fn an_answer_nobody_reads_is_dropped_after_the_write_timeout() {
        use std::io::{Read, Write};
        let dir = tempfile::tempdir().expect("temp dir");
        let size = 64 << 20;
        std::fs::write(dir.path().join("big.bin"), vec![b'x'; size]).expect("write");
        let (addr, server) = start(dir.path(), HEADER_TIMEOUT, Duration::from_millis(300));
        let mut idle = std::net::TcpStream::connect(addr).expect("connect");
        idle.write_all(b"GET /big.bin HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            .expect("send");
        std::thread::sleep(Duration::from_millis(1500));
        idle.set_read_timeout(Some(Duration::from_secs(10)))
            .expect("read timeout");
        let mut got = Vec::new();
        // the end of the stream or a reset, never our own read timeout
        match idle.read_to_end(&mut got) {
            Ok(_) => {}
            Err(e) => assert_eq!(e.kind(), std::io::ErrorKind::ConnectionReset, "{e}"),
        }
        assert!(
            got.starts_with(b"HTTP/1.1 200"),
            "{:?}",
            &got[..got.len().min(80)]
        );
        assert!(
            got.len() < size,
            "read {} bytes of a {size}-byte file",
            got.len()
        );
        // a client that reads gets the whole file
        let mut reader = std::net::TcpStream::connect(addr).expect("connect");
        reader
            .write_all(b"GET /big.bin HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            .expect("send");
        let mut all = Vec::new();
        reader.read_to_end(&mut all).expect("answer");
        assert!(all.len() > size, "{}", all.len());
        drop(server);
    }

    /// A request sent in time is answered; several ranges, or one that cannot be read, get
    /// the whole file (they got 416); a connection that sends nothing is closed after the
    /// header timeout.
    #[test]
    fn requests_are_answered_odd_ranges_get_the_file_and_silent_connections_close() {
        use std::io::Read;
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("index.html"), "<p>hello</p>").expect("write");
        let (addr, server) = start(dir.path(), Duration::from_millis(300), WRITE_TIMEOUT);
        let silent = std::net::TcpStream::connect(addr).expect("connect");
        silent
            .set_read_timeout(Some(Duration::from_secs(10)))
            .expect("read timeout");
        let answered = ask(
            addr,
            b"GET /index.html HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
        );
        assert!(answered.starts_with("HTTP/1.1 200"), "{answered}");
        assert!(answered.ends_with("<p>hello</p>"), "{answered}");
        // one range is the file service's; several, or one it cannot read, get the file
        for (range, status, body) in [
            ("bytes=3-7", "206", "hello"),
            ("bytes=100-", "416", ""),
            ("bytes=0-1, 3-4", "200", "<p>hello</p>"),
            ("bytes=5-2", "200", "<p>hello</p>"),
            ("lines=1-2", "200", "<p>hello</p>"),
            ("bytes=03-07", "200", "<p>hello</p>"),
            ("bytes=-100", "200", "<p>hello</p>"),
            ("bytes=3-7\r\nIf-Range: \"old\"", "200", "<p>hello</p>"),
        ] {
            let request = format!(
                "GET /index.html HTTP/1.1\r\nHost: localhost\r\nRange: {range}\r\nConnection: close\r\n\r\n"
            );
            let answered = ask(addr, request.as_bytes());
            let (head, got) = answered.split_once("\r\n\r\n").unwrap_or((&answered, ""));
            assert!(
                head.starts_with(&format!("HTTP/1.1 {status}")),
                "{range}: {head}"
            );
            assert_eq!(got, body, "{range}");
        }
        let started = Instant::now();
        let mut got = Vec::new();
        // closed by the server (end of stream, perhaps after a 408), not by our timeout
        let read = (&silent).read_to_end(&mut got);
        assert!(read.is_ok(), "{read:?}");
        let waited = started.elapsed();
        assert!(waited < Duration::from_secs(9), "closed after {waited:?}");
        drop(server);
    }

    #[test]
    fn a_range_header_is_kept_only_when_written_plainly() {
        for (value, plain) in [
            ("bytes=0-4", true),
            ("bytes=5-", true),
            ("bytes=4-4", true),
            ("bytes=18446744073709551615-", true),
            ("bytes=-3", false),
            ("BYTES=5-", false),
            ("bytes= 5-", false),
            ("bytes=0 - 4", false),
            ("bytes=00-09", false),
            ("bytes=5-2", false),
            ("bytes=0-1,3-4", false),
            ("bytes=-", false),
            ("bytes=a-b", false),
            ("bytes=99999999999999999999-", false),
            ("bytes=0-99999999999999999999", false),
            ("items=0-4", false),
            ("", false),
        ] {
            assert_eq!(is_plain_byte_range(value.as_bytes()), plain, "{value:?}");
        }
    }

    #[test]
    fn only_localhost_and_ip_addresses_are_local_hosts() {
        for host in [
            "localhost",
            "LOCALHOST:1111",
            "127.0.0.1",
            "127.0.0.1:1111",
            "[::1]:1111",
            "[::1]",
            "192.168.1.20:8080",
        ] {
            assert!(is_local_host(host), "{host}");
        }
        for host in [
            "evil.example",
            "evil.example:1111",
            "localhost.evil.example",
            "127.0.0.1.nip.io:1111",
            "[evil]:1",
            "",
        ] {
            assert!(!is_local_host(host), "{host}");
        }
    }

    #[test]
    fn the_address_shown_can_be_opened() {
        let at = |s: &str| address(s.parse().unwrap());
        assert_eq!(at("127.0.0.1:1111"), "http://127.0.0.1:1111/");
        assert_eq!(at("0.0.0.0:8080"), "http://localhost:8080/");
        assert_eq!(at("[::1]:1111"), "http://[::1]:1111/");
        assert_eq!(at("[::]:1111"), "http://localhost:1111/");
    }

    #[test]
    fn reads_times_and_permissions_are_not_changes() {
        use notify_debouncer_full::notify::event::{
            AccessKind, CreateKind, DataChange, MetadataKind, RemoveKind,
        };
        assert!(!matters(&EventKind::Access(AccessKind::Any)));
        assert!(!matters(&EventKind::Modify(ModifyKind::Metadata(
            MetadataKind::AccessTime
        ))));
        assert!(matters(&EventKind::Modify(ModifyKind::Data(
            DataChange::Content
        ))));
        assert!(matters(&EventKind::Create(CreateKind::File)));
        assert!(matters(&EventKind::Remove(RemoveKind::Any)));
    }
}
