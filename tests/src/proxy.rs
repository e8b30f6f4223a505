//! A TCP proxy between the clients and the server that drops connections on demand: it
//! forwards bytes both ways and, when a rule is armed for a request, cuts that request or its
//! response after a given number of bytes (as a town hall's line does in the middle of a
//! transfer). It can also be pointed at a new server address (a restarted server process).

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Where a connection is cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// After this many bytes of the request (the server never reads it whole).
    CutRequest(usize),
    /// After this many bytes of the response (the server did the work; the client never
    /// reads the whole answer).
    CutResponse(usize),
}

#[derive(Debug, Clone)]
struct Rule {
    /// The request line starts with this (e.g. `GET /api/v1/sync/pull`).
    prefix: String,
    /// Matching requests to let through before the fault.
    skip: usize,
    fault: Fault,
}

#[derive(Debug, Default)]
struct Shared {
    upstream: Option<SocketAddr>,
    rule: Option<Rule>,
    fired: usize,
    requests: Vec<String>,
    /// Bumped when the upstream changes: connections to the old one are cut at their next
    /// request, as a restarted server or a pulled cable would cut them.
    generation: u64,
}

/// A running proxy.
pub struct Proxy {
    /// `http://127.0.0.1:<port>`: give this to the clients.
    pub url: String,
    shared: Arc<Mutex<Shared>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Proxy {
    /// Starts a proxy to `upstream`.
    pub async fn start(upstream: SocketAddr) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("binding the proxy");
        let addr = listener.local_addr().expect("proxy address");
        let shared = Arc::new(Mutex::new(Shared {
            upstream: Some(upstream),
            ..Shared::default()
        }));
        let accepting = shared.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((client, _)) = listener.accept().await else {
                    continue;
                };
                let shared = accepting.clone();
                tokio::spawn(async move {
                    let upstream = shared.lock().unwrap().upstream;
                    let Some(upstream) = upstream else { return };
                    // A server that is down: the client sees the connection close.
                    let Ok(server) = TcpStream::connect(upstream).await else {
                        return;
                    };
                    forward(client, server, shared).await;
                });
            }
        });
        Proxy {
            url: format!("http://{addr}"),
            shared,
            task,
        }
    }

    /// Sends new connections to `upstream` (a restarted server).
    pub fn set_upstream(&self, upstream: SocketAddr) {
        let mut shared = self.shared.lock().unwrap();
        shared.upstream = Some(upstream);
        shared.generation += 1;
    }

    /// Cuts the next request whose request line starts with `prefix`, after letting `skip`
    /// such requests through. One fault per arming.
    pub fn arm(&self, prefix: &str, skip: usize, fault: Fault) {
        self.shared.lock().unwrap().rule = Some(Rule {
            prefix: prefix.to_string(),
            skip,
            fault,
        });
    }

    /// Forgets an armed fault that has not fired.
    pub fn disarm(&self) {
        self.shared.lock().unwrap().rule = None;
    }

    /// How many faults fired so far.
    pub fn fired(&self) -> usize {
        self.shared.lock().unwrap().fired
    }

    /// The request lines seen so far (method and path).
    pub fn requests(&self) -> Vec<String> {
        self.shared.lock().unwrap().requests.clone()
    }
}

const METHODS: [&[u8]; 4] = [b"GET ", b"POST ", b"PUT ", b"DELETE "];

/// For a chunk that starts a request: the fault for it, if the armed rule matches it
/// (`Some(None)`: a request, no fault). `None` for the rest of a request.
fn on_request(shared: &Mutex<Shared>, chunk: &[u8]) -> Option<Option<Fault>> {
    if !METHODS.iter().any(|m| chunk.starts_with(m)) {
        return None;
    }
    let line_end = chunk
        .iter()
        .position(|&b| b == b'\r')
        .unwrap_or(chunk.len());
    let line = String::from_utf8_lossy(&chunk[..line_end]).to_string();
    let mut shared = shared.lock().unwrap();
    shared.requests.push(line.clone());
    let Some(rule) = shared.rule.as_mut() else {
        return Some(None);
    };
    if !line.starts_with(&rule.prefix) {
        return Some(None);
    }
    if rule.skip > 0 {
        rule.skip -= 1;
        return Some(None);
    }
    let fault = rule.fault;
    shared.rule = None;
    shared.fired += 1;
    Some(Some(fault))
}

/// Copies bytes both ways until either side closes or a fault cuts the connection. HTTP/1.1
/// clients do not pipeline: a chunk from the client that starts with a method is the start of
/// a request, and every response byte after it belongs to that request.
async fn forward(client: TcpStream, server: TcpStream, shared: Arc<Mutex<Shared>>) {
    let _ = client.set_nodelay(true);
    let _ = server.set_nodelay(true);
    let (mut client_read, mut client_write) = client.into_split();
    let (mut server_read, mut server_write) = server.into_split();
    let mut up = vec![0u8; 64 * 1024];
    let mut down = vec![0u8; 64 * 1024];
    let mut request_budget: Option<usize> = None;
    let mut response_budget: Option<usize> = None;
    let generation = shared.lock().unwrap().generation;
    loop {
        tokio::select! {
            read = client_read.read(&mut up) => {
                let n = match read {
                    Ok(0) | Err(_) => return,
                    Ok(n) => n,
                };
                if shared.lock().unwrap().generation != generation {
                    return;
                }
                if let Some(fault) = on_request(&shared, &up[..n]) {
                    // A fault belongs to one request: a new request on the same kept-alive
                    // connection starts with no budget.
                    request_budget = None;
                    response_budget = None;
                    match fault {
                        Some(Fault::CutRequest(after)) => request_budget = Some(after),
                        Some(Fault::CutResponse(after)) => response_budget = Some(after),
                        None => {}
                    }
                }
                let (send, cut) = budget(&mut request_budget, n);
                if server_write.write_all(&up[..send]).await.is_err() || cut {
                    return;
                }
            }
            read = server_read.read(&mut down) => {
                let n = match read {
                    Ok(0) | Err(_) => return,
                    Ok(n) => n,
                };
                let (send, cut) = budget(&mut response_budget, n);
                if client_write.write_all(&down[..send]).await.is_err() || cut {
                    return;
                }
            }
        }
    }
}

/// How much of `n` bytes may pass under `budget`, and whether the connection is then cut.
fn budget(budget: &mut Option<usize>, n: usize) -> (usize, bool) {
    match budget {
        None => (n, false),
        Some(left) if *left > n => {
            *left -= n;
            (n, false)
        }
        Some(left) => (*left, true),
    }
}
