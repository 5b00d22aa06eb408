//! Exact bytes over TCP, for requests a well-behaved client would not send.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

/// A parsed answer.
#[derive(Debug)]
pub struct RawResponse {
    pub status: u16,
    pub content_type: String,
    pub body: Vec<u8>,
}

/// Sends `head` (request line and headers, without the blank line) and `body`, reads the answer.
pub fn send(addr: SocketAddr, head: &str, body: &[u8]) -> RawResponse {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut request = head.replace('\n', "\r\n").into_bytes();
    if !head.to_ascii_lowercase().contains("content-length") {
        request.extend_from_slice(format!("\r\nContent-Length: {}", body.len()).as_bytes());
    }
    request.extend_from_slice(b"\r\nConnection: close\r\n\r\n");
    request.extend_from_slice(body);
    let _ = stream.write_all(&request);
    read_response(&mut stream)
}

/// Reads one response from a stream (until the server closes it).
pub fn read_response(stream: &mut TcpStream) -> RawResponse {
    let mut raw = Vec::new();
    let mut buf = [0u8; 65536];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                raw.extend_from_slice(&buf[..n]);
                if let Some(r) = parse(&raw) {
                    return r;
                }
            }
            Err(_) => break,
        }
    }
    parse(&raw).unwrap_or_else(|| panic!("no complete response: {:?}", String::from_utf8_lossy(&raw)))
}

fn parse(raw: &[u8]) -> Option<RawResponse> {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&raw[..end]).to_string();
    let mut lines = head.lines();
    let status = lines.next()?.split_whitespace().nth(1)?.parse().ok()?;
    let mut content_type = String::new();
    let mut length = None;
    let mut chunked = false;
    for line in lines {
        let (k, v) = line.split_once(':')?;
        match k.trim().to_ascii_lowercase().as_str() {
            "content-type" => content_type = v.trim().to_string(),
            "content-length" => length = v.trim().parse::<usize>().ok(),
            "transfer-encoding" => chunked = v.to_ascii_lowercase().contains("chunked"),
            _ => {}
        }
    }
    let rest = &raw[end + 4..];
    let body = if chunked {
        let mut out = Vec::new();
        let mut at = 0;
        loop {
            let line_end = rest[at..].windows(2).position(|w| w == b"\r\n")? + at;
            let size = usize::from_str_radix(String::from_utf8_lossy(&rest[at..line_end]).trim(), 16).ok()?;
            if size == 0 {
                break out;
            }
            let start = line_end + 2;
            if rest.len() < start + size + 2 {
                return None;
            }
            out.extend_from_slice(&rest[start..start + size]);
            at = start + size + 2;
        }
    } else {
        let length = length.unwrap_or(0);
        if rest.len() < length {
            return None;
        }
        rest[..length].to_vec()
    };
    Some(RawResponse { status, content_type, body })
}
